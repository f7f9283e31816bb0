"""The public pages in the browser, JavaScript off (axe-core runs on every page): every page a visitor can reach
has its own title, a description and its language alternates; a visitor reads a program page in Portuguese and
asks about a licence; the graduates page with its filters, in Spanish; a team leader reaches the form that shows
the team there."""

from __future__ import annotations

from pathlib import Path

import pytest

from qtp.catalog.files import parse_front_matter
from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

ES = "es"
PT = "pt_BR"
COURSES = Path(__file__).resolve().parents[2] / "courses"
RESULT = "Mediana do encaminhamento à primeira consulta caiu de 31 para 12 dias em quatro meses"


def test_visitors_browse_the_graduates_and_a_leader_manages_the_listing(
    open_tab, catalogs: Catalogs, live_server: LiveServer
) -> None:
    from sqlalchemy import select

    from qtp.cohorts.models import Cohort, Team

    visitor: BrowserTab = open_tab(locale="es-ES", java_script_enabled=False)
    page = visitor.page
    visitor.goto("/", "public-home-es")
    visitor.click(page.locator("nav.main-nav").get_by_role("link", name=catalogs.text(ES, "Graduates")), "graduates-es")
    assert RESULT in visitor.text("main")
    hreflangs = page.locator("link[rel=alternate]").evaluate_all("links => links.map(l => l.hreflang)")
    assert sorted(hreflangs) == ["en", "es", "pt-BR", "x-default"]
    page.get_by_label(catalogs.text(ES, "Country")).select_option("BR")  # the countries that have graduates
    visitor.submit("graduates-brazil-es")
    assert RESULT in visitor.text("main")
    visitor.goto("/graduates?country=MX&year=2026", "graduates-mexico-es")
    assert RESULT not in visitor.text("main")
    assert catalogs.text(ES, "No graduate team matches these filters yet.") in visitor.text("main")

    with live_server.db() as session:
        team_id = session.scalar(select(Team.id).join(Cohort).where(Cohort.slug == "sao-paulo-2026"))
    leader: BrowserTab = open_tab()
    leader.sign_in("leader@example.org")
    leader.goto(f"/teams/{team_id}/workspace", "graduates-workspace")
    leader.click(leader.page.get_by_role("link", name="The graduates page"), "graduates-listing")
    assert leader.page.get_by_label("Our result, in one line").input_value() == RESULT
    assert leader.page.get_by_label("Show our team on the public graduates page").is_checked()


def _front_matter(path: Path) -> dict:
    return parse_front_matter(path.read_text(encoding="utf-8")).meta


def test_every_public_page_has_a_title_a_description_and_alternates_or_says_noindex(
    open_tab, catalogs: Catalogs, live_server: LiveServer
) -> None:
    from sqlalchemy import select

    from qtp.certificates.models import Certificate

    with live_server.db() as session:
        serial = session.scalar(select(Certificate.serial).where(Certificate.revoked_at.is_(None)).limit(1))
    visitor: BrowserTab = open_tab(locale="es-ES", java_script_enabled=False)
    page = visitor.page
    suffix = " · " + catalogs.text(ES, "Quality Training Program")
    titles = set()
    unlisted = ("/interest/thanks", f"/verify/{serial}")
    for path in (
        "/",
        "/programs",
        "/programs/six-month",
        "/programs/one-day",
        "/graduates",
        "/interest",
        "/interest/thanks",
        "/verify",
        f"/verify/{serial}",
        "/login",
        "/forgot-password",
    ):
        visitor.goto(path)
        assert page.locator("html").get_attribute("lang") == "es", path
        title = page.title()
        assert title.endswith(suffix) and len(title) > len(suffix) + 3, (path, title)
        titles.add(title)
        description = page.locator("meta[name=description]").get_attribute("content")
        assert len(description) >= 50, (path, description)
        alternates = page.locator("link[rel=alternate][hreflang]").evaluate_all(
            "links => Object.fromEntries(links.map(l => [l.hreflang, l.href]))"
        )
        robots = page.locator("meta[name=robots]")
        if path in unlisted:  # open to anyone, not meant to be found: no alternates to offer
            assert alternates == {} and robots.get_attribute("content") == "noindex", path
            continue
        assert robots.count() == 0, path
        assert sorted(alternates) == ["en", "es", "pt-BR", "x-default"], path
        assert alternates["pt-BR"].endswith("lang=pt_BR"), path
    assert len(titles) == 11, "every public page has its own title"


def test_a_visitor_reads_a_program_page_in_portuguese_and_asks_about_a_licence(
    open_tab, catalogs: Catalogs, live_server: LiveServer
) -> None:
    authored = _front_matter(COURSES / "six-month" / "about.pt_BR.md")
    visitor: BrowserTab = open_tab(locale="pt-BR", java_script_enabled=False)
    page = visitor.page
    visitor.goto("/", "public-home-pt")
    visitor.click(page.locator("nav.main-nav").get_by_role("link", name=catalogs.text(PT, "Programs")), "programs-pt")
    visitor.click(page.get_by_role("link", name="Programa QTP de seis meses"), "program-six-month-pt")
    assert page.get_by_role("heading", level=1).inner_text() == authored["title"]
    assert page.locator("meta[name=description]").get_attribute("content") == authored["description"]
    schedule = page.locator("section#schedule")
    assert schedule.get_by_role("table").count() == 2, "the phases and the learning sessions"
    assert "Pré-trabalho" in schedule.inner_text() and catalogs.text(PT, "Week %(number)d", number=10) in (
        schedule.inner_text()
    )
    assert "Brasil" in page.locator("section#countries").inner_text()
    visitor.click(page.get_by_role("link", name=catalogs.text(PT, "Ask about a licence")), "interest-licensing-pt")
    assert page.get_by_label(catalogs.text(PT, "What are you interested in?")).input_value() == "licensing"


def test_a_program_page_reads_on_a_phone(open_tab) -> None:
    """A narrow screen: the timetable scrolls inside a region a keyboard can reach (axe-core checks it)."""
    phone: BrowserTab = open_tab(viewport={"width": 390, "height": 844})
    phone.goto("/programs/six-month", "program-six-month-phone")
    region = phone.page.locator("section#schedule [role=region]").first
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the phases table is wider than a phone"
