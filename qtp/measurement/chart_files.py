"""A measure's chart as a file: the SVG the page shows, and a PNG drawn from it (for slides, posters, e-mail).

The SVG is built by svg.py (every text escaped, no external references); CairoSVG rasterizes it with
`unsafe=False`, so it fetches nothing and refuses XML entities even if it were handed other SVG.
"""

from __future__ import annotations

PNG_WIDTH = 1600  # px: sharp on a slide or a printed A4 page


def chart_png(svg: str, width: int = PNG_WIDTH) -> bytes:
    import cairosvg  # imported here: only this download needs cairo

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width, unsafe=False)
