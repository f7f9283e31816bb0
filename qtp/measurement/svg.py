"""Server-side SVG for run, control and Pareto charts, used by pages and PDFs alike.

Pure string building, no dependencies: a standalone SVG (xmlns) with role="img", <title> and <desc> referenced
by aria-labelledby, a fixed 720x360 viewBox at width 100%, no scripts, no event handlers, no external
references. All user text is stripped of characters XML forbids and escaped. Colours have at least 4.5:1
contrast on white, and signal points differ by shape as well as colour. The same input gives the same bytes.

Words on the chart (legend, line labels) come from `ChartLabels`; the views pass translated strings.
`value_format` is a format string ("{:g}", "{:.0%}") or a callable (e.g. a Babel number formatter).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from qtp.measurement.control_chart import ControlChart
from qtp.measurement.run_chart import RunChartAnalysis, validate_values
from qtp.measurement.svg_base import (
    ANNOTATION,
    ANNOTATION_ROW,
    BOTTOM,
    GUTTER,
    INK,
    SERIES,
    SIGNAL,
    TARGET,
    Annotation,
    ChartLabels,
    Point,
    ValueFormat,
    _annotations,
    _axes,
    _chart_id,
    _check_points,
    _clean,
    _fmt,
    _hline,
    _legend,
    _line_swatch,
    _marker,
    _n,
    _nice_ticks,
    _no_data,
    _open,
    _Plot,
    _series,
    _t,
    annotation_rows,
    gutter_labels,
)

__all__ = [
    "Annotation",
    "ChartLabels",
    "Point",
    "control_chart_svg",
    "is_other_category",
    "pareto_svg",
    "run_chart_svg",
]

# A Pareto chart's catch-all bar stays last whatever its count (en, es, pt: "Other", "Otros", "Outros"...).
_OTHER = frozenset("other others otro otros otra otras outro outros outra outras misc".split())
_OTHER_TAIL = frozenset("reasons causes categories misc miscellaneous motivos causas razones razoes categorias".split())


def run_chart_svg(
    points: Sequence[Point],
    analysis: RunChartAnalysis,
    *,
    title: str,
    description: str,
    target: float | None = None,
    annotations: Sequence[Annotation | tuple[int, str]] = (),
    y_label: str = "",
    value_format: ValueFormat = "{:g}",
    labels: ChartLabels | None = None,
    chart_id: str | None = None,
    long_runs: Sequence[tuple[int, int]] | None = None,
) -> str:
    """A run chart: the series, the median (frozen on the baseline and extended), target, PDSA annotations,
    and the points of shifts (squares), trends (triangles) or both (diamonds) in the signal colour. With
    `long_runs` (the Anhøj rules: inclusive index ranges of unusually long runs) those points are marked
    instead, as squares."""
    labels = labels or ChartLabels()
    values = _check_points(points, analysis.n)
    points = [Point(p.label, v) for p, v in zip(points, values, strict=True)]  # e.g. Decimal -> float
    if target is not None:
        target = validate_values([target], "target")[0]
    cid = _chart_id(chart_id, "run", title, description, points, analysis.median, analysis.baseline, target)
    out = _open(cid, title, description)
    if analysis.median is None:
        return _no_data(out, labels)
    shapes: dict[int, str] = {}
    marks = [("square", labels.shift), ("triangle", labels.trend), ("diamond", labels.shift_and_trend)]
    if long_runs is not None:
        marks = [("square", labels.long_run)]
        for a, b in long_runs:
            shapes.update({i: "square" for i in range(a, b + 1) if analysis.sides[i] != 0})
    else:
        for a, b in analysis.shifts:
            shapes.update({i: "square" for i in range(a, b + 1) if analysis.sides[i] != 0})
        for a, b in analysis.trends:
            shapes.update({i: "diamond" if shapes.get(i) == "square" else "triangle" for i in range(a, b + 1)})
    median_dash, extended_dash = "8 4", "2 4"
    legend = [(_line_swatch(SERIES, width=2) + _marker("circle", 11, 0, SERIES), labels.data)]
    if analysis.baseline is None:
        legend.append((_line_swatch(INK, median_dash), labels.median))
    else:
        legend.append((_line_swatch(INK, median_dash), labels.baseline_median))
        if analysis.baseline < analysis.n:
            legend.append((_line_swatch(INK, extended_dash), labels.extended_median))
    if target is not None:
        legend.append((_line_swatch(TARGET, "10 3 2 3", 2), labels.target))
    for shape, text in marks:
        if shape in shapes.values():
            legend.append((_marker(shape, 11, 0, SIGNAL), text))
    if annotations:
        legend.append(
            (f'<line x1="11" y1="-7" x2="11" y2="7" stroke="{ANNOTATION}" stroke-dasharray="3 3"/>', labels.annotation)
        )
    legend_markup, top = _legend(legend)
    extra = [analysis.median] if target is None else [analysis.median, target]
    top += annotation_rows(annotations) * ANNOTATION_ROW
    plot = _Plot(analysis.n, _nice_ticks(min(values + extra), max(values + extra)), top, right=GUTTER)
    out += legend_markup + _axes(plot, [p.label for p in points], value_format, y_label)
    ym = plot.y(analysis.median)
    median_text = f"{labels.median} {_fmt(value_format, analysis.median)}"
    if analysis.baseline is None:
        out.append(_hline(plot.x0, plot.x1, ym, INK, median_dash, cls="median"))
    else:
        split = plot.x0 + analysis.baseline * plot.band
        out.append(_hline(plot.x0, split, ym, INK, median_dash, cls="median median-baseline"))
        if analysis.baseline < analysis.n:
            out.append(_hline(split, plot.x1, ym, INK, extended_dash, cls="median median-extended"))
    line_labels = [(ym, median_text, INK)]
    if target is not None:
        yt = plot.y(target)
        out.append(_hline(plot.x0, plot.x1, yt, TARGET, "10 3 2 3", 2, cls="target"))
        line_labels.append((yt, f"{labels.target} {_fmt(value_format, target)}", TARGET))
    out += gutter_labels(plot, line_labels)
    out += _annotations(plot, annotations) + _series(plot, points, shapes, value_format)
    return "\n".join([*out, "</svg>"]) + "\n"


def _step_path(plot: _Plot, limits: Sequence[float]) -> str:
    d = [f"M{_n(plot.x0)} {_n(plot.y(limits[0]))}"]
    for i, v in enumerate(limits):
        d.append(f"V{_n(plot.y(v))} H{_n(plot.x0 + (i + 1) * plot.band)}")
    return " ".join(d)


def control_chart_svg(
    points: Sequence[Point],
    chart: ControlChart,
    *,
    title: str,
    description: str,
    target: float | None = None,
    annotations: Sequence[Annotation | tuple[int, str]] = (),
    y_label: str = "",
    value_format: ValueFormat = "{:g}",
    labels: ChartLabels | None = None,
    chart_id: str | None = None,
) -> str:
    """A control chart of chart.values (the points give the period labels), the centre line, the per-point
    limits as step lines, the team's target, and the points involved in any signal as diamonds in the
    signal colour."""
    labels = labels or ChartLabels()
    _check_points(points, chart.n)
    shown = [Point(p.label, v) for p, v in zip(points, chart.values, strict=True)]
    if target is not None:
        target = validate_values([target], "target")[0]
    cid = _chart_id(
        chart_id, "control", title, description, shown, chart.kind, chart.centre, chart.upper, chart.lower, target
    )
    out = _open(cid, title, description)
    flagged = chart.signal_indices
    legend = [
        (_line_swatch(SERIES, width=2) + _marker("circle", 11, 0, SERIES), labels.data),
        (_line_swatch(INK, width=1.5), labels.centre),
        (_line_swatch(INK, "6 3"), labels.limits),
    ]
    if target is not None:
        legend.append((_line_swatch(TARGET, "10 3 2 3", 2), labels.target))
    if flagged:
        legend.append((_marker("diamond", 11, 0, SIGNAL), labels.signal))
    if annotations:
        legend.append(
            (f'<line x1="11" y1="-7" x2="11" y2="7" stroke="{ANNOTATION}" stroke-dasharray="3 3"/>', labels.annotation)
        )
    legend_markup, top = _legend(legend)
    span = [*chart.values, *chart.upper, *chart.lower, chart.centre, *([] if target is None else [target])]
    top += annotation_rows(annotations) * ANNOTATION_ROW
    plot = _Plot(chart.n, _nice_ticks(min(span), max(span)), top, right=GUTTER)
    out += legend_markup + _axes(plot, [p.label for p in points], value_format, y_label)
    out.append(_hline(plot.x0, plot.x1, plot.y(chart.centre), INK, cls="centre"))
    line_labels = [(plot.y(chart.centre), f"{labels.centre_short} {_fmt(value_format, chart.centre)}", INK)]
    if target is not None:
        out.append(_hline(plot.x0, plot.x1, plot.y(target), TARGET, "10 3 2 3", 2, cls="target"))
        line_labels.append((plot.y(target), f"{labels.target} {_fmt(value_format, target)}", TARGET))
    out += gutter_labels(plot, line_labels)
    for cls, limits in (("upper-limit", chart.upper), ("lower-limit", chart.lower)):
        out.append(
            f'<path class="{cls}" d="{_step_path(plot, limits)}" fill="none" stroke="{INK}" stroke-dasharray="6 3"/>'
        )
    out += _annotations(plot, annotations) + _series(plot, shown, dict.fromkeys(flagged, "diamond"), value_format)
    return "\n".join([*out, "</svg>"]) + "\n"


def is_other_category(name: str) -> bool:
    """Whether a name is the catch-all category of a Pareto chart: Other, Otros, Outros motivos, Other (specify)."""
    folded = unicodedata.normalize("NFKD", _clean(name)).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"\(.*?\)", " ", folded).replace("&", " ").split()
    words = [w.strip(".,;:!?-_/*") for w in words]
    words = [w for w in words if w]
    return bool(words) and words[0] in _OTHER and (len(words) == 1 or (len(words) == 2 and words[1] in _OTHER_TAIL))


def pareto_svg(
    categories: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str,
    value_format: ValueFormat = "{:g}",
    labels: ChartLabels | None = None,
    chart_id: str | None = None,
) -> str:
    """A Pareto chart: bars sorted from largest to smallest (ties keep their order) with a catch-all "Other"
    category last whatever its count, the cumulative percentage as a line on a right axis (0-100%), and a
    dashed reference line at 80%."""
    labels = labels or ChartLabels()
    counts = validate_values([c[1] for c in categories], "categories")
    if any(v < 0 for v in counts):
        raise ValueError("Pareto counts cannot be negative")
    named = zip((_clean(c[0]) for c in categories), counts, strict=True)
    items = sorted(named, key=lambda c: (is_other_category(c[0]), -c[1]))
    cid = _chart_id(chart_id, "pareto", title, description, items)
    out = _open(cid, title, description)
    total = sum(counts)
    if not items or total <= 0:
        return _no_data(out, labels)
    legend = [
        (f'<rect x="2" y="-6" width="18" height="12" fill="{SERIES}"/>', labels.bars),
        (_line_swatch(SIGNAL, width=2) + _marker("circle", 11, 0, SIGNAL), labels.cumulative),
        (_line_swatch(INK, "6 3"), labels.reference),
    ]
    legend_markup, top = _legend(legend)
    plot = _Plot(len(items), _nice_ticks(0.0, max(counts)), top, right=56)
    out += legend_markup + _axes(plot, [c[0] for c in items], value_format, "")
    pct = _Plot(len(items), [0.0, 100.0], top, right=56)
    for v in range(0, 101, 20):
        out.append(f'<text x="{_n(plot.x1 + 6)}" y="{_n(pct.y(v) + 4)}">{v}%</text>')
    out.append(f'<line x1="{_n(plot.x1)}" y1="{_n(top - 4)}" x2="{_n(plot.x1)}" y2="{BOTTOM}" stroke="{INK}"/>')
    out.append('<g class="bars">')
    cumulative, coords, dots = 0.0, [], []
    for i, (name, v) in enumerate(items):
        x, y = plot.x(i), plot.y(v)
        tip = f"<title>{_t(name)}: {_t(_fmt(value_format, v))}</title>"
        out.append(
            f'<rect x="{_n(x - plot.band * 0.35)}" y="{_n(y)}" width="{_n(plot.band * 0.7)}" '
            f'height="{_n(BOTTOM - y)}" fill="{SERIES}">{tip}</rect>'
        )
        cumulative += v
        share = 100.0 * cumulative / total
        coords.append(f"{_n(x)},{_n(pct.y(share))}")
        dots.append(_marker("circle", x, pct.y(share), SIGNAL, f"{name}: {share:.0f}%"))
    out.append("</g>")
    out.append(_hline(plot.x0, plot.x1, pct.y(80), INK, "6 3", cls="reference"))
    out.append(
        f'<g class="cumulative"><polyline points="{" ".join(coords)}" fill="none" stroke="{SIGNAL}" stroke-width="2"/>'
    )
    out += [*dots, "</g>"]
    return "\n".join([*out, "</svg>"]) + "\n"
