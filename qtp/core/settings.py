"""Site settings that admins change from the admin pages (one row per key, value as JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from qtp.core.db import Base, utcnow

REQUIRE_STAFF_TWO_FACTOR = "require_staff_two_factor"

DEFAULTS: dict[str, Any] = {REQUIRE_STAFF_TWO_FACTOR: False}


class SiteSetting(Base):
    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


def get_setting(session: Session, key: str) -> Any:
    row = session.get(SiteSetting, key)
    return DEFAULTS[key] if row is None else row.value


def put_setting(session: Session, key: str, value: Any, actor_id: int | None) -> Any:
    """Store the value; returns the previous one. No commit, no audit (the calling service writes it)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    row = session.get(SiteSetting, key)
    before = DEFAULTS[key] if row is None else row.value
    if row is None:
        row = SiteSetting(key=key, value=value, updated_by_id=actor_id)
        session.add(row)
    else:
        row.value, row.updated_by_id = value, actor_id
    session.flush()
    return before
