"""The public pages in the browser, JavaScript off: the graduates page with its filters, in Spanish, with its
language alternates; a team leader reaches the form that shows the team there (axe-core on every page)."""

from __future__ import annotations

import pytest

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

ES = "es"
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
