"""`flask --app wsgi qtp ...`: the command group every project command belongs to."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from qtp.core import jobs

qtp_cli = AppGroup("qtp", help="QTP project commands (demo data, accounts, content, certificates, bundles).")


@qtp_cli.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool) -> None:
    """Run queued jobs (bulk certificates, certificate PDFs) when QTP_REDIS_URL is set."""
    if not jobs.uses_queue(current_app):
        raise click.ClickException("QTP_REDIS_URL is not set: jobs run inline, there is no queue to work on.")
    click.echo(f"Working on the {jobs.QUEUE_NAME!r} queue of {current_app.config['QTP_REDIS_URL']}")
    jobs.work(current_app, burst=burst)
