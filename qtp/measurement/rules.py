"""What a data point must hold for its measure's scale (pure: the form, the services and the CSV import
all check entries here, so that every path refuses the same things with the same words).

- proportion: numerator and denominator, 0 <= numerator <= denominator, denominator > 0;
- rate: numerator (events, >= 0) and denominator (exposure, > 0);
- count: a value >= 0; continuous (and a measure whose scale is not chosen yet): a value;
- a note of at most 500 characters; a period at most one year ahead of today.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

SCALES = ("proportion", "rate", "count", "continuous")
FRACTION_SCALES = ("proportion", "rate")
NOTE_MAX = 500
MAX_ABS = 1e12  # larger numbers are typing errors, and would not chart


@dataclass(frozen=True)
class Entry:
    period: date | None
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    note: str = ""


def uses_fraction(scale: str) -> bool:
    """Proportions and rates are entered as numerator and denominator; the rest as one value."""
    return scale in FRACTION_SCALES


def latest_period(today: date) -> date:
    """The latest period accepted: one year from today (28 February for 29 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def _number_problem(x: float) -> str | None:
    if not math.isfinite(x):
        return _("Enter a number.")
    if abs(x) > MAX_ABS:
        return _("This number is too large.")
    return None


def check_entry(scale: str, entry: Entry, today: date) -> list[tuple[str, str]]:
    """Every problem of the entry as (field, message); field is period, numerator, denominator, value or
    note. An empty list means the entry is acceptable (duplicates are checked against the database)."""
    problems: list[tuple[str, str]] = []
    if entry.period is None:
        problems.append(("period", _("Enter the period (a date).")))
    elif entry.period > latest_period(today):
        problems.append(
            (
                "period",
                _(
                    "The period cannot be more than one year ahead (after %(date)s).",
                    date=format_date(latest_period(today)),
                ),
            )
        )
    if uses_fraction(scale):
        num, den = entry.numerator, entry.denominator
        if num is None:
            problems.append(("numerator", _("Enter the numerator.")))
        elif (bad := _number_problem(num)) is not None:
            problems.append(("numerator", bad))
        elif num < 0:
            problems.append(("numerator", _("The numerator cannot be negative.")))
        if den is None:
            problems.append(("denominator", _("Enter the denominator.")))
        elif (bad := _number_problem(den)) is not None:
            problems.append(("denominator", bad))
        elif den <= 0:
            problems.append(("denominator", _("The denominator must be greater than 0.")))
        elif scale == "proportion" and num is not None and 0 <= num <= MAX_ABS and num > den:
            problems.append(("numerator", _("For a proportion the numerator cannot be greater than the denominator.")))
    else:
        value = entry.value
        if value is None:
            problems.append(("value", _("Enter the value.")))
        elif (bad := _number_problem(value)) is not None:
            problems.append(("value", bad))
        elif scale == "count" and value < 0:
            problems.append(("value", _("A count cannot be negative.")))
    if len(entry.note) > NOTE_MAX:
        problems.append(
            (
                "note",
                _(
                    "The note can have at most %(max)s characters (it has %(count)s).",
                    max=NOTE_MAX,
                    count=len(entry.note),
                ),
            )
        )
    return problems


def normalized(scale: str, entry: Entry) -> Entry:
    """The entry as stored: only the fields of its scale, the value computed for proportions and rates."""
    note = entry.note.strip()
    if uses_fraction(scale):
        num, den = entry.numerator, entry.denominator
        value = num / den if num is not None and den else None
        return replace(entry, value=value, note=note)
    return replace(entry, numerator=None, denominator=None, note=note)
