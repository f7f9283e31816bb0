"""Admins add a learning session or coaching call of their own to a cohort's calendar and remove events that
nobody's attendance was recorded for; participants see the change in their program and calendar file."""

from datetime import date

from qtp.cohorts.models import Attendance, Cohort, CohortEvent
from qtp.core.audit import AuditEvent
from tests.helpers import post_form, text_of
from tests.integration.cohorts.conftest import create_cohort, sign_in, team_with_people

EXTRA = {
    "kind": "coaching_call",
    "title": "Extra coaching call: run charts",
    "starts_on": "2027-02-03",
    "ends_on": "2027-02-03",
    "mode": "virtual",
    "place": "https://meet.example.org/qtp",
}


def _events(session, cohort_id: int) -> list[CohortEvent]:
    session.expire_all()
    return list(session.get(Cohort, cohort_id).events)


def test_an_added_call_is_in_the_calendar_and_in_the_participants_program(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program, status="active")
    before = len(cohort.events)
    page = f"/admin/cohorts/{cohort.id}"
    added = post_form(client, f"{page}/events", EXTRA, token_from=page)
    assert added.status_code == 303 and added.headers["Location"].endswith("#calendar")
    events = _events(session, cohort.id)
    assert len(events) == before + 1
    extra = next(e for e in events if e.key == "added-1")
    assert (extra.title, extra.starts_on, extra.kind, extra.place) == (
        "Extra coaching call: run charts", date(2027, 2, 3), "coaching_call", "https://meet.example.org/qtp"
    )
    assert "Extra coaching call: run charts is in the calendar." in text_of(client.get(page))
    assert session.query(AuditEvent).filter_by(action="cohort.event_added").count() == 1

    second = post_form(client, f"{page}/events", {**EXTRA, "title": "Make-up session", "kind": "learning_session"},
                       token_from=page)
    assert second.status_code == 303
    assert {e.key for e in _events(session, cohort.id)} >= {"added-1", "added-2"}

    team = team_with_people(session)
    team.cohort_id = cohort.id
    session.commit()
    sign_in(client, team.people["leader"].email)
    program_page = text_of(client.get(f"/learning/{cohort.id}"))
    assert "Extra coaching call: run charts" in program_page and "Make-up session" in program_page
    ics = text_of(client.get(f"/learning/{cohort.id}/calendar.ics"))
    assert "Extra coaching call: run charts" in ics and "DTSTART;VALUE=DATE:20270203" in ics


def test_bad_events_are_refused_with_a_message_and_nothing_added(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program, status="active")  # 2027-01-04 to 2027-06-30
    before = len(cohort.events)
    page = f"/admin/cohorts/{cohort.id}"
    cases = [
        ({"title": "   "}, "Please give the event a title."),
        ({"ends_on": "2027-02-01"}, "must end on or after the day it starts"),
        ({"starts_on": "2026-12-01", "ends_on": "2026-12-01"}, "The cohort runs from January 4, 2027 to June 30, 2027"),
        ({"kind": "party"}, "Not a valid choice"),
        ({"mode": "hologram"}, "Not a valid choice"),
        ({"starts_on": "3 Feb"}, "Not a valid date value"),
        ({"title": "x" * 201}, "Field cannot be longer than 200 characters"),
    ]
    for fields, message in cases:
        response = post_form(client, f"{page}/events", {**EXTRA, **fields}, token_from=page)
        assert response.status_code == 400, fields
        assert message in text_of(response), (fields, message)
        assert 'open' in text_of(response).split('class="add-event"', 1)[1][:20], "the form stays open"
    assert len(_events(session, cohort.id)) == before


def test_removing_an_event_and_keeping_one_with_recorded_attendance(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program, status="active")
    page = f"/admin/cohorts/{cohort.id}"
    call = next(e for e in cohort.events if e.key == "call-1")
    removed = post_form(client, f"{page}/events/{call.id}/remove", token_from=page)
    assert removed.status_code == 303
    assert "call-1" not in {e.key for e in _events(session, cohort.id)}
    assert "Coaching call 1 was removed from the calendar." in text_of(client.get(page))
    assert session.query(AuditEvent).filter_by(action="cohort.event_removed").one().details["key"] == "call-1"

    team = team_with_people(session)
    team.cohort_id = cohort.id
    ls1 = next(e for e in _events(session, cohort.id) if e.key == "ls1")
    session.add(Attendance(event_id=ls1.id, user_id=team.people["leader"].id, status="present"))
    session.commit()
    kept = post_form(client, f"{page}/events/{ls1.id}/remove", token_from=page)
    assert kept.status_code == 303
    assert "ls1" in {e.key for e in _events(session, cohort.id)}
    assert "Attendance was recorded for Learning session 1" in text_of(client.get(page))
    assert session.query(Attendance).count() == 1


def test_only_admins_change_the_calendar_and_only_of_the_cohort_named(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program, status="active")
    other = create_cohort(client, session, program, slug="porto-2027")
    page = f"/admin/cohorts/{cohort.id}"
    call = next(e for e in cohort.events if e.key == "call-1")
    wrong_cohort = post_form(client, f"/admin/cohorts/{other.id}/events/{call.id}/remove", token_from=page)
    assert wrong_cohort.status_code == 404
    no_token = client.post(f"{page}/events/{call.id}/remove")
    assert no_token.status_code == 400
    team = team_with_people(session)
    for person in ("leader", "faculty"):
        sign_in(client, team.people[person].email)
        assert post_form(client, f"{page}/events", EXTRA).status_code in (403, 404)
        assert post_form(client, f"{page}/events/{call.id}/remove").status_code in (403, 404)
    assert len(_events(session, cohort.id)) == len(_events(session, other.id))
