"""Attendance at learning sessions: the cohort's faculty mark present or absent; only admins excuse, with a
reason that is audited; nobody else sees the sheet."""

from qtp.cohorts.models import Attendance
from qtp.core.audit import AuditEvent
from tests.factories import add_staff, make_cohort, make_user
from tests.helpers import post_form, text_of
from tests.integration.cohorts.conftest import create_cohort, sign_in, team_with_people


def _setup(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program, status="active")
    team = team_with_people(session)
    team.cohort_id = cohort.id  # move the test team (leader, core, sponsor; faculty) into this cohort
    session.commit()
    add_staff(session, cohort, team.people["faculty"], "faculty")
    ls1 = next(e for e in cohort.events if e.key == "ls1")
    return cohort, team, ls1


def test_faculty_record_presence_and_admins_excuse_with_a_reason(client, session, program, admin):
    cohort, team, ls1 = _setup(client, session, program, admin)
    leader, core, sponsor = (team.people[r] for r in ("leader", "core", "sponsor"))
    sheet = f"/cohorts/{cohort.id}/attendance/{ls1.id}"

    sign_in(client, team.people["faculty"].email)
    page = text_of(client.get(sheet))
    assert leader.name in page and core.name in page and sponsor.name not in page  # sponsors are not expected
    saved = post_form(
        client, sheet, {f"status-{leader.id}": "present", f"status-{core.id}": "absent"}, token_from=sheet
    )
    assert saved.status_code == 303
    marks = {a.user_id: a.status for a in session.query(Attendance)}
    assert marks == {leader.id: "present", core.id: "absent"}
    excuse = post_form(
        client,
        sheet,
        {f"status-{leader.id}": "present", f"status-{core.id}": "excused", f"note-{core.id}": "ill"},
        token_from=sheet,
    )
    assert excuse.status_code == 400 and "Only an administrator can excuse an absence." in text_of(excuse)
    assert {a.user_id: a.status for a in session.query(Attendance)} == marks  # nothing half-written

    sign_in(client, admin.email)
    no_reason = post_form(
        client, sheet, {f"status-{leader.id}": "present", f"status-{core.id}": "excused"}, token_from=sheet
    )
    assert no_reason.status_code == 400 and "Give the reason" in text_of(no_reason)
    excused = post_form(
        client,
        sheet,
        {
            f"status-{leader.id}": "present",
            f"status-{core.id}": "excused",
            f"note-{core.id}": "Chemotherapy ward on call",
        },
        token_from=sheet,
    )
    assert excused.status_code == 303
    row = session.query(Attendance).filter_by(user_id=core.id).one()
    assert (row.status, row.note, row.recorded_by_id) == ("excused", "Chemotherapy ward on call", admin.id)
    audit = session.query(AuditEvent).filter_by(action="attendance.excused").one()
    assert audit.summary == "ls1: Chemotherapy ward on call" and audit.actor_id == admin.id


def test_outsiders_cannot_see_or_write_the_sheet(client, session, program, admin):
    cohort, team, ls1 = _setup(client, session, program, admin)
    sheet = f"/cohorts/{cohort.id}/attendance/{ls1.id}"
    other_faculty = make_user(session, "other-f@test.example.org", roles=["faculty"])
    add_staff(session, make_cohort(session), other_faculty, "faculty")
    sign_in(client, other_faculty.email)
    assert client.get(sheet).status_code == 404
    forged = post_form(client, sheet, {f"status-{team.people['leader'].id}": "present"}, token_from="/home")
    assert forged.status_code == 404
    sign_in(client, team.people["leader"].email)
    assert client.get(sheet).status_code == 403
    call = next(e for e in cohort.events if e.kind == "coaching_call")
    sign_in(client, admin.email)
    assert client.get(f"/cohorts/{cohort.id}/attendance/{call.id}").status_code == 404  # learning sessions only
    assert session.query(Attendance).count() == 0


def test_a_user_outside_the_cohort_cannot_be_marked(client, session, program, admin):
    cohort, team, ls1 = _setup(client, session, program, admin)
    stranger = make_user(session, "stranger@test.example.org", roles=["participant"])
    sheet = f"/cohorts/{cohort.id}/attendance/{ls1.id}"
    response = post_form(client, sheet, {f"status-{stranger.id}": "present"}, token_from=sheet)
    assert response.status_code == 303  # fields the form does not declare are ignored
    assert session.query(Attendance).count() == 0


def test_faculty_reach_every_attendance_sheet_from_their_navigation(client, session, program, admin):
    cohort, team, ls1 = _setup(client, session, program, admin)
    sessions = sorted((e for e in cohort.events if e.is_learning_session), key=lambda e: e.starts_on)
    sign_in(client, team.people["faculty"].email)
    home = text_of(client.get("/home"))
    assert 'href="/home/cohorts"' in home  # "Your cohorts" in the navigation
    cohorts_page = text_of(client.get("/home/cohorts"))
    for event in sessions:  # home stays lean: the sheets are one click away, on "Your cohorts"
        assert f'href="/cohorts/{cohort.id}/attendance/{event.id}"' in cohorts_page
    for page in (home, cohorts_page):
        assert f'href="/cohorts/{cohort.id}/dashboard"' in page
        assert f'href="/review/?cohort={cohort.id}"' in page
    members = text_of(client.get(f"/cohorts/{cohort.id}/dashboard/members"))
    assert f'href="/cohorts/{cohort.id}/attendance/{ls1.id}"' in members

    sign_in(client, team.people["leader"].email)
    assert client.get("/home/cohorts").status_code == 403
    assert 'href="/home/cohorts"' not in text_of(client.get("/home"))
