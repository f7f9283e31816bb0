"""Charts described in words, in the user's language: the run-chart rules, control-chart limits and signals.

The analysis modules return numbers and index ranges; this module turns them into sentences. Points are
numbered from 1 for readers ("points 9–15"); dates go through Babel's format_date and numbers through
format_decimal / format_percent for the current locale. Proportions are charted as fractions and shown as
percentages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache

from babel import Locale, dates
from babel.dates import format_skeleton
from babel.numbers import NumberPattern, parse_pattern
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from qtp.measurement.control_chart import SHIFT_MIN as CONTROL_SHIFT_MIN
from qtp.measurement.control_chart import TREND_MIN as CONTROL_TREND_MIN
from qtp.measurement.control_chart import WITHIN_ONE_SIGMA_MIN, ControlChart
from qtp.measurement.run_chart import SHIFT_MIN, TREND_MIN, RunChartAnalysis
from qtp.measurement.runs_table import MIN_USEFUL

SMALL_PATTERN = "#,##0.####"
NUMBER_PATTERN = "#,##0.##"


@cache
def _number_patterns(locale: Locale) -> tuple[NumberPattern, NumberPattern, NumberPattern]:
    """Parsed once per language (a chart's page formats a hundred values): the locale's percent pattern (45 %,
    45%) with one optional decimal (45,7 % in Spanish), and the patterns of small and other numbers."""
    percent = locale.percent_formats[None].pattern.split(";")[0]
    last = percent.rfind("0")
    if last >= 0:
        percent = percent[: last + 1] + ".#" + percent[last + 1 :]
    return parse_pattern(percent), parse_pattern(SMALL_PATTERN), parse_pattern(NUMBER_PATTERN)


def format_value(value: float | None, scale: str) -> str:
    """A charted value for reading: percentages for proportions, plain locale numbers otherwise."""
    if value is None:
        return ""
    locale = get_locale() or Locale("en")
    percent, small, number = _number_patterns(locale)
    if scale == "proportion":
        return percent.apply(value, locale)
    if value != 0 and abs(value) < 1:
        return small.apply(value, locale)
    return number.apply(value, locale)


def value_formatter(scale: str) -> Callable[[float], str]:
    return lambda value: format_value(value, scale)


def is_monthly(periods: Sequence[date]) -> bool:
    """Periods that are all the first of a month are read as months ("Mar 2026")."""
    return bool(periods) and all(p.day == 1 for p in periods)


def format_period(period: date, monthly: bool) -> str:
    return dates.format_date(period, "MMM yyyy" if monthly else "medium", locale=get_locale() or "en")


def axis_label(period: date, monthly: bool) -> str:
    """A short label under the chart's x axis, in the reader's language and order: "Jul 2026", "6 jul",
    "6 de jul." (never a numeric date such as 7/6/26, which reads differently in every country)."""
    return format_skeleton("yMMM" if monthly else "MMMd", period, locale=get_locale())


class Periods:
    """Point numbers and dates of a series, for the placeholders of the sentences."""

    def __init__(self, periods: Sequence[date]) -> None:
        self.periods = list(periods)
        self.monthly = is_monthly(self.periods)

    def date(self, index: int) -> str:
        return format_period(self.periods[index], self.monthly)

    def span(self, start: int, end: int) -> dict[str, str]:
        return {
            "start": format_decimal(start + 1),
            "end": format_decimal(end + 1),
            "first": self.date(start),
            "last": self.date(end),
        }


# -- run chart --------------------------------------------------------------------------------------------


def describe_median(analysis: RunChartAnalysis, scale: str) -> str:
    if analysis.median is None:
        return _("There is no median yet: the measure has no data.")
    median = format_value(analysis.median, scale)
    if analysis.baseline is None:
        return ngettext(
            "Median: %(median)s, from the only point.",
            "Median: %(median)s, from all %(num)s points.",
            analysis.n,
            median=median,
        )
    return ngettext(
        "Median: %(median)s, frozen on the first point (the baseline) and extended over the later points.",
        "Median: %(median)s, frozen on the first %(num)s points (the baseline) and extended over the later points.",
        analysis.baseline,
        median=median,
    )


def describe_shifts(analysis: RunChartAnalysis, periods: Periods) -> list[str]:
    sentences = []
    for signal in analysis.signals:
        if signal.kind != "shift":
            continue
        span = periods.span(signal.start, signal.end)
        if signal.direction == "above":
            text = _(
                "Shift: %(min)s or more points in a row above the median: points %(start)s–%(end)s "
                "(%(first)s – %(last)s).",
                min=SHIFT_MIN,
                **span,
            )
        else:
            text = _(
                "Shift: %(min)s or more points in a row below the median: points %(start)s–%(end)s "
                "(%(first)s – %(last)s).",
                min=SHIFT_MIN,
                **span,
            )
        sentences.append(text)
    return sentences or [
        _("Shift: there are no %(min)s or more points in a row on one side of the median.", min=SHIFT_MIN)
    ]


def describe_trends(analysis: RunChartAnalysis, periods: Periods) -> list[str]:
    sentences = []
    for signal in analysis.signals:
        if signal.kind != "trend":
            continue
        span = periods.span(signal.start, signal.end)
        if signal.direction == "up":
            text = _(
                "Trend: %(min)s or more points in a row going up: points %(start)s–%(end)s (%(first)s – %(last)s).",
                min=TREND_MIN,
                **span,
            )
        else:
            text = _(
                "Trend: %(min)s or more points in a row going down: points %(start)s–%(end)s (%(first)s – %(last)s).",
                min=TREND_MIN,
                **span,
            )
        sentences.append(text)
    return sentences or [
        _("Trend: there are no %(min)s or more points in a row all going up or all going down.", min=TREND_MIN)
    ]


def describe_runs(analysis: RunChartAnalysis) -> str:
    if analysis.runs_limits is None:
        return ngettext(
            "Runs: %(num)s run; with fewer than %(min)s useful observations (points not on the median) the runs "
            "rule does not apply yet.",
            "Runs: %(num)s runs; with fewer than %(min)s useful observations (points not on the median) the runs "
            "rule does not apply yet.",
            analysis.runs,
            min=MIN_USEFUL,
        )
    low, high = analysis.runs_limits
    values = {"useful": format_decimal(analysis.useful_count), "low": low, "high": high}
    if analysis.too_few_runs:
        return ngettext(
            "Runs: %(num)s run; with %(useful)s useful observations the expected range is %(low)s–%(high)s: "
            "too few runs, a signal of non-random variation.",
            "Runs: %(num)s runs; with %(useful)s useful observations the expected range is %(low)s–%(high)s: "
            "too few runs, a signal of non-random variation.",
            analysis.runs,
            **values,
        )
    if analysis.too_many_runs:
        return ngettext(
            "Runs: %(num)s run; with %(useful)s useful observations the expected range is %(low)s–%(high)s: "
            "too many runs, a signal of non-random variation.",
            "Runs: %(num)s runs; with %(useful)s useful observations the expected range is %(low)s–%(high)s: "
            "too many runs, a signal of non-random variation.",
            analysis.runs,
            **values,
        )
    return ngettext(
        "Runs: %(num)s run; with %(useful)s useful observations the expected range is %(low)s–%(high)s: within range.",
        "Runs: %(num)s runs; with %(useful)s useful observations the expected range is %(low)s–%(high)s: within range.",
        analysis.runs,
        **values,
    )


def describe_astronomical(flagged: Sequence[int], periods: Periods) -> str:
    """Rule 4 is a judgement: the points the team flagged as obviously different from the rest."""
    if not flagged:
        return _("Astronomical points: none flagged by the team.")
    items = ", ".join(
        _("point %(number)s (%(date)s)", number=format_decimal(i + 1), date=periods.date(i)) for i in flagged
    )
    return ngettext(
        "Astronomical point flagged by the team: %(points)s.",
        "Astronomical points flagged by the team: %(points)s.",
        len(flagged),
        points=items,
    )


def describe_target(target: float | None, scale: str) -> str | None:
    if target is None:
        return None
    return _("Target: %(target)s.", target=format_value(target, scale))


def describe_run_chart(
    analysis: RunChartAnalysis, periods: Sequence[date], scale: str, astronomical: Sequence[int] = ()
) -> list[str]:
    """The median and the four rules, one sentence each (a rule that fired on several stretches: one each)."""
    named = Periods(periods)
    return [
        describe_median(analysis, scale),
        *describe_shifts(analysis, named),
        *describe_trends(analysis, named),
        describe_runs(analysis),
        describe_astronomical(astronomical, named),
    ]


# -- control charts ---------------------------------------------------------------------------------------


def chart_name(kind: str) -> str:
    return {
        "run": _("Run chart"),
        "p": _("p chart (proportions)"),
        "u": _("u chart (rates)"),
        "c": _("c chart (counts)"),
        "xmr": _("XmR chart (individual values and moving ranges)"),
    }.get(kind, kind)


def _limits_sentence(chart: ControlChart, scale: str) -> str:
    lows, highs = sorted(set(chart.lower)), sorted(set(chart.upper))
    if len(lows) == 1 and len(highs) == 1:
        return _(
            "Control limits (3 sigma): lower %(lower)s, upper %(upper)s.",
            lower=format_value(lows[0], scale),
            upper=format_value(highs[0], scale),
        )
    return _(
        "Control limits (3 sigma) vary with the size of each sample: the lower limit from %(low_min)s to "
        "%(low_max)s, the upper limit from %(high_min)s to %(high_max)s.",
        low_min=format_value(lows[0], scale),
        low_max=format_value(lows[-1], scale),
        high_min=format_value(highs[0], scale),
        high_max=format_value(highs[-1], scale),
    )


def _control_signal(chart: ControlChart, signal, periods: Periods, scale: str) -> str:  # noqa: ANN001
    span = periods.span(signal.start, signal.end)
    kind, direction = signal.kind, signal.direction
    if kind == "outside-limits":
        value = format_value(chart.values[signal.start], scale)
        if direction == "above":
            return _("Point %(start)s (%(first)s, %(value)s) is above the upper control limit.", value=value, **span)
        return _("Point %(start)s (%(first)s, %(value)s) is below the lower control limit.", value=value, **span)
    if kind == "shift":
        if direction == "above":
            return _(
                "%(min)s or more points in a row above the centre line: points %(start)s–%(end)s "
                "(%(first)s – %(last)s).",
                min=CONTROL_SHIFT_MIN,
                **span,
            )
        return _(
            "%(min)s or more points in a row below the centre line: points %(start)s–%(end)s (%(first)s – %(last)s).",
            min=CONTROL_SHIFT_MIN,
            **span,
        )
    if kind == "trend":
        if direction == "up":
            return _(
                "%(min)s or more points in a row going up: points %(start)s–%(end)s (%(first)s – %(last)s).",
                min=CONTROL_TREND_MIN,
                **span,
            )
        return _(
            "%(min)s or more points in a row going down: points %(start)s–%(end)s (%(first)s – %(last)s).",
            min=CONTROL_TREND_MIN,
            **span,
        )
    if kind == "two-of-three":
        if direction == "above":
            return _(
                "2 of 3 points in a row more than 2 sigma above the centre line: points %(start)s–%(end)s "
                "(%(first)s – %(last)s).",
                **span,
            )
        return _(
            "2 of 3 points in a row more than 2 sigma below the centre line: points %(start)s–%(end)s "
            "(%(first)s – %(last)s).",
            **span,
        )
    if kind == "within-one-sigma":
        return _(
            "%(min)s or more points in a row within 1 sigma of the centre line (unusually little variation): "
            "points %(start)s–%(end)s (%(first)s – %(last)s).",
            min=WITHIN_ONE_SIGMA_MIN,
            **span,
        )
    return _(
        "The moving range between points %(start)s and %(end)s (%(first)s – %(last)s) is above its upper limit "
        "of %(limit)s.",
        limit=format_value(chart.mr_upper or 0.0, scale),
        **span,
    )


def describe_control_chart(
    chart: ControlChart, periods: Sequence[date], scale: str, astronomical: Sequence[int] = ()
) -> list[str]:
    """Centre line, limits and every special-cause signal, one sentence each."""
    named = Periods(periods)
    sentences = [
        _("%(chart)s with %(num)s points.", chart=chart_name(chart.kind), num=format_decimal(chart.n)),
        _("Centre line: %(centre)s.", centre=format_value(chart.centre, scale)),
        _limits_sentence(chart, scale),
    ]
    if chart.kind == "xmr" and chart.mr_centre is not None and chart.mr_upper is not None:
        sentences.append(
            _(
                "Average moving range: %(mr)s; upper limit of the moving range: %(limit)s.",
                mr=format_value(chart.mr_centre, scale),
                limit=format_value(chart.mr_upper, scale),
            )
        )
    signals = [_control_signal(chart, signal, named, scale) for signal in chart.signals]
    sentences += signals or [_("No special-cause signal: the variation is consistent with common causes alone.")]
    sentences.append(describe_astronomical(astronomical, named))
    return sentences


def chart_description(kind: str, n: int, periods: Sequence[date], summary: Sequence[str]) -> str:
    """The text alternative of a chart (its <desc>): what it shows and what it says."""
    if not periods:
        return _("%(chart)s with no data yet.", chart=chart_name(kind))
    named = Periods(periods)
    head = _(
        "%(chart)s of %(num)s points from %(first)s to %(last)s.",
        chart=chart_name(kind),
        num=format_decimal(n),
        first=named.date(0),
        last=named.date(len(periods) - 1),
    )
    return " ".join([head, *summary])
