"""The program logo: as PNG, drawn from the same geometry as static/img/qtp-mark.svg (PowerPoint cannot place an
SVG; Pillow writes no timestamp in a PNG, so the same size always gives the same bytes), and the logo pack of a
bundle: the SVG, PNG files in three sizes and the usage guidelines as a PDF in the bundle's language."""

from __future__ import annotations

import io

from flask_babel import force_locale
from PIL import Image, ImageDraw

from qtp.core import pdf
from qtp.core.i18n import html_lang

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


PNG_SIZES = (256, 512, 1024)


def logo_pack(locale: str) -> dict[str, bytes]:
    """{path in the bundle: bytes} for the logo folder."""
    files = {"logo/qtp-logo.svg": pdf.static_path("img/qtp-mark.svg").read_bytes()}
    for size in PNG_SIZES:
        files[f"logo/qtp-logo-{size}.png"] = logo_png(size)
    with force_locale(locale):
        html = pdf.render_html("licensing/pdf/logo_guidelines.html", lang=html_lang(locale))
    files["logo/logo-usage-guidelines.pdf"] = pdf.html_to_pdf(html)
    return files
