"""Run-chart analysis against hand-worked series (domain.md section 5)."""

import math
from dataclasses import replace
from decimal import Decimal

import pytest

from qtp.measurement.run_chart import Signal, analyze

# Points on the median (5 at indices 3, 5, 7, 11) are skipped: the six useful points above the median at
# 4, 6, 8, 9, 10, 12 form one shift although median points sit between them.
ON_MEDIAN = [1, 2, 1, 5, 6, 5, 7, 5, 8, 6, 9, 5, 7, 2]
# Seven values below 5.5 and seven above: 5 below (no shift), 6 above (a shift), 2 below, 1 above.
SIX_POINT_SHIFT = [1, 3, 1, 3, 1, 8, 9, 8, 9, 8, 9, 3, 1, 9]
# 18 useful points in 4 runs (4, 5, 5, 4): fewer than the lower limit 6, with no shift or trend.
FOUR_RUNS_OF_18 = [1, 2, 1, 2, 8, 9, 8, 9, 8, 2, 1, 2, 1, 2, 9, 8, 9, 8]


def test_median_odd_and_even():
    assert analyze([3, 1, 2]).median == 2
    assert analyze([4, 1, 3, 2]).median == 2.5


def test_points_on_the_median_neither_count_nor_break():
    a = analyze(ON_MEDIAN)
    assert a.median == 5
    assert a.sides == [-1, -1, -1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 1, -1]
    assert (a.useful_count, a.above, a.below) == (10, 6, 4)
    assert a.runs == 3
    assert a.runs_limits == (3, 9)
    assert not a.too_few_runs and not a.too_many_runs  # 3 runs is not below the lower limit 3
    assert a.shifts == [(4, 12)]
    assert a.trends == []
    assert a.signals == [Signal("shift", 4, 12, "above", 6)]


def test_six_point_shift_but_not_five():
    a = analyze(SIX_POINT_SHIFT)
    assert a.median == 5.5
    assert a.runs == 4 and a.runs_limits == (4, 12)
    assert a.shifts == [(5, 10)]
    assert a.signals == [Signal("shift", 5, 10, "above", 6)]


def test_shift_below():
    a = analyze([9, 8, 9, 8, 9, 2, 1, 2, 1, 2, 1, 2, 9, 8])
    assert a.median == 5
    assert a.shifts == [(5, 11)]
    assert Signal("shift", 5, 11, "below", 7) in a.signals


def test_trend_counts_a_repeated_value_once():
    a = analyze([3, 4, 4, 5, 6, 7, 2])  # 3, 4, 5, 6, 7: five distinct rising values
    assert a.trends == [(0, 5)]
    assert [s for s in a.signals if s.kind == "trend"] == [Signal("trend", 0, 5, "up", 5)]
    assert analyze([3, 4, 4, 5, 6, 2]).trends == []  # only four distinct values


def test_repeats_neither_add_to_nor_break_a_trend():
    assert analyze([1, 2, 3, 3, 3, 4, 5]).trends == [(0, 6)]
    assert analyze([1, 2, 2, 2, 2, 3, 1]).trends == []


def test_trend_down_with_a_repeated_first_value_starts_at_its_last_occurrence():
    a = analyze([9, 9, 8, 7, 6, 5, 6])
    assert a.trends == [(1, 5)]
    assert [s.direction for s in a.signals if s.kind == "trend"] == ["down"]


def test_trends_sharing_a_peak():
    a = analyze([1, 2, 3, 4, 5, 4, 3, 2, 1])
    assert a.trends == [(0, 4), (4, 8)]
    assert [s.direction for s in a.signals if s.kind == "trend"] == ["up", "down"]


def test_too_few_runs_with_18_useful_observations():
    a = analyze(FOUR_RUNS_OF_18)
    assert a.median == 5
    assert a.useful_count == 18
    assert a.runs == 4
    assert a.runs_limits == (6, 14)
    assert a.too_few_runs and not a.too_many_runs
    assert a.shifts == [] and a.trends == []
    assert a.signals == [Signal("too-few-runs", 0, 17, None, 18)]


