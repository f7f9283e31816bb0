"""Figures of a module: SVG diagrams beside its lesson, with alt text and a caption in every language.

```
courses/<program>/<module>/figures.yaml              [{id: <slug>, alt: {en, es, pt_BR}, caption: {en, es, pt_BR}}]
courses/<program>/<module>/figures/<slug>.<locale>.svg   one drawing per language, its text in that language
```

A lesson (`<locale>.md`) or a slide (`slides.<locale>.md`) places a figure with a line of its own,
`[figure: <slug>]`. An SVG file is untrusted until `sanitize_svg` has rebuilt it: parsed without DTDs or
entities (defusedxml), every element and attribute on an allow-list (no script, foreignObject, event
handlers, styles, external references), a viewBox, at most `MAX_SVG_BYTES`, text no smaller than
`MIN_FONT_SIZE`. Its ids are prefixed with the module and figure (unique on a page that shows several
modules), its own `<title>`/`<desc>` replaced by the alt text, which names the `role="img"` drawing.

No English fallback: `content check` requires every figure in every language (an error, not a warning),
because a drawing's words must be those of the lesson around it. So `module_figures` raises `FigureError`
for a missing or broken figure in the locale asked for; valid content never raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from qtp.catalog.files import ContentError, LineDict, parse_yaml

FIGURES_FILE = "figures.yaml"
FIGURES_FOLDER = "figures"
MAX_SVG_BYTES = 100 * 1024
MIN_FONT_SIZE = 14.0
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "marker", "linearGradient", "radialGradient", "stop", "clipPath", "use", "symbol",
}  # fmt: skip
ATTRIBUTES = {
    "id", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "d",
    "points", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-dasharray",
    "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-opacity", "opacity", "transform",
    "font-size", "font-weight", "font-style", "font-family", "text-anchor", "dominant-baseline", "dx", "dy",
    "letter-spacing", "markerWidth", "markerHeight", "refX", "refY", "orient", "markerUnits", "marker-start",
    "marker-mid", "marker-end", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
    "clip-path", "preserveAspectRatio", "href", "aria-hidden", "vector-effect", "paint-order",
}  # fmt: skip
DROPPED_ELEMENTS = {"title", "desc"}  # replaced by the alt text
DROPPED_ROOT_ATTRIBUTES = {"width", "height", "id"}  # the page sizes the drawing; its id is ours
_URL = re.compile(r"url\(\s*([^)]*?)\s*\)", re.I)
_NUMBER = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
_REF_LINE = re.compile(r"^\[figure:\s*([^\]\s]*)\s*\]\s*$")
_LOOSE_REF = re.compile(r"\[figure:", re.I)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LOCAL_ID = re.compile(r"^#[A-Za-z][A-Za-z0-9_-]*$")
_PLACED = re.compile(r"<p>\[figure:\s*([a-z0-9][a-z0-9-]*)\s*\]</p>")


@dataclass(frozen=True)
class Figure:
    slug: str
    alt: str
    caption: str
    svg: str  # sanitized SVG markup with role="img" and the alt as its <title>, ready to insert


class FigureError(Exception):
    """A figure that cannot be shown: missing, unsafe or broken. `path` is the file at fault."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class SvgRejected(ValueError):
    """Why an SVG file is refused (the message names the element or attribute)."""


# --- references --------------------------------------------------------------------------------------


