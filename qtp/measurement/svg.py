"""Server-side SVG for run, control and Pareto charts, used by pages and PDFs alike.

Pure string building, no dependencies: a standalone SVG (xmlns) with role="img", <title> and <desc> referenced
by aria-labelledby, a fixed 720x360 viewBox at width 100%, no scripts, no event handlers, no external
references. All user text is stripped of characters XML forbids and escaped. Colours have at least 4.5:1
contrast on white, and signal points differ by shape as well as colour. The same input gives the same bytes.

Words on the chart (legend, line labels) come from `ChartLabels`; the views pass translated strings.
`value_format` is a format string ("{:g}", "{:.0%}") or a callable (e.g. a Babel number formatter).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from qtp.measurement.control_chart import ControlChart
from qtp.measurement.run_chart import RunChartAnalysis, validate_values

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, BOTTOM = 64, 24, 304
SERIES, SIGNAL, INK, TARGET, ANNOTATION, GRID = "#0b5d6b", "#a4262c", "#4f5d68", "#5b3f8c", "#7a4f00", "#dfe4e8"
CHAR_W = 6.4  # approximate advance of one character at font-size 11
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")

ValueFormat = str | Callable[[float], str]


@dataclass(frozen=True)
class Point:
    label: str  # the period, e.g. "2024-03"
    value: float


@dataclass(frozen=True)
class Annotation:
    index: int  # the point the annotation is drawn at
    label: str  # short, e.g. "PDSA 1"


@dataclass(frozen=True)
class ChartLabels:
    data: str = "Data"
    median: str = "Median"
    baseline_median: str = "Median (baseline)"
    extended_median: str = "Median (extended)"
    target: str = "Target"
    shift: str = "Shift"
    trend: str = "Trend"
    shift_and_trend: str = "Shift and trend"
    annotation: str = "Change tested"
    centre: str = "Centre line"
    limits: str = "Control limits"
    signal: str = "Special cause"
    bars: str = "Count"
    cumulative: str = "Cumulative %"
    reference: str = "80%"
    no_data: str = "No data yet"


def _clean(text: object) -> str:
    return _INVALID_XML.sub("", str(text))


def _t(text: object) -> str:
    return escape(_clean(text))


def _short(text: str, chars: int) -> str:
    text = " ".join(_clean(text).split())
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "\u2026"


def _n(x: float) -> str:
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _fmt(value_format: ValueFormat, v: float) -> str:
    return value_format(v) if callable(value_format) else value_format.format(v)


def _chart_id(explicit: str | None, *parts: object) -> str:
    if explicit:
        return "c-" + _ID_UNSAFE.sub("-", explicit)[:64]
    return "qtp-chart-" + hashlib.sha256(repr(parts).encode("utf-8", "replace")).hexdigest()[:12]


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi) and math.isfinite(hi - lo)):
        raise ValueError("the values are too large to chart")
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi)) or hi - lo < 1e-200:
        pad = abs(lo) * 0.1 if abs(lo) > 1e-100 else 1.0
        lo, hi = (lo - pad if lo - pad >= 0 or lo < 0 else 0.0), hi + pad
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    return [float(f"{k * step:.12g}") for k in range(first, last + 1)]


class _Plot:
    """Geometry of one chart: n points in equal bands across the plot, a linear y scale from the ticks."""

    def __init__(self, n: int, ticks: list[float], top: float, right: float = RIGHT) -> None:
        self.n, self.ticks, self.top = max(n, 1), ticks, top
        self.x0, self.x1 = LEFT, WIDTH - right
        self.band = (self.x1 - self.x0) / self.n

    def x(self, i: float) -> float:
        return self.x0 + (i + 0.5) * self.band

    def y(self, v: float) -> float:
        lo, hi = self.ticks[0], self.ticks[-1]
        return BOTTOM - (v - lo) / (hi - lo) * (BOTTOM - self.top)


def _open(chart_id: str, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="sans-serif" font-size="11" fill="{INK}" class="qtp-chart">',
        f'<title id="{chart_id}-title">{_t(title)}</title>',
        f'<desc id="{chart_id}-desc">{_t(description)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]


def _legend(items: list[tuple[str, str]]) -> tuple[list[str], float]:
    """Legend items (swatch markup drawn at the origin, text) in rows; returns markup and the plot top."""
    out, x, row = ['<g class="legend">'], float(LEFT), 0
    for swatch, text in items:
        text = _short(text, 40)
        width = 30 + len(text) * CHAR_W + 16
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, row = float(LEFT), row + 1
        y = 16 + row * 18
        out.append(f'<g transform="translate({_n(x)},{y})">{swatch}<text x="28" y="4">{escape(text)}</text></g>')
        x += width
    out.append("</g>")
    return out, 16 + row * 18 + 24


def _marker(shape: str, x: float, y: float, colour: str, tip: str = "") -> str:
    tip = f"<title>{_t(tip)}</title>" if tip else ""
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{colour}">{tip}</circle>'
    if shape == "square":
        return f'<rect x="{_n(x - 4.5)}" y="{_n(y - 4.5)}" width="9" height="9" fill="{colour}">{tip}</rect>'
    offsets = {"triangle": ((0, -6), (5.5, 4), (-5.5, 4)), "diamond": ((0, -6), (6, 0), (0, 6), (-6, 0))}[shape]
    pts = " ".join(f"{_n(x + dx)},{_n(y + dy)}" for dx, dy in offsets)
    return f'<polygon points="{pts}" fill="{colour}">{tip}</polygon>'


def _hline(x0: float, x1: float, y: float, colour: str, dash: str = "", width: float = 1.5, cls: str = "") -> str:
    dash = f' stroke-dasharray="{dash}"' if dash else ""
    cls = f'class="{cls}" ' if cls else ""
    return (
        f'<line {cls}x1="{_n(x0)}" y1="{_n(y)}" x2="{_n(x1)}" y2="{_n(y)}" '
        f'stroke="{colour}" stroke-width="{width}"{dash}/>'
    )


def _line_swatch(colour: str, dash: str = "", width: float = 1.5) -> str:
    return _hline(0, 22, 0, colour, dash, width)


def _line_label(x: float, y: float, text: str, colour: str, anchor: str = "end") -> str:
    """Text on a white box (not a stroke halo: WeasyPrint ignores paint-order); baseline 4 above y."""
    text = _short(text, 48)
    width = len(text) * CHAR_W + 4
    left = x - width + 2 if anchor == "end" else x - 2
    return (
        f'<rect x="{_n(left)}" y="{_n(y - 15)}" width="{_n(width)}" height="14" fill="#ffffff" fill-opacity="0.85"/>'
        f'<text x="{_n(x)}" y="{_n(y - 4)}" text-anchor="{anchor}" fill="{colour}">{escape(text)}</text>'
    )


def _axes(plot: _Plot, labels: Sequence[str], value_format: ValueFormat, y_label: str) -> list[str]:
    out = ['<g class="axes">']
    for v in plot.ticks:
        y = plot.y(v)
        out.append(_hline(plot.x0, plot.x1, y, GRID, width=1))
        out.append(f'<text x="{LEFT - 6}" y="{_n(y + 4)}" text-anchor="end">{_t(_fmt(value_format, v))}</text>')
    out.append(f'<path d="M{plot.x0} {plot.top - 4} V{BOTTOM} H{plot.x1}" fill="none" stroke="{INK}"/>')
    longest = min(max((len(_clean(t)) for t in labels), default=1), 12)
    step = max(math.ceil((longest * CHAR_W + 10) / plot.band), 1)  # label every step-th point
    chars = max(min(int((step * plot.band - 6) / CHAR_W), 20), 1)
    for i in range(0, len(labels), step):
        x = plot.x(i)
        out.append(f'<line x1="{_n(x)}" y1="{BOTTOM}" x2="{_n(x)}" y2="{BOTTOM + 4}" stroke="{INK}"/>')
        out.append(f'<text x="{_n(x)}" y="{BOTTOM + 18}" text-anchor="middle">{_t(_short(labels[i], chars))}</text>')
    if y_label:
        mid = _n((plot.top + BOTTOM) / 2)
        out.append(f'<text transform="translate(14,{mid}) rotate(-90)" text-anchor="middle">{_t(y_label)}</text>')
    out.append("</g>")
    return out


def _no_data(out: list[str], labels: ChartLabels) -> str:
    mid = _n(HEIGHT / 2)
    out.append(f'<text x="{WIDTH // 2}" y="{mid}" text-anchor="middle" font-size="14">{_t(labels.no_data)}</text>')
    return "\n".join([*out, "</svg>"]) + "\n"


def _annotations(plot: _Plot, annotations: Sequence[Annotation | tuple[int, str]]) -> list[str]:
    out = ['<g class="annotations">']
    items = [Annotation(*a) if isinstance(a, tuple) else a for a in annotations]
    for k, item in enumerate(sorted(items, key=lambda a: (a.index, _clean(a.label)))):
        if not 0 <= item.index < plot.n:
            raise ValueError(f"annotation {item.label!r} is at point {item.index}, outside the series")
        x, y = plot.x(item.index), plot.top + 10 + (k % 3) * 13
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(plot.top)}" x2="{_n(x)}" y2="{BOTTOM}" stroke="{ANNOTATION}" '
            f'stroke-dasharray="3 3"/>'
        )
        out.append(_line_label(x + 3, y + 4, _short(item.label, 16), ANNOTATION, anchor="start"))
    out.append("</g>")
    return out


def _series(plot: _Plot, points: Sequence[Point], shapes: dict[int, str], fmt: ValueFormat) -> list[str]:
    coords = " ".join(f"{_n(plot.x(i))},{_n(plot.y(p.value))}" for i, p in enumerate(points))
    out = [f'<g class="series"><polyline points="{coords}" fill="none" stroke="{SERIES}" stroke-width="2"/>']
    for i, p in enumerate(points):
        shape = shapes.get(i, "circle")
        colour = SERIES if shape == "circle" else SIGNAL
        tip = f"{_clean(p.label)}: {_fmt(fmt, p.value)}"
        out.append(_marker(shape, plot.x(i), plot.y(p.value), colour, tip))
    out.append("</g>")
    return out


def _check_points(points: Sequence[Point], n: int) -> list[float]:
    if len(points) != n:
        raise ValueError(f"{len(points)} points were given for an analysis of {n}")
    return validate_values([p.value for p in points], "points")


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
) -> str:
    """A run chart: the series, the median (frozen on the baseline and extended), target, PDSA annotations,
    and the points of shifts (squares), trends (triangles) or both (diamonds) in the signal colour."""
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
    for shape, text in (("square", labels.shift), ("triangle", labels.trend), ("diamond", labels.shift_and_trend)):
        if shape in shapes.values():
            legend.append((_marker(shape, 11, 0, SIGNAL), text))
    if annotations:
        legend.append(
            (f'<line x1="11" y1="-7" x2="11" y2="7" stroke="{ANNOTATION}" stroke-dasharray="3 3"/>', labels.annotation)
        )
    legend_markup, top = _legend(legend)
    extra = [analysis.median] if target is None else [analysis.median, target]
    plot = _Plot(analysis.n, _nice_ticks(min(values + extra), max(values + extra)), top)
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
    out.append(_line_label(plot.x1 - 2, ym, median_text, INK))
    if target is not None:
        yt = plot.y(target)
        out.append(_hline(plot.x0, plot.x1, yt, TARGET, "10 3 2 3", 2, cls="target"))
        out.append(
            _line_label(
                plot.x1 - 2,
                yt + 16 if abs(yt - ym) < 14 else yt,
                f"{labels.target} {_fmt(value_format, target)}",
                TARGET,
            )
        )
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
    annotations: Sequence[Annotation | tuple[int, str]] = (),
    y_label: str = "",
    value_format: ValueFormat = "{:g}",
    labels: ChartLabels | None = None,
    chart_id: str | None = None,
) -> str:
    """A control chart of chart.values (the points give the period labels), the centre line, the per-point
    limits as step lines, and the points involved in any signal as diamonds in the signal colour."""
    labels = labels or ChartLabels()
    _check_points(points, chart.n)
    shown = [Point(p.label, v) for p, v in zip(points, chart.values, strict=True)]
    cid = _chart_id(chart_id, "control", title, description, shown, chart.kind, chart.centre, chart.upper, chart.lower)
    out = _open(cid, title, description)
    flagged = chart.signal_indices
    legend = [
        (_line_swatch(SERIES, width=2) + _marker("circle", 11, 0, SERIES), labels.data),
        (_line_swatch(INK, width=1.5), labels.centre),
        (_line_swatch(INK, "6 3"), labels.limits),
    ]
    if flagged:
        legend.append((_marker("diamond", 11, 0, SIGNAL), labels.signal))
    if annotations:
        legend.append(
            (f'<line x1="11" y1="-7" x2="11" y2="7" stroke="{ANNOTATION}" stroke-dasharray="3 3"/>', labels.annotation)
        )
    legend_markup, top = _legend(legend)
    span = [*chart.values, *chart.upper, *chart.lower, chart.centre]
    plot = _Plot(chart.n, _nice_ticks(min(span), max(span)), top)
    out += legend_markup + _axes(plot, [p.label for p in points], value_format, y_label)
    out.append(_hline(plot.x0, plot.x1, plot.y(chart.centre), INK, cls="centre"))
    out.append(_line_label(plot.x1 - 2, plot.y(chart.centre), _fmt(value_format, chart.centre), INK))
    for cls, limits in (("upper-limit", chart.upper), ("lower-limit", chart.lower)):
        out.append(
            f'<path class="{cls}" d="{_step_path(plot, limits)}" fill="none" stroke="{INK}" stroke-dasharray="6 3"/>'
        )
    out += _annotations(plot, annotations) + _series(plot, shown, dict.fromkeys(flagged, "diamond"), value_format)
    return "\n".join([*out, "</svg>"]) + "\n"


def pareto_svg(
    categories: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str,
    value_format: ValueFormat = "{:g}",
    labels: ChartLabels | None = None,
    chart_id: str | None = None,
) -> str:
    """A Pareto chart: bars sorted from largest to smallest (ties keep their order), the cumulative
    percentage as a line on a right axis (0-100%), and a dashed reference line at 80%."""
    labels = labels or ChartLabels()
    counts = validate_values([c[1] for c in categories], "categories")
    if any(v < 0 for v in counts):
        raise ValueError("Pareto counts cannot be negative")
    items = sorted(zip((_clean(c[0]) for c in categories), counts, strict=True), key=lambda c: -c[1])
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
