"""Hypothesis against the measurement CSV import, through the page as the team leader: random bytes, CSV of
random shapes (mixed separators, BOMs, encodings, huge numbers, dates in odd formats, very many columns),
files over the size limit. Never a 5xx; every row imported or none (the measure's data points counted before
and after); a refusal says so and lists its problems with line numbers that are lines of the file.
(The parser itself: tests/unit/measurement/test_csv_import.py.)
"""

from __future__ import annotations

import html
import io
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qtp.measurement.csv_import import MAX_BYTES
from qtp.measurement.models import DataPoint
from tests.helpers import text_of
from tests.integration.measurement import conftest as measurement_fixtures
from tests.integration.measurement.conftest import post
from tests.integration.security.fuzzing import fuzz_settings

# the measurement tests' world: a team of the test program with three measures, and its people signed in
real_courses = measurement_fixtures.real_courses
real_worksheet_types = measurement_fixtures.real_worksheet_types
real_team = measurement_fixtures.real_team
measures = measurement_fixtures.measures
as_user = measurement_fixtures.as_user

FUZZ = fuzz_settings(30)
HEADERS = ["period", "Período", "PERIODO", "numerator", "numerador", "denominator", "Denominador", "value",
           "valor", "note", "nota", "notes", "", "extra", "period"]  # fmt: skip
PERIODS = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2026-01", "2025-12-01", "01/02/2026", "2026/01/01", "01-2026", "2026-13-01", "31/02/2026",
                     "0000-01-01", "9999-12-31", "2026-1-1", "١٢/٠١/٢٠٢٦", "", "yesterday", "2026-01-01T00:00"]),
)  # fmt: skip
NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["9" * 400, "1e309", "nan", "-0", "1,5", "1.234,5", "12.5", "0", "", " 3 ", "½", "0x10"]),
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@st.composite
def csv_files(draw) -> bytes:
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=400))
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=draw(st.sampled_from([5, 5, 300]))))
    lines = [separator.join(header)]
    for _ in range(draw(st.integers(0, 8))):
        cells = draw(st.lists(st.one_of(PERIODS, NUMBERS, TEXT), max_size=len(header) + 2))
        if draw(st.booleans()):  # a plausible row in the header's order
            cells = [draw(PERIODS) if "er" in h.lower()[:3] else draw(NUMBERS) for h in header]
        if draw(st.integers(0, 4)) == 0:
            cells = [c.replace(separator, draw(st.sampled_from([",", ";", '"', "\n"]))) for c in cells]
        lines.append(draw(st.sampled_from([separator, ",", ";"])).join(cells))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture
def leader(real_team, as_user):
    """Signed in once for every example (a sign-in hashes a password: slow)."""
    return as_user(real_team, "leader")


@st.composite
def plausible_files(draw) -> tuple[bytes, int]:
    """(a file a spreadsheet would write, the measure's record number): good rows, sometimes one spoiled."""
    which = draw(st.sampled_from([1, 3]))
    separator, decimal = draw(st.sampled_from([(",", "."), (";", ",")]))
    header = ["period", "numerator", "denominator"] if which == 1 else [draw(st.sampled_from(["value", "Valor"]))]
    if which == 1:
        header[0] = draw(st.sampled_from(["period", "Período"]))
    else:
        header.insert(0, "periodo")
    months = draw(st.lists(st.integers(0, 47), min_size=1, max_size=12, unique=True))
    lines = [separator.join([*header, "note"])]
    for index in months:
        period = f"{2022 + index // 12}-{index % 12 + 1:02d}"
        if draw(st.booleans()):
            period = f"01/{index % 12 + 1:02d}/{2022 + index // 12}"
        denominator = draw(st.integers(1, 10**6))
        numbers = [draw(st.integers(0, denominator)), denominator] if which == 1 else [draw(st.integers(0, 10**9))]
        cells = [str(n) for n in numbers]
        if draw(st.integers(0, 3)) == 0:
            cells[-1] += decimal + "5" if which == 3 else ""
        lines.append(separator.join([period, *cells, draw(TEXT).replace(separator, " ").replace('"', "")]))
    if draw(st.booleans()):  # spoil one row
        at = draw(st.integers(1, len(lines) - 1))
        lines[at] = lines[at].replace(
            lines[at].split(separator)[draw(st.integers(0, 1))], draw(st.one_of(PERIODS, NUMBERS)), 1
        )
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + "\r\n".join(lines) + "\n").encode(draw(st.sampled_from(["utf-8", "cp1252"])), errors="replace"), which


def _count(session, measure) -> int:
    session.expire_all()
    return session.query(DataPoint).filter_by(measure_id=measure.id).count()


@FUZZ
@given(case=st.one_of(st.tuples(csv_files(), st.sampled_from([1, 3])), plausible_files()))
@example(case=(b"period,value\n" + b"2026-01,3\n" * (MAX_BYTES // 10 + 1), 3))  # over the size limit
@example(case=(b"\xef\xbb\xbfperiod;valor\n2026-01;1,5\n2026-02;" + b"9" * 400 + b"\n", 3))
@example(case=(b"period,numerator,denominator\n2026-01,1,2\n2026-02,x,2\n", 1))  # one bad row of two
def test_a_csv_file_is_imported_whole_or_refused_with_its_lines(session, real_team, measures, leader, case):
    content, which = case
    measure, client = measures["proportion" if which == 1 else "count"], leader
    before = _count(session, measure)
    response = post(
        client, real_team, which, "/import", {"file": (io.BytesIO(content), "data.csv", "text/csv")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code < 500
    added = _count(session, measure) - before
    if response.status_code == 303:
        page = text_of(client.get(response.headers["Location"]))
        shown = re.search(r"(\d+) data points? imported\.", page)
        assert shown and int(shown.group(1)) == added > 0, (added, shown)
        session.query(DataPoint).filter_by(measure_id=measure.id).delete()  # the next file starts empty again
        session.commit()
        return
    assert response.status_code in (400, 413), response.status_code
    assert added == 0, "a refused file wrote data points"
    page = text_of(response)
    if response.status_code == 413:
        return
    assert "The file was not imported" in page or "Nothing was saved" in page
    lines = len(content.splitlines()) or 1
    if 'id="problems-caption"' in page:
        body = page.split('id="problems-caption"', 1)[1]
        rows = re.findall(r'<tr><td class="num">([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', body)
        assert rows, "a problems table without a problem"
        for line, _column, message in rows:
            assert line == "—" or 1 <= int(line) <= lines + 1, (line, lines)
            assert html.unescape(message).strip()
