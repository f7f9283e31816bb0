"""Two-factor sign-in: turning it on and off, recovery codes, the second sign-in step, an admin's reset.

Every change is recorded in the audit log (never the secret or a code). Services flush, never commit.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from qtp.accounts import twofactor
from qtp.accounts.models import User
from qtp.accounts.policy import two_factor_required
from qtp.accounts.security_models import RecoveryCode, TwoFactorSecret, UserSession
from qtp.accounts.session_services import Device, end_all_sessions, open_session
from qtp.core import audit
from qtp.core.db import utcnow
from qtp.core.passwords import verify_password
from qtp.core.service import ServiceError, authorize
from qtp.core.settings import REQUIRE_STAFF_TWO_FACTOR, get_setting


def _key() -> str:
    return current_app.config["SECRET_KEY"]


def _wrong_code() -> ServiceError:
    return ServiceError(_("This code is not correct, or it was already used. Try the next code."), field="code")


def staff_must_use_two_factor(session: Session, user: User) -> bool:
    return two_factor_required(user, bool(get_setting(session, REQUIRE_STAFF_TWO_FACTOR)))


# --- turning it on ------------------------------------------------------------------------------------


def start_enrollment(session: Session, user: User) -> None:
    """A new secret, waiting for its first code (any earlier unconfirmed one is replaced)."""
    if user.has_two_factor:
        raise ServiceError(_("Two-factor sign-in is already on for your account."))
    row = session.get(TwoFactorSecret, user.id)
    if row is None:
        row = TwoFactorSecret(user_id=user.id, secret_encrypted="")
        session.add(row)
    row.secret_encrypted = twofactor.encrypt_secret(_key(), twofactor.new_secret())
    row.created_at, row.confirmed_at, row.last_used_step = utcnow(), None, 0
    audit.record(session, user, "account.two_factor_setup_started", user, summary=user.email)


def find_pending_secret(session: Session, user: User) -> str | None:
    """The secret being set up (shown on the set-up page only, until it is confirmed)."""
    row = session.get(TwoFactorSecret, user.id)
    if row is None or row.confirmed_at is not None or user.has_two_factor:
        return None
    return twofactor.decrypt_secret(_key(), row.secret_encrypted)


def confirm_enrollment(session: Session, user: User, code: str) -> list[str]:
    """The first code from the app turns two-factor sign-in on; returns the recovery codes (shown once)."""
    secret = find_pending_secret(session, user)
    if secret is None:
        raise ServiceError(_("Start the set-up again: the secret to confirm was not found."))
    step = twofactor.matching_step(secret, code, after_step=0)
    if step is None:
        raise ServiceError(_("This code is not correct. Check the time on your phone and try the next code."), "code")
    row = session.get(TwoFactorSecret, user.id)
    now = utcnow()
    row.confirmed_at, row.last_used_step = now, step
    user.two_factor_enabled_at = now
    codes = _new_recovery_codes(session, user)
    audit.record(session, user, "account.two_factor_enabled", user, summary=user.email)
    return codes


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = twofactor.new_recovery_codes()
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=twofactor.recovery_code_hash(_key(), user.id, code)) for code in codes
    )
    session.flush()
    return codes


def count_unused_recovery_codes(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


# --- checking a code ----------------------------------------------------------------------------------


def _use_totp(session: Session, user: User, code: str) -> bool:
    row = session.get(TwoFactorSecret, user.id)
    if row is None or row.confirmed_at is None:
        return False
    secret = twofactor.decrypt_secret(_key(), row.secret_encrypted)
    if secret is None:
        return False
    step = twofactor.matching_step(secret, code, after_step=row.last_used_step)
    if step is None:
        return False
    # Compare-and-set: of two sign-ins with the same code at the same moment, one succeeds.
    claimed = session.execute(
        update(TwoFactorSecret)
        .where(TwoFactorSecret.user_id == user.id, TwoFactorSecret.last_used_step < step)
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    return claimed.rowcount == 1


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    claimed = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == twofactor.recovery_code_hash(_key(), user.id, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def use_second_factor(session: Session, user: User, code: str) -> str | None:
    """ "code" or "recovery" when this is a valid, unused code of the user (it is then used up); else None."""
    if not user.has_two_factor or not twofactor.normalize_code(code):
        return None
    if twofactor.looks_like_totp(code):
        return "code" if _use_totp(session, user, code) else None
    return "recovery" if _use_recovery_code(session, user, code) else None


# --- the second sign-in step --------------------------------------------------------------------------


def complete_sign_in(session: Session, user_id: int, token: str, code: str, device: Device) -> tuple[User, UserSession]:
    """After a correct password: the code (or a recovery code) opens the session. `token` is the user's session
    token when the password was given: signed out everywhere, or a new password, since then, and it no longer
    counts."""
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.session_token != token or not user.has_two_factor:
        raise ServiceError(_("Your sign-in has expired. Please enter your e-mail address and password again."))
    used = use_second_factor(session, user, code)
    if used is None:
        raise _wrong_code()
    opened = open_session(session, user, device)
    if used == "recovery":
        left = count_unused_recovery_codes(session, user)
        audit.record(session, user, "account.recovery_code_used", user, summary=user.email, details={"left": left})
    return user, opened


# --- recovery codes, turning it off -------------------------------------------------------------------


def regenerate_recovery_codes(session: Session, user: User, *, code: str = "", password: str = "") -> list[str]:
    """New recovery codes (the old ones stop working), with a current code from the app or the password."""
    if not user.has_two_factor:
        raise ServiceError(_("Two-factor sign-in is off for your account."))
    if password:
        if not verify_password(user.password_hash, password):
            raise ServiceError(_("The password is not correct."), field="password")
    elif not (twofactor.looks_like_totp(code) and _use_totp(session, user, code)):
        raise ServiceError(_("Enter a current code from your app, or your password."), field="code")
    codes = _new_recovery_codes(session, user)
    audit.record(session, user, "account.recovery_codes_regenerated", user, summary=user.email)
    return codes


def remove_two_factor(session: Session, user: User) -> None:
    """The user's secret and recovery codes deleted (no audit, no check: callers do both)."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(TwoFactorSecret).where(TwoFactorSecret.user_id == user.id))
    user.two_factor_enabled_at = None
    session.flush()


def disable_two_factor(session: Session, user: User, *, password: str, code: str) -> None:
    """Turn two-factor sign-in off: needs the password and a current code (or a recovery code)."""
    if not user.has_two_factor:
        raise ServiceError(_("Two-factor sign-in is off for your account."))
    if staff_must_use_two_factor(session, user):
        raise ServiceError(_("Two-factor sign-in is required for your role on this site: it cannot be turned off."))
    if not verify_password(user.password_hash, password):
        raise ServiceError(_("The password is not correct."), field="password")
    if use_second_factor(session, user, code) is None:
        raise _wrong_code()
    remove_two_factor(session, user)
    audit.record(session, user, "account.two_factor_disabled", user, summary=user.email)


def reset_two_factor(session: Session, actor: User, user: User) -> None:
    """An admin turns off someone's two-factor sign-in (a lost phone): every session of theirs ends."""
    authorize(actor, "admin:users:write")
    if not user.has_two_factor:
        raise ServiceError(_("Two-factor sign-in is already off for this account."))
    remove_two_factor(session, user)
    end_all_sessions(session, user)
    audit.record(session, actor, "user.two_factor_reset", user, summary=user.email)
