"""`qtp content check`'s language rules: every text of a translated language against its glossary, and the
worksheet field names that lessons, slides and faculty guides quote against the worksheets' own labels.

The text of a language is: its Markdown files (lessons, slides and notes, program pages, faculty guides,
abstracts), its YAML files (knowledge checks, worksheets and rubrics), the values under its key in the
language-neutral YAML files (program, module, figures, worked examples), the text of its SVG figures, and the
messages of its UI catalogue. Problems are warnings: a sync still loads the content, `content check` fails.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

from qtp.catalog.content_base import ContentSet, Reporter
from qtp.catalog.content_glossary import Glossary, check_text, load_glossaries
from qtp.catalog.files import ContentError, read_text

PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]+>")
SVG_TEXT = re.compile(r">([^<>]+)<")
# A Markdown list item or paragraph that starts with a bold name: how the lessons introduce a worksheet field.
BOLD_NAME = re.compile(r"^\s*(?:[-*]\s+|\d+\.\s+)?\*\*([^*]{2,80}?)[:.]?\*\*")
SKIP_LINE = re.compile(r"^\s*\[figure:")
FRONT_MATTER_CODES = frozenset({"translation_of", "source_sha", "sections", "authors"})  # ids, hashes, names


@dataclass(frozen=True)
class Segment:
    path: Path
    line: int
    text: str
    numbers: bool = True


def check_language(
    content: ContentSet, root: Path, locales: tuple[str, ...], catalogues: Path | None, report: Reporter
) -> None:
    """Add a warning for every glossary breach and every misnamed worksheet field."""
    glossaries = load_glossaries(root, locales, report)
    for locale, glossary in glossaries.items():
        for segment in segments(root, locale, locales, catalogues):
            _report(glossary, segment, report)
    for path, line, message in field_name_problems(content, root, locales):
        report.warn(path, line, message)


def _report(glossary: Glossary, segment: Segment, report: Reporter) -> None:
    for finding in check_text(glossary, segment.text, numbers=segment.numbers):
        report.warn(segment.path, segment.line + segment.text.count("\n", 0, finding.offset), finding.message)


# --- the text of a language ----------------------------------------------------------------------------------


def locale_of(path: Path, locales: tuple[str, ...]) -> str | None:
    """The language of a per-language file (`es.md`, `slides.es.md`, `aim.pt_BR.yaml`); None if neutral."""
    parts = path.name.split(".")
    return next((part for part in parts[:-1] if part in locales), None)


def segments(root: Path, locale: str, locales: tuple[str, ...], catalogues: Path | None) -> Iterator[Segment]:
    """Every text of `locale` under `root` (and in its UI catalogue); `locales` tells per-language files apart."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith("glossary."):
            continue
        language = locale_of(path, locales)
        if path.suffix == ".md" and language == locale:
            yield from _markdown(path)
        elif path.suffix == ".yaml" and language in (locale, None):
            yield from _yaml(path, None if language else locale)
        elif path.suffix == ".svg" and language == locale:
            yield from _svg(path)
    if catalogues is not None:
        yield from _catalogue(catalogues / locale / "LC_MESSAGES" / "messages.po")


def _text(path: Path) -> str:
    """The file's text; "" for a file that is not UTF-8 (the content loader reports it as an error)."""
    try:
        return read_text(path)
    except ContentError:
        return ""


