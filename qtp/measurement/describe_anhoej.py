"""The Anhøj run-chart rules in words, and the two rule sets side by side (IHI's four rules, Anhøj's two).

A team charts a measure with one rule set (the IHI rules unless it chooses Anhøj's); the measure page names
what each set finds, so a team can see where they agree. Sentences follow describe.py's conventions: points
numbered from 1, dates and numbers through Babel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from qtp.measurement.describe import Periods, describe_astronomical, describe_median
from qtp.measurement.run_chart import AnhoejAnalysis, RunChartAnalysis

RULE_SETS = ("ihi", "anhoej")
RULE_SET_NAMES = {
    "ihi": _l("IHI rules: shift, trend, number of runs"),
    "anhoej": _l("Anhøj rules: longest run, crossings of the median"),
}


def describe_long_runs(result: AnhoejAnalysis, periods: Periods) -> list[str]:
    limit, useful = result.longest_run_limit, format_decimal(result.useful_count)
    sentences = []
    for signal in result.signals:
        if signal.kind != "long-run":
            continue
        values = {"num": signal.length, "limit": limit, "useful": useful, **periods.span(signal.start, signal.end)}
        if signal.direction == "above":
            sentences.append(
                _(
                    "Unusually long run: %(num)s points in a row above the median, points %(start)s–%(end)s "
                    "(%(first)s – %(last)s); with %(useful)s useful observations a run longer than %(limit)s "
                    "points is a signal.",
                    **values,
                )
            )
        else:
            sentences.append(
                _(
                    "Unusually long run: %(num)s points in a row below the median, points %(start)s–%(end)s "
                    "(%(first)s – %(last)s); with %(useful)s useful observations a run longer than %(limit)s "
                    "points is a signal.",
                    **values,
                )
            )
    return sentences or [
        _(
            "Longest run: %(num)s points on one side of the median; with %(useful)s useful observations only a "
            "run longer than %(limit)s points would be a signal.",
            num=result.longest_run,
            useful=useful,
            limit=limit,
        )
    ]


def describe_crossings(result: AnhoejAnalysis) -> str:
    values = {"limit": result.crossings_limit, "useful": format_decimal(result.useful_count)}
    if result.too_few_crossings:
        return ngettext(
            "Crossings: the line crosses the median %(num)s time; with %(useful)s useful observations fewer "
            "than %(limit)s crossings is a signal of non-random variation.",
            "Crossings: the line crosses the median %(num)s times; with %(useful)s useful observations fewer "
            "than %(limit)s crossings is a signal of non-random variation.",
            result.crossings,
            **values,
        )
    return ngettext(
        "Crossings: the line crosses the median %(num)s time; with %(useful)s useful observations fewer than "
        "%(limit)s would be a signal.",
        "Crossings: the line crosses the median %(num)s times; with %(useful)s useful observations fewer than "
        "%(limit)s would be a signal.",
        result.crossings,
        **values,
    )


def describe_anhoej(
    analysis: RunChartAnalysis,
    result: AnhoejAnalysis,
    periods: Sequence[date],
    scale: str,
    astronomical: Sequence[int] = (),
) -> list[str]:
    """The median, the longest-run rule and the crossings rule, one sentence each (one per long run)."""
    named = Periods(periods)
    return [
        describe_median(analysis, scale),
        *describe_long_runs(result, named),
        describe_crossings(result),
        describe_astronomical(astronomical, named),
    ]


@dataclass(frozen=True)
class RuleSetVerdict:
    """What one rule set finds in the series: the names of the rules that fired (empty: no signal)."""

    key: str
    name: str
    chosen: bool
    fired: list[str]


def verdicts(analysis: RunChartAnalysis, result: AnhoejAnalysis, chosen: str) -> list[RuleSetVerdict]:
    ihi = [
        name
        for fired, name in (
            (bool(analysis.shifts), _("shift")),
            (bool(analysis.trends), _("trend")),
            (analysis.too_few_runs, _("too few runs")),
            (analysis.too_many_runs, _("too many runs")),
        )
        if fired
    ]
    anhoej = [
        name
        for fired, name in (
            (result.unusually_long_run, _("unusually long run")),
            (result.too_few_crossings, _("too few crossings")),
        )
        if fired
    ]
    return [
        RuleSetVerdict("ihi", str(RULE_SET_NAMES["ihi"]), chosen == "ihi", ihi),
        RuleSetVerdict("anhoej", str(RULE_SET_NAMES["anhoej"]), chosen == "anhoej", anhoej),
    ]
