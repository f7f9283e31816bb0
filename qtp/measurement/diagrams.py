"""Server-side SVG for the driver diagram, and the text layout shared with the fishbone diagram (fishbone.py).

Same rules as the charts in svg.py: a standalone SVG (xmlns) with role="img", <title> and <desc> (the whole
diagram as text) referenced by aria-labelledby, width 100% of a fixed-width viewBox whose height follows the
content, no scripts or external references, every user text stripped of characters XML forbids and escaped,
text wrapped to the width of its box, every text at least 4.5:1 against its fill (most above 12:1). Words come from
`DiagramLabels`; callers pass translated strings. The same input gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

from qtp.measurement.svg_base import ANNOTATION, INK, SERIES, TARGET, _chart_id, _clean, _n, _t

__all__ = ["DiagramLabels", "driver_diagram_svg", "split_codes", "text_width", "wrap"]

WIDTH = 800
MARGIN = 12
LINE = 14  # line height at font-size 11
PAD = 7  # padding inside a box
TEXT_INK = "#1d252c"  # 15:1 on white, above 12:1 on every tint below
FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
FALLBACK_EM = 0.7  # advance of a character the font lacks (or of every character without the font file)
TINTS = {"primary": "#e4f1f3", "secondary": "#efeaf6", "change": "#fbf1de", "category": "#e4f1f3"}
BORDERS = {"primary": SERIES, "secondary": TARGET, "change": ANNOTATION, "category": SERIES}
_CODE_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class DiagramLabels:
    driver_title: str = "Driver diagram"
    fishbone_title: str = "Cause-and-effect diagram"
    aim: str = "Aim"
    primary: str = "Primary drivers"
    secondary: str = "Secondary drivers"
    change_ideas: str = "Change ideas"
    measure: str = "Measure"
    effect: str = "Effect"
    no_data: str = "Nothing to draw yet"


def split_codes(value: object) -> list[str]:
    """Codes in a comma- or space-separated list (or a list of them), in their order, normalized (trimmed,
    upper case), once each."""
    codes: list[str] = []
    text = " ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value or "")
    for code in _CODE_SPLIT.split(text):
        code = code.strip().upper()
        if code and code not in codes:
            codes.append(code)
    return codes


@cache
def _advances(bold: bool) -> dict[int, float]:
    """Advance widths (in em) of the shipped PDF font, DejaVu Sans: wider than most screen sans-serif fonts,
    so text wrapped with them fits on screen too. Empty (a fixed estimate is used) if the font is missing."""
    path = FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    try:
        font = TTFont(path, lazy=True)
    except OSError:
        return {}
    metrics, upm = font["hmtx"].metrics, font["head"].unitsPerEm
    return {code: metrics[glyph][0] / upm for code, glyph in font.getBestCmap().items() if glyph in metrics}


def text_width(text: str, size: float = 11, bold: bool = False) -> float:
    advances = _advances(bold)
    return sum(advances.get(ord(ch), FALLBACK_EM) for ch in text) * size


def _fit(word: str, width_px: float, size: float, bold: bool) -> tuple[str, str]:
    """The longest head of `word` that fits, and the rest (at least one character goes). The head ends at a
    hyphen or slash of the word when one fits, else it takes a hyphen of its own (with two letters or more on
    either side), so that a reader sees the word continue on the next line."""
    k = 1
    while k < len(word) and text_width(word[: k + 1], size, bold) <= width_px:
        k += 1
    breaks = [
        i + 1
        for i, char in enumerate(word[:k])
        if char in "-/" and 0 < i < len(word) - 1 and word[i - 1].isalnum() and word[i + 1].isalpha()
    ]
    if breaks:
        return word[: breaks[-1]], word[breaks[-1] :]
    h = k
    while h > 2 and text_width(word[:h] + "-", size, bold) > width_px:
        h -= 1
    if h >= 2 and len(word) - h >= 2 and word[h - 1].isalpha() and word[h].isalpha():
        return word[:h] + "-", word[h:]
    return word[:k], word[k:]


def wrap(
    text: object, width_px: float, max_lines: int | None = None, *, size: float = 11, bold: bool = False
) -> list[str]:
    """Text in lines no wider than `width_px` in the shipped font; a word too long for a line is broken;
    an ellipsis marks text cut at `max_lines`."""
    lines: list[str] = []
    current = ""
    for word in _clean(text or "").split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width_px:
            current = candidate
            continue
        if current:
            room = width_px - text_width(current + " ", size, bold)
            if text_width(word, size, bold) > width_px and room > 0:  # the word breaks anyway: start it here
                head, rest = _fit(word, room, size, bold)
                if len(head.rstrip("-/")) >= 3 and text_width(head, size, bold) <= room:
                    current, word = f"{current} {head}", rest
            lines.append(current)
        while text_width(word, size, bold) > width_px:
            head, word = _fit(word, width_px, size, bold)
            lines.append(head)
        current = word
    if current:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "\u2026", size, bold) > width_px:
            last = last[:-1]
        lines[-1] = last.rstrip() + "\u2026"
    return lines


def _open(cid: str, height: float, title: str, description: str, width: float = WIDTH) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family="sans-serif" font-size="11" fill="{TEXT_INK}" class="qtp-diagram">',
        f'<title id="{cid}-title">{_t(title)}</title>',
        f'<desc id="{cid}-desc">{_t(description)}</desc>',
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
    ]


def _nothing(cid: str, title: str, labels: DiagramLabels) -> str:
    out = _open(cid, 120, title, labels.no_data)
    out.append(
        f'<text x="{WIDTH // 2}" y="66" text-anchor="middle" font-size="14" fill="{INK}">{_t(labels.no_data)}</text>'
    )
    return "\n".join([*out, "</svg>"]) + "\n"


def _lines(x: float, y: float, lines: Sequence[str], anchor: str = "start", **attrs: str) -> list[str]:
    """One <text> per line, the first baseline at y."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return [
        f'<text x="{_n(x)}" y="{_n(y + k * LINE)}" text-anchor="{anchor}"{extra}>{_t(line)}</text>'
        for k, line in enumerate(lines)
    ]


