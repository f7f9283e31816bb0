"""The Quality of Care Symposium highlights package: `courses/symposium/highlights.yaml` (the presentations, the
two-day program built from them, and per presentation whether its presenter granted permission to share the
original slides), `<id>/abstract.<locale>.md` for each presentation, and `<id>/slides.<language>.md` (the
original slides, in the language presented) only where permission was granted.

The permission is a recorded fact: `granted` and `refused` carry the date and a note of how it was given or
declined; `pending` has neither. Slides present for a presentation without permission are an error, so they
cannot reach a bundle by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from qtp.catalog.content_base import ID_PATTERN, SOURCE_LOCALE, Reporter, folder_hash, read_yaml, texts_by_locale
from qtp.catalog.content_modules import read_titled_markdown
from qtp.catalog.files import (
    ContentError,
    LineDict,
    Slide,
    SlideOutline,
    parse_slides,
    read_text,
    render_markdown,
)

PERMISSIONS = ("granted", "refused", "pending")
MIN_ABSTRACT_SLIDES = 3


@dataclass(frozen=True)
class Abstract:
    locale: str
    status: str  # source | current | stale | missing (the English text stands in)
    title: str
    authors: list[str]
    body_html: str


@dataclass
class Presentation:
    id: str
    presenter: str
    institution: str
    country: str
    track: str
    permission: str
    recorded_on: date | None
    note: str
    slides_language: str | None
    abstracts: dict[str, Abstract] = field(default_factory=dict)
    slides: list[Slide] = field(default_factory=list)


@dataclass
class Highlights:
    slug: str
    edition: int
    titles: dict[str, str]
    summaries: dict[str, str]
    days: list[dict]  # {"id", "titles", "presentations": [ids]}
    presentations: list[Presentation]
    content_hash: str = ""

    def presentation(self, presentation_id: str) -> Presentation:
        return next(p for p in self.presentations if p.id == presentation_id)


def _abstract(path: Path, locale: str, report: Reporter) -> Abstract | None:
    before = len(report.content.errors)
    source = None if locale == SOURCE_LOCALE else path.parent / f"abstract.{SOURCE_LOCALE}.md"
    read = read_titled_markdown(path, source, report)
    if read is None:
        return None
    parsed, status = read
    meta = parsed.meta
    authors = meta.get("authors")
    if not isinstance(authors, list) or not authors or not all(isinstance(a, str) and a.strip() for a in authors):
        report.error(path, meta.line_of("authors"), "authors must be a list of names")
        authors = []
    if len(report.content.errors) != before:
        return None
    return Abstract(locale, status, str(meta["title"]).strip(), [str(a) for a in authors], render_markdown(parsed.body))


def _permission(item: LineDict, path: Path, locales: tuple[str, ...], report: Reporter) -> tuple:
    permission = item.get("slides_permission")
    if permission not in PERMISSIONS:
        choices = ", ".join(PERMISSIONS)
        report.error(path, item.line_of("slides_permission"), f"slides_permission must be one of {choices}")
        return "pending", None, "", None
    recorded, note = item.get("permission_recorded_on"), item.get("permission_note")
    language = item.get("slides_language")
    if permission == "pending":
        if recorded is not None or note is not None or language is not None:
            report.error(path, item.line, "a pending permission has no recorded date, note or slides language yet")
        return permission, None, "", None
    if not isinstance(recorded, date):
        report.error(path, item.line_of("permission_recorded_on"), "permission_recorded_on must be a date (YYYY-MM-DD)")
        recorded = None
    if not isinstance(note, str) or not note.strip():
        report.error(path, item.line_of("permission_note"), "permission_note must say how the presenter decided")
        note = ""
    if permission == "granted" and language not in locales:
        report.error(path, item.line_of("slides_language"), f"slides_language must be one of {', '.join(locales)}")
        language = None
    if permission == "refused" and language is not None:
        report.error(path, item.line_of("slides_language"), "refused slides have no slides_language")
        language = None
    return permission, recorded, str(note).strip(), language


def _presentation(item: LineDict, root: Path, path: Path, locales: tuple[str, ...], report: Reporter):
    pid = item.get("id")
    if not isinstance(pid, str) or not ID_PATTERN.match(pid):
        report.error(path, item.line, "each presentation needs an id (lowercase letters, digits, hyphens)")
        return None
    for key in ("presenter", "institution", "country", "track"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            report.error(path, item.line_of(key), f"presentation {pid!r} needs a {key}")
    permission, recorded, note, language = _permission(item, path, locales, report)
    presentation = Presentation(
        pid,
        str(item.get("presenter", "")),
        str(item.get("institution", "")),
        str(item.get("country", "")),
        str(item.get("track", "")),
        permission,
        recorded,
        note,
        language,
    )
    folder = root / pid
    if not folder.is_dir():
        report.error(path, item.line, f"presentation {pid!r} has no folder {pid}/")
        return presentation
    source = folder / f"abstract.{SOURCE_LOCALE}.md"
    if not source.is_file():
        report.error(source, 1, "missing English abstract")
        return presentation
    for locale in (SOURCE_LOCALE, *[code for code in locales if code != SOURCE_LOCALE]):
        abstract_path = folder / f"abstract.{locale}.md"
        if not abstract_path.is_file():
            report.warn(abstract_path, 1, f"missing {locale} abstract: the English one stands in")
            continue
        abstract = _abstract(abstract_path, locale, report)
        if abstract is not None:
            presentation.abstracts[locale] = abstract
    slide_files = sorted(folder.glob("slides.*.md"))
    for slide_file in slide_files:
        if permission != "granted" or slide_file.name != f"slides.{language}.md":
            report.error(
                slide_file,
                1,
                f"slides of {pid!r} may not be shared (permission {permission}"
                + (f", slides in {language}" if language else "")
                + "): remove this file",
            )
    if permission == "granted" and language:
        slides_path = folder / f"slides.{language}.md"
        if not slides_path.is_file():
            report.error(slides_path, 1, f"permission granted but no original slides for {pid!r}")
        else:
            try:
                outline = parse_slides(read_text(slides_path), 1)
            except ContentError as error:
                outline = SlideOutline(problems=[(error.line, error.message)])
            for line, message in outline.problems:
                report.error(slides_path, line, message)
            if len(outline.slides) < MIN_ABSTRACT_SLIDES:
                report.error(slides_path, 1, f"at least {MIN_ABSTRACT_SLIDES} slides")
            presentation.slides = outline.slides
    return presentation


def load_highlights(root: Path, locales: tuple[str, ...], report: Reporter) -> Highlights | None:
    """The package in `root` (courses/symposium/), or None when it has no highlights.yaml."""
    path = root / "highlights.yaml"
    if not path.is_file():
        return None
    data = read_yaml(path, report)
    if not isinstance(data, LineDict):
        if data is not None:
            report.error(path, 1, "highlights.yaml must be a mapping")
        return None
    edition = data.get("edition")
    if not isinstance(edition, int):
        report.error(path, data.line_of("edition"), "edition must be a year")
        edition = 0
    titles = texts_by_locale(data.get("titles"), locales, path, data.line_of("titles"), "titles", report)
    summaries = texts_by_locale(data.get("summaries"), locales, path, data.line_of("summaries"), "summaries", report)
    presentations = []
    for item in data.get("presentations") or []:
        if not isinstance(item, LineDict):
            report.error(path, data.line_of("presentations"), "each presentation must be a mapping")
            continue
        presentation = _presentation(item, root, path, locales, report)
        if presentation is not None:
            presentations.append(presentation)
    ids = [p.id for p in presentations]
    if not presentations:
        report.error(path, data.line_of("presentations"), "the package needs at least one presentation")
    if len(set(ids)) != len(ids):
        report.error(path, data.line_of("presentations"), "presentation ids must be unique")
    days, placed = [], []
    for day in data.get("days") or []:
        if not isinstance(day, LineDict) or not isinstance(day.get("presentations"), list):
            report.error(path, data.line_of("days"), "each day needs an id, titles and a list of presentations")
            continue
        for pid in day["presentations"]:
            if pid not in ids:
                report.error(path, day.line_of("presentations"), f"day {day.get('id')!r}: unknown presentation {pid!r}")
        placed += day["presentations"]
        day_titles = texts_by_locale(day.get("titles"), locales, path, day.line, f"day {day.get('id')!r}", report)
        days.append({"id": str(day.get("id")), "titles": day_titles, "presentations": list(day["presentations"])})
    if not 1 <= len(days) <= 2:
        report.error(path, data.line_of("days"), "the package is a program of one or two days")
    for pid in ids:
        if placed.count(pid) != 1:
            report.error(path, data.line_of("days"), f"presentation {pid!r} must appear in exactly one day")
    return Highlights(
        slug=str(data.get("slug", root.name)),
        edition=edition,
        titles=titles,
        summaries=summaries,
        days=days,
        presentations=presentations,
        content_hash=folder_hash(root),
    )
