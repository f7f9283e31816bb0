"""Drawing helpers for the course figures: the app's palette, text measured with the widest font a reader may
get (DejaVu Sans, the PDFs' font), wrapping that raises when a label cannot fit, and SVG shapes.

The figures are plain SVG files in courses/ (see courses/README.md, "Figures"); this package only writes
them. An author may edit a file by hand as long as `qtp content check` accepts it.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
WIDTH = 640
TEXT = 15  # font size of every label (about 12 px on a 390 px phone, where the drawing keeps 32rem)
LINE = 19  # line height at TEXT

# static/css/app.css and qtp/measurement/svg_base.py
BRAND, BRAND_DARK, INK, MUTED, LINE_COLOUR = "#0b5d6b", "#073f49", "#1d2a33", "#4f5d68", "#d5dde3"
WASH, PAPER, ACCENT, ANNOTATION, SIGNAL = "#f3f6f8", "#ffffff", "#f2b134", "#7a4f00", "#a4262c"
SUCCESS, TEAL_TINT, AMBER_TINT, GREEN_TINT, GRID = "#1e6b3a", "#e3f0f2", "#fff4dc", "#e2f3e7", "#dfe4e8"


@cache
def _font(bold: bool) -> tuple[dict[int, str], object, int]:
    font = TTFont(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"))
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def text_width(text: str, size: float = TEXT, bold: bool = False) -> float:
    cmap, hmtx, units = _font(bold)
    return sum(hmtx[cmap.get(ord(ch), ".notdef")][0] for ch in text) * size / units


def wrap(text: str, width: float, size: float = TEXT, bold: bool = False) -> list[str]:
    """Lines of `text` no wider than `width` (a `|` forces a break, a no-break space holds two words
    together, a word too long for a line breaks after one of its hyphens); raises when nothing fits."""
    lines: list[str] = []
    for part in text.split("|"):
        words = [w for w in part.split(" ") if w]
        current = ""
        while words:
            word = words.pop(0)
            candidate = f"{current} {word}".strip()
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            head, hyphen, tail = word.partition("-")
            if hyphen and tail and text_width(f"{current} {head}-".strip(), size, bold) <= width:
                lines.append(f"{current} {head}-".strip())
                current = ""
                words.insert(0, tail)
                continue
            if not current:
                raise ValueError(f"{word!r} is wider than {width}")
            lines.append(current)
            current = ""
            words.insert(0, word)
        lines.append(current)
    return lines


def label(
    x: float,
    y: float,
    lines: list[str],
    anchor: str = "middle",
    size: float = TEXT,
    fill: str = INK,
    bold: bool = False,
    middle: bool = True,
) -> str:
    """Text lines centred vertically on y (middle=True) or with the first baseline at y."""
    first = y - (len(lines) - 1) * LINE / 2 + size * 0.35 if middle else y
    weight = ' font-weight="700"' if bold else ""
    spans = "".join(
        f'<tspan x="{x:g}" y="{first + i * LINE:.1f}">{escape(line, quote=False)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}" font-size="{size:g}" fill="{fill}"{weight}>{spans}</text>'


def backdrop(x: float, y: float, lines: list[str], anchor: str = "middle", fill: str = PAPER, bold=False) -> str:
    """A rectangle behind the lines that `label(x, y, lines, anchor)` draws (centred on y), hiding grid and
    dashed lines under the words."""
    width = max(text_width(text, bold=bold) for text in lines) + 8
    left = {"start": x - 4, "middle": x - width / 2, "end": x - width + 4}[anchor]
    height = len(lines) * LINE + 4
    top = y - height / 2
    return f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" rx="3" fill="{fill}"/>'


def box_height(lines: list[str], minimum: float = 48) -> float:
    return max(minimum, len(lines) * LINE + 18)


def rect(x, y, w, h, fill=PAPER, stroke=BRAND, rx=6, width=1.5, dash=None) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{width:g}"{dashed}/>'
    )


def line(x1, y1, x2, y2, stroke=MUTED, width=1.5, arrow: str | None = "arrow", dash=None) -> str:
    end = f' marker-end="url(#{arrow})"' if arrow else ""
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{stroke}" stroke-width="{width:g}"'
        f"{dashed}{end}/>"
    )


def path(d: str, stroke=MUTED, width=1.5, fill="none", arrow: str | None = "arrow") -> str:
    end = f' marker-end="url(#{arrow})"' if arrow else ""
    return f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{width:g}"{end}/>'


def arrow_marker(marker_id: str = "arrow", colour: str = MUTED) -> str:
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
    )


def svg(height: float, body: list[str], defs: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:g}">\n'
        + (f"<defs>{defs}</defs>\n" if defs else "")
        + f'<rect x="0" y="0" width="{WIDTH}" height="{height:g}" fill="{PAPER}"/>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )
