"""A measure's chart as the team configured it: the series, the analysis, the SVG and the sentences.

Pure: everything comes in as arguments (the measure worksheet, its points, its setting, the team's PDSA
cycles); pages, the index and the PDF export all build charts here. Proportions are charted as fractions
(shown as percentages); a proportion target written as a percentage (75 for 75%) is read as 0.75.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import Any, Protocol

from flask_babel import gettext as _

from qtp.measurement import describe
from qtp.measurement.control_chart import ControlChart, c_chart, p_chart, u_chart, xmr_chart
from qtp.measurement.describe_anhoej import RuleSetVerdict, describe_anhoej, verdicts
from qtp.measurement.rules import uses_fraction
from qtp.measurement.run_chart import analyze, anhoej
from qtp.measurement.svg import Annotation, ChartLabels, Point, control_chart_svg, run_chart_svg

CONTROL_FOR_SCALE = {"proportion": "p", "rate": "u", "count": "c", "continuous": "xmr"}
CHART_KINDS = ("run", "p", "u", "c", "xmr")


class PointLike(Protocol):
    period: date
    numerator: float | None
    denominator: float | None
    value: float | None
    is_astronomical: bool


class WorksheetLike(Protocol):
    id: int
    record_no: int
    data: dict[str, Any]


def _number(raw: object) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    return float(raw)


@dataclass(frozen=True)
class MeasureInfo:
    """The parts of a measure's definition (worksheet 9) the charts use."""

    worksheet_id: int
    record_no: int
    name: str
    kind: str  # outcome | process | balancing | ""
    scale: str  # proportion | rate | count | continuous | "" (not chosen yet)
    unit: str
    direction: str
    numerator: str
    denominator: str
    baseline: float | None
    target: float | None  # as entered in the worksheet

    @property
    def charted_target(self) -> float | None:
        return self._charted(self.target)

    @property
    def charted_baseline(self) -> float | None:
        """The baseline on the chart's scale (48 for 48% is read as 0.48), shown as the target is."""
        return self._charted(self.baseline)

    def _charted(self, value: float | None) -> float | None:
        if value is not None and self.scale == "proportion" and value > 1:
            return value / 100
        return value

    @property
    def uses_fraction(self) -> bool:
        return uses_fraction(self.scale)


def measure_info(worksheet: WorksheetLike) -> MeasureInfo:
    data = worksheet.data or {}

    def text(key: str) -> str:
        value = data.get(key)
        return value.strip() if isinstance(value, str) else ""

    scale = text("scale")
    return MeasureInfo(
        worksheet_id=worksheet.id,
        record_no=worksheet.record_no,
        name=text("name") or _("Measure %(number)s", number=worksheet.record_no),
        kind=text("type"),
        scale=scale if scale in CONTROL_FOR_SCALE else "",
        unit=text("unit"),
        direction=text("direction"),
        numerator=text("numerator"),
        denominator=text("denominator"),
        baseline=_number(data.get("baseline")),
        target=_number(data.get("target")),
    )


def chart_choices(scale: str) -> list[str]:
    """The run chart, the control chart of the scale, and XmR, which fits any series of values."""
    kinds = ["run", CONTROL_FOR_SCALE.get(scale, "xmr"), "xmr"]
    return list(dict.fromkeys(kinds))


def charted_value(scale: str, point: PointLike) -> float | None:
    if uses_fraction(scale) and point.numerator is not None and point.denominator:
        return point.numerator / point.denominator
    return point.value


@dataclass(frozen=True)
class Cycle:
    """A PDSA cycle that tests a change on this measure."""

    record_no: int
    number: str
    change_idea: str
    start: date | None
    label: str  # "PDSA 2 · C2"
    index: int | None = None  # the point it is drawn at; None when outside the charted periods


def _cycle_number(raw: object, record_no: int) -> str:
    number = _number(raw)
    return f"{number:g}" if number is not None else str(record_no)


