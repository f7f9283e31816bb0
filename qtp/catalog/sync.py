"""Indexing `courses/` into the database: all or nothing, idempotent, versioned by content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qtp.catalog.content import ContentSet, ModuleContent, folder_hash, load_content
from qtp.catalog.content_base import WORKSHEET_TYPES
from qtp.catalog.content_worksheets import worksheet_type_hash
from qtp.catalog.files import Problem
from qtp.catalog.models import Module, ModuleText, Program, WorksheetType
from qtp.catalog.public import forget_content_version
from qtp.core import audit
from qtp.core.db import utcnow


class ContentInvalid(Exception):
    def __init__(self, errors: list[Problem]) -> None:
        super().__init__(f"{len(errors)} content errors")
        self.errors = errors


@dataclass
class SyncResult:
    unchanged: bool = False
    programs: list[str] = field(default_factory=list)
    modules_created: int = 0
    modules_updated: int = 0
    modules_unchanged: int = 0
    modules_retired: int = 0
    worksheet_types: int = 0
    warnings: list[Problem] = field(default_factory=list)


def program_folders(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/program.yaml"))


def fingerprint(root: Path) -> dict[str, str]:
    """Hash of each program's folder, computed from the raw files only (no parsing)."""
    return {folder.name: folder_hash(folder) for folder in program_folders(root)}


def worksheet_fingerprint(root: Path) -> dict[str, str]:
    folder = root / "worksheets"
    return {slug: worksheet_type_hash(folder, slug) for slug in WORKSHEET_TYPES if (folder / f"{slug}.yaml").is_file()}


def sync_content(session: Session, root: Path, locales: tuple[str, ...]) -> SyncResult:
    """Bring the database in line with `root`. Nothing is written when any file has an error."""
    current = fingerprint(root)
    worksheets = worksheet_fingerprint(root)
    stored = dict(session.execute(select(Program.slug, Program.content_hash)).all())
    stored_worksheets = dict(
        session.execute(select(WorksheetType.slug, WorksheetType.content_hash).where(WorksheetType.is_active)).all()
    )
    if (
        current
        and all(stored.get(slug) == digest for slug, digest in current.items())
        and worksheets == stored_worksheets
    ):
        return SyncResult(unchanged=True)
    content = load_content(root, locales)
    if content.errors:
        raise ContentInvalid(content.errors)
    result = _apply(session, content, current)
    result.worksheet_types = _apply_worksheets(session, content)
    forget_content_version()  # a sync started from a page: what the request renders next is the new content
    return result


def _apply(session: Session, content: ContentSet, digests: dict[str, str]) -> SyncResult:
    result = SyncResult(warnings=content.warnings)
    now = utcnow()
    for program in content.programs:
        row = session.scalar(select(Program).where(Program.slug == program.slug).options(selectinload(Program.modules)))
        if row is None:
            row = Program(slug=program.slug)
            session.add(row)
        if row.content_hash == digests[program.slug]:
            continue
        row.format = program.format
        row.titles = program.config["titles"]
        row.config = program.config
        row.pages = {locale: page.as_dict() for locale, page in program.pages.items()}
        row.content_hash = digests[program.slug]
        row.synced_at = now
        result.programs.append(program.slug)
        existing = {m.slug: m for m in row.modules}
        for module in program.modules:
            stored = existing.pop(module.slug, None)
            if stored is not None and stored.content_hash == module.content_hash and stored.is_active:
                stored.position = module.position
                result.modules_unchanged += 1
                continue
            if stored is None:
                stored = Module(program=row, slug=module.slug)
                session.add(stored)
                result.modules_created += 1
            else:
                result.modules_updated += 1
            stored.position = module.position
            stored.phase = module.phase
            stored.minutes = module.minutes
            stored.prerequisites = module.prerequisites
            stored.worksheets = module.worksheets
            stored.questions = module.questions
            stored.content_hash = module.content_hash
            stored.is_active = True
            _replace_texts(stored, module)
        for retired in existing.values():
            if retired.is_active:
                retired.is_active = False
                result.modules_retired += 1
    if result.programs:
        version = hashlib.sha256("".join(sorted(digests.values())).encode()).hexdigest()[:16]
        audit.record(
            session,
            None,
            "content.synced",
            ("content", version),
            summary=", ".join(result.programs),
            details={
                "created": result.modules_created,
                "updated": result.modules_updated,
                "retired": result.modules_retired,
                "warnings": len(result.warnings),
            },
        )
    return result


def _replace_texts(stored: Module, module: ModuleContent) -> None:
    """Update each language's row in place (a delete-then-insert would clash on the unique key)."""
    rows = {text.locale: text for text in stored.texts}
    for locale, text in module.texts.items():
        row = rows.pop(locale, None)
        if row is None:
            row = ModuleText(locale=locale)
            stored.texts.append(row)
        row.status = text.status
        row.title = text.title
        row.summary = text.summary
        row.objectives = text.objectives
        row.body_html = text.body_html
        row.questions = text.questions
        row.slides = [
            {"title": s.title, "bullets": [f"[{v.kind}: {v.slug}]" for v in s.visuals] + s.bullets, "notes": s.notes}
            for s in text.slides
        ]  # a chart or figure line kept where the author put it, first: the staff preview names it
        row.figures = text.figures
    for row in rows.values():
        stored.texts.remove(row)


def _apply_worksheets(session: Session, content: ContentSet) -> int:
    """Upsert worksheet types; a type no longer defined is retired. Returns how many were written."""
    rows = {row.slug: row for row in session.scalars(select(WorksheetType))}
    written = 0
    for worksheet in content.worksheet_types:
        row = rows.pop(worksheet.slug, None)
        if row is not None and row.content_hash == worksheet.content_hash and row.is_active:
            continue
        if row is None:
            row = WorksheetType(slug=worksheet.slug)
            session.add(row)
        row.position = worksheet.position
        row.is_repeatable = worksheet.repeatable
        row.definition = {"fields": worksheet.fields, "rubric": worksheet.rubric}
        row.texts = worksheet.texts
        row.statuses = worksheet.statuses
        row.content_hash = worksheet.content_hash
        row.is_active = True
        written += 1
    for retired in rows.values():
        retired.is_active = False
    return written
