"""Worksheet and storyboard PDFs: every real type exports in the reader's language, blank forms print,
the storyboard gathers the team's work (charts included), outsiders get 404, user text stays text."""

from __future__ import annotations

import pytest

from qtp.extensions import db
from qtp.worksheets.models import Worksheet
from tests.helpers import login
from tests.pdf.project import PROJECT, add_project
from tests.pdf.support import expanded, pdf_fonts, pdf_text, words
from tests.pdf.test_pdf import listener

SLUGS = (
    "charter",
    "aim",
    "roster",
    "sipoc",
    "process-map",
    "fishbone",
    "pareto",
    "driver-diagram",
    "measures",
    "pdsa",
    "sustainability",
    "storyboard",
)


def sign_in(app, team, who: str = "leader", locale: str | None = None):
    user = team.people[who]
    if locale is not None:
        user.locale = locale
        db.session.commit()
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def get_pdf(client, path: str, filename: str | None = None) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "application/pdf"
    if filename:
        assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.data.startswith(b"%PDF-")
    return response.data


def labels(team, slug: str, locale: str) -> list[str]:
    """The top-level field labels of a type in a language (what the PDF must show)."""
    texts = team.types[slug].text(locale)["fields"]
    return [texts[spec["id"]]["label"] for spec in team.types[slug].definition["fields"]]


def test_the_twelve_worksheets_are_real():
    assert {slug for slug, _ in PROJECT} == set(SLUGS)


VALUES = {  # what some worksheets must show, as a reader sees it (choices by label, dates formatted)
    "charter": ["Only 48% of symptom-management calls", "Dr Ana Beatriz Ribeiro", "Team leader", "Sep 15, 2026"],
    "aim": ["Increase the share of symptom-management calls", "Jun 30, 2027", "\u2611 Specific"],
    "roster": ["Dra. Ana Beatriz Ribeiro", "Oncologia clínica", "Accountable"],
    "process-map": ["Transfers to the shared", "Decision"],
    "pdsa": ["C1 · Call-nurse rota with a dedicated phone", "Symptom-management calls answered within 2 hours"],
    "sustainability": ["Rafael Souza Lima, nurse manager", "Checklists"],
    # the pictures: text drawn in the SVG
    "driver-diagram": ["UKONS", "Change ideas"],
    "fishbone": ["Effect", "Environment"],
    "pareto": ["Cumulative %", "Reference line at 80%"],
}


def test_each_worksheet_type_exports_with_its_labels_and_values(app, session, real_team):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    for slug in SLUGS:
        path = f"/teams/{real_team.id}/worksheets/{slug}/1.pdf"
        text = words(pdf_text(get_pdf(client, path, f"{slug}-1.pdf")))
        assert real_team.types[slug].text("en")["title"] in text, slug
        assert real_team.project_title in text and "Draft" in text
        for label in labels(real_team, slug, "en"):
            assert label in text, f"{slug}: {label!r} missing"
        for value in VALUES.get(slug, []):
            assert value in text, f"{slug}: {value!r} missing"
    text = words(pdf_text(get_pdf(client, f"/teams/{real_team.id}/worksheets/measures/2.pdf", "measures-2.pdf")))
    assert "Record 2" in text and "Unplanned ED visits of patients on chemotherapy" in text


@pytest.mark.parametrize("locale", ["es", "pt_BR"])
def test_worksheets_export_in_the_readers_language(app, session, real_team, locale):
    add_project(session, real_team)
    client = sign_in(app, real_team, locale=locale)
    for slug in ("charter", "fishbone", "pdsa", "measures"):
        document = get_pdf(client, f"/teams/{real_team.id}/worksheets/{slug}/1.pdf")
        text = words(pdf_text(document))
        assert real_team.types[slug].text(locale)["title"] in text
        for label in labels(real_team, slug, locale):
            assert label in text, f"{slug}: {label!r} missing"
        assert f"/Lang ({locale.replace('_', '-')})".encode() in expanded(document)
    # choices by their translated label, dates in the reader's language
    text = words(pdf_text(get_pdf(client, f"/teams/{real_team.id}/worksheets/pdsa/1.pdf")))
    pdsa = real_team.types["pdsa"].text(locale)["fields"]
    assert pdsa["decision"]["choices"]["adapt"] in text
    assert pdsa["purpose"]["choices"]["test"] in text
    assert "2026" in text and "Sep 7, 2026" not in text


def test_a_worksheet_not_saved_yet_prints_as_a_blank_form(app, session, real_team):
    client = sign_in(app, real_team)
    text = words(pdf_text(get_pdf(client, f"/teams/{real_team.id}/worksheets/aim/1.pdf", "aim-1.pdf")))
    for label in labels(real_team, "aim", "en"):
        assert label in text
    assert "\u2610 Increase \u2610 Decrease" in text  # choices to tick by hand
    assert "Not started" in text
    assert session.query(Worksheet).filter_by(team_id=real_team.id).count() == 0  # GET wrote nothing


def test_unknown_types_records_and_teams_are_404(app, session, real_team):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    for path in (
        f"/teams/{real_team.id}/worksheets/no-such-type/1.pdf",
        f"/teams/{real_team.id}/worksheets/measures/9.pdf",
        f"/teams/{real_team.id}/worksheets/charter/2.pdf",
        f"/teams/{real_team.id}/worksheets/charter/0.pdf",
        "/teams/999999/worksheets/charter/1.pdf",
        "/teams/999999/storyboard.pdf",
    ):
        assert client.get(path).status_code == 404, path


