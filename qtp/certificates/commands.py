"""`flask --app wsgi qtp certificates issue --cohort <slug>`: issue to every participant of a cohort who has
completed it, in this process, with a progress bar. Run it again after an interruption: it finishes the PDFs
left unrendered and issues nothing twice."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from qtp.accounts.models import User
from qtp.certificates.jobs import issue_cohort
from qtp.cohorts.models import Cohort
from qtp.extensions import db

certificates_cli = AppGroup("certificates", help="Completion certificates.")


@certificates_cli.command("issue")
@with_appcontext
@click.option("--cohort", "slug", required=True, help="The cohort's slug (see Admin > Cohorts).")
@click.option("--by", "by_email", default=None, help="E-mail of the admin the audit log names (default: none).")
def issue(slug: str, by_email: str | None) -> None:
    """Issue certificates to everyone in the cohort who has met every condition."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == slug))
    if cohort is None:
        raise click.ClickException(f"no cohort with the slug {slug!r}")
    actor = None
    if by_email:
        actor = db.session.scalar(select(User).where(User.email == by_email.strip().lower()))
        if actor is None:
            raise click.ClickException(f"no account with the e-mail {by_email!r}")
    bar = None

    def advance(count: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="Rendering certificates", show_pos=True, show_eta=True)
            bar.__enter__()
        bar.update(count)

    try:
        result = issue_cohort(cohort.id, actor.id if actor else None, progress=advance)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(
        f"{cohort.slug}: {result.issued} issued, {result.rendered} PDFs stored, "
        f"{result.already} already held one, {len(result.incomplete)} not complete yet."
    )


def register(group: AppGroup) -> None:
    group.add_command(certificates_cli)
