"""Faculty review in Spanish: the demo faculty account returns a submission with comments, the leader revises
and resubmits, the faculty approves (axe-core runs on every page, with and without JavaScript)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

ES = "es"
FACULTY = "faculty@example.org"
LEADER = "lider.revision@example.org"
PROJECT = "Consentimiento informado por escrito para quimioterapia oral"
COHORT = "Cohorte Jalisco 2026–2027"


@pytest.fixture
def team_id(live_server: LiveServer) -> int:
    """A team of our own, led by a Spanish-speaking leader and coached by the demo faculty member, in a cohort
    of its own (so that the demo cohorts other journeys count stay as they are)."""
    from datetime import date

    from qtp.accounts.models import Organization, User
    from qtp.catalog.models import Program
    from qtp.cohorts.models import Cohort, Membership, Team

    organization = "Centro Estatal de Cancerología de Jalisco"
    with live_server.db() as session:
        session.add(Organization(name=organization, kind="practice", country="MX", city="Guadalajara"))
    live_server.create_user(LEADER, "Dra. Carmen Ibarra", ["participant"], organization, locale=ES)
    with live_server.db() as session:
        program = session.scalar(select(Program).where(Program.slug == "six-month"))
        cohort = Cohort(
            program=program,
            slug="jalisco-2026",
            name=COHORT,
            locale=ES,
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 5, 31),
        )
        org = session.scalar(select(Organization).where(Organization.name == organization))
        coach = session.scalar(select(User).where(User.email == FACULTY))
        team = Team(cohort=cohort, organization=org, project_title=PROJECT, coach=coach)
        session.add(team)
        session.flush()
        leader = session.scalar(select(User).where(User.email == LEADER))
        session.add(Membership(team=team, user=leader, role="leader"))
        session.flush()
        return team.id


def aim_texts(live_server: LiveServer) -> dict:
    from qtp.catalog.models import WorksheetType

    with live_server.db() as session:
        return session.scalar(select(WorksheetType).where(WorksheetType.slug == "aim")).text(ES)


def leader_submits(leader: BrowserTab, catalogs: Catalogs, aim: dict, statement: str, shot: str) -> None:
    page = leader.page
    page.get_by_label(aim["fields"]["statement"]["label"]).fill(statement)
    leader.click(page.get_by_role("button", name=catalogs.text(ES, "Save"), exact=True), f"{shot}-saved")
    leader.click(page.get_by_role("button", name=catalogs.text(ES, "Submit for review"), exact=True), f"{shot}-sent")
    assert catalogs.text(ES, "Submitted for review") in leader.text("main .worksheet-head")


def score_every_criterion(faculty: BrowserTab, level: int) -> None:
    for criterion in faculty.page.locator("fieldset.rubric-criterion").all():
        criterion.locator(f"input[type=radio][value='{level}']").check()


def test_faculty_returns_a_submission_and_approves_the_revision_in_spanish(
    open_tab, catalogs: Catalogs, live_server: LiveServer, team_id: int, faculty_language: None
) -> None:
    aim = aim_texts(live_server)
    aim_page = f"/teams/{team_id}/worksheets/aim/1"

    leader: BrowserTab = open_tab()
    leader.sign_in(LEADER, shot="review-leader-home-es")
    leader.goto(aim_page, "review-aim-es")
    leader_submits(leader, catalogs, aim, "Aumentar el consentimiento escrito de 0% a 80%.", "review-aim-first")

    # The demo faculty member switches to Spanish and finds the submission in the review queue.
    faculty: BrowserTab = open_tab()
    page = faculty.page
    faculty.sign_in(FACULTY, shot="review-faculty-home-en")
    page.select_option("#language-select", label="Español")
    faculty.click(page.locator("form.language-switcher button[type=submit]"), "review-faculty-home-es")
    faculty.click(page.get_by_role("link", name=catalogs.text(ES, "Review queue"), exact=True), "review-queue-es")
    assert faculty.text("main h1") == catalogs.text(ES, "Review queue")
    page.get_by_label(catalogs.text(ES, "Team")).select_option(label=f"{PROJECT} ({COHORT})")
    faculty.click(page.get_by_role("button", name=catalogs.text(ES, "Filter")), "review-queue-filtered-es")
    assert page.locator("table.queue tbody tr").count() == 1
    faculty.click(page.get_by_role("link", name=aim["title"]), "review-page-es")
    assert catalogs.text(ES, "This is the team's first submission of this worksheet.") in faculty.text("main")

    # Returns it: levels for every criterion, a comment on the statement and an overall comment.
    score_every_criterion(faculty, 2)
    statement_label = aim["fields"]["statement"]["label"]
    page.locator("details.field-comment summary").first.click()
    page.get_by_label(catalogs.text(ES, "Comment on “%(field)s” (optional)", field=statement_label)).fill(
        "Falta la fecha meta y la población: ¿todos los pacientes con quimioterapia oral?"
    )
    overall = "Buen comienzo. Hagan el objetivo medible y con plazo."
    page.get_by_label(catalogs.text(ES, "Overall comment")).fill(overall)
    faculty.click(page.get_by_role("button", name=catalogs.text(ES, "Return for revision")), "review-returned-es")
    assert catalogs.text(
        ES, "Returned for revision. The team has been told by e-mail and can edit the worksheet again."
    ) in faculty.text("main .flashes")
    mail = live_server.mail_to(LEADER)
    assert mail.subject.startswith(catalogs.text(ES, "Returned for revision: %(title)s", title=aim["title"]))

    # The leader sees the feedback next to the field, revises and submits again.
    leader.goto(aim_page, "review-aim-feedback-es")
    assert catalogs.text(ES, "Feedback from your reviewer") in leader.text("main .feedback-box")
    assert "¿todos los pacientes con quimioterapia oral?" in leader.text("main .field-feedback")
    leader_submits(
        leader,
        catalogs,
        aim,
        "Aumentar el consentimiento escrito de 0% a 80% para el 30 de junio de 2027 en todos los pacientes que "
        "inician quimioterapia oral en la clínica.",
        "review-aim-second",
    )

    # The faculty sees what changed since the first submission and approves.
    faculty.goto("/review/", "review-queue-again-es")
    row = page.locator("table.queue tbody tr", has_text=PROJECT)
    faculty.click(row.get_by_role("link", name=aim["title"]), "review-page-second-es")
    assert "30 de junio de 2027" in faculty.text("main table.compare")
    assert catalogs.text(ES, "Returned for revision") in faculty.text("main")  # the earlier decision is listed
    score_every_criterion(faculty, 4)
    faculty.click(page.get_by_role("button", name=catalogs.text(ES, "Approve"), exact=True), "review-approved-es")

    leader.goto(aim_page, "review-aim-approved-es")
    assert catalogs.text(ES, "Approved") in leader.text("main .worksheet-head")
    assert leader.page.get_by_role("button", name=catalogs.text(ES, "Save"), exact=True).count() == 0
    from qtp.review.models import Review
    from qtp.worksheets.models import Worksheet

    with live_server.db() as session:
        reviewed = select(Worksheet.id).where(Worksheet.team_id == team_id)
        decisions = session.scalars(select(Review.decision).where(Review.worksheet_id.in_(reviewed))).all()
    assert sorted(decisions) == ["approve", "return"]


def _waiting_submission(live_server: LiveServer) -> int:
    from qtp.worksheets.models import Worksheet

    with live_server.db() as session:
        return session.scalar(select(Worksheet.id).where(Worksheet.status == "submitted").order_by(Worksheet.id))


def test_the_rubric_stays_beside_the_submission_and_answers_the_keyboard(open_tab, live_server: LiveServer) -> None:
    worksheet_id = _waiting_submission(live_server)
    faculty: BrowserTab = open_tab()
    faculty.sign_in(FACULTY)
    page = faculty.goto(f"/review/{worksheet_id}", "review-split-1280").page
    work = page.locator(".review-work").bounding_box()
    panel = page.locator(".review-panel").bounding_box()
    assert panel["x"] >= work["x"] + work["width"], "the rubric is beside the submission, not under it"
    # Wherever the reviewer is in the submission, the decision buttons are in view.
    height = page.viewport_size["height"]
    for where in (".summary-card .value-item >> nth=0", ".summary-card .value-item >> nth=-1"):
        page.locator(where).evaluate("el => el.scrollIntoView({block: 'start'})")
        button = page.locator(".review-panel button[value=approve]").bounding_box()
        assert 0 <= button["y"] and button["y"] + button["height"] <= height, where

    # A level's number chooses it and moves on to the next criterion; Enter moves on without submitting.
    criteria = page.locator("fieldset.rubric-criterion")
    count = criteria.count()
    assert count >= 2
    criteria.nth(0).locator("input[type=radio]").first.focus()
    page.keyboard.press("3")
    assert criteria.nth(0).locator("input[value='3']").is_checked()
    assert criteria.nth(1).locator("input[type=radio]").first.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith(f"/review/{worksheet_id}"), "Enter on a level does not submit the decision"
    assert criteria.nth(2 if count > 2 else 1).locator("input[type=radio]").first.evaluate(
        "el => el === document.activeElement"
    ) or count == 2
    assert page.locator(".rubric-progress").inner_text().startswith("1 of")
    faculty.check("review-keyboard-1280")


def test_the_review_page_fits_a_phone(open_tab, live_server: LiveServer) -> None:
    worksheet_id = _waiting_submission(live_server)
    phone: BrowserTab = open_tab(viewport={"width": 390, "height": 844})
    phone.sign_in(FACULTY)
    for path in (f"/review/{worksheet_id}", "/review/"):
        page = phone.goto(path).page
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.locator(".site-header").bounding_box()["height"] <= 100
    page = phone.goto(f"/review/{worksheet_id}").page
    work = page.locator(".review-work").bounding_box()
    assert page.locator(".review-panel").bounding_box()["y"] >= work["y"] + work["height"]
