"""A lesson's outline: its `## ` sections, anchored in the page in the same order."""

from qtp.catalog.files import anchored_sections, outline, render_markdown


def test_sections_are_anchored_and_listed_in_order_with_plain_text():
    html = render_markdown("Intro\n\n## First *step*\n\ntext\n\n### Detail\n\n## Second & last\n\nmore")
    assert outline(html) == [("section-1", "First step"), ("section-2", "Second & last")]
    anchored = anchored_sections(html)
    assert '<h2 id="section-1">First <em>step</em></h2>' in anchored
    assert '<h2 id="section-2">Second &amp; last</h2>' in anchored
    assert "<h3>Detail</h3>" in anchored  # only section headings get anchors


def test_a_lesson_without_sections_has_no_outline():
    assert outline(render_markdown("Just a paragraph.")) == []
    assert outline("") == []


def test_raw_html_in_stored_lessons_is_cleaned_before_anchoring(app):
    from qtp.core.templating import _lesson

    html = '<h2 onclick="x()">Bad</h2><script>alert(1)</script>'
    assert outline(html) == [("section-1", "Bad")]
    with app.test_request_context():
        shown = str(_lesson(html))
    assert shown == '<h2 id="section-1">Bad</h2>'  # the lesson filter sanitizes, then anchors
