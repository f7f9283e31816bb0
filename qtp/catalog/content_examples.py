"""Worked-example data of a module: `examples/<slug>.yaml`, the series a slide draws with `[chart: <slug>]`.

One file per example, language-neutral numbers and per-language words:

    chart: run               # run | p | u | c | xmr (the chart drawn; it must fit the scale)
    scale: proportion        # proportion | rate | count | continuous
    baseline: 10             # optional: the run chart's median is frozen on the first 10 points
    target: 75               # optional, in the unit of the values (a percentage for a proportion)
    title: {en: ..., es: ..., pt_BR: ...}
    unit: {en: "% of calls", es: ..., pt_BR: ...}
    points:                  # in time order, one period each
      - {period: 2026-01-05, value: 46}                  # a proportion's value is a percentage
      - {period: 2026-01-12, numerator: 27, denominator: 58}
      - {period: 2026-01-19, value: 15, astronomical: true}
    cycles:                  # optional: PDSA cycles drawn at the period that holds their start
      - {number: 1, start: 2026-03-16}

Nothing here draws: the decks do (qtp/licensing/bundles/deck_visuals.py), with the measurement package's charts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from qtp.catalog.content_base import ID_PATTERN, Reporter, read_yaml, texts_by_locale
from qtp.catalog.files import LineDict
from qtp.measurement.control_chart import c_chart, p_chart, u_chart
from qtp.measurement.rules import uses_fraction

SCALES = ("proportion", "rate", "count", "continuous")
CHARTS_FOR_SCALE = {
    "proportion": ("run", "p", "xmr"),
    "rate": ("run", "u", "xmr"),
    "count": ("run", "c", "xmr"),
    "continuous": ("run", "xmr"),
}
MIN_POINTS, MAX_POINTS = 6, 120
POINT_KEYS = {"period", "value", "numerator", "denominator", "astronomical"}


@dataclass(frozen=True)
class ExamplePoint:
    """A period of the example, shaped like a measure's data point (qtp.measurement.charting.PointLike)."""

    period: date
    numerator: float | None
    denominator: float | None
    value: float | None
    is_astronomical: bool = False


@dataclass(frozen=True)
class ExampleCycle:
    number: int
    start: date


@dataclass(frozen=True)
class Example:
    slug: str
    chart: str
    scale: str
    baseline: int | None
    target: float | None
    titles: dict[str, str]
    units: dict[str, str]
    points: tuple[ExamplePoint, ...]
    cycles: tuple[ExampleCycle, ...] = ()

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles.get("en", self.slug)

    def unit(self, locale: str) -> str:
        return self.units.get(locale) or self.units.get("en", "")


def _number(raw: object) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        return None
    return float(raw)


def _date(raw: object) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def load_examples(folder: Path, locales: tuple[str, ...], report: Reporter) -> dict[str, Example]:
    """{slug: example} of a module folder's `examples/*.yaml`; each problem reported at its line."""
    examples = {}
    for path in sorted((folder / "examples").glob("*")):
        if path.suffix != ".yaml" or not ID_PATTERN.match(path.stem):
            report.error(path, 1, "an example file is named <slug>.yaml (lowercase letters, digits, hyphens)")
            continue
        example = _load(path, locales, report)
        if example is not None:
            examples[example.slug] = example
    return examples


def _load(path: Path, locales: tuple[str, ...], report: Reporter) -> Example | None:
    data = read_yaml(path, report)
    if not isinstance(data, LineDict):
        if data is not None:
            report.error(path, 1, "an example must be a mapping (chart, scale, title, unit, points)")
        return None
    errors = len(report.content.errors)
    scale = data.get("scale")
    if scale not in SCALES:
        report.error(path, data.line_of("scale"), f"scale must be one of {', '.join(SCALES)}")
        scale = "continuous"
    chart = data.get("chart", "run")
    if chart not in CHARTS_FOR_SCALE[scale]:
        report.error(path, data.line_of("chart"), f"chart must be one of {', '.join(CHARTS_FOR_SCALE[scale])}")
    titles = texts_by_locale(data.get("title"), locales, path, data.line_of("title"), "title", report)
    units = texts_by_locale(data.get("unit"), locales, path, data.line_of("unit"), "unit", report)
    points = _points(data, scale, chart, path, report)
    baseline = data.get("baseline")
    if baseline is not None and (
        isinstance(baseline, bool) or not isinstance(baseline, int) or not 2 <= baseline <= len(points)
    ):
        report.error(path, data.line_of("baseline"), f"baseline must be a whole number from 2 to {len(points)}")
    if baseline is not None and chart != "run":
        report.error(path, data.line_of("baseline"), "a frozen baseline is for run charts only")
    target = None
    if "target" in data:
        target = _number(data["target"])
        if target is None or (scale == "proportion" and not 0 <= target <= 100):
            report.error(path, data.line_of("target"), "target must be a number (a percentage for a proportion)")
    cycles = _cycles(data, points, path, report)
    if len(report.content.errors) != errors:
        return None
    return Example(
        slug=path.stem,
        chart=chart,
        scale=scale,
        baseline=baseline,
        target=target,
        titles=titles,
        units=units,
        points=tuple(points),
        cycles=tuple(cycles),
    )


