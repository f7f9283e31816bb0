"""Users, their roles, organizations and invitations."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from qtp.core.db import Base, TimestampMixin, utcnow
from qtp.core.permissions import Role
from qtp.core.text import fold

# An erased account (qtp.privacy.erasure): this name, and an address in a domain that can never receive mail.
ERASED_NAME = "Erased user"
ERASED_DOMAIN = "erased.invalid"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class OrganizationKind(StrEnum):
    PRACTICE = "practice"
    LICENSEE = "licensee"
    PROGRAM = "program"
    OTHER = "other"


ORGANIZATION_KIND_LABELS = {
    OrganizationKind.PRACTICE: _l("Oncology practice"),
    OrganizationKind.LICENSEE: _l("Licensee institution"),
    OrganizationKind.PROGRAM: _l("Program office"),
    OrganizationKind.OTHER: _l("Other"),
}


class Organization(TimestampMixin, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Folded name (case and accents ignored): unique, so near-duplicates are refused even under a race.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=OrganizationKind.PRACTICE)
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(120), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    users: Mapped[list[User]] = relationship(back_populates="organization")

    @validates("name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_key = fold(value)
        return value

    @property
    def kind_label(self) -> str:
        return str(ORGANIZATION_KIND_LABELS.get(OrganizationKind(self.kind), self.kind))


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Rotated at logout, password change and deactivation: every other session and remember-me cookie
    # carries the old value and stops working.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    last_login_at: Mapped[datetime | None]
    # Set when the person confirmed an authenticator app (two-factor sign-in); None while it is off.
    two_factor_enabled_at: Mapped[datetime | None]
    # Folded "name email" for case- and accent-insensitive search on every database.
    search_key: Mapped[str] = mapped_column(String(460), default="", index=True)

    organization: Mapped[Organization | None] = relationship(back_populates="users", lazy="joined")
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    # Flask-Login interface.
    is_authenticated = True
    is_anonymous = False

    @validates("name", "email")
    def _fold_search_key(self, key: str, value: str) -> str:
        name = value if key == "name" else (self.name or "")
        email = value if key == "email" else (self.email or "")
        self.search_key = fold(f"{name} {email}")
        return value

    # The public id of the signed-in session this object was loaded for (set at sign-in and by load_user).
    current_session_id = None  # a str once set; not a column

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}:{self.current_session_id or ''}"

    @property
    def has_two_factor(self) -> bool:
        return self.two_factor_enabled_at is not None

    @property
    def is_erased(self) -> bool:
        return (self.email or "").endswith("@" + ERASED_DOMAIN)

    @property
    def display_name(self) -> str:
        """The name pages show: "Erased user" in the reader's language for an erased account."""
        return _("Erased user") if self.is_erased else self.name

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.roles)

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")


class Invitation(Base):
    """An invitation to create an account; only a hash of its token is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    locale: Mapped[str | None] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # an invitation to join a team (sent from the cohort's team page): accepting it makes the membership
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    team_role: Mapped[str | None] = mapped_column(String(20))
    # an invitation to a licence's seat (sent from the licence's page): accepting it takes the seat
    license_id: Mapped[int | None] = mapped_column(ForeignKey("licenses.id", ondelete="CASCADE"), index=True)

    organization: Mapped[Organization | None] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id], lazy="joined")

    def status(self, now: datetime) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"


INVITATION_STATUS_LABELS = {
    "pending": _l("Pending"),
    "accepted": _l("Accepted"),
    "revoked": _l("Revoked"),
    "expired": _l("Expired"),
}
