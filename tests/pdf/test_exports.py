"""Worksheet and storyboard PDFs: every real type exports in the reader's language, blank forms print,
outsiders get 404, user text stays text (the storyboard poster itself: test_poster.py)."""

from __future__ import annotations

import pytest

from qtp.extensions import db
from qtp.worksheets.models import Worksheet
from tests.helpers import login
from tests.pdf.project import PROJECT, add_project
from tests.pdf.support import expanded, pdf_text, words
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


# The storyboard (the results poster) is tested in test_poster.py.


def test_a_worksheet_pdf_reads_a_fixed_number_of_statements(app, session, real_team, sql_statements):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    for slug in ("pdsa", "charter", "driver-diagram"):
        sql_statements.clear()
        get_pdf(client, f"/teams/{real_team.id}/worksheets/{slug}/1.pdf")
        assert len(sql_statements) <= 12, (slug, sql_statements)