def test_too_many_runs_with_an_alternating_series():
    a = analyze([1, 9] * 10)
    assert (a.median, a.useful_count, a.runs) == (5, 20, 20)
    assert a.runs_limits == (6, 16)
    assert a.too_many_runs and not a.too_few_runs
    assert [s.kind for s in a.signals] == ["too-many-runs"]


def test_exactly_ten_useful_observations_get_limits():
    a = analyze([1, 9, 1, 9, 5, 1, 9, 1, 9, 1, 9])
    assert (a.median, a.useful_count, a.runs) == (5, 10, 10)
    assert a.runs_limits == (3, 9)
    assert a.too_many_runs


def test_nine_useful_observations_get_no_limits():
    a = analyze([1, 9, 1, 9, 5, 1, 9, 1, 5, 9, 1])
    assert (a.median, a.useful_count, a.runs) == (5, 9, 9)
    assert a.runs_limits is None
    assert not a.too_many_runs and not a.too_few_runs
    assert a.signals == []


def test_normal_approximation_above_40_useful_observations():
    a = analyze([1, 9] * 25)  # n1 = n2 = 25: mean 26, sd 3.499 -> 19.1 and 32.9
    assert a.runs_limits == (19, 33)
    assert a.too_many_runs


def test_frozen_baseline_median_is_extended():
    values = [10, 12, 11, 13, 12, 15, 16, 17, 15, 16, 18]
    a = analyze(values, baseline=5)  # median of 10, 12, 11, 13, 12
    assert a.median == 12 and a.baseline == 5
    assert a.sides == [-1, 0, -1, 1, 0, 1, 1, 1, 1, 1, 1]
    assert a.useful_count == 9 and a.runs == 2 and a.runs_limits is None
    assert a.shifts == [(3, 10)]  # 13 then 15..18: seven useful points above, the 12 at 4 skipped
    assert analyze(values).median == 15
    assert replace(analyze(values, baseline=len(values)), baseline=None) == analyze(values)


def test_empty_series():
    a = analyze([])
    assert a.median is None and a.n == 0
    assert (a.useful_count, a.runs, a.runs_limits, a.shifts, a.trends, a.signals) == (0, 0, None, [], [], [])


def test_single_value():
    a = analyze([7])
    assert a.median == 7 and a.useful_count == 0 and a.runs == 0 and a.signals == []


def test_all_values_equal():
    a = analyze([4] * 30)
    assert a.median == 4
    assert a.sides == [0] * 30
    assert (a.useful_count, a.runs, a.runs_limits) == (0, 0, None)
    assert a.shifts == [] and a.trends == [] and a.signals == []


def test_decimal_and_fraction_values_are_accepted():
    assert analyze([Decimal("1.5"), 2, 3.5]).median == 2.0


@pytest.mark.parametrize(
    "values, message",
    [
        ([1, None, 3], r"values\[1\] is None"),
        ([1, math.nan], "finite"),
        ([1, math.inf], "finite"),
        ([1, "2"], "number"),
        ([True, 2], "number"),
        ("123", "sequence"),
    ],
)
def test_invalid_values_are_refused(values, message):
    with pytest.raises(ValueError, match=message):
        analyze(values)


@pytest.mark.parametrize("baseline", [0, -1, 4, 2.5, True])
def test_invalid_baseline_is_refused(baseline):
    with pytest.raises(ValueError, match="baseline"):
        analyze([1, 2, 3], baseline=baseline)


def test_baseline_on_an_empty_series_is_refused():
    with pytest.raises(ValueError, match="baseline"):
        analyze([], baseline=1)


def test_huge_values_do_not_overflow_the_median():
    assert analyze([1.5e308, 1.7e308]).median == pytest.approx(1.6e308)


def test_signals_are_sorted_by_position():
    a = analyze([1, 2, 3, 4, 5, 9, 9, 8, 9, 8, 9, 1, 2, 1, 2, 1, 2, 1])
    assert [(s.start, s.end) for s in a.signals] == sorted((s.start, s.end) for s in a.signals)
