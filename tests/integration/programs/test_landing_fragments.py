"""The landing page's content-derived parts are rendered once per content version and language
(qtp/core/fragments.py): a sync that changes the content shows at once, each language keeps its own, and what
depends on the visitor (signed in or not) is never taken from another visitor's page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm.attributes import flag_modified

from qtp.catalog.models import Program
from qtp.catalog.sync import sync_content
from tests.factories import make_user
from tests.helpers import login

COURSES = Path(__file__).resolve().parents[3] / "courses"


@pytest.fixture
def six_month(session):
    sync_content(session, COURSES, ("en", "es", "pt_BR"))
    session.commit()
    return session.query(Program).filter_by(slug="six-month").one()


def _rename_first_phase(session, program: Program, title: str) -> None:
    """What a sync does when a phase is renamed in courses/: new config, new content hash and sync time."""
    config = dict(program.config)
    phases = [dict(phase) for phase in config["phases"]]
    phases[0] = {**phases[0], "titles": {**phases[0]["titles"], "en": title}}
    config["phases"] = phases
    program.config = config
    flag_modified(program, "config")
    program.content_hash = "changed-" + program.content_hash[:20]
    program.synced_at = (program.synced_at or datetime.now(UTC)) + timedelta(seconds=1)
    session.commit()


def test_a_content_change_shows_at_once_on_the_landing_page(client, session, six_month):
    first = client.get("/").get_data(as_text=True)
    assert "Pre-work" in first
    _rename_first_phase(session, six_month, "Groundwork before the first session")
    again = client.get("/").get_data(as_text=True)
    assert "Groundwork before the first session" in again


def test_each_language_has_its_own_fragments(client, six_month):
    english = client.get("/?lang=en").get_data(as_text=True)
    spanish = client.get("/?lang=es").get_data(as_text=True)
    assert "How the six-month program works" in english and "Two formats, one method" in english
    assert "Trabajo previo" in spanish and "Two formats, one method" not in spanish


def test_the_signed_in_visitor_gets_their_own_hero(client, session, six_month):
    anonymous = client.get("/").get_data(as_text=True)
    assert "Tell us about your team" in anonymous
    user = make_user(session, email="reader@example.org")
    session.commit()
    login(client, user.email)
    signed_in = client.get("/").get_data(as_text=True)
    assert "Go to your home page" in signed_in and "Bring the program to your team" not in signed_in
