"""Admins create a cohort with the program's calendar, move its dates, and assign its faculty and coaches."""

from datetime import date

from qtp.cohorts.models import Cohort, StaffAssignment
from qtp.core.audit import AuditEvent
from tests.factories import add_member, make_team, make_user
from tests.helpers import post_form, text_of
from tests.integration.cohorts.conftest import create_cohort, sign_in


def test_a_new_cohort_gets_the_programs_calendar(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program)
    events = [(e.key, e.kind, e.starts_on, e.ends_on, e.mode) for e in cohort.events]
    assert events[0] == ("ls1", "learning_session", date(2027, 1, 14), date(2027, 1, 15), "in_person")
    assert events[1] == ("call-1", "coaching_call", date(2027, 1, 24), date(2027, 1, 24), "virtual")
    assert len([e for e in events if e[1] == "coaching_call"]) == 3  # days 20, 50, 80
    assert {d.worksheet_type: d.due_on for d in cohort.due_dates} == {
        "aim": date(2027, 2, 13),
        "charter": date(2027, 2, 23),
    }
    assert session.query(AuditEvent).filter_by(action="cohort.created").count() == 1
    page = text_of(client.get(f"/admin/cohorts/{cohort.id}"))
    assert "Learning session 1" in page and "Record attendance" in page


def test_bad_cohort_input_is_refused_with_a_message_and_nothing_created(client, session, program, admin):
    sign_in(client, admin.email)
    create_cohort(client, session, program)
    token = "/admin/cohorts/new"
    base = {"program_id": str(program.id), "name": "X", "locale": "es", "status": "planned"}
    cases = [
        ({"slug": "lisbon-2027", "starts_on": "2027-01-01", "ends_on": "2027-02-01"}, "already uses this short name"),
        ({"slug": "ok-2028", "starts_on": "2027-03-01", "ends_on": "2027-02-01"}, "must end after it starts"),
        ({"slug": "Bad Slug!", "starts_on": "2027-01-01", "ends_on": "2027-02-01"}, "lowercase letters"),
        ({"slug": "ok-2029", "starts_on": "2027-01-01", "ends_on": "2027-02-01", "locale": "fr"}, "Not a valid choice"),
    ]
    for fields, message in cases:
        response = post_form(client, "/admin/cohorts/new", {**base, **fields}, token_from=token)
        assert response.status_code == 400 and message in text_of(response), fields
    assert session.query(Cohort).count() == 1


def test_moving_the_calendar_shows_in_the_participants_program(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program, status="active")
    ls1 = next(e for e in cohort.events if e.key == "ls1")
    data = {f"phase-{pid}": value for pid, value in (("first", "2027-01-04"), ("second", "2027-02-10"))}
    for event in cohort.events:
        data |= {
            f"event-{event.id}-starts_on": event.starts_on.isoformat(),
            f"event-{event.id}-ends_on": event.ends_on.isoformat(),
            f"event-{event.id}-mode": event.mode,
            f"event-{event.id}-place": "",
        }
    data |= {f"event-{ls1.id}-starts_on": "2027-01-20", f"event-{ls1.id}-ends_on": "2027-01-21"}
    data |= {
        f"event-{ls1.id}-place": "Hospital de Santa Maria, auditório 2",
        "due-aim": "2027-03-01",
        "due-charter": "2027-03-01",
    }
    page = f"/admin/cohorts/{cohort.id}"
    response = post_form(client, f"{page}/schedule", data, token_from=page)
    assert response.status_code == 303
    session.expire_all()
    cohort = session.get(Cohort, cohort.id)
    assert cohort.phase_starts == {"first": "2027-01-04", "second": "2027-02-10"}
    ls1 = next(e for e in cohort.events if e.key == "ls1")
    assert (ls1.starts_on, ls1.place) == (date(2027, 1, 20), "Hospital de Santa Maria, auditório 2")
    event = session.query(AuditEvent).filter_by(action="cohort.schedule_changed").one()
    assert event.details["ls1"]["starts_on"] == {"from": "2027-01-14", "to": "2027-01-20"}

    bad = {**data, "phase-second": "2027-01-01", f"event-{ls1.id}-place": "Elsewhere"}
    refused = post_form(client, f"{page}/schedule", bad, token_from=page)
    assert refused.status_code == 400 and "Each phase must start after the previous one." in text_of(refused)
    backwards = {**data, f"event-{ls1.id}-ends_on": "2027-01-10"}
    assert post_form(client, f"{page}/schedule", backwards, token_from=page).status_code == 400
    session.expire_all()
    assert next(e for e in session.get(Cohort, cohort.id).events if e.key == "ls1").place.startswith("Hospital")

    member = make_user(session, "p@test.example.org", roles=["participant"])
    add_member(session, make_team(session, cohort), member, "core")
    sign_in(client, member.email)
    overview = text_of(client.get(f"/learning/{cohort.id}"))
    assert "Hospital de Santa Maria, auditório 2" in overview


def test_staff_need_the_role_they_are_assigned(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program)
    faculty = make_user(session, "f@test.example.org", name="Dr Faculty", roles=["faculty"])
    participant = make_user(session, "p@test.example.org", roles=["participant"])
    page = f"/admin/cohorts/{cohort.id}"
    refused = post_form(client, f"{page}/staff", {"user_id": str(participant.id), "role": "faculty"}, token_from=page)
    assert refused.status_code == 400
    assert (
        post_form(client, f"{page}/staff", {"user_id": str(faculty.id), "role": "coach"}, token_from=page).status_code
        == 400
    )
    added = post_form(client, f"{page}/staff", {"user_id": str(faculty.id), "role": "faculty"}, token_from=page)
    assert added.status_code == 303
    twice = post_form(client, f"{page}/staff", {"user_id": str(faculty.id), "role": "faculty"}, token_from=page)
    assert twice.status_code == 400 and "already has this role" in text_of(twice)
    assignment = session.query(StaffAssignment).one()
    removed = post_form(client, f"{page}/staff/{assignment.id}/remove", token_from=page)
    assert removed.status_code == 303 and session.query(StaffAssignment).count() == 0
    assert session.query(AuditEvent).filter_by(action="cohort.staff_removed").count() == 1


def test_only_admins_run_cohorts_and_extra_fields_change_nothing(client, session, program, admin):
    faculty = make_user(session, "f@test.example.org", roles=["faculty"])
    sign_in(client, faculty.email)
    assert client.get("/admin/cohorts").status_code == 403
    forged = post_form(
        client, "/admin/cohorts/new", {"program_id": str(program.id), "name": "X", "slug": "x"}, token_from="/home"
    )
    assert forged.status_code == 403 and session.query(Cohort).count() == 0
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program)
    page = f"/admin/cohorts/{cohort.id}"
    fields = {"name": "Renamed", "locale": "es", "starts_on": "2027-01-04", "ends_on": "2027-06-30", "status": "active"}
    response = post_form(client, page, {**fields, "slug": "hijacked", "program_id": "999", "id": "7"}, token_from=page)
    assert response.status_code == 303
    session.expire_all()
    cohort = session.get(Cohort, cohort.id)
    assert (cohort.name, cohort.slug, cohort.program_id, cohort.status) == (
        "Renamed",
        "lisbon-2027",
        program.id,
        "active",
    )
