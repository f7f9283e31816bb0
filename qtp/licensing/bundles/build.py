"""`flask qtp bundles build`: every bundle, per product and language, from the content files.

A bundle is a folder `<QTP_BUNDLE_DIR>/<product>/<locale>/`. A program's bundle holds the decks (`slides/`), the
faculty instruction manual (`manual/`), the logo pack (`logo/`: SVG, PNG in three sizes and the usage
guidelines as a PDF); the symposium highlights package holds the book of selected abstracts (`abstracts/`), the
original slides its presenters released (`original-slides/`) and the logo pack, and its manifest lists what was
left out and why. Every bundle has a `manifest.json` (every file with its size, SHA-256 and CRC-32, the content
version and the build date). It is built in a temporary folder and moved into place whole, so a reader never
sees half a bundle; it is skipped when its content version has not changed. The build date is
SOURCE_DATE_EPOCH when set (reproducible builds), else today at midnight UTC.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from qtp.catalog.content import load_content
from qtp.catalog.content_base import ContentSet, ModuleContent, ProgramContent
from qtp.catalog.content_worksheets import WorksheetTypeContent
from qtp.licensing.bundles import decks
from qtp.licensing.bundles.deck_visuals import module_visuals
from qtp.licensing.bundles.highlights import highlights_files
from qtp.licensing.bundles.logo import logo_pack, logo_png
from qtp.licensing.bundles.manual import manual_pdf
from qtp.licensing.models import Product

BUILDER_VERSION = "4"  # raise when the output changes for the same content
MANIFEST = "manifest.json"
PRODUCT_OF_FORMAT = {"six_month": Product.SIX_MONTH, "one_day": Product.ONE_DAY}


class ContentInvalid(Exception):
    """The content files have errors: nothing is built."""


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)  # "six_month/es"
    skipped: list[str] = field(default_factory=list)


def build_date() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def content_version(program: ProgramContent, worksheet_types: list[WorksheetTypeContent]) -> str:
    """Changes with the program's files (faculty guide included), the worksheet definitions the manual prints,
    and the builder."""
    worksheets = ",".join(w.content_hash for w in worksheet_types)
    return hashlib.sha256(f"{program.content_hash}:{worksheets}:{BUILDER_VERSION}".encode()).hexdigest()[:32]


def _manifest_of(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def is_current(folder: Path, version: str) -> bool:
    """The bundle in `folder` was built from this content version, and every file it lists is intact."""
    manifest = _manifest_of(folder)
    if manifest is None or manifest.get("content_version") != version:
        return False
    for entry in manifest.get("files", []):
        path = folder / entry["path"]
        if not path.is_file() or path.stat().st_size != entry["size"]:
            return False
    return True


def units(root: Path, locales: tuple[str, ...]) -> tuple[list[tuple[ProgramContent, str]], ContentSet]:
    content = load_content(root, locales)
    if content.errors:
        first = content.errors[0]
        raise ContentInvalid(
            f"{len(content.errors)} content errors, the first: {first.path}:{first.line}: {first.message}"
        )
    work = [
        (program, locale) for program in content.programs if program.format in PRODUCT_OF_FORMAT for locale in locales
    ]
    return work, content


def _write_bundle(out: Path, product: str, locale: str, files: dict[str, bytes], manifest: dict) -> None:
    """Write the files and their manifest in a temporary folder, then move it into place whole."""
    folder = out / product / locale
    temp = out / product / f".{locale}.building"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    for path, data in files.items():
        (temp / path).parent.mkdir(parents=True, exist_ok=True)
        (temp / path).write_bytes(data)
    manifest["files"] = [
        {
            "path": path,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "crc32": zlib.crc32(data),  # lets a download stream the file into a ZIP without reading it twice
        }
        for path, data in sorted(files.items())
    ]
    (temp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    old = out / product / f".{locale}.old"
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    temp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def module_deck(program: ProgramContent, module: ModuleContent, locale: str, built_at: datetime) -> decks.Deck:
    """A module's deck in `locale`: its outline, objectives and the charts and figures its slides place."""
    title = program.config["titles"].get(locale) or program.config["titles"]["en"]
    text = module.texts.get(locale) or module.texts["en"]
    placed = {(visual.kind, visual.slug) for slide in text.slides for visual in slide.visuals}
    return decks.Deck(
        locale,
        title,
        decks.module_kicker(locale, module.position),
        text.title,
        text.slides,
        objectives=[text.objectives[key] for key in module.objectives if key in text.objectives],
        edition=decks.edition_line(locale, built_at),
        minutes=module.minutes,
        visuals=module_visuals(module.folder, module.examples, placed, locale),
    )


def _program_files(
    program: ProgramContent,
    content: ContentSet,
    locale: str,
    version: str,
    built_at: datetime,
    logo: bytes,
    tick: Callable,
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for module in program.modules:
        deck = module_deck(program, module, locale, built_at)
        files[f"slides/{module.slug}.pptx"] = decks.pptx_deck(deck, logo, built_at)
        files[f"slides/{module.slug}.pdf"] = decks.pdf_deck(deck)
        tick()
    files["manual/faculty-manual.pdf"] = manual_pdf(program, content.worksheet_types, locale, built_at, version)
    tick()
    files.update(logo_pack(locale))
    return files


def build_bundles(
    root: Path,
    out: Path,
    locales: tuple[str, ...],
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    only: frozenset[str] | None = None,
) -> BuildReport:
    """Build every bundle whose content changed (all of them with `force`), or only those named in `only`
    ("six_month/es"). `progress(done, total)` is called after each step (a module's decks, a manual, a package
    of highlights)."""
    report = BuildReport()
    work, content = units(root, locales)
    highlights = content.highlights
    highlight_locales = list(locales)
    if only is not None:
        work = [(p, loc) for p, loc in work if f"{PRODUCT_OF_FORMAT[p.format].value}/{loc}" in only]
        highlight_locales = [loc for loc in locales if f"{Product.SYMPOSIUM.value}/{loc}" in only]
    total = sum(len(program.modules) + 1 for program, _locale in work) + (len(highlight_locales) if highlights else 0)
    done = 0
    built_at = build_date()
    stamp = built_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    logo = logo_png()  # placed on every deck

    def tick(steps: int = 1) -> None:
        nonlocal done
        done += steps
        if progress:
            progress(done, total)

    for program, locale in work:
        product = PRODUCT_OF_FORMAT[program.format].value
        version = content_version(program, content.worksheet_types)
        if not force and is_current(out / product / locale, version):
            report.skipped.append(f"{product}/{locale}")
            tick(len(program.modules) + 1)
            continue
        files = _program_files(program, content, locale, version, built_at, logo, tick)
        manifest = {"product": product, "locale": locale, "program": program.slug, "content_version": version}
        _write_bundle(out, product, locale, files, manifest | {"built_at": stamp})
        report.built.append(f"{product}/{locale}")
    if highlights is not None:
        product = Product.SYMPOSIUM.value
        version = hashlib.sha256(f"{highlights.content_hash}:{BUILDER_VERSION}".encode()).hexdigest()[:32]
        for locale in highlight_locales:
            if not force and is_current(out / product / locale, version):
                report.skipped.append(f"{product}/{locale}")
                tick()
                continue
            files, left_out = highlights_files(highlights, locale, built_at, logo)
            manifest = {"product": product, "locale": locale, "program": highlights.slug, "content_version": version}
            _write_bundle(out, product, locale, files, manifest | {"built_at": stamp, "left_out": left_out})
            report.built.append(f"{product}/{locale}")
            tick()
    return report
