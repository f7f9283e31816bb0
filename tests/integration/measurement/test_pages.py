"""The measures index and the measure page: chart, table, rules in words, PDSA annotations, empty states."""

import re
import xml.etree.ElementTree as ET
from datetime import date

from qtp.measurement.queries import list_measure_charts
from tests.helpers import text_of
from tests.integration.measurement.conftest import add_points, add_record, measure_path, set_chart

SHIFTED = [5, 4, 5, 3, 4, 5, 4, 3, 8, 9, 8, 9, 8, 9, 8]  # points 9-15 above the median


def svg_of(page: str) -> str:
    match = re.search(r"<svg .*?</svg>", page, re.S)
    assert match, "no chart on the page"
    return match.group(0)


def test_the_page_shows_the_chart_with_a_text_alternative_and_the_data_table(session, real_team, measures, as_user):
    add_points(session, measures["proportion"], [4, 5, 4, 6, 5], denominators=[10, 10, 10, 10, 20])
    page = text_of(as_user(real_team, "leader").get(measure_path(real_team, 1)))
    svg = svg_of(page)
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text == "Symptom calls answered within 2 hours: Run chart"
    assert root.find(f"{ns}desc").text.startswith("Run chart of 5 points from Jan 2025 to May 2025. Median: 40%")
    assert root.get("aria-labelledby") == "c-measure-1-title c-measure-1-desc"
    table = page.split('id="data-caption"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col" class="num">Denominator</th>' in table
    assert '<th scope="row">May 2025</th>' in table and "25%" in table
    assert "Target: 75%." in page and "Calls answered within 2 hours" in page
    assert "<dt>Baseline</dt><dd>48%</dd>" in page and "<dt>Target</dt><dd>75%</dd>" in page  # alike
    assert f'href="/teams/{real_team.id}/worksheets/measures/1"' in page


def test_a_six_point_shift_is_explained_in_words(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], SHIFTED, start=date(2025, 7, 1))
    page = text_of(as_user(real_team, "core").get(measure_path(real_team, 2)))
    assert "Shift: 6 or more points in a row above the median: points 9–15 (Mar 2026 – Sep 2026)." in page
    assert "Runs: 2 runs; with 12 useful observations the expected range is 3–11: too few runs" in page
    index = text_of(as_user(real_team, "core").get(f"/teams/{real_team.id}/measures"))
    assert "badge-signal" in index


def test_pdsa_cycles_appear_as_annotations_and_in_a_list(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], [40, 42, 38, 41, 39, 37])
    pdsa = {"cycle-number": 2.0, "change-idea": "C2", "measures": ["1", "2"], "start-date": "2025-03-12"}
    add_record(session, real_team, "pdsa", 1, pdsa)
    add_record(session, real_team, "pdsa", 2, {"cycle-number": 3.0, "measures": ["2"]})  # no start date yet
    add_record(session, real_team, "pdsa", 3, {"cycle-number": 4.0, "measures": ["1"], "start-date": "2025-03-01"})
    page = text_of(as_user(real_team, "sponsor").get(measure_path(real_team, 2)))
    annotations = svg_of(page).split('<g class="annotations">', 1)[1].split("</g>", 1)[0]
    assert "PDSA 2 · C2" in annotations and "PDSA 4" not in annotations and "PDSA 3" not in annotations
    cycles = page.split('id="cycles-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="/teams/{real_team.id}/worksheets/pdsa/1">PDSA 2 · C2</a>' in cycles
    assert "no start date yet" in cycles


def test_control_chart_limits_and_signals_in_words(session, real_team, measures, as_user):
    add_points(session, measures["count"], [4, 5, 3, 4, 5, 4, 30, 4])
    set_chart(session, measures["count"], "c")
    page = text_of(as_user(real_team, "leader").get(measure_path(real_team, 3)))
    assert "c chart (counts) with 8 points." in page
    assert "Centre line: 7.38." in page and "Control limits (3 sigma): lower 0, upper 15.52." in page
    assert "Point 7 (Jul 2025, 30) is above the upper control limit." in page
    svg = svg_of(page)
    assert 'class="upper-limit"' in svg and 'class="centre"' in svg
    assert '<option selected value="c">' in page


def test_a_control_chart_that_does_not_fit_falls_back_to_the_run_chart(session, real_team, measures, as_user):
    add_points(session, measures["count"], [4, 5, 3])
    set_chart(session, measures["count"], "p")  # e.g. the scale changed after the setting was saved
    page = text_of(as_user(real_team, "leader").get(measure_path(real_team, 3)))
    assert "does not fit this measure" in page and "Falls on the ward: Run chart" in page


def test_a_frozen_median_says_so(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], [1, 2, 3, 10, 11, 12])
    set_chart(session, measures["continuous"], "run", baseline=3)
    page = text_of(as_user(real_team, "leader").get(measure_path(real_team, 2)))
    assert "Median: 2, frozen on the first 3 points (the baseline) and extended over the later points." in page
    assert "Median (baseline)" in svg_of(page)