def _points(data: LineDict, scale: str, chart: str, path: Path, report: Reporter) -> list[ExamplePoint]:
    items = data.get("points")
    if not isinstance(items, list) or not MIN_POINTS <= len(items) <= MAX_POINTS:
        report.error(path, data.line_of("points"), f"points must be a list of {MIN_POINTS} to {MAX_POINTS} periods")
        return []
    points: list[ExamplePoint] = []
    for item in items:
        line = getattr(item, "line", data.line_of("points"))
        if not isinstance(item, LineDict) or not set(item) <= POINT_KEYS:
            report.error(path, line, f"a point is a mapping of {', '.join(sorted(POINT_KEYS))}")
            continue
        period = _date(item.get("period"))
        if period is None:
            report.error(path, line, "a point needs a period, a date such as 2026-01-05")
            continue
        if points and period <= points[-1].period:
            report.error(path, line, f"point {period.isoformat()}: the periods must be in time order, one each")
        point = _point(item, period, scale, chart, path, report)
        if point is not None:
            points.append(point)
    if chart in ("p", "u", "c") and len(points) == len(items):
        _drawable(data, chart, points, path, report)
    return points


def _point(item: LineDict, period: date, scale: str, chart: str, path: Path, report: Reporter) -> ExamplePoint | None:
    where = f"point {period.isoformat()}"
    astronomical = item.get("astronomical", False)
    if not isinstance(astronomical, bool):
        report.error(path, item.line_of("astronomical"), f"{where}: astronomical is true or false")
    if "numerator" in item or "denominator" in item:
        if not uses_fraction(scale):
            report.error(path, item.line, f"{where}: a {scale} is given as a value, without numerator or denominator")
            return None
        numerator, denominator = _number(item.get("numerator")), _number(item.get("denominator"))
        if numerator is None or denominator is None or numerator < 0 or denominator <= 0 or "value" in item:
            report.error(
                path, item.line, f"{where}: give a value, or a numerator of 0 or more and a denominator above 0"
            )
            return None
        if scale == "proportion" and numerator > denominator:
            report.error(path, item.line, f"{where}: the numerator of a proportion cannot exceed its denominator")
            return None
        return ExamplePoint(period, numerator, denominator, numerator / denominator, astronomical is True)
    value = _number(item.get("value"))
    if value is None:
        report.error(path, item.line_of("value"), f"{where}: needs a value (or a numerator and a denominator)")
        return None
    if chart in ("p", "u"):
        report.error(path, item.line, f"{where}: a {chart} chart needs a numerator and a denominator")
        return None
    if scale == "proportion":
        if not 0 <= value <= 100:
            report.error(path, item.line_of("value"), f"{where}: a proportion's value is a percentage, 0 to 100")
            return None
        return ExamplePoint(period, value, 100.0, value / 100, astronomical is True)  # charted as a fraction
    return ExamplePoint(period, None, None, value, astronomical is True)


def _drawable(data: LineDict, chart: str, points: list[ExamplePoint], path: Path, report: Reporter) -> None:
    try:
        if chart == "p":
            p_chart([p.numerator or 0.0 for p in points], [p.denominator or 0.0 for p in points])
        elif chart == "u":
            u_chart([p.numerator or 0.0 for p in points], [p.denominator or 0.0 for p in points])
        else:
            c_chart([p.value or 0.0 for p in points])
    except ValueError as error:
        report.error(path, data.line_of("points"), f"the {chart} chart cannot be drawn from these points: {error}")


def _cycles(data: LineDict, points: list[ExamplePoint], path: Path, report: Reporter) -> list[ExampleCycle]:
    items = data.get("cycles", [])
    if not isinstance(items, list):
        report.error(path, data.line_of("cycles"), "cycles must be a list of {number, start}")
        return []
    cycles = []
    for item in items:
        line = getattr(item, "line", data.line_of("cycles"))
        number = item.get("number") if isinstance(item, dict) else None
        start = _date(item.get("start")) if isinstance(item, dict) else None
        if isinstance(number, bool) or not isinstance(number, int) or number < 1 or start is None:
            report.error(path, line, "a cycle needs a number (1, 2...) and a start date")
            continue
        if points and not points[0].period <= start <= points[-1].period:
            report.error(path, line, f"cycle {number} starts outside the charted periods")
            continue
        cycles.append(ExampleCycle(number, start))
    return cycles
