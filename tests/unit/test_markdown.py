"""Lesson Markdown is rendered, then sanitized with an allow-list: nothing active survives."""

import pytest

from qtp.catalog.files import parse_slides, render_markdown, scrollable_tables


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        '"><script>alert(1)</script>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "![x](javascript:alert(1))",
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_nothing_executable_survives(source):
    html = render_markdown(source).lower()
    assert "<script" not in html and "<svg" not in html and "<iframe" not in html
    assert "onerror=" not in html.replace("&lt;", "") or "<img" not in html
    assert 'href="javascript' not in html and 'src="javascript' not in html


def test_teaching_markup_is_kept():
    html = render_markdown(
        "## Aim\n\n**Increase** *calls* [guide](https://example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> note\n"
    )
    assert "<h2>Aim</h2>" in html and "<strong>Increase</strong>" in html and "<em>calls</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">guide</a>' in html
    assert "<table>" in html and "<blockquote>" in html


def test_template_syntax_in_content_stays_text():
    assert "{{7*7}}" in render_markdown("{{7*7}}")


def test_slides_are_parsed_with_bullets_and_notes():
    outline = parse_slides("## One\n\n- a\n- b\n\nNotes:\nSay it.\nTwice.\n\n## Two\n\n- c\n", 5)
    assert [s.title for s in outline.slides] == ["One", "Two"]
    assert outline.slides[0].bullets == ["a", "b"] and outline.slides[0].notes == "Say it. Twice."
    assert outline.slides[0].line == 5
    assert outline.problems == [(14, "slide 'Two' has no facilitator notes ('Notes:')")]


def test_each_table_scrolls_in_a_named_region_a_keyboard_can_reach():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\ntext\n\n| c |\n|---|\n| 3 |\n")
    wrapped = scrollable_tables(html, lambda n: f'Table {n} "<x>"')
    assert wrapped.count('role="region" tabindex="0"') == 2
    assert 'aria-label="Table 1 &quot;&lt;x&gt;&quot;"><table>' in wrapped  # the name is escaped
    assert 'aria-label="Table 2 &quot;&lt;x&gt;&quot;"><table>' in wrapped
    assert wrapped.count("</table></div>") == 2
    assert scrollable_tables("<p>No table</p>", str) == "<p>No table</p>"


def test_a_table_written_as_text_is_not_wrapped():
    html = render_markdown("Write `<table>` in code, or &lt;table&gt; as text.")
    assert scrollable_tables(html, str) == html


def test_table_alignment_becomes_classes_the_csp_allows():
    from qtp.catalog.files import aligned_cells

    html = aligned_cells(render_markdown("| n | Runs |\n|---:|:---:|\n| 10 | 3–9 |\n"))
    assert "style=" not in html
    assert '<th class="align-right">n</th>' in html and '<td class="align-center">3–9</td>' in html


def test_a_spaced_percent_never_wraps_before_its_sign():
    html = render_markdown("Subió del 48 % al 75 %.")
    assert html == "<p>Subió del 48&nbsp;% al 75&nbsp;%.</p>\n"
