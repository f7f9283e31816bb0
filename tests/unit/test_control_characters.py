"""Control characters are dropped wherever text enters (forms, query strings, CSV files) or leaves as CSV."""

from qtp import create_app
from qtp.core.spreadsheet import cell
from qtp.core.text import without_controls
from qtp.measurement.csv_import import decode


def test_without_controls_keeps_tabs_line_breaks_and_every_script():
    assert without_controls("a\x00b\x07c\x1bd\x7fe\x85f\x9fg") == "abcdefg"
    assert without_controls("tab\tline\nreturn\r") == "tab\tline\nreturn\r"
    text = "Álvaro Παπαδάκη · 佐藤 · أحمد \u200f · 😀"
    assert without_controls(text) == text


def test_every_form_value_and_query_argument_arrives_clean():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/x?q=a%00b&page=1%1b", method="POST", data={"name\x00": ["Ana\x00", "Bea\x08"]}):
        from flask import request

        assert request.args.to_dict() == {"q": "ab", "page": "1"}
        assert request.form.getlist("name") == ["Ana", "Bea"]


def test_csv_files_lose_control_characters_and_windows_quotes_survive():
    assert decode(b"period,value,note\n2026-01,4,ok\x1b[1m\n") == "period,value,note\n2026-01,4,ok[1m\n"
    assert decode("note\n\u201cquoted\u201d\n".encode("cp1252")) == "note\n\u201cquoted\u201d\n"


def test_csv_cells_written_out_lose_control_characters_stored_before():
    assert cell("Team\x00 A", "en") == "Team A"
    assert cell("\x00=HYPERLINK(1)", "en") == "'=HYPERLINK(1)"
