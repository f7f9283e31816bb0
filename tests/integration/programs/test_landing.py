"""The landing page and the program pages as a front door: what the program does and for whom with one call to
action (the interest survey), the published knowledge gain, both formats side by side, the next cohorts from the
database with their dates in the reader's language (or an honest empty state), graduate teams as proof, and on
each program page the worksheets a team hands in. The real courses/ are synced for these tests."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

from qtp.catalog.models import Program
from qtp.catalog.sync import sync_content
from qtp.certificates.models import Certificate
from qtp.certificates.serials import new_serial
from qtp.core.storage import new_key
from tests.factories import add_member, make_cohort, make_organization, make_team, make_user
from tests.helpers import login, text_of

LOCALES = ("en", "es", "pt_BR")
COURSES = Path(__file__).resolve().parents[3] / "courses"
EMPTY_ES = "Por el momento no hay ninguna cohorte nueva programada."


@pytest.fixture
def courses(session):
    sync_content(session, COURSES, LOCALES)
    session.commit()
    return {p.slug: p for p in session.query(Program).all()}


def _plain(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _section(page: str, marker: str) -> str:
    """The HTML of the first <section> whose opening tag contains `marker`."""
    start = page.index(marker)
    return page[start : page.index("</section>", start)]


def _cohorts(session, courses):
    six, one = courses["six-month"], courses["one-day"]
    make_cohort(
        session,
        program=six,
        name="Cohorte Lima 2031",
        locale="es",
        status="planned",
        starts_on=date(2031, 3, 4),
        ends_on=date(2031, 11, 14),
    )
    make_cohort(
        session,
        program=one,
        name="Oficina Recife 2031",
        locale="pt_BR",
        status="planned",
        starts_on=date(2031, 2, 20),
        ends_on=date(2031, 2, 20),
    )
    make_cohort(
        session,
        program=six,
        name="Already running",
        status="active",
        starts_on=date(2020, 9, 1),
        ends_on=date(2021, 5, 1),
    )
    make_cohort(
        session,
        program=six,
        name="Closed early",
        status="finished",
        starts_on=date(2031, 5, 1),
        ends_on=date(2031, 12, 1),
    )


def test_the_landing_page_lists_the_next_cohorts_with_their_dates_in_spanish(client, session, courses):
    _cohorts(session, courses)
    text = _plain(_section(text_of(client.get("/?lang=es")), 'class="landing-section next-cohorts"'))
    assert "Próximas cohortes" in text
    assert "Del 4 de marzo de 2031 al 14 de noviembre de 2031 Cohorte Lima 2031" in text
    assert "Programa QTP de seis meses · Se imparte en español" in text
    assert "20 de febrero de 2031 Oficina Recife 2031 Taller QTP de un día · Se imparte en portugués" in text
    assert text.index("Oficina Recife 2031") < text.index("Cohorte Lima 2031"), "the soonest first"
    assert "Already running" not in text and "Closed early" not in text, "started or closed cohorts are not open"
    assert EMPTY_ES not in text


def test_each_program_page_lists_only_its_own_next_cohorts(client, session, courses):
    _cohorts(session, courses)
    six = _plain(text_of(client.get("/programs/six-month?lang=pt_BR")))
    assert "De 4 de março de 2031 a 14 de novembro de 2031 Cohorte Lima 2031 Ministrada em espanhol" in six
    assert "Oficina Recife 2031" not in six
    one = _plain(text_of(client.get("/programs/one-day?lang=pt_BR")))
    assert "20 de fevereiro de 2031 Oficina Recife 2031" in one and "Cohorte Lima 2031" not in one


def test_with_no_cohort_ahead_the_pages_say_so_and_where_to_ask(client, session, courses):
    make_cohort(
        session,
        program=courses["six-month"],
        name="Past cohort",
        status="finished",
        starts_on=date(2021, 1, 10),
        ends_on=date(2021, 9, 1),
    )
    landing = _section(text_of(client.get("/?lang=es")), 'class="landing-section next-cohorts"')
    assert EMPTY_ES in _plain(landing) and "Past cohort" not in landing
    assert 'href="/interest">Cuéntenos ya sobre su equipo en la encuesta de interés' in landing
    program = text_of(client.get("/programs/one-day?lang=es"))
    assert EMPTY_ES in _plain(program)
    assert 'href="/interest?program=one_day">Cuéntenos ya sobre su equipo' in program


def test_the_hero_says_what_and_for_whom_with_one_call_to_action(client, session, courses):
    hero = _section(text_of(client.get("/")), 'class="hero landing-hero"')
    text = _plain(hero)
    assert "teaches physician-led oncology teams to design, carry out and lead quality-improvement projects" in text
    assert "physicians, fellows, nurses, pharmacists, practice managers and quality leads" in text
    buttons = re.findall(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', hero)
    assert buttons == [("/interest", "Tell us about your team")], "one primary call to action: the interest survey"
    assert 'href="/login">Sign in</a>' in hero, "signing in is the secondary link"

    user = make_user(session, roles=["participant"])
    login(client, user.email)
    hero = _section(text_of(client.get("/")), 'class="hero landing-hero"')
    assert re.findall(r'<a class="button[^"]*" href="([^"]+)"', hero) == ["/home"]


def test_the_published_knowledge_gain_is_cited_as_stated(client, courses):
    text = _plain(text_of(client.get("/")))
    assert ("38% average gain in knowledge, reported by the program's five-year review") in text
    assert "37% average gain in competence, with the largest gains in aim statements, rapid-cycle testing" in text
    assert "on a 10-point scale" in text
    spanish = text_of(client.get("/?lang=es"))
    assert (
        "38\u00a0%</span>" in spanish and "de mejora media en conocimientos, según la revisión de cinco años" in spanish
    )
    assert "6 países de los que han venido equipos: Arabia Saudí, Brasil, España, Grecia, México, Rumanía" in (
        _plain(spanish)
    )


def test_the_two_formats_stand_side_by_side_with_what_each_team_produces(client, courses):
    formats = text_of(client.get("/")).split('<div class="formats">')[1].split("</section>")[0]
    six, one = formats.split('<article class="format-card"')[1:3]
    assert 'href="/programs/six-month"' in six and 'href="/programs/one-day"' in one
    six, one = _plain(six), _plain(one)
    assert "37 weeks, from the pre-work to the last learning session" in six
    assert "Pre-work · Planning · Implementation · Sustain and spread" in six
    assert "3 learning sessions · 5 days of teaching · 6 coaching calls" in six
    assert "15 modules" in six and "11 worksheets, each reviewed by faculty or a coach" in six
    assert "1 day, in person" in one and "5 sessions with an exercise each" in one and "5 modules" in one
    assert "A draft aim statement, a first process map, a few measures and a plan for the first PDSA cycle" in one


def test_the_six_month_phases_read_as_a_timeline_with_their_learning_sessions(client, courses):
    timeline = _plain(text_of(client.get("/?lang=es")).split('<ol class="timeline">')[1].split("</ol>")[0])
    assert timeline.index("Semana 1 Trabajo previo") < timeline.index("Semana 10 Planificación")
    assert "Semana 10 Planificación Afine el objetivo" in timeline
    assert "Sesión de aprendizaje 1: el método y su proyecto · 2 días, presencial" in timeline
    assert timeline.index("Sesión de aprendizaje 3") > timeline.index("Semana 31 Consolidar y extender")


def _graduate(session, result: str) -> None:
    cohort = make_cohort(session, status="finished", starts_on=date(2025, 1, 10), ends_on=date(2025, 6, 30))
    team = make_team(session, cohort, organization=make_organization(session, country="MX"))
    leader = make_user(session, roles=["participant"])
    add_member(session, team, leader, "leader")
    session.add(
        Certificate(
            serial=new_serial(),
            user_id=leader.id,
            cohort_id=cohort.id,
            team_id=team.id,
            recipient_name=leader.name,
            locale="en",
            storage_key=new_key(),
        )
    )
    team.graduate_listed, team.graduate_result = True, result
    session.commit()


def test_graduate_teams_are_the_proof_when_there_are_any(client, session, courses):
    page = text_of(client.get("/"))
    proof = page[page.index('<aside class="proof"') : page.index("</aside>")]
    assert "Teams that complete the program can choose to be listed on the graduates page" in _plain(proof)
    assert 'href="/graduates"' in proof

    _graduate(session, "Time to antibiotics within 60 minutes went from 50% to 92%")
    _graduate(session, "Written consent before oral chemotherapy went from 0% to 73%")
    page = text_of(client.get("/?lang=es"))
    proof = _plain(page[page.index('<aside class="proof"') : page.index("</aside>")])
    assert "Time to antibiotics within 60 minutes went from 50% to 92%" in proof and "México" in proof
    assert "2 equipos egresados en la página de egresados" in proof


def test_the_program_page_lists_what_the_team_hands_in_by_week(client, courses):
    six = _plain(text_of(client.get("/programs/six-month?lang=es")))
    handins = six[six.index("Lo que entrega su equipo") :]
    assert "Acta de constitución del proyecto Semana 12" in handins
    assert handins.index("Acta de constitución") < handins.index("Plan de consolidación") < handins.index("Storyboard")
    assert "Consolidar y extender Semana 31" in six, "the modules by phase stay in the timetable"
    one = _plain(text_of(client.get("/programs/one-day")))
    assert "No worksheet is submitted for review: your team leaves the day with a draft aim statement" in one


def test_the_program_page_has_one_call_to_action_beside_its_facts(client, courses):
    page = text_of(client.get("/programs/six-month"))
    aside = page[page.index('<aside class="program-aside"') : page.index("</aside>")]
    assert re.findall(r'<a class="button[^"]*" href="([^"]+)"', aside) == ["/interest?program=six_month"]
    assert "15 modules" in _plain(aside) and 'href="/login"' in aside


@pytest.mark.parametrize("path", ["/", "/programs", "/programs/six-month"])
def test_the_pages_cost_a_fixed_number_of_statements_however_many_cohorts_are_ahead(
    client, session, courses, sql_statements, path
):
    def cost() -> int:
        client.get(f"{path}?lang=es")  # warm-up: the programs' views are built once per language and content
        sql_statements.clear()
        assert client.get(f"{path}?lang=es").status_code == 200
        return len(sql_statements)

    make_cohort(
        session, program=courses["six-month"], status="planned", starts_on=date(2031, 1, 5), ends_on=date(2031, 9, 1)
    )
    few = cost()
    for n in range(5):
        make_cohort(
            session,
            program=courses["six-month"],
            status="planned",
            starts_on=date(2031, 2, 1 + n),
            ends_on=date(2031, 9, 1),
        )
        _graduate(session, f"Result {n}")
    assert cost() == few <= 12
