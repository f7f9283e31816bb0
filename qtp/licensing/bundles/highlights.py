"""The Quality of Care Symposium highlights package in one language: a PDF book of the two-day program and the
selected abstracts, the original slides (PowerPoint and PDF, in the language presented) of the presentations
whose presenter granted permission, and the logo pack. What was left out, and why, goes into the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from qtp.catalog.content_highlights import Abstract, Highlights, Presentation
from qtp.catalog.files import sanitize_html
from qtp.core import pdf
from qtp.core.i18n import country_name, html_lang
from qtp.licensing.bundles import decks
from qtp.licensing.bundles.logo import logo_pack

BOOK = "abstracts/selected-abstracts.pdf"


@dataclass(frozen=True)
class BookEntry:
    anchor: str
    title: str
    authors: str
    presenter: str
    institution: str
    slides: str  # what the package holds of its slides, in the reader's words
    body_html: Markup


@dataclass(frozen=True)
class BookDay:
    title: str
    entries: list[BookEntry]


def _abstract(presentation: Presentation, locale: str) -> Abstract:
    return presentation.abstracts.get(locale) or presentation.abstracts["en"]


def _slides_note(presentation: Presentation) -> str:
    if presentation.permission == "granted":
        return _("Original slides included (original-slides/%(id)s).", id=presentation.id)
    if presentation.permission == "refused":
        return _("Original slides not included: the presenter did not grant permission to share them.")
    return _("Original slides not included: the presenter's permission has not been recorded yet.")


def _book(highlights: Highlights, locale: str) -> bytes:
    with force_locale(locale):
        days = []
        for day in highlights.days:
            entries = []
            for pid in day["presentations"]:
                presentation = highlights.presentation(pid)
                abstract = _abstract(presentation, locale)
                entries.append(
                    BookEntry(
                        anchor=f"abstract-{pid}",
                        title=abstract.title,
                        authors=", ".join(abstract.authors),
                        presenter=presentation.presenter,
                        institution=f"{presentation.institution} ({country_name(presentation.country, locale)})",
                        slides=_slides_note(presentation),
                        body_html=Markup(sanitize_html(abstract.body_html)),  # noqa: S704 (sanitized just now)
                    )
                )
            days.append(BookDay(day["titles"].get(locale) or day["titles"]["en"], entries))
        html = pdf.render_html(
            "licensing/pdf/highlights.html",
            title=highlights.titles.get(locale) or highlights.titles["en"],
            summary=highlights.summaries.get(locale) or highlights.summaries["en"],
            days=days,
            lang=html_lang(locale),
        )
    return pdf.html_to_pdf(html)


def highlights_files(
    highlights: Highlights, locale: str, built: datetime, logo: bytes
) -> tuple[dict[str, bytes], list[dict]]:
    """({path: bytes}, [what was left out]) for the package in `locale`; `logo` is the PNG placed on decks."""
    files = {BOOK: _book(highlights, locale)}
    left_out = []
    for presentation in highlights.presentations:
        if presentation.permission != "granted" or not presentation.slides_language:
            left_out.append(
                {
                    "presentation": presentation.id,
                    "title": _abstract(presentation, locale).title,
                    "presenter": presentation.presenter,
                    "reason": "permission_refused" if presentation.permission == "refused" else "permission_pending",
                }
            )
            continue
        language = presentation.slides_language
        with force_locale(language):
            kicker = _(
                "Quality of Care Symposium %(year)s · %(presenter)s",
                year=highlights.edition,
                presenter=presentation.presenter,
            )
        deck = decks.Deck(
            language,
            highlights.titles.get(language) or highlights.titles["en"],
            kicker,
            _abstract(presentation, language).title,
            presentation.slides,
        )
        files[f"original-slides/{presentation.id}.pptx"] = decks.pptx_deck(deck, logo, built)
        files[f"original-slides/{presentation.id}.pdf"] = decks.pdf_deck(deck)
    files.update(logo_pack(locale))
    return files, left_out
