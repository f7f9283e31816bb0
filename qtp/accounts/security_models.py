"""Signed-in sessions (one row per device), two-factor secrets and recovery codes."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from qtp.core.db import Base, utcnow


def new_session_public_id() -> str:
    return secrets.token_urlsafe(18)


class UserSession(Base):
    """A signed-in browser (its session cookie and its remember-me cookie carry `public_id`).

    Revoking the row ends that browser's session at its next request; rotating the user's session token ends all.
    """

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_seen", "user_id", "last_seen_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_session_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(120), default="")  # a summary: "Chrome on Windows"
    is_remembered: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None]


class TwoFactorSecret(Base):
    """The TOTP secret of one user, encrypted with a key derived from the app's secret key.

    Pending (confirmed_at None) from "turn on" until the first code is confirmed.
    """

    __tablename__ = "two_factor_secrets"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # The last 30-second time step whose code was accepted: a code of that step or an earlier one is refused.
    last_used_step: Mapped[int] = mapped_column(default=0)


class RecoveryCode(Base):
    """A single-use recovery code; only a keyed hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
