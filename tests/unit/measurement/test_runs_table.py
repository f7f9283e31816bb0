"""The runs-limits table (domain.md section 5), the normal approximation above 40, and the Anhøj limits."""

import pytest

from qtp.measurement import runs_table
from qtp.measurement.run_chart import anhoej, crossings_limit, longest_run_limit
from qtp.measurement.runs_table import normal_approximation_limits, round_half_up, runs_limits

# Copied from domain.md section 5, "useful observations: lower-upper".
DOMAIN_TABLE = (
    "10: 3-9, 11: 3-10, 12: 3-11, 13: 4-11, 14: 4-12, 15: 5-12, 16: 5-13, 17: 5-13, 18: 6-14, 19: 6-15, "
    "20: 6-16, 21: 7-16, 22: 7-17, 23: 7-17, 24: 8-18, 25: 8-18, 26: 9-19, 27: 9-20, 28: 10-20, "
    "29: 10-21, 30: 11-22, 31: 11-22, 32: 11-23, 33: 11-24, 34: 12-24, 35: 12-25, 36: 13-25, 37: 13-26, "
    "38: 14-26, 39: 14-27, 40: 15-27"
)


def _parse(text):
    out = {}
    for item in text.split(", "):
        n, limits = item.split(": ")
        lower, upper = limits.split("-")
        out[int(n)] = (int(lower), int(upper))
    return out


def test_table_is_exactly_the_published_one():
    assert runs_table.RUNS_LIMITS == _parse(DOMAIN_TABLE)
    assert "Perla" in runs_table.SOURCE and "BMJ Qual Saf 2011" in runs_table.SOURCE


@pytest.mark.parametrize("n", range(10, 41))
def test_table_is_used_from_10_to_40_whatever_the_split(n):
    expected = _parse(DOMAIN_TABLE)[n]
    assert runs_limits(n, n // 2, n - n // 2) == expected
    assert runs_limits(n, n - 1, 1) == expected


@pytest.mark.parametrize("n", range(0, 10))
def test_no_limits_below_10(n):
    assert runs_limits(n, n, 0) is None


def test_normal_approximation_reproduces_the_table_at_40():
    assert normal_approximation_limits(20, 20) == (15, 27)


def test_normal_approximation_is_continuous_with_the_table_above_40():
    lower40, upper40 = runs_limits(40, 20, 20)
    lower41, upper41 = runs_limits(41, 21, 20)
    assert (lower41, upper41) == (15, 28)  # mean 21.49, sd 3.159
    assert abs(lower41 - lower40) <= 1 and abs(upper41 - upper40) <= 1


def test_normal_approximation_by_hand():
    # n1 = n2 = 25: mean = 1 + 2*625/50 = 26, variance = 1250*1200/(2500*49) = 12.245, sd = 3.499
    assert runs_limits(50, 25, 25) == (19, 33)
    # n1 = 60, n2 = 40: mean = 49, variance = 4800*4700/(10000*99) = 22.788, sd = 4.774 -> 39.64, 58.36
    assert runs_limits(100, 60, 40) == (40, 58)


def test_normal_approximation_with_one_side_only():
    assert runs_limits(45, 45, 0) == (1, 1)  # every point above: exactly one run is possible


def test_rounding_is_half_up():
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 2.49, -0.5)] == [1, 2, 3, 2, 0]


def test_inconsistent_counts_are_refused():
    with pytest.raises(ValueError):
        runs_limits(12, 5, 5)
    with pytest.raises(ValueError):
        normal_approximation_limits(-1, 50)


# Anhøj (qicharts2): longest run > round(log2(n) + 3); crossings < qbinom(0.05, n - 1, 0.5).
# Values of the table published by Anhøj and Olesen (PLoS One 2014), n = useful observations.
ANHOEJ = {10: (6, 2), 12: (7, 3), 14: (7, 4), 17: (7, 5), 19: (7, 6), 20: (7, 6), 24: (8, 8), 30: (8, 10)}


@pytest.mark.parametrize("n", sorted(ANHOEJ))
def test_anhoej_limits(n):
    assert (longest_run_limit(n), crossings_limit(n)) == ANHOEJ[n]


def test_crossings_limit_by_hand_for_10():
    # X ~ Bin(9, 1/2): P(X < 2) = 10/512 = 0.0195 <= 0.05 < P(X < 3) = 46/512 = 0.0898
    assert crossings_limit(10) == 2


def test_anhoej_limits_without_observations():
    assert longest_run_limit(0) is None and crossings_limit(0) is None
    assert crossings_limit(1) == 0 and longest_run_limit(1) == 3


def test_anhoej_on_a_long_run():
    values = [1, 9, 1, 9, 1, 9, 1, 9, 8, 9, 8, 9, 8, 9, 8, 9, 1, 2, 1, 9, 1, 9, 1, 2]
    a = anhoej(values, baseline=2)  # median 5 from 1 and 9
    assert a.median == 5 and a.useful_count == 24
    assert a.longest_run == 9 and a.longest_run_limit == 8  # round(log2(24) + 3) = round(7.58)
    assert a.crossings == 12 and a.crossings_limit == 8
    assert a.unusually_long_run and not a.too_few_crossings and a.has_signal
    assert [(s.kind, s.start, s.end, s.direction) for s in a.signals] == [("long-run", 7, 15, "above")]


def test_anhoej_too_few_crossings():
    a = anhoej([1, 2, 1, 2, 1, 9, 8, 9, 8, 9])
    assert a.crossings == 1 and a.crossings_limit == 2
    assert a.too_few_crossings and not a.unusually_long_run
    assert [s.kind for s in a.signals] == ["too-few-crossings"]


def test_anhoej_frozen_baseline_and_edge_cases():
    assert anhoej([1, 3, 10, 10, 10], baseline=2).median == 2
    empty = anhoej([])
    assert empty.median is None and not empty.has_signal
    flat = anhoej([3, 3, 3])
    assert (flat.useful_count, flat.longest_run, flat.crossings, flat.has_signal) == (0, 0, 0, False)
    with pytest.raises(ValueError):
        anhoej([1, float("nan")])
