"""Reading content files: YAML that remembers line numbers, Markdown front matter, slide outlines, and
Markdown rendered to sanitized HTML. Nothing here touches the database."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as html_escape
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import nh3
import yaml
from markdown_it import MarkdownIt

SHA_LENGTH = 16


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """A file cannot be read at all (syntax); carries the line where reading stopped."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict):
    """A mapping that knows the line of each key (1-based) and of itself."""

    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise ContentError(key_node.start_mark.line + 1, f"duplicate key {key!r}")
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:SHA_LENGTH]


def read_text(path: Path) -> str:
    """The text of a content file; a file that is not UTF-8 is a ContentError (line 1), like a syntax error."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(1, "not UTF-8 text") from error


def parse_yaml(text: str, first_line: int = 1) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except ContentError as error:
        raise ContentError(error.line + first_line - 1, error.message) from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + first_line - 1
        raise ContentError(line, f"invalid YAML: {error.problem or error}") from error
    except yaml.YAMLError as error:
        raise ContentError(first_line, f"invalid YAML: {error}") from error


@dataclass
class MarkdownFile:
    meta: LineDict
    body: str
    body_line: int  # line number of the first body line


_FRONT = re.compile(r"\A---\n(.*?)\n---\n?", re.S)


def parse_front_matter(text: str) -> MarkdownFile:
    match = _FRONT.match(text)
    if not match:
        raise ContentError(1, "missing front matter (a block between two '---' lines at the top)")
    meta = parse_yaml(match.group(1), first_line=2)
    if meta is None:
        meta = LineDict()
        meta.key_lines = {}
    if not isinstance(meta, LineDict):
        raise ContentError(2, "front matter must be a mapping of keys to values")
    body_line = match.group(0).count("\n") + 1
    return MarkdownFile(meta=meta, body=text[match.end() :], body_line=body_line)


@dataclass(frozen=True)
class Visual:
    """A `[chart: slug]` or `[figure: slug]` line of a slide: a worked-example chart (examples/<slug>.yaml) or
    a lesson figure (figures/<slug>.<locale>.svg) drawn on the slide."""

    kind: str  # chart | figure
    slug: str
    line: int


@dataclass
class Slide:
    title: str
    bullets: list[str]
    notes: str
    line: int
    visuals: list[Visual] = field(default_factory=list)


@dataclass
class SlideOutline:
    slides: list[Slide] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


_VISUAL = re.compile(r"^\[(chart|figure):\s*([^\]\s]+)\s*\]$")


def parse_slides(body: str, first_line: int) -> SlideOutline:
    """`## Title`, bullets, an optional `[chart: slug]` or `[figure: slug]` line, then `Notes:` and the
    facilitator notes, for each slide."""
    outline = SlideOutline()
    current: dict[str, Any] | None = None
    in_notes = False

    def close() -> None:
        if current is None:
            return
        slide = Slide(
            title=current["title"],
            bullets=current["bullets"],
            notes=" ".join(" ".join(current["notes"]).split()),
            line=current["line"],
            visuals=current["visuals"],
        )
        if not slide.bullets and not slide.visuals:
            outline.problems.append((slide.line, f"slide {slide.title!r} has no bullet and no chart or figure"))
        if not slide.notes:
            outline.problems.append((slide.line, f"slide {slide.title!r} has no facilitator notes ('Notes:')"))
        outline.slides.append(slide)

    for offset, raw in enumerate(body.splitlines()):
        line_no = first_line + offset
        line = raw.rstrip()
        if line.startswith("## "):
            close()
            current = {"title": line[3:].strip(), "bullets": [], "notes": [], "line": line_no, "visuals": []}
            in_notes = False
        elif current is None:
            if line.strip():
                outline.problems.append((line_no, "text before the first slide heading ('## ')"))
        elif line.strip() == "Notes:" or line.startswith("Notes:"):
            in_notes = True
            rest = line[len("Notes:") :].strip()
            if rest:
                current["notes"].append(rest)
        elif in_notes:
            current["notes"].append(line.strip())
        elif visual := _VISUAL.match(line.strip()):
            current["visuals"].append(Visual(visual.group(1), visual.group(2), line_no))
            if len(current["visuals"]) > 1:
                outline.problems.append((line_no, f"slide {current['title']!r}: one chart or figure per slide"))
        elif re.match(r"^\s*[-*] ", line):
            current["bullets"].append(re.sub(r"^\s*[-*] ", "", line).strip())
        elif line.strip():
            current["bullets"].append(line.strip())
    close()
    return outline


# --- Markdown -----------------------------------------------------------------------------------------

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "br", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}}


_SPACED_PERCENT = re.compile(r"(?<=\d) (?=%)")


def render_markdown(text: str) -> str:
    """Markdown to HTML, then an allow-list sanitizer: raw HTML and unsafe URLs never survive. A number and
    its percent sign written apart ("52 %", the Spanish style) are kept on one line."""
    return sanitize_html(_md.render(_SPACED_PERCENT.sub("\u00a0", text)))


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    )


def scrollable_tables(clean_html: str, label: Callable[[int], str]) -> str:
    """Sanitized HTML with each table inside a region that scrolls sideways on a narrow screen and that a
    keyboard can reach and scroll; `label(n)` names the n-th table (from 1). The sanitizer leaves tables without
    attributes, so `<table>` and `</table>` are exact."""
    count = 0

    def opening(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        name = html_escape(label(count), quote=True)
        return f'<div class="content-table" role="region" tabindex="0" aria-label="{name}"><table>'

    return re.sub(r"<table>", opening, clean_html).replace("</table>", "</table></div>")


_ALIGNED = re.compile(r'<(th|td) style="text-align:\s*(left|right|center);?">')


def aligned_cells(clean_html: str) -> str:
    """Sanitized HTML with the column alignment of Markdown tables (`style="text-align:right"`, which the site's
    CSP refuses to apply) as classes (`align-right`) that the stylesheet aligns."""
    return _ALIGNED.sub(lambda m: f'<{m.group(1)} class="align-{m.group(2)}">', clean_html)


_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def asset_problems(body: str, first_line: int, folder: Path) -> list[tuple[int, str]]:
    """No Markdown images (a module's diagrams are its figures: qtp/catalog/figures.py) and no raw HTML."""
    problems = []
    for offset, line in enumerate(body.splitlines()):
        for target in _IMAGE.findall(line):
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith(("/", "\\")):
                problems.append((first_line + offset, f"image {target!r}: external and absolute links are not allowed"))
            else:
                message = f"image {target!r}: Markdown images are not supported; place a figure with [figure: <id>]"
                problems.append((first_line + offset, message))
        in_code = line.startswith("    ") or line.lstrip().startswith("`")
        if not in_code and _RAW_HTML.search(line):
            problems.append((first_line + offset, "raw HTML is not allowed; use Markdown"))
    return problems


def word_count(markdown: str) -> int:
    return len(re.findall(r"[\w'’-]+", markdown))


_H2 = re.compile(r"<h2>(.*?)</h2>", re.S)
_TAG = re.compile(r"<[^>]+>")


def section_anchor(number: int) -> str:
    return f"section-{number}"


def anchored_sections(clean_html: str) -> str:
    """Sanitized HTML with each `## ` section heading given an anchor (section-1, section-2...) for the
    lesson's outline. The sanitizer leaves h2 without attributes, so `<h2>` is exact."""
    count = 0

    def opening(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f'<h2 id="{section_anchor(count)}">{match.group(1)}</h2>'

    return _H2.sub(opening, clean_html)


def outline(html: str) -> list[tuple[str, str]]:
    """The lesson's `## ` sections as (anchor, plain text), matching `anchored_sections`."""
    clean = sanitize_html(html or "")
    return [
        (section_anchor(n), html_unescape(_TAG.sub("", inner)).strip())
        for n, inner in enumerate(_H2.findall(clean), start=1)
    ]
