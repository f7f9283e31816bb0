"""The decks a facilitator teaches from, built from the real course files: a title slide, notes on every slide,
the worked-example charts drawn in (a picture with its text alternative in the PowerPoint, the chart's own text
in the PDF, dates and numbers in the deck's language), no text box overflowing, the same bytes every build."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Pt

from qtp.catalog.content import load_content
from qtp.licensing.bundles import deck_layout as layout
from qtp.licensing.bundles import decks
from qtp.licensing.bundles.build import module_deck
from qtp.licensing.bundles.logo import logo_png
from tests.pdf.support import pdf_info, pdf_text

ROOT = Path(__file__).resolve().parents[3] / "courses"
BUILT = datetime(2026, 12, 1, tzinfo=UTC)
EMU_PER_PT = 12700


@cache
def six_month():
    content = load_content(ROOT, ("en", "es", "pt_BR"))
    assert not content.errors
    return next(p for p in content.programs if p.slug == "six-month")


def _deck(app, slug: str, locale: str):
    program = six_month()
    module = next(m for m in program.modules if m.slug == slug)
    with app.app_context():
        deck = module_deck(program, module, locale, BUILT)
        return deck, decks.pptx_deck(deck, logo_png(), BUILT), decks.pdf_deck(deck)


@pytest.fixture(scope="module")
def run_charts_es(app):
    return _deck(app, "09-run-charts", "es")


def _pt(emu: int) -> float:
    return emu / EMU_PER_PT


def _texts(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_the_deck_opens_with_the_module_title_slide_and_every_slide_has_notes(run_charts_es):
    deck, pptx, _pdf = run_charts_es
    shown = Presentation(io.BytesIO(pptx))
    assert _pt(shown.slide_width) == 960 and _pt(shown.slide_height) == 540, "16:9"
    cover = _texts(shown.slides[0])
    assert "Gráficos de tendencia y sus reglas" in cover and "Programa QTP de seis meses" in cover
    assert "Módulo 9" in cover and "Edición bajo licencia · diciembre 2026" in cover
    assert "Lo que podrá hacer" in _texts(shown.slides[1]), "the objectives on a section slide"
    for number, slide in enumerate(shown.slides, start=1):
        notes = slide.notes_slide.notes_text_frame.text
        assert len(notes.split()) >= 10, f"slide {number} has facilitator notes"
        if number > 1:
            assert str(number) in _texts(slide) and "Edición bajo licencia" in _texts(slide), "number and footer"
    shown_notes = [slide.notes_slide.notes_text_frame.text for slide in list(shown.slides)[2:]]
    assert shown_notes == [slide.notes for slide in deck.slides], "each outline slide with its own notes"


def test_the_chart_slides_carry_the_chart_as_a_picture_with_its_text_alternative(run_charts_es):
    _deck_, pptx, _pdf = run_charts_es
    shown = Presentation(io.BytesIO(pptx))
    charts = [
        shape
        for slide in shown.slides
        for shape in slide.shapes
        if shape.shape_type == 13 and shape._element.nvPicPr.cNvPr.get("name", "").startswith("chart ")
    ]
    assert len(charts) == 2, "the run chart and the frozen median with its cycles"
    for picture in charts:
        alt = picture._element.nvPicPr.cNvPr.get("descr")
        assert alt.startswith("Llamadas devueltas en 2 horas. Gráfico de tendencia de 20 puntos")
        assert "5 ene 2026" in alt and "18 may 2026" in alt, "the span in Spanish"
        left, top, width, height = (_pt(v) for v in (picture.left, picture.top, picture.width, picture.height))
        assert width >= 600 and abs(width / height - 2) < 0.01, "large, in the chart's proportions"
        assert left >= layout.MARGIN_X - 0.5 and left + width <= layout.SLIDE_W - layout.MARGIN_X + 0.5
        assert top >= layout.TITLE_TOP + layout.TITLE_H and top + height <= layout.FOOTER_TOP, "below the title"
        assert picture.image.content_type == "image/png" and picture.image.size[0] >= 1600


def _lines(frame, width: float) -> float:
    """The height the text of a frame needs (each paragraph measured at its own size, as laid out)."""
    height = 0.0
    for paragraph in frame.paragraphs:
        runs = paragraph.runs
        if not runs:
            continue
        size = runs[0].font.size.pt
        bold = bool(runs[0].font.bold)
        indent = layout.INDENT if paragraph._p.pPr is not None and paragraph._p.pPr.get("marL") else 0
        text = "".join(run.text for run in runs)
        spacing = paragraph.line_spacing.pt if paragraph.line_spacing else size * layout.LINE
        height += len(layout.wrap(text, size, width - indent, bold)) * spacing
        height += paragraph.space_after.pt if paragraph.space_after else 0
    return height


@pytest.mark.parametrize(
    ("slug", "locale"), [("09-run-charts", "es"), ("12-control-charts", "pt_BR"), ("08-measurement", "en")]
)
def test_no_text_box_overflows_and_body_type_is_at_least_24_pt(app, slug, locale):
    _deck_, pptx, _pdf = _deck(app, slug, locale)
    for number, slide in enumerate(Presentation(io.BytesIO(pptx)).slides, start=1):
        for shape in slide.shapes:
            left, top, width, height = (_pt(v) for v in (shape.left, shape.top, shape.width, shape.height))
            assert left >= 0 and top >= 0 and left + width <= 960 and top + height <= 540, f"slide {number}"
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            needed = _lines(shape.text_frame, width)
            assert needed <= height + 24 * layout.GAP + 0.5, f"slide {number}: {shape.text_frame.text[:40]!r}"
            sizes = {run.font.size.pt for p in shape.text_frame.paragraphs for run in p.runs}
            if number > 1 and layout.BODY_TOP - 20 <= top < layout.FOOTER_TOP:  # the title slide has its own
                assert min(sizes) >= 24, f"slide {number}: body text at {sizes}"
            if number > 1 and top <= layout.TITLE_TOP:
                assert min(sizes) >= 28, f"slide {number}: a title at {sizes}"


def test_the_pdf_draws_the_charts_with_dates_and_numbers_in_the_deck_language(app, run_charts_es):
    _deck_, _pptx, pdf = run_charts_es
    text = pdf_text(pdf)
    assert "960 x 540 pts" in pdf_info(pdf)
    assert re.search(r"5\s+ene", text) and re.search(r"16\s+mar", text), "Spanish month names on the axis"
    assert re.search(r"Mediana\s+52\s*%", text) and re.search(r"Mediana\s+47,5\s*%", text), "a decimal comma"
    assert "Desplazamiento" in text and "PDSA 3" in text, "legend and cycles in Spanish"
    assert "Notas para el facilitador" in text
    _deck_, _pptx, portuguese = _deck(app, "12-control-charts", "pt_BR")
    text = pdf_text(portuguese)
    assert re.search(r"jan\.\s+de\s+2025", text) and re.search(r"5\s+de\s+jan\.", text), "Portuguese months"
    assert re.search(r"Média\s+41,1", text) and re.search(r"Média\s+2,4", text), "both control charts"


def test_the_same_content_gives_the_same_bytes(app, run_charts_es):
    _deck_, pptx, pdf = run_charts_es
    _again, pptx_again, pdf_again = _deck(app, "09-run-charts", "es")
    assert pptx == pptx_again and pdf == pdf_again


def test_long_outlines_are_split_and_shrunk_within_limits():
    bullets = [f"Point {n}: " + "a rather long sentence that needs more than one line on the slide" for n in range(9)]
    pages = layout.bullet_pages("Many points", bullets, "Say this.", "Many points (continued)", "Continued.")
    assert len(pages) >= 2 and [b for p in pages for b in p.bullets] == bullets
    assert pages[1].title == "Many points (continued)" and pages[1].notes == "Continued."
    for page in pages:
        assert len(page.bullets) <= layout.MAX_BULLETS and page.size >= 24
        assert layout.bullets_height(page.bullets, page.size, layout.CONTENT_W) <= page.body.h
    (short,) = layout.bullet_pages("Few", ["One", "Two"], "Say it.", "Few (continued)", "-")
    assert short.size == 28, "short slides keep the full size"
    assert layout.title_size("A short title") == 36 and layout.title_size("A long title " * 8) < 36
    assert layout.text_width("mmmm", 24) > layout.text_width("iiii", 24), "measured, not counted"


def test_a_visual_slide_with_many_bullets_puts_them_on_a_slide_of_their_own(app):
    program = six_month()
    module = next(m for m in program.modules if m.slug == "09-run-charts")
    with app.app_context():
        deck = module_deck(program, module, "en", BUILT)
        slide = next(s for s in deck.slides if s.visuals)
        crowded = [*deck.slides, type(slide)(slide.title, ["First", "Second", "Third"], slide.notes, 1, slide.visuals)]
        plan = decks.plan(decks.Deck(**{**deck.__dict__, "slides": crowded}))
    *_rest, bullets, visual = plan.pages
    assert bullets.bullets == ["First", "Second", "Third"] and bullets.visual is None
    assert visual.visual is not None and visual.bullets == [] and visual.title.endswith("(continued)")
    assert visual.visual_box.w == pytest.approx(min(layout.CONTENT_W, 2 * (layout.VISUAL_BOTTOM - layout.VISUAL_TOP)))
    assert Pt(visual.visual_box.w)
