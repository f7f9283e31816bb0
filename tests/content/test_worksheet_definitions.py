"""Worksheet definitions: validated with file:line problems, indexed by the sync, every real one valid."""

from pathlib import Path

import pytest
import yaml

from qtp.catalog.content import load_content
from qtp.catalog.models import WorksheetType
from qtp.catalog.sync import sync_content
from tests.content.builder import write_program
from tests.content.worksheet_builder import write_worksheets

LOCALES = ("en", "es", "pt_BR")


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "courses"
    write_program(root)
    write_worksheets(root)
    return root


def problems(tree: Path) -> list[str]:
    return [str(p) for p in load_content(tree, LOCALES).problems]


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_valid_definitions_load(tree):
    content = load_content(tree, LOCALES)
    assert content.problems == []
    charter = next(t for t in content.worksheet_types if t.slug == "charter")
    assert [f["id"] for f in charter.fields] == ["title", "aim", "members"]
    assert charter.fields[2]["fields"][1]["choices"] == ["leader", "core"]
    assert charter.texts["es"]["fields"]["members"]["fields"]["role"]["choices"]["core"] == "core [es]"
    assert charter.statuses == {"en": "source", "es": "current", "pt_BR": "current"}


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["fields"].append({"id": "x", "kind": "colour"}), "field x: kind must be one of"),
        (lambda d: d["fields"].append({"id": "Bad Id", "kind": "text"}), "each field needs a valid id"),
        (lambda d: d["fields"][1].update({"from": "aim.nothing"}), "'aim' has no field 'nothing'"),
        (lambda d: d["fields"][1].update({"from": "ghost.statement"}), "no worksheet type 'ghost'"),
        (
            lambda d: d["fields"][2]["fields"].append({"id": "sub", "kind": "group", "fields": []}),
            "kind must be one of",
        ),
        (lambda d: d["fields"][2].update({"min": 5, "max": 2}), "min is above max"),
        (lambda d: d.update({"rubric": []}), "needs a rubric"),
        (lambda d: d["fields"].append({"id": "pick", "kind": "select"}), "a select needs choices"),
        (lambda d: d["fields"].append({"id": "idea", "kind": "link", "from": "aim"}), "from must be <worksheet type>."),
        (
            lambda d: d["fields"].append({"id": "idea", "kind": "link", "from": "aim.statement"}),
            "'aim' has no group 'statement' with codes",
        ),
        (lambda d: d["fields"].append({"id": "ideas", "kind": "records", "from": "aim"}), "'aim' is not repeatable"),
        (
            lambda d: d["fields"][2]["fields"].append({"id": "feeds", "kind": "codes", "from": "ghost"}),
            "field feeds: 'ghost' is not another group with codes",
        ),
        (
            lambda d: d["fields"][2]["fields"].append({"id": "feeds", "kind": "codes", "from": "members"}),
            "field feeds: 'members' is not another group with codes",
        ),
        (
            lambda d: d["fields"][2]["fields"].append({"id": "feeds", "kind": "codes", "from": "Not an id"}),
            "field feeds: from must be the id of a group with codes",
        ),
        (
            lambda d: d["fields"].append({"id": "feeds", "kind": "codes", "from": "members"}),
            "field feeds: a codes field belongs in a group",
        ),
        (
            lambda d: d["fields"].append({"id": "ideas", "kind": "records", "from": "ghost"}),
            "no worksheet type 'ghost'",
        ),
    ],
)
def test_structure_problems_are_reported_with_their_file(tree, change, expected):
    edit(tree / "worksheets" / "charter.yaml", change)
    found = [p for p in problems(tree) if expected in p]
    assert found, problems(tree)
    assert found[0].startswith("courses/worksheets/charter")


def test_labels_must_match_the_definition(tree):
    edit(tree / "worksheets" / "aim.pt_BR.yaml", lambda d: d["fields"]["direction"]["choices"].pop("decrease"))
    assert any("label exactly the choices" in p and "aim.pt_BR.yaml" in p for p in problems(tree))


def test_rubric_levels_must_all_have_texts(tree):
    edit(tree / "worksheets" / "aim.es.yaml", lambda d: d["rubric"]["smart"]["levels"].pop(4))
    assert any("give a text for levels 1 to 4" in p for p in problems(tree))


def test_stale_worksheet_translation_is_a_warning(tree):
    path = tree / "worksheets" / "aim.en.yaml"
    edit(path, lambda d: d.update({"title": "Aim statement, revised"}))
    assert any("stale translation" in p and "aim.es.yaml" in p for p in problems(tree))


def test_unknown_worksheet_file_and_undefined_module_worksheet(tree):
    (tree / "worksheets" / "horoscope.yaml").write_text("position: 3\n")
    assert any("unknown worksheet type 'horoscope'" in p for p in problems(tree))
    (tree / "worksheets" / "horoscope.yaml").unlink()
    for name in ("aim.yaml", "aim.en.yaml", "aim.es.yaml", "aim.pt_BR.yaml"):
        (tree / "worksheets" / name).unlink()
    assert any("worksheet type 'aim' has no definition" in p for p in problems(tree))


def test_sync_indexes_worksheet_types_and_resync_is_unchanged(session, tree):
    result = sync_content(session, tree, LOCALES)
    session.commit()
    assert result.worksheet_types == 2
    charter = session.query(WorksheetType).filter_by(slug="charter").one()
    assert charter.text("pt_BR")["title"] == "Title [pt_BR]" and charter.text("fr")["title"] == "Title"
    assert sync_content(session, tree, LOCALES).unchanged
    edit(tree / "worksheets" / "aim.yaml", lambda d: d.update({"position": 3}))
    assert sync_content(session, tree, LOCALES).worksheet_types == 1
