"""Keyboard use: the skip link, and the landing page's way in."""

from __future__ import annotations

import pytest

from tests.browser.support import BrowserTab

pytestmark = pytest.mark.browser

FOCUSED = "(() => { const e = document.activeElement; return e ? (e.id || e.className || e.tagName) : null; })()"


def test_skip_link_is_the_first_tab_stop_on_the_login_page(tab: BrowserTab) -> None:
    page = tab.page
    tab.goto("/login", "login-en")
    autofocused = page.evaluate(FOCUSED)
    page.keyboard.press("Tab")
    first_stop = page.evaluate(FOCUSED)
    assert first_stop == "skip-link", (
        f"the first Tab on /login reaches {first_stop!r}, not the 'Skip to main content' link "
        f"(focus starts on {autofocused!r}, which has autofocus)"
    )


def test_skip_link_leads_to_the_main_content(tab: BrowserTab) -> None:
    """On a page without autofocus (the landing page) the skip link comes first, shows, and works."""
    page = tab.page
    tab.goto("/", "landing-en")
    page.keyboard.press("Tab")
    first_stop = page.evaluate(FOCUSED)
    assert first_stop == "skip-link", f"the first Tab stop of / is {first_stop!r}"
    skip = page.locator("a.skip-link")
    assert " ".join(skip.inner_text().split()) == "Skip to main content"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    tab.check("landing-skip-link-focused")  # the same page again, photographed with the link showing

    page.keyboard.press("Enter")
    page.wait_for_url("**/#main")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, f"after the skip link, Tab reaches {page.evaluate(FOCUSED)!r} outside the main content"


def test_landing_page_leads_to_sign_in(tab: BrowserTab) -> None:
    page = tab.page
    tab.goto("/", "landing-en")
    assert tab.text("main h1") == "Quality improvement for oncology teams"
    tab.click(page.locator("main").get_by_role("link", name="Sign in"), "login-en")
    assert page.url == f"{tab.base_url}/login"


def test_every_tab_stop_in_the_header_can_be_seen(tab: BrowserTab) -> None:
    """Walking the header with Tab, each focused control is on screen, not clipped away (WCAG 2.4.7)."""
    page = tab.page
    tab.goto("/", "landing-en")
    invisible = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                 const e = document.activeElement, r = e.getBoundingClientRect();
                 const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                 return {inMain: !!e.closest('main'), what: e.outerHTML.slice(0, 100),
                         seen: r.width >= 4 && r.height >= 4 && !!hit && e.contains(hit)};
               }"""
        )
        if focused["inMain"]:
            break
        if not focused["seen"]:
            invisible.append(focused["what"])
    assert not invisible, f"Tab stops that stay invisible when focused: {invisible}"
