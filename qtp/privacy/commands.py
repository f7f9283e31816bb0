"""`flask --app wsgi qtp privacy purge [--dry-run]`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from qtp.core.db import utcnow
from qtp.extensions import db
from qtp.privacy.retention import purge_interest_answers

privacy_cli = AppGroup("privacy", help="Personal data: retention.")


@privacy_cli.command("purge")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--months", type=click.IntRange(min=1), help="Override QTP_INTEREST_RETENTION_MONTHS.")
def purge(dry_run: bool, months: int | None) -> None:
    """Delete the interest-survey answers older than the retention period (QTP_INTEREST_RETENTION_MONTHS)."""
    months = months or current_app.config["QTP_INTEREST_RETENTION_MONTHS"]
    result = purge_interest_answers(db.session, months=months, now=utcnow(), dry_run=dry_run)
    when = result.cutoff.strftime("%Y-%m-%d %H:%M UTC")
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run: {result.count} interest-survey answer(s) given before {when} would be deleted.")
        return
    db.session.commit()
    click.echo(f"Deleted {result.count} interest-survey answer(s) given before {when} ({months} months).")


def register(group: AppGroup) -> None:
    group.add_command(privacy_cli)
