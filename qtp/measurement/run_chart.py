"""Run-chart analysis: median, runs and the four rules (Perla, Provost, Murray 2011), plus the Anhøj rules.

Pure functions and frozen dataclasses: no Flask, no database, no I/O, no words. The views translate the
`signals` (kind, direction, index range) into sentences in the user's language.

Conventions (domain.md section 5):
- the median is the middle value (odd n) or the mean of the two middle values (even n), computed from the
  first `baseline` points when the median is frozen on a baseline period, else from all points;
- a point exactly on the median is not a useful observation: it neither counts toward nor breaks a run
  or a shift;
- shift: 6 or more consecutive useful points on one side of the median;
- trend: 5 or more consecutive points all going up or all going down; equal neighbours count once and
  neither add to nor break a trend. The range reported goes from the last occurrence of the first value to
  the first occurrence of the last value (the repeats inside the range are part of it);
- too few / too many runs: see `runs_table` (no limits below 10 useful observations).
Index ranges are inclusive (start, end) indices into the series.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from qtp.measurement.runs_table import runs_limits

SHIFT_MIN = 6
TREND_MIN = 5

SignalKind = Literal["shift", "trend", "too-few-runs", "too-many-runs", "long-run", "too-few-crossings"]
Direction = Literal["above", "below", "up", "down"]


@dataclass(frozen=True)
class Signal:
    """A rule that fired. `start`/`end` are inclusive point indices; `length` is the number of points counted
    by the rule (useful points for a shift, distinct values for a trend, useful points for the runs rules)."""

    kind: SignalKind
    start: int
    end: int
    direction: Direction | None = None
    length: int = 0


@dataclass(frozen=True)
class RunChartAnalysis:
    n: int
    median: float | None
    baseline: int | None
    sides: list[int]  # per point: +1 above the median, -1 below, 0 on it
    useful_count: int
    above: int
    below: int
    runs: int
    runs_limits: tuple[int, int] | None
    too_few_runs: bool
    too_many_runs: bool
    shifts: list[tuple[int, int]]
    trends: list[tuple[int, int]]
    signals: list[Signal] = field(default_factory=list)

    @property
    def has_signal(self) -> bool:
        return bool(self.signals)


@dataclass(frozen=True)
class AnhoejAnalysis:
    n: int
    median: float | None
    useful_count: int
    longest_run: int
    longest_run_limit: int | None  # a longer run signals: longest_run > round(log2(useful_count) + 3)
    crossings: int
    crossings_limit: int | None  # fewer crossings signal: crossings < limit
    unusually_long_run: bool
    too_few_crossings: bool
    signals: list[Signal] = field(default_factory=list)

    @property
    def has_signal(self) -> bool:
        return self.unusually_long_run or self.too_few_crossings


def validate_values(values: Sequence[object], name: str = "values") -> list[float]:
    """Finite real numbers (int, float, Decimal, Fraction) as floats; anything else is a ValueError."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise ValueError(f"{name} must be a sequence of numbers")
    out: list[float] = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, numbers.Real | Decimal):
            raise ValueError(f"{name}[{i}] is {v!r}: every value must be a number (no blanks or text)")
        f = float(v)
        if not math.isfinite(f):
            raise ValueError(f"{name}[{i}] is {v!r}: every value must be a finite number (no NaN or infinity)")
        out.append(f)
    return out


def validate_baseline(baseline: object, n: int) -> int | None:
    if baseline is None:
        return None
    if isinstance(baseline, bool) or not isinstance(baseline, int):
        raise ValueError(f"baseline must be a whole number of points, not {baseline!r}")
    if baseline < 1 or baseline > n:
        raise ValueError(f"baseline must be between 1 and the number of points ({n}), not {baseline}")
    return baseline


def sides_of(values: Sequence[float], centre: float) -> list[int]:
    return [1 if v > centre else -1 if v < centre else 0 for v in values]


