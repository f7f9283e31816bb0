"""`flask --app wsgi qtp content check|sync`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from qtp.catalog.content import load_content
from qtp.catalog.content_base import Reporter
from qtp.catalog.content_language import check_language
from qtp.catalog.sync import ContentInvalid, sync_content
from qtp.extensions import db

content_cli = AppGroup("content", help="Validate and index the course content in courses/.")


def content_root() -> Path:
    return Path(current_app.config["QTP_CONTENT_ROOT"])


@content_cli.command("check")
@with_appcontext
def check() -> None:
    """Validate every content file; print file:line: message for each problem; exit 1 on any."""
    root, locales = content_root(), tuple(current_app.config["QTP_LOCALES"])
    content = load_content(root, locales)
    catalogues = root.parent / "translations"  # the UI catalogues beside courses/, when there are
    check_language(content, root, locales, catalogues if catalogues.is_dir() else None, Reporter(root, content))
    for problem in content.problems:
        click.echo(str(problem), err=False)
    modules = sum(len(p.modules) for p in content.programs)
    if content.problems:
        click.echo(
            f"{len(content.errors)} errors, {len(content.warnings)} warnings (translations, glossary) "
            f"in {len(content.programs)} programs, {modules} modules",
            err=True,
        )
        sys.exit(1)
    extra = ""
    if content.highlights is not None:
        extra = f", the symposium highlights ({len(content.highlights.presentations)} presentations)"
    click.echo(f"ok: {len(content.programs)} programs, {modules} modules{extra}, every language current")


@content_cli.command("sync")
@with_appcontext
def sync() -> None:
    """Index the content into the database (all or nothing; skipped when nothing changed)."""
    started = time.perf_counter()
    try:
        result = sync_content(db.session, content_root(), tuple(current_app.config["QTP_LOCALES"]))
    except ContentInvalid as error:
        db.session.rollback()
        for problem in error.errors:
            click.echo(str(problem))
        raise click.ClickException(f"{len(error.errors)} content errors: nothing was loaded") from error
    db.session.commit()
    elapsed = time.perf_counter() - started
    if result.unchanged:
        click.echo(f"content unchanged ({elapsed:.2f} s)")
        return
    for warning in result.warnings:
        click.echo(f"warning: {warning}")
    click.echo(
        f"content synced in {elapsed:.2f} s: programs {', '.join(result.programs) or '-'}; modules "
        f"{result.modules_created} new, {result.modules_updated} updated, {result.modules_unchanged} unchanged, "
        f"{result.modules_retired} retired; worksheet types {result.worksheet_types} written"
    )


def register(group: AppGroup) -> None:
    group.add_command(content_cli)
