"""A module's slide outline as a deck: an editable PowerPoint file (python-pptx) and a 16:9 PDF (WeasyPrint),
with the program's look and logo. The facilitator notes go into the PowerPoint notes pages.

Both are reproducible: the PowerPoint's document properties carry the build date given (SOURCE_DATE_EPOCH)
and its ZIP entries are rewritten with that date; WeasyPrint writes the same bytes for the same HTML.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from qtp.catalog.files import Slide
from qtp.core import pdf
from qtp.core.i18n import html_lang

WIDE = (Inches(13.333), Inches(7.5))
TEAL = RGBColor(0x0B, 0x5D, 0x6B)
DARK = RGBColor(0x1D, 0x25, 0x2C)
MUTED = RGBColor(0x4F, 0x5D, 0x68)
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Deck:
    locale: str
    program_title: str
    kicker: str  # above the title on the cover: "Quality Training Program · Module 3"
    module_title: str
    slides: list[Slide]


def _text(frame, text: str, size: int, color: RGBColor, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    frame.clear()
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    run.font.color.rgb = color


def _decorate(slide, logo: bytes, width: Emu, height: Emu) -> None:  # type: ignore[no-untyped-def]
    bar = slide.shapes.add_shape(1, 0, 0, width, Inches(0.18))  # 1: rectangle
    bar.fill.solid()
    bar.fill.fore_color.rgb = TEAL
    bar.line.fill.background()
    slide.shapes.add_picture(io.BytesIO(logo), width - Inches(1.05), height - Inches(1.0), Inches(0.7), Inches(0.7))


def module_kicker(locale: str, number: int) -> str:
    with force_locale(locale):
        return _("Quality Training Program · Module %(number)s", number=number)


def pptx_deck(deck: Deck, logo: bytes, built: datetime) -> bytes:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDE
    width, height = presentation.slide_width, presentation.slide_height
    blank = presentation.slide_layouts[6]
    kicker = deck.kicker
    cover = presentation.slides.add_slide(blank)
    _decorate(cover, logo, width, height)
    box = cover.shapes.add_textbox(Inches(0.9), Inches(2.2), width - Inches(1.8), Inches(0.6))
    _text(box.text_frame, kicker, 16, TEAL, bold=True)
    box = cover.shapes.add_textbox(Inches(0.9), Inches(2.9), width - Inches(1.8), Inches(1.6))
    _text(box.text_frame, deck.module_title, 40, DARK, bold=True)
    box = cover.shapes.add_textbox(Inches(0.9), Inches(4.6), width - Inches(1.8), Inches(0.6))
    _text(box.text_frame, deck.program_title, 20, MUTED)

    for item in deck.slides:
        slide = presentation.slides.add_slide(blank)
        _decorate(slide, logo, width, height)
        title = slide.shapes.add_textbox(Inches(0.7), Inches(0.5), width - Inches(1.4), Inches(1.1))
        _text(title.text_frame, item.title, 32, TEAL, bold=True)
        body = slide.shapes.add_textbox(Inches(0.9), Inches(1.8), width - Inches(2.4), height - Inches(2.8))
        frame = body.text_frame
        frame.word_wrap = True
        for index, bullet in enumerate(item.bullets):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = f"•  {bullet}"
            run.font.size, run.font.name = Pt(22), FONT
            run.font.color.rgb = DARK
            paragraph.space_after = Pt(12)
        slide.notes_slide.notes_text_frame.text = item.notes

    properties = presentation.core_properties
    properties.title = f"{deck.module_title} · {deck.program_title}"
    properties.author = properties.last_modified_by = "Quality Training Program"
    properties.language = html_lang(deck.locale)
    properties.created = properties.modified = properties.last_printed = built.replace(tzinfo=None)
    properties.revision = 1
    out = io.BytesIO()
    presentation.save(out)
    return _fixed_zip(out.getvalue(), built)


def _fixed_zip(data: bytes, built: datetime) -> bytes:
    """The same archive with every entry dated `built` (python-pptx dates them now)."""
    stamp = (max(built.year, 1980), built.month, built.day, built.hour, built.minute, built.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def pdf_deck(deck: Deck) -> bytes:
    """The slides as a 16:9 PDF, one slide a page."""
    with force_locale(deck.locale):
        html = pdf.render_html("licensing/pdf/deck.html", deck=deck, lang=html_lang(deck.locale))
    return pdf.html_to_pdf(html)
