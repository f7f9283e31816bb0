"""The CSV parser: every good row, or every problem; nothing else ever comes out of it."""

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qtp.measurement.csv_import import MAX_BYTES, ImportRefused, parse_csv, parse_number, parse_period

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def rows_of(text, scale="proportion", encoding="utf-8", **kwargs):
    data = text.encode(encoding) if isinstance(text, str) else text
    return parse_csv(data, scale, today=TODAY, **kwargs)


def problems_of(text, scale="proportion", **kwargs):
    with pytest.raises(ImportRefused) as refused:
        rows_of(text, scale, **kwargs)
    return [(p.line, p.column, p.message) for p in refused.value.problems]


def test_a_good_proportion_file():
    rows = rows_of("period,numerator,denominator,note\n2026-01-01,12,40,\n2026-02,15,38,new triage script\n")
    assert [(r.line, r.entry.period, r.entry.numerator, r.entry.denominator, r.entry.note) for r in rows] == [
        (2, date(2026, 1, 1), 12.0, 40.0, ""),
        (3, date(2026, 2, 1), 15.0, 38.0, "new triage script"),
    ]


def test_semicolons_decimal_commas_bom_and_spanish_headers():
    text = "\ufeffPeríodo;Valor;Nota\n01/03/2026;12,5;semana 1\n2026-04;1.234,5;\n2026-05-01;7;\n"
    rows = rows_of(text, "continuous")
    assert [(r.entry.period, r.entry.value, r.entry.note) for r in rows] == [
        (date(2026, 3, 1), 12.5, "semana 1"),
        (date(2026, 4, 1), 1234.5, ""),
        (date(2026, 5, 1), 7.0, ""),
    ]


def test_portuguese_headers_in_any_case_and_latin1():
    text = "PERIODO;Numerador;DENOMINADOR;nota\n2026-01;3;10;observação\n"
    rows = rows_of(text, "rate", encoding="latin-1")
    assert rows[0].entry.note == "observação"
    assert (rows[0].entry.numerator, rows[0].entry.denominator) == (3.0, 10.0)


def test_blank_lines_are_skipped_and_line_numbers_are_the_files():
    rows = rows_of("\nperiod,value\n\n2026-01,3\n\n2026-02,4\n", "count")
    assert [r.line for r in rows] == [4, 6]


def test_every_bad_row_is_reported_and_nothing_returned():
    text = (
        "period,numerator,denominator,note\n"
        "2026-01,12,40,ok\n"  # 2: good
        "2026-13,5,10,\n"  # 3: not a date
        "2026-03,abc,10,\n"  # 4: not a number
        "2026-04,11,10,\n"  # 5: numerator > denominator
        "2026-05,1,0,\n"  # 6: denominator 0
        "2026-01,1,2,\n"  # 7: same period as line 2
        "2028-01,1,2,\n"  # 8: more than a year ahead
        f"2026-06,1,2,{'x' * 501}\n"  # 9: note too long
        "2026-07,,2,\n"  # 10: numerator missing
    )
    found = problems_of(text)
    assert [(line, column) for line, column, _m in found] == [
        (3, "period"),
        (4, "numerator"),
        (5, "numerator"),
        (6, "denominator"),
        (7, "period"),
        (8, "period"),
        (9, "note"),
        (10, "numerator"),
    ]
    messages = dict(((line, column), message) for line, column, message in found)
    assert "not a date" in messages[(3, "period")]
    assert "not a number" in messages[(4, "numerator")]
    assert "greater than the denominator" in messages[(5, "numerator")]
    assert "greater than 0" in messages[(6, "denominator")]
    assert "line 2" in messages[(7, "period")]
    assert "one year ahead" in messages[(8, "period")]
    assert "500" in messages[(9, "note")]


def test_periods_already_stored_are_bad_rows():
    found = problems_of("period,value\n2026-01,3\n2026-02,4\n", "count", existing={date(2026, 2, 1)})
    assert found == [(3, "period", "There is already a data point for Feb 1, 2026.")]


