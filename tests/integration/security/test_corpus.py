"""The checks of corpus.py catch what they are for: each raw payload is found live, its escaped form is not."""

from __future__ import annotations

from markupsafe import escape

from . import corpus


def test_every_raw_xss_payload_is_found_live_and_its_escaped_form_is_not():
    for payload in (*corpus.XSS[:4], corpus.PDF_ATTACHMENT, corpus.pdf_fetch(9)):
        assert corpus.live_markup(f"<p>{payload}</p>"), payload
        assert not corpus.live_markup(f"<p>{escape(payload)}</p>"), payload
        assert not corpus.live_markup(f'<input value="{escape(payload)}">'), payload


def test_a_markdown_javascript_link_rendered_as_a_link_is_live():
    assert corpus.live_markup('<a href="javascript:alert(1)">x</a>')
    assert corpus.live_markup('<a href=" JaVaScRiPt:alert(1)">x</a>')
    assert not corpus.live_markup("<p>[x](javascript:alert(1))</p>")


def test_an_evaluated_template_is_found():
    assert corpus.live_markup("<h1>Q749</h1>") and not corpus.live_markup("<h1>Q7{{7*7}}</h1>")


def test_inline_script_and_style_are_found():
    assert corpus.inline_code("<script>x()</script>") and corpus.inline_code('<p style="color:red">')
    assert corpus.inline_code("<style>p{}</style>")
    assert not corpus.inline_code('<script src="/static/js/app.js"></script><p class="x">')


def test_formula_cells_are_found_and_neutralized_ones_are_not():
    for formula in corpus.FORMULAS:
        assert corpus.live_cells(f'name\r\n"{formula}"\r\n'.encode()), formula
        assert not corpus.live_cells(f"name\r\n\"'{formula}\"\r\n".encode()), formula
    assert not corpus.live_cells(b"value\r\n-3.5\r\n-12\r\n")


def test_the_stored_payload_fits_the_field():
    for length in (10, 39, 40, 80, 200, None):
        text = corpus.stored(9, length)
        assert corpus.TEMPLATE[:length] in text and (length is None or len(text) <= length)
    assert corpus.IMG in corpus.stored(9, 80) and corpus.FORMULA in corpus.stored(9, 200)
