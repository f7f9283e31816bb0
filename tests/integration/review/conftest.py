"""A team (tests/integration/worksheets/conftest.py) whose leader has submitted the aim worksheet, and
helpers to review it through the pages as the cohort's faculty would."""

from __future__ import annotations

import re

import pytest

from qtp.worksheets import services
from qtp.worksheets.models import Worksheet
from tests.helpers import login, logout, post_form, text_of
from tests.integration.worksheets import conftest as worksheet_fixtures

worksheet_types = worksheet_fixtures.worksheet_types
team = worksheet_fixtures.team
team_with_people = worksheet_fixtures.team_with_people

AIM = {"statement": "Increase symptom calls answered within 2 hours from 48% to 75% by June", "direction": "increase"}


def submit(app, session, team, wtype, data: dict | None = None) -> Worksheet:
    """Save (or revise) the team's worksheet as its leader and submit it for review."""
    leader = team.people["leader"]
    with app.test_request_context():
        existing = session.query(Worksheet).filter_by(team_id=team.id, type_id=wtype.id).one_or_none()
        request = services.SaveRequest(data or AIM, existing.version if existing else None)
        worksheet = services.save_worksheet(session, leader, team, wtype, 1, request)
        session.commit()
        assert services.submit_worksheet(session, leader, worksheet, worksheet.version) == []
        session.commit()
    return worksheet


@pytest.fixture
def submitted(app, session, team, worksheet_types):
    return submit(app, session, team, worksheet_types["aim"])


def base_version(client, worksheet_id: int) -> str:
    page = text_of(client.get(f"/review/{worksheet_id}"))
    match = re.search(r'name="base_version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="base_version"', page
    )
    assert match, "no base_version on the review page"
    return match.group(1)


def decide(client, worksheet_id: int, decision: str, version: str | None = None, **fields):
    data = {"decision": decision, "base_version": version or base_version(client, worksheet_id), "score-smart": "3"}
    data.update(fields)
    return post_form(client, f"/review/{worksheet_id}", data, token_from=f"/review/{worksheet_id}")


def sign_in(client, who: str):
    """Sign in as one of the team's people (signing out whoever was signed in)."""
    logout(client)
    return login(client, f"{who}@test.example.org")
