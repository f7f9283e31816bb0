"""Role-level permissions: the vocabulary, which roles hold what, and the view decorators.

Every endpoint is either `@public` or `@require("<permission>")`; a test walks `app.url_map` and fails on
any endpoint with neither tag. Object-level rules live in each feature's `policy.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from qtp.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    ADMIN = "admin"
    FACULTY = "faculty"
    COACH = "coach"
    PARTICIPANT = "participant"
    LICENSEE = "licensee"


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.FACULTY: _l("Faculty"),
    Role.COACH: _l("Improvement coach"),
    Role.PARTICIPANT: _l("Participant"),
    Role.LICENSEE: _l("Licensee"),
}

# Every authenticated, active account holds this one: its own home, profile and password.
SELF = "account:self"

PERMISSIONS: dict[str, str] = {
    SELF: "Use one's own account: home page, profile, password",
    "admin:users:read": "List and view user accounts and invitations",
    "admin:users:write": "Invite, edit, deactivate users and grant roles",
    "admin:users:erase": "Erase a person's account on request: personal data removed or anonymized, work kept",
    "admin:organizations:read": "List and view organizations",
    "admin:organizations:write": "Create, edit and deactivate organizations",
    "admin:audit:read": "Browse the audit log",
    "admin:settings:write": "Change the site's settings (two-factor sign-in required for staff)",
    "admin:cohorts:read": "List and view cohorts, their calendars, staff and teams",
    "admin:cohorts:write": "Create and edit cohorts, their calendars, staff, teams and team members",
    "admin:certificates:write": "Issue and revoke completion certificates",
    "admin:licenses:read": "List and view licences, their terms and seats",
    "admin:licenses:write": "Create and change licences, give and free their seats",
    "admin:interest:read": "List, filter and export the answers to the International Interest Survey",
    "admin:interest:write": "Mark answers to the International Interest Survey as handled",
    "admin:jobs:read": "See the queue's jobs: waiting, running, failed with their error, done",
    "admin:jobs:write": "Put a failed job back on the queue",
    "admin:bundles:write": "Build the licensed-content bundles whose content changed, from the course files",
    "admin:metrics:read": "Read the service's Prometheus metrics (/metrics) from any address",
    "licensing:self": "See the licences in which one holds a seat, their terms and the content they cover",
    "learning:participate": "Study the modules of one's cohorts, take knowledge checks and self-assessments",
    "content:preview": "Preview every module in every language and see the content status",
    "content:sync": "Index the course files into the platform now (the content sync), from the content status page",
    "worksheets:access": (
        "Open the QI workspace of one's teams: members edit; sponsors, coaches, the cohort's faculty and admins read"
    ),
    "cohorts:dashboard": "See the progress dashboards of one's cohorts (faculty, coaches) or of any (admins)",
    "cohorts:attendance": "Record attendance at the learning sessions of one's cohorts (faculty) or of any (admins)",
    "review:worksheets:decide": (
        "Review the worksheets submitted by the teams one coaches or teaches: score, comment, approve or return"
    ),
}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(p for p in PERMISSIONS if p.startswith("admin:"))
    | {"content:preview", "content:sync", "worksheets:access", "cohorts:attendance", "cohorts:dashboard"},
    Role.FACULTY: frozenset(
        {"content:preview", "worksheets:access", "review:worksheets:decide", "cohorts:attendance", "cohorts:dashboard"}
    ),
    Role.COACH: frozenset({"content:preview", "worksheets:access", "review:worksheets:decide", "cohorts:dashboard"}),
    Role.PARTICIPANT: frozenset({"learning:participate", "worksheets:access"}),
    Role.LICENSEE: frozenset({"licensing:self"}),
}


class HasRoles(Protocol):
    is_authenticated: bool
    is_active: bool

    @property
    def role_set(self) -> frozenset[Role]: ...


def has_permission(user: HasRoles | None, permission: str) -> bool:
    """Pure check: does this user hold the permission through any of their roles?"""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if permission == SELF:
        return True
    return any(permission in ROLE_PERMISSIONS.get(role, frozenset()) for role in user.role_set)


def require(permission: str) -> Callable[[F], F]:
    """View decorator: sign-in required, then the permission (403 when missing); tags the view."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_permission(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.qtp_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Tag a view as deliberately open to anonymous visitors."""
    view.qtp_public = True  # type: ignore[attr-defined]
    return view


def unlisted(view: F) -> F:
    """Tag a public view as not for search engines (a link from an e-mail, one person's certificate, a JSON
    answer): its page says noindex, names no language alternates and is left out of the sitemap."""
    view.qtp_unlisted = True  # type: ignore[attr-defined]
    return view


def is_listed(view: Callable[..., Any] | None) -> bool:
    """Whether a view's pages are for search engines: public and not tagged @unlisted."""
    return getattr(view, "qtp_public", False) and not getattr(view, "qtp_unlisted", False)


def ensure_visible(condition: bool) -> None:
    """Object-level check for reading: an object the user may not see does not exist for them."""
    if condition is not True:
        abort(404)


def ensure_allowed(condition: bool) -> None:
    """Object-level check for an action on something the user can see."""
    if condition is not True:
        abort(403)
