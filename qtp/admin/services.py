"""Admin rules: editing, deactivating and granting roles to users; managing organizations.

Every change writes an audit event with what changed. The acting user must hold the admin permission
(re-checked here so that the CLI and any future caller obey the same rule).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization, OrganizationKind, User, UserRole
from qtp.accounts.queries import find_user_by_email, normalize_email
from qtp.accounts.services import active_organization, clean_roles
from qtp.accounts.session_services import end_all_sessions
from qtp.core import audit
from qtp.core.i18n import country_choices, normalize_locale, timezone_names
from qtp.core.permissions import Role
from qtp.core.service import ServiceError, authorize, flush_or_refuse
from qtp.core.settings import REQUIRE_STAFF_TWO_FACTOR, put_setting
from qtp.core.text import fold


def _snapshot(user: User) -> dict:
    return {
        "name": user.name,
        "email": user.email,
        "organization_id": user.organization_id,
        "locale": user.locale,
        "timezone": user.timezone,
        "roles": sorted(r.role for r in user.roles),
    }


def update_user(
    session: Session,
    actor: User,
    user: User,
    *,
    name: str,
    email: str,
    organization_id: int | None,
    locale: str | None,
    timezone: str,
    roles: list[str],
) -> None:
    authorize(actor, "admin:users:write")
    name, email = name.strip(), normalize_email(email)
    if not name:
        raise ServiceError(_("Please enter a name."), field="name")
    other = find_user_by_email(session, email)
    if other is not None and other.id != user.id:
        raise ServiceError(_("Another account already uses this e-mail address."), field="email")
    if locale and normalize_locale(locale) != locale:
        raise ServiceError(_("Choose one of the languages offered."), field="locale")
    if timezone not in timezone_names():
        raise ServiceError(_("Choose a time zone from the list."), field="timezone")
    new_roles = clean_roles(roles)
    if user.id == actor.id and Role.ADMIN.value not in new_roles:
        raise ServiceError(_("You cannot remove your own administrator role."), field="roles")
    if organization_id != user.organization_id:
        active_organization(session, organization_id)

    before = _snapshot(user)
    user.name, user.email, user.locale, user.timezone = name, email, locale or None, timezone
    user.organization_id = organization_id
    current = {r.role: r for r in user.roles}
    for role in set(current) - set(new_roles):
        user.roles.remove(current[role])
    for role in sorted(set(new_roles) - set(current)):
        user.roles.append(UserRole(role=role))
    if before["email"] != email:
        end_all_sessions(session, user)  # a changed address signs the account out everywhere
    flush_or_refuse(session, _("Another account already uses this e-mail address."), "email")
    session.refresh(user, ["roles"])
    delta = audit.changes(before, _snapshot(user))
    if delta:
        action = "user.roles_changed" if set(delta) == {"roles"} else "user.updated"
        audit.record(session, actor, action, user, summary=user.email, details=delta)


def set_user_active(session: Session, actor: User, user: User, active: bool) -> None:
    authorize(actor, "admin:users:write")
    if user.id == actor.id and not active:
        raise ServiceError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        end_all_sessions(session, user)  # ends every session at once
    audit.record(session, actor, "user.reactivated" if active else "user.deactivated", user, summary=user.email)


def update_site_settings(session: Session, actor: User, *, require_staff_two_factor: bool) -> bool:
    """Change the site settings; whether anything changed (an audit event says what)."""
    authorize(actor, "admin:settings:write")
    value = bool(require_staff_two_factor)
    before = put_setting(session, REQUIRE_STAFF_TWO_FACTOR, value, actor.id)
    delta = audit.changes({REQUIRE_STAFF_TWO_FACTOR: before}, {REQUIRE_STAFF_TWO_FACTOR: value})
    if delta:
        audit.record(session, actor, "settings.updated", ("site_settings", REQUIRE_STAFF_TWO_FACTOR), details=delta)
    return bool(delta)


def _valid_organization_fields(session: Session, org_id: int | None, name: str, kind: str, country: str) -> str:
    name = name.strip()
    if not name:
        raise ServiceError(_("Please enter the organization's name."), field="name")
    clash = session.scalar(
        select(Organization.id).where(Organization.name_key == fold(name), Organization.id != (org_id or 0))
    )
    if clash is not None:
        raise ServiceError(_("Another organization already has this name."), field="name")
    if kind not in {k.value for k in OrganizationKind}:
        raise ServiceError(_("Choose a kind from the list."), field="kind")
    if country not in dict(country_choices("en")):
        raise ServiceError(_("Choose a country from the list."), field="country")
    return name


def create_organization(
    session: Session, actor: User, *, name: str, kind: str, country: str, city: str
) -> Organization:
    authorize(actor, "admin:organizations:write")
    name = _valid_organization_fields(session, None, name, kind, country)
    organization = Organization(name=name, kind=kind, country=country, city=city.strip())
    session.add(organization)
    flush_or_refuse(session, _("Another organization already has this name."), "name")
    audit.record(
        session,
        actor,
        "organization.created",
        organization,
        summary=name,
        details={"kind": kind, "country": country, "city": organization.city},
    )
    return organization


def update_organization(
    session: Session, actor: User, organization: Organization, *, name: str, kind: str, country: str, city: str
) -> None:
    authorize(actor, "admin:organizations:write")
    name = _valid_organization_fields(session, organization.id, name, kind, country)
    fields = ("name", "kind", "country", "city")
    before = {f: getattr(organization, f) for f in fields}
    organization.name, organization.kind, organization.country, organization.city = name, kind, country, city.strip()
    flush_or_refuse(session, _("Another organization already has this name."), "name")
    delta = audit.changes(before, {f: getattr(organization, f) for f in fields})
    if delta:
        audit.record(session, actor, "organization.updated", organization, summary=name, details=delta)


def set_organization_active(session: Session, actor: User, organization: Organization, active: bool) -> None:
    authorize(actor, "admin:organizations:write")
    if organization.is_active == active:
        return
    organization.is_active = active
    action = "organization.reactivated" if active else "organization.deactivated"
    audit.record(session, actor, action, organization, summary=organization.name)
