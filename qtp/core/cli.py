"""`flask --app wsgi qtp ...`: the command group every project command belongs to."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from qtp.core import backup, jobs, restore
from qtp.core.backup_db import BackupError
from qtp.extensions import db

qtp_cli = AppGroup("qtp", help="QTP project commands (demo data, accounts, content, certificates, bundles, backups).")


@qtp_cli.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool) -> None:
    """Run queued jobs (bulk certificates, certificate PDFs) when QTP_REDIS_URL is set."""
    if not jobs.uses_queue(current_app):
        raise click.ClickException("QTP_REDIS_URL is not set: jobs run inline, there is no queue to work on.")
    click.echo(f"Working on the {jobs.QUEUE_NAME!r} queue of {current_app.config['QTP_REDIS_URL']}")
    jobs.work(current_app, burst=burst)


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


@qtp_cli.command("backup")
@with_appcontext
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="The archive (a name ending in .tar.gz) or a folder for it "
    "(default: instance/backups/qtp-backup-<UTC time>.tar.gz).",
)
def backup_command(output: Path | None) -> None:
    """Write one consistent archive: the database, the storage files, the bundles' manifests, a checksum."""
    try:
        result = backup.create_backup(current_app._get_current_object(), output)  # type: ignore[attr-defined]
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written: {result.path} ({_size(result.size)})")
    click.echo(f"  checksum   {backup.checksum_path(result.path)} (sha256 {result.sha256})")
    click.echo(f"  database   {result.kind} at revision {result.revision}: {result.tables} tables, {result.rows} rows")
    click.echo(f"  files      {result.files} from the storage folder, {result.manifests} bundle manifests")
    click.echo(f"  took       {result.seconds:.1f} s")


@qtp_cli.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(archive: Path, yes: bool) -> None:
    """Restore a backup archive into this installation, which must be empty (checked first: nothing changes
    unless the archive is intact and the database and storage folder are empty)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    target = db.engine.url.render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"Restore {archive} into {target} and {app.config['QTP_STORAGE_DIR']}?", abort=True, err=True)
    try:
        result = restore.restore_backup(app, archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {archive} into {target} ({result.seconds:.1f} s)")
    click.echo(f"  database   {result.kind} at revision {result.revision}: {result.tables} tables, {result.rows} rows")
    click.echo(f"  files      {result.files} into {app.config['QTP_STORAGE_DIR']}")
    if result.needs_upgrade:
        click.echo("Next: `flask --app wsgi db upgrade` (the archive's revision is older than this code's).")
    listed = ", ".join(result.bundles) or "none"
    click.echo(f"Next: `flask --app wsgi qtp bundles build` rebuilds the bundles (the archive listed: {listed}).")


audit_cli = AppGroup("audit", help="The audit log's hash chain.")
qtp_cli.add_command(audit_cli)


@audit_cli.command("verify")
@with_appcontext
@click.option("--head", "recorded", metavar="SEQ:HASH", help="A head printed by an earlier run: the chain must "
              "still pass through it.")
def audit_verify(recorded: str | None) -> None:
    """Walk the audit log's hash chain: exit 1 naming each event changed, removed, inserted or re-chained."""
    from qtp.core import audit_chain

    expect = None
    if recorded:
        seq, _, chain = recorded.partition(":")
        if not seq.isdecimal() or len(chain) != 64:
            raise click.BadParameter("give the head as SEQ:HASH, as an earlier run printed it", param_hint="--head")
        expect = (int(seq), chain)
    report = audit_chain.verify(db.session, expect=expect)
    db.session.rollback()
    if not report.ok:
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"the audit chain does not verify ({len(report.problems)} problems above)")
    click.echo(f"Audit chain verified: {report.events} events, {report.redacted} redacted by an erasure.")
    click.echo(f"  head {report.head_seq}:{report.head_chain or '(empty)'}")
    click.echo("  Keep the head elsewhere (with the backups, say): a chain rewritten from its start verifies on its")
    click.echo("  own, but not with --head and a head recorded before the rewrite.")
