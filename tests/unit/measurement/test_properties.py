"""Hypothesis properties of the run-chart analysis, the control charts and the SVG output."""

import math
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from qtp.measurement.control_chart import c_chart, p_chart, xmr_chart
from qtp.measurement.run_chart import analyze, anhoej, crossings_limit
from qtp.measurement.runs_table import runs_limits
from qtp.measurement.svg import Point, control_chart_svg, pareto_svg, run_chart_svg

# Small integers make repeats, points on the median and exact arithmetic (for the +constant property) common.
series = st.lists(st.integers(-20, 20).map(float), max_size=60)
finite = st.floats(allow_nan=False, allow_infinity=False)
SWAP = {"up": "down", "down": "up", "above": "below", "below": "above", None: None}


def parse(svg):
    """Parse our own output: the SVG under test, not outside input (hence no defusedxml)."""
    return ET.fromstring(svg)  # noqa: S314


def _by_kind(a, kind):
    return [(s.start, s.end, s.direction, s.length) for s in a.signals if s.kind == kind]


@given(series)
def test_counts_are_consistent(values):
    a = analyze(values)
    assert a.useful_count == a.above + a.below == sum(1 for s in a.sides if s != 0)
    assert a.runs <= a.useful_count
    assert (a.runs == 0) == (a.useful_count == 0)
    assert (a.runs_limits is None) == (a.useful_count < 10)
    if a.runs_limits:
        assert a.runs_limits[0] <= a.runs_limits[1]
        assert a.too_few_runs == (a.runs < a.runs_limits[0]) and a.too_many_runs == (a.runs > a.runs_limits[1])


@given(st.data(), series)
def test_median_is_invariant_under_permutation(data, values):
    shuffled = data.draw(st.permutations(values))
    assert analyze(shuffled).median == analyze(values).median


@given(series)
def test_shift_ranges_are_in_bounds_and_long_enough(values):
    a = analyze(values)
    for start, end in a.shifts:
        assert 0 <= start <= end < len(values)
        sides = [s for s in a.sides[start : end + 1] if s != 0]
        assert len(sides) >= 6 and len(set(sides)) == 1
        assert a.sides[start] != 0 and a.sides[end] != 0
        before = [s for s in a.sides[:start] if s != 0]
        after = [s for s in a.sides[end + 1 :] if s != 0]
        assert not before or before[-1] != sides[0]  # maximal
        assert not after or after[0] != sides[0]


@given(series)
def test_trend_ranges_are_in_bounds_and_long_enough(values):
    a = analyze(values)
    for start, end in a.trends:
        assert 0 <= start < end < len(values)
        distinct = [v for i, v in enumerate(values[start : end + 1]) if i == 0 or v != values[start + i - 1]]
        assert len(distinct) >= 5
        steps = {b > a for a, b in zip(distinct, distinct[1:], strict=False)}
        assert len(steps) == 1


@given(series, st.integers(-1000, 1000))
def test_adding_a_constant_moves_the_median_and_keeps_the_signals(values, constant):
    a = analyze(values)
    b = analyze([v + constant for v in values])
    if a.median is not None:
        assert b.median == a.median + constant
    assert (b.sides, b.runs, b.runs_limits, b.shifts, b.trends, b.signals) == (
        a.sides,
        a.runs,
        a.runs_limits,
        a.shifts,
        a.trends,
        a.signals,
    )


@given(series)
def test_reversing_maps_trends_up_to_down_with_the_same_lengths(values):
    a, r = analyze(values), analyze(values[::-1])
    last = len(values) - 1
    mirrored = sorted((last - e, last - s, SWAP[d], n) for s, e, d, n in _by_kind(a, "trend"))
    assert sorted(_by_kind(r, "trend")) == mirrored
    assert sorted(_by_kind(r, "shift")) == sorted((last - e, last - s, d, n) for s, e, d, n in _by_kind(a, "shift"))
    assert r.runs == a.runs and r.median == a.median


