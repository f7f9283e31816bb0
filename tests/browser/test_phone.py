"""On a phone (360 px wide): the pages a team works in every week never scroll sideways as a whole; wide tables
scroll inside regions of their own, which a keyboard can reach (axe-core checks every page, with and without
JavaScript)."""

from __future__ import annotations

import pytest

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}  # a common small Android phone; iPhones are 375 to 430 wide
PT = "pt_BR"


def _team_of(live_server: LiveServer, email: str) -> tuple[int, int]:
    """(cohort id, team id) of the six-month team this demo person belongs to."""
    from sqlalchemy import select

    from qtp.accounts.models import User
    from qtp.cohorts.models import Cohort, Membership, Team

    with live_server.db() as session:
        row = session.execute(
            select(Team.cohort_id, Team.id)
            .join(Membership, Membership.team_id == Team.id)
            .join(User, User.id == Membership.user_id)
            .join(Cohort, Cohort.id == Team.cohort_id)
            .where(User.email == email, Cohort.slug == "international-2026")
        ).one()
    return row.cohort_id, row.id


# The width of a select's chosen option's text and the room the select gives it (its arrow takes about 18 px).
_NAME_AND_ROOM = """e => {
    const style = getComputedStyle(e), pen = document.createElement("canvas").getContext("2d");
    pen.font = style.font;
    const text = pen.measureText(e.options[e.selectedIndex].text).width;
    return [text, e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 18];
}"""


def _assert_fits(tab: BrowserTab) -> None:
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{tab.page.url} is {width} px wide on a {PHONE['width']} px screen"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_team_member_works_on_a_phone(open_tab, live_server: LiveServer, javascript: bool) -> None:
    cohort_id, team_id = _team_of(live_server, "member@example.org")
    phone: BrowserTab = open_tab(viewport=PHONE, java_script_enabled=javascript)
    phone.sign_in("member@example.org")
    for path in (
        f"/learning/{cohort_id}/modules/03-charter",  # a lesson with a four-column table
        f"/learning/{cohort_id}/self-assessment",
        f"/teams/{team_id}/worksheets/process-map/1",  # a form with a table of rows to fill in
        f"/teams/{team_id}/worksheets/charter/1",  # returned by the reviewer: the rubric's table
        f"/teams/{team_id}/worksheets/charter/1/history",
        f"/teams/{team_id}/measures/1",
        f"/teams/{team_id}/progress",
    ):
        phone.goto(path)
        _assert_fits(phone)
    lesson_table = phone.goto(f"/learning/{cohort_id}/modules/03-charter").page.locator(".lesson-body [role=region]")
    assert lesson_table.first.get_attribute("tabindex") == "0"
    assert lesson_table.first.get_attribute("aria-label") == "Table 1"
    assert lesson_table.first.evaluate("el => el.scrollWidth > el.clientWidth"), "the table scrolls in its region"


def test_the_lesson_tables_are_named_in_the_readers_language(
    open_tab, live_server: LiveServer, catalogs: Catalogs
) -> None:
    cohort_id, _ = _team_of(live_server, "member@example.org")
    phone: BrowserTab = open_tab(viewport=PHONE)
    phone.sign_in("member@example.org")
    phone.goto(f"/learning/{cohort_id}/modules/03-charter?lang={PT}", "lesson-table-phone-pt")
    _assert_fits(phone)
    names = phone.page.locator(".lesson-body [role=region]").evaluate_all("els => els.map(e => e.ariaLabel)")
    assert names and names == [catalogs.text(PT, "Table %(number)s", number=n) for n in range(1, len(names) + 1)]


def test_an_admin_reads_the_interest_answers_on_a_phone(open_tab) -> None:
    phone: BrowserTab = open_tab(viewport=PHONE)
    phone.sign_in("admin@example.org")
    for path in ("/admin/interest", "/admin/audit", "/content/"):
        phone.goto(path)
        _assert_fits(phone)


@pytest.mark.parametrize("locale", ["en", "es", PT])
def test_the_header_shows_the_whole_language_name_on_a_phone(open_tab, catalogs: Catalogs, locale: str) -> None:
    """The longest name, Português (Brasil), is read whole in the select; the brand gives way (QTP) and the
    header stays one row of brand and language above the navigation."""
    phone: BrowserTab = open_tab(viewport=PHONE)
    phone.goto(f"/?lang={locale}", f"header-phone-{locale}")
    text, room = phone.page.locator("#language-select").evaluate(_NAME_AND_ROOM)
    assert text <= room, f"the selected language's name needs {text} px and has {room} px"
    assert phone.page.locator(".site-header").bounding_box()["height"] <= 100
    assert phone.page.locator(".brand-short").is_visible()
    assert phone.page.locator(".brand-name").bounding_box()["width"] <= 1  # still read out, as the link's name
    assert phone.page.get_by_role("link", name=catalogs.text(locale, "Quality Training Program")).is_visible()
    _assert_fits(phone)
