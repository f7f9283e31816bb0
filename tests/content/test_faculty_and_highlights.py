"""The faculty guide and the symposium highlights package are content too: `content check` names the file and
line of each problem. The presenters' permission decides which original slides may exist at all."""

from pathlib import Path

import pytest

from qtp.catalog.content import load_content
from tests.content.builder import LOCALES, only, problems, write_faculty_guide, write_highlights, write_program


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "courses"
    write_program(root)
    write_highlights(root)
    return root


def test_the_valid_tree_has_no_problems_and_reads_every_part(tree):
    content = load_content(tree, LOCALES)
    assert content.problems == []
    (program,) = content.programs
    assert {locale: guide.status for locale, guide in program.faculty.items()} == {
        "en": "source",
        "es": "current",
        "pt_BR": "current",
    }
    assert "Aims workshop [es]" in program.faculty["es"].body_html and "<table>" in program.faculty["es"].body_html
    highlights = content.highlights
    assert [(p.id, p.permission) for p in highlights.presentations] == [
        ("consent-first", "granted"),
        ("unpublished-data", "refused"),
        ("awaiting-reply", "pending"),
    ]
    assert highlights.presentation("consent-first").abstracts["pt_BR"].title == "Abstract of consent-first [pt_BR]"


def test_the_english_guide_is_required_and_a_translation_may_fall_behind(tree):
    folder = tree / "test-program"
    (folder / "faculty.en.md").unlink()
    assert only(tree, "faculty.en.md:1: missing faculty guide")
    write_faculty_guide(folder, "en", body="## Changed\n\n" + "word " * 900)
    assert "stale translation" in only(tree, "faculty.es.md")
    assert load_content(tree, LOCALES).errors == [], "a stale translation warns; the English one is current"
    (folder / "faculty.pt_BR.md").unlink()
    content = load_content(tree, LOCALES)
    assert content.programs[0].faculty["pt_BR"].status == "missing", "the English guide stands in"


def test_a_guide_must_be_long_enough_and_start_its_headings_at_level_two(tree):
    folder = tree / "test-program"
    write_faculty_guide(folder, "en", body="## Too short\n\nOnly a few words.\n")
    assert "words; at least 800" in only(tree, "faculty.en.md:4")
    write_faculty_guide(folder, "en", body="# A top heading\n\n" + "word " * 900)
    assert "headings start at ##" in only(tree, "faculty.en.md:4")
    write_faculty_guide(folder, "en", body="## Fine\n\n<script>x</script>\n\n" + "word " * 900)
    assert "raw HTML" in only(tree, "faculty.en.md")


def test_slides_may_exist_only_where_the_presenter_granted_permission(tree):
    folder = tree / "symposium"
    (folder / "unpublished-data" / "slides.en.md").write_text("## A\n\n- b\n\nNotes:\nc\n")
    assert "may not be shared (permission refused)" in only(tree, "unpublished-data/slides.en.md:1")
    (folder / "unpublished-data" / "slides.en.md").unlink()
    (folder / "awaiting-reply" / "slides.es.md").write_text("## A\n\n- b\n\nNotes:\nc\n")
    assert "permission pending" in only(tree, "awaiting-reply/slides.es.md:1")
    (folder / "awaiting-reply" / "slides.es.md").unlink()
    (folder / "consent-first" / "slides.es.md").rename(folder / "consent-first" / "slides.en.md")
    assert "(permission granted, slides in es): remove this file" in only(tree, "consent-first/slides.en.md")
    assert "permission granted but no original slides" in only(tree, "consent-first/slides.es.md")


def test_a_decision_needs_its_date_and_note_and_pending_has_neither(tree):
    path = tree / "symposium" / "highlights.yaml"
    text = path.read_text()
    path.write_text(text.replace("  permission_note: Form signed on 14 May 2026.\n", "", 1))
    assert "permission_note must say how the presenter decided" in only(tree, "highlights.yaml")
    path.write_text(text.replace("slides_permission: pending", "slides_permission: pending\n  slides_language: en"))
    assert "a pending permission has no recorded date" in only(tree, "highlights.yaml")
    path.write_text(text.replace("slides_permission: refused", "slides_permission: maybe"))
    assert "slides_permission must be one of granted, refused, pending" in only(tree, "highlights.yaml")
    path.write_text(text.replace("  presentations:\n  - awaiting-reply", "  presentations:\n  - consent-first"))
    found = " ".join(problems(tree))
    assert "'awaiting-reply' must appear in exactly one day" in found
    assert "'consent-first' must appear in exactly one day" in found
