"""The account security page (two-factor sign-in, recovery codes, signed-in sessions) and the sign-in code step.

Routes on the accounts blueprint. While an admin requires two-factor sign-in for staff, a signed-in admin,
faculty member or coach without it reaches only the set-up pages and the sign-out button.
"""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from qtp.accounts import twofactor
from qtp.accounts import twofactor_services as tf
from qtp.accounts.forms import ConfirmTwoFactorForm, DisableTwoFactorForm, RecoveryCodesForm, SignInCodeForm
from qtp.accounts.policy import must_set_up_two_factor
from qtp.accounts.session_services import list_active_sessions, revoke_other_sessions, revoke_session
from qtp.accounts.useragent import parts
from qtp.accounts.views import SECOND_STEP_KEY, _end_session, bp, device, start_session
from qtp.core.forms import ConfirmForm, commit_or_flash, commit_or_show, show_service_error
from qtp.core.permissions import SELF, public, require, unlisted
from qtp.core.ratelimit import FailureBudget, client_address, enforce
from qtp.core.security import safe_next_path
from qtp.core.service import ServiceError
from qtp.core.settings import REQUIRE_STAFF_TWO_FACTOR, get_setting
from qtp.extensions import db

# What a staff member who must set up two-factor sign-in can still reach.
OPEN_DURING_SETUP = frozenset(
    {
        "accounts.security",
        "accounts.two_factor_start",
        "accounts.two_factor_setup",
        "accounts.logout",
        "accounts.set_language",
        "static",
        "public.healthz",
        "public.readyz",
        "public.metrics_text",
    }
)


@bp.before_app_request
def _send_staff_to_set_up():
    if request.endpoint in OPEN_DURING_SETUP or request.endpoint is None:
        return None
    if not must_set_up_two_factor(current_user, True):
        return None  # the setting is read (one statement) only for staff without two-factor sign-in
    if not must_set_up_two_factor(current_user, bool(get_setting(db.session, REQUIRE_STAFF_TWO_FACTOR))):
        return None
    if request.method == "GET":
        flash(_("Your role requires two-factor sign-in. Please turn it on to continue."), "info")
    return redirect(url_for("accounts.security"))


def _me():
    return current_user._get_current_object()


def _session_rows(user):
    return [
        {"row": row, "browser": parts(row.user_agent)[0], "system": parts(row.user_agent)[1]}
        for row in list_active_sessions(db.session, user)
    ]


def _security_page(status: int = 200, **forms):
    user = _me()
    return (
        render_template(
            "accounts/security.html",
            sessions=_session_rows(user),
            current_session_id=user.current_session_id,
            unused_codes=tf.count_unused_recovery_codes(db.session, user) if user.has_two_factor else 0,
            required=tf.staff_must_use_two_factor(db.session, user),
            confirm=ConfirmForm(),
            codes_form=forms.get("codes_form") or RecoveryCodesForm(),
            disable_form=forms.get("disable_form") or DisableTwoFactorForm(),
        ),
        status,
    )


def _codes_page(codes: list[str], status: int = 200):
    text = twofactor.recovery_codes_text(
        codes, _("Recovery codes for %(email)s (Quality Training Program)", email=_me().email)
    )
    return (
        render_template("accounts/recovery_codes.html", codes=codes, download=twofactor.recovery_codes_data_uri(text)),
        status,
    )


@bp.get("/account/security")
@require(SELF)
def security():
    return _security_page()


@bp.post("/account/security/two-factor/start")
@require(SELF)
def two_factor_start():
    if ConfirmForm().validate_on_submit() and commit_or_flash(lambda: tf.start_enrollment(db.session, _me())):
        return redirect(url_for("accounts.two_factor_setup"))
    return redirect(url_for("accounts.security"))


