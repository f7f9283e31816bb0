"""The faculty guide of a program: `faculty.<locale>.md` beside program.yaml, the first part of the faculty
instruction manual (how to run the program: agendas with timings, what to prepare, exercises, coaching between
sessions, reviewing worksheets with the rubrics). English is the source; a translation records the hash of the
English file it was made from, and a missing or stale one falls back to, or warns about, the English text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from qtp.catalog.content_base import SOURCE_LOCALE, Reporter, load_per_locale
from qtp.catalog.content_modules import read_titled_markdown
from qtp.catalog.files import render_markdown, word_count

MIN_GUIDE_WORDS = 800
_TOP_HEADING = re.compile(r"^# ", re.M)


@dataclass(frozen=True)
class FacultyGuide:
    locale: str
    status: str  # source | current | stale | missing (the English text stands in)
    title: str
    body_html: str


def guide_path(folder: Path, locale: str) -> Path:
    return folder / f"faculty.{locale}.md"


def _load_one(folder: Path, locale: str, report: Reporter) -> FacultyGuide | None:
    path = guide_path(folder, locale)
    errors_before = len(report.content.errors)
    source = None if locale == SOURCE_LOCALE else guide_path(folder, SOURCE_LOCALE)
    read = read_titled_markdown(path, source, report)
    if read is None:
        return None
    parsed, status = read
    match = _TOP_HEADING.search(parsed.body)
    if match:
        line = parsed.body_line + parsed.body[: match.start()].count("\n")
        report.error(path, line, "headings start at ## (the manual gives the guide its title)")
    words = word_count(parsed.body)
    if source is None and words < MIN_GUIDE_WORDS:
        report.error(path, parsed.body_line, f"the guide has {words} words; at least {MIN_GUIDE_WORDS}")
    if len(report.content.errors) != errors_before:
        return None
    return FacultyGuide(locale, status, str(parsed.meta["title"]).strip(), render_markdown(parsed.body))


def load_faculty_guides(folder: Path, locales: tuple[str, ...], report: Reporter) -> dict[str, FacultyGuide]:
    """{locale: guide} for every locale; an error when the English guide is missing or invalid."""
    return load_per_locale(
        locales,
        report,
        lambda locale: guide_path(folder, locale),
        lambda locale, _source: _load_one(folder, locale, report),
        lambda locale, source: FacultyGuide(locale, "missing", source.title, source.body_html),
        "faculty guide (the manual's first part)",
    )
