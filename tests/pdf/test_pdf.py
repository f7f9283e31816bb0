"""The PDF wrapper: only data: and static files are ever fetched, user text stays text, fonts are ours,
the output is PDF/A-3b with a title and a language."""

from __future__ import annotations

import select
import socket
import threading
from contextlib import contextmanager

import pytest
from jinja2 import ChoiceLoader, DictLoader

from qtp.core import pdf
from tests.pdf.support import expanded, pdf_fonts, pdf_info, pdf_text, words

TEMPLATE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><p>{{ value }}</p><p class="value">{{ value }}</p></body></html>
"""


@pytest.fixture
def template(app):
    """A throwaway autoescaped .html template, as the app's PDF templates are."""
    original = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader({"pdf-test/probe.html": TEMPLATE}), original])
    try:
        with app.app_context():
            yield "pdf-test/probe.html"
    finally:
        app.jinja_env.loader = original


@contextmanager
def listener():
    """A TCP listener on an ephemeral loopback port; yields (port, connections_seen())."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)

    def seen() -> bool:
        readable, _, _ = select.select([server], [], [], 0.2)
        return bool(readable)

    try:
        yield server.getsockname()[1], seen
    finally:
        server.close()


# -- the URL fetcher --


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "qtp-static:../../etc/passwd",
        "qtp-static:..%2f..%2fetc/passwd",
        "qtp-static:%2e%2e/%2e%2e/etc/passwd",
        "qtp-static:/etc/passwd",
        "qtp-static:fonts/../../pyproject.toml",
        "qtp-static:fonts/DejaVuSans.ttf\x00.png",
        "qtp-static:fonts/DejaVuSans.ttf%00.png",
        "qtp-static:",
        "qtp-static:fonts",
        "fonts/DejaVuSans.ttf",
        "../etc/passwd",
        "/etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_everything_but_data_and_static_files(url):
    with pytest.raises(ValueError):
        pdf.StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_data_uris():
    fetcher = pdf.StaticOnlyFetcher()
    font = fetcher.fetch("qtp-static:fonts/DejaVuSans.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    css = fetcher.fetch("qtp-static:css/pdf.css")
    assert b"@font-face" in css.read()
    data = fetcher.fetch("data:text/plain;base64,aMOpbGxv")
    assert data.read() == "héllo".encode()
    assert data.content_type == "text/plain"


def test_in_memory_images_are_served_for_one_rendering_only(app):
    png = bytes.fromhex("89504e470d0a1a0a")
    url = pdf.memory_image(png, "image/png")
    fetcher = pdf.StaticOnlyFetcher()
    served = fetcher.fetch(url)
    assert served.read() == png and served.content_type == "image/png"
    with app.app_context():
        pdf.html_to_pdf('<html lang="en"><head><title>x</title></head><body><p>x</p></body></html>')
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)  # forgotten once a document was rendered
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch("qtp-memory:999")


def test_a_symlink_out_of_static_is_refused(tmp_path, monkeypatch):
    root = tmp_path / "static"
    root.mkdir()
    (root / "escape.txt").symlink_to("/etc/passwd")
    monkeypatch.setattr(pdf, "STATIC_ROOT", root.resolve())
    with pytest.raises(ValueError):
        pdf.static_path("escape.txt")


def test_relative_urls_cannot_reach_the_working_directory_or_the_filesystem(monkeypatch, tmp_path):
    (tmp_path / "secret.css").write_text("body { color: red }")
    monkeypatch.chdir(tmp_path)
    requested = []
    real_fetch = pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        requested.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", spy)
    pdf.html_to_pdf('<html lang="en"><link rel="stylesheet" href="secret.css"><img src="/etc/hosts"><p>x</p></html>')
    assert requested, "the relative URLs went to the fetcher"
    assert not [url for url in requested if url.startswith("file:")], requested
    page_urls = {url for url in requested if not url.startswith("qtp-static:fonts/")}  # fonts: first use
    assert page_urls == {"secret.css", "/etc/hosts"}, requested  # left relative, and so refused


# -- rendering --


def test_injection_in_a_value_stays_text_and_nothing_is_fetched(template):
    with listener() as (port, connections_seen):
        payload = (
            f'</p><link rel="attachment" href="file:///etc/passwd"><img src="http://127.0.0.1:{port}/x">'
            f'<a href="file:///etc/passwd">link</a><style>@import url("http://127.0.0.1:{port}/s.css");</style>'
        )
        document = pdf.render_pdf(template, lang="en", title="Probe", value=payload)
        assert not connections_seen(), "the PDF renderer connected to the listener"
    text = words(pdf_text(document))
    assert 'href="file:///etc/passwd">' in text
    assert f'<img src="http://127.0.0.1:{port}/x">' in text
    raw = expanded(document)
    assert b"/EmbeddedFile" not in raw
    assert b"/URI (file" not in raw
    assert b"/URI" not in raw
    assert b"root:x:0:0" not in raw


def test_even_raw_html_cannot_attach_files_or_reach_the_network(app):
    """Defence in depth: if markup ever slipped through unescaped, the fetcher still refuses."""
    with listener() as (port, connections_seen):
        html = (
            '<html lang="en"><head><title>Raw</title>'
            '<link rel="attachment" href="file:///etc/passwd">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css"></head>'
            f'<body><img src="http://127.0.0.1:{port}/x"><img src="file:///etc/passwd">'
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
            f'<image href="http://127.0.0.1:{port}/svg.png" width="10" height="10"/></svg>'
            "<p>body</p></body></html>"
        )
        document = pdf.html_to_pdf(html)
        assert not connections_seen()
    raw = expanded(document)
    assert b"/EmbeddedFile" not in raw
    assert b"root:x:0:0" not in raw


def test_accented_text_is_extracted_as_written(template):
    text = "Ação rápida: coração, señal, niño, façade, São Tomé, über, Ñandú, Ç"
    document = pdf.render_pdf(template, lang="pt-BR", title="Relatório ñ ç ã é", value=text)
    extracted = words(pdf_text(document))
    assert text in extracted
    assert "Relatório ñ ç ã é" in extracted


def test_only_the_shipped_fonts_are_used(template):
    document = pdf.render_pdf(template, lang="es", title="Fuentes", value="texto normal ñ")
    fonts = [line.split()[0] for line in pdf_fonts(document).splitlines()[2:] if line.strip()]
    assert fonts, "no font embedded"
    assert all("+QTP-Sans" in name for name in fonts), fonts


def test_output_is_pdf_a_3b_with_title_and_language(template):
    document = pdf.render_pdf(template, lang="es", title="Informe del equipo", value="x")
    assert document.startswith(b"%PDF-")
    raw = expanded(document)
    assert b'pdfaid:part="3"' in raw
    assert b'pdfaid:conformance="B"' in raw
    assert b"/Lang (es)" in raw
    assert "Title:           Informe del equipo" in pdf_info(document)


def test_templates_must_be_autoescaped_html(app):
    with app.app_context(), pytest.raises(ValueError):
        pdf.render_pdf("worksheets/pdf/worksheet.txt")


def test_chart_svg_text_uses_the_shipped_font():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" viewBox="0 0 10 10"><text>a</text></svg>'
    marked = str(pdf.pdf_svg(svg))
    assert 'font-family="QTP Sans"' in marked
    assert "sans-serif" not in marked
    assert str(pdf.pdf_svg(None)) == ""


def test_each_thread_keeps_its_own_font_configuration():
    seen = []

    def work():
        first = pdf._resources()
        assert pdf._resources() is first
        seen.append(first[0])

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 2 and seen[0] is not seen[1]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("charter-1", "charter-1.pdf"),
        ('a"b\r\nSet-Cookie: x', "a-b-Set-Cookie-x.pdf"),
        ("ação", "a-o.pdf"),
        ("", "document.pdf"),
    ],
)
def test_attachment_filenames_are_safe_ascii(stem, expected):
    assert pdf.attachment_filename(stem) == expected
