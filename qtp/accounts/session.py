"""Flask-Login wiring: the session carries `<user id>:<session token>:<session id>`.

A rotated token ends every session of the user; a revoked (or long idle) session row ends that browser's.
Loading the user is one statement (user, roles, organization and the session row); the row's last-seen time is
written at most once a minute.
"""

from __future__ import annotations

import hmac

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from qtp.accounts.models import User
from qtp.accounts.security_models import UserSession
from qtp.accounts.session_services import TOUCH_EVERY, is_expired, touch
from qtp.core.db import utcnow
from qtp.extensions import db


def parse_session_id(session_id: str | None) -> tuple[int, str, str] | None:
    user_id, token, public_id = ((session_id or "").split(":") + ["", "", ""])[:3]
    if not user_id.isdigit() or not token or not public_id:
        return None
    return int(user_id), token, public_id


def load_user(session_id: str) -> User | None:
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    user_id, token, public_id = parsed
    found = (
        db.session.execute(
            select(User, UserSession)
            .join(UserSession, UserSession.user_id == User.id)
            .options(joinedload(User.roles))
            .where(User.id == user_id, UserSession.public_id == public_id, UserSession.revoked_at.is_(None))
        )
        .unique()
        .first()
    )
    if found is None:
        return None
    user, row = found
    if not user.is_active or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    now = utcnow()
    if is_expired(row, now):
        return None
    user.current_session_id = row.public_id
    if row.last_seen_at < now - TOUCH_EVERY:
        _touch(row)
    return user


def _touch(row: UserSession) -> None:
    """Record that the session is in use, in a transaction of its own (nothing else of the request is in it yet:
    the user is loaded before any view runs), without expiring what was just loaded."""
    session = db.session()
    touch(session, row, request.remote_addr or "")
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def init_login(app: Flask, manager: LoginManager) -> None:
    manager.init_app(app)
    manager.user_loader(load_user)
    manager.login_view = "accounts.login"
    manager.login_message = _l("Please sign in to see this page.")
    manager.login_message_category = "info"
    manager.needs_refresh_message = _l("Please sign in again to continue.")
    manager.session_protection = "basic"
