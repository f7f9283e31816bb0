"""The demo team's process map in a browser: on a 390 px phone the map scrolls sideways inside its own frame
(with the cue) at its own size while the page does not; on a wide screen the left-to-right map shows; axe-core
checks each page."""

from __future__ import annotations

import pytest

from tests.browser.support import BrowserTab, LiveServer
from tests.browser.test_phone import _team_of

pytestmark = pytest.mark.browser

FRAMES = """(selector) => [...document.querySelectorAll(selector)].filter(el => el.offsetParent !== null).map(el => {
  const svg = el.querySelector('svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
  return {scroll: el.scrollWidth, client: el.clientWidth, scale, smallest: Math.min(...texts),
          cue: getComputedStyle(el.closest('.map-wide, .map-narrow').querySelector('.scroll-cue')).display};
})"""


def _frames(tab: BrowserTab) -> list[dict]:
    return tab.page.evaluate(FRAMES, ".process-map .map-scroll")


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_map_scrolls_in_its_frame_on_a_phone(open_tab, live_server: LiveServer, locale: str) -> None:
    _, team_id = _team_of(live_server, "leader@example.org")
    phone: BrowserTab = open_tab(viewport={"width": 390, "height": 844}, locale=locale)
    phone.sign_in("leader@example.org")
    phone.goto(f"/teams/{team_id}/worksheets/process-map/1?lang={locale}")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    frames = _frames(phone)
    assert len(frames) == 2  # current and future state, top to bottom; the wide maps are hidden
    current = frames[0]
    assert current["scroll"] > current["client"], "the map scrolls inside its frame"
    assert current["scale"] == pytest.approx(1, abs=0.01) and current["smallest"] > 10.9  # never shrunk
    assert current["cue"] == "block"
    region = phone.page.locator(".process-map .map-narrow .map-scroll").first
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    region.evaluate("el => el.scrollBy(250, 0)")
    assert region.evaluate("el => el.scrollLeft") > 0
    assert phone.page.evaluate("window.scrollX") == 0
    # the notes under the map, numbered like the callouts in it
    assert phone.page.locator(".map-notes .note-no").first.inner_text() == "1."


def test_the_wide_map_shows_on_a_wide_screen(open_tab, live_server: LiveServer) -> None:
    _, team_id = _team_of(live_server, "leader@example.org")
    tab: BrowserTab = open_tab(viewport={"width": 1280, "height": 800})
    tab.sign_in("leader@example.org")
    tab.goto(f"/teams/{team_id}/worksheets/process-map/1")
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert tab.page.locator(".process-map .map-wide svg[role=img]").count() == 2
    assert tab.page.locator(".process-map .map-narrow").first.is_hidden()
    frames = _frames(tab)
    assert len(frames) == 2 and all(f["scale"] == pytest.approx(1, abs=0.01) for f in frames)
