"""Hypothesis mutates the files of a small valid course tree (tests/content/builder.py, with worksheet
definitions): values of the wrong type, deleted or unknown keys, deleted, duplicated or garbled lines, broken
front matter and Markdown, bytes that are not UTF-8. The loader behind `qtp content check` either accepts the
tree or reports problems naming a file of the tree; it never raises (KeyError, TypeError, AttributeError...).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from qtp.catalog.content import load_content
from qtp.catalog.content_base import Reporter
from qtp.catalog.content_language import check_language
from tests.content.builder import write_program
from tests.content.worksheet_builder import write_worksheets
from tests.integration.security.fuzzing import fuzz_settings

LOCALES = ("en", "es", "pt_BR")
FUZZ = fuzz_settings(30)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-content") / "courses"
    write_program(root)
    write_worksheets(root)
    return root


@pytest.fixture(scope="module")
def tree(pristine, tmp_path_factory) -> Path:
    """A working copy, each file put back after each example."""
    root = tmp_path_factory.mktemp("fuzz-content-work") / "courses"
    shutil.copytree(pristine, root)
    return root


@pytest.fixture(scope="module")
def files(pristine) -> list[str]:
    return sorted(str(p.relative_to(pristine)) for p in pristine.rglob("*") if p.is_file())


def check(root: Path) -> list[str]:
    """What `qtp content check` reports (its own calls), as `file:line: message`."""
    content = load_content(root, LOCALES)
    check_language(content, root, LOCALES, None, Reporter(root, content))
    return [str(p) for p in content.problems]


def _named(problem: str, root: Path) -> bool:
    """The problem starts with a path of the tree (relative to its parent, as the command prints)."""
    path = problem.split(":", 1)[0]
    return path.startswith(root.name + "/") or path == root.name


WEIRD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["", "  ", "00:00", "25:99", "1e309", "nan", "-0", "xx", "../x", "{{7*7}}"]),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=3),
)


def _paths(node, prefix=()):
    """Every (path, value) of a parsed YAML document, the document itself included."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _replace(document, path, change):
    if not path:
        return change(document)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    result = change(parent[path[-1]])
    if result is _DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = result
    return document


_DELETE = object()


@st.composite
def yaml_mutation(draw, text: str) -> str | None:
    """The YAML text with one value replaced by a weird one, deleted, or given an unknown key."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    paths = list(_paths(document))
    path, value = draw(st.sampled_from(paths))
    how = draw(st.sampled_from(["replace", "delete", "unknown key"]))
    if how == "delete" and path:
        document = _replace(document, path, lambda _old: _DELETE)
    elif how == "unknown key" and isinstance(value, dict):
        value[draw(st.text(min_size=1, max_size=8))] = draw(WEIRD)
    else:
        weird = draw(WEIRD)
        document = _replace(document, path, lambda _old: weird)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@st.composite
def mutation(draw, files: list[str], pristine: Path) -> tuple[str, bytes]:
    name = draw(st.sampled_from(files))
    data = (pristine / name).read_bytes()
    text = data.decode()
    lines = text.splitlines(keepends=True)
    how = draw(st.sampled_from(["yaml", "yaml", "delete line", "duplicate line", "insert line", "truncate", "bytes"]))
    if how == "yaml":
        if name.endswith(".md") and text.startswith("---\n") and "\n---\n" in text[4:]:
            front, rest = text[4:].split("\n---\n", 1)
            changed = draw(yaml_mutation(front + "\n"))
            if changed is not None:
                return name, ("---\n" + changed + "---\n" + rest).encode()
        elif name.endswith(".yaml"):
            changed = draw(yaml_mutation(text))
            if changed is not None:
                return name, changed.encode()
        how = "insert line"
    index = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
    if how == "delete line" and lines:
        del lines[index]
    elif how == "duplicate line" and lines:
        lines.insert(index, lines[index])
    elif how == "insert line":
        inserted = draw(
            st.one_of(
                st.sampled_from(
                    [
                        "---\n",
                        "zzz_unknown: 1\n",
                        "  - [\n",
                        "key: {unclosed\n",
                        "## \n",
                        "Notes:\n",
                        "[chart: nope]\n",
                        "[figure: ../../x]\n",
                        "<script>alert(1)</script>\n",
                        "```\n",
                        "&x: *y\n",
                        "\t\n",
                    ]
                ),
                st.text(max_size=30).map(lambda s: s + "\n"),
            )
        )
        lines.insert(index, inserted)
    elif how == "truncate":
        return name, data[: draw(st.integers(min_value=0, max_value=len(data)))]
    else:  # bytes that are not UTF-8 somewhere in the file
        at = draw(st.integers(min_value=0, max_value=len(data)))
        return name, data[:at] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xe2\x82", b"\x00\xfe"])) + data[at:]
    return name, "".join(lines).encode()


def test_the_valid_tree_is_accepted(pristine):
    assert check(pristine) == []


@FUZZ
@given(data=st.data())
def test_mutated_content_is_accepted_or_reported_with_its_file(pristine, tree, files, data):
    name, changed = data.draw(mutation(files, pristine))
    target = tree / name
    target.write_bytes(changed)
    try:
        problems = check(tree)  # any exception fails the example: the loader must report, not raise
    finally:
        shutil.copyfile(pristine / name, target)
    unnamed = [p for p in problems if not _named(p, tree)]
    assert not unnamed, unnamed
    try:
        changed.decode()
    except UnicodeDecodeError:
        assert any(p.startswith(f"courses/{name}:") for p in problems), (name, problems)


@pytest.mark.parametrize(
    "name",
    [
        "glossary.es.yaml",  # found by the fuzzer: UnicodeDecodeError out of the glossary reader
        "test-program/02-aims/en.md",
        "test-program/02-aims/slides.es.md",
        "test-program/faculty.pt_BR.md",
        "test-program/about.en.md",
    ],
)
def test_a_file_that_is_not_utf8_is_reported_with_its_name(pristine, tree, name):
    target = tree / name
    target.write_bytes(b"\xff" + (pristine / name).read_bytes())
    try:
        problems = check(tree)
    finally:
        shutil.copyfile(pristine / name, target)
    assert f"courses/{name}:1: not UTF-8 text" in problems, problems


def test_the_check_command_names_a_file_that_is_not_utf8(app, pristine, tree, monkeypatch):
    name = "glossary.es.yaml"
    (tree / name).write_bytes(b"\xff" + (pristine / name).read_bytes())
    monkeypatch.setitem(app.config, "QTP_CONTENT_ROOT", str(tree))
    try:
        result = app.test_cli_runner().invoke(args=["qtp", "content", "check"])
    finally:
        shutil.copyfile(pristine / name, tree / name)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), repr(result.exception)
    assert f"courses/{name}:1: not UTF-8 text" in result.output


def test_sync_refuses_a_lesson_that_is_not_utf8_and_loads_nothing(session, pristine, tree):
    from qtp.catalog.models import Program
    from qtp.catalog.sync import ContentInvalid, sync_content

    name = "test-program/03-tests/es.md"
    (tree / name).write_bytes((pristine / name).read_bytes() + b"\xc3\x28")
    try:
        with pytest.raises(ContentInvalid) as refused:
            sync_content(session, tree, LOCALES)
    finally:
        shutil.copyfile(pristine / name, tree / name)
    assert f"courses/{name}:1: not UTF-8 text" in [str(p) for p in refused.value.errors]
    assert session.query(Program).count() == 0
