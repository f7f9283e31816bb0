"""Account rules: signing in and out, password reset, invitations, profile and password changes.

Services take the session and the acting user, flush but never commit; mail is queued and leaves only
when the caller's transaction commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qtp.accounts.models import Invitation, Organization, User, UserRole, new_session_token
from qtp.accounts.queries import find_user_by_email, normalize_email
from qtp.accounts.security_models import UserSession
from qtp.accounts.session_services import Device, end_all_sessions, open_session
from qtp.cohorts.models import Membership
from qtp.core import audit
from qtp.core.db import utcnow
from qtp.core.i18n import normalize_locale, timezone_names
from qtp.core.mail import queue_mail, render_mail
from qtp.core.passwords import DUMMY_HASH, hash_password, needs_rehash, password_problem, verify_password
from qtp.core.permissions import Role
from qtp.core.service import ServiceError, authorize
from qtp.core.urls import external_url
from qtp.licensing.models import LicenseSeat

_RESET_SALT = "qtp.password-reset"


# --- signing in and out -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    """A correct password: signed in (`opened` is the new session), or a second factor still to give."""

    user: User
    opened: UserSession | None

    @property
    def needs_second_factor(self) -> bool:
        return self.opened is None


def sign_in(session: Session, email: str, password: str, device: Device | None = None) -> SignIn | None:
    """The active user with this e-mail and password, signed in on a new session unless their account asks for a
    second factor (then the session opens once the code is given); None for a wrong e-mail or password."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        verify_password(DUMMY_HASH, password)  # same cost whether or not the account exists
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if user.has_two_factor:
        return SignIn(user, None)
    return SignIn(user, open_session(session, user, device or Device()))


def sign_out(session: Session, user: User) -> None:
    """End this and every other session of the user, and their remember-me cookies."""
    end_all_sessions(session, user)
    audit.record(session, user, "account.signed_out", user, summary=user.email)


def _check_password(password: str, user_inputs: list[str], field: str) -> None:
    problem = password_problem(password, user_inputs)
    if problem:
        raise ServiceError(problem, field=field)


def change_password(
    session: Session, user: User, current_password: str, new_password: str, device: Device | None = None
) -> UserSession:
    """Change the password: every session ends; this browser continues on the new session returned."""
    if not verify_password(user.password_hash, current_password):
        raise ServiceError(_("The current password is not correct."), field="current_password")
    _check_password(new_password, [user.email, user.name], "new_password")
    user.password_hash = hash_password(new_password)
    end_all_sessions(session, user)
    audit.record(session, user, "account.password_changed", user, summary=user.email)
    return open_session(session, user, device or Device())


def update_profile(session: Session, user: User, *, name: str, locale: str | None, timezone: str) -> None:
    name = name.strip()
    if not name:
        raise ServiceError(_("Please enter your name."), field="name")
    if locale and normalize_locale(locale) != locale:
        raise ServiceError(_("Choose one of the languages offered."), field="locale")
    if timezone not in timezone_names():
        raise ServiceError(_("Choose a time zone from the list."), field="timezone")
    before = {"name": user.name, "locale": user.locale, "timezone": user.timezone}
    user.name, user.locale, user.timezone = name, locale or None, timezone
    after = {"name": user.name, "locale": user.locale, "timezone": user.timezone}
    delta = audit.changes(before, after)
    if delta:
        audit.record(session, user, "account.profile_updated", user, summary=user.email, details=delta)


def set_preferred_locale(session: Session, user: User, locale: str) -> None:
    chosen = normalize_locale(locale)
    if chosen is None:
        raise ServiceError(_("Choose one of the languages offered."), field="locale")
    user.locale = chosen


# --- password reset -----------------------------------------------------------------------------------


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    """Bound to the current password hash: it stops working once the password changes (single use)."""
    return _reset_serializer().dumps({"u": user.id, "h": _fingerprint(user.password_hash)})


