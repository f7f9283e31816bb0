"""`flask --app wsgi qtp demo`: load the demo data (refused in production) and print the logins."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from qtp.certificates.jobs import render_waiting
from qtp.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD
from qtp.demo.loader import DemoRefused, load_demo
from qtp.extensions import db


@click.command("demo")
@with_appcontext
@click.option("--quiet", is_flag=True, help="Do not print the demo logins.")
@click.option("--logins-only", is_flag=True, help="Only print the address and the demo logins (load nothing).")
def demo(quiet: bool, logins_only: bool) -> None:
    """Load the demo data (idempotent: a second run changes nothing)."""
    if logins_only:
        _print_logins()
        return
    try:
        created = load_demo(db.session, current_app.config["QTP_ENV"])
    except DemoRefused as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    rendered = render_waiting(announce=False)  # the finished demo cohort's certificates, into the app's storage
    click.echo(f"Demo data ready ({created} new records, {rendered} certificate PDFs).")
    if not quiet:
        _print_logins()


def _print_logins() -> None:
    base = current_app.config["QTP_BASE_URL"]
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    width = max(len(email) for email, _ in DEMO_ACCOUNTS)
    for email, description in DEMO_ACCOUNTS:
        click.echo(f"  {email:<{width}} {description}")
    click.echo(f"\nQTP opens on {base} as soon as the server below says it is running (Ctrl+C stops it).\n")


def register(group: AppGroup) -> None:
    group.add_command(demo)
