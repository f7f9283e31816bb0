"""Drawing primitives shared by the SVG charts: sizes, colours, escaping, scales, axes, legend, markers."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from qtp.measurement.run_chart import validate_values

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, BOTTOM = 64, 24, 304
GUTTER = 104  # right margin of run and control charts: the line labels live there, never over the points
ANNOTATION_ROW = 14  # height of one row of PDSA labels, drawn above the plot
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
    long_run: str = "Unusually long run"
    annotation: str = "Change tested"
    centre: str = "Centre line"
    centre_short: str = "Mean"
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


def annotation_rows(annotations: Sequence[Annotation | tuple[int, str]]) -> int:
    """How many rows of labels the annotations take above the plot (at most 3, staggered)."""
    return min(len(annotations), 3)


def _annotations(plot: _Plot, annotations: Sequence[Annotation | tuple[int, str]]) -> list[str]:
    """PDSA labels in a band above the plot (reserved by the caller: plot.top is below it), each with a
    dashed line down through the plot; the labels never cover a point."""
    out = ['<g class="annotations">']
    items = [Annotation(*a) if isinstance(a, tuple) else a for a in annotations]
    rows = annotation_rows(items)
    for k, item in enumerate(sorted(items, key=lambda a: (a.index, _clean(a.label)))):
        if not 0 <= item.index < plot.n:
            raise ValueError(f"annotation {item.label!r} is at point {item.index}, outside the series")
        x = plot.x(item.index)
        y = plot.top - 8 - (rows - 1 - k % rows) * ANNOTATION_ROW
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(y - 10)}" x2="{_n(x)}" y2="{BOTTOM}" stroke="{ANNOTATION}" '
            f'stroke-dasharray="3 3"/>'
        )
        out.append(_line_label(x + 3, y + 4, _short(item.label, 16), ANNOTATION, anchor="start"))
    out.append("</g>")
    return out


def gutter_labels(plot: _Plot, labels: Sequence[tuple[float, str, str]]) -> list[str]:
    """Labels of horizontal lines (median, target, centre) in the right gutter, at their line's height, moved
    apart where two would touch and kept inside the plot's height. `labels` holds (y, text, colour)."""
    placed: list[list] = [[y, text, colour] for y, text, colour in sorted(labels, key=lambda item: item[0])]
    gap = 15.0
    for k in range(1, len(placed)):
        placed[k][0] = max(placed[k][0], placed[k - 1][0] + gap)
    overflow = placed[-1][0] - BOTTOM if placed else 0
    if overflow > 0:
        for item in placed:
            item[0] -= overflow
        for k in range(len(placed) - 2, -1, -1):
            placed[k][0] = min(placed[k][0], placed[k + 1][0] - gap)
    chars = int((WIDTH - plot.x1 - 10) / CHAR_W)
    out = ['<g class="line-labels">']
    for y, text, colour in placed:
        out.append(f'<text x="{_n(plot.x1 + 6)}" y="{_n(y + 4)}" fill="{colour}">{_t(_short(text, chars))}</text>')
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
