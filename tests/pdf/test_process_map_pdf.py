"""The process map in the worksheet PDF: the swimlane map of each state (top to bottom, a column per role)
with its numbered notes, in the reader's language; the steps in order when Graphviz is missing."""

from __future__ import annotations

from qtp.worksheets import process_map_dot
from tests.pdf.project import add_project
from tests.pdf.support import pdf_fonts, pdf_text, words
from tests.pdf.test_exports import get_pdf, sign_in


def test_the_pdf_draws_the_map_with_its_notes(app, session, real_team):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    document = get_pdf(client, f"/teams/{real_team.id}/worksheets/process-map/1.pdf", "process-map-1.pdf")
    text = words(pdf_text(document))
    assert "Process map: Current state" in text
    assert "Process map: Future state" not in text  # no future-state steps in this project
    for drawn in ("Patient", "Switchboard", "Nurse", "Start", "Patient calls", "End", "Advice given", "Yes", "No"):
        assert drawn in text, drawn
    assert "Note 1" in text and "1. Listens to voicemail between infusions: Often after 2 hours" in text
    assert "Call back before 5 pm" in text  # a branch that names no step, as a note node
    assert "The map could not be drawn" not in text
    assert "<svg" not in text and "viewBox" not in text  # drawn, not printed as markup
    first_page = words(pdf_text(document).split("\f")[0])
    assert "Process map: Current state" in first_page and "Switchboard" in first_page  # not the header alone
    fonts = [line.split()[0] for line in pdf_fonts(document).splitlines()[2:]]
    assert fonts and all("+QTP-Sans" in name for name in fonts)  # the map's text in the shipped font too


def test_the_pdf_lists_the_steps_without_graphviz(app, session, real_team, monkeypatch):
    add_project(session, real_team)
    monkeypatch.setattr(process_map_dot, "dot_binary", lambda: None)
    client = sign_in(app, real_team, locale="es")
    text = words(pdf_text(get_pdf(client, f"/teams/{real_team.id}/worksheets/process-map/1.pdf")))
    assert "No se pudo dibujar el mapa para este documento" in text
    assert "Patient: Calls the clinic number (Paso)" in text
    assert "Nurse: Is it urgent? (Decisión); Sí: Call back now; No: Call back before 5 pm" in text
