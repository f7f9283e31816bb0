"""An admin, the synced test program (tests/content/builder.py) and a way to create cohorts through the pages."""

from __future__ import annotations

import pytest

from qtp.catalog.models import Program
from qtp.cohorts.models import Cohort
from tests.factories import make_user
from tests.helpers import login, logout, post_form
from tests.integration.worksheets import conftest as worksheet_fixtures

worksheet_types = worksheet_fixtures.worksheet_types
team_with_people = worksheet_fixtures.team_with_people


@pytest.fixture
def program(session, worksheet_types) -> Program:
    return session.query(Program).filter_by(slug="test-program").one()


@pytest.fixture
def admin(session):
    return make_user(session, "admin@test.example.org", name="Ada Admin", roles=["admin"])


def sign_in(client, email: str):
    logout(client)
    return login(client, email)


def create_cohort(client, session, program, slug="lisbon-2027", **fields) -> Cohort:
    data = {
        "program_id": str(program.id),
        "name": "Lisbon 2027",
        "slug": slug,
        "locale": "pt_BR",
        "starts_on": "2027-01-04",
        "ends_on": "2027-06-30",
        "status": "planned",
    }
    data.update(fields)
    response = post_form(client, "/admin/cohorts/new", data, token_from="/admin/cohorts/new")
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    return session.query(Cohort).filter_by(slug=slug).one()
