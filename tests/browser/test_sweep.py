"""Every main page of every role, at 1280 and 390 px: the page never scrolls sideways, no element is wider than
the page's content box, charts take at least 90% of the content width on wide screens, and axe-core finds no
serious or critical violation (BrowserTab.check runs it on each page)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.support import BrowserTab, LiveServer

pytestmark = pytest.mark.browser

WIDTHS = {"wide": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# Elements that may be wider than the content box because they scroll inside a region of their own.
OVERFLOW_CHECK = """() => {
  const main = document.querySelector('main');
  const limit = main.getBoundingClientRect().right + 1;
  const clips = p => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX);
  const inScroller = el => {
    for (let p = el.parentElement; p; p = p.parentElement) { if (clips(p)) return true; }
    return false;
  };
  const wide = [];
  for (const el of main.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(el).position === 'fixed') continue;
    if (box.right > limit && !inScroller(el)) {
      wide.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(box.right));
    }
  }
  return wide.slice(0, 5);
}"""


def _ids(live_server: LiveServer) -> dict[str, int]:
    from qtp.cohorts.models import Cohort, CohortEvent, Team
    from qtp.worksheets.models import Worksheet

    with live_server.db() as session:
        cohort = session.scalar(select(Cohort).where(Cohort.slug == "international-2026"))
        team = session.scalar(select(Team).where(Team.cohort_id == cohort.id).order_by(Team.id))
        event = session.scalar(
            select(CohortEvent.id).where(CohortEvent.cohort_id == cohort.id, CohortEvent.kind == "learning_session")
        )
        submitted = session.scalar(select(Worksheet.id).where(Worksheet.status == "submitted").order_by(Worksheet.id))
        return {"cohort": cohort.id, "team": team.id, "event": event, "submitted": submitted}


def _pages(role: str, ids: dict[str, int]) -> list[str]:
    c, t = ids["cohort"], ids["team"]
    return {
        "anonymous": ["/", "/programs", "/programs/six-month", "/verify", "/interest", "/login", "/graduates"],
        "member@example.org": [
            "/home",
            f"/learning/{c}",
            f"/learning/{c}/modules/02-model-for-improvement",
            f"/learning/{c}/modules/02-model-for-improvement/check",
            f"/learning/{c}/modules/06-process-mapping-sipoc",  # a lesson with a figure
            f"/teams/{t}/workspace",
            f"/teams/{t}/worksheets/process-map/1",
            f"/teams/{t}/worksheets/aim/1",
            f"/teams/{t}/worksheets/fishbone/1",
            f"/teams/{t}/worksheets/driver-diagram/1",
            f"/teams/{t}/measures",
            f"/teams/{t}/measures/1",
            f"/teams/{t}/progress",
            "/account/profile",
        ],
        "faculty@example.org": [
            "/home",
            "/home/cohorts",
            "/review/",
            f"/review/{ids['submitted']}",
            f"/cohorts/{c}/dashboard",
            f"/cohorts/{c}/dashboard/members",
            f"/cohorts/{c}/dashboard/self-assessment",
            f"/cohorts/{c}/attendance/{ids['event']}",
            "/content/six-month/09-run-charts?locale=es",  # lessons with figures, in the staff's preview
            "/content/six-month/10-driver-diagrams?locale=pt_BR",
            "/content/",
        ],
        "licensee@example.org": ["/home", "/licenses"],
        "admin@example.org": [
            "/home",
            "/admin/cohorts",
            f"/admin/cohorts/{c}",
            "/admin/users",
            "/admin/licenses",
            "/admin/interest",
            "/admin/audit",
            "/admin/jobs",
        ],
    }[role]


ROLES = ["anonymous", "member@example.org", "faculty@example.org", "licensee@example.org", "admin@example.org"]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.split("@")[0])
def test_main_pages_fit_their_screen(open_tab, live_server: LiveServer, role: str, width: str) -> None:
    viewport = WIDTHS[width]
    tab: BrowserTab = open_tab(viewport=viewport)
    if role != "anonymous":
        tab.sign_in(role)
    problems = []
    for path in _pages(role, _ids(live_server)):
        tab.goto(path)
        page_width = tab.page.evaluate("document.documentElement.scrollWidth")
        if page_width > viewport["width"]:
            problems.append(f"{path}: the page is {page_width} px wide on a {viewport['width']} px screen")
        wide = tab.page.evaluate(OVERFLOW_CHECK)
        if wide:
            problems.append(f"{path}: wider than the content box: {wide}")
    assert problems == []


def test_charts_take_the_width_of_the_page(open_tab, live_server: LiveServer) -> None:
    ids = _ids(live_server)
    tab: BrowserTab = open_tab(viewport=WIDTHS["wide"])
    tab.sign_in("member@example.org")
    tab.goto(f"/teams/{ids['team']}/measures/1")
    content = tab.page.evaluate("document.querySelector('main').clientWidth")
    padding = tab.page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('main')); "
        "return parseFloat(s.paddingLeft) + parseFloat(s.paddingRight); })()"
    )
    chart = tab.page.locator(".chart-scroll svg").first.bounding_box()
    assert chart is not None and chart["width"] >= 0.9 * (content - padding) - 48  # inside its card's padding
