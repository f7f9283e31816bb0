"""The one WeasyPrint wrapper: HTML from an autoescaped template to a PDF/A-3b document.

Nothing a PDF renders may reach the network or the filesystem: the URL fetcher answers only `data:` URIs,
`qtp-static:<path>`, a file under the project's `static/` folder (fonts, stylesheets, images), and
`qtp-memory:<n>`, an image the caller made for this rendering (`memory_image`: a certificate's QR code);
everything else (`file:`, `http:`, relative URLs, paths escaping static/) is refused. Fonts come only from
`static/fonts/` through `static/css/pdf.css`, which every document gets. One FontConfiguration (and the
parsed stylesheet) is kept per thread: building them is the costly part of a small document.

Templates are fed plain values (strings, numbers, lists, dataclasses); user text reaches a PDF only through
Jinja's autoescaping. SVG made by our chart modules is inserted with `pdf_svg`, which points its text at the
shipped font.
"""

from __future__ import annotations

import copy
import logging
import mimetypes
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from urllib.request import DataHandler, Request

from flask import current_app
from markupsafe import Markup

# WeasyPrint reports each layout step at INFO, some while it is imported: the app keeps its warnings and errors.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

STATIC_ROOT = (Path(__file__).resolve().parents[2] / "static").resolve()
SCHEME = "qtp-static:"
MEMORY = "qtp-memory:"  # images made for one rendering (QR codes): short URLs instead of long data: URIs
# Relative URLs are joined to this base; urljoin leaves them relative for an unknown scheme, and a relative
# URL is refused by the fetcher, so nothing can resolve against the working directory or the filesystem.
BASE_URL = SCHEME
STYLESHEET = "css/pdf.css"
FONT_FAMILY = "QTP Sans"
PDF_VARIANT = "pdf/a-3b"
_SVG_FONT = re.compile(r'font-family="[^"]*"')

_local = threading.local()


class RefusedURL(ValueError):
    """A PDF asked for a resource it may not load."""


def static_path(reference: str) -> Path:
    """The file under static/ that `qtp-static:<reference>` names; refuses anything outside static/."""
    if "\x00" in reference:
        raise RefusedURL("NUL in a static reference")
    relative = unquote(reference.split("#", 1)[0].split("?", 1)[0])
    if "\x00" in relative or not relative.strip("/"):
        raise RefusedURL("invalid static reference")
    path = (STATIC_ROOT / relative.lstrip("/")).resolve()
    if not path.is_relative_to(STATIC_ROOT) or not path.is_file():
        raise RefusedURL(f"not a file under static/: {reference!r}")
    return path


class StaticOnlyFetcher(URLFetcher):
    """Serves `data:` URIs, `qtp-static:` files and `qtp-memory:` images; raises for every other URL."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("data", "qtp-static", "qtp-memory"), allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not isinstance(url, str) or "\x00" in url:
            raise RefusedURL("invalid URL")
        lowered = url.lower()
        if lowered.startswith(SCHEME):
            path = static_path(url[len(SCHEME) :])
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        if lowered.startswith(MEMORY):
            found = getattr(_local, "memory", {}).get(url[len(MEMORY) :])
            if found is None:
                raise RefusedURL("unknown in-memory resource")
            return URLFetcherResponse(url, found[0], {"Content-Type": found[1]})
        if lowered.startswith("data:"):
            response = DataHandler().data_open(Request(url))  # noqa: S310 (a data: URI, decoded in memory)
            return URLFetcherResponse(url, response.read(), {"Content-Type": response.headers["Content-Type"]})
        raise RefusedURL(f"PDFs may only load data: and {SCHEME} URLs, not {url[:80]!r}")

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
        return self.fetch(url.full_url if isinstance(url, Request) else url)


def memory_image(data: bytes, content_type: str) -> str:
    """A URL for an image made in memory for the next rendering on this thread (forgotten after it)."""
    memory = getattr(_local, "memory", None)
    if memory is None:
        memory = _local.memory = {}
    key = f"{len(memory)}"
    memory[key] = (data, content_type)
    return MEMORY + key


def _forget_memory() -> None:
    _local.memory = {}


def _resources() -> tuple[FontConfiguration, StaticOnlyFetcher, CSS]:
    """This thread's font configuration, fetcher and parsed print stylesheet (built once per thread)."""
    cached = getattr(_local, "resources", None)
    if cached is None:
        font_config = FontConfiguration()
        fetcher = StaticOnlyFetcher()
        stylesheet = CSS(
            string=static_path(STYLESHEET).read_text("utf-8"),
            base_url=SCHEME + STYLESHEET,
            url_fetcher=fetcher,
            font_config=font_config,
        )
        cached = _local.resources = (font_config, fetcher, stylesheet)
    return cached