def _iso_date(raw: object) -> date | None:
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def cycles_for(record_no: int, pdsa_records: Sequence[WorksheetLike]) -> list[Cycle]:
    """The cycles whose "measures" name this measure, by start date (undated ones last)."""
    found = []
    for record in pdsa_records:
        data = record.data or {}
        linked = data.get("measures") or []
        if not isinstance(linked, list) or str(record_no) not in {str(m) for m in linked}:
            continue
        number = _cycle_number(data.get("cycle-number"), record.record_no)
        idea = data.get("change-idea") if isinstance(data.get("change-idea"), str) else ""
        label = _("PDSA %(number)s", number=number)
        if idea.strip():
            label = f"{label} · {idea.strip()}"
        found.append(Cycle(record.record_no, number, idea.strip(), _iso_date(data.get("start-date")), label))
    return sorted(found, key=lambda c: (c.start is None, c.start or date.min, c.record_no))


def place_cycles(cycles: Sequence[Cycle], periods: Sequence[date]) -> list[Cycle]:
    """Each dated cycle at the period that contains its start date: the last period on or before it, as
    long as the start is not past the end of the last period (estimated from the typical gap)."""
    if not periods:
        return list(cycles)
    gaps = [(b - a).days for a, b in zip(periods, periods[1:], strict=False)]
    typical = median(gaps) if gaps else 0
    placed = []
    for cycle in cycles:
        index = None
        if (
            cycle.start is not None
            and periods[0] <= cycle.start
            and (cycle.start - periods[-1]).days <= max(typical - 1, 0)
        ):
            index = max(i for i, p in enumerate(periods) if p <= cycle.start)
        placed.append(Cycle(cycle.record_no, cycle.number, cycle.change_idea, cycle.start, cycle.label, index))
    return placed


@dataclass(frozen=True)
class Row:
    """A data point as the table shows it: its number on the chart and the value charted."""

    point: Any
    number: int | None
    charted: float | None


@dataclass(frozen=True)
class Chart:
    kind: str  # the chart drawn: run | p | u | c | xmr; "" when there are fewer than 2 points
    requested: str  # the chart the team chose
    notice: str | None  # why the chosen chart could not be drawn
    svg: str
    summary: list[str]
    has_signal: bool
    rows: list[Row]
    cycles: list[Cycle]
    series: list[tuple[date, float]]
    centre: float | None = None  # the median (run) or the mean (control chart)
    baseline: int | None = None  # points the median is frozen on (run chart)
    rules: str = "ihi"  # the run-chart rule set the summary and the markers follow: ihi | anhoej
    verdicts: list[RuleSetVerdict] = field(default_factory=list)  # both rule sets (run chart only)

    @property
    def n(self) -> int:
        return len(self.series)


def chart_labels() -> ChartLabels:
    return ChartLabels(
        data=_("Data"),
        median=_("Median"),
        baseline_median=_("Median (baseline)"),
        extended_median=_("Median (extended)"),
        target=_("Target"),
        shift=_("Shift"),
        trend=_("Trend"),
        shift_and_trend=_("Shift and trend"),
        long_run=_("Unusually long run"),
        annotation=_("Change tested (PDSA)"),
        centre=_("Centre line"),
        centre_short=_("Mean"),
        limits=_("Control limits"),
        signal=_("Special cause"),
        no_data=_("No data yet"),
    )


def _control_chart(kind: str, points: Sequence[PointLike], values: Sequence[float]) -> ControlChart:
    if kind == "p":
        return p_chart([p.numerator for p in points], [p.denominator for p in points])  # type: ignore[misc]
    if kind == "u":
        return u_chart([p.numerator for p in points], [p.denominator for p in points])  # type: ignore[misc]
    if kind == "c":
        return c_chart(values)
    return xmr_chart(values, clip_at_zero=not any(v < 0 for v in values))