def test_empty_and_single_point_states(session, real_team, measures, as_user):
    client = as_user(real_team, "leader")
    empty = text_of(client.get(measure_path(real_team, 2)))
    assert "No data yet." in empty and "<svg " not in empty and 'id="add-point"' in empty
    add_points(session, measures["continuous"], [40])
    single = text_of(client.get(measure_path(real_team, 2)))
    assert "One data point so far" in single and "<svg " not in single
    assert 'id="data-caption"' in single and 'id="add-point"' in single


def test_readers_see_no_forms(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], [40, 41])
    for who in ("sponsor", "faculty"):
        page = text_of(as_user(real_team, who).get(measure_path(real_team, 2)))
        assert "<svg " in page and 'id="data-caption"' in page
        assert 'id="add-point"' not in page and 'id="settings"' not in page and "/delete" not in page
    index = text_of(as_user(real_team, "sponsor").get(f"/teams/{real_team.id}/measures"))
    assert "Add a measure" not in index


def test_the_index_lists_every_measure(session, real_team, measures, as_user):
    add_points(session, measures["proportion"], [4, 5], denominators=[10, 10])
    page = text_of(as_user(real_team, "leader").get(f"/teams/{real_team.id}/measures"))
    for name in ("Symptom calls answered within 2 hours", "Minutes from triage to antibiotics", "Falls on the ward"):
        assert name in page
    assert "Feb 2025: 50%" in page and "Add a measure" in page


def test_the_index_without_measures(session, real_team, as_user):
    page = text_of(as_user(real_team, "leader").get(f"/teams/{real_team.id}/measures"))
    assert "No measures yet" in page


def test_user_text_is_inert(session, real_team, measures, as_user):
    payload = '<img src=x onerror=alert(1)>"><script>alert(1)</script>{{7*7}}'
    measures["continuous"].data = {**measures["continuous"].data, "name": payload, "unit": payload}
    session.commit()
    points = add_points(session, measures["continuous"], [1, 2])
    points[0].note = payload
    add_record(session, real_team, "pdsa", 1, {"cycle-number": 1.0, "change-idea": payload, "measures": ["2"]})
    page = text_of(as_user(real_team, "leader").get(measure_path(real_team, 2)))
    assert "<script>alert" not in page and "<img src=x" not in page and "{{7*7}}" in page.replace("&#123;", "{")
    ET.fromstring(svg_of(page))  # noqa: S314 (our own output, still well-formed)


def test_query_count_does_not_grow_with_points(app, session, real_team, measures, sql_statements, as_user):
    add_record(session, real_team, "pdsa", 1, {"cycle-number": 1.0, "measures": ["1"], "start-date": "2025-02-03"})
    client = as_user(real_team, "leader")

    def count(record_no):
        session.expire_all()
        sql_statements.clear()
        assert client.get(measure_path(real_team, record_no)).status_code == 200
        return len(sql_statements)

    add_points(session, measures["proportion"], [i % 7 for i in range(10)], denominators=[10] * 10)
    add_points(session, measures["continuous"], [i % 13 for i in range(100)])
    set_chart(session, measures["continuous"], "xmr")
    few, many = count(1), count(2)
    assert few == many
    assert many <= 12


def test_list_measure_charts_for_the_pdf_export(app, session, real_team, measures):
    add_points(session, measures["proportion"], [4, 5, 6], denominators=[10, 10, 10])
    add_points(session, measures["continuous"], [40])
    with app.test_request_context():
        charts = list_measure_charts(session, real_team.id)
    assert [c.record_no for c in charts] == [1, 2, 3]
    first, single, empty = charts
    assert first.name == "Symptom calls answered within 2 hours" and first.chart_svg.startswith("<svg ")
    assert first.points[0][1] == 0.4 and first.summary[0] == "Median: 50%, from all 3 points."
    assert single.chart_svg == "" and single.points and empty.points == [] and empty.chart_svg == ""


def test_index_query_count_does_not_grow_with_points(app, session, real_team, measures, sql_statements, as_user):
    client = as_user(real_team, "leader")

    def count():
        session.expire_all()
        sql_statements.clear()
        assert client.get(f"/teams/{real_team.id}/measures").status_code == 200
        return len(sql_statements)

    add_points(session, measures["continuous"], [i % 5 for i in range(10)])
    few = count()
    add_points(session, measures["count"], [i % 9 for i in range(100)])
    assert count() == few <= 12