def test_scale_rules_counts_and_continuous():
    assert problems_of("period,value\n2026-01,-1\n", "count")[0][2] == "A count cannot be negative."
    assert rows_of("period,value\n2026-01,-1\n", "continuous")[0].entry.value == -1.0
    assert problems_of("period,value\n2026-01,\n", "continuous")[0][1:] == ("value", "Enter the value.")


def test_a_decimal_comma_in_a_comma_file_is_explained():
    found = problems_of('period,value\n2026-01,"12,5"\n', "continuous")
    assert found[0][:2] == (2, "value") and "point for decimals" in found[0][2]


def test_header_problems():
    assert "header" in problems_of("2026-01,3,10\n")[0][2]
    assert problems_of("period,numerator\n2026-01,3\n")[0] == (
        1,
        None,
        "The header has no column denominator (denominador).",
    )
    assert "twice" in problems_of("period,value,valor\n2026-01,3,4\n", "count")[0][2]


def test_empty_and_header_only_files():
    assert "empty" in problems_of("")[0][2]
    assert "empty" in problems_of("\n \n")[0][2]
    assert "no data rows" in problems_of("period,numerator,denominator\n")[0][2]


def test_more_cells_than_the_header():
    found = problems_of("period,value\n2026-01,3,oops\n", "count")
    assert found[0][0] == 2 and "more cells" in found[0][2]


def test_size_and_row_limits():
    assert "1 MB" in problems_of(b"period,value\n" + b"x" * MAX_BYTES, "count")[0][2]
    body = "".join(f"{date(2020, 1, 1) + timedelta(days=i)},1\n" for i in range(1001))
    found = problems_of("period,value\n" + body, "count")
    assert len(found) == 1 and "1000" in found[0][2]
    assert len(rows_of("period,value\n" + "".join(body.splitlines(True)[:1000]), "count")) == 1000


def test_utf16_binary_and_broken_quotes():
    assert "UTF-16" in problems_of("period,value\n2026-01,1\n".encode("utf-16"), "count")[0][2]
    assert "not a text" in problems_of(b"period,value\n\x00\x01", "count")[0][2]
    found = problems_of('period,value\n2026-01,1\n2026-02,"2\n', "count")
    assert found[-1][0] == 3 and "quotation" in found[-1][2]


def test_messages_are_in_the_users_language(app):
    with app.test_request_context(), force_locale("es"):
        with pytest.raises(ImportRefused) as refused:
            rows_of("period,value\n2026-02,1\n", "count", existing={date(2026, 2, 1)})
    assert "1 feb 2026" in refused.value.problems[0].message  # dates in the reader's language


def test_numbers_and_periods():
    assert parse_number(" 12.5 ", False) == 12.5
    assert parse_number("12,5", True) == 12.5
    assert parse_number("", True) is None
    for bad in ("1e5", "nan", "inf", "12,5,1", "0x10", "--1", "1 2a"):
        with pytest.raises(ValueError):
            parse_number(bad, True)
    assert parse_period("2026-02") == date(2026, 2, 1)
    assert parse_period("31/12/2025") == date(2025, 12, 31)
    for bad in ("2026-02-30", "12/31/2025", "2026/01/01", "0000-01-01", "26-01"):
        with pytest.raises(ValueError):
            parse_period(bad)


cells = st.sampled_from(["2026-01", "2026-01-15", "15/01/2026", "12,5", "12.5", "-3", "", '"', ";", ",", "\n", "x"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(cells, max_size=40).map(lambda c: ("period;numerador;denominador;nota\n" + "".join(c)).encode()),
        st.text(max_size=300).map(lambda t: ("period,value\n" + t).encode("utf-8", "surrogatepass")),
    ),
    scale=st.sampled_from(["proportion", "rate", "count", "continuous", ""]),
)
def test_fuzz_only_ever_rows_or_the_report(data, scale):
    try:
        rows = parse_csv(data, scale, today=TODAY)
    except ImportRefused as refused:
        assert refused.problems and all(p.message for p in refused.problems)
    else:
        assert rows and len({r.entry.period for r in rows}) == len(rows)