def _refusal(kind: str) -> str:
    return {
        "p": _(
            "A p chart needs a numerator and a denominator for every point, with the numerator not greater than "
            "the denominator. The run chart is shown instead."
        ),
        "u": _(
            "A u chart needs a numerator and a denominator greater than 0 for every point. "
            "The run chart is shown instead."
        ),
        "c": _("A c chart needs counts that are not negative. The run chart is shown instead."),
    }.get(kind, _("This control chart cannot be drawn from these data. The run chart is shown instead."))


def build_chart(
    info: MeasureInfo,
    points: Sequence[PointLike],
    *,
    chart: str = "run",
    baseline: int | None = None,
    rules: str = "ihi",
    pdsa_records: Sequence[WorksheetLike] = (),
    with_svg: bool = True,
) -> Chart:
    """The chart of `points` (in period order) as configured; points without a value are left out. A run
    chart follows the IHI rules or, when `rules` is "anhoej", Anhøj's; both rule sets' verdicts are kept."""
    rules = rules if rules in ("ihi", "anhoej") else "ihi"
    ordered = sorted(points, key=lambda p: p.period)
    charted = [(p, charted_value(info.scale, p)) for p in ordered]
    plotted = [(p, v) for p, v in charted if v is not None]
    numbers = {id(p): k + 1 for k, (p, _v) in enumerate(plotted)}
    rows = [Row(p, numbers.get(id(p)), v) for p, v in charted]
    periods = [p.period for p, _v in plotted]
    values = [float(v) for _p, v in plotted]
    series = list(zip(periods, values, strict=True))
    cycles = place_cycles(cycles_for(info.record_no, pdsa_records), periods)
    requested = chart if chart in chart_choices(info.scale) else "run"
    notice = (
        None
        if requested == chart
        else _("The chosen chart does not fit this measure's scale; the run chart is shown instead.")
    )
    if len(plotted) < 2:
        return Chart("", requested, None, "", [], False, rows, cycles, series, rules=rules)
    astronomical = [k for k, (p, _v) in enumerate(plotted) if p.is_astronomical]
    control = None
    if requested != "run":
        try:
            control = _control_chart(requested, [p for p, _v in plotted], values)
        except ValueError:
            notice = _refusal(requested)
    target = describe.describe_target(info.charted_target, info.scale)
    both: list[RuleSetVerdict] = []
    long_runs = None
    if control is not None:
        summary = describe.describe_control_chart(control, periods, info.scale, astronomical)
        has_signal, centre, frozen, kind = bool(control.signals or astronomical), control.centre, None, requested
    else:
        frozen = min(baseline, len(values)) if baseline else None
        analysis = analyze(values, frozen)
        runs = anhoej(values, frozen)
        both = verdicts(analysis, runs, rules)
        if rules == "anhoej":
            summary = describe_anhoej(analysis, runs, periods, info.scale, astronomical)
            fired = runs.has_signal
            long_runs = [(signal.start, signal.end) for signal in runs.signals if signal.kind == "long-run"]
        else:
            summary = describe.describe_run_chart(analysis, periods, info.scale, astronomical)
            fired = analysis.has_signal
        has_signal, centre, kind = fired or bool(astronomical), analysis.median, "run"
    if target:
        summary.append(target)
    svg = ""
    if with_svg:
        monthly = describe.is_monthly(periods)
        labelled = [Point(describe.axis_label(p, monthly), v) for p, v in series]
        notes = [Annotation(c.index, c.label) for c in cycles if c.index is not None]
        options = {
            "title": _("%(name)s: %(chart)s", name=info.name, chart=describe.chart_name(kind)),
            "description": describe.chart_description(kind, len(values), periods, summary),
            "annotations": notes,
            "y_label": info.unit,
            "value_format": describe.value_formatter(info.scale),
            "labels": chart_labels(),
            "chart_id": f"measure-{info.record_no}",
        }
        if control is not None:
            svg = control_chart_svg(labelled, control, target=info.charted_target, **options)
        else:
            svg = run_chart_svg(labelled, analysis, target=info.charted_target, long_runs=long_runs, **options)
    return Chart(kind, requested, notice, svg, summary, has_signal, rows, cycles, series, centre, frozen, rules, both)
