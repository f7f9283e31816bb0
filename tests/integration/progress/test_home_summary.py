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
    assert "What's next" in page
    assert "Project charter" in page and "overdue since" in page  # returned, due in September 2026
    assert "Feedback to act on" in page and "operational definition" in page
    assert "Modules to study" in page
    assert "Your team's worksheets" in page and "Submitted for review" in page and "Approved" in page

    spanish = app.test_client()
    login(spanish, "other@example.org", "qtp-demo-2026")  # the one-day workshop: nothing to submit
    page = text_of(spanish.get("/home"))
    assert "Nada pendiente" in page or "Nothing due" in page
