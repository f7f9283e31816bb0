"""Review pages run a fixed number of SQL statements (at most 12), however many teams, submissions,
revisions and decisions there are."""

import pytest

from qtp.cohorts.models import Cohort
from qtp.review.models import Review
from qtp.worksheets.models import Worksheet, WorksheetRevision
from tests.factories import add_member, make_team, make_user
from tests.helpers import login
from tests.integration.worksheets import conftest as worksheet_fixtures

real_courses = worksheet_fixtures.real_courses
real_worksheet_types = worksheet_fixtures.real_worksheet_types
real_team = worksheet_fixtures.real_team

BUDGET = 12


def submitted_record(session, team_id: int, type_id: int, record_no: int, rounds: int, reviewer_id: int) -> int:
    """A worksheet submitted `rounds` times, returned after each round but the last (now waiting); its id."""
    data = {"name": f"Measure {record_no}"}
    worksheet = Worksheet(team_id=team_id, type_id=type_id, record_no=record_no, data=data, status="submitted")
    session.add(worksheet)
    for number in range(1, rounds + 1):
        worksheet.revisions.append(
            WorksheetRevision(number=number, data=data, reason="submit", author_id=reviewer_id, content_version="x")
        )
    session.flush()
    for revision in worksheet.revisions[:-1]:
        session.add(
            Review(
                worksheet_id=worksheet.id,
                revision_id=revision.id,
                reviewer_id=reviewer_id,
                decision="return",
                scores={},
                comment="again",
                content_version="x",
            )
        )
    session.commit()
    return worksheet.id


def _count(client, session, sql_statements, url: str) -> int:
    session.expunge_all()
    sql_statements.clear()
    assert client.get(url).status_code == 200
    return len(sql_statements)


def test_the_queue_stays_within_the_budget_whatever_the_number_of_teams(app, session, sql_statements, real_team):
    faculty_id, email = real_team.people["faculty"].id, real_team.people["faculty"].email
    aim_id = real_team.types["aim"].id
    cohort_id, team_id = real_team.cohort_id, real_team.id

    def add_teams(count: int) -> None:
        for _ in range(count):
            team = make_team(session, session.get(Cohort, cohort_id))
            add_member(session, team, make_user(session, roles=["participant"]), "leader")
            submitted_record(session, team.id, aim_id, 1, 2, faculty_id)

    client = app.test_client()
    login(client, email)
    add_teams(3)
    few = _count(client, session, sql_statements, "/review/")
    add_teams(27)
    many = _count(client, session, sql_statements, "/review/")
    filtered = _count(client, session, sql_statements, f"/review/?team={team_id}&type=aim&status=returned")
    assert many == few <= BUDGET, (few, many)
    assert filtered <= BUDGET


@pytest.mark.parametrize(
    "slug",
    [
        "charter",
        "aim",
        "roster",
        "sipoc",
        "process-map",
        "fishbone",
        "pareto",
        "driver-diagram",
        "measures",
        "pdsa",
        "sustainability",
        "storyboard",
    ],
)
def test_each_review_page_stays_within_the_budget(app, session, sql_statements, real_team, slug):
    faculty_id, email = real_team.people["faculty"].id, real_team.people["faculty"].email
    team_id, type_id, repeatable = real_team.id, real_team.types[slug].id, real_team.types[slug].is_repeatable
    client = app.test_client()
    login(client, email)
    once = submitted_record(session, team_id, type_id, 1, 1, faculty_id)
    few = _count(client, session, sql_statements, f"/review/{once}")
    many_rounds = submitted_record(session, team_id, type_id, 2, 8, faculty_id) if repeatable else None
    if many_rounds is not None:
        many = _count(client, session, sql_statements, f"/review/{many_rounds}")
        assert many == few, (few, many)
    assert few <= BUDGET, few


def test_the_team_page_of_a_returned_worksheet_stays_within_the_budget(app, session, sql_statements, real_team):
    faculty = real_team.people["faculty"]
    worksheet = session.get(
        Worksheet, submitted_record(session, real_team.id, real_team.types["charter"].id, 1, 6, faculty.id)
    )
    worksheet.status = "returned"
    session.commit()
    client = app.test_client()
    login(client, real_team.people["core"].email)
    for path in ("", "/history"):
        assert _count(client, session, sql_statements, f"/teams/{real_team.id}/worksheets/charter/1{path}") <= BUDGET