# -- driver diagram --


@dataclass
class _Box:
    kind: str
    code: str
    lines: list[str]  # description
    measure: list[str]
    links: list[str]  # codes of the boxes on the left this one links to
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0

    @property
    def h(self) -> float:
        count = len(self.lines) + len(self.measure) + (1 if self.code else 0)
        return 2 * PAD + max(count, 1) * LINE

    @property
    def mid(self) -> float:
        return self.y + self.h / 2


COLUMN_GAP = 30
BOX_GAP = 10
TOP = 40  # below the column headings


def _column_width(width: float) -> float:
    return (width - 2 * MARGIN - 3 * COLUMN_GAP) / 4


def _boxes(
    rows: Sequence[Mapping[str, Any]], kind: str, link_field: str | None, labels: DiagramLabels, column_w: float
) -> list[_Box]:
    boxes, width = [], column_w - 2 * PAD
    for row in rows:
        measure = str(row.get("measure") or "").strip()
        boxes.append(
            _Box(
                kind=kind,
                code=" ".join(_clean(row.get("code") or "").split()).upper()[:12],
                lines=wrap(row.get("description"), width),
                measure=wrap(f"{labels.measure}: {measure}", width) if measure else [],
                links=split_codes(row.get(link_field)) if link_field else [],
            )
        )
    return boxes


def _order(boxes: list[_Box], left: list[_Box]) -> list[_Box]:
    """Boxes ordered by the first box they link to on the left (fewer crossing lines); unlinked last."""
    position = {box.code: i for i, box in enumerate(left) if box.code}
    first = {id(b): min((position[c] for c in b.links if c in position), default=len(left)) for b in boxes}
    return sorted(boxes, key=lambda b: first[id(b)])


def _stack(boxes: list[_Box], x: float, height: float, column_w: float) -> None:
    total = sum(b.h for b in boxes) + BOX_GAP * max(len(boxes) - 1, 0)
    y = TOP + (height - total) / 2
    for box in boxes:
        box.x, box.y, box.w = x, y, column_w
        y += box.h + BOX_GAP


def _connector(x1: float, y1: float, x2: float, y2: float) -> str:
    mid = (x1 + x2) / 2
    tip = f"{_n(x2)},{_n(y2)} {_n(x2 - 6)},{_n(y2 - 3.5)} {_n(x2 - 6)},{_n(y2 + 3.5)}"
    return (
        f'<path d="M{_n(x1)} {_n(y1)} C{_n(mid)} {_n(y1)} {_n(mid)} {_n(y2)} {_n(x2 - 5)} {_n(y2)}" '
        f'fill="none" stroke="{INK}" stroke-width="1.2"/><polygon points="{tip}" fill="{INK}"/>'
    )


def _draw_box(box: _Box) -> list[str]:
    out = [
        f'<g class="box {box.kind}"><rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" '
        f'height="{_n(box.h)}" rx="4" fill="{TINTS[box.kind]}" stroke="{BORDERS[box.kind]}" stroke-width="1.2"/>'
    ]
    y = box.y + PAD + 10
    if box.code:
        out.append(f'<text x="{_n(box.x + PAD)}" y="{_n(y)}" font-weight="bold">{_t(box.code)}</text>')
        y += LINE
    out += _lines(box.x + PAD, y, box.lines)
    out += _lines(box.x + PAD, y + len(box.lines) * LINE, box.measure, font_style="italic", fill=INK)
    out.append("</g>")
    return out


