from datetime import UTC, datetime, timedelta

import pytest

from qtp.catalog.models import Program
from qtp.catalog.sync import sync_content
from tests.content.builder import write_program
from tests.factories import add_member, make_cohort, make_team, make_user

LOCALES = ("en", "es", "pt_BR")


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "courses"
    write_program(root)
    return root


@pytest.fixture
def synced(session, tree):
    sync_content(session, tree, LOCALES)
    session.commit()
    return session.query(Program).filter_by(slug="test-program").one()


@pytest.fixture
def today():
    return datetime.now(UTC).date()


@pytest.fixture
def cohort(session, synced, today):
    # started 10 days ago: the first phase is open, the second opens on day 30 (in 20 days)
    return make_cohort(
        session, program=synced, starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=100)
    )


@pytest.fixture
def participant(session, cohort):
    user = make_user(session, "ana@test.example.org", roles=["participant"], name="Ana Ribeiro")
    add_member(session, make_team(session, cohort), user, "leader")
    return user
