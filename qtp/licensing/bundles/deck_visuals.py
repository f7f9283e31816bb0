"""The charts and figures a deck draws: a worked example (examples/<slug>.yaml) as the platform's own run or
control chart, in the deck's language (dates and numbers through Babel), or a lesson figure; each as SVG (for
the PDF), PNG (for the PowerPoint picture, rasterized by CairoSVG) and a text alternative."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import force_locale

from qtp.catalog.content_examples import Example
from qtp.catalog.figures import module_figures
from qtp.measurement import describe
from qtp.measurement.chart_files import chart_png
from qtp.measurement.charting import MeasureInfo, build_chart

PNG_WIDTH = 2000  # px: sharp across a projected 16:9 slide
_VIEW_BOX = re.compile(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')


@dataclass(frozen=True)
class Drawn:
    kind: str  # chart | figure
    slug: str
    svg: str
    png: bytes
    alt: str
    aspect: float  # width / height
    caption: str = ""


@dataclass(frozen=True)
class _Cycle:
    """A PDSA cycle of the example, shaped like a PDSA worksheet record (charting.WorksheetLike)."""

    id: int
    record_no: int
    data: dict[str, Any] = field(default_factory=dict)


def aspect_of(svg: str) -> float:
    match = _VIEW_BOX.search(svg)
    if not match or float(match.group(2)) <= 0:
        return 2.0
    return float(match.group(1)) / float(match.group(2))


def example_chart(example: Example, locale: str) -> Drawn:
    """The example's chart, drawn by qtp.measurement.charting as a team's measure would be."""
    with force_locale(locale):
        info = MeasureInfo(
            worksheet_id=0,
            record_no=1,
            name=example.title(locale),
            kind="",
            scale=example.scale,
            unit=example.unit(locale),
            direction="",
            numerator="",
            denominator="",
            baseline=None,
            target=example.target,
        )
        cycles = [
            _Cycle(n, n, {"measures": ["1"], "cycle-number": c.number, "start-date": c.start.isoformat()})
            for n, c in enumerate(example.cycles, start=1)
        ]
        chart = build_chart(info, example.points, chart=example.chart, baseline=example.baseline, pdsa_records=cycles)
        periods = [period for period, _value in chart.series]
        alt = f"{example.title(locale)}. {describe.chart_description(chart.kind, chart.n, periods, chart.summary)}"
    svg = chart.svg.replace('id="c-measure-1', f'id="c-{example.slug}').replace("c-measure-1-", f"c-{example.slug}-")
    return Drawn("chart", example.slug, svg, chart_png(svg, PNG_WIDTH), alt, aspect_of(svg))


def module_visuals(folder: Path | None, examples: dict[str, Example], slugs: set[tuple[str, str]], locale: str):
    """{(kind, slug): Drawn} of the charts and figures the slides of a module place."""
    drawn: dict[tuple[str, str], Drawn] = {}
    figures = module_figures(folder, locale) if folder and any(k == "figure" for k, _s in slugs) else {}
    for kind, slug in sorted(slugs):
        if kind == "chart" and slug in examples:
            drawn[(kind, slug)] = example_chart(examples[slug], locale)
        elif kind == "figure" and slug in figures:
            figure = figures[slug]
            png = chart_png(figure.svg, PNG_WIDTH)
            aspect = aspect_of(figure.svg)
            drawn[(kind, slug)] = Drawn("figure", slug, figure.svg, png, figure.alt, aspect, figure.caption)
    return drawn
