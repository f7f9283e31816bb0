"""Two-factor sign-in in the browser: turn it on from the security page (QR code, key, first code, recovery
codes), then sign in with a code from the app (computed here as the app would)."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.browser.support import DEMO_PASSWORD, BrowserTab, LiveServer

pytestmark = pytest.mark.browser

EMAIL = "twofactor.journey@example.org"


def test_enrol_then_sign_in_with_a_code(tab: BrowserTab, live_server: LiveServer) -> None:
    live_server.create_user(EMAIL, "Rosa Quintero", ["participant"])
    page = tab.page
    tab.sign_in(EMAIL)
    tab.goto("/account/profile")
    tab.click(page.locator("main a[href='/account/security']"), "security-off")
    assert tab.text("main h1") == "Sign-in and security"
    assert "This device" in tab.text("ul.session-list")
    tab.click(page.get_by_role("button", name="Turn on two-factor sign-in"), "two-factor-setup")
    qr = page.locator("img.qr-code")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the CSP let it load
    secret = tab.text("code.secret-key").replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    tab.submit("two-factor-recovery-codes")
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert page.locator("a[download='qtp-recovery-codes.txt']").get_attribute("href").startswith("data:text/plain")
    tab.click(page.get_by_role("link", name="I have saved them"), "security-on")
    assert "You have 10 unused recovery codes." in tab.text("main")

    tab.sign_out()
    tab.goto("/login")
    tab.fill_login(EMAIL, DEMO_PASSWORD)
    tab.submit("login-code")
    assert page.url.endswith("/login/code")
    assert tab.text("main h1") == "Two-factor sign-in"
    page.locator("#code").fill(pyotp.TOTP(secret).at(time.time() + 30))  # the next code: this one was used
    tab.submit("home-after-code")
    assert page.url.endswith("/home")