@given(series)
def test_negating_swaps_sides_and_directions(values):
    a, m = analyze(values), analyze([-v for v in values])
    for kind in ("shift", "trend"):
        assert _by_kind(m, kind) == [(s, e, SWAP[d], n) for s, e, d, n in _by_kind(a, kind)]


@given(series, st.data())
def test_frozen_baseline_changes_only_the_median_source(values, data):
    if not values:
        return
    baseline = data.draw(st.integers(1, len(values)))
    a = analyze(values, baseline)
    assert a.median == analyze(values[:baseline]).median
    assert len(a.sides) == len(values)


@given(st.lists(finite, max_size=40))
def test_any_finite_floats_are_analysed(values):
    a = analyze(values)
    if values:
        assert min(values) <= a.median <= max(values)
    anhoej(values)


@given(st.lists(st.one_of(st.none(), st.just(math.nan), st.just(math.inf), st.text()), min_size=1))
def test_blanks_and_text_are_refused(bad):
    try:
        analyze([1.0, *bad])
    except ValueError:
        return
    raise AssertionError("invalid values were accepted")


@given(series)
def test_anhoej_crossings_are_runs_minus_one(values):
    a, h = analyze(values), anhoej(values)
    assert h.crossings == max(a.runs - 1, 0) and h.useful_count == a.useful_count
    assert h.longest_run <= h.useful_count


@given(st.integers(1, 300))
def test_crossings_limit_matches_qbinom(n):
    # qbinom(0.05, n - 1, 0.5): the smallest x with P(X <= x) >= 0.05.
    cumulative, x = 0.0, 0
    while True:
        cumulative += math.comb(n - 1, x) / 2 ** (n - 1)
        if cumulative >= 0.05:
            break
        x += 1
    assert crossings_limit(n) == x


@given(st.integers(0, 200), st.integers(0, 200))
def test_runs_limits_are_ordered(n_above, n_below):
    limits = runs_limits(n_above + n_below, n_above, n_below)
    if limits:
        assert 1 <= limits[0] <= limits[1] <= n_above + n_below


pairs = st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), min_size=1, max_size=40)


@given(pairs)
def test_p_chart_limits_stay_within_0_and_1(pairs):
    nums = [min(a, b) for a, b in pairs]
    chart = p_chart(nums, [b for _, b in pairs])
    for i in range(chart.n):
        assert 0 <= chart.lower[i] <= chart.centre <= chart.upper[i] <= 1
        assert 0 <= chart.values[i] <= 1
    for s in chart.signals:
        assert 0 <= s.start <= s.end < chart.n


@given(st.lists(st.integers(0, 100), min_size=1, max_size=40))
def test_c_chart_lower_limit_never_below_zero(counts):
    chart = c_chart(counts)
    assert all(0 <= low <= chart.centre <= up for low, up in zip(chart.lower, chart.upper, strict=True))


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40))
def test_xmr_chart_is_consistent(values):
    chart = xmr_chart(values, clip_at_zero=False)
    assert len(chart.moving_ranges) == len(values) - 1
    assert chart.mr_upper >= chart.mr_centre >= 0
    assert chart.lower[0] <= chart.centre <= chart.upper[0]
    assert all(0 <= s.start <= s.end < chart.n for s in chart.signals)


labels = st.text(max_size=30)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(labels, st.integers(-50, 50)), max_size=30), labels, labels)
def test_any_labels_give_a_valid_deterministic_svg(items, title, description):
    points = [Point(label, float(v)) for label, v in items]
    analysis = analyze([p.value for p in points])
    annotations = [(i, label) for i, (label, _) in enumerate(items[:3])]
    svg = run_chart_svg(points, analysis, title=title, description=description, annotations=annotations)
    root = parse(svg)
    assert root.get("role") == "img"
    assert "<script" not in svg
    assert svg == run_chart_svg(points, analysis, title=title, description=description, annotations=annotations)
    pareto = pareto_svg([(label, abs(v)) for label, v in items], title=title, description=description)
    parse(pareto)
    if len(points) >= 2:
        chart = xmr_chart([p.value for p in points])
        parse(control_chart_svg(points, chart, title=title, description=description))
