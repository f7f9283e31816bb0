"""A module's slide outline as a deck: an editable PowerPoint file (python-pptx) and a 16:9 PDF (WeasyPrint),
with the program's look and logo, laid out once by deck_layout for both.

The deck opens with a title slide for the module and, when the module has objectives, a section slide that
states them; then each outline slide: a title and bullets, or a title and a visual (a worked-example chart
or a lesson figure) with at most two bullets beneath it or, when the visual is tall, beside it. Every slide
but the first carries a discreet footer (the module, the program and the licensed edition) and its number.
The facilitator notes go into the PowerPoint notes pages and, in the PDF, into notes pages printed after the
slides (A4, several slides to a page: each slide's title, bullets and chart beside what to say and do).

Both are reproducible: the PowerPoint's document properties carry the build date given (SOURCE_DATE_EPOCH)
and its ZIP entries are rewritten with that date; WeasyPrint writes the same bytes for the same HTML.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Pt

from qtp.catalog.files import Slide
from qtp.core import pdf
from qtp.core.i18n import html_lang
from qtp.licensing.bundles import deck_layout as layout
from qtp.licensing.bundles.deck_layout import Box, Page

TEAL = RGBColor(0x0B, 0x5D, 0x6B)
DARK = RGBColor(0x1D, 0x25, 0x2C)
MUTED = RGBColor(0x4F, 0x5D, 0x68)
GOLD = RGBColor(0xF2, 0xB1, 0x34)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
PALE = RGBColor(0xD8, 0xEC, 0xEF)
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Deck:
    locale: str
    program_title: str
    kicker: str  # above the title on the cover: "Quality Training Program · Module 3"
    module_title: str
    slides: list[Slide]
    objectives: list[str] = field(default_factory=list)
    edition: str = ""  # "Licensed edition · December 2026"
    minutes: int | None = None
    visuals: dict = field(default_factory=dict)  # {(kind, slug): deck_visuals.Drawn}


def module_kicker(locale: str, number: int) -> str:
    with force_locale(locale):
        return _("Quality Training Program · Module %(number)s", number=number)


def edition_line(locale: str, built: datetime) -> str:
    with force_locale(locale):
        return _("Licensed edition · %(date)s", date=format_date(built.date(), "MMMM yyyy"))


# --- the plan: every page of the deck, for both formats ---------------------------------------------------


@dataclass
class Plan:
    cover_notes: str
    sections: list[Page]  # the objectives, on the programme's colour
    pages: list[Page]
    footer: str

    @property
    def all_pages(self) -> list[Page]:
        return self.sections + self.pages


def plan(deck: Deck) -> Plan:
    with force_locale(deck.locale):
        if deck.minutes:
            cover_notes = _(
                "Welcome the group and introduce the module: what it covers and why it matters to each team's "
                "project. The module takes about %(minutes)s minutes.",
                minutes=deck.minutes,
            )
        else:
            cover_notes = _("Welcome the group and introduce the session and its presenter.")
        sections: list[Page] = []
        if deck.objectives:
            heading = _("What you will be able to do")
            notes = _(
                "Read the objectives aloud. Ask each team which one matters most for its project now, and "
                "come back to them at the end of the module."
            )
            sections = layout.bullet_pages(heading, deck.objectives, notes, heading, notes)
        pages: list[Page] = []
        for slide in deck.slides:
            continued = _("%(title)s (continued)", title=slide.title)
            continued_notes = _("Continued from the previous slide, whose notes cover this one.")
            visual = next((deck.visuals.get((v.kind, v.slug)) for v in slide.visuals), None)
            side = None
            if visual is not None and slide.bullets and visual.aspect < layout.SIDE_ASPECT:
                side = layout.side_page(slide.title, slide.bullets, slide.notes, visual, visual.aspect)
            if visual is None:
                pages += layout.bullet_pages(slide.title, slide.bullets, slide.notes, continued, continued_notes)
            elif side is not None:
                pages.append(side)
            elif layout.visual_fits(slide.bullets):
                pages.append(layout.visual_page(slide.title, slide.bullets, slide.notes, visual, visual.aspect))
            else:
                pages += layout.bullet_pages(slide.title, slide.bullets, slide.notes, continued, continued_notes)
                pages.append(layout.visual_page(continued, [], continued_notes, visual, visual.aspect))
    footer = " · ".join(part for part in (deck.module_title, deck.program_title, deck.edition) if part)
    result = Plan(cover_notes, sections, pages, footer)
    for number, page in enumerate(result.all_pages, start=2):
        page.number = number
    return result


# --- PowerPoint -------------------------------------------------------------------------------------------


def _frame(slide, box: Box, anchor=MSO_ANCHOR.TOP):  # type: ignore[no-untyped-def]
    shape = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = anchor
    return frame


def _run(paragraph, text: str, size: float, color: RGBColor, bold: bool = False, line: float = layout.LINE):  # type: ignore[no-untyped-def]
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    run.font.color.rgb = color
    paragraph.line_spacing = Pt(size * line)
    return run


def _text(slide, box: Box, text: str, size: float, color: RGBColor, bold: bool = False, anchor=MSO_ANCHOR.TOP):  # type: ignore[no-untyped-def]
    frame = _frame(slide, box, anchor)
    _run(frame.paragraphs[0], text, size, color, bold, layout.TITLE_LINE if bold else layout.LINE)
    return frame


def _bullets(slide, box: Box, bullets: list[str], size: float, color: RGBColor) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(slide, box)
    for index, bullet in enumerate(bullets):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _run(paragraph, bullet, size, color)
        paragraph.space_after = Pt(size * layout.GAP)
        properties = paragraph._p.get_or_add_pPr()
        properties.set("marL", str(Pt(layout.INDENT)))
        properties.set("indent", str(-Pt(layout.INDENT)))
        colour = etree.SubElement(properties, qn("a:buClr"))
        etree.SubElement(colour, qn("a:srgbClr")).set("val", "0B5D6B")
        etree.SubElement(properties, qn("a:buFont")).set("typeface", FONT)
        etree.SubElement(properties, qn("a:buChar")).set("char", "•")


def _rectangle(slide, box: Box, color: RGBColor) -> None:  # type: ignore[no-untyped-def]
    shape = slide.shapes.add_shape(1, Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))  # 1: rectangle
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()


def _picture(slide, data: bytes, box: Box, alt: str, name: str):  # type: ignore[no-untyped-def]
    picture = slide.shapes.add_picture(io.BytesIO(data), Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
    properties = picture._element.nvPicPr.cNvPr
    properties.set("descr", alt)
    properties.set("name", name)
    return picture


def _number(slide, number: int, color: RGBColor) -> None:  # type: ignore[no-untyped-def]
    """The slide number as a PowerPoint field, so that it follows when slides are moved."""
    frame = _frame(slide, Box(layout.SLIDE_W - layout.MARGIN_X - 90, layout.FOOTER_TOP, 60, layout.FOOTER_H))
    paragraph = frame.paragraphs[0]
    paragraph.alignment = 3  # right
    field_ = etree.SubElement(paragraph._p, qn("a:fld"))
    field_.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    field_.set("type", "slidenum")
    properties = etree.SubElement(field_, qn("a:rPr"))
    properties.set("lang", "en-US")
    properties.set("sz", str(int(layout.FOOTER_SIZE * 100)))
    fill = etree.SubElement(properties, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", str(color))
    etree.SubElement(properties, qn("a:latin")).set("typeface", FONT)
    etree.SubElement(field_, qn("a:t")).text = str(number)


def _chrome(slide, plan_: Plan, page: Page, logo: bytes, dark: bool) -> None:  # type: ignore[no-untyped-def]
    ink = PALE if dark else MUTED
    if not dark:
        _rectangle(slide, Box(0, 0, layout.SLIDE_W, 8), TEAL)
    footer_w = layout.SLIDE_W - 2 * layout.MARGIN_X - 110
    footer = layout.fit_line(plan_.footer, layout.FOOTER_SIZE, footer_w)
    _text(slide, Box(layout.MARGIN_X, layout.FOOTER_TOP, footer_w, layout.FOOTER_H), footer, layout.FOOTER_SIZE, ink)
    _number(slide, page.number, ink)
    size = 24.0
    right = layout.SLIDE_W - layout.MARGIN_X
    _picture(slide, logo, Box(right - size, layout.FOOTER_TOP - 5, size, size), "QTP", "QTP logo")


def _cover(presentation, deck: Deck, plan_: Plan, logo: bytes) -> None:  # type: ignore[no-untyped-def]
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    x, w = layout.MARGIN_X, layout.CONTENT_W
    _rectangle(slide, Box(0, 0, layout.SLIDE_W, 8), TEAL)
    _picture(slide, logo, Box(x, 54, 84, 84), "QTP", "QTP logo")
    _text(slide, Box(x, 168, w, 30), deck.kicker, 20, TEAL, bold=True)
    size = cover_title_size(deck.module_title)
    _text(slide, Box(x, 204, w, 150), deck.module_title, size, DARK, bold=True)
    _rectangle(slide, Box(x, 362, 72, 6), GOLD)
    _rectangle(slide, Box(0, 410, layout.SLIDE_W, 130), TEAL)
    _text(slide, Box(x, 436, w, 34), deck.program_title, 24, WHITE, bold=True)
    if deck.edition:
        _text(slide, Box(x, 476, w, 26), deck.edition, 16, PALE)
    slide.notes_slide.notes_text_frame.text = plan_.cover_notes


def cover_title_size(title: str) -> float:
    for size in (44.0, 40.0, 36.0):
        if len(layout.wrap(title, size, layout.CONTENT_W, bold=True)) <= 2:
            return size
    return 32.0


def _content(presentation, plan_: Plan, page: Page, logo: bytes, section: bool = False) -> None:  # type: ignore[no-untyped-def]
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    if section:
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = TEAL
    _chrome(slide, plan_, page, logo, dark=section)
    title_box = Box(layout.MARGIN_X, layout.TITLE_TOP, layout.CONTENT_W, layout.TITLE_H)
    ink = WHITE if section else TEAL
    _text(slide, title_box, page.title, page.title_size, ink, bold=True, anchor=MSO_ANCHOR.BOTTOM)
    _rectangle(slide, Box(layout.MARGIN_X, layout.TITLE_TOP + layout.TITLE_H + 6, 56, 4), GOLD)
    if page.visual is not None and page.visual_box is not None:
        visual = page.visual
        _picture(slide, visual.png, page.visual_box, visual.alt, f"{visual.kind} {visual.slug}")  # type: ignore[attr-defined]
    if page.bullets:
        _bullets(slide, page.body, page.bullets, page.size, WHITE if section else DARK)
    slide.notes_slide.notes_text_frame.text = page.notes


def pptx_deck(deck: Deck, logo: bytes, built: datetime) -> bytes:
    plan_ = plan(deck)
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Pt(layout.SLIDE_W), Pt(layout.SLIDE_H)
    _cover(presentation, deck, plan_, logo)
    for page in plan_.sections:
        _content(presentation, plan_, page, logo, section=True)
    for page in plan_.pages:
        _content(presentation, plan_, page, logo)
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


# --- PDF --------------------------------------------------------------------------------------------------


def _copy_svg(svg: str) -> str:
    """The SVG with its ids renamed, for its copy on a notes page (ids stay unique in the document)."""
    ids = sorted(set(re.findall(r'\bid="([^"]+)"', svg)), key=len, reverse=True)
    if not ids:
        return svg
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w-])")
    return pattern.sub(lambda match: "notes-" + match.group(1), svg)


def pdf_deck(deck: Deck) -> bytes:
    """The slides as 16:9 pages, one slide a page, then the facilitator's notes pages (A4)."""
    plan_ = plan(deck)
    with force_locale(deck.locale):
        html = pdf.render_html(
            "licensing/pdf/deck.html",
            deck=deck,
            plan=plan_,
            layout=layout,
            copy_svg=_copy_svg,
            cover_size=cover_title_size(deck.module_title),
            footer=layout.fit_line(plan_.footer, layout.FOOTER_SIZE, layout.SLIDE_W - 2 * layout.MARGIN_X - 110),
            lang=html_lang(deck.locale),
        )
    return pdf.html_to_pdf(html)
