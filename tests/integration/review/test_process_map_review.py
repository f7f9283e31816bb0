"""The reviewer sees the submitted process map drawn as swimlane maps next to the rubric."""

from __future__ import annotations

from qtp.worksheets.models import Worksheet, WorksheetRevision
from tests.helpers import login, text_of
from tests.integration.worksheets import conftest as worksheet_fixtures

real_courses = worksheet_fixtures.real_courses
real_worksheet_types = worksheet_fixtures.real_worksheet_types
real_team = worksheet_fixtures.real_team

DATA = {
    "process-name": "Symptom call",
    "current-state": [
        {"actor": "Patient", "action": "Calls the clinic", "kind": "step"},
        {"actor": "Nurse", "action": "Urgent?", "kind": "decision", "yes-branch": "Calls back now", "no-branch": ""},
        {"actor": "Nurse", "action": "Calls back now", "kind": "step", "notes": "Often late"},
    ],
}


def test_the_review_page_draws_the_submitted_map(app, session, real_team):
    faculty = real_team.people["faculty"]
    worksheet = Worksheet(
        team_id=real_team.id, type_id=real_team.types["process-map"].id, record_no=1, data=DATA, status="submitted"
    )
    worksheet.revisions.append(
        WorksheetRevision(number=1, data=DATA, reason="submit", author_id=faculty.id, content_version="x")
    )
    session.add(worksheet)
    session.commit()
    client = app.test_client()
    login(client, faculty.email)
    html = text_of(client.get(f"/review/{worksheet.id}"))
    assert html.count('class="qtp-diagram process-map"') == 2  # the current state, wide and narrow
    assert ">Patient<" in html and ">Nurse<" in html and ">Yes<" in html and ">Note 1<" in html
    assert "Often late" in html
