"""The public page of a program: `about.<locale>.md` beside program.yaml, and the countries listed in program.yaml.

The page's prose is authored, never templated: what the format is, who should take part, what a team needs, the
phases and sessions, licensing and where the program is available. Its front matter names each `## ` section in
order (`sections: [format, audience, ...]`), so the public page can add the program's own data (the timetable,
the list of countries) beside the right section in every language. English is the source; a translation keeps
the same sections in the same order, records the hash of the English file it was made from, and a missing or
stale one falls back to, or warns about, the English text.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import nh3
from babel import Locale

from qtp.catalog.content_base import ID_PATTERN, SOURCE_LOCALE, Reporter, load_per_locale
from qtp.catalog.content_modules import read_titled_markdown
from qtp.catalog.files import LineDict, render_markdown, word_count

REQUIRED_SECTIONS = ("format", "audience", "team", "schedule", "licensing", "countries")
MIN_PAGE_WORDS = 300
MAX_DESCRIPTION = 200
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class AboutSection:
    id: str
    heading: str  # plain text
    html: str  # rendered and sanitized


@dataclass(frozen=True)
class ProgramPage:
    locale: str
    status: str  # source | current | stale | missing (the English page stands in)
    title: str
    description: str
    sections: tuple[AboutSection, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def page_path(folder: Path, locale: str) -> Path:
    return folder / f"about.{locale}.md"


def read_countries(data: LineDict, path: Path, report: Reporter) -> list[str]:
    """The ISO 3166 codes of the countries where the program is available, as listed in program.yaml."""
    value = data.get("countries")
    line = data.line_of("countries")
    if not isinstance(value, list) or not value or not all(isinstance(code, str) for code in value):
        report.error(path, line, "countries must list the ISO 3166 codes of the countries where it is available")
        return []
    known = Locale.parse("en").territories
    for code in value:
        if len(code) != 2 or not code.isalpha() or code not in known:
            report.error(path, line, f"countries: {code!r} is not an ISO 3166 two-letter country code (e.g. BR)")
    if len(set(value)) != len(value):
        report.error(path, line, "countries lists a country twice")
    return [code for code in dict.fromkeys(value) if code in known]


def _heading_text(markdown: str) -> str:
    """A heading's plain text (emphasis and links dropped), unescaped: the template escapes it again."""
    return html.unescape(nh3.clean(render_markdown(markdown), tags=set())).strip()


def _split_sections(body: str, first_line: int) -> tuple[str, list[tuple[int, str, str]]]:
    """(text before the first `## `, [(line, heading, section body)]), ignoring headings in code fences."""
    before: list[str] = []
    sections: list[tuple[int, str, list[str]]] = []
    in_fence = False
    for offset, line in enumerate(body.splitlines()):
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            sections.append((first_line + offset, line[3:].strip(), []))
        elif sections:
            sections[-1][2].append(line)
        else:
            before.append(line)
    return "\n".join(before), [(line, heading, "\n".join(lines)) for line, heading, lines in sections]


def _section_ids(meta: LineDict, path: Path, report: Reporter) -> list[str]:
    value = meta.get("sections")
    line = meta.line_of("sections")
    if not isinstance(value, list) or not all(isinstance(item, str) and ID_PATTERN.match(item) for item in value):
        report.error(path, line, "sections must list an id for each ## section, in order (e.g. [format, audience])")
        return []
    if len(set(value)) != len(value):
        report.error(path, line, "sections has a repeated id")
    for required in REQUIRED_SECTIONS:
        if required not in value:
            report.error(path, line, f"sections has no {required!r} section (required: {', '.join(REQUIRED_SECTIONS)})")
    return value


def _load_one(folder: Path, locale: str, source_ids: list[str] | None, report: Reporter) -> ProgramPage | None:
    path = page_path(folder, locale)
    errors_before = len(report.content.errors)
    source = None if locale == SOURCE_LOCALE else page_path(folder, SOURCE_LOCALE)
    read = read_titled_markdown(path, source, report)
    if read is None:
        return None
    parsed, status = read
    meta = parsed.meta
    description = meta.get("description")
    if not isinstance(description, str) or not description.strip():
        report.error(path, meta.line_of("description"), "front matter needs a description (the search-engine summary)")
        description = ""
    elif len(description.strip()) > MAX_DESCRIPTION:
        report.error(path, meta.line_of("description"), f"the description is longer than {MAX_DESCRIPTION} characters")
    ids = _section_ids(meta, path, report)
    if source_ids is not None and ids and ids != source_ids:
        report.error(path, meta.line_of("sections"), "sections must be the English page's, in the same order")
    before, parts = _split_sections(parsed.body, parsed.body_line)
    if before.strip():
        report.error(
            path, parsed.body_line, "the page starts with its first ## section (the title comes from the front matter)"
        )
    if re.search(r"^# ", parsed.body, re.M):
        report.error(path, parsed.body_line, "headings start at ## (the page's title comes from the front matter)")
    if ids and len(parts) != len(ids):
        report.error(path, parsed.body_line, f"the page has {len(parts)} ## sections; sections names {len(ids)}")
    for line, heading, text in parts:
        if not heading or not text.strip():
            report.error(path, line, "each ## section needs a heading and some text")
    words = word_count(parsed.body)
    if source is None and words < MIN_PAGE_WORDS:
        report.error(path, parsed.body_line, f"the page has {words} words; at least {MIN_PAGE_WORDS}")
    if len(report.content.errors) != errors_before:
        return None
    sections = tuple(
        AboutSection(section_id, _heading_text(heading), render_markdown(text))
        for section_id, (_line, heading, text) in zip(ids, parts, strict=True)
    )
    return ProgramPage(locale, status, str(meta["title"]).strip(), description.strip(), sections)


def load_program_pages(folder: Path, locales: tuple[str, ...], report: Reporter) -> dict[str, ProgramPage]:
    """{locale: page} for every locale; an error when the English page is missing or invalid."""
    return load_per_locale(
        locales,
        report,
        lambda locale: page_path(folder, locale),
        lambda locale, source: _load_one(folder, locale, source and [s.id for s in source.sections], report),
        lambda locale, source: ProgramPage(locale, "missing", source.title, source.description, source.sections),
        "public page of the program",
    )
