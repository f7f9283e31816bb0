"""A Spanish-speaking team builds its driver diagram: links are ticked from the drivers typed above (no codes
typed), and the diagram beside the form follows each automatic save; on a phone the diagram comes below the
form and nothing scrolls sideways (axe-core runs on every page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

ES = "es"


@pytest.fixture
def team_id(live_server: LiveServer, request: pytest.FixtureRequest) -> int:
    """A team of our own in the six-month cohort, with its aim written, led by a Spanish-speaking leader."""
    from qtp.accounts.models import Organization, User
    from qtp.catalog.models import WorksheetType
    from qtp.cohorts.models import Cohort, Membership, Team
    from qtp.worksheets.models import Worksheet

    tag = request.node.name.split("[")[-1].rstrip("]")
    organization, email = f"Instituto Oncológico de Rosario ({tag})", f"lider.impulsores.{tag}@example.org"
    with live_server.db() as session:
        session.add(Organization(name=organization, kind="practice", country="AR", city="Rosario"))
    live_server.create_user(email, "Valeria Quiroga", ["participant"], organization, locale=ES)
    with live_server.db() as session:
        cohort = session.scalar(select(Cohort).where(Cohort.slug == "international-2026"))
        org = session.scalar(select(Organization).where(Organization.name == organization))
        team = Team(cohort=cohort, organization=org, project_title="Llamadas de síntomas atendidas en 2 horas")
        session.add(team)
        session.flush()
        leader = session.scalar(select(User).where(User.email == email))
        session.add(Membership(team=team, user=leader, role="leader"))
        aim_type = session.scalar(select(WorksheetType).where(WorksheetType.slug == "aim"))
        aim = {"statement": "Atender el 75% de las llamadas en 2 horas."}
        session.add(Worksheet(team=team, type=aim_type, data=aim, updated_by=leader))
        session.flush()
        return team.id


def _fill_row(page, group: str, row: int, code: str, description: str) -> None:
    page.locator(f"[name='{group}-{row}-code']").fill(code)
    page.locator(f"[name='{group}-{row}-description']").fill(description)


@pytest.mark.parametrize("width", [1280])
def test_links_are_ticked_and_the_diagram_beside_the_form_follows_the_saves(
    open_tab, catalogs: Catalogs, live_server: LiveServer, team_id: int, width: int
) -> None:
    tab: BrowserTab = open_tab(locale="es-AR", viewport={"width": width, "height": 900})
    tab.sign_in(f"lider.impulsores.{width}@example.org")
    tab.goto(f"/teams/{team_id}/worksheets/driver-diagram/1", "driver-diagram-new-es")
    page = tab.page
    _fill_row(page, "primary-drivers", 0, "p1", "Una enfermera atiende siempre las llamadas")
    _fill_row(page, "primary-drivers", 1, "P2", "Las llamadas se clasifican por urgencia")
    _fill_row(page, "secondary-drivers", 0, "S1", "Enfermera de llamadas nombrada en cada turno")

    links = page.locator("fieldset.codes:has(ul#secondary-drivers-0-primary-codes)")
    options = links.locator("label")
    expect(options).to_have_count(2)  # the script lists them as they are typed: wait for both under load
    assert [" ".join(t.split()) for t in options.all_inner_texts()] == [
        "P1 · Una enfermera atiende siempre las…",
        "P2 · Las llamadas se clasifican por urgencia",
    ], "the primary drivers typed above, before any save"
    assert links.locator(".codes-empty").is_hidden()
    links.get_by_label("P2 · Las llamadas se clasifican por urgencia").check()
    _fill_row(page, "change-ideas", 0, "C1", "Guion de triaje telefónico")
    change_links = page.locator("ul#change-ideas-0-secondary-codes")
    change_links.get_by_label("S1 · Enfermera de llamadas nombrada en cada…").check()

    saved = catalogs.text(ES, "Saved at %(time)s", time="")
    page.wait_for_function(
        "text => document.getElementById('save-status').textContent.startsWith(text)", arg=saved.strip(), timeout=15000
    )
    description = page.locator("#worksheet-diagram svg desc")
    page.wait_for_function("() => document.querySelector('#worksheet-diagram svg desc').textContent.includes('S1')")
    assert "S1 Enfermera de llamadas nombrada en cada turno (→ P2)" in " ".join(description.text_content().split())
    assert "(→ S1)" in description.text_content()

    form, panel = page.locator("form.worksheet-form").bounding_box(), page.locator(".diagram-beside").bounding_box()
    assert panel["x"] >= form["x"] + form["width"], "the diagram is beside the form"
    assert panel["width"] >= 560, "wide enough to read"
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    box = page.locator(".diagram-beside").bounding_box()
    assert 0 <= box["y"] < 900, "the diagram stays in view while the form scrolls"

    tab.goto(f"/teams/{team_id}/worksheets/driver-diagram/1", "driver-diagram-saved-es")
    ticked = page.locator("ul#secondary-drivers-0-primary-codes input:checked")
    assert [ticked.nth(i).get_attribute("value") for i in range(ticked.count())] == ["P2"]

    from qtp.catalog.models import WorksheetType
    from qtp.worksheets.models import Worksheet

    with live_server.db() as session:
        type_id = session.scalar(select(WorksheetType.id).where(WorksheetType.slug == "driver-diagram"))
        stored = session.scalar(select(Worksheet).where(Worksheet.team_id == team_id, Worksheet.type_id == type_id))
        assert stored.data["secondary-drivers"][0]["primary-codes"] == ["P2"]
        assert stored.data["change-ideas"][0]["secondary-codes"] == ["S1"]


@pytest.mark.parametrize("width", [390])
def test_on_a_phone_the_diagram_comes_below_the_form(
    open_tab, live_server: LiveServer, team_id: int, width: int
) -> None:
    tab: BrowserTab = open_tab(locale="es-AR", viewport={"width": width, "height": 844})
    tab.sign_in(f"lider.impulsores.{width}@example.org")
    tab.goto(f"/teams/{team_id}/worksheets/driver-diagram/1", "driver-diagram-phone-es")
    page = tab.page
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    form, panel = page.locator("form.worksheet-form").bounding_box(), page.locator("section.diagram").bounding_box()
    assert panel["y"] >= form["y"] + form["height"], "the diagram follows the form"
