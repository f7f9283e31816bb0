import shutil
from pathlib import Path

import pytest

from qtp.catalog.models import WorksheetType
from qtp.catalog.sync import sync_content
from tests.content.builder import write_program
from tests.content.worksheet_builder import write_worksheets
from tests.factories import add_member, add_staff, make_cohort, make_team, make_user

LOCALES = ("en", "es", "pt_BR")
COURSES = Path(__file__).resolve().parents[3] / "courses"
_PARSED: dict[str, object] = {}  # the real definitions, parsed once per session


@pytest.fixture
def worksheet_types(session, tmp_path):
    root = tmp_path / "courses"
    write_program(root)
    write_worksheets(root)
    sync_content(session, root, LOCALES)
    session.commit()
    return {t.slug: t for t in session.query(WorksheetType)}


def team_with_people(session):
    """A team with a leader, a core member and a sponsor, the cohort's faculty, and an outsider who leads a
    team of another cohort; `team.people` names them."""
    cohort = make_cohort(session)
    team = make_team(session, cohort)
    people = {
        "leader": make_user(session, "leader@test.example.org", roles=["participant"]),
        "core": make_user(session, "core@test.example.org", roles=["participant"]),
        "sponsor": make_user(session, "sponsor@test.example.org", roles=["participant"]),
        "outsider": make_user(session, "outsider@test.example.org", roles=["participant"]),
        "faculty": make_user(session, "faculty@test.example.org", roles=["faculty"]),
    }
    for role in ("leader", "core", "sponsor"):
        add_member(session, team, people[role], role)
    add_staff(session, cohort, people["faculty"], "faculty")
    add_member(session, make_team(session, make_cohort(session)), people["outsider"], "leader")
    team.people = people
    return team


@pytest.fixture
def team(session, worksheet_types):
    return team_with_people(session)


@pytest.fixture(scope="session")
def real_courses(tmp_path_factory) -> Path:
    """A copy of the real worksheet definitions beside a small test program, written once per session."""
    root = tmp_path_factory.mktemp("real-courses") / "courses"
    write_program(root)
    shutil.copytree(COURSES / "worksheets", root / "worksheets")
    return root


@pytest.fixture
def real_worksheet_types(session, real_courses, monkeypatch):
    """The twelve real worksheet types from courses/worksheets (with a small test program). The files are
    parsed once per session (they do not change during it); every test still syncs them into its own
    transaction through the real sync."""
    from qtp.catalog import sync

    parse = sync.load_content

    def parsed_once(root, locales):
        key = f"{root}|{locales}"
        if key not in _PARSED:
            _PARSED[key] = parse(root, locales)
        return _PARSED[key]

    monkeypatch.setattr(sync, "load_content", parsed_once)
    sync_content(session, real_courses, LOCALES)
    session.commit()
    return {t.slug: t for t in session.query(WorksheetType)}


@pytest.fixture
def real_team(session, real_worksheet_types):
    """A team like `team`, with the real worksheet types."""
    team = team_with_people(session)
    team.types = real_worksheet_types
    return team
