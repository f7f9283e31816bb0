"""Running a cohort and following it: an admin creates a cohort, places a learning session, creates a team and
invites its leader, records attendance; the demo faculty reads the dashboards in Portuguese and downloads one
as CSV; a leader proposes the IHI score and the coach confirms it (axe-core runs on every page)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

PT = "pt_BR"


def test_an_admin_sets_up_a_cohort_with_a_team_and_records_attendance(
    tab: BrowserTab, catalogs: Catalogs, live_server: LiveServer
) -> None:
    from qtp.accounts.models import Organization

    with live_server.db() as session:
        session.add(
            Organization(name="Hospital Universitário de Coimbra", kind="practice", country="PT", city="Coimbra")
        )
    page = tab.page
    tab.sign_in("admin@example.org", shot="cohorts-admin-home")
    tab.click(page.locator("nav.main-nav").get_by_role("link", name="Cohorts", exact=True), "cohorts-index")
    tab.click(page.get_by_role("link", name="New cohort"), "cohorts-new")
    page.get_by_label("Program").select_option(label="QTP Six-Month Program")
    page.get_by_label("Name", exact=True).fill("Coimbra 2027")
    page.get_by_label("Short name").fill("coimbra-2027")
    page.get_by_label("Language of the cohort").select_option("pt_BR")
    page.get_by_label("First day").fill("2027-01-11")
    page.get_by_label("Last day").fill("2027-09-30")
    tab.click(page.get_by_role("button", name="Create the cohort"), "cohorts-created")
    assert catalogs.text("en", "Cohort created with the program's calendar. Check the dates below.") in tab.text("main")

    # learning session 1 gets its place
    row = page.locator("#calendar tbody tr", has_text="Learning session 1")
    row.locator("input[name$='-place']").fill("Auditório do Hospital Universitário de Coimbra")
    tab.click(page.get_by_role("button", name="Save the calendar"), "cohorts-calendar-saved")
    assert (
        page.locator("#calendar tbody tr", has_text="Learning session 1")
        .locator("input[name$='-place']")
        .input_value()
        .startswith("Auditório")
    )

    tab.click(page.get_by_role("link", name="New team"), "cohorts-new-team")
    page.get_by_label("Practice").select_option(label="Hospital Universitário de Coimbra, Coimbra")
    page.get_by_label("Project title").fill("Consulta de enfermagem antes da quimioterapia oral")
    page.get_by_label("Improvement coach").select_option(index=1)
    tab.click(page.get_by_role("button", name="Create the team"), "cohorts-team")
    page.get_by_label("Full name").fill("Dra. Beatriz Couto")
    page.get_by_label("E-mail address").fill("beatriz.couto@example.org")
    page.get_by_label("Role in the team").select_option("leader")
    page.get_by_label("Language of the invitation").select_option("pt_BR")
    tab.click(page.get_by_role("button", name="Add to the team"), "cohorts-team-invited")
    assert "beatriz.couto@example.org" in tab.text("#invitations")
    link = live_server.link_in_mail("beatriz.couto@example.org", "invitation")

    # the leader accepts and is on the team; the admin marks her present at learning session 1
    newcomer: BrowserTab = tab  # same tab: sign out first
    tab.sign_out("cohorts-signed-out")
    newcomer.goto(link.replace(live_server.url, ""), "cohorts-accept-invitation")
    page.locator("#name").fill("Dra. Beatriz Couto")
    page.locator("#password").fill("estrela-mondego-coimbra-27")
    page.locator("#confirm").fill("estrela-mondego-coimbra-27")
    newcomer.click(page.locator("main form button[type=submit]"), "cohorts-accepted")
    newcomer.sign_out("cohorts-signed-out-again")
    tab.sign_in("admin@example.org", shot="cohorts-admin-again")
    from qtp.cohorts.models import Cohort

    with live_server.db() as session:
        cohort = session.scalar(select(Cohort).where(Cohort.slug == "coimbra-2027"))
        cohort_id, ls1 = cohort.id, next(e.id for e in cohort.events if e.key == "ls1")
    tab.goto(f"/cohorts/{cohort_id}/attendance/{ls1}", "cohorts-attendance")
    row = page.locator("table.attendance tbody tr", has_text="Dra. Beatriz Couto")
    row.get_by_role("radio", name="Excused").check()
    row.locator("input[type=text]").fill("Plantão na oncologia")
    tab.click(page.get_by_role("button", name="Save attendance"), "cohorts-attendance-saved")
    saved = page.locator("table.attendance tbody tr", has_text="Dra. Beatriz Couto")
    assert saved.get_by_role("radio", name="Excused").is_checked()


def test_faculty_follow_the_cohort_on_the_dashboards_in_portuguese(
    open_tab, catalogs: Catalogs, live_server: LiveServer, faculty_language: None
) -> None:
    from qtp.cohorts.models import Cohort, Team

    with live_server.db() as session:
        cohort_id = session.scalar(select(Cohort.id).where(Cohort.slug == "international-2026"))
        team_id = session.scalar(
            select(Team.id).where(Team.cohort_id == cohort_id, Team.project_title.startswith("Answering symptom"))
        )

    leader: BrowserTab = open_tab()
    leader.sign_in("leader@example.org", shot="dash-leader-home")
    assert catalogs.text("en", "Go to your program: modules and progress") in leader.text("main")
    leader.goto(f"/teams/{team_id}/progress", "dash-team-progress")
    leader.page.get_by_label("Where does your project stand?").select_option("2.0")
    leader.click(leader.page.get_by_role("button", name="Propose this score"), "dash-score-proposed")

    faculty: BrowserTab = open_tab()
    page = faculty.page
    faculty.sign_in("faculty@example.org", shot="dash-faculty-home")
    page.select_option("#language-select", label="Português (Brasil)")
    faculty.click(page.locator("form.language-switcher button[type=submit]"), "dash-faculty-home-pt")
    faculty.goto(f"/cohorts/{cohort_id}/dashboard", "dash-teams-pt")
    assert faculty.text("main h1") == catalogs.text(PT, "Dashboard: teams and worksheets")
    faculty.click(page.get_by_role("link", name=catalogs.text(PT, "Late"), exact=True), "dash-teams-sorted-pt")
    assert page.locator("th[aria-sort]").count() == 1
    faculty.click(
        page.get_by_role("link", name=catalogs.text(PT, "Members, modules and attendance")), "dash-members-pt"
    )
    assert page.locator("table.grid tbody tr").count() >= 4
    faculty.click(page.get_by_role("link", name=catalogs.text(PT, "Self-assessment gains")), "dash-self-pt")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=catalogs.text(PT, "Download as CSV")).click()
    content = download_info.value.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and ";" in content.decode("utf-8-sig").splitlines()[0]

    faculty.goto(f"/teams/{team_id}/progress", "dash-team-progress-coach-pt")
    page.get_by_label(catalogs.text(PT, "Score to confirm")).select_option("2.0")
    faculty.click(page.get_by_role("button", name=catalogs.text(PT, "Confirm the score")), "dash-score-confirmed-pt")
    assert catalogs.text(PT, "Activity, but no changes") in faculty.text("#score")
