"""Sign-in, sign-out, password reset, invitations, profile, password change and the language switcher."""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh as refresh_locale
from flask_login import current_user, login_user, logout_user

from qtp.accounts import services
from qtp.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
)
from qtp.accounts.session_services import Device
from qtp.core import i18n
from qtp.core.forms import ConfirmForm, commit_or_show
from qtp.core.permissions import SELF, public, require, unlisted
from qtp.core.ratelimit import FailureBudget, account_key, client_address, enforce
from qtp.core.security import safe_next_path
from qtp.extensions import db

bp = Blueprint("accounts", __name__, template_folder="templates")


SECOND_STEP_KEY = "qtp_second_step"
SECOND_STEP_SECONDS = 300  # a correct password waits this long for its code


def device(remember: bool = False) -> Device:
    return Device(ip_address=client_address(), user_agent=request.user_agent.string or "", remember=remember)


def _fresh_session() -> None:
    """No pre-login state survives but the language choice."""
    chosen_locale = session.get(i18n.SESSION_KEY)
    session.clear()
    if chosen_locale:
        session[i18n.SESSION_KEY] = chosen_locale


def start_session(user, remember: bool = False) -> None:
    """A fresh browser session for the user, on the session row the service opened (user.current_session_id)."""
    _fresh_session()
    login_user(user, remember=remember)


def _await_second_factor(user, remember: bool, next_path: str) -> None:
    """The password was right: this browser (only) may give the code for the next few minutes. Nothing else is
    granted: nobody is signed in until the code is given."""
    _fresh_session()
    session[SECOND_STEP_KEY] = {
        "user": user.id,
        "token": user.session_token,
        "until": int(time.time()) + SECOND_STEP_SECONDS,
        "remember": bool(remember),
        "next": next_path,
    }


def _end_session() -> None:
    chosen_locale = session.get(i18n.SESSION_KEY)
    logout_user()
    session.clear()
    if chosen_locale:
        session[i18n.SESSION_KEY] = chosen_locale


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    home = url_for("home.index")
    if current_user.is_authenticated:
        return redirect(safe_next_path(request.args.get("next"), home))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        enforce("QTP_LOGIN_ADDRESS_LIMIT", "login-address", client_address())
        failures = FailureBudget("QTP_LOGIN_FAILURE_LIMIT", "login-failures", account_key(form.email.data))
        failures.check()
        signed = services.sign_in(db.session, form.email.data, form.password.data, device(form.remember.data))
        if signed is not None:
            db.session.commit()
            if signed.needs_second_factor:
                _await_second_factor(signed.user, form.remember.data, safe_next_path(form.next.data, home))
                return redirect(url_for("accounts.login_code"))
            start_session(signed.user, remember=form.remember.data)
            return redirect(safe_next_path(form.next.data, home))
        failures.spend()
        form.form_errors.append(_("The e-mail address or password is not correct."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@require(SELF)
def logout():
    services.sign_out(db.session, current_user._get_current_object())
    db.session.commit()
    _end_session()
    flash(_("You have signed out. Your other sessions have been ended too."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        enforce("QTP_RESET_REQUEST_LIMIT", "reset-address", client_address())
        enforce("QTP_RESET_REQUEST_LIMIT", "reset-account", account_key(form.email.data))
        services.request_password_reset(db.session, form.email.data, i18n.current_locale_code())
        db.session.commit()
        flash(
            _(
                "If an account uses that address, we have sent it a link to choose a new password. "
                "Check your inbox in a few minutes."
            ),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
@unlisted
def reset_password(token: str):
    enforce("QTP_TOKEN_USE_LIMIT", "token-address", client_address())
    user = services.find_user_for_reset_token(db.session, token)
    if user is None:
        return render_template("accounts/link_invalid.html", kind="reset"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: services.reset_password(db.session, token, form.password.data))
        if outcome.ok:
            _end_session()
            flash(_("Your password has been changed. Please sign in with the new one."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
@unlisted
def accept_invitation(token: str):
    enforce("QTP_TOKEN_USE_LIMIT", "token-address", client_address())
    invitation = services.find_invitation_for_token(db.session, token)
    if invitation is None:
        return render_template("accounts/link_invalid.html", kind="invitation"), 404
    form = AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: services.accept_invitation(
                db.session,
                token,
                name=form.name.data,
                password=form.password.data,
                timezone=form.timezone.data,
                device=device(),
            ),
        )
        if outcome.ok:
            start_session(outcome.result)
            refresh_locale()  # the new account's language applies to this request's message too
            flash(_("Welcome to the Quality Training Program! Your account is ready."), "success")
            return redirect(url_for("home.index"))
    return (
        render_template("accounts/accept_invitation.html", form=form, invitation=invitation),
        400 if form.errors else 200,
    )


@bp.route("/account/profile", methods=["GET", "POST"])
@require(SELF)
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if request.method == "GET":
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: services.update_profile(
                db.session, user, name=form.name.data, locale=form.locale.data or None, timezone=form.timezone.data
            ),
        )
        if outcome.ok:
            refresh_locale()  # a changed language applies to this confirmation already
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, export_form=ConfirmForm()), 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@require(SELF)
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: services.change_password(
                db.session, user, form.current_password.data, form.new_password.data, device()
            ),
        )
        if outcome.ok:
            start_session(user)  # this session continues with the new token; all others end
            flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), 400 if form.errors else 200


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    target = safe_next_path(form.next.data, url_for("public.index"))
    if not form.validate_on_submit():
        abort(400)
    session[i18n.SESSION_KEY] = form.locale.data
    if current_user.is_authenticated:
        services.set_preferred_locale(db.session, current_user._get_current_object(), form.locale.data)
        db.session.commit()
    return redirect(target)
