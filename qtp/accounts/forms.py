"""Account forms. Rules (password policy, uniqueness) live in the services, not here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from qtp.core.forms import LongSelect, locale_choices, timezone_choices

EMAIL_REQUIRED = _l("Please enter your e-mail address.")
EMAIL_INVALID = _l("Please enter a valid e-mail address.")
PASSWORD_REQUIRED = _l("Please enter a password.")
PASSWORDS_DIFFER = _l("The two passwords do not match.")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[InputRequired(EMAIL_REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(PASSWORD_REQUIRED), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device for 30 days"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(EMAIL_REQUIRED), Email(EMAIL_INVALID, check_deliverability=False), Length(max=254)],
    )


class NewPasswordMixin:
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(PASSWORD_REQUIRED), Length(max=1024)],
        description=_l("At least 12 characters. A phrase of several unrelated words works well."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(PASSWORD_REQUIRED), EqualTo("password", PASSWORDS_DIFFER)],
    )


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    name = StringField(_l("Your full name"), validators=[InputRequired(_l("Please enter your name.")), Length(max=200)])
    timezone = SelectField(_l("Time zone"), choices=timezone_choices, default="UTC", widget=LongSelect())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(PASSWORD_REQUIRED), Length(max=1024)]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(PASSWORD_REQUIRED), Length(max=1024)],
        description=_l("At least 12 characters. A phrase of several unrelated words works well."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(PASSWORD_REQUIRED), EqualTo("new_password", PASSWORDS_DIFFER)],
    )


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[InputRequired(_l("Please enter your name.")), Length(max=200)])
    locale = SelectField(_l("Preferred language"), choices=lambda: locale_choices(with_default=True))
    timezone = SelectField(_l("Time zone"), choices=timezone_choices, widget=LongSelect())


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=locale_choices)
    next = HiddenField()


CODE_REQUIRED = _l("Please enter the code.")


class SignInCodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[InputRequired(CODE_REQUIRED), Length(max=40)],
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
    )


class ConfirmTwoFactorForm(FlaskForm):
    code = StringField(
        _l("Code from the app"),
        validators=[InputRequired(CODE_REQUIRED), Length(max=40)],
        description=_l("Enter the 6-digit code the app shows now."),
    )


class RecoveryCodesForm(FlaskForm):
    code = StringField(_l("Code from the app"), validators=[Length(max=40)])
    password = PasswordField(_l("Or your password"), validators=[Length(max=1024)])


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[InputRequired(PASSWORD_REQUIRED), Length(max=1024)])
    code = StringField(
        _l("Code from the app, or a recovery code"), validators=[InputRequired(CODE_REQUIRED), Length(max=40)]
    )
