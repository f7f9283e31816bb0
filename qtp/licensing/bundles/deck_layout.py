"""Where everything goes on a deck's 16:9 slides, decided once for the PowerPoint and the PDF alike.

Text is measured with the font the PDF embeds (DejaVu Sans, static/fonts/), which is wider than the fonts
PowerPoint substitutes when it lacks it, so what fits here fits there too. Body text is set at 28 pt, shrunk to
no less than 24 pt when a slide's bullets would not fit; a slide with more than six bullets, or whose bullets
do not fit at 24 pt, is split into several slides ("(continued)"). A slide with a chart or a figure draws it
as large as the body allows, with up to two bullets beneath it (one short line leaves it the most room); more
bullets go on a slide of their own before it. All sizes are in points (1/72 inch).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PIL import ImageFont

from qtp.core import pdf

SLIDE_W, SLIDE_H = 960.0, 540.0  # 13.333 x 7.5 inches
MARGIN_X = 54.0
CONTENT_W = SLIDE_W - 2 * MARGIN_X
TITLE_TOP, TITLE_H = 30.0, 78.0
BODY_TOP, BODY_BOTTOM = 132.0, 484.0
FOOTER_TOP, FOOTER_H = 500.0, 24.0
FOOTER_SIZE = 11.0
TITLE_SIZES = (36.0, 32.0, 28.0)
BODY_SIZES = (28.0, 26.0, 24.0)
CAPTION_SIZE = 24.0
LINE = 1.2  # line height, in ems, of every text block
TITLE_LINE = 1.1
GAP = 0.4  # space after a bullet, in ems
INDENT = 32.0  # a bullet's hanging indent
MAX_BULLETS = 6
VISUAL_BULLETS = 2
VISUAL_GAP = 10.0
VISUAL_TOP, VISUAL_BOTTOM = 124.0, 490.0  # a visual may use a little more of the slide than bullets
MEASURE_SIZE = 100  # the size fonts are measured at (lengths scale linearly)


@lru_cache(maxsize=2)
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    name = "fonts/DejaVuSans-Bold.ttf" if bold else "fonts/DejaVuSans.ttf"
    return ImageFont.truetype(str(pdf.static_path(name)), MEASURE_SIZE)


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    return _font(bold).getlength(text) * size / MEASURE_SIZE


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """The lines `text` breaks into at `size` in a box `width` wide (greedy, at spaces; a word wider than
    the box takes lines of its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    extra = sum(int(text_width(line, size, bold) // width) for line in lines)  # unbreakable words
    return lines + [""] * extra


def bullets_height(bullets: list[str], size: float, width: float) -> float:
    if not bullets:
        return 0.0
    lines = sum(len(wrap(bullet, size, width - INDENT)) for bullet in bullets)
    return lines * size * LINE + (len(bullets) - 1) * size * GAP


def title_size(title: str) -> float:
    """The largest title size at which the title fits its box (one line at 36 pt, else two lines)."""
    for size in TITLE_SIZES:
        lines = len(wrap(title, size, CONTENT_W, bold=True))
        if lines * size * TITLE_LINE <= TITLE_H:
            return size
    return TITLE_SIZES[-1]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass
class Page:
    """One slide as drawn: its title, bullets at `size`, an optional visual in `visual_box`, the notes."""

    title: str
    title_size: float
    bullets: list[str]
    size: float
    notes: str
    body: Box
    visual: object | None = None  # deck_visuals.Drawn
    visual_box: Box | None = None
    number: int = 0
    extra: dict = field(default_factory=dict)


def _body_box(height: float) -> Box:
    return Box(MARGIN_X, BODY_TOP, CONTENT_W, height)


def bullet_pages(title: str, bullets: list[str], notes: str, continued: str, continued_notes: str) -> list[Page]:
    """The bullets on one slide at the largest size that fits, else split over several at 24 pt.
    `continued` is the title of the following slides, `continued_notes` their notes."""
    height = BODY_BOTTOM - BODY_TOP
    if len(bullets) <= MAX_BULLETS:
        for size in BODY_SIZES:
            if bullets_height(bullets, size, CONTENT_W) <= height:
                return [Page(title, title_size(title), bullets, size, notes, _body_box(height))]
    size = BODY_SIZES[-1]
    groups: list[list[str]] = [[]]
    for bullet in bullets:
        group = [*groups[-1], bullet]
        if groups[-1] and (len(group) > MAX_BULLETS or bullets_height(group, size, CONTENT_W) > height):
            groups.append([bullet])
        else:
            groups[-1] = group
    pages = []
    for index, group in enumerate(groups):
        heading = title if index == 0 else continued
        pages.append(
            Page(heading, title_size(heading), group, size, notes if index == 0 else continued_notes, _body_box(height))
        )
    return pages


def visual_page(title: str, bullets: list[str], notes: str, visual: object, aspect: float) -> Page:
    """A slide with a visual (width / height = `aspect`) as large as the body allows above its bullets
    (at most VISUAL_BULLETS, at 24 pt; the caller moves more to a slide of their own)."""
    size = CAPTION_SIZE
    text_h = bullets_height(bullets, size, CONTENT_W)
    room = VISUAL_BOTTOM - VISUAL_TOP - (text_h + VISUAL_GAP if bullets else 0.0)
    width = min(CONTENT_W, room * aspect)
    height = width / aspect
    box = Box(MARGIN_X + (CONTENT_W - width) / 2, VISUAL_TOP, width, height)
    body = Box(MARGIN_X, VISUAL_TOP + height + VISUAL_GAP, CONTENT_W, text_h)
    return Page(title, title_size(title), bullets, size, notes, body, visual, box)


SIDE_ASPECT = 1.3  # a visual narrower than this (width / height) stands beside the bullets, not above them
SIDE_SHARE = 0.55  # of the content width, at most
SIDE_GAP = 24.0


def side_page(title: str, bullets: list[str], notes: str, visual: object, aspect: float) -> Page | None:
    """A slide with a tall visual at the right, full height, and the bullets beside it at the largest size
    that fits (28 to 24 pt); None when they do not fit."""
    height = VISUAL_BOTTOM - VISUAL_TOP
    width = min(height * aspect, CONTENT_W * SIDE_SHARE)
    height = width / aspect
    column = CONTENT_W - width - SIDE_GAP
    if len(bullets) > MAX_BULLETS:
        return None
    for size in BODY_SIZES:
        if bullets_height(bullets, size, column) <= BODY_BOTTOM - BODY_TOP:
            box = Box(MARGIN_X + CONTENT_W - width, VISUAL_TOP, width, height)
            body = Box(MARGIN_X, BODY_TOP, column, BODY_BOTTOM - BODY_TOP)
            return Page(title, title_size(title), bullets, size, notes, body, visual, box)
    return None


def visual_fits(bullets: list[str]) -> bool:
    """Whether these bullets can sit under a visual (and leave it at least half the body's height)."""
    height = bullets_height(bullets, CAPTION_SIZE, CONTENT_W)
    return len(bullets) <= VISUAL_BULLETS and height <= (VISUAL_BOTTOM - VISUAL_TOP) / 2 - VISUAL_GAP


def fit_line(text: str, size: float, width: float, bold: bool = False) -> str:
    """`text`, shortened with an ellipsis when it is wider than `width` at `size`."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"
