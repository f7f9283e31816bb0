"""The public page of each program is content: `about.<locale>.md` names its sections in order, so the site can
place the program's own data beside the right one in every language; `content check` names the file and line of
each problem, and the countries of program.yaml must be real ISO codes."""

from pathlib import Path

import pytest
import yaml

from qtp.catalog.content import load_content
from tests.content.builder import ABOUT_SECTIONS, LOCALES, WORDS, only, problems, write_about_page, write_program


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "courses"
    write_program(root)
    return root


@pytest.fixture
def folder(tree) -> Path:
    return tree / "test-program"


def _set_program(folder: Path, **changes) -> None:
    path = folder / "program.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_the_valid_page_is_read_in_every_language_with_its_sections_and_countries(tree):
    content = load_content(tree, LOCALES)
    assert content.problems == []
    (program,) = content.programs
    assert {locale: page.status for locale, page in program.pages.items()} == {
        "en": "source",
        "es": "current",
        "pt_BR": "current",
    }
    page = program.pages["es"]
    assert page.title == "The test program [es]"
    assert [section.id for section in page.sections] == ABOUT_SECTIONS
    assert page.sections[0].heading == "The format section [es]", "the heading is plain text, emphasis dropped"
    assert page.sections[0].html.startswith("<p>The team measured")
    assert program.config["countries"] == ["MX", "BR"]


def test_the_english_page_is_required_and_a_translation_may_be_missing_or_fall_behind(tree, folder):
    (folder / "about.en.md").unlink()
    assert only(tree, "about.en.md:1: missing public page")
    write_about_page(folder, "en", description="A changed description of the test program.")
    assert "stale translation" in only(tree, "about.es.md")
    assert load_content(tree, LOCALES).errors == [], "a stale translation warns only"
    (folder / "about.pt_BR.md").unlink()
    assert "the English public page of the program is used" in only(tree, "about.pt_BR.md:1")
    page = load_content(tree, LOCALES).programs[0].pages["pt_BR"]
    assert (page.status, page.title) == ("missing", "The test program"), "the English page stands in"


def test_the_sections_must_name_every_required_part_once_and_match_the_headings(tree, folder):
    write_about_page(folder, "en", sections=["format", "audience", "team", "schedule", "licensing"])
    assert "has no 'countries' section" in only(tree, "about.en.md:")
    write_about_page(folder, "en", sections=[*ABOUT_SECTIONS, "format"])
    assert "repeated id" in only(tree, "about.en.md:")
    write_about_page(folder, "en", sections=[*ABOUT_SECTIONS, "faq"])
    assert "the page has 6 ## sections; sections names 7" in only(tree, "about.en.md")
    write_about_page(folder, "en", sections="format, audience")
    assert "sections must list an id" in only(tree, "about.en.md:")


def test_a_translation_keeps_the_english_sections_in_order(tree, folder):
    write_about_page(folder, "es", sections=list(reversed(ABOUT_SECTIONS)))
    assert "sections must be the English page's" in only(tree, "about.es.md")
    assert not [p for p in problems(tree) if "about.en.md:" in p]


def test_a_page_needs_a_short_description_and_plain_markdown_from_its_first_section(tree, folder):
    write_about_page(folder, "en", description=None)
    assert "needs a description" in only(tree, "about.en.md")
    write_about_page(folder, "en", description="word " * 60)
    assert "longer than 200 characters" in only(tree, "about.en.md:")
    sections = "".join(f"## {s}\n\n{WORDS * 3}\n\n" for s in ABOUT_SECTIONS)
    write_about_page(folder, "en", body="An introduction before any section.\n\n" + sections)
    assert "starts with its first ## section" in only(tree, "about.en.md")
    write_about_page(folder, "en", body="# Title\n\n" + sections)
    assert "about.en.md" in only(tree, "headings start at ##")
    write_about_page(folder, "en", body=sections + "<script>alert(1)</script>\n")
    assert "raw HTML" in only(tree, "about.en.md")
    write_about_page(folder, "en", body="".join(f"## {s}\n\nShort.\n\n" for s in ABOUT_SECTIONS))
    assert "words; at least 300" in only(tree, "about.en.md")
    write_about_page(folder, "en", body=sections.replace("## team\n\n" + WORDS * 3, "## team\n\n"))
    assert "needs a heading and some text" in only(tree, "about.en.md")


def test_a_heading_inside_a_code_fence_does_not_start_a_section(tree, folder):
    sections = "".join(f"## {s}\n\n{WORDS * 3}\n\n" for s in ABOUT_SECTIONS)
    write_about_page(folder, "en", body=sections + "```\n## not a section\n```\n")
    assert not [p for p in problems(tree) if "about.en.md:" in p]


@pytest.mark.parametrize(
    ("countries", "message"),
    [
        (["XX"], "'XX' is not an ISO 3166 two-letter country code"),
        (["Brazil"], "'Brazil' is not an ISO 3166"),
        (["BR", "BR"], "lists a country twice"),
        ([], "countries must list the ISO 3166 codes"),
        ("BR", "countries must list the ISO 3166 codes"),
    ],
)
def test_the_countries_are_iso_codes(tree, folder, countries, message):
    _set_program(folder, countries=countries)
    assert "program.yaml" in only(tree, message)
