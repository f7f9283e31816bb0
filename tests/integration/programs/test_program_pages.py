"""The public program pages: the authored page of each program in the reader's language, with its title, search
description and alternates, the timetable, agenda and countries from program.yaml beside the right section, and
the English page with a notice where a translation is missing. The real courses/ are synced for these tests."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from qtp.catalog.content import load_content
from qtp.catalog.models import Program
from qtp.catalog.sync import sync_content
from tests.content.builder import write_program
from tests.helpers import text_of

LOCALES = ("en", "es", "pt_BR")
COURSES = Path(__file__).resolve().parents[3] / "courses"
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


@pytest.fixture(scope="module")
def authored():
    """The real pages as content check reads them: {program slug: {locale: ProgramPage}}."""
    content = load_content(COURSES, LOCALES)
    assert content.errors == []
    return {program.slug: program.pages for program in content.programs}


@pytest.fixture
def courses(session):
    sync_content(session, COURSES, LOCALES)
    session.commit()


def _plain(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text_of(response))).split())


@pytest.mark.parametrize("slug", ["six-month", "one-day"])
@pytest.mark.parametrize("locale", LOCALES)
def test_each_program_page_is_shown_in_the_readers_language(client, courses, authored, slug, locale):
    response = client.get(f"/programs/{slug}?lang={locale}")
    assert response.status_code == 200
    page = text_of(response)
    authored_page = authored[slug][locale]
    assert authored_page.status in ("source", "current"), "every shipped translation is current"
    assert f"<title>{html.escape(authored_page.title, quote=False)} · " in page
    assert f'<meta name="description" content="{html.escape(authored_page.description)}">' in page
    alternates = dict(ALTERNATE.findall(page))
    assert alternates["x-default"] == f"http://localhost/programs/{slug}"
    assert alternates["pt-BR"] == f"http://localhost/programs/{slug}?lang=pt_BR"
    for section in authored_page.sections:
        assert f'<section id="{section.id}" aria-labelledby="{section.id}-heading">' in page
        assert f'<h2 id="{section.id}-heading">{html.escape(section.heading, quote=False)}</h2>' in page
    assert "This page has not been translated" not in page


def test_the_six_month_page_adds_its_timetable_and_countries_in_spanish(client, courses):
    text = _plain(client.get("/programs/six-month?lang=es"))
    # phases with the week they begin, their summaries and their modules, in Spanish
    assert "Trabajo previo Semana 1 Evalúe su punto de partida" in text
    assert "Planificación Semana 10" in text and "Consolidar y extender Semana 31" in text
    assert "Mapeo de procesos y SIPOC" in text
    # learning sessions and coaching calls come from program.yaml
    assert "Sesión de aprendizaje 2: probar cambios y leer sus datos 29 2 días Virtual" in text
    assert "6 llamadas de acompañamiento de 60 minutos" in text
    # countries by their Spanish names, in Spanish order
    countries = text[text.rindex("Dónde está disponible el programa") :]  # the section, not the table of contents
    assert all(name in countries for name in ("Arabia Saudí", "Brasil", "España", "Grecia", "México", "Rumanía"))
    assert countries.index("Arabia Saudí") < countries.index("Brasil") < countries.index("Rumanía")
    assert "15 módulos" in text and "3 sesiones de aprendizaje" in text


def test_the_one_day_page_shows_the_workshop_agenda_with_its_module_titles(client, courses):
    text = _plain(client.get("/programs/one-day?lang=pt_BR"))
    assert "08:30–09:00" in text and "16:30–17:00" in text
    page = text_of(client.get("/programs/one-day"))
    assert '<caption id="agenda-caption">Agenda</caption>' in page and "phases-caption" not in page
    assert "09:00–10:15</td><td>Quality improvement in oncology and the Model for Improvement" in page


def test_the_buttons_open_the_interest_survey_with_the_program_chosen(client, courses):
    page = text_of(client.get("/programs/six-month"))
    assert 'href="/interest?program=six_month"' in page and 'href="/interest?program=licensing"' in page
    survey = text_of(client.get("/interest?program=licensing"))
    assert '<option selected value="licensing">' in survey
    bogus = text_of(client.get("/interest?program=bogus"))
    assert "selected" not in bogus.split('name="program"')[1].split("</select>")[0], "nothing is chosen for the visitor"


def test_the_program_list_and_the_landing_page_link_every_program_six_month_first(client, courses):
    listing = text_of(client.get("/programs?lang=es"))
    assert listing.index('href="/programs/six-month"') < listing.index('href="/programs/one-day"')
    assert "Programa QTP de seis meses" in listing and "Taller QTP de un día" in listing
    landing = text_of(client.get("/"))
    assert 'href="/programs/six-month"' in landing and 'href="/programs/one-day"' in landing
    assert 'href="/programs"' in landing, "the public navigation links the programs"


def test_a_missing_translation_shows_the_english_page_with_a_notice(client, session, tmp_path):
    root = tmp_path / "courses"
    folder = write_program(root)
    (folder / "about.es.md").unlink()
    sync_content(session, root, LOCALES)
    session.commit()
    page = text_of(client.get("/programs/test-program?lang=es"))
    assert '<html lang="es">' in page
    assert "Esta página aún no está traducida a su idioma; se muestra en inglés." in page
    assert '<div class="lesson-body" lang="en">' in page
    assert "The format section</h2>" in page, "the English headings stand in"
    assert "The format section [pt_BR]" in text_of(client.get("/programs/test-program?lang=pt_BR"))


def test_unknown_and_unsynced_programs_do_not_exist(client, session):
    session.add(Program(slug="not-synced", format="six_month", titles={"en": "Not synced"}, config={}))
    session.commit()
    assert client.get("/programs/nope").status_code == 404
    assert client.get("/programs/not-synced").status_code == 404
    assert "Not synced" not in text_of(client.get("/programs"))


def test_authored_links_cannot_run_script(client, session, tmp_path):
    from tests.content.builder import ABOUT_SECTIONS, WORDS, write_about_page

    root = tmp_path / "courses"
    folder = write_program(root)
    body = "".join(f"## {s}\n\n{WORDS * 3} [details](javascript:alert(1))\n\n" for s in ABOUT_SECTIONS)
    write_about_page(folder, "en", body=body)
    sync_content(session, root, LOCALES)
    session.commit()
    page = text_of(client.get("/programs/test-program"))
    assert 'href="javascript' not in page.lower() and "details" in page


def test_the_page_costs_a_fixed_number_of_statements(client, courses, sql_statements):
    client.get("/programs/six-month")  # warm-up: the first request of a test loads the session user etc.
    sql_statements.clear()
    assert client.get("/programs/six-month?lang=pt_BR").status_code == 200
    assert len(sql_statements) <= 12, sql_statements


def test_a_stale_translation_is_shown_with_a_warning(client, session, tmp_path):
    from tests.content.builder import write_about_page

    root = tmp_path / "courses"
    folder = write_program(root)
    write_about_page(folder, "en", description="The English description changed after the translations were made.")
    sync_content(session, root, LOCALES)
    session.commit()
    page = text_of(client.get("/programs/test-program?lang=pt_BR"))
    assert "A versão em inglês desta página mudou depois da tradução" in page
    assert "The format section [pt_BR]</h2>" in page, "the translation is still shown"


def test_the_page_shows_a_sync_at_once(client, session, tmp_path, sql_statements):
    """The programs' views are kept per language and content version: a second visit reads one small statement
    for them, and a sync that changes a module title shows the new title on the next visit."""
    import shutil

    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    sync_content(session, root, LOCALES)
    session.commit()
    assert "Why quality matters in oncology" in _plain(client.get("/programs/six-month"))
    sql_statements.clear()
    client.get("/programs/six-month")
    assert not any("module_texts" in statement for statement in sql_statements)  # kept, not reloaded
    lesson = root / "six-month" / "01-why-quality" / "en.md"
    lesson.write_text(lesson.read_text("utf-8").replace("Why quality matters in oncology", "Why quality matters"))
    sync_content(session, root, LOCALES)
    session.commit()
    page = _plain(client.get("/programs/six-month"))
    assert "Why quality matters" in page and "Why quality matters in oncology" not in page
