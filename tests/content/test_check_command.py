"""`qtp content check` names the file and line of every problem and exits non-zero; sync loads nothing."""

from pathlib import Path

import pytest
import yaml

from qtp.catalog.sync import ContentInvalid, sync_content
from tests.content.builder import only, problems, sha, write_locale, write_program

LOCALES = ("en", "es", "pt_BR")


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "courses"
    write_program(root)
    return root


def module_dir(tree: Path, slug: str = "02-aims") -> Path:
    return tree / "test-program" / slug


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_invalid_yaml_names_the_line(tree):
    path = module_dir(tree) / "module.yaml"
    lines = path.read_text().splitlines()
    lines.insert(2, "minutes: [unclosed")
    path.write_text("\n".join(lines) + "\n")
    problem = only(tree, "invalid YAML")
    assert problem.startswith("courses/test-program/02-aims/module.yaml:")
    assert int(problem.split(":")[1]) in (3, 4)


def test_unknown_phase(tree):
    edit_yaml(module_dir(tree) / "module.yaml", lambda d: d.update(phase="nowhere"))
    assert only(tree, "phase must be one of").startswith("courses/test-program/02-aims/module.yaml:1:")


def test_answer_key_must_name_options(tree):
    def change(d):
        d["questions"][0]["answer"] = ["z"]

    edit_yaml(module_dir(tree) / "module.yaml", change)
    problem = only(tree, "the answer must name options")
    assert problem.startswith("courses/test-program/02-aims/module.yaml:") and "q1" in problem


def test_single_choice_with_two_answers(tree):
    def change(d):
        d["questions"][0]["answer"] = ["a", "b"]

    edit_yaml(module_dir(tree) / "module.yaml", change)
    only(tree, "a single-choice question has one answer")


def test_too_few_questions_and_one_kind_only(tree):
    def change(d):
        d["questions"] = [q for q in d["questions"] if q["kind"] == "single"]

    edit_yaml(module_dir(tree) / "module.yaml", change)
    only(tree, "at least 4 questions")
    only(tree, "use both single- and multiple-choice questions")


def test_prerequisite_must_be_an_earlier_module(tree):
    edit_yaml(module_dir(tree) / "module.yaml", lambda d: d.update(prerequisites=["03-tests"]))
    only(tree, "prerequisite '03-tests' is not an earlier module")


def test_unknown_worksheet_type(tree):
    edit_yaml(module_dir(tree) / "module.yaml", lambda d: d.update(worksheets=["crystal-ball"]))
    only(tree, "unknown worksheet type 'crystal-ball'")


def test_objective_ids_must_align_in_every_language(tree):
    path = module_dir(tree) / "pt_BR.md"
    path.write_text(path.read_text().replace("apply:", "aplicar:"))
    problem = only(tree, "objectives must give a text for exactly the ids")
    assert problem.startswith("courses/test-program/02-aims/pt_BR.md:")


def test_question_ids_must_align_in_translations(tree):
    path = module_dir(tree) / "questions.es.yaml"
    path.write_text(path.read_text().replace("q4:", "q9:"))
    only(tree, "question 'q9' is not in module.yaml")
    only(tree, "question 'q4' needs a prompt")


def test_option_without_feedback(tree):
    def change(d):
        del d["questions"]["q3"]["options"]["b"]["feedback"]

    edit_yaml(module_dir(tree) / "questions.en.yaml", change)
    only(tree, "option 'b' needs a text and a feedback")


def test_missing_translation_is_reported(tree):
    (module_dir(tree) / "slides.es.md").unlink()
    assert only(tree, "missing es file").startswith("courses/test-program/02-aims/slides.es.md:1:")


def test_stale_translation_is_reported_with_the_expected_hash(tree):
    folder = module_dir(tree)
    (folder / "en.md").write_text((folder / "en.md").read_text() + "\nOne more sentence about the clinic.\n")
    problem = only(tree, "stale translation")
    assert problem.startswith("courses/test-program/02-aims/es.md:") or problem.startswith(
        "courses/test-program/02-aims/pt_BR.md:"
    )
    assert sha(folder / "en.md") in problem


