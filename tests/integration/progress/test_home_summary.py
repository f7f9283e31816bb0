"""The participant's home page says what to do next: due worksheets (overdue flagged), the next session,
modules to study and feedback to act on; and where each of the team's worksheets stands."""

from pathlib import Path

from qtp.catalog.sync import sync_content
from qtp.demo.loader import load_demo
from tests.helpers import login, text_of


def test_the_demo_leaders_home_lists_what_to_do_next(app, session):
    sync_content(session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
    load_demo(session, "development")
    session.commit()
    client = app.test_client()
    login(client, "leader@example.org", "qtp-demo-2026")
    page = text_of(client.get("/home"))
    assert page.count('class="card team-home"') == 2  # one block per team: six-month project, one-day workshop
    assert "Project charter" in page and "overdue since" in page  # returned, due in September 2026
    assert "send it for review" in page  # the leader is the one who acts
    assert "Feedback to act on" in page and "operational definition" in page
    assert "Modules to study" in page
    assert "Your team's worksheets" in page and "Submitted for review" in page and "Approved" in page

    member = app.test_client()
    login(member, "member@example.org", "qtp-demo-2026")
    page = text_of(member.get("/home"))
    # a member is not told "overdue" for what only the leader can do: the page says who sends it
    assert "overdue since" not in page and "the team's due date was" in page
    assert "Ana Beatriz Ribeiro, the team leader, sends the worksheets for review" in page

    spanish = app.test_client()
    login(spanish, "other@example.org", "qtp-demo-2026")  # the one-day workshop: nothing to submit
    page = text_of(spanish.get("/home"))
    assert "Nada pendiente" in page or "Nothing due" in page


def test_the_home_page_says_which_completion_conditions_are_met(app, session, sql_statements):
    from qtp.cohorts.models import Attendance, Cohort, CohortEvent

    sync_content(session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
    load_demo(session, "development")
    session.commit()
    client = app.test_client()
    login(client, "leader@example.org", "qtp-demo-2026")
    session.expunge_all()
    sql_statements.clear()
    page = text_of(client.get("/home"))
    assert len(sql_statements) <= 12
    assert "Your certificate" in page and "You receive the certificate when every condition below is met." in page
    assert "Present at every learning session" in page and "1 of 3" in page  # LS1 attended, LS2 and LS3 to come
    assert "Every required worksheet approved, the storyboard included" in page

    other = app.test_client()
    login(other, "other@example.org", "qtp-demo-2026")  # the one-day workshop: present, modules to finish
    workshop = (
        session.query(CohortEvent).join(Cohort).filter(CohortEvent.key == "workshop", Cohort.slug == "guadalajara-2026")
    ).one()
    assert session.query(Attendance).filter_by(event_id=workshop.id).count() == 1
    page = text_of(other.get("/home"))
    conditions = page.count('<li class="met">') + page.count('<li class="unmet">')
    assert conditions == 2  # modules and the workshop day: no worksheet in the one-day rule
    assert page.count('<li class="met">') == 1  # present at the workshop (attendance in the demo)