def html_to_pdf(html: str) -> bytes:
    """A PDF/A-3b document from HTML; the title and language come from `<title>` and `<html lang>`."""
    font_config, fetcher, stylesheet = _resources()
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(
            stylesheets=[stylesheet],
            font_config=font_config,
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
        )
    finally:
        _forget_memory()


def html_to_one_page_pdf(versions: Iterable[str]) -> bytes:
    """A one-page PDF/A-3b document (a poster) from the first of `versions` (HTML, each shorter than the one
    before) that lays out on one page; if none does, the last one's first page."""
    font_config, fetcher, stylesheet = _resources()
    document = None
    try:
        for html in versions:
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
                stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT, pdf_tags=True
            )
            if len(document.pages) == 1:
                break
    finally:
        _forget_memory()
    if document is None:
        raise ValueError("no HTML to lay out")
    if len(document.pages) > 1:
        document = document.copy([document.pages[0]])
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def html_to_pdfs(html: str, *, titles: list[str], langs: list[str]) -> list[bytes]:
    """One PDF/A-3b file per page of a document laid out in one pass (bulk certificates): each file gets its
    own title and language. `titles` and `langs` must have one entry per page."""
    font_config, fetcher, stylesheet = _resources()
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT, pdf_tags=True
        )
    finally:
        _forget_memory()
    if len(document.pages) != len(titles) or len(titles) != len(langs):
        raise ValueError(f"{len(document.pages)} pages laid out for {len(titles)} titles and {len(langs)} languages")
    files = []
    for page, title, lang in zip(document.pages, titles, langs, strict=True):
        single = document.copy([page])
        single.metadata = copy.copy(document.metadata)
        single.metadata.title, single.metadata.lang = title, lang
        files.append(single.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True))
    return files


def render_html(template_name: str, **context: Any) -> str:
    """The HTML of a PDF template (autoescaped: only .html templates are accepted). Templates can call
    `pdf_svg(svg)` to insert a chart or diagram."""
    environment = current_app.jinja_env
    if not template_name.endswith(".html") or not environment.autoescape(template_name):  # type: ignore[operator]
        raise ValueError(f"PDF templates must be autoescaped .html templates, not {template_name!r}")
    return environment.get_template(template_name).render(pdf_svg=pdf_svg, **context)


def render_pdf(template_name: str, **context: Any) -> bytes:
    return html_to_pdf(render_html(template_name, **context))


def pdf_svg(svg: str | None) -> Markup:
    """An SVG made by our chart modules (which escape every user text), with its text in the shipped font.

    Only for SVG from qtp.measurement.svg / diagrams, never for SVG a user supplied."""
    if not svg:
        return Markup("")
    # As plain text: the parts of a Markup would escape the ">" put back between them.
    head, _, rest = str(svg).partition(">")
    return Markup(_SVG_FONT.sub(f'font-family="{FONT_FAMILY}"', head, count=1) + ">" + rest)  # noqa: S704


def attachment_filename(stem: str, extension: str = "pdf") -> str:
    """A safe ASCII file name for Content-Disposition: letters, digits, '-' and '_' only."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "document"
    return f"{safe}.{extension}"
