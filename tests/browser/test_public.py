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


WIDTHS = {"wide": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
FRONT_DOOR = ["/", "/programs", "/programs/six-month", "/programs/one-day"]

# The tallest run of blank rows, as a share of the viewport height, in the left or the right half of the screen,
# scrolling through the page a quarter of a screen at a time (so a sticky column counts where the reader sees it).
# Blank: the page's background, or a layout box without a background or border of its own.
BLANK_RUN = """() => {
  const H = window.innerHeight, W = document.documentElement.clientWidth;
  const layout = new Set(['SECTION', 'DIV', 'UL', 'OL', 'LI', 'ASIDE', 'ARTICLE', 'NAV', 'HEADER', 'DL', 'FORM']);
  const blank = el => {
    if (!el || ['HTML', 'BODY', 'MAIN'].includes(el.tagName)) return true;
    if (!layout.has(el.tagName)) return false;
    const s = getComputedStyle(el);
    return s.backgroundColor === 'rgba(0, 0, 0, 0)' && s.borderTopWidth === '0px' && s.borderLeftWidth === '0px';
  };
  const total = document.documentElement.scrollHeight;
  let worst = [0, 0, ''];
  for (let y = 0; ; y += H / 4) {
    window.scrollTo(0, y);
    for (const [name, from, to] of [['left', 0, W / 2], ['right', W / 2, W]]) {
      let run = 0;
      for (let py = 2; py < H; py += 8) {
        let empty = true;
        for (let px = from + 4; px < to; px += 12) {
          if (!blank(document.elementFromPoint(px, py))) { empty = false; break; }
        }
        run = empty ? run + 8 : 0;
        if (run > worst[0]) worst = [run, Math.round(window.scrollY + py), name];
      }
    }
    if (window.scrollY + H >= total - 1) break;
  }
  window.scrollTo(0, 0);
  return {share: worst[0] / H, at: worst[1], half: worst[2]};
}"""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_front_door_fills_its_screen_without_sideways_scroll(open_tab, catalogs: Catalogs, width: str) -> None:
    """The landing, program list and program pages in Spanish: no sideways page, no blank stretch taller than 40%
    of the screen in either half, a phone's header under 100 px; axe-core checks each page."""
    viewport = WIDTHS[width]
    visitor: BrowserTab = open_tab(locale="es-ES", viewport=viewport)
    problems = []
    for path in FRONT_DOOR:
        visitor.goto(path, f"front-door{path.replace('/', '-')}-{width}-es")
        page_width = visitor.page.evaluate("document.documentElement.scrollWidth")
        if page_width > viewport["width"]:
            problems.append(f"{path}: {page_width} px wide on a {viewport['width']} px screen")
        blank = visitor.page.evaluate(BLANK_RUN)
        if blank["share"] > 0.4:
            problems.append(f"{path}: blank for {blank['share']:.0%} of a screen at {blank['at']} px ({blank['half']})")
        header = visitor.page.evaluate("document.querySelector('.main-nav').getBoundingClientRect().bottom")
        if width == "phone" and header > 100:
            problems.append(f"{path}: the header is {header} px tall on a phone")
    assert problems == []


def test_a_visitor_reads_the_next_cohorts_and_answers_the_call_to_action(
    open_tab, catalogs: Catalogs, live_server: LiveServer
) -> None:
    from datetime import date

    from sqlalchemy import delete, select

    from qtp.catalog.models import Program
    from qtp.cohorts.models import Cohort

    visitor: BrowserTab = open_tab(locale="es-ES", java_script_enabled=False)
    page = visitor.page
    visitor.goto("/")
    cohorts = page.locator("section.next-cohorts")
    ahead = cohorts.inner_text()
    assert "13 de marzo de 2027" in ahead and "Taller QTP Bogotá, marzo de 2027" in ahead, "the demo's planned workshop"
    assert "QTP International Cohort 2027–2028" in ahead
    with live_server.db() as session:
        program = session.scalar(select(Program).where(Program.slug == "six-month"))
        session.add(
            Cohort(
                slug="bogota-2031",
                program=program,
                name="Programa QTP Bogotá 2031",
                locale="es",
                starts_on=date(2031, 3, 4),
                ends_on=date(2031, 11, 14),
                status="planned",
            )
        )
    try:
        visitor.goto("/programs/six-month", "program-next-cohort-es")
        aside = page.locator("aside.program-aside").inner_text()
        assert "Del 4 de marzo de 2031 al 14 de noviembre de 2031" in aside and "Programa QTP Bogotá 2031" in aside
        visitor.goto("/", "public-home-next-cohort-es")
        assert "Programa QTP Bogotá 2031" in page.locator("section.next-cohorts").inner_text()
    finally:
        with live_server.db() as session:
            session.execute(delete(Cohort).where(Cohort.slug == "bogota-2031"))
    hero = page.locator("section.landing-hero")
    visitor.click(hero.get_by_role("link", name=catalogs.text(ES, "Tell us about your team")), "interest-from-hero-es")
    assert page.get_by_label(catalogs.text(ES, "Contact e-mail")).count() == 1