def _driver_description(aim: str, columns: list[tuple[str, list[_Box]]], labels: DiagramLabels) -> str:
    parts = [f"{labels.aim}: {' '.join(_clean(aim).split()) or '-'}."]
    for heading, boxes in columns:
        if not boxes:
            continue
        items = []
        for box in boxes:
            text = " ".join([box.code, *box.lines]).strip()
            if box.links:
                text += f" (\u2192 {', '.join(box.links)})"
            items.append(text)
        parts.append(f"{heading}: {'; '.join(items)}.")
    return " ".join(parts)


def driver_diagram_svg(
    aim: str | None,
    primaries: Sequence[Mapping[str, Any]],
    secondaries: Sequence[Mapping[str, Any]],
    change_ideas: Sequence[Mapping[str, Any]],
    labels: DiagramLabels | None = None,
    *,
    chart_id: str | None = None,
    width: int = WIDTH,
) -> str:
    """Aim -> primary drivers -> secondary drivers -> change ideas, in four columns, with a line for every
    link: aim to each primary; a secondary's "primary-codes" and a change idea's "secondary-codes" (a list of
    codes, or codes separated by commas or spaces; unknown codes are ignored). `width` (viewBox units, at
    font-size 11) is narrower for a diagram shown in a narrow panel: its text wraps more but reads larger."""
    labels = labels or DiagramLabels()
    aim = str(aim or "")
    column_w = _column_width(width)
    primary = _boxes(primaries, "primary", None, labels, column_w)
    secondary = _order(_boxes(secondaries, "secondary", "primary-codes", labels, column_w), primary)
    change = _order(_boxes(change_ideas, "change", "secondary-codes", labels, column_w), secondary)
    columns = [(labels.primary, primary), (labels.secondary, secondary), (labels.change_ideas, change)]
    description = _driver_description(aim, columns, labels)
    cid = _chart_id(chart_id, "driver", aim, description)
    if not aim.strip() and not (primary or secondary or change):
        return _nothing(cid, labels.driver_title, labels)

    aim_lines = wrap(aim, column_w - 2 * PAD, max_lines=16) or ["\u2014"]
    aim_h = 2 * PAD + (len(aim_lines) + 1) * LINE
    stacks = [sum(b.h for b in boxes) + BOX_GAP * max(len(boxes) - 1, 0) for _, boxes in columns]
    content = max([aim_h, *stacks])
    height = TOP + content + MARGIN
    xs = [MARGIN + k * (column_w + COLUMN_GAP) for k in range(4)]
    for x, (_, boxes) in zip(xs[1:], columns, strict=True):
        _stack(boxes, x, content, column_w)

    out = _open(cid, height, labels.driver_title, description, width)
    out.append('<g class="headings" font-weight="bold">')
    for x, heading in zip(xs, [labels.aim] + [h for h, _ in columns], strict=True):
        head = wrap(heading, column_w, max_lines=2, bold=True)
        out += _lines(x + column_w / 2, 16 if len(head) == 1 else 10, head, anchor="middle", fill=SERIES)
    out.append("</g>")

    aim_y = TOP + (content - aim_h) / 2
    aim_mid = aim_y + aim_h / 2
    out.append('<g class="links">')
    for box in primary:
        out.append(_connector(xs[0] + column_w, aim_mid, box.x, box.mid))
    for boxes, left in ((secondary, primary), (change, secondary)):
        by_code = {b.code: b for b in left if b.code}
        for box in boxes:
            for code in box.links:
                if code in by_code:
                    source = by_code[code]
                    out.append(_connector(source.x + source.w, source.mid, box.x, box.mid))
    out.append("</g>")

    out.append(
        f'<g class="box aim"><rect x="{_n(xs[0])}" y="{_n(aim_y)}" width="{_n(column_w)}" height="{_n(aim_h)}" '
        f'rx="4" fill="{SERIES}"/>'
    )
    out.append(
        f'<text x="{_n(xs[0] + PAD)}" y="{_n(aim_y + PAD + 10)}" font-weight="bold" fill="#ffffff">'
        f"{_t(labels.aim)}</text>"
    )
    out += _lines(xs[0] + PAD, aim_y + PAD + 10 + LINE, aim_lines, fill="#ffffff")
    out.append("</g>")
    for _, boxes in columns:
        for box in boxes:
            out += _draw_box(box)
    return "\n".join([*out, "</svg>"]) + "\n"
