"""Read models for the admin pages: filtered, paginated lists and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from qtp.accounts.models import Invitation, Organization, User, UserRole
from qtp.core.audit import AuditEvent
from qtp.core.db import utcnow
from qtp.core.text import fold

T = TypeVar("T")
PAGE_SIZE = 25


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    total: int
    per_page: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _paginate(session: Session, query: Select, page: int, *, rows: bool = False) -> Page:
    """One page of `query` (entities, or whole rows when `rows`), with the total count."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = max(1, min(page, max(1, -(-total // PAGE_SIZE))))
    result = session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    items = list(result.all()) if rows else list(result.unique().scalars())
    return Page(items=items, page=page, total=total)


@dataclass(frozen=True)
class AdminCounts:
    users: int
    active_users: int
    organizations: int
    pending_invitations: int


def count_overview(session: Session) -> AdminCounts:
    now = utcnow()
    row = session.execute(
        select(
            select(func.count(User.id)).scalar_subquery(),
            select(func.count(User.id)).where(User.is_active).scalar_subquery(),
            select(func.count(Organization.id)).where(Organization.is_active).scalar_subquery(),
            select(func.count(Invitation.id))
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > now)
            .scalar_subquery(),
        )
    ).one()
    return AdminCounts(*row)


def list_users(
    session: Session,
    *,
    text: str = "",
    role: str = "",
    status: str = "",
    organization_id: int | None = None,
    page: int = 1,
) -> Page[User]:
    query = select(User).options(selectinload(User.roles)).order_by(User.name, User.id)
    if fold(text):
        query = query.where(User.search_key.contains(fold(text), autoescape=True))
    if role:
        query = query.where(User.roles.any(UserRole.role == role))
    if status == "active":
        query = query.where(User.is_active)
    elif status == "inactive":
        query = query.where(~User.is_active)
    if organization_id:
        query = query.where(User.organization_id == organization_id)
    return _paginate(session, query, page)


def list_open_invitations(session: Session) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .order_by(Invitation.created_at.desc())
            .limit(100)
        )
    )


def find_invitation(session: Session, invitation_id: int) -> Invitation | None:
    return session.get(Invitation, invitation_id)


def find_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def find_organization(session: Session, organization_id: int) -> Organization | None:
    return session.get(Organization, organization_id)


@dataclass(frozen=True)
class OrganizationRow:
    organization: Organization
    user_count: int


def list_organizations(
    session: Session, *, text: str = "", kind: str = "", country: str = "", status: str = "", page: int = 1
) -> Page[OrganizationRow]:
    users = select(func.count(User.id)).where(User.organization_id == Organization.id).scalar_subquery()
    query = select(Organization, users).order_by(Organization.name)
    if fold(text):
        query = query.where(Organization.name_key.contains(fold(text), autoescape=True))
    if kind:
        query = query.where(Organization.kind == kind)
    if country:
        query = query.where(Organization.country == country)
    if status == "active":
        query = query.where(Organization.is_active)
    elif status == "inactive":
        query = query.where(~Organization.is_active)
    result = _paginate(session, query, page, rows=True)
    return Page(
        items=[OrganizationRow(org, count) for org, count in result.items], page=result.page, total=result.total
    )


def list_audit_events(
    session: Session,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
    page: int = 1,
) -> Page[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action.strip(), autoescape=True))
    if actor:
        query = query.join(User, AuditEvent.actor_id == User.id).where(
            User.email.contains(actor.strip().lower(), autoescape=True)
        )
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id.strip())
    if since:
        query = query.where(AuditEvent.at >= _start_of(since))
    if until:
        query = query.where(AuditEvent.at < _start_of(until + timedelta(days=1)))
    return _paginate(session, query, page)


def list_recent_audit_events(session: Session, limit: int = 8) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


def list_audit_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def list_audit_object_types(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