def test_external_absolute_and_local_images_are_refused(tree):
    folder = module_dir(tree)
    (folder / "map.png").write_bytes(b"\x89PNG")
    body = "## Pictures\n\n![map](https://example.org/map.png)\n\n![map](/etc/map.png)\n\n![map](map.png)\n\n"
    write_locale(folder, "en", body=body + "word " * 700)
    external = [p for p in problems(tree) if "external and absolute links are not allowed" in p]
    assert len(external) == 2
    line = (folder / "en.md").read_text().splitlines().index("![map](https://example.org/map.png)") + 1
    assert external[0].startswith(f"courses/test-program/02-aims/en.md:{line}:")
    only(tree, "Markdown images are not supported")


def test_raw_html_is_refused(tree):
    write_locale(module_dir(tree), "en", body="## Hi\n\n<script>alert(1)</script>\n\n" + "word " * 700)
    only(tree, "raw HTML is not allowed")


def test_lesson_shorter_than_600_words(tree):
    write_locale(module_dir(tree), "en", body="## Short\n\nToo short.\n")
    only(tree, "at least 600")


def test_too_few_slides_and_slide_without_notes(tree):
    path = module_dir(tree) / "slides.en.md"
    path.write_text("## Only slide\n\n- One point\n")
    only(tree, "1 slides; a module needs at least 8")
    only(tree, "has no facilitator notes")


def test_translated_outline_must_keep_the_number_of_slides(tree):
    path = module_dir(tree) / "slides.es.md"
    text = path.read_text()
    path.write_text(text[: text.rindex("## ")])
    only(tree, "7 slides but the English outline has 8")


def test_module_folder_not_listed_in_the_program(tree):
    (tree / "test-program" / "04-extra").mkdir()
    (tree / "test-program" / "04-extra" / "module.yaml").write_text("phase: first\n")
    only(tree, "not listed in program.yaml")


def test_program_lists_a_module_without_folder(tree):
    edit_yaml(tree / "test-program" / "program.yaml", lambda d: d["modules"].append("09-ghost"))
    assert only(tree, "'09-ghost' has no folder").startswith("courses/test-program/program.yaml:")


def test_check_command_prints_problems_and_exits_1(app, tree, monkeypatch):
    edit_yaml(module_dir(tree) / "module.yaml", lambda d: d.update(phase="nowhere"))
    monkeypatch.setitem(app.config, "QTP_CONTENT_ROOT", str(tree))
    result = app.test_cli_runner().invoke(args=["qtp", "content", "check"])
    assert result.exit_code == 1
    assert "courses/test-program/02-aims/module.yaml:1: phase must be one of" in result.output


def test_check_command_passes_on_valid_content(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_CONTENT_ROOT", str(tree))
    result = app.test_cli_runner().invoke(args=["qtp", "content", "check"])
    assert result.exit_code == 0, result.output
    assert "ok: 1 programs, 3 modules" in result.output


def test_a_broken_file_is_never_half_loaded(app, session, tree):
    edit_yaml(module_dir(tree, "03-tests") / "module.yaml", lambda d: d.update(phase="nowhere"))
    with pytest.raises(ContentInvalid) as error:
        sync_content(session, tree, LOCALES)
    assert any("03-tests" in p.path for p in error.value.errors)
    from qtp.catalog.models import Module, Program

    assert session.query(Program).count() == 0 and session.query(Module).count() == 0


def test_unquoted_numeric_hash_is_reported(tree):
    path = module_dir(tree) / "slides.es.md"
    text = path.read_text()
    start = text.index("source_sha:")
    end = text.index("\n", start)
    path.write_text(text[:start] + "source_sha: 1234567890123456" + text[end:])
    assert "write source_sha in quotes" in only(tree, "source_sha")


def test_completion_rule_and_required_worksheets_are_checked(tree):
    from tests.content.worksheet_builder import write_worksheets

    write_worksheets(tree)
    program = tree / "test-program" / "program.yaml"
    edit_yaml(program, lambda d: d.update(completion=["modules", "attendance"]))
    assert only(tree, "unknown completion condition 'attendance'").startswith("courses/test-program/program.yaml:")
    edit_yaml(program, lambda d: d.update(completion="modules"))
    assert "completion must be a list of conditions" in only(tree, "completion must be a list")
    edit_yaml(program, lambda d: d.update(completion=["modules"], required_worksheets=[{"type": "nope", "due_day": 3}]))
    assert "required worksheet 'nope' has no definition" in only(tree, "required worksheet 'nope'")
    edit_yaml(
        program, lambda d: d.update(required_worksheets=[{"type": "aim", "due_day": 3}, {"type": "aim", "due_day": 9}])
    )
    assert "listed twice" in only(tree, "listed twice")
