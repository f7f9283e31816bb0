"""`flask --app wsgi qtp create-admin`."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from qtp.accounts.models import User, UserRole
from qtp.accounts.queries import find_user_by_email, normalize_email
from qtp.core import audit
from qtp.core.passwords import hash_password, password_problem
from qtp.core.permissions import Role
from qtp.extensions import db


@click.command("create-admin")
@with_appcontext
@click.option("--email", prompt=True, help="E-mail address of the administrator.")
@click.option("--name", prompt=True, help="Full name.")
@click.password_option(help="Password (asked twice when not given).")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account, or grant the admin role to an existing one."""
    email = normalize_email(email)
    user = find_user_by_email(db.session, email)
    if user is not None:
        if user.has_role(Role.ADMIN):
            click.echo(f"{email} is already an administrator.")
            return
        user.roles.append(UserRole(role=Role.ADMIN))
        audit.record(db.session, None, "user.roles_changed", user, summary=email, details={"roles": {"added": "admin"}})
        db.session.commit()
        click.echo(f"Granted the admin role to {email}.")
        return
    problem = password_problem(password, [email, name])
    if problem:
        raise click.ClickException(problem)
    user = User(
        email=email, name=name.strip(), password_hash=hash_password(password), roles=[UserRole(role=Role.ADMIN)]
    )
    db.session.add(user)
    audit.record(db.session, None, "user.created", user, summary=email, details={"roles": ["admin"], "via": "cli"})
    db.session.commit()
    click.echo(f"Created administrator {email}.")


def register(group: AppGroup) -> None:
    group.add_command(create_admin)
