"""Limits for the number of runs on a run chart (rule 3: too few or too many runs).

Pure data and arithmetic, no I/O. For 10 to 40 useful observations the published table is used; above 40
the normal approximation of the runs distribution (Swed and Eisenhart) with 1.96 standard deviations.
Below 10 useful observations the rule is not applied and there are no limits.
"""

from __future__ import annotations

import math

SOURCE = (
    "Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning from variation "
    "in healthcare processes. BMJ Qual Saf 2011;20:46-51 (table of limits for the number of runs)."
)

MIN_USEFUL = 10
"""The runs rule is applied only from this many useful observations (points not on the median)."""

TABLE_MAX = 40
"""Largest number of useful observations covered by the table; above it the normal approximation is used."""

# useful observations -> (lower limit, upper limit), as published (see SOURCE) and listed in domain.md s.5.
RUNS_LIMITS: dict[int, tuple[int, int]] = {
    10: (3, 9),
    11: (3, 10),
    12: (3, 11),
    13: (4, 11),
    14: (4, 12),
    15: (5, 12),
    16: (5, 13),
    17: (5, 13),
    18: (6, 14),
    19: (6, 15),
    20: (6, 16),
    21: (7, 16),
    22: (7, 17),
    23: (7, 17),
    24: (8, 18),
    25: (8, 18),
    26: (9, 19),
    27: (9, 20),
    28: (10, 20),
    29: (10, 21),
    30: (11, 22),
    31: (11, 22),
    32: (11, 23),
    33: (11, 24),
    34: (12, 24),
    35: (12, 25),
    36: (13, 25),
    37: (13, 26),
    38: (14, 26),
    39: (14, 27),
    40: (15, 27),
}

Z = 1.96


def round_half_up(x: float) -> int:
    """Nearest integer, halves rounded up (Python's round() would round halves to even)."""
    return math.floor(x + 0.5)


def normal_approximation_limits(n_above: int, n_below: int) -> tuple[int, int]:
    """Limits as the nearest integers to mean ± 1.96·sd of the number of runs (halves rounded up).

    mean = 1 + 2·n1·n2/n and variance = 2·n1·n2·(2·n1·n2 − n) / (n²·(n − 1)), n = n1 + n2, with n1 and n2
    the useful points above and below the median. Used above 40 useful observations.
    """
    if n_above < 0 or n_below < 0:
        raise ValueError("the numbers of points above and below the median cannot be negative")
    n = n_above + n_below
    if n < 2:
        raise ValueError("the normal approximation needs at least 2 useful observations")
    product = 2 * n_above * n_below
    mean = 1 + product / n
    variance = product * (product - n) / (n * n * (n - 1))
    sd = math.sqrt(max(variance, 0.0))
    return round_half_up(mean - Z * sd), round_half_up(mean + Z * sd)


def runs_limits(useful_count: int, n_above: int, n_below: int) -> tuple[int, int] | None:
    """(lower, upper) limits for the number of runs, or None with fewer than 10 useful observations."""
    if n_above + n_below != useful_count:
        raise ValueError("useful_count must equal the points above plus the points below the median")
    if useful_count < MIN_USEFUL:
        return None
    if useful_count <= TABLE_MAX:
        return RUNS_LIMITS[useful_count]
    return normal_approximation_limits(n_above, n_below)
