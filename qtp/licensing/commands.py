"""`flask --app wsgi qtp bundles build [--force]`: build the licensed-content bundles from courses/."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from qtp.extensions import db
from qtp.licensing.bundles.build import ContentInvalid, build_bundles
from qtp.licensing.bundles.lock import BuildRunning, build_lock
from qtp.licensing.services import record_bundles

bundles_cli = AppGroup("bundles", help="Licensed-content bundles (slide decks) built from courses/.")


@bundles_cli.command("build")
@with_appcontext
@click.option("--force", is_flag=True, help="Build every bundle, even those whose content has not changed.")
@click.option(
    "--background", is_flag=True, help="Run beside a server (make run): lower priority, lines marked 'bundles:'."
)
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="PRODUCT/LOCALE",
    help="Build only this bundle (e.g. symposium_highlights/es); repeatable. The others are left as they are.",
)
def build(force: bool, background: bool, only: tuple[str, ...]) -> None:
    """Build the bundle of each product and language whose content changed (SOURCE_DATE_EPOCH pins dates)."""
    config = current_app.config
    out = Path(config["QTP_BUNDLE_DIR"])
    mark = "bundles: " if background else ""
    if background:
        os.nice(10)  # the server beside it answers first
    meanwhile = "; until it ends, licensees see 'not built yet'" if background else ""
    click.echo(
        f"{mark}Building the licensed-content bundles (slide decks and manuals; the first build takes a minute or "
        f"two{meanwhile})"
    )
    shown = {"tenth": -1}

    def advance(done: int, total: int) -> None:
        # A line every tenth of the way, not a progress bar: it shows under make, in CI logs and in a terminal.
        tenth = done * 10 // max(total, 1)
        if tenth != shown["tenth"]:
            shown["tenth"] = tenth
            click.echo(f"{mark or '  '}{done * 100 // max(total, 1)}% ({done} of {total} steps)")

    try:
        with build_lock(out):
            report = build_bundles(
                Path(config["QTP_CONTENT_ROOT"]),
                out,
                tuple(config["QTP_LOCALES"]),
                force=force,
                progress=advance,
                only=frozenset(only) if only else None,
            )
    except BuildRunning as error:
        raise click.ClickException("another bundle build is running (its lock is held); try again later") from error
    except ContentInvalid as error:
        raise click.ClickException(str(error)) from error
    record_bundles(db.session, out)
    db.session.commit()
    click.echo(f"{mark}Bundles in {out}: {len(report.built)} built, {len(report.skipped)} unchanged.")
    if background:
        return  # one line beside the server's log is enough
    for name in report.built:
        click.echo(f"  built      {name}")
    for name in report.skipped:
        click.echo(f"  unchanged  {name}")


def register(group: AppGroup) -> None:
    group.add_command(bundles_cli)
