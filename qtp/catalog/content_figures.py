"""Validating a module's figures (figures.yaml and figures/<slug>.<locale>.svg) and where its lessons and
slides place them; the figures of each language are attached to that language's text for `content sync`."""

from __future__ import annotations

from pathlib import Path

from qtp.catalog.content_base import SOURCE_LOCALE, ModuleContent, Reporter
from qtp.catalog.figures import listed_figures, read_figures, ref_lines


def check_module_figures(folder: Path, module: ModuleContent, locales: tuple[str, ...], report: Reporter) -> None:
    """Every figure complete and safe in every language (an error names the file at fault), and every
    placement in a lesson or slide outline naming a figure of figures.yaml, on a line of its own."""
    found, problems = read_figures(folder, locales)
    for problem in problems:
        report.error(problem.path, problem.line, problem.message)
    defined = set(listed_figures(folder))
    expected = {f"{slug}.{locale}.svg" for slug in defined for locale in locales}
    drawings = folder / "figures"
    for path in sorted(drawings.iterdir()) if drawings.is_dir() else []:
        if path.name not in expected:
            report.error(path, 1, "not a drawing of figures.yaml (expected <id>.<locale>.svg for a listed id)")
    for locale in locales:
        for name in (f"{locale}.md", f"slides.{locale}.md"):
            path = folder / name
            if path.is_file():
                _check_placements(path, defined, report, lesson=not name.startswith("slides."))
        text = module.texts.get(locale)
        if text is not None:
            # a missing translation stands in with the English text, and so with the English figures
            shown = text.locale if text.status != "missing" else SOURCE_LOCALE
            text.figures = {slug: source.as_dict() for slug, source in found.get(shown, {}).items()}


def _check_placements(path: Path, defined: set[str], report: Reporter, lesson: bool) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return  # reported by the lesson or slide reader
    lines = text.splitlines()
    placed: set[str] = set()
    for offset, slug, _line in ref_lines(text):
        number = offset + 1
        if slug is None:
            report.error(path, number, "place a figure on a line of its own: [figure: <id of figures.yaml>]")
            continue
        if slug not in defined:
            report.error(path, number, f"figure {slug!r} is not in figures.yaml")
        if lesson and slug in placed:
            report.error(path, number, f"figure {slug!r} is placed twice in the lesson")
        placed.add(slug)
        around = [lines[i] for i in (offset - 1, offset + 1) if 0 <= i < len(lines)]
        if lesson and any(neighbour.strip() for neighbour in around):
            report.error(path, number, "leave a blank line before and after a figure")
