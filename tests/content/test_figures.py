"""Module figures in `content check` and `content sync`: every placement names a figure of figures.yaml,
every figure has its three safe drawings and texts, a broken one is an error naming its file, and the
figures reach the database with the module's version."""

from pathlib import Path

import pytest
from sqlalchemy import select

from qtp.catalog.models import Module, ModuleText
from qtp.catalog.sync import ContentInvalid, sync_content
from tests.content.builder import (
    FIGURE_SVG,
    LOCALES,
    WORDS,
    figure_lesson,
    only,
    problems,
    write_figure,
    write_locale,
    write_program,
)


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "courses"
    write_program(root)
    write_figure(root / "test-program" / "02-aims")
    return root


def folder_of(tree: Path) -> Path:
    return tree / "test-program" / "02-aims"


def relocalize(tree: Path, body: str, locales=LOCALES) -> None:
    for locale in locales:
        write_locale(folder_of(tree), locale, body)


def test_a_module_with_figures_is_valid(tree):
    assert problems(tree) == []


def test_an_unsafe_drawing_is_an_error_naming_the_file(tree):
    path = folder_of(tree) / "figures" / "anatomy.es.svg"
    path.write_text(FIGURE_SVG.format(word="x").replace("<line", '<line onload="alert(1)"'), encoding="utf-8")
    problem = only(tree, "event handler")
    assert problem.startswith("courses/test-program/02-aims/figures/anatomy.es.svg:1: unsafe or broken figure")


@pytest.mark.parametrize(
    ("drawing", "fragment"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>x</script></svg>', "<script>"),
        ('<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', "entities"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "viewBox"),
        ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><rect', "well-formed"),
    ],
)
def test_a_broken_drawing_is_reported(tree, drawing, fragment):
    (folder_of(tree) / "figures" / "anatomy.pt_BR.svg").write_text(drawing, encoding="utf-8")
    assert only(tree, fragment).startswith("courses/test-program/02-aims/figures/anatomy.pt_BR.svg:1:")


def test_a_missing_drawing_is_an_error(tree):
    (folder_of(tree) / "figures" / "anatomy.pt_BR.svg").unlink()
    assert only(tree, "missing pt_BR drawing").startswith("courses/test-program/02-aims/figures/anatomy.pt_BR.svg:1:")


def test_missing_alt_or_caption_text_is_an_error(tree):
    (folder_of(tree) / "figures.yaml").write_text(
        "- id: anatomy\n  alt: {en: A chart, es: Un gráfico}\n  caption: {en: C, es: C, pt_BR: ''}\n", encoding="utf-8"
    )
    assert only(tree, "no pt_BR alt").startswith("courses/test-program/02-aims/figures.yaml:1:")
    assert only(tree, "no pt_BR caption")


def test_an_unknown_figure_is_reported_with_its_line(tree):
    relocalize(tree, figure_lesson("[figure: anatomi]"))
    problem = only(tree, "'anatomi' is not in figures.yaml")
    path, line, _ = problem.split(":", 2)
    assert path == "courses/test-program/02-aims/en.md"
    lines = (folder_of(tree) / "en.md").read_text().splitlines()
    assert lines[int(line) - 1] == "[figure: anatomi]"


def test_placements_must_be_lines_of_their_own_with_space_around(tree):
    relocalize(tree, figure_lesson("As [figure: anatomy] shows."))
    assert only(tree, "on a line of its own")
    relocalize(tree, figure_lesson("Text right above.\n[figure: anatomy]"))
    assert only(tree, "blank line before and after")


def test_a_figure_placed_twice_in_a_lesson_is_an_error(tree):
    relocalize(tree, figure_lesson("[figure: anatomy]\n\nMore.\n\n[figure: anatomy]"))
    assert only(tree, "placed twice")


def test_slides_may_place_figures_of_the_module(tree):
    path = folder_of(tree) / "slides.en.md"
    path.write_text(path.read_text().replace("## Slide 0\n\n", "## Slide 0\n\n[figure: anatomi]\n\n", 1))
    assert only(tree, "'anatomi' is not in figures.yaml").startswith("courses/test-program/02-aims/slides.en.md:")


def test_a_figure_in_a_document_without_figures_is_an_error(tree):
    from tests.content.builder import write_faculty_guide

    folder = tree / "test-program"
    write_faculty_guide(folder, "en", "## The program\n\n" + WORDS * 30 + "\n\n[figure: anatomy]\n")
    assert only(tree, "lessons and slides only").startswith("courses/test-program/faculty.en.md:")


def test_sync_stores_each_language_s_figures_with_the_module_version(app, session, tree):
    sync_content(session, tree, LOCALES)
    module = session.scalar(select(Module).where(Module.slug == "02-aims"))
    texts = {t.locale: t for t in session.scalars(select(ModuleText).where(ModuleText.module_id == module.id))}
    assert texts["es"].figures["anatomy"]["alt"] == "Un gráfico de tendencia con su mediana"
    assert "Mediana" in texts["es"].figures["anatomy"]["source"]
    assert texts["en"].figures["anatomy"]["prefix"] == "fig-02-aims-anatomy"
    version = module.content_hash
    path = folder_of(tree) / "figures" / "anatomy.es.svg"
    path.write_text(FIGURE_SVG.format(word="Mediana nueva"), encoding="utf-8")
    result = sync_content(session, tree, LOCALES)
    assert result.modules_updated == 1
    session.refresh(module)
    assert module.content_hash != version
    assert "Mediana nueva" in next(t for t in module.texts if t.locale == "es").figures["anatomy"]["source"]


def test_a_broken_figure_loads_nothing(app, session, tree):
    (folder_of(tree) / "figures" / "anatomy.en.svg").write_text("<svg", encoding="utf-8")
    with pytest.raises(ContentInvalid):
        sync_content(session, tree, LOCALES)
    assert session.scalar(select(Module).where(Module.slug == "02-aims")) is None


def test_a_drawing_of_no_listed_figure_is_an_error(tree):
    (folder_of(tree) / "figures" / "old-sketch.en.svg").write_text("<svg", encoding="utf-8")
    assert only(tree, "not a drawing of figures.yaml").startswith(
        "courses/test-program/02-aims/figures/old-sketch.en.svg:1:"
    )
