"""Forgotten password: ask for a link, open it from the e-mail, choose a new password, sign in with it.

The journey changes the person's password, so it runs on a user of its own (a colleague of leader@ on the
same team's organization, with the demo password) rather than on a shared demo account.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser.support import DEMO_PASSWORD, BrowserTab, LiveServer

pytestmark = pytest.mark.browser

NEW_PASSWORD = "tidal-basket-moon-orchard-42"


@pytest.fixture
def reset_user(live_server: LiveServer) -> tuple[str, str]:
    email, name = f"reset.{uuid.uuid4().hex[:8]}@example.org", "Beatriz Nogueira Alves"
    live_server.create_user(email, name, ["participant"], organization="Instituto Paulista de Oncologia Clínica")
    return email, name


def test_forgotten_password_journey(tab: BrowserTab, live_server: LiveServer, reset_user) -> None:
    email, name = reset_user
    page = tab.page

    tab.goto("/login", "login-en")
    tab.click(page.get_by_role("link", name="Forgot your password?"), "forgot-password")
    assert page.url == f"{tab.base_url}/forgot-password"
    assert tab.text("main h1") == "Forgot your password?"
    page.get_by_label("E-mail address").fill(email)
    tab.submit("forgot-password-sent")
    assert page.url == f"{tab.base_url}/login"
    assert "If an account uses that address, we have sent it a link" in tab.text(".flash[role=status]")

    mail = live_server.mail_to(email)
    assert mail.subject == "Choose a new password for the Quality Training Program"
    link = live_server.link_in_mail(email, "reset-password")

    tab.goto(link, "reset-password")
    assert tab.text("main h1") == "Choose a new password"
    assert email in tab.text("main .lead")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    tab.submit("reset-password-done")
    assert page.url == f"{tab.base_url}/login"
    assert tab.text(".flash[role=status]") == "Your password has been changed. Please sign in with the new one."

    tab.fill_login(email, NEW_PASSWORD)
    tab.submit()
    assert page.url == f"{tab.base_url}/home"
    assert tab.text("main h1") == f"Welcome, {name}"
    tab.sign_out()

    # The link worked once.
    tab.goto(link, "reset-link-used", status=404)
    assert tab.text("main h1") == "This link no longer works"
    assert page.get_by_role("link", name="Ask for a new link").get_attribute("href") == "/forgot-password"

    # The old password no longer opens the account.
    tab.sign_in(email, DEMO_PASSWORD, shot="login-old-password", status=401)
    assert tab.text("main .form-errors") == "The e-mail address or password is not correct."
    assert page.locator("nav.main-nav form[action$='/logout']").count() == 0


def test_reset_form_rejects_a_weak_password_accessibly(tab: BrowserTab, live_server: LiveServer, reset_user) -> None:
    email, _ = reset_user
    tab.goto("/forgot-password", "forgot-password")
    tab.page.get_by_label("E-mail address").fill(email)
    tab.submit()
    tab.goto(live_server.link_in_mail(email, "reset-password"), "reset-password")
    tab.page.get_by_label("New password", exact=True).fill("password123")
    tab.page.get_by_label("Repeat the new password").fill("password123")
    tab.submit("reset-password-weak", status=400)
    field = tab.page.locator("#password")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = (field.get_attribute("aria-describedby") or "").split()
    assert "password-error" in described_by
    assert tab.page.locator("#password-error").inner_text().strip()