def test_another_teams_pdfs_are_404_and_readers_get_them(app, session, real_team):
    add_project(session, real_team)
    outsider = sign_in(app, real_team, "outsider")
    readers = {who: sign_in(app, real_team, who) for who in ("core", "sponsor", "faculty")}
    for path in (f"/teams/{real_team.id}/worksheets/charter/1.pdf", f"/teams/{real_team.id}/storyboard.pdf"):
        response = outsider.get(path)
        assert response.status_code == 404 and not response.data.startswith(b"%PDF"), path
        for who, client in readers.items():
            assert client.get(path).status_code == 200, (who, path)
        assert app.test_client().get(path).status_code == 302  # anonymous: to the sign-in page


def test_injection_in_a_worksheet_field_stays_text(app, session, real_team):
    with listener() as (port, connections_seen):
        payload = f'</p><link rel="attachment" href="file:///etc/passwd"><img src="http://127.0.0.1:{port}/x">'
        data = {**PROJECT[("charter", 1)], "title": payload, "problem-statement": payload}
        wtype = real_team.types["charter"]
        session.add(Worksheet(team_id=real_team.id, type_id=wtype.id, type=wtype, record_no=1, data=data))
        session.commit()
        client = sign_in(app, real_team)
        charter = get_pdf(client, f"/teams/{real_team.id}/worksheets/charter/1.pdf")
        storyboard = get_pdf(client, f"/teams/{real_team.id}/storyboard.pdf")
        assert not connections_seen(), "rendering a PDF connected to the listener"
    for document in (charter, storyboard):
        text = words(pdf_text(document))
        assert f'<link rel="attachment" href="file:///etc/passwd"><img src="http://127.0.0.1:{port}/x">' in text
        raw = expanded(document)
        assert b"/EmbeddedFile" not in raw and b"/URI (file" not in raw and b"root:x:0:0" not in raw


# -- the storyboard --


def test_the_storyboard_gathers_the_teams_work(app, session, real_team):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    document = get_pdf(client, f"/teams/{real_team.id}/storyboard.pdf", "storyboard.pdf")
    text = words(pdf_text(document))
    for label in labels(real_team, "storyboard", "en"):
        if label not in ("Problem", "Aim", "Process owner"):  # refs are shown under their own sections
            assert label in text, label
    for expected in (
        real_team.project_title,
        "Um time de 4 pessoas no ambulatório de quimioterapia (São Paulo).",  # team and setting
        "Only 48% of symptom-management calls",  # the charter's problem statement
        "Increase the share of symptom-management calls",  # the aim statement
        "Jun 30, 2027",  # its target date
        "Calls the clinic number",  # process map steps
        "Patients lack a card",  # fishbone
        "No nurse free du",  # Pareto bar label
        "Symptom-management calls answered within 2 hours",  # measure 1 with its run chart
        "Not enough data for a chart yet.",  # measure 2 has no points
        "C1 · Call-nurse rota with a dedicated phone",  # PDSA cycles
        "Adopt",
        "Name one person for each task",  # lessons learned
        "Rafael Souza Lima, nurse manager",  # process owner
        "Monthly",  # measures kept
    ):
        assert expected in text, expected
    assert "Median" in text and "PDSA 1" in text  # the run chart's own text, drawn as vector text
    fonts = [line.split()[0] for line in pdf_fonts(document).splitlines()[2:] if line.strip()]
    assert fonts and all("+QTP-Sans" in name for name in fonts), fonts


def test_an_empty_storyboard_says_what_is_missing(app, session, real_team):
    client = sign_in(app, real_team)
    text = words(pdf_text(get_pdf(client, f"/teams/{real_team.id}/storyboard.pdf")))
    assert text.count("Not written yet.") >= 5
    for missing in ("No measures yet.", "No PDSA cycles yet.", "No process map yet.", "No fishbone diagram yet."):
        assert missing in text


@pytest.mark.parametrize("locale", ["es", "pt_BR"])
def test_the_storyboard_in_the_readers_language(app, session, real_team, locale):
    add_project(session, real_team)
    client = sign_in(app, real_team, locale=locale)
    document = get_pdf(client, f"/teams/{real_team.id}/storyboard.pdf")
    text = words(pdf_text(document))
    story = real_team.types["storyboard"].text(locale)
    assert story["title"] in text
    for field_id in ("team-and-setting", "why-it-mattered", "process-analysis", "changes-tested", "lessons-learned"):
        assert story["fields"][field_id]["label"] in text
    assert real_team.types["pdsa"].text(locale)["fields"]["decision"]["choices"]["adopt"] in text
    assert f"/Lang ({locale.replace('_', '-')})".encode() in expanded(document)


def test_the_storyboard_reads_a_fixed_number_of_statements(app, session, real_team, sql_statements):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    path = f"/teams/{real_team.id}/storyboard.pdf"
    session.commit()  # as after the test's other writes: nothing left in the identity map
    sql_statements.clear()
    get_pdf(client, path)
    before = len(sql_statements)
    assert before <= 12, sql_statements
    pdsa, measures = real_team.types["pdsa"], real_team.types["measures"]
    for n in range(3, 9):  # more PDSA cycles and measures
        session.add(Worksheet(team_id=real_team.id, type_id=pdsa.id, type=pdsa, record_no=n, data={"cycle-number": n}))
        session.add(Worksheet(team_id=real_team.id, type_id=measures.id, type=measures, record_no=n, data={}))
    session.commit()
    sql_statements.clear()
    get_pdf(client, path)
    assert len(sql_statements) == before, "\n".join(s[:100] for s in sql_statements)


def test_a_worksheet_pdf_reads_a_fixed_number_of_statements(app, session, real_team, sql_statements):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    for slug in ("pdsa", "charter", "driver-diagram"):
        sql_statements.clear()
        get_pdf(client, f"/teams/{real_team.id}/worksheets/{slug}/1.pdf")
        assert len(sql_statements) <= 12, (slug, sql_statements)
