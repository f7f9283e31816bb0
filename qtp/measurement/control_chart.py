"""Shewhart control charts (p, u, c, XmR) with 3-sigma limits and the special-cause signals.

Pure functions and frozen dataclasses: no Flask, no database, no I/O, no words (domain.md section 5).

- p chart: p̄ ± 3·√(p̄(1−p̄)/n_i), p̄ = Σ numerators / Σ denominators; limits kept within [0, 1].
- u chart: ū ± 3·√(ū/n_i), ū = Σ counts / Σ exposures; lower limit never below 0.
- c chart: c̄ ± 3·√c̄; lower limit never below 0.
- XmR: x̄ ± 2.66·MR̄ (MR̄ = mean moving range), moving-range upper limit 3.27·MR̄, sigma = MR̄ / 1.128;
  the lower limit is clipped at 0 unless `clip_at_zero=False` (measures that can be negative).

Signals (each with the inclusive index range of the points involved):
- "outside-limits": a point above the upper or below the lower limit (one signal per point);
- "shift": 8 or more consecutive points on one side of the centre line (points on it are skipped);
- "trend": 6 or more consecutive points all rising or all falling (equal neighbours count once);
- "two-of-three": 2 of 3 consecutive points more than 2 sigma from the centre line on the same side
  (overlapping windows are merged; the range runs from the first to the last such point);
- "within-one-sigma": 15 or more consecutive points less than 1 sigma from the centre line;
- "moving-range" (XmR only): a moving range above its upper limit (range: the two points involved).
Zone rules need sigma > 0: a point whose sigma is 0 is neither beyond 2 sigma nor within 1 sigma.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from qtp.measurement.run_chart import find_shifts, find_trends, sides_of, validate_values

SHIFT_MIN = 8
TREND_MIN = 6
WITHIN_ONE_SIGMA_MIN = 15
XMR_LIMIT_FACTOR = 2.66
MR_LIMIT_FACTOR = 3.27
D2 = 1.128

ChartKind = Literal["p", "u", "c", "xmr"]
ControlSignalKind = Literal["outside-limits", "shift", "trend", "two-of-three", "within-one-sigma", "moving-range"]


@dataclass(frozen=True)
class ControlSignal:
    kind: ControlSignalKind
    start: int
    end: int
    direction: Literal["above", "below", "up", "down"] | None = None


@dataclass(frozen=True)
class ControlChart:
    kind: ChartKind
    values: list[float]  # the plotted statistic: proportions, rates, counts or individual values
    centre: float
    upper: list[float]  # per point
    lower: list[float]  # per point
    sigma: list[float]  # per point
    signals: list[ControlSignal] = field(default_factory=list)
    moving_ranges: list[float] = field(default_factory=list)  # XmR: moving_ranges[k] = |x[k+1] - x[k]|
    mr_centre: float | None = None
    mr_upper: float | None = None

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def signal_indices(self) -> set[int]:
        return {i for s in self.signals for i in range(s.start, s.end + 1)}


def _equal_lengths(a: Sequence[object], b: Sequence[object], names: tuple[str, str]) -> None:
    if len(a) != len(b):
        raise ValueError(f"{names[0]} and {names[1]} must have the same length ({len(a)} and {len(b)})")
    if not a:
        raise ValueError("a control chart needs at least one point")


def _non_negative(xs: Sequence[float], name: str) -> None:
    for i, x in enumerate(xs):
        if x < 0:
            raise ValueError(f"{name}[{i}] is {x:g}: it cannot be negative")


def _positive(xs: Sequence[float], name: str) -> None:
    for i, x in enumerate(xs):
        if x <= 0:
            raise ValueError(f"{name}[{i}] is {x:g}: it must be greater than 0")


def _zone_runs(flags: Sequence[bool], minimum: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= minimum:
                out.append((start, i - 1))
            start = None
    return out


def _two_of_three(z: Sequence[float | None]) -> list[ControlSignal]:
    found: list[ControlSignal] = []
    for side, direction in ((1, "above"), (-1, "below")):
        merged: list[list[int]] = []
        for i in range(len(z) - 2):
            beyond = [j for j in range(i, i + 3) if z[j] is not None and side * z[j] > 2]
            if len(beyond) < 2:
                continue
            if merged and beyond[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], beyond[-1])
            else:
                merged.append([beyond[0], beyond[-1]])
        found += [ControlSignal("two-of-three", a, b, direction) for a, b in merged]  # type: ignore[arg-type]
    return found


def detect_signals(
    values: Sequence[float], centre: float, upper: Sequence[float], lower: Sequence[float], sigma: Sequence[float]
) -> list[ControlSignal]:
    """The special-cause signals for a series with per-point limits and sigma, sorted by position."""
    signals: list[ControlSignal] = []
    for i, v in enumerate(values):
        if v > upper[i]:
            signals.append(ControlSignal("outside-limits", i, i, "above"))
        elif v < lower[i]:
            signals.append(ControlSignal("outside-limits", i, i, "below"))
    for s in find_shifts(sides_of(values, centre), SHIFT_MIN):
        signals.append(ControlSignal("shift", s.start, s.end, s.direction))
    for s in find_trends(values, TREND_MIN):
        signals.append(ControlSignal("trend", s.start, s.end, s.direction))
    z = [(v - centre) / sd if sd > 0 else None for v, sd in zip(values, sigma, strict=True)]
    signals += _two_of_three(z)
    within = [zi is not None and abs(zi) < 1 for zi in z]
    signals += [ControlSignal("within-one-sigma", a, b) for a, b in _zone_runs(within, WITHIN_ONE_SIGMA_MIN)]
    signals.sort(key=lambda s: (s.start, s.end, s.kind))
    return signals


def _attribute_chart(
    kind: ChartKind, values: list[float], centre: float, sigma: list[float], cap_at_one: bool = False
) -> ControlChart:
    upper = [centre + 3 * sd for sd in sigma]
    if cap_at_one:
        upper = [min(u, 1.0) for u in upper]
    lower = [max(centre - 3 * sd, 0.0) for sd in sigma]
    return ControlChart(kind, values, centre, upper, lower, sigma, detect_signals(values, centre, upper, lower, sigma))


def p_chart(numerators: Sequence[float], denominators: Sequence[float]) -> ControlChart:
    """Proportions numerator/denominator per period (e.g. patients with a documented plan / patients seen)."""
    nums = validate_values(numerators, "numerators")
    dens = validate_values(denominators, "denominators")
    _equal_lengths(nums, dens, ("numerators", "denominators"))
    _non_negative(nums, "numerators")
    _positive(dens, "denominators")
    for i, (a, b) in enumerate(zip(nums, dens, strict=True)):
        if a > b:
            raise ValueError(f"numerators[{i}] ({a:g}) cannot be greater than denominators[{i}] ({b:g})")
    p_bar = sum(nums) / sum(dens)
    sigma = [math.sqrt(p_bar * (1 - p_bar) / d) for d in dens]
    return _attribute_chart("p", [a / b for a, b in zip(nums, dens, strict=True)], p_bar, sigma, cap_at_one=True)


def u_chart(counts: Sequence[float], exposures: Sequence[float]) -> ControlChart:
    """Rates count/exposure per period (e.g. emergency visits per 100 patient-days)."""
    cs = validate_values(counts, "counts")
    ex = validate_values(exposures, "exposures")
    _equal_lengths(cs, ex, ("counts", "exposures"))
    _non_negative(cs, "counts")
    _positive(ex, "exposures")
    u_bar = sum(cs) / sum(ex)
    sigma = [math.sqrt(u_bar / e) for e in ex]
    return _attribute_chart("u", [c / e for c, e in zip(cs, ex, strict=True)], u_bar, sigma)


def c_chart(counts: Sequence[float]) -> ControlChart:
    """Counts per period with a constant area of opportunity."""
    cs = validate_values(counts, "counts")
    if not cs:
        raise ValueError("a control chart needs at least one point")
    _non_negative(cs, "counts")
    c_bar = sum(cs) / len(cs)
    return _attribute_chart("c", cs, c_bar, [math.sqrt(c_bar)] * len(cs))


def xmr_chart(values: Sequence[float], *, clip_at_zero: bool = True) -> ControlChart:
    """Individuals (X) chart with its moving ranges, for continuous measures (e.g. minutes to antibiotics)."""
    xs = validate_values(values)
    if len(xs) < 2:
        raise ValueError("an XmR chart needs at least two points (one moving range)")
    mrs = [abs(b - a) for a, b in zip(xs, xs[1:], strict=False)]
    mr_bar = sum(mrs) / len(mrs)
    x_bar = sum(xs) / len(xs)
    up = x_bar + XMR_LIMIT_FACTOR * mr_bar
    low = x_bar - XMR_LIMIT_FACTOR * mr_bar
    if clip_at_zero:
        low = max(low, 0.0)
    upper, lower, sigma = [up] * len(xs), [low] * len(xs), [mr_bar / D2] * len(xs)
    signals = detect_signals(xs, x_bar, upper, lower, sigma)
    mr_upper = MR_LIMIT_FACTOR * mr_bar
    signals += [ControlSignal("moving-range", k, k + 1, "above") for k, mr in enumerate(mrs) if mr > mr_upper]
    signals.sort(key=lambda s: (s.start, s.end, s.kind))
    return ControlChart("xmr", xs, x_bar, upper, lower, sigma, signals, mrs, mr_bar, mr_upper)
