"""A team works on its project in Portuguese: charter and aim, a concurrent edit resolved on the conflict page,
autosave, and data points that make the run chart show a shift (axe-core runs on every page)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser.support import BrowserTab, Catalogs, LiveServer
from tests.pdf.support import pdf_info

pytestmark = pytest.mark.browser

PT = "pt_BR"


@dataclass(frozen=True)
class JourneyTeam:
    id: int
    leader: str
    member: str


@pytest.fixture
def team(live_server: LiveServer, request: pytest.FixtureRequest) -> JourneyTeam:
    """A new team of our own in the six-month cohort, led by a Portuguese-speaking leader (new people and a
    new practice for each test, so that tests do not share state)."""
    tag = request.node.name.split("_")[2]  # "fills" or "defines"
    leader, member = f"lider.{tag}@example.org", f"membro.{tag}@example.org"
    from qtp.accounts.models import Organization, User
    from qtp.cohorts.models import Cohort, Membership, Team

    organization = f"Hospital Oncológico de Campinas ({tag})"
    with live_server.db() as session:
        session.add(Organization(name=organization, kind="practice", country="BR", city="Campinas"))
    for email, name in ((leader, "Marina Duarte"), (member, "Tiago Ferreira")):
        live_server.create_user(email, name, ["participant"], organization, locale=PT)
    with live_server.db() as session:
        cohort = session.scalar(select(Cohort).where(Cohort.slug == "international-2026"))
        org = session.scalar(select(Organization).where(Organization.name == organization))
        new_team = Team(cohort=cohort, organization=org, project_title="Febre neutropênica: antibiótico em 60 minutos")
        session.add(new_team)
        session.flush()
        for email, role in ((leader, "leader"), (member, "core")):
            user = session.scalar(select(User).where(User.email == email))
            session.add(Membership(team=new_team, user=user, role=role))
        session.flush()
        return JourneyTeam(new_team.id, leader, member)


def worksheet_title(live_server: LiveServer, slug: str) -> str:
    from qtp.catalog.models import WorksheetType

    with live_server.db() as session:
        return session.scalar(select(WorksheetType).where(WorksheetType.slug == slug)).text(PT)["title"]


def field_label(live_server: LiveServer, slug: str, field: str) -> str:
    from qtp.catalog.models import WorksheetType

    with live_server.db() as session:
        return session.scalar(select(WorksheetType).where(WorksheetType.slug == slug)).text(PT)["fields"][field][
            "label"
        ]


def test_team_fills_in_charter_and_aim_and_resolves_a_conflict_in_portuguese(
    open_tab, catalogs: Catalogs, live_server: LiveServer, team: JourneyTeam
) -> None:
    leader: BrowserTab = open_tab()
    page = leader.page
    leader.sign_in(team.leader, shot="workspace-home-pt")
    assert leader.html_lang() == "pt-BR"
    leader.click(
        page.get_by_role(
            "link", name=catalogs.text(PT, "Open the project workspace: worksheets, measures and run charts")
        ),
        "workspace-pt",
    )
    assert leader.text("main h1") == "Febre neutropênica: antibiótico em 60 minutos"

    # The aim, entered once...
    leader.click(page.get_by_role("link", name=worksheet_title(live_server, "aim"), exact=True), "aim-pt")
    page.get_by_label(field_label(live_server, "aim", "statement")).fill(
        "Aumentar de 50% para 90% a proporção de pacientes com febre neutropênica que recebem antibiótico "
        "em até 60 minutos até 30/06/2027."
    )
    page.get_by_label(field_label(live_server, "aim", "baseline")).fill("50")
    page.get_by_label(field_label(live_server, "aim", "target")).fill("90")
    leader.click(page.get_by_role("button", name=catalogs.text(PT, "Save"), exact=True), "aim-saved-pt")
    assert catalogs.text(PT, "Saved. Every save is kept in the history.") in leader.text("main")

    # ...shows in the charter, which the leader fills in.
    charter = f"/teams/{team.id}/worksheets/charter/1"
    leader.goto(charter, "charter-pt")
    assert "de 50% para 90%" in leader.text("main")
    title_label = field_label(live_server, "charter", "title")
    problem_label = field_label(live_server, "charter", "problem-statement")
    page.get_by_label(title_label).fill("Antibiótico em 60 minutos")
    page.get_by_label(problem_label).fill("Metade dos pacientes espera mais de 60 minutos pelo antibiótico.")
    leader.click(page.get_by_role("button", name=catalogs.text(PT, "Save"), exact=True), "charter-saved-pt")

    # A member opens the same version; the leader saves first; the member's save meets a conflict.
    member: BrowserTab = open_tab(java_script_enabled=False)
    member.sign_in(team.member, shot="workspace-member-home-pt")
    member.goto(charter, "charter-member-pt")
    page.get_by_label(problem_label).fill("Metade dos pacientes espera mais de 60 minutos; à noite, 70%.")
    leader.click(page.get_by_role("button", name=catalogs.text(PT, "Save"), exact=True), "charter-saved-again-pt")
    member.page.get_by_label(title_label).fill("Antibiótico em até 60 minutos na emergência")
    member.click(
        member.page.get_by_role("button", name=catalogs.text(PT, "Save"), exact=True), "charter-conflict-pt", status=409
    )
    conflict = member.text("main .conflict")
    assert catalogs.text(PT, "Someone saved this worksheet while you were editing") in conflict
    assert "à noite, 70%" in conflict  # their version beside mine
    assert "Antibiótico em até 60 minutos na emergência" in conflict
    # The member keeps both: takes the leader's problem statement into the form, then saves.
    member.page.get_by_label(problem_label).fill("Metade dos pacientes espera mais de 60 minutos; à noite, 70%.")
    member.click(member.page.get_by_role("button", name=catalogs.text(PT, "Save"), exact=True), "charter-resolved-pt")
    assert catalogs.text(PT, "Saved. Every save is kept in the history.") in member.text("main")
    member.goto(f"{charter}/history", "charter-history-pt")
    assert member.page.locator("table.history tbody tr").count() == 3

    # Autosave in the leader's tab (JavaScript on): a change is saved without pressing the button.
    leader.goto(charter, "charter-reload-pt")
    assert page.get_by_label(title_label).input_value() == "Antibiótico em até 60 minutos na emergência"
    page.get_by_label(field_label(live_server, "charter", "background")).fill("Protocolo de sepse revisado em 2025.")
    saved_prefix = catalogs.text(PT, "Saved at %(time)s", time="").strip()
    page.locator("#save-status[data-state=saved]").wait_for(timeout=15_000)
    assert saved_prefix in leader.text("#save-status")
    from qtp.worksheets.models import Worksheet

    with live_server.db() as session:
        stored = session.scalar(select(Worksheet).where(Worksheet.team_id == team.id, Worksheet.version == 4))
        assert stored is not None and stored.data["background"] == "Protocolo de sepse revisado em 2025."


def test_team_defines_a_measure_enters_data_and_sees_a_shift_in_portuguese(
    tab: BrowserTab, catalogs: Catalogs, live_server: LiveServer, team: JourneyTeam
) -> None:
    page = tab.page
    tab.sign_in(team.leader, shot="measure-home-pt")
    tab.goto(f"/teams/{team.id}/workspace", "measure-workspace-pt")
    tab.click(page.get_by_role("link", name=catalogs.text(PT, "Define a new measure")), "measure-new-pt")
    page.get_by_label(field_label(live_server, "measures", "name")).fill("Antibiótico em até 60 minutos")
    page.get_by_label(field_label(live_server, "measures", "numerator")).fill("Pacientes com antibiótico em 60 min")
    page.get_by_label(field_label(live_server, "measures", "denominator")).fill("Pacientes com febre neutropênica")
    page.get_by_label(field_label(live_server, "measures", "scale")).select_option("proportion")
    page.get_by_label(field_label(live_server, "measures", "target")).fill("90")
    tab.click(page.get_by_role("button", name=catalogs.text(PT, "Save"), exact=True), "measure-saved-pt")
    tab.click(page.get_by_role("link", name=catalogs.text(PT, "Data and run chart")), "measure-page-pt")

    # Six baseline weeks come from a CSV file (Portuguese headers, ; and decimal commas)...
    weeks = [date(2026, 9, 7) + timedelta(weeks=i) for i in range(12)]
    rows = [
        f"{week.isoformat()};{n};{d}"
        for week, (n, d) in zip(weeks[:6], [(5, 10), (4, 10), (5, 11), (4, 9), (5, 10), (4, 10)], strict=True)
    ]
    csv_text = "período;numerador;denominador\n" + "\n".join(rows) + "\n"
    page.locator("#import input[type=file]").set_input_files(
        files=[{"name": "linha-de-base.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}]
    )
    tab.click(page.get_by_role("button", name=catalogs.text(PT, "Import the file")), "measure-imported-pt")
    assert page.locator("#data tbody tr").count() == 6

    # ...and six weeks after the change are typed in, one by one.
    for week, numerator in zip(weeks[6:], (8, 9, 9, 8, 9, 10), strict=True):
        form = page.locator("#add-point form")
        form.locator("input[name=period]").fill(week.isoformat())
        form.locator("input[name=numerator]").fill(str(numerator))
        form.locator("input[name=denominator]").fill("10")
        tab.click(form.get_by_role("button", name=catalogs.text(PT, "Add the data point")), f"measure-point-{week}")
    assert page.locator("#data tbody tr").count() == 12
    chart = page.locator("#measure-chart svg")
    assert chart.get_attribute("role") == "img" and chart.locator(":scope > title").count() == 1
    shift = catalogs.text(
        PT, "Shift: %(min)s or more points in a row above the median: points %(start)s–%(end)s (%(first)s – %(last)s)."
    )
    assert shift.split("%(")[0].strip() in tab.text("main .reading")

    # The results poster: A0 chosen on the workspace page, downloaded as one A0 landscape page.
    tab.goto(f"/teams/{team.id}/workspace", "measure-workspace-poster-pt")
    page.get_by_label(catalogs.text(PT, "Results poster")).select_option("a0")
    with page.expect_download() as download:
        page.get_by_role("button", name=catalogs.text(PT, "Download the storyboard (PDF)")).click()
    assert download.value.suggested_filename == "storyboard-a0.pdf"
    info = pdf_info(Path(download.value.path()).read_bytes())
    assert re.search(r"^Pages:\s+1$", info, re.M) and "3370.39 x 2383.94 pts" in info
