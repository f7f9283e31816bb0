"""Helpers shared by the admin-area tests: reading audit rows, invitation links, form errors."""

from __future__ import annotations

import html
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Invitation, Organization, User
from qtp.core.audit import AuditEvent

LINK = re.compile(r"https?://\S+/invitation/(\S+)")


def events(session: Session, action: str | None = None) -> list[AuditEvent]:
    session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))


def invitations(session: Session, email: str | None = None) -> list[Invitation]:
    session.expire_all()
    query = select(Invitation).order_by(Invitation.id)
    if email:
        query = query.where(Invitation.email == email)
    return list(session.scalars(query))


def user_by_email(session: Session, email: str) -> User | None:
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def organization_named(session: Session, name: str) -> Organization | None:
    session.expire_all()
    return session.scalar(select(Organization).where(Organization.name == name))


def invitation_path(mail) -> str:  # type: ignore[no-untyped-def]
    """The path of the invitation link in an e-mail: /invitation/<token>."""
    match = LINK.search(mail.body)
    assert match, f"no invitation link in the e-mail:\n{mail.body}"
    return f"/invitation/{match.group(1)}"


def field_error(page: str, field_id: str) -> str:
    """The text of the error shown under a form field (empty when there is none)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else ""
