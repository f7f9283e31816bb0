"""Shared pieces of content validation: limits, the validated data, problem reporting, typed readers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from qtp.catalog.files import ContentError, LineDict, Problem, Slide, parse_yaml

SOURCE_LOCALE = "en"
FORMATS = ("six_month", "one_day")
MODES = ("in_person", "virtual")
WORKSHEET_TYPES = (
    "charter", "aim", "roster", "sipoc", "process-map", "fishbone", "pareto", "driver-diagram", "measures",
    "pdsa", "sustainability", "storyboard",
)  # fmt: skip
MIN_LESSON_WORDS = 600
MIN_QUESTIONS = 4
MIN_SLIDES = 8
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass
class LocaleText:
    locale: str
    status: str  # source | current | stale | missing
    title: str
    summary: str
    objectives: dict[str, str]
    body_html: str
    questions: dict[str, Any]
    slides: list[Slide]
    # {slug: {"alt", "caption", "source", "prefix"}}: the module's figures in this language (figures.py)
    figures: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class ModuleContent:
    slug: str
    position: int
    phase: str
    minutes: int
    prerequisites: list[str]
    worksheets: list[str]
    objectives: list[str]
    questions: list[dict[str, Any]]
    texts: dict[str, LocaleText] = field(default_factory=dict)
    content_hash: str = ""
    examples: dict[str, Any] = field(default_factory=dict)  # {slug: content_examples.Example}
    folder: Path | None = None


@dataclass
class ProgramContent:
    slug: str
    format: str
    config: dict[str, Any]
    modules: list[ModuleContent] = field(default_factory=list)
    content_hash: str = ""
    faculty: dict[str, Any] = field(default_factory=dict)  # {locale: FacultyGuide}
    pages: dict[str, Any] = field(default_factory=dict)  # {locale: content_about.ProgramPage}


@dataclass
class ContentSet:
    programs: list[ProgramContent] = field(default_factory=list)
    worksheet_types: list[Any] = field(default_factory=list)
    highlights: Any = None  # the symposium highlights package (content_highlights.Highlights), when present
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return sorted(self.errors + self.warnings, key=lambda p: (p.path, p.line))


class Reporter:
    def __init__(self, root: Path, content: ContentSet) -> None:
        self.root = root
        self.content = content

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def error(self, path: Path, line: int, message: str) -> None:
        self.content.errors.append(Problem(self.rel(path), line, message))

    def warn(self, path: Path, line: int, message: str) -> None:
        self.content.warnings.append(Problem(self.rel(path), line, message))


def folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


Document = TypeVar("Document")


def load_per_locale(
    locales: tuple[str, ...],
    report: Reporter,
    path_of: Callable[[str], Path],
    load: Callable[[str, Any], Document | None],
    stand_in: Callable[[str, Document], Document],
    what: str,
) -> dict[str, Document]:
    """{locale: document} of a document written in English and translated beside it (`path_of(locale)`):
    `load(locale, english or None)` reads one. The English one is required (an error); a missing translation
    warns and the English one stands in, marked by `stand_in(locale, english)`."""
    source_path = path_of(SOURCE_LOCALE)
    if not source_path.is_file():
        report.error(source_path, 1, f"missing {what}")
        return {}
    source = load(SOURCE_LOCALE, None)
    if source is None:
        return {}
    documents = {SOURCE_LOCALE: source}
    for locale in locales:
        if locale == SOURCE_LOCALE:
            continue
        if not path_of(locale).is_file():
            report.warn(path_of(locale), 1, f"missing {locale} file: the English {what} is used")
            documents[locale] = stand_in(locale, source)
            continue
        document = load(locale, source)
        if document is not None:
            documents[locale] = document
    return documents


# --- helpers -----------------------------------------------------------------------------------------


def read_yaml(path: Path, report: Reporter) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        report.error(path, 1, "not UTF-8 text")
    except ContentError as error:
        report.error(path, error.line, error.message)
    return None


def texts_by_locale(value: Any, locales: tuple[str, ...], path: Path, line: int, what: str, report: Reporter) -> dict:
    if not isinstance(value, dict):
        report.error(path, line, f"{what} must give a text for each language ({', '.join(locales)})")
        return {}
    for locale in locales:
        if not isinstance(value.get(locale), str) or not value[locale].strip():
            report.error(path, line, f"{what} has no {locale} text")
    return {k: v for k, v in value.items() if isinstance(v, str)}


def whole_number(
    mapping: LineDict, key: str, path: Path, report: Reporter, minimum: int = 0, maximum: int = 10**6
) -> int:
    value = mapping.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        report.error(path, mapping.line_of(key), f"{key} must be a whole number from {minimum} to {maximum}")
        return minimum
    return value


def id_list(mapping: LineDict, key: str, path: Path, report: Reporter, required: bool = True) -> list[str]:
    value = mapping.get(key, [] if not required else None)
    line = mapping.line_of(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report.error(path, line, f"{key} must be a list of ids")
        return []
    if len(set(value)) != len(value):
        report.error(path, line, f"{key} has a repeated id")
    for item in value:
        if not ID_PATTERN.match(item):
            report.error(path, line, f"{key}: {item!r} is not a valid id (lowercase letters, digits, hyphens)")
    return value
