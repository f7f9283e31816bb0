"""Read-side helpers for accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization, User


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def list_active_organizations(session: Session) -> list[Organization]:
    return list(session.scalars(select(Organization).where(Organization.is_active).order_by(Organization.name)))
