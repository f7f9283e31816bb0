"""The demo's international cohort tells a story on its dashboards: the four teams stand at different points of
the program, with a few late cells among approved work, and the history of their worksheets runs forward."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from qtp.catalog.sync import sync_content
from qtp.cohorts.models import Cohort
from qtp.core.db import utcnow
from qtp.demo.cohort_progress import TEAM_WORK
from qtp.demo.loader import load_demo
from qtp.progress.dashboards import teams_dashboard
from qtp.review.models import Review
from qtp.worksheets.models import Worksheet
from tests.helpers import login

DEMO_DAY = date(2026, 12, 7)
OTHER_TEAMS = (
    "Hospital General Universitario del Turia",
    "Lakeshore Community Oncology",
    "Athens Metropolitan Cancer Centre",
)


@pytest.fixture
def demo(app, session):
    sync_content(session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
    load_demo(session, "development")
    session.commit()
    return session.query(Cohort).filter_by(slug="international-2026").one()


def test_the_other_teams_have_approved_and_late_cells_each_their_own(session, demo):
    _columns, rows = teams_dashboard(session, demo, "en", DEMO_DAY)
    by_practice = {row.organization: row for row in rows}
    statuses = {}
    for practice in OTHER_TEAMS:
        row = by_practice[practice]
        assert row.approved >= 2 and 1 <= row.late <= 6, (practice, row.approved, row.late)
        statuses[practice] = {key: (cell.status, cell.is_late) for key, cell in row.cells.items()}
    turia, lakeshore, athens = (statuses[p] for p in OTHER_TEAMS)
    assert [key for key, (status, _) in turia.items() if status == "approved"] == [
        "charter", "aim", "roster", "process-map", "fishbone", "pareto", "measures"
    ]
    assert turia["driver-diagram"] == ("draft", True) and turia["pdsa"] == ("draft", False)
    assert lakeshore["process-map"] == lakeshore["fishbone"] == ("approved", False)  # sent back in time, on the day
    assert lakeshore["pareto"] == ("draft", True) and lakeshore["measures"] == (None, True)
    assert athens["charter"] == athens["aim"] == ("approved", False) and athens["roster"] == ("returned", True)
    assert {athens[key] for key in ("process-map", "fishbone", "pareto", "measures")} == {("draft", True)}
    assert by_practice["Hospital General Universitario del Turia"].late < by_practice[OTHER_TEAMS[2]].late
    # nothing of theirs waits in the faculty's review queue
    others = {row.id for row in rows if row.organization in OTHER_TEAMS}
    assert not session.query(Worksheet).filter(Worksheet.team_id.in_(others), Worksheet.status == "submitted").count()


def test_the_teams_dashboard_shows_the_other_teams_approved_and_late(app, demo):
    client = app.test_client()
    login(client, "faculty@example.org", "qtp-demo-2026")
    page = client.get(f"/cohorts/{demo.id}/dashboard/teams", follow_redirects=True).get_data(as_text=True)
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    for practice in OTHER_TEAMS:
        row = next(r for r in rows if practice in r)
        cells = re.findall(r'<td class="ws( late)?">(.*?)</td>', row)
        assert any('class="badge status-approved">Approved<' in body for _late, body in cells), practice
        late = [body for is_late, body in cells if is_late]
        assert late and all('class="late-flag">Late<' in body for body in late), practice
        assert len(late) < len(cells)  # the late cells are a few, not the whole row


def test_no_demo_revision_is_dated_after_a_later_one_or_in_the_future(session, demo):
    now = utcnow().replace(tzinfo=None)

    def naive(moment):
        return moment.replace(tzinfo=None)

    worksheets = session.query(Worksheet).all()
    assert len(worksheets) >= 30
    for worksheet in worksheets:
        label = f"team {worksheet.team_id}, {worksheet.type.slug} {worksheet.record_no}"
        revisions = sorted(worksheet.revisions, key=lambda r: r.number)
        times = [naive(r.created_at) for r in revisions]
        assert times == sorted(times) and times[-1] <= now, label
        assert naive(worksheet.created_at) <= times[0] + timedelta(seconds=1) and naive(worksheet.updated_at) <= now
        assert naive(worksheet.updated_at) >= times[-1] - timedelta(seconds=1), label
        if worksheet.submitted_at is not None:
            sent = [naive(r.created_at) for r in revisions if r.reason == "submit"]
            assert naive(worksheet.submitted_at) == sent[-1], label
    for review in session.query(Review):
        revisions = review.worksheet.revisions
        reviewed, decided = review.revision, naive(review.created_at)
        assert naive(reviewed.created_at) < decided <= now
        later = [naive(r.created_at) for r in revisions if r.number > reviewed.number]
        assert all(decided < moment for moment in later), f"review {review.id} after the next submission"
        assert review.reviewer.email == "faculty@example.org" and review.scores and review.comment


def test_submitted_and_approved_demo_worksheets_have_their_required_fields(session, demo):
    from qtp.worksheets import data as worksheet_data

    practices = {work.organization for work in TEAM_WORK}
    checked = 0
    for worksheet in session.query(Worksheet).filter(Worksheet.status.in_(("submitted", "approved", "returned"))):
        if worksheet.team.organization.name in practices and worksheet.team.cohort_id == demo.id:
            missing = worksheet_data.missing_required(worksheet.type.definition, worksheet.data)
            assert not missing, (worksheet.team.organization.name, worksheet.type.slug, missing)
            checked += 1
    assert checked >= 15


def test_the_demo_has_a_coach_and_a_faculty_member_of_one_cohort_each(app, session, demo):
    from qtp.cohorts.models import Team

    cohorts = {c.slug: c for c in session.query(Cohort)}
    teams = session.query(Team).all()
    scopes = (("coach@example.org", "international-2026"), ("workshop.faculty@example.org", "guadalajara-2026"))
    for email, own in scopes:
        client = app.test_client()
        login(client, email, "qtp-demo-2026")
        for slug, cohort in cohorts.items():
            expected = 200 if slug == own else 404
            assert client.get(f"/cohorts/{cohort.id}/dashboard").status_code == expected, (email, slug)
        for team in teams:
            expected = 200 if team.cohort.slug == own else 404
            assert client.get(f"/teams/{team.id}/workspace").status_code == expected, (email, team.project_title)
