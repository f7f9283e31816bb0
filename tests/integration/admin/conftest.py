"""Fixtures for the admin-area integration tests: the administrator, a signed-in client, organizations."""

from __future__ import annotations

import pytest

from tests.factories import make_organization, make_user
from tests.helpers import login

ADMIN_EMAIL = "eleni.papadopoulou@qtp-office.example.org"


@pytest.fixture
def admin(session):
    """The program administrator (working from Athens)."""
    return make_user(session, ADMIN_EMAIL, roles=["admin"], name="Eleni Papadopoulou", timezone="Europe/Athens")


@pytest.fixture
def admin_client(client, admin):
    """The `client` fixture, signed in as the administrator."""
    response = login(client, ADMIN_EMAIL)
    assert response.status_code == 302, response.status_code
    return client


@pytest.fixture
def recife(session):
    return make_organization(session, "Instituto de Oncologia do Recife", kind="practice", country="BR", city="Recife")


@pytest.fixture
def monterrey(session):
    return make_organization(session, "Centro Oncológico de Monterrey", kind="practice", country="MX", city="Monterrey")