@bp.route("/account/security/two-factor/setup", methods=["GET", "POST"])
@require(SELF)
def two_factor_setup():
    user = _me()
    secret = tf.find_pending_secret(db.session, user)
    if secret is None:
        return redirect(url_for("accounts.security"))
    form = ConfirmTwoFactorForm()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: tf.confirm_enrollment(db.session, user, form.code.data))
        if outcome.ok:
            flash(_("Two-factor sign-in is on. From now on, signing in asks for a code from your app."), "success")
            return _codes_page(outcome.result)
    uri = twofactor.provisioning_uri(secret, user.email)
    return (
        render_template(
            "accounts/two_factor_setup.html",
            form=form,
            qr=twofactor.qr_data_uri(uri),
            secret=twofactor.grouped(secret),
        ),
        400 if form.errors else 200,
    )


@bp.post("/account/security/recovery-codes")
@require(SELF)
def regenerate_recovery_codes():
    form = RecoveryCodesForm()
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: tf.regenerate_recovery_codes(
                db.session, _me(), code=form.code.data or "", password=form.password.data or ""
            ),
        )
        if outcome.ok:
            flash(_("New recovery codes made. The old ones no longer work."), "success")
            return _codes_page(outcome.result)
    return _security_page(400, codes_form=form)


@bp.post("/account/security/two-factor/disable")
@require(SELF)
def disable_two_factor():
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        outcome = commit_or_show(
            form, lambda: tf.disable_two_factor(db.session, _me(), password=form.password.data, code=form.code.data)
        )
        if outcome.ok:
            flash(_("Two-factor sign-in is off. Signing in now needs only your password."), "success")
            return redirect(url_for("accounts.security"))
    return _security_page(400, disable_form=form)


@bp.post("/account/sessions/<public_id>/end")
@require(SELF)
def end_session(public_id: str):
    user = _me()
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("accounts.security"))
    this_one = public_id == user.current_session_id
    if commit_or_flash(lambda: revoke_session(db.session, user, public_id)):
        if this_one:
            _end_session()
            flash(_("You have signed out on this device."), "success")
            return redirect(url_for("accounts.login"))
        flash(_("That session has been signed out."), "success")
    return redirect(url_for("accounts.security"))


@bp.post("/account/sessions/end-others")
@require(SELF)
def end_other_sessions():
    user = _me()
    if ConfirmForm().validate_on_submit():
        count = revoke_other_sessions(db.session, user, user.current_session_id)
        db.session.commit()
        flash(
            ngettext(
                "You have been signed out everywhere else (%(num)d session).",
                "You have been signed out everywhere else (%(num)d sessions).",
                count,
            )
            if count
            else _("There were no other sessions to sign out."),
            "success",
        )
    return redirect(url_for("accounts.security"))


# --- the second sign-in step --------------------------------------------------------------------------


def _pending_sign_in() -> dict | None:
    pending = session.get(SECOND_STEP_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), int):
        return None
    if int(pending.get("until", 0)) < time.time():
        session.pop(SECOND_STEP_KEY, None)
        return None
    return pending


def _expired():
    session.pop(SECOND_STEP_KEY, None)
    flash(_("Your sign-in has expired. Please enter your e-mail address and password again."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/login/code", methods=["GET", "POST"])
@public
@unlisted
def login_code():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    pending = _pending_sign_in()
    if pending is None:
        return _expired()
    form = SignInCodeForm()
    status = 200
    if form.validate_on_submit():
        enforce("QTP_LOGIN_ADDRESS_LIMIT", "login-address", client_address())
        failures = FailureBudget("QTP_LOGIN_FAILURE_LIMIT", "two-factor-failures", str(pending["user"]))
        failures.check()
        try:
            user, _opened = tf.complete_sign_in(
                db.session, pending["user"], str(pending.get("token", "")), form.code.data, device(pending["remember"])
            )
        except ServiceError as error:
            db.session.rollback()
            if error.field is None:
                return _expired()
            failures.spend()
            show_service_error(form, error)
            status = 401
        else:
            db.session.commit()
            start_session(user, remember=pending["remember"])
            return redirect(safe_next_path(pending.get("next"), url_for("home.index")))
    elif form.is_submitted():
        status = 400
    minutes = max(1, round((int(pending["until"]) - time.time()) / 60))
    return render_template("accounts/login_code.html", form=form, minutes=minutes), status
