"""The profile page: the preferred language switches the whole interface; the password page is reachable."""

from __future__ import annotations

import pytest

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

MEMBER = "member@example.org"


@pytest.fixture
def member(live_server: LiveServer):
    """member@ is shared: whatever the test leaves, the preference goes back to the browser's language."""
    yield MEMBER
    live_server.set_user_locale(MEMBER, None)


def test_preferred_language_switches_the_interface(tab: BrowserTab, catalogs: Catalogs, member: str) -> None:
    page = tab.page
    tab.sign_in(member, shot="home-member")
    tab.click(page.locator("nav.main-nav a[href='/account/profile']"), "profile")
    assert tab.text("main h1") == "Your profile"
    locale = page.locator("#locale")
    assert locale.input_value() == ""
    assert locale.locator("option:checked").inner_text().strip() == "Same as my browser"
    assert "member@example.org" in tab.text("main dl.facts")

    locale.select_option(label="Português (Brasil)")
    tab.submit("profile-pt_BR")
    assert page.url == f"{tab.base_url}/account/profile"
    assert tab.html_lang() == "pt-BR"
    assert tab.text("main h1") == catalogs.text("pt_BR", "Your profile")
    assert tab.text("main form button[type=submit]") == catalogs.text("pt_BR", "Save profile")
    assert page.locator("#locale").input_value() == "pt_BR"
    assert page.locator("#language-select").input_value() == "pt_BR"

    # The preference follows the account to other pages.
    tab.click(page.locator("nav.main-nav a[href='/home']"), "home-member-pt_BR")
    assert tab.html_lang() == "pt-BR"
    role = tab.page.locator("section.team-home p.muted").first.inner_text()
    assert role.count(catalogs.text("pt_BR", "Core team member")) == 1
    tab.click(page.locator("nav.main-nav a[href='/account/profile']"))

    page.locator("#locale").select_option(value="")
    tab.submit("profile-browser-language")
    assert tab.html_lang() == "en"
    assert tab.text("main h1") == "Your profile"
    assert page.locator("#locale").input_value() == ""


def test_profile_saved_message_speaks_the_newly_chosen_language(
    tab: BrowserTab, catalogs: Catalogs, member: str
) -> None:
    """The confirmation is part of the page that now declares lang="pt-BR": it must be in Portuguese too."""
    tab.sign_in(member)
    tab.goto("/account/profile", "profile")
    tab.page.locator("#locale").select_option(label="Português (Brasil)")
    tab.submit("profile-pt_BR")
    assert tab.html_lang() == "pt-BR"
    assert tab.text(".flash[role=status]") == catalogs.text("pt_BR", "Your profile has been saved."), (
        "the confirmation is still in the previous language (English) on a page declared as pt-BR"
    )


def test_password_change_page(tab: BrowserTab, member: str) -> None:
    page = tab.page
    tab.sign_in(member)
    tab.goto("/account/profile", "profile")
    tab.click(page.get_by_role("link", name="Change your password"), "password-change")
    assert tab.text("main h1") == "Change your password"
    assert page.get_by_label("Current password").get_attribute("autocomplete") == "current-password"
    assert page.get_by_label("New password", exact=True).get_attribute("autocomplete") == "new-password"

    # A wrong current password is refused on the field, and nothing changes.
    page.get_by_label("Current password").fill("not-my-password-at-all")
    page.get_by_label("New password", exact=True).fill("tidal-basket-moon-orchard-42")
    page.get_by_label("Repeat the new password").fill("tidal-basket-moon-orchard-42")
    tab.submit("password-change-wrong-current", status=400)
    assert page.locator("#current_password").get_attribute("aria-invalid") == "true"
    assert tab.text("#current_password-error") == "The current password is not correct."
    tab.click(page.get_by_role("link", name="Cancel"))
    assert page.url == f"{tab.base_url}/account/profile"
