"""The certificate as a PDF: one A4 landscape page in the recipient's language, through the shared WeasyPrint
wrapper. A cohort is laid out in one WeasyPrint pass (stylesheets, fonts and images loaded once) and then
written as one file per certificate.

Templates get plain values only (`CertificatePage`); the recipient's name and the project title reach the PDF
through Jinja's autoescaping, and the QR code is an SVG image made here by segno.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import Markup

from qtp.certificates import serials
from qtp.certificates.models import Certificate
from qtp.core import pdf
from qtp.core.i18n import html_lang
from qtp.core.urls import external_url

TEMPLATE_PAGE = "certificates/pdf/page.html"
TEMPLATE_DOCUMENT = "certificates/pdf/document.html"
# The recipient's name is set as large as its length allows, so that long names still fit on one line or two.
NAME_SIZES = ((26, "name-xl"), (32, "name-l"), (42, "name-m"))


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str


@dataclass(frozen=True)
class CertificatePage:
    lang: str
    serial: str  # grouped for people
    recipient_name: str
    name_size: str
    program_title: str
    cohort_name: str
    cohort_dates: str
    project_title: str
    organization: str
    issued_on: str
    signatories: list[Signatory]
    verify_url: str
    qr_image: str


def verify_url(serial: str) -> str:
    return external_url("certificates.verify", serial=serial)


def qr_image(url: str) -> str:
    """The verification link as a QR code (segno, SVG: sharp at any print size; medium error correction), as
    the address of an image for the next rendering (a short address parses faster than a data: URI)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=1, border=0, xmldecl=False)
    return pdf.memory_image(out.getvalue(), "image/svg+xml")


def name_size(name: str) -> str:
    for limit, css_class in NAME_SIZES:
        if len(name) <= limit:
            return css_class
    return "name-s"


def page_of(certificate: Certificate) -> CertificatePage:
    """The printed facts of a certificate, in its recipient's language (reads the cohort, program and team)."""
    locale = certificate.locale
    cohort = certificate.cohort
    program = cohort.program
    team = certificate.team
    url = verify_url(certificate.serial)
    with force_locale(locale):
        dates = format_date(cohort.starts_on, "long")
        if cohort.ends_on != cohort.starts_on:
            dates = f"{dates} – {format_date(cohort.ends_on, 'long')}"
        issued_on = format_date(certificate.issued_at.date(), "long")
    signatories = [
        Signatory(s["name"], s["titles"].get(locale) or s["titles"].get("en", ""))
        for s in (program.config.get("certificate") or {}).get("signatories", [])
    ]
    return CertificatePage(
        lang=html_lang(locale),
        serial=serials.grouped(certificate.serial),
        recipient_name=certificate.recipient_name,
        name_size=name_size(certificate.recipient_name),
        program_title=program.title(locale),
        cohort_name=cohort.name,
        cohort_dates=dates,
        project_title=team.project_title if team else "",
        organization=team.organization.name if team else "",
        issued_on=issued_on,
        signatories=signatories,
        verify_url=url,
        qr_image=qr_image(url),
    )


def _page_html(page: CertificatePage, locale: str) -> Markup:
    with force_locale(locale):
        return Markup(pdf.render_html(TEMPLATE_PAGE, page=page))  # noqa: S704 (an autoescaped template)


def _document_html(pages: list[CertificatePage], locales: list[str], title: str) -> str:
    lang = pages[0].lang if len({p.lang for p in pages}) == 1 else "en"
    parts = [_page_html(page, locale) for page, locale in zip(pages, locales, strict=True)]
    return pdf.render_html(TEMPLATE_DOCUMENT, parts=parts, lang=lang, title=title)


def _title(page: CertificatePage, locale: str) -> str:
    with force_locale(locale):
        return _("Certificate of completion · %(name)s", name=page.recipient_name)


def render_one(certificate: Certificate) -> bytes:
    """One certificate as its own PDF (the automatic issue and the single re-issue)."""
    page = page_of(certificate)
    return pdf.html_to_pdf(_document_html([page], [certificate.locale], _title(page, certificate.locale)))


def render_many(certificates: list[Certificate]) -> list[bytes]:
    """Several certificates laid out in one WeasyPrint pass and written once, then split into one PDF each
    (same order). Each file keeps the fonts it needs, its own title and its recipient's language."""
    if not certificates:
        return []
    pages = [page_of(c) for c in certificates]
    locales = [c.locale for c in certificates]
    titles = [_title(page, locale) for page, locale in zip(pages, locales, strict=True)]
    html = _document_html(pages, locales, titles[0])
    return pdf.html_to_pdfs(html, titles=titles, langs=[p.lang for p in pages])
