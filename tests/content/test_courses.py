"""Every real content file in courses/ is valid, complete and current (parametrized per module)."""

from functools import cache
from pathlib import Path

import pytest

from qtp.catalog.content import MIN_SLIDES, load_content

ROOT = Path(__file__).resolve().parents[2] / "courses"
LOCALES = ("en", "es", "pt_BR")
MODULE_FOLDERS = sorted(p.parent for p in ROOT.glob("*/*/module.yaml"))


@cache
def content():
    return load_content(ROOT, LOCALES)


def test_both_programs_are_present():
    slugs = {p.slug: p for p in content().programs}
    assert {"six-month", "one-day"} <= set(slugs)
    assert len(slugs["six-month"].modules) >= 12
    assert len(slugs["one-day"].modules) >= 5


def test_program_files_have_no_problem():
    problems = [str(p) for p in content().problems if p.path.endswith("program.yaml")]
    assert problems == []


def test_six_month_program_has_three_learning_sessions_coaching_and_a_self_assessment():
    program = next(p for p in content().programs if p.slug == "six-month")
    assert len(program.config["learning_sessions"]) == 3
    assert program.config["coaching_calls"]["every_days"] == 30
    assert len(program.config["self_assessment"]["topics"]) >= 10
    assert [p["id"] for p in program.config["phases"]] == ["pre-work", "planning", "implementation", "sustain-spread"]


def test_one_day_agenda_covers_every_module_in_order():
    program = next(p for p in content().programs if p.slug == "one-day")
    scheduled = [item["module"] for item in program.config["agenda"] if item["module"]]
    assert scheduled == [m.slug for m in program.modules]


@pytest.mark.parametrize("folder", MODULE_FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_module_is_valid_complete_and_current(folder):
    prefix = f"courses/{folder.parent.name}/{folder.name}/"
    problems = [str(p) for p in content().problems if p.path.startswith(prefix)]
    assert problems == []
    program = next(p for p in content().programs if p.slug == folder.parent.name)
    module = next(m for m in program.modules if m.slug == folder.name)
    assert {t.status for loc, t in module.texts.items() if loc != "en"} == {"current"}
    for text in module.texts.values():
        assert len(text.slides) >= MIN_SLIDES
        assert all(slide.notes for slide in text.slides)
        assert set(text.questions) == {q["id"] for q in module.questions}


def test_all_twelve_worksheet_types_are_defined_in_every_language():
    types = {t.slug: t for t in content().worksheet_types}
    assert list(types) == [
        "charter", "aim", "roster", "sipoc", "process-map", "fishbone", "pareto", "driver-diagram", "measures",
        "pdsa", "sustainability", "storyboard",
    ]  # fmt: skip
    assert types["measures"].repeatable and types["pdsa"].repeatable and not types["charter"].repeatable
    for worksheet in types.values():
        assert set(worksheet.statuses.values()) <= {"source", "current"}, worksheet.slug
        assert worksheet.rubric, worksheet.slug


def test_modules_introduce_every_worksheet_type():
    introduced = {kind for p in content().programs for m in p.modules for kind in m.worksheets}
    assert introduced == {t.slug for t in content().worksheet_types}
