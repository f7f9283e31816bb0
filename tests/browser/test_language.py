"""The language switcher in the header: a select and a visible button, the same with and without JavaScript.

Choosing an option changes nothing until the button is pressed (WCAG 3.2.2, "On Input").

Visible texts are compared with the msgstr in translations/<locale>/LC_MESSAGES/messages.po (the English msgid
while an entry is untranslated), so these tests check the real translated text once it lands.
"""

from __future__ import annotations

import pytest

from tests.browser.support import BrowserTab, Catalogs

pytestmark = pytest.mark.browser

SELECT = "#language-select"
CHANGE_BUTTON = "form.language-switcher button[type=submit]"


def _assert_login_page_in(tab: BrowserTab, catalogs: Catalogs, locale: str) -> None:
    page = tab.page
    assert page.url == f"{tab.base_url}/login", "the switcher should bring the reader back to the same page"
    assert tab.html_lang() == locale.replace("_", "-")
    assert page.locator(SELECT).input_value() == locale
    assert tab.text("main h1") == catalogs.text(locale, "Sign in")
    assert tab.text("main form button[type=submit]") == catalogs.text(locale, "Sign in")
    assert tab.text("label[for=language-select]") == catalogs.text(locale, "Language")
    assert page.title() == f"{catalogs.text(locale, 'Sign in')} · {catalogs.text(locale, 'Quality Training Program')}"


def test_language_switch_with_javascript(tab: BrowserTab, catalogs: Catalogs) -> None:
    page = tab.page
    tab.goto("/login", "login-en")
    _assert_login_page_in(tab, catalogs, "en")
    change = page.locator(CHANGE_BUTTON)
    assert change.is_visible()
    # Each option is labelled in its own language, whatever the page's language.
    options = page.locator(f"{SELECT} option")
    assert options.all_inner_texts() == ["English", "Español", "Português (Brasil)"]
    assert [options.nth(i).get_attribute("lang") for i in range(3)] == ["en", "es", "pt-BR"]

    page.select_option(SELECT, label="Español")
    assert tab.html_lang() == "en", "choosing an option alone submits nothing"
    tab.click(change, "login-es")
    _assert_login_page_in(tab, catalogs, "es")

    page.select_option(SELECT, label="Português (Brasil)")
    tab.click(change, "login-pt_BR")
    _assert_login_page_in(tab, catalogs, "pt_BR")

    # The choice is kept for the rest of the visit.
    tab.goto("/forgot-password", "forgot-password-pt_BR")
    assert tab.html_lang() == "pt-BR"
    assert page.locator(SELECT).input_value() == "pt_BR"
    assert tab.text("main h1") == catalogs.text("pt_BR", "Forgot your password?")
    assert tab.text("main form button[type=submit]") == catalogs.text("pt_BR", "Send the link")


def test_language_switch_without_javascript(open_tab, catalogs: Catalogs) -> None:
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    tab.goto("/login", "login-en-no-javascript")
    _assert_login_page_in(tab, catalogs, "en")
    change = page.locator(CHANGE_BUTTON)
    assert change.is_visible(), "without JavaScript the Change button must be visible"
    assert " ".join(change.inner_text().split()) == "Change"

    page.select_option(SELECT, label="Español")
    assert tab.html_lang() == "en", "nothing is submitted without JavaScript until the button is pressed"
    tab.click(change, "login-es-no-javascript")
    _assert_login_page_in(tab, catalogs, "es")
    assert " ".join(change.inner_text().split()) == catalogs.text("es", "Change")

    page.select_option(SELECT, label="Português (Brasil)")
    tab.click(change, "login-pt_BR-no-javascript")
    _assert_login_page_in(tab, catalogs, "pt_BR")

    tab.goto("/forgot-password", "forgot-password-pt_BR-no-javascript")
    assert tab.html_lang() == "pt-BR"
    assert tab.text("main h1") == catalogs.text("pt_BR", "Forgot your password?")
