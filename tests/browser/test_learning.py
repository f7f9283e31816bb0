"""A participant completes a module and its knowledge check in Spanish (axe-core runs on every page)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

PARTICIPANT = "other@example.org"  # prefers Spanish; member of the one-day cohort in Guadalajara


def module_facts(live_server: LiveServer, slug: str) -> tuple[list[dict], str]:
    """The answer key and the Spanish title of a one-day module, as synced from courses/."""
    from qtp.catalog.models import Module, ModuleText, Program

    with live_server.db() as session:
        module = session.scalar(select(Module).join(Program).where(Program.slug == "one-day", Module.slug == slug))
        title = session.scalar(
            select(ModuleText.title).where(ModuleText.module_id == module.id, ModuleText.locale == "es")
        )
        return module.questions, title


def test_participant_completes_a_module_and_its_check_in_spanish(
    tab: BrowserTab, catalogs: Catalogs, live_server: LiveServer
) -> None:
    page = tab.page
    tab.sign_in(PARTICIPANT, shot="home-other-es")
    assert tab.html_lang() == "es"
    tab.click(page.locator("main a.button").first, "learning-overview-es")
    assert "/learning/" in page.url
    assert tab.text("main h1") == "Taller QTP de un día"
    progress_label = catalogs.text("es", "%(done)s of %(total)s modules complete", done="0", total="5")
    assert progress_label in tab.text("main")

    questions, spanish_title = module_facts(live_server, "01-intro-to-qi")
    tab.click(page.locator("ol.module-list a").first, "module-es")
    assert tab.text("main h1") == spanish_title
    assert catalogs.text("es", "Learning objectives") in tab.text("main")
    tab.click(page.get_by_role("button", name=catalogs.text("es", "Mark as complete")), "module-complete-es")
    assert catalogs.text("es", "Module marked as complete.") in tab.text("main")

    tab.click(page.get_by_role("link", name=catalogs.text("es", "Take the knowledge check")), "check-es")
    for question in questions:
        for option in question["answer"]:
            page.check(f"#q-{question['id']}-{option}")
    tab.click(page.get_by_role("button", name=catalogs.text("es", "Submit my answers")), "check-result-es")
    assert "100%" in tab.text("main .result")

    tab.goto(page.url.split("/modules/")[0], "learning-overview-after-es")
    assert catalogs.text("es", "%(done)s of %(total)s modules complete", done="1", total="5") in tab.text("main")
