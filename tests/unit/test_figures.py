"""Module figures: references in lesson text, loading per language, and an SVG sanitizer that lets nothing
active or external through."""

import pytest

from qtp.catalog.figures import (
    MAX_SVG_BYTES,
    Figure,
    FigureError,
    SvgRejected,
    figure_refs,
    module_figures,
    place_figures,
    sanitize_svg,
)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200" width="640" height="200">'
    "<title>Old title</title><defs>"
    '<marker id="arrow" markerWidth="8" markerHeight="8" refX="4" refY="4" orient="auto">'
    '<path d="M0,0 L8,4 L0,8 z" fill="#0b5d6b"/></marker></defs>'
    '<line x1="10" y1="10" x2="200" y2="10" stroke="#4f5d68" marker-end="url(#arrow)"/>'
    '<text x="20" y="60" font-size="16">Median &amp; runs</text></svg>'
)


def write_module(tmp_path, svg=SVG, locales=("en", "es", "pt_BR"), yaml_text=None):
    folder = tmp_path / "09-run-charts"
    (folder / "figures").mkdir(parents=True)
    (folder / "figures.yaml").write_text(
        yaml_text
        or "- id: anatomy\n"
        "  alt: {en: A run chart, es: Un gráfico de corrida, pt_BR: Um gráfico de execução}\n"
        "  caption: {en: Parts of a run chart, es: Partes de un gráfico, pt_BR: Partes de um gráfico}\n",
        encoding="utf-8",
    )
    for locale in locales:
        (folder / "figures" / f"anatomy.{locale}.svg").write_text(svg, encoding="utf-8")
    return folder


# --- references -------------------------------------------------------------------------------------


def test_refs_are_lines_of_their_own_in_order():
    text = (
        "Intro\n\n[figure: run-chart-anatomy]\n\nSee [figure: inline] here.\n"
        "    [figure: indented]\n```\n[figure: in-code]\n```\n[figure: Bad Slug]\n[figure:  pdsa-ramp ]\n"
    )
    assert figure_refs(text) == ["run-chart-anatomy", "pdsa-ramp"]


def test_no_refs_in_plain_text():
    assert figure_refs("## Heading\n\nA [link](https://example.org) and [a note].\n") == []


# --- loading ----------------------------------------------------------------------------------------


def test_loads_the_locale_asked_for(tmp_path):
    folder = write_module(tmp_path)
    figures = module_figures(folder, "es")
    assert list(figures) == ["anatomy"]
    figure = figures["anatomy"]
    assert isinstance(figure, Figure)
    assert (figure.alt, figure.caption) == ("Un gráfico de corrida", "Partes de un gráfico")
    assert figure.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200" role="img"')
    assert 'aria-labelledby="fig-09-run-charts-anatomy"' in figure.svg
    assert '<title id="fig-09-run-charts-anatomy">Un gráfico de corrida</title>' in figure.svg
    assert "Old title" not in figure.svg and 'width="640"' not in figure.svg
    # its own ids are prefixed, and references follow them
    assert 'id="fig-09-run-charts-anatomy_arrow"' in figure.svg
    assert 'marker-end="url(#fig-09-run-charts-anatomy_arrow)"' in figure.svg
    assert "Median &amp; runs" in figure.svg


def test_a_module_without_figures_has_none(tmp_path):
    assert module_figures(tmp_path, "en") == {}


def test_a_missing_translation_is_an_error_not_a_fallback(tmp_path):
    folder = write_module(tmp_path, locales=("en", "es"))
    assert module_figures(folder, "es")
    with pytest.raises(FigureError) as error:
        module_figures(folder, "pt_BR")
    assert error.value.path.name == "anatomy.pt_BR.svg"


def test_missing_alt_text_names_figures_yaml(tmp_path):
    folder = write_module(tmp_path, yaml_text="- id: anatomy\n  alt: {en: A chart}\n  caption: {en: C, es: C}\n")
    with pytest.raises(FigureError) as error:
        module_figures(folder, "es")
    assert error.value.path.name == "figures.yaml" and "es alt" in error.value.message


def test_an_unsafe_drawing_names_its_file(tmp_path):
    folder = write_module(tmp_path, svg=SVG.replace("<defs>", "<script>alert(1)</script><defs>"))
    with pytest.raises(FigureError) as error:
        module_figures(folder, "en")
    assert error.value.path.name == "anatomy.en.svg" and "script" in error.value.message


