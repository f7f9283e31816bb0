"""Signed-in sessions: opening one at sign-in, ending one, all or all but this one.

A session row is what a browser's cookies point at (`<user id>:<session token>:<session id>`): revoking the row
ends that browser's session; rotating the user's session token ends all of them (sign-out, password change,
deactivation, an admin's two-factor reset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qtp.accounts.models import User, new_session_token
from qtp.accounts.security_models import UserSession
from qtp.accounts.useragent import summarize
from qtp.core import audit
from qtp.core.db import utcnow
from qtp.core.service import ServiceError

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often per session


@dataclass(frozen=True)
class Device:
    """Where a sign-in comes from, as the view read it from the request."""

    ip_address: str = ""
    user_agent: str = ""
    remember: bool = False


def idle_limit(is_remembered: bool) -> timedelta:
    """How long a session may go unused before it ends (the remember-me cookie's life, or the session's)."""
    key = "REMEMBER_COOKIE_DURATION" if is_remembered else "PERMANENT_SESSION_LIFETIME"
    return current_app.config[key]


def is_expired(row: UserSession, now: datetime) -> bool:
    return row.last_seen_at < now - idle_limit(row.is_remembered)


def open_session(session: Session, user: User, device: Device) -> UserSession:
    """Record a signed-in session for this browser and sign the user in to it (recorded in the audit log)."""
    now = utcnow()
    row = UserSession(
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        ip_address=(device.ip_address or "")[:64],
        user_agent=summarize(device.user_agent)[:120],
        is_remembered=device.remember,
    )
    session.add(row)
    session.flush()
    user.current_session_id = row.public_id
    user.last_login_at = now
    audit.record(session, user, "account.signed_in", user, summary=user.email)
    return row


def end_all_sessions(session: Session, user: User) -> None:
    """Every session and remember-me cookie of the user stops working (no audit: the caller writes its own)."""
    user.session_token = new_session_token()
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def touch(session: Session, row: UserSession, ip_address: str) -> None:
    now = utcnow()
    row.last_seen_at = now
    if ip_address:
        row.ip_address = ip_address[:64]


def revoke_session(session: Session, user: User, public_id: str) -> UserSession:
    """Sign out one of the user's sessions (another browser, or this one)."""
    row = session.scalar(
        select(UserSession).where(
            UserSession.public_id == public_id, UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
        )
    )
    if row is None:
        raise ServiceError(_("This session has already ended."))
    row.revoked_at = utcnow()
    audit.record(session, user, "account.session_revoked", user, summary=user.email, details={"session": row.id})
    return row


def revoke_other_sessions(session: Session, user: User, current_public_id: str | None) -> int:
    """Sign out every session of the user but this one; how many ended."""
    result = session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.revoked_at.is_(None),
            UserSession.public_id != (current_public_id or ""),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session, user, "account.other_sessions_revoked", user, summary=user.email, details={"count": result.rowcount}
    )
    return result.rowcount


def list_active_sessions(session: Session, user: User) -> list[UserSession]:
    """The user's sessions that still work: not revoked and not idle past their lifetime; latest first."""
    now = utcnow()
    oldest = now - max(idle_limit(True), idle_limit(False))
    rows = session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.last_seen_at >= oldest)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return [row for row in rows if not is_expired(row, now)]
