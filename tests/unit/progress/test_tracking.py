"""Lateness of worksheets against due dates, self-assessment gains, and CSV cells for spreadsheets."""

from datetime import UTC, date, datetime

from qtp.core.spreadsheet import cell, csv_text, separator
from qtp.progress.tracking import Record, self_assessment_gains, worksheet_cell

DUE = date(2027, 3, 1)


def sent(day: int) -> datetime:
    return datetime(2027, 3, day, 15, tzinfo=UTC)


def test_a_worksheet_not_sent_is_late_only_after_its_due_date():
    assert not worksheet_cell([], DUE, date(2027, 3, 1)).is_late
    assert worksheet_cell([], DUE, date(2027, 3, 2)).is_late
    assert worksheet_cell([Record("draft", None)], DUE, date(2027, 3, 2)).is_late
    assert worksheet_cell([Record("returned", sent(1))], DUE, date(2027, 3, 5)).is_late  # back with the team


def test_a_sent_worksheet_is_late_when_it_was_sent_after_the_due_date():
    assert not worksheet_cell([Record("submitted", sent(1))], DUE, date(2027, 4, 1)).is_late
    assert worksheet_cell([Record("approved", sent(2))], DUE, date(2027, 4, 1)).is_late


def test_a_repeatable_worksheet_counts_its_most_advanced_record():
    records = [Record("draft", None), Record("approved", sent(1)), Record("returned", sent(1))]
    cell_ = worksheet_cell(records, DUE, date(2027, 5, 1))
    assert (cell_.status, cell_.records, cell_.is_late, cell_.is_done) == ("approved", 3, False, True)


def test_no_due_date_is_never_late():
    assert not worksheet_cell([], None, date(2030, 1, 1)).is_late


def test_gains_are_means_over_participants_who_answered_both():
    pre = {1: {"aims": {"knowledge": 3, "confidence": 2}}, 2: {"aims": {"knowledge": 5, "confidence": 5}}, 3: {}}
    post = {1: {"aims": {"knowledge": 8, "confidence": 6}}, 2: {"aims": {"knowledge": 6, "confidence": 5}}}
    [aims, other] = self_assessment_gains(["aims", "other"], pre, post)
    assert (aims.pairs, aims.knowledge, aims.confidence) == (2, 3.0, 2.0)
    assert (other.pairs, other.knowledge, other.confidence) == (0, None, None)


def test_csv_cells_follow_the_locale_and_formulas_are_inert():
    assert (separator("en"), separator("es"), separator("pt_BR")) == (",", ";", ";")
    assert cell(2.5, "pt_BR") == "2,5" and cell(2.5, "en") == "2.5" and cell(None, "es") == ""
    for attack in ("=1+1", "+1", "-1+2", "@SUM(A1)"):
        assert cell(attack, "en") == "'" + attack
    text = csv_text(["Equipo", "Puntuación"], [["Árvore; decisão", 3.5]], "es")
    assert text.startswith("\ufeffEquipo;Puntuación\r\n") and '"Árvore; decisão";3,5' in text