def side_runs(sides: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """Maximal runs of useful points on one side: (side, first index, last index, number of useful points).

    Points with side 0 (on the centre line) are skipped: they neither count toward nor break a run."""
    runs: list[tuple[int, int, int, int]] = []
    for i, s in enumerate(sides):
        if s == 0:
            continue
        if runs and runs[-1][0] == s:
            side, start, _, count = runs[-1]
            runs[-1] = (side, start, i, count + 1)
        else:
            runs.append((s, i, i, 1))
    return runs


def find_shifts(sides: Sequence[int], minimum: int) -> list[Signal]:
    return [
        Signal("shift", start, end, "above" if side > 0 else "below", count)
        for side, start, end, count in side_runs(sides)
        if count >= minimum
    ]


def find_trends(values: Sequence[float], minimum: int) -> list[Signal]:
    """Maximal stretches of `minimum` or more distinct values all going up or all going down.

    Consecutive equal values form one group: they count once and neither add to nor break a trend."""
    groups: list[tuple[int, int, float]] = []  # (first index, last index, value)
    for i, v in enumerate(values):
        if groups and groups[-1][2] == v:
            groups[-1] = (groups[-1][0], i, v)
        else:
            groups.append((i, i, v))
    found: list[Signal] = []
    g = 1
    while g < len(groups):
        direction = 1 if groups[g][2] > groups[g - 1][2] else -1
        first = g - 1
        while g + 1 < len(groups) and (groups[g + 1][2] > groups[g][2]) == (direction > 0):
            g += 1
        count = g - first + 1
        if count >= minimum:
            found.append(Signal("trend", groups[first][1], groups[g][0], "up" if direction > 0 else "down", count))
        g += 1
    return found


def median_of(values: Sequence[float]) -> float | None:
    """The middle value (odd n) or the mean of the two middle values (even n); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    a, b = ordered[mid - 1], ordered[mid]
    m = (a + b) / 2
    return m if math.isfinite(m) else a / 2 + b / 2  # no overflow for values near the float limit


def _median(values: Sequence[float], baseline: int | None) -> float | None:
    return median_of(values if baseline is None else values[:baseline])


def analyze(values: Sequence[float], baseline: int | None = None) -> RunChartAnalysis:
    """Analyse a run chart with the four rules (the astronomical point is a manual flag, not computed here).

    `baseline` is the number of leading points the median is computed from (a frozen median, extended over
    the later points); None computes it from all points."""
    xs = validate_values(values)
    baseline = validate_baseline(baseline, len(xs))
    median = _median(xs, baseline)
    if median is None:
        return RunChartAnalysis(0, None, baseline, [], 0, 0, 0, 0, None, False, False, [], [], [])
    sides = sides_of(xs, median)
    above, below = sides.count(1), sides.count(-1)
    useful = above + below
    runs = len(side_runs(sides))
    limits = runs_limits(useful, above, below)
    too_few = limits is not None and runs < limits[0]
    too_many = limits is not None and runs > limits[1]
    shifts = find_shifts(sides, SHIFT_MIN)
    trends = find_trends(xs, TREND_MIN)
    signals = shifts + trends
    if too_few:
        signals.append(Signal("too-few-runs", 0, len(xs) - 1, None, useful))
    if too_many:
        signals.append(Signal("too-many-runs", 0, len(xs) - 1, None, useful))
    signals.sort(key=lambda s: (s.start, s.end, s.kind))
    return RunChartAnalysis(
        n=len(xs),
        median=median,
        baseline=baseline,
        sides=sides,
        useful_count=useful,
        above=above,
        below=below,
        runs=runs,
        runs_limits=limits,
        too_few_runs=too_few,
        too_many_runs=too_many,
        shifts=[(s.start, s.end) for s in shifts],
        trends=[(s.start, s.end) for s in trends],
        signals=signals,
    )


def longest_run_limit(useful_count: int) -> int | None:
    """Anhøj: a run longer than round(log2(n) + 3) signals (n = useful observations)."""
    if useful_count < 1:
        return None
    return round(math.log2(useful_count) + 3)  # log2(n) + 3 is never exactly halfway between integers


def crossings_limit(useful_count: int) -> int | None:
    """Anhøj: the largest k with P(X < k) <= 0.05 for X ~ Binomial(n - 1, 1/2); fewer crossings signal.

    This equals qbinom(0.05, n - 1, 0.5) as used by qicharts2 (they differ only if a cumulative
    probability were exactly 0.05, which never happens for p = 1/2). Exact integer arithmetic."""
    if useful_count < 1:
        return None
    trials = useful_count - 1
    total = 2**trials
    k, cumulative = 0, 0  # cumulative = 2**trials * P(X < k)
    while k <= trials:
        nxt = cumulative + math.comb(trials, k)  # 2**trials * P(X < k + 1)
        if 20 * nxt > total:
            break
        k, cumulative = k + 1, nxt
    return k


def anhoej(values: Sequence[float], baseline: int | None = None) -> AnhoejAnalysis:
    """The Anhøj rules (qicharts2): unusually long run, or too few crossings of the median."""
    xs = validate_values(values)
    baseline = validate_baseline(baseline, len(xs))
    median = _median(xs, baseline)
    if median is None:
        return AnhoejAnalysis(0, None, 0, 0, None, 0, None, False, False, [])
    sides = sides_of(xs, median)
    runs = side_runs(sides)
    useful = sum(count for *_, count in runs)
    longest = max((count for *_, count in runs), default=0)
    crossings = max(len(runs) - 1, 0)
    run_limit = longest_run_limit(useful)
    cross_limit = crossings_limit(useful)
    long_run = run_limit is not None and longest > run_limit
    few_crossings = cross_limit is not None and crossings < cross_limit
    signals = [
        Signal("long-run", start, end, "above" if side > 0 else "below", count)
        for side, start, end, count in runs
        if run_limit is not None and count > run_limit
    ]
    if few_crossings:
        signals.append(Signal("too-few-crossings", 0, len(xs) - 1, None, crossings))
    return AnhoejAnalysis(
        n=len(xs),
        median=median,
        useful_count=useful,
        longest_run=longest,
        longest_run_limit=run_limit,
        crossings=crossings,
        crossings_limit=cross_limit,
        unusually_long_run=long_run,
        too_few_crossings=few_crossings,
        signals=signals,
    )
