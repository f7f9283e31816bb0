"""The attack corpora of quality.md, and the checks that say whether a page, a CSV or a PDF kept them inert.

Every payload is text a person could type. `stored(max_length)` is the combined payload a form field receives
(shortened, piece by piece, to what the field accepts); the checks below look for what would make a payload
live: a tag or attribute the payload brought, a `javascript:` URL, a template evaluated, a formula cell, a PDF
that embeds or fetches a file.
"""

from __future__ import annotations

import csv
import io
import re
import socket
import threading
from html.parser import HTMLParser

from tests.pdf import support
from tests.pdf.support import words

IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg/onload=alert(1)>"
SCRIPT = '"><script>alert(1)</script>'
JS_LINK = '<a href="javascript:alert(1)">j</a>'
MARKDOWN_LINK = "[x](javascript:alert(1))"
TEMPLATE = "Q7{{7*7}}"  # rendered as a template, it would read Q749
TEMPLATE_EVALUATED = "Q749"
JINJA_BLOCK = "{% if 1 %}T1{% endif %}{%print(7*7)%}"
FORMULA = '=HYPERLINK("//evil.example")'
FORMULAS = (FORMULA, "+1+2", "-1+2", "@SUM(1,2)", "\t=1+2", "\r=1+2")
PDF_ATTACHMENT = '</p><link rel="attachment" href="file:///etc/passwd">'


def pdf_fetch(port: int) -> str:
    return f'<img src="http://127.0.0.1:{port}/x">'


XSS = (IMG, SVG, SCRIPT, JS_LINK, MARKDOWN_LINK)
TRAVERSAL = ("..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd", "..%252f..%252fsecret", "x%00.pdf", "../../x.pdf")


def pieces(port: int) -> list[str]:
    """In the order a short field keeps them: the formula first (it only counts at the start of a cell)."""
    return [FORMULA, TEMPLATE, IMG, SCRIPT, SVG, MARKDOWN_LINK, JS_LINK, JINJA_BLOCK, PDF_ATTACHMENT, pdf_fetch(port)]


def stored(port: int, max_length: int | None = None) -> str:
    """The combined payload for a field that accepts `max_length` characters."""
    if max_length is not None and max_length < 40:
        return f"{TEMPLATE} {IMG}"[:max_length]
    chosen: list[str] = []
    for piece in pieces(port):
        if max_length is None or len(" ".join([*chosen, piece])) <= max_length:
            chosen.append(piece)
    return " ".join(chosen)


# -- HTML ---------------------------------------------------------------------------------------------------------

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}
_SCHEME_JUNK = re.compile(r"[\x00-\x20]+")


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inline: list[str] = []  # inline script, style elements and style= attributes (CSP)
        self._script_open = False
        self._script: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            name = (name or "").lower()
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler attribute")
            if name == "style":
                self.inline.append(f"<{tag} style=…>")
            if name in _URL_ATTRIBUTES:
                url = _SCHEME_JUNK.sub("", value).lower()
                if url.startswith(("javascript:", "vbscript:", "data:text/html", "file:")):
                    self.problems.append(f"<{tag} {name}={value!r}> live URL")
                if url.startswith(("http://127.0.0.1", "//127.0.0.1")):
                    self.problems.append(f"<{tag} {name}={value!r}> fetches a local address")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x> from a payload")
        if tag == "link" and (dict(attrs).get("rel") or "").lower() == "attachment":
            self.problems.append("<link rel=attachment> from a payload")
        if tag == "style":
            self.inline.append("<style> element")
        if tag == "script":
            self._script_open = True
            self._script = []
            if not dict(attrs).get("src"):
                kind = (dict(attrs).get("type") or "").lower()
                if kind not in ("application/json", "application/ld+json"):
                    self.inline.append("inline <script>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_open:
            self._script_open = False
            if "alert(" in "".join(self._script):
                self.problems.append("a <script> running a payload")

    def handle_data(self, data):
        if self._script_open:
            self._script.append(data)
        if TEMPLATE_EVALUATED in data:
            self.problems.append("a template evaluated (Q749)")


def inspect_html(html: str) -> _Inspector:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    if TEMPLATE_EVALUATED in html and not inspector.problems:
        inspector.problems.append("a template evaluated (Q749) in an attribute")
    return inspector


def live_markup(html: str) -> list[str]:
    """What in this page would run or fetch: an empty list for an inert page."""
    return inspect_html(html).problems


def inline_code(html: str) -> list[str]:
    """Inline scripts, style elements and style attributes: what a strict CSP blocks."""
    return inspect_html(html).inline


# -- CSV ----------------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[-+]?\d[\d.,\s]*(?:[eE][-+]?\d+)?%?$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]


def live_cells(data: bytes) -> list[str]:
    """Cells a spreadsheet would run as a formula (numbers, negative ones included, are not formulas)."""
    problems = []
    for cell in csv_cells(data):
        if cell.startswith(FORMULA_START) and not _NUMBER.match(cell):
            problems.append(cell[:80])
        if TEMPLATE_EVALUATED in cell:
            problems.append(f"template evaluated: {cell[:80]}")
    return problems


# -- PDF ----------------------------------------------------------------------------------------------------------

EMBEDDING = (b"/EmbeddedFile", b"/Launch", b"/JavaScript", b"/JS ", b"/URI (file:", b"root:x:0:0")


def pdf_text(data: bytes) -> str:
    return words(support.pdf_text(data))


def pdf_embeds(data: bytes) -> list[str]:
    """What a PDF embeds or launches, in any of its streams (decompressed)."""
    raw = support.expanded(data)
    return [marker.decode().strip() for marker in EMBEDDING if marker in raw]


class Listener:
    """A socket on a free loopback port that records every connection made to it (a PDF fetching a URL)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()
