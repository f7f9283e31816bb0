"""The demo world (every role, cohorts, teams with worksheets of all twelve real types, measures, reviews,
certificates, licences) in the test's transaction, and a client signed in as each of its people."""

from __future__ import annotations

import pytest

from qtp.demo.loader import load_demo
from tests.helpers import login
from tests.integration.worksheets import conftest as worksheet_fixtures

real_courses = worksheet_fixtures.real_courses
real_worksheet_types = worksheet_fixtures.real_worksheet_types

DEMO_PASSWORD = "qtp-demo-2026"
# Who types first matters: names the admin types are then read by everyone else.
PEOPLE = (
    "admin@example.org",
    "faculty@example.org",
    "leader@example.org",
    "member@example.org",
    "licensee@example.org",
    "other@example.org",
)


@pytest.fixture
def demo(app, session, real_worksheet_types):
    load_demo(session, "development")
    session.commit()
    return real_worksheet_types


@pytest.fixture
def signed_in(app, demo):
    """signed_in(email) -> a test client signed in as that demo person."""

    def client_of(email: str):
        client = app.test_client()
        response = login(client, email, DEMO_PASSWORD)
        assert response.status_code == 302, f"{email} could not sign in"
        return client

    return client_of
