"""The demo faculty account has a submission waiting; the demo team sees feedback on its fishbone."""

from qtp.accounts.models import Organization
from qtp.cohorts.models import Cohort, Team
from qtp.demo.loader import load_demo
from qtp.review.models import Review
from qtp.worksheets.models import Worksheet
from tests.helpers import login, text_of
from tests.integration.worksheets import conftest as worksheet_fixtures

real_courses = worksheet_fixtures.real_courses
real_worksheet_types = worksheet_fixtures.real_worksheet_types


def sao_paulo_team(session):
    return (
        session.query(Team)
        .join(Organization)
        .join(Cohort)
        .filter(Organization.name == "Instituto Paulista de Oncologia Clínica", Cohort.slug == "international-2026")
        .one()
    )


def test_demo_review_queue_and_feedback(app, session, real_worksheet_types):
    load_demo(session, "development")
    session.commit()
    team = sao_paulo_team(session)
    ours = session.query(Worksheet).filter_by(team_id=team.id)
    aim = ours.filter_by(type_id=real_worksheet_types["aim"].id).one()
    fishbone = ours.filter_by(type_id=real_worksheet_types["fishbone"].id).one()
    assert (aim.status, fishbone.status) == ("submitted", "approved")
    decisions = session.query(Review.decision).join(Worksheet).filter(Worksheet.team_id == team.id)
    assert sorted(decision for (decision,) in decisions) == ["approve", "return", "return"]
    charter = ours.filter_by(type_id=real_worksheet_types["charter"].id).one()
    assert charter.status == "returned"
    # the other teams' work is reviewed: the São Paulo aim is the only submission in the queue
    assert [w.id for w in session.query(Worksheet).filter_by(status="submitted")] == [aim.id]
    assert load_demo(session, "development") == 0

    client = app.test_client()
    login(client, "faculty@example.org", "qtp-demo-2026")
    assert f"/review/{aim.id}" in text_of(client.get("/review/"))
    assert client.get(f"/review/{aim.id}").status_code == 200

    member = app.test_client()
    login(member, "member@example.org", "qtp-demo-2026")
    page = text_of(member.get(f"/teams/{fishbone.team_id}/worksheets/fishbone/1"))
    assert "Well done." in page and "Feedback from your reviewer" in page
    history = text_of(member.get(f"/teams/{fishbone.team_id}/worksheets/fishbone/1/history"))
    assert "Add the measure and the period" in history and history.count("Returned for revision") >= 1


def test_the_demo_history_runs_forward_in_time(app, session, real_worksheet_types):
    """Saved before submitted, submitted before reviewed, nothing in the future; some survey answers to see."""
    from datetime import timedelta

    from qtp.core.db import utcnow
    from qtp.interest.models import InterestResponse

    load_demo(session, "development")
    session.commit()
    now = utcnow().replace(tzinfo=None)

    def naive(moment):
        return moment.replace(tzinfo=None)

    for worksheet in session.query(Worksheet):
        times = [naive(r.created_at) for r in sorted(worksheet.revisions, key=lambda r: r.number)]
        assert times == sorted(times), f"{worksheet.type.slug} {worksheet.record_no}: revisions out of order"
        assert naive(worksheet.created_at) <= times[0] + timedelta(seconds=1)
        assert all(t <= now for t in times)
    for review in session.query(Review):
        assert naive(review.created_at) >= naive(review.revision.created_at)
    answers = session.query(InterestResponse).all()
    assert len(answers) >= 5 and len({a.country for a in answers}) >= 4
    assert all(naive(a.created_at) <= now for a in answers)