# --- sanitizing hostile SVG -------------------------------------------------------------------------


def svg(inner: str, root_attributes: str = "") -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200"{root_attributes}>{inner}</svg>'.encode()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (svg("<script>alert(1)</script>"), "<script>"),
        (svg("", ' onload="alert(1)"'), "event handler"),
        (svg('<rect width="1" height="1" onclick="alert(1)"/>'), "event handler"),
        (svg('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>'), "foreignObject"),
        (svg('<use href="https://evil.example/x.svg#a"/>'), "inside the drawing"),
        (
            svg('<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="javascript:alert(1)"/>'),
            "inside the drawing",
        ),
        (svg('<image href="data:image/png;base64,AAAA"/>'), "<image>"),
        (svg('<a href="https://evil.example"><text font-size="16">x</text></a>'), "<a>"),
        (svg('<rect style="fill: url(https://evil.example/x)"/>'), "style attribute"),
        (svg("<style>rect { fill: url(https://evil.example/x) }</style>"), "<style>"),
        (svg('<rect fill="url(https://evil.example/p#g)"/>'), "inside the drawing"),
        (svg('<animate attributeName="href" to="javascript:alert(1)"/>'), "<animate>"),
        (svg('<set attributeName="onmouseover" to="alert(1)"/>'), "<set>"),
        (svg('<rect fill="url(#nowhere)"/>'), "does not define"),
        (svg('<text font-size="9">tiny</text>'), "at least"),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg" '
            b'viewBox="0 0 1 1"><text>&x;</text></svg>',
            "entities",
        ),
        (
            b'<!DOCTYPE svg SYSTEM "http://evil.example/x.dtd"><svg xmlns="http://www.w3.org/2000/svg" '
            b'viewBox="0 0 1 1"/>',
            "DTD",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "viewBox"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 10"/>', "viewBox"),
        (b"<svg viewBox='0 0 1 1'/>", "xmlns"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><rect>", "well-formed"),
        (svg("<g>" + "x" * MAX_SVG_BYTES + "</g>"), "at most"),
    ],
)
def test_hostile_or_broken_svg_is_refused(data, reason):
    with pytest.raises(SvgRejected) as error:
        sanitize_svg(data, "fig-m-f", "Alt")
    assert reason.lower() in str(error.value).lower()


def test_billion_laughs_is_refused_before_expansion():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 9)
        )
        + b']><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&lol8;</text></svg>'
    )
    with pytest.raises(SvgRejected):
        sanitize_svg(laughs, "fig-m-f", "Alt")


def test_alt_text_is_escaped():
    out = sanitize_svg(svg(""), "fig-m-f", '<script>alert("x")</script>')
    assert "<script" not in out and "&lt;script&gt;" in out


def test_text_content_is_escaped_and_comments_dropped():
    out = sanitize_svg(svg('<!-- secret --><text font-size="16">a &lt;b&gt; &amp; c</text>'), "fig-m-f", "Alt")
    assert "secret" not in out and "a &lt;b&gt; &amp; c" in out


# --- placing ----------------------------------------------------------------------------------------


def test_placing_replaces_the_paragraph_once_per_figure():
    figure = Figure("a", "Alt", "Caption", "<svg/>")
    html = "<p>x</p>\n<p>[figure: a]</p>\n<p>[figure: a]</p>\n<p>[figure: unknown]</p>"
    out = place_figures(html, {"a": figure}, lambda n, f: f"<figure>{n}{f.svg}</figure>")
    assert out == "<p>x</p>\n<figure>1<svg/></figure>\n\n"


def test_the_faculty_manual_lists_a_slide_s_bullets_without_its_figure_line():
    from pathlib import Path

    from qtp.catalog.content import load_content
    from qtp.licensing.bundles.manual import _module

    root = Path(__file__).resolve().parents[2] / "courses"
    program = next(p for p in load_content(root, ("en", "es", "pt_BR")).programs if p.slug == "six-month")
    module = next(m for m in program.modules if m.slug == "06-process-mapping-sipoc")
    assert "[figure: current-state-map]" in (root / "six-month" / module.slug / "slides.es.md").read_text()
    manual = _module(program, module, "es", {})
    bullets = [b for slide in manual.slides for b in slide.bullets]
    assert bullets and not any("[figure:" in b for b in bullets)
