"""The dashboards run a fixed number of SQL statements (at most 12), the same with 10 and with 100 teams."""

import pytest

from qtp.catalog.models import Module
from qtp.cohorts.models import Attendance, Cohort
from qtp.progress.models import ModuleProgress, ProgressScore, SelfAssessment
from qtp.worksheets.models import Worksheet
from tests.factories import add_member, add_staff, make_team, make_user
from tests.helpers import login
from tests.integration.cohorts.conftest import create_cohort, sign_in
from tests.integration.worksheets import conftest as worksheet_fixtures

real_courses = worksheet_fixtures.real_courses
real_worksheet_types = worksheet_fixtures.real_worksheet_types
real_team = worksheet_fixtures.real_team

BUDGET = 12


def add_teams(session, cohort_id: int, count: int, types: dict, module_id: int, event_id: int) -> None:
    """`count` teams with three people each, worksheets, progress, attendance, scores and self-assessments."""
    cohort = session.get(Cohort, cohort_id)
    for _ in range(count):
        team = make_team(session, cohort)
        for role in ("leader", "core", "extended"):
            user = make_user(session, roles=["participant"])
            add_member(session, team, user, role)
            session.add(ModuleProgress(user_id=user.id, module_id=module_id, content_version="x"))
            session.add(Attendance(event_id=event_id, user_id=user.id, status="present"))
            for kind in ("pre", "post"):
                session.add(
                    SelfAssessment(user_id=user.id, cohort_id=cohort_id, kind=kind, ratings={}, content_version="x")
                )
        for type_id in types.values():
            session.add(Worksheet(team_id=team.id, type_id=type_id, status="submitted", data={}))
        session.add(ProgressScore(team_id=team.id, proposed_score="1.0"))
    session.commit()


@pytest.mark.parametrize(
    "path",
    [
        "/cohorts/{id}/dashboard",
        "/cohorts/{id}/dashboard/members",
        "/cohorts/{id}/dashboard/self-assessment",
        "/cohorts/{id}/dashboard/teams.csv",
        "/cohorts/{id}/dashboard/members.csv",
        "/admin/cohorts/{id}",
        "/admin/cohorts",
    ],
)
def test_dashboards_stay_within_the_budget_with_10_and_100_teams(
    app, client, session, sql_statements, program, admin, worksheet_types, path
):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program, status="active")
    faculty = make_user(session, "budget-f@test.example.org", roles=["faculty"])
    add_staff(session, cohort, faculty, "faculty")
    cohort_id = cohort.id
    types = {slug: t.id for slug, t in worksheet_types.items()}
    module_id = session.query(Module).filter_by(program_id=program.id).first().id
    event_id = next(e.id for e in cohort.events if e.key == "ls1")
    viewer = app.test_client()
    login(viewer, faculty.email if not path.startswith("/admin") else admin.email)
    url = path.format(id=cohort_id)

    def count() -> int:
        session.expunge_all()
        sql_statements.clear()
        assert viewer.get(url).status_code == 200
        return len(sql_statements)

    add_teams(session, cohort_id, 10, types, module_id, event_id)
    few = count()
    add_teams(session, cohort_id, 90, types, module_id, event_id)
    many = count()
    assert many == few <= BUDGET, (few, many)


def test_the_team_page_stays_within_the_budget(app, session, sql_statements, program, admin, worksheet_types):
    from tests.integration.cohorts.conftest import team_with_people

    team = team_with_people(session)
    team_id, email = team.id, team.people["leader"].email
    type_ids = [t.id for t in worksheet_types.values()]
    client = app.test_client()
    login(client, email)

    def count() -> int:
        session.expunge_all()
        sql_statements.clear()
        assert client.get(f"/teams/{team_id}/progress").status_code == 200
        return len(sql_statements)

    few = count()
    for type_id in type_ids:
        session.add(Worksheet(team_id=team_id, type_id=type_id, status="draft", data={}))
    for _ in range(5):
        session.add(ProgressScore(team_id=team_id, proposed_score="1.0"))
    session.commit()
    many = count()
    assert many <= BUDGET and few <= BUDGET, (few, many)


def test_the_team_page_with_measures_and_charts_stays_within_the_budget(app, session, sql_statements, real_team):
    from datetime import date, timedelta

    from qtp.measurement.models import DataPoint

    team_id, email = real_team.id, real_team.people["leader"].email
    types = {slug: t.id for slug, t in real_team.types.items()}
    client = app.test_client()
    login(client, email)

    def count() -> int:
        session.expunge_all()
        sql_statements.clear()
        page = client.get(f"/teams/{team_id}/progress")
        assert page.status_code == 200
        return len(sql_statements)

    def add_measures(first: int, last: int) -> None:
        for record_no in range(first, last + 1):
            measure = Worksheet(
                team_id=team_id,
                type_id=types["measures"],
                record_no=record_no,
                data={"name": f"M{record_no}", "scale": "count"},
            )
            session.add(measure)
            session.add(Worksheet(team_id=team_id, type_id=types["pdsa"], record_no=record_no, data={}))
            session.flush()
            for week in range(12):
                session.add(
                    DataPoint(
                        measure_id=measure.id, period=date(2026, 1, 5) + timedelta(weeks=week), value=float(week % 5)
                    )
                )
        session.commit()

    add_measures(1, 1)
    few = count()
    add_measures(2, 6)
    many = count()
    assert many == few <= BUDGET, (few, many)
