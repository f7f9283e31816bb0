"""The International Interest Survey in the browser: a Spanish-speaking visitor without JavaScript answers it
and receives the confirmation; an admin finds the answer, sees the chart and marks it as handled (axe-core
runs on every page)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qtp.interest.models import InterestResponse
from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

ES = "es"


def test_a_visitor_answers_the_survey_and_an_admin_follows_it_up(
    open_tab, catalogs: Catalogs, live_server: LiveServer
) -> None:
    visitor: BrowserTab = open_tab(locale="es-ES", java_script_enabled=False)
    page = visitor.page
    visitor.goto("/", "interest-home-es")
    hero = page.locator("section.landing-hero")  # the landing page's call to action
    visitor.click(hero.get_by_role("link", name=catalogs.text(ES, "Tell us about your team")), "interest-form-es")
    assert visitor.html_lang() == ES
    page.get_by_label(catalogs.text(ES, "Country")).select_option("CO")
    page.get_by_label(catalogs.text(ES, "Hospital, practice or organization")).fill("Clínica del Caribe, Barranquilla")
    page.get_by_label(catalogs.text(ES, "Your role")).select_option("quality")
    page.get_by_label(catalogs.text(ES, "What are you interested in?")).select_option("one_day")
    page.get_by_label(catalogs.text(ES, "Size of your team")).fill("6")
    page.get_by_label(catalogs.text(ES, "Contact e-mail")).fill("calidad@clinicacaribe.example.org")
    visitor.submit("interest-errors-es", status=400)  # consent missing
    assert catalogs.text(ES, "Please agree to be contacted, or we cannot answer you.") in visitor.text("main")
    assert page.get_by_label(catalogs.text(ES, "Hospital, practice or organization")).input_value() == (
        "Clínica del Caribe, Barranquilla"
    ), "nothing typed is lost"
    page.get_by_label(
        catalogs.text(ES, "I agree to be contacted by the Quality Training Program about my request.")
    ).check()
    page.wait_for_timeout(3200)  # a person takes a few seconds; a robot does not
    visitor.submit("interest-thanks-es")
    assert catalogs.text(ES, "Thank you") in visitor.text("main h1")
    mail = live_server.mail_to("calidad@clinicacaribe.example.org")
    assert "Clínica del Caribe, Barranquilla" in mail.body

    admin: BrowserTab = open_tab()
    admin.sign_in("admin@example.org")
    admin.click(admin.page.locator("nav.main-nav").get_by_role("link", name="Interest", exact=True), "interest-admin")
    with live_server.db() as session:
        from_colombia = session.scalar(
            select(func.count()).select_from(InterestResponse).where(InterestResponse.country == "CO")
        )
    assert from_colombia >= 2, "the demo's answer from Colombia and the visitor's"
    assert f"Colombia: {from_colombia}" in admin.page.locator("svg desc").text_content()
    row = admin.page.locator("tr", has_text="Clínica del Caribe, Barranquilla")
    admin.click(row.get_by_role("button", name="Mark as handled"), "interest-admin-handled")
    assert "Marked as handled." in admin.text("main .flashes")
