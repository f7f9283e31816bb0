"""The cause-and-effect (fishbone) diagram as accessible SVG: the effect at the head, categories as bones
alternately above and below the spine, their causes along each bone (text wrapped with the shipped font's
metrics, every user text escaped)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from qtp.measurement.diagrams import (
    BORDERS,
    LINE,
    MARGIN,
    PAD,
    TINTS,
    WIDTH,
    DiagramLabels,
    _lines,
    _nothing,
    _open,
    wrap,
)
from qtp.measurement.svg_base import INK, SERIES, _chart_id, _clean, _n, _t

HEAD_W = 180
MIN_BAND = 190
CAUSE_GAP = 8
CAUSE_LINES = 4
LABEL_LINES = 2


@dataclass
class _Bone:
    name: list[str]
    causes: list[list[str]]
    above: bool
    text_w: float

    @property
    def label_h(self) -> float:
        return 2 * 5 + len(self.name) * LINE

    @property
    def causes_h(self) -> float:
        return sum(len(c) * LINE + CAUSE_GAP for c in self.causes)

    @property
    def h(self) -> float:
        return self.label_h + 10 + self.causes_h + 8


def fishbone_svg(
    effect: str | None,
    causes_by_category: Sequence[tuple[str, Sequence[str]]],
    labels: DiagramLabels | None = None,
    *,
    chart_id: str | None = None,
) -> str:
    """The effect in the head on the right, the spine, and one bone per category, alternately above and
    below the spine, with the category's causes written along it."""
    labels = labels or DiagramLabels()
    effect = " ".join(_clean(effect or "").split())
    categories = [
        (str(name or ""), [str(c) for c in causes if str(c or "").strip()]) for name, causes in causes_by_category
    ]
    summary = [f"{labels.effect}: {effect or '-'}."]
    summary += [
        f"{' '.join(_clean(n).split())}: {'; '.join(' '.join(_clean(c).split()) for c in cs)}." for n, cs in categories
    ]
    description = " ".join(summary)
    cid = _chart_id(chart_id, "fishbone", description)
    if not effect and not categories:
        return _nothing(cid, labels.fishbone_title, labels)

    cols = max(math.ceil(len(categories) / 2), 1)
    width = max(WIDTH, 2 * MARGIN + HEAD_W + 16 + cols * MIN_BAND)
    x0, spine_end = MARGIN, width - MARGIN - HEAD_W - 16
    band = (spine_end - x0) / cols
    text_w = band * 0.6 - 12
    bones = [
        _Bone(
            wrap(name, min(text_w + 24, band - 12) - 12, LABEL_LINES, bold=True) or ["\u2014"],
            [wrap(cause, text_w, CAUSE_LINES) for cause in causes],
            above=k % 2 == 0,
            text_w=text_w,
        )
        for k, (name, causes) in enumerate(categories)
    ]
    head_lines = wrap(effect, HEAD_W - 2 * PAD, max_lines=20) or ["\u2014"]
    head_h = 2 * PAD + (len(head_lines) + 1) * LINE
    top_h = max([b.h for b in bones if b.above] + [head_h / 2 + 4, 40.0])
    bottom_h = max([b.h for b in bones if not b.above] + [head_h / 2 + 4, 40.0])
    spine_y = MARGIN + top_h
    height = spine_y + bottom_h + MARGIN

    out = _open(cid, height, labels.fishbone_title, description, width)
    out.append(
        f'<g class="spine"><line x1="{_n(x0)}" y1="{_n(spine_y)}" x2="{_n(spine_end)}" y2="{_n(spine_y)}" '
        f'stroke="{INK}" stroke-width="2.5"/><polygon points="{_n(spine_end + 12)},{_n(spine_y)} '
        f'{_n(spine_end)},{_n(spine_y - 6)} {_n(spine_end)},{_n(spine_y + 6)}" fill="{INK}"/></g>'
    )
    head_x, head_y = width - MARGIN - HEAD_W, spine_y - head_h / 2
    out.append(
        f'<g class="head"><rect x="{_n(head_x)}" y="{_n(head_y)}" width="{HEAD_W}" height="{_n(head_h)}" rx="6" '
        f'fill="{SERIES}"/><text x="{_n(head_x + PAD)}" y="{_n(head_y + PAD + 10)}" font-weight="bold" '
        f'fill="#ffffff">{_t(labels.effect)}</text>'
    )
    out += _lines(head_x + PAD, head_y + PAD + 10 + LINE, head_lines, fill="#ffffff")
    out.append("</g>")
    for k, bone in enumerate(bones):
        out += _draw_bone(bone, x0 + (k // 2) * band, band, spine_y, top_h if bone.above else bottom_h)
    return "\n".join([*out, "</svg>"]) + "\n"


def _draw_bone(bone: _Bone, bx: float, band: float, spine_y: float, half: float) -> list[str]:
    sign = -1 if bone.above else 1
    far_x, near_x = bx + band * 0.6, bx + band - 8
    far_y = spine_y + sign * (half - bone.label_h - 6)

    def bone_x(y: float) -> float:
        return far_x + (near_x - far_x) * (y - far_y) / (spine_y - far_y)

    label_w = min(bone.text_w + 24, band - 12)
    label_x = max(far_x - label_w / 2, bx + 2)
    label_y = far_y - bone.label_h if bone.above else far_y
    out = [
        f'<g class="bone"><line x1="{_n(far_x)}" y1="{_n(far_y)}" x2="{_n(near_x)}" y2="{_n(spine_y)}" '
        f'stroke="{INK}" stroke-width="1.8"/>',
        f'<rect class="category" x="{_n(label_x)}" y="{_n(label_y)}" width="{_n(label_w)}" '
        f'height="{_n(bone.label_h)}" rx="4" fill="{TINTS["category"]}" stroke="{BORDERS["category"]}"/>',
    ]
    out += _lines(label_x + label_w / 2, label_y + 5 + 10, bone.name, anchor="middle", font_weight="bold")
    # causes from the category label toward the spine (above) or from the spine outward (below)
    y = far_y + 12 if bone.above else spine_y + 14
    for lines in bone.causes:
        rib_y = y + (len(lines) - 1) * LINE + 4
        right = min(bone_x(y - 10), bone_x(rib_y)) - 4  # clear of the slanted bone on every line
        out.append(
            f'<line x1="{_n(right - bone.text_w)}" y1="{_n(rib_y)}" x2="{_n(bone_x(rib_y))}" y2="{_n(rib_y)}" '
            f'stroke="{INK}" stroke-width="0.8"/>'
        )
        out += _lines(right, y, lines, anchor="end")
        y += len(lines) * LINE + CAUSE_GAP
    out.append("</g>")
    return out
