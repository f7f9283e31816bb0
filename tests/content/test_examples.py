"""Worked-example files (examples/<slug>.yaml) and the slides that draw them with `[chart: slug]`: a valid
example loads, and each kind of mistake is reported by `content check` with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from qtp.catalog.content import load_content
from tests.content.builder import LOCALES, only, problems, sha, write_program

EXAMPLE = """chart: run
scale: proportion
baseline: 6
target: 80
title: {en: Calls returned, es: Llamadas devueltas, pt_BR: Ligações retornadas}
unit: {en: "% of calls", es: "% de llamadas", pt_BR: "% das ligações"}
points:
  - {period: 2026-01-05, value: 46}
  - {period: 2026-01-12, value: 51}
  - {period: 2026-01-19, value: 44}
  - {period: 2026-01-26, numerator: 29, denominator: 60}
  - {period: 2026-02-02, value: 47}
  - {period: 2026-02-09, value: 52}
  - {period: 2026-02-16, value: 60}
  - {period: 2026-02-23, value: 64}
cycles:
  - {number: 1, start: 2026-02-10}
"""


def chart_slide(module: Path, slug: str, locales=LOCALES) -> None:
    """A slide drawing `[chart: slug]` at the end of the outline, in `locales` (translations kept current)."""
    for locale in locales:
        path = module / f"slides.{locale}.md"
        path.write_text(
            path.read_text("utf-8") + f"## The chart [{locale}]\n\n[chart: {slug}]\n\n- What it shows\n\n"
            f"Notes:\nRead the chart [{locale}].\n",
            "utf-8",
        )
    for locale in LOCALES[1:]:
        path = module / f"slides.{locale}.md"
        text = path.read_text("utf-8").split("\n")
        text[2] = f'source_sha: "{sha(module / "slides.en.md")}"'
        path.write_text("\n".join(text), "utf-8")


@pytest.fixture
def module(tmp_path) -> Path:
    root = tmp_path / "courses"
    write_program(root)
    folder = root / "test-program" / "01-basics"
    (folder / "examples").mkdir()
    (folder / "examples" / "calls.yaml").write_text(EXAMPLE, "utf-8")
    chart_slide(folder, "calls")
    return folder


def test_a_valid_example_loads_with_its_points_cycles_and_words(module):
    assert problems(module.parents[1]) == []
    (program,) = load_content(module.parents[1], LOCALES).programs
    basics = program.modules[0]
    example = basics.examples["calls"]
    assert example.chart == "run" and example.baseline == 6 and example.target == 80
    assert [round(p.value, 3) for p in example.points][:4] == [0.46, 0.51, 0.44, 0.483], "percentages as fractions"
    assert example.title("es") == "Llamadas devueltas" and example.unit("pt_BR") == "% das ligações"
    assert example.cycles[0].number == 1
    last = basics.texts["es"].slides[-1]
    assert [(v.kind, v.slug) for v in last.visuals] == [("chart", "calls")] and last.bullets == ["What it shows"]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("scale: proportion", "scale: percent"), 2, "scale must be one of"),
        (("chart: run", "chart: u"), 1, "chart must be one of run, p, xmr"),
        (("{period: 2026-01-12, value: 51}", "{period: 2026-01-01, value: 51}"), 9, "in time order"),
        (("{period: 2026-01-19, value: 44}", "{period: 2026-01-19, value: 144}"), 10, "a percentage, 0 to 100"),
        (("{period: 2026-01-19, value: 44}", "{period: 2026-01-19, value: many}"), 10, "needs a value"),
        (("numerator: 29, denominator: 60", "numerator: 61, denominator: 60"), 11, "cannot exceed its denominator"),
        (("start: 2026-02-10", "start: 2027-01-01"), 17, "starts outside the charted periods"),
        (("baseline: 6", "baseline: 40"), 3, "baseline must be a whole number from 2 to 8"),
        (("es: Llamadas devueltas, ", ""), 5, "title has no es text"),
        (("  - {period: 2026-02-23, value: 64}\n", "  - [2026-02-23, 64]\n"), 7, "a point is a mapping"),
    ],
)
def test_content_check_names_the_file_and_line_of_a_broken_example(module, change, line, message):
    path = module / "examples" / "calls.yaml"
    path.write_text(EXAMPLE.replace(*change), "utf-8")
    assert only(module.parents[1], message).startswith(f"courses/test-program/01-basics/examples/calls.yaml:{line}:")


def test_a_p_chart_needs_numerators_and_denominators(module):
    path = module / "examples" / "calls.yaml"
    path.write_text(EXAMPLE.replace("chart: run", "chart: p").replace("baseline: 6\n", ""), "utf-8")
    assert "a p chart needs a numerator and a denominator" in only(module.parents[1], "p chart")


def test_a_yaml_syntax_error_and_a_badly_named_file_are_reported(module):
    (module / "examples" / "calls.yaml").write_text("chart: [run\n", "utf-8")
    (module / "examples" / "Bad Name.yml").write_text("chart: run\n", "utf-8")
    assert "examples/calls.yaml:" in only(module.parents[1], "invalid YAML")
    assert "Bad Name.yml:1:" in only(module.parents[1], "<slug>.yaml")


def test_a_slide_must_name_an_existing_example(module):
    chart_slide(module, "missing")
    found = only(module.parents[1], "[chart: missing]")
    assert found.startswith("courses/test-program/01-basics/slides.en.md:") and "no examples/missing.yaml" in found


def test_a_translation_that_draws_another_chart_is_refused(module):
    path = module / "slides.es.md"
    path.write_text(path.read_text("utf-8").replace("- What it shows", "- What it shows\n[figure: other]"), "utf-8")
    assert "slides.es.md" in only(module.parents[1], "one chart or figure per slide")
    path.write_text(path.read_text("utf-8").replace("[chart: calls]\n", "").replace("[figure: other]", ""), "utf-8")
    assert "slides.es.md" in only(module.parents[1], "same chart or figure as the English slide")