def _markdown(path: Path) -> Iterator[Segment]:
    """The front matter's values (YAML: its quotes are syntax, not text), then every line of the body."""
    lines = _text(path).splitlines()
    body = 0
    if lines and lines[0] == "---" and "---" in lines[1:]:
        body = lines.index("---", 1) + 1
        try:
            node = yaml.compose("\n".join(lines[1 : body - 1]), Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            node = None  # the content loader reports it
        for segment in _scalars(path, node, inside=False, key=None, skip=FRONT_MATTER_CODES):
            yield Segment(path, segment.line + 1, segment.text)
    for number, line in enumerate(lines[body:], start=body + 1):
        if line.strip() and not SKIP_LINE.match(line):
            yield Segment(path, number, line)


def _yaml(path: Path, key: str | None) -> Iterator[Segment]:
    """Every string value of a per-language file (key None), or every string under `key` in a neutral one."""
    try:
        node = yaml.compose(_text(path), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return  # the content loader reports it
    yield from _scalars(path, node, inside=key is None, key=key)


def _scalars(
    path: Path, node: yaml.Node | None, inside: bool, key: str | None, skip: frozenset[str] = frozenset()
) -> Iterator[Segment]:
    """Every string value under `node` (all of them when `inside`, else those under a `key` entry), leaving
    out the values of the keys in `skip` (codes, not text)."""
    if isinstance(node, yaml.ScalarNode):
        if inside and node.tag.endswith(":str") and node.value.strip():
            yield Segment(path, node.start_mark.line + 1 + (1 if node.style in ("|", ">") else 0), node.value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(path, item, inside, key, skip)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value not in skip:
                yield from _scalars(path, value, inside or key is None or key_node.value == key, key, skip)


def _svg(path: Path) -> Iterator[Segment]:
    for number, line in enumerate(_text(path).splitlines(), start=1):
        for match in SVG_TEXT.finditer(line):
            if match.group(1).strip():
                yield Segment(path, number, match.group(1))


def _catalogue(path: Path) -> Iterator[Segment]:
    if not path.is_file():
        return
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if message.id and string:
                text = PLACEHOLDER.sub("X", string).replace("%%", "%")
                yield Segment(path, message.lineno, text)


# --- worksheet field names -------------------------------------------------------------------------------


def field_labels(worksheet, locale: str) -> list[str]:
    texts = worksheet.texts.get(locale) or {}
    labels = []

    def walk(fields: dict) -> None:
        for spec in (fields or {}).values():
            if isinstance(spec, dict):
                if isinstance(spec.get("label"), str):
                    labels.append(spec["label"])
                walk(spec.get("fields"))

    walk(texts.get("fields"))
    return labels


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w/ ]", " ", text.casefold()).split())


def misnamed(name: str, labels: list[str]) -> str | None:
    """The label `name` seems to mean but does not equal, or None (it equals one, or is no field name)."""
    wanted = _normal(name)
    normals = {_normal(label): label for label in labels}
    if not wanted or wanted in normals:
        return None
    words = set(wanted.replace("/", " ").split())
    best, score = None, 0.0
    for normal, label in normals.items():
        # Close in spelling ("Communication" for "Communication plan"), or a part of the label ("First step"
        # for "First step in scope"); a name that holds a whole label and more names something else.
        ratio = difflib.SequenceMatcher(None, wanted, normal).ratio()
        if len(words) >= 2 and words < set(normal.replace("/", " ").split()):
            ratio = max(ratio, 0.8)
        if ratio >= 0.8 and ratio > score:
            best, score = label, ratio
    return best


def field_name_problems(content: ContentSet, root: Path, locales: tuple[str, ...]) -> Iterator[tuple]:
    """(path, line, message) for each bold field name in a lesson or slide deck that is close to, but not, the
    label of a field of the module's worksheets. Faculty guides are left out: their bold names are sessions and
    roles, which share words with field labels without naming them."""
    types = {worksheet.slug: worksheet for worksheet in content.worksheet_types}
    for program in content.programs:
        folder = root / program.slug
        for locale in locales:
            for module in program.modules:
                labels = [
                    label for slug in module.worksheets if slug in types for label in field_labels(types[slug], locale)
                ]
                for name in (f"{locale}.md", f"slides.{locale}.md"):
                    yield from _names_in(folder / module.slug / name, labels)


def _names_in(path: Path, labels: list[str]) -> Iterator[tuple]:
    if not labels or not path.is_file():
        return
    for number, line in enumerate(_text(path).splitlines(), start=1):
        match = BOLD_NAME.match(line)
        label = misnamed(match.group(1), labels) if match else None
        if label is not None:
            yield path, number, f"field name “{match.group(1)}”: the worksheet labels it “{label}”"
