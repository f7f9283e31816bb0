"""Each demo account signs in, sees the home page of its roles, and signs out."""

from __future__ import annotations

import pytest

from tests.browser.support import BrowserTab, Catalogs

pytestmark = pytest.mark.browser

SAO_PAULO_PROJECT = "Answering symptom-management calls within 2 hours for patients on chemotherapy"
USERS_LINK = "nav.main-nav a[href='/admin/users']"


def _admin(tab: BrowserTab, catalogs: Catalogs) -> None:
    page = tab.page
    assert tab.html_lang() == "en"
    assert tab.text("#admin-heading") == "Administration"
    nav = page.locator("nav.main-nav")
    for name, href in (
        ("Users", "/admin/users"),
        ("Organizations", "/admin/organizations"),
        ("Audit log", "/admin/audit"),
    ):
        link = nav.get_by_role("link", name=name, exact=True)
        assert link.count() == 1, f"no {name!r} link in the navigation"
        assert link.get_attribute("href") == href
    admin = page.locator("section[aria-labelledby=admin-heading]")
    assert admin.get_by_role("link", name="Invite a user").is_visible()
    assert page.locator("section.team-home").count() == 0


def _faculty(tab: BrowserTab, catalogs: Catalogs) -> None:
    from qtp.demo import data

    staff = tab.page.locator("section[aria-labelledby=staff-heading]")
    assert tab.text("#staff-heading") == "Your cohorts and teams"
    cohort_names = [" ".join(t.split()) for t in staff.locator("article.cohort h3").all_inner_texts()]
    assert cohort_names and set(cohort_names) == {name for _, _, name, *_ in data.COHORTS}
    shown = staff.locator(".team-list strong").all_inner_texts()
    # every demo team (journeys of other tests may have added teams of their own to the demo cohorts)
    assert {title for _, _, title, _, _ in data.TEAMS} <= set(shown)
    assert tab.page.locator("#admin-heading").count() == 0


def _team_member(role_label: str, colleague: str):
    def check(tab: BrowserTab, catalogs: Catalogs) -> None:
        assert tab.html_lang() == "en"
        teams = tab.page.locator("section.team-home")
        assert teams.count() == 2  # the six-month cohort, and the one-day workshop they finished in May
        team = teams.first
        assert " ".join(team.locator("h2").inner_text().split()) == SAO_PAULO_PROJECT
        assert f"Your role: {role_label}" in " ".join(team.locator("p.muted").first.inner_text().split())
        team.locator("details.team-details summary").click()  # the team's worksheets and members, folded away
        assert colleague in team.locator("details.team-details ul.plain").inner_text()
        assert tab.page.locator("#staff-heading").count() == 0

    return check


def _other_team(tab: BrowserTab, catalogs: Catalogs) -> None:
    # Lucía prefers Spanish: the whole page is in Spanish after sign-in.
    assert tab.html_lang() == "es"
    team = tab.page.locator("section.team-home")
    title = " ".join(team.locator("h2").inner_text().split())
    assert title == "Menos visitas a urgencias de pacientes en tratamiento activo"
    assert catalogs.text("es", "Core team member") in team.locator("p.muted").first.inner_text()
    sign_out = tab.page.locator("nav.main-nav form[action$='/logout'] button")
    assert " ".join(sign_out.inner_text().split()) == catalogs.text("es", "Sign out")
    assert catalogs.text("es", "Go to your program: modules and progress") in team.locator("p.actions").inner_text()


def _licensee(tab: BrowserTab, catalogs: Catalogs) -> None:
    assert tab.html_lang() == "es"
    assert tab.text("#licence-heading") == catalogs.text("es", "Licensed content")
    section = tab.page.locator("section[aria-labelledby=licence-heading]")
    assert "Fundación Iberoamericana para la Calidad en Oncología" in section.inner_text()
    assert tab.page.locator("section.team-home").count() == 0


ACCOUNTS = [
    pytest.param("admin@example.org", "Margaret Okafor", _admin, id="admin"),
    pytest.param("faculty@example.org", "Daniel Whitfield", _faculty, id="faculty"),
    pytest.param(
        "leader@example.org", "Ana Beatriz Ribeiro", _team_member("Team leader", "Rafael Souza Lima"), id="leader"
    ),
    pytest.param(
        "member@example.org", "Rafael Souza Lima", _team_member("Core team member", "Ana Beatriz Ribeiro"), id="member"
    ),
    pytest.param("other@example.org", "Lucía Hernández Ortega", _other_team, id="other"),
    pytest.param("licensee@example.org", "Carmen Villanueva", _licensee, id="licensee"),
]


@pytest.mark.parametrize(("email", "name", "check_home"), ACCOUNTS)
def test_demo_account_signs_in_sees_its_home_and_signs_out(
    tab: BrowserTab, catalogs: Catalogs, email, name, check_home, request
) -> None:
    role = request.node.callspec.id
    tab.sign_in(email, shot=f"home-{role}")

    page = tab.page
    assert page.url == f"{tab.base_url}/home"
    lang = "en" if tab.html_lang() == "en" else tab.html_lang().replace("-", "_")
    assert tab.text("main h1") == catalogs.text(lang, "Welcome, %(name)s", name=name)
    # The account link in the navigation carries the person's name.
    assert page.locator("nav.main-nav a[href='/account/profile']").inner_text().strip() == name
    check_home(tab, catalogs)
    if role != "admin":
        assert page.locator(USERS_LINK).count() == 0, "a non-admin sees the Users link"

    tab.sign_out()
    assert page.url == f"{tab.base_url}/login"
    assert page.locator("nav.main-nav form[action$='/logout']").count() == 0
    assert page.locator(".flash[role=status]").count() == 1

    # The session is over: the home page asks for a sign-in again.
    tab.goto("/home", "login-after-sign-out")
    assert page.url.startswith(f"{tab.base_url}/login")


def test_wrong_password_is_refused_with_an_accessible_error(tab: BrowserTab) -> None:
    tab.goto("/login", "login-en")
    tab.fill_login("member@example.org", "not-the-password-at-all")
    tab.submit("login-wrong-password", status=401)
    alert = tab.page.locator("main .form-errors[role=alert]")
    assert " ".join(alert.inner_text().split()) == "The e-mail address or password is not correct."
    assert tab.page.locator("#email").input_value() == "member@example.org"
    assert tab.page.locator("#password").input_value() == ""


def test_member_cannot_open_admin_pages(tab: BrowserTab) -> None:
    tab.sign_in("member@example.org")
    tab.goto("/admin/users", "forbidden-admin-users", status=403)
    assert tab.text("main h1") == "Not allowed"
