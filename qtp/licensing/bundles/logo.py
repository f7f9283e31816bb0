"""The program logo as a PNG, drawn from the same geometry as static/img/qtp-mark.svg (PowerPoint cannot place
an SVG). Pillow writes no timestamp in a PNG, so the same size always gives the same bytes."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

TEAL = (11, 93, 107, 255)
GOLD = (242, 177, 52, 255)
WHITE = (255, 255, 255, 255)
# static/img/qtp-mark.svg, on a 64-unit square
LINE = [(14, 40), (24, 30), (32, 36), (44, 20), (50, 26)]


def logo_png(size: int = 512) -> bytes:
    scale = size / 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(14 * scale), fill=TEAL)
    points = [(x * scale, y * scale) for x, y in LINE]
    draw.line(points, fill=WHITE, width=round(5 * scale), joint="curve")
    for x, y in (points[0], points[-1]):  # round caps
        r = 2.5 * scale
        draw.ellipse((x - r, y - r, x + r, y + r), fill=WHITE)
    cx, cy, r = 50 * scale, 26 * scale, 5 * scale
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=GOLD)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