def request_password_reset(session: Session, email: str, locale: str) -> None:
    """Send a reset link if an active account has this address; say nothing either way."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    token = make_reset_token(user)
    minutes = current_app.config["QTP_RESET_TOKEN_MAX_AGE"] // 60
    mail = render_mail(
        user.email,
        user.locale or locale,
        "accounts/email/reset_password",
        user=user,
        link=external_url("accounts.reset_password", token=token),
        minutes=minutes,
    )
    queue_mail(session, mail)
    audit.record(session, None, "account.reset_requested", user, summary=user.email)


def find_user_for_reset_token(session: Session, token: str) -> User | None:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["QTP_RESET_TOKEN_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("h"), str):
        return None
    user = session.get(User, data["u"])
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(_fingerprint(user.password_hash), data["h"]):
        return None
    return user


def reset_password(session: Session, token: str, new_password: str) -> User:
    user = find_user_for_reset_token(session, token)
    if user is None:
        raise ServiceError(_("This reset link is invalid, expired or already used. Please ask for a new one."))
    _check_password(new_password, [user.email, user.name], "password")
    # Compare-and-set on the old hash: of several simultaneous uses of one link, exactly one succeeds.
    result = session.execute(
        update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=hash_password(new_password), session_token=new_session_token(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ServiceError(_("This reset link is invalid, expired or already used. Please ask for a new one."))
    session.refresh(user)
    end_all_sessions(session, user)  # the new token is already set: this revokes the session rows too
    audit.record(session, user, "account.password_reset", user, summary=user.email)
    return user


# --- invitations --------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send_invitation(session: Session, invitation: Invitation) -> None:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = utcnow() + timedelta(days=current_app.config["QTP_INVITATION_MAX_AGE_DAYS"])
    mail = render_mail(
        invitation.email,
        invitation.locale or "en",
        "accounts/email/invitation",
        invitation=invitation,
        link=external_url("accounts.accept_invitation", token=token),
        days=current_app.config["QTP_INVITATION_MAX_AGE_DAYS"],
    )
    queue_mail(session, mail)


def invite_user(
    session: Session,
    actor: User,
    *,
    email: str,
    name: str,
    roles: list[str],
    organization_id: int | None,
    locale: str,
    team_id: int | None = None,
    team_role: str | None = None,
    license_id: int | None = None,
) -> Invitation:
    """Invite someone to create an account (with a team and a team role when sent from a team's page, with a
    licence's seat when sent from a licence's page)."""
    authorize(actor, "admin:users:write")
    email = normalize_email(email)
    if find_user_by_email(session, email) is not None:
        raise ServiceError(_("An account with this e-mail address already exists."), field="email")
    now = utcnow()
    pending = session.scalar(
        select(Invitation).where(
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    )
    if pending is not None:
        raise ServiceError(
            _("This address already has a pending invitation. Resend or revoke it from the users page."),
            field="email",
        )
    roles = clean_roles(roles)
    organization = active_organization(session, organization_id)
    if normalize_locale(locale) != locale:
        raise ServiceError(_("Choose one of the languages offered."), field="locale")
    invitation = Invitation(
        email=email,
        name=name.strip(),
        roles=roles,
        organization_id=organization.id if organization else None,
        locale=locale,
        invited_by_id=actor.id,
        token_hash="",
        expires_at=now,
        team_id=team_id,
        team_role=team_role if team_id else None,
        license_id=license_id,
    )
    session.add(invitation)
    _send_invitation(session, invitation)
    audit.record(
        session,
        actor,
        "invitation.created",
        invitation,
        summary=email,
        details={"roles": roles, "organization_id": invitation.organization_id, "locale": locale}
        | ({"team_id": team_id, "team_role": invitation.team_role} if team_id else {})
        | ({"license_id": license_id} if license_id else {}),
    )
    return invitation


def find_or_invite(
    session: Session,
    actor: User,
    *,
    email: str,
    name: str,
    role: str,
    organization_id: int | None,
    locale: str,
    **promise: int | str | None,
) -> User | None:
    """The active account with this address; or, when there is none, an invitation to create one (carrying
    what accepting it brings: `team_id` and `team_role`, or `license_id`) and None."""
    user = find_user_by_email(session, normalize_email(email))
    if user is None:
        invite_user(
            session,
            actor,
            email=email,
            name=name,
            roles=[role],
            organization_id=organization_id,
            locale=locale,
            **promise,  # type: ignore[arg-type]
        )
        return None
    if not user.is_active:
        raise ServiceError(_("This account is deactivated. Reactivate it on the users page first."), field="email")
    return user


def resend_invitation(session: Session, actor: User, invitation: Invitation) -> None:
    authorize(actor, "admin:users:write")
    if invitation.accepted_at or invitation.revoked_at:
        raise ServiceError(_("Only a pending or expired invitation can be sent again."))
    _send_invitation(session, invitation)
    audit.record(session, actor, "invitation.resent", invitation, summary=invitation.email)


def revoke_invitation(session: Session, actor: User, invitation: Invitation) -> None:
    authorize(actor, "admin:users:write")
    if invitation.accepted_at or invitation.revoked_at:
        raise ServiceError(_("This invitation was already accepted or revoked."))
    invitation.revoked_at = utcnow()
    audit.record(session, actor, "invitation.revoked", invitation, summary=invitation.email)


def find_invitation_for_token(session: Session, token: str) -> Invitation | None:
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    if invitation is None or invitation.status(utcnow()) != "pending":
        return None
    return invitation


def accept_invitation(
    session: Session, token: str, *, name: str, password: str, timezone: str, device: Device | None = None
) -> User:
    """Create the account the invitation offers and sign it in on a new session."""
    invalid = _("This invitation link is invalid, expired or already used. Please ask for a new invitation.")
    invitation = find_invitation_for_token(session, token)
    if invitation is None:
        raise ServiceError(invalid)
    name = name.strip()
    if not name:
        raise ServiceError(_("Please enter your name."), field="name")
    if timezone not in timezone_names():
        raise ServiceError(_("Choose a time zone from the list."), field="timezone")
    _check_password(password, [invitation.email, name], "password")
    if find_user_by_email(session, invitation.email) is not None:
        raise ServiceError(_("An account with this e-mail address already exists. Please sign in."))
    claimed = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ServiceError(invalid)
    user = User(
        email=invitation.email,
        name=name,
        password_hash=hash_password(password),
        locale=invitation.locale,
        timezone=timezone,
        organization_id=invitation.organization_id,
        roles=[UserRole(role=role) for role in invitation.roles],
    )
    session.add(user)
    session.flush()
    session.refresh(invitation)
    invitation.user_id = user.id
    if invitation.team_id is not None:
        _join_team(session, user, invitation)
    if invitation.license_id is not None:
        _take_seat(session, user, invitation)
    audit.record(session, user, "invitation.accepted", invitation, summary=user.email)
    open_session(session, user, device or Device())
    return user


def _join_team(session: Session, user: User, invitation: Invitation) -> None:
    """The membership an invitation promised. A team has one leader: if another became leader meanwhile, the
    newcomer joins the core team (the admin can swap roles from the team's page)."""
    role = invitation.team_role or "core"
    if role == "leader":
        leader = session.scalar(
            select(Membership.id).where(Membership.team_id == invitation.team_id, Membership.role == "leader")
        )
        role = "core" if leader is not None else role
    session.add(Membership(team_id=invitation.team_id, user_id=user.id, role=role))
    session.flush()


def _take_seat(session: Session, user: User, invitation: Invitation) -> None:
    """The licence seat an invitation promised (its room was counted while the invitation was pending)."""
    session.add(LicenseSeat(license_id=invitation.license_id, user_id=user.id, assigned_by_id=invitation.invited_by_id))
    session.flush()


def clean_roles(roles: list[str]) -> list[str]:
    try:
        return sorted({Role(role).value for role in roles})
    except ValueError as exc:
        raise ServiceError(_("Choose roles from the list."), field="roles") from exc


def active_organization(session: Session, organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    organization = session.get(Organization, organization_id)
    if organization is None or not organization.is_active:
        raise ServiceError(_("Choose an active organization."), field="organization_id")
    return organization