def ref_lines(text: str) -> Iterator[tuple[int, str | None, str]]:
    """(0-based line offset, slug or None when malformed, the line) of each line that places a figure,
    outside fenced code."""
    fenced = False
    for offset, line in enumerate(text.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not _LOOSE_REF.search(line):
            continue
        match = _REF_LINE.match(line)
        slug = match.group(1) if match and SLUG.match(match.group(1)) else None
        yield offset, slug, line


def figure_refs(text: str) -> list[str]:
    """The slugs placed by `[figure: <slug>]` lines of a lesson or slide text, in order (a repeat is listed
    again). Indented, inline or malformed references are not placements (content check reports them)."""
    return [slug for _offset, slug, _line in ref_lines(text) if slug]


def id_prefix(module_slug: str, slug: str) -> str:
    """The id of a figure's title on a page, and the prefix of its drawing's own ids (`<prefix>_<id>`):
    unique across the figures of a module and across modules."""
    return f"fig-{module_slug}-{slug}"


# --- sanitizing --------------------------------------------------------------------------------------


def _local(name: str) -> tuple[str | None, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return None, name


def _number(value: str) -> float | None:
    match = _NUMBER.match(value)
    return float(match.group(1)) if match else None


def _view_box(root: Element) -> str:
    value = root.get("viewBox")
    if value is None:
        raise SvgRejected('the <svg> element needs a viewBox (e.g. viewBox="0 0 640 400")')
    parts = value.replace(",", " ").split()
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or numbers[2] <= 0 or numbers[3] <= 0:
        raise SvgRejected(f"viewBox {value!r} must be four numbers with a positive width and height")
    return " ".join(parts)


class _Rebuild:
    """One pass over the parsed tree: checks every element and attribute, prefixes ids, writes markup."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.ids: set[str] = set()
        self.refs: set[str] = set()

    def ref(self, target: str, what: str) -> str:
        if not _LOCAL_ID.match(target):
            raise SvgRejected(f"{what} must point inside the drawing (#id), not to {target!r}")
        self.refs.add(target[1:])
        return f"#{self.prefix}_{target[1:]}"

    def value(self, name: str, value: str) -> str:
        lowered = value.lower()
        if "javascript:" in lowered or "data:" in lowered or "expression(" in lowered:
            raise SvgRejected(f"attribute {name}: {value!r} is not allowed")
        return _URL.sub(lambda m: f"url({self.ref(m.group(1).strip(chr(34) + chr(39)), name)})", value)

    def attributes(self, element: Element, tag: str, is_root: bool) -> list[tuple[str, str]]:
        out = []
        for raw_name, value in element.attrib.items():
            namespace, name = _local(raw_name)
            if name.lower().startswith("on"):
                raise SvgRejected(f"<{tag}> has an event handler ({name}): scripts are not allowed")
            if name == "style":
                raise SvgRejected(f"<{tag}> has a style attribute: use presentation attributes (fill, font-size)")
            if namespace == XML_NS and name in ("space", "lang"):
                continue
            if namespace not in (None, XLINK_NS) or (namespace == XLINK_NS and name != "href"):
                raise SvgRejected(f"<{tag}> attribute {raw_name!r} is not allowed")
            if name not in ATTRIBUTES:
                raise SvgRejected(f"<{tag}> attribute {name!r} is not allowed")
            if is_root and name in DROPPED_ROOT_ATTRIBUTES:
                continue
            if name == "href":
                value = self.ref(value.strip(), f"<{tag}> href")
            elif name == "id":
                if not re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", value) or value in self.ids:
                    raise SvgRejected(f"id {value!r} is repeated or not a simple name")
                self.ids.add(value)
                value = f"{self.prefix}_{value}"
            elif name == "font-size":
                size = _number(value)
                if size is None or size < MIN_FONT_SIZE:
                    raise SvgRejected(f"font-size {value!r}: text must be at least {MIN_FONT_SIZE:g} units tall")
            else:
                value = self.value(name, value)
            out.append((name, value))
        return out

    def element(self, element: Element, parts: list[str], is_root: bool = False) -> None:
        namespace, tag = _local(element.tag) if isinstance(element.tag, str) else (None, "?")
        if namespace != SVG_NS or tag not in ELEMENTS:
            raise SvgRejected(f"element <{tag}> is not allowed in a figure")
        if tag in DROPPED_ELEMENTS and not is_root:
            parts.append(escape(element.tail or "", quote=False))
            return
        attributes = self.attributes(element, tag, is_root)
        if is_root:
            return self.root(element, attributes, parts)
        parts.append(f"<{tag}" + "".join(f' {name}="{escape(v)}"' for name, v in attributes) + ">")
        parts.append(escape(element.text or "", quote=False))
        for child in element:
            self.element(child, parts)
        parts.append(f"</{tag}>")
        parts.append(escape(element.tail or "", quote=False))

    def root(self, element: Element, attributes: list[tuple[str, str]], parts: list[str]) -> None:
        kept = "".join(f' {name}="{escape(v)}"' for name, v in attributes)
        parts.append(f'<svg xmlns="{SVG_NS}"{kept} role="img" aria-labelledby="{self.prefix}"')
        parts.append(' class="figure-drawing" focusable="false">')
        parts.append("\0TITLE\0")
        parts.append(escape(element.text or "", quote=False))
        for child in element:
            self.element(child, parts)
        parts.append("</svg>")


def sanitize_svg(data: bytes, prefix: str, alt: str) -> str:
    """The SVG rebuilt from its allowed parts, its ids prefixed with `prefix`, `alt` as its title; raises
    SvgRejected with the reason when anything is unsafe, broken, unbounded or unreadably small."""
    if len(data) > MAX_SVG_BYTES:
        raise SvgRejected(f"{len(data):,} bytes; a figure is at most {MAX_SVG_BYTES:,} bytes")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise SvgRejected(f"DTDs, entities and external references are not allowed ({type(error).__name__})") from error
    except ParseError as error:
        raise SvgRejected(f"not well-formed XML: {error}") from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgRejected('the file must be an <svg> element with xmlns="http://www.w3.org/2000/svg"')
    _view_box(root)
    rebuild = _Rebuild(prefix)
    parts: list[str] = []
    rebuild.element(root, parts, is_root=True)
    missing = sorted(rebuild.refs - rebuild.ids)
    if missing:
        raise SvgRejected(f"reference to #{missing[0]}, which the drawing does not define")
    title = f'<title id="{prefix}">{escape(alt, quote=False)}</title>'
    return "".join(parts).replace("\0TITLE\0", title, 1)


@lru_cache(maxsize=256)
def build_figure(slug: str, alt: str, caption: str, source: str, prefix: str) -> Figure:
    """A Figure from a validated source (as `content sync` stores it), sanitized again before display."""
    return Figure(slug=slug, alt=alt, caption=caption, svg=sanitize_svg(source.encode("utf-8"), prefix, alt))


def stored_figures(stored: dict | None) -> dict[str, Figure]:
    """{slug: Figure} from what `content sync` stored for a module text; a figure that no longer passes the
    sanitizer is left out rather than shown unchecked."""
    figures = {}
    for slug, item in (stored or {}).items():
        try:
            figures[slug] = build_figure(slug, item["alt"], item["caption"], item["source"], item["prefix"])
        except (SvgRejected, KeyError, TypeError):
            continue
    return figures


# --- loading -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureSource:
    """A figure in one language as read from the files: what `content sync` stores."""

    slug: str
    alt: str
    caption: str
    source: str  # the SVG file's text (checked by sanitize_svg)
    prefix: str

    def figure(self) -> Figure:
        return build_figure(self.slug, self.alt, self.caption, self.source, self.prefix)

    def as_dict(self) -> dict[str, str]:
        return {"alt": self.alt, "caption": self.caption, "source": self.source, "prefix": self.prefix}


def svg_path(module_dir: Path, slug: str, locale: str) -> Path:
    return module_dir / FIGURES_FOLDER / f"{slug}.{locale}.svg"


def _entries(module_dir: Path) -> tuple[list[LineDict], list[FigureError]]:
    """The entries of figures.yaml (each knows its line), with its structural problems."""
    path = module_dir / FIGURES_FILE
    if not path.is_file():
        return [], []
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return [], [FigureError(path, 1, "not UTF-8 text")]
    except ContentError as error:
        return [], [FigureError(path, error.line, error.message)]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [FigureError(path, 1, "figures.yaml must be a list of {id, alt, caption}")]
    entries: list[LineDict] = []
    problems: list[FigureError] = []
    for item in data:
        line = item.line if isinstance(item, LineDict) else 1
        slug = item.get("id") if isinstance(item, LineDict) else None
        if not isinstance(slug, str) or not SLUG.match(slug):
            problems.append(FigureError(path, line, "each figure needs an id (lowercase letters, digits, hyphens)"))
        elif any(entry["id"] == slug for entry in entries):
            problems.append(FigureError(path, line, f"figure {slug!r} is listed twice"))
        else:
            entries.append(item)
    return entries, problems


def listed_figures(module_dir: Path) -> list[str]:
    """The ids of figures.yaml, in order, complete or not."""
    return [entry["id"] for entry in _entries(module_dir)[0]]


def read_figures(module_dir: Path, locales: tuple[str, ...]) -> tuple[dict[str, dict[str, FigureSource]], list]:
    """({locale: {slug: FigureSource}} of every figure complete and safe in that locale, [FigureError])."""
    entries, problems = _entries(module_dir)
    path = module_dir / FIGURES_FILE
    found: dict[str, dict[str, FigureSource]] = {locale: {} for locale in locales}
    for item in entries:
        slug, line = item["id"], item.line
        for locale in locales:
            texts = {}
            for key in ("alt", "caption"):
                value = item.get(key)
                text = value.get(locale) if isinstance(value, dict) else None
                if not isinstance(text, str) or not text.strip():
                    problems.append(FigureError(path, line, f"figure {slug!r} has no {locale} {key} text"))
                texts[key] = " ".join(str(text or "").split())
            svg = svg_path(module_dir, slug, locale)
            if not svg.is_file():
                problems.append(FigureError(svg, 1, f"missing {locale} drawing of figure {slug!r}"))
                continue
            if not texts["alt"] or not texts["caption"]:
                continue
            source = FigureSource(slug, texts["alt"], texts["caption"], "", id_prefix(module_dir.name, slug))
            try:
                data = svg.read_bytes()
                sanitize_svg(data, source.prefix, source.alt)
                source = FigureSource(**{**source.__dict__, "source": data.decode("utf-8")})
            except SvgRejected as error:
                problems.append(FigureError(svg, 1, f"unsafe or broken figure: {error}"))
                continue
            except UnicodeDecodeError:
                problems.append(FigureError(svg, 1, "not UTF-8 text"))
                continue
            found[locale][slug] = source
    return found, problems


def module_figures(module_dir: Path, locale: str) -> dict[str, Figure]:
    """{slug: Figure} of a module in `locale`, in the order of figures.yaml ({} when it has none). Raises
    FigureError for a figure missing, unsafe or broken in that locale (no English stand-in: see above)."""
    found, problems = read_figures(module_dir, (locale,))
    if problems:
        raise problems[0]
    return {slug: source.figure() for slug, source in found[locale].items()}


# --- placing on a page -------------------------------------------------------------------------------


def place_figures(clean_html: str, figures: dict[str, Figure], frame: Callable[[int, Figure], str]) -> str:
    """Sanitized lesson HTML with each `<p>[figure: slug]</p>` replaced by `frame(number, figure)` (the
    markup of the figure, numbered from 1 in order); an unknown slug or a repeat is dropped (content check
    refuses both, so that ids stay unique on the page)."""
    placed: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        slug = match.group(1)
        figure = figures.get(slug)
        if figure is None or slug in placed:
            return ""
        placed.add(slug)
        return frame(len(placed), figure)

    return _PLACED.sub(replace, clean_html)
