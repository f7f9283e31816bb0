"""Charts described in words: the four run-chart rules, control-chart limits and signals, in the locale."""

from datetime import date

import pytest
from flask_babel import force_locale

from qtp.measurement import describe
from qtp.measurement.control_chart import c_chart, p_chart, xmr_chart
from qtp.measurement.run_chart import analyze


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


def months(n, start=(2025, 7)):
    year, month = start
    out = []
    for i in range(n):
        total = year * 12 + month - 1 + i
        out.append(date(total // 12, total % 12 + 1, 1))
    return out


def test_a_shift_above_the_median_names_the_points_and_months():
    values = [5, 4, 5, 3, 4, 5, 4, 3, 8, 9, 8, 9, 8, 9, 8]
    sentences = describe.describe_run_chart(analyze(values), months(15), "count")
    assert "Shift: 6 or more points in a row above the median: points 9–15 (Mar 2026 – Sep 2026)." in sentences


def test_a_trend_and_no_shift():
    values = [1, 2, 3, 4, 5, 6, 2, 3]
    sentences = describe.describe_run_chart(analyze(values), months(8), "continuous")
    assert any(s.startswith("Trend: 5 or more points in a row going up: points 1–6") for s in sentences)
    assert "Shift: there are no 6 or more points in a row on one side of the median." in sentences


def test_runs_within_range_too_few_and_not_yet():
    alternating = [1, 9] * 6
    runs = describe.describe_runs(analyze(alternating))
    assert runs.startswith("Runs: 12 runs; with 12 useful observations the expected range is 3–11: too many runs")
    few = describe.describe_runs(analyze([1, 2, 3, 9, 8, 7, 1, 9]))
    assert "fewer than 10 useful observations" in few and "does not apply yet" in few
    ok = describe.describe_runs(analyze([3, 7, 4, 8, 2, 6, 6, 1, 9, 2, 8, 7]))
    assert ok.endswith("within range.")
    single = describe.describe_runs(analyze([1, 2]))
    assert single.startswith("Runs: 2 runs;")


def test_one_run_is_singular():
    assert describe.describe_runs(analyze([5, 1])).startswith("Runs: 2 runs")
    assert describe.describe_runs(analyze([1, 1, 1, 2])).startswith("Runs: 1 run;")


def test_median_all_points_or_frozen_baseline():
    assert describe.describe_median(analyze([0.2, 0.4, 0.6]), "proportion") == "Median: 40%, from all 3 points."
    frozen = describe.describe_median(analyze([1, 2, 3, 10, 11], baseline=3), "count")
    assert frozen.startswith("Median: 2, frozen on the first 3 points (the baseline)")


def test_astronomical_points_flagged_by_the_team():
    periods = describe.Periods(months(5))
    assert describe.describe_astronomical([], periods) == "Astronomical points: none flagged by the team."
    assert describe.describe_astronomical([3], periods) == "Astronomical point flagged by the team: point 4 (Oct 2025)."


def test_weekly_periods_are_shown_as_dates():
    periods = [date(2026, 1, 5), date(2026, 1, 12)]
    assert describe.Periods(periods).date(1) == "Jan 12, 2026"
    assert describe.axis_label(periods[1], False) == "Jan 12"
    assert describe.axis_label(date(2026, 1, 1), True) == "Jan 2026"


def test_axis_labels_are_words_in_the_readers_language():
    with force_locale("es"):
        assert describe.axis_label(date(2026, 7, 6), False) == "6 jul"
        assert describe.axis_label(date(2026, 7, 1), True) == "jul 2026"
    with force_locale("pt_BR"):
        assert describe.axis_label(date(2026, 7, 6), False) == "6 de jul."


def test_numbers_follow_the_scale():
    assert describe.format_value(0.4567, "proportion") == "45.7%"
    assert describe.format_value(1234.5, "continuous") == "1,234.5"
    assert describe.format_value(0.01234, "rate") == "0.0123"
    assert describe.format_value(None, "count") == ""


def test_control_chart_centre_limits_and_signals():
    chart = c_chart([4, 5, 3, 4, 5, 4, 30, 4])
    sentences = describe.describe_control_chart(chart, months(8), "count")
    assert sentences[0] == "c chart (counts) with 8 points."
    assert sentences[1] == "Centre line: 7.38."
    assert sentences[2] == "Control limits (3 sigma): lower 0, upper 15.52."
    assert "Point 7 (Jan 2026, 30) is above the upper control limit." in sentences


def test_p_chart_limits_that_vary_with_the_denominator():
    chart = p_chart([5, 10, 6, 20], [10, 40, 12, 50])
    limits = describe.describe_control_chart(chart, months(4), "proportion")[2]
    assert limits.startswith("Control limits (3 sigma) vary with the size of each sample: the lower limit from ")
    assert "%" in limits


def test_xmr_moving_range_and_no_signal():
    quiet = describe.describe_control_chart(xmr_chart([10, 11, 10, 12, 11]), months(5), "continuous")
    assert any(s.startswith("Average moving range:") for s in quiet)
    assert "No special-cause signal: the variation is consistent with common causes alone." in quiet
    jump = describe.describe_control_chart(xmr_chart([10, 10, 11, 10, 11, 10, 40, 10, 11]), months(9), "continuous")
    assert any("moving range between points 6 and 7" in s for s in jump)


def test_locale_formats_dates_and_numbers():
    values = [5, 4, 5, 3, 4, 5, 4, 3, 8, 9, 8, 9, 8, 9, 8]
    with force_locale("es"):
        sentences = describe.describe_run_chart(analyze(values), months(15), "count")
        percent = describe.format_value(0.455, "proportion")
    assert any("(mar 2026 – sept 2026)" in s for s in sentences)
    assert percent == "45,5\u00a0%"


def test_chart_description_is_a_text_alternative():
    text = describe.chart_description("run", 3, months(3), ["Median: 2."])
    assert text == "Run chart of 3 points from Jul 2025 to Sep 2025. Median: 2."
    assert describe.chart_description("run", 0, [], []) == "Run chart with no data yet."
