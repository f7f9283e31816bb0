"""Flask-Login wiring: the session carries `<user id>:<session token>`; a rotated token ends the session."""

from __future__ import annotations

import hmac

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy.orm import joinedload

from qtp.accounts.models import User
from qtp.extensions import db


def load_user(session_id: str) -> User | None:
    user_id, sep, token = (session_id or "").partition(":")
    if not sep or not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id), options=[joinedload(User.roles)])  # one statement
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def init_login(app: Flask, manager: LoginManager) -> None:
    manager.init_app(app)
    manager.user_loader(load_user)
    manager.login_view = "accounts.login"
    manager.login_message = _l("Please sign in to see this page.")
    manager.login_message_category = "info"
    manager.needs_refresh_message = _l("Please sign in again to continue.")
    manager.session_protection = "basic"
