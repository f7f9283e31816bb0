"""Admin forms. Only the fields declared here are read: extra posted fields change nothing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from qtp.accounts.models import ORGANIZATION_KIND_LABELS
from qtp.core.forms import (
    CheckboxesField,
    LongSelect,
    NameEmailMixin,
    locale_choices,
    optional_int,
    timezone_choices,
)
from qtp.core.permissions import ROLE_LABELS


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(label)) for role, label in ROLE_LABELS.items()]


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, str(label)) for kind, label in ORGANIZATION_KIND_LABELS.items()]


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"), choices=lambda: [("", str(_l("Any role"))), *role_choices()], validators=[Optional()]
    )
    status = SelectField(
        _l("Status"),
        choices=lambda: [
            ("", str(_l("Any status"))),
            ("active", str(_l("Active"))),
            ("inactive", str(_l("Deactivated"))),
        ],
        validators=[Optional()],
    )


class UserFieldsMixin(NameEmailMixin):
    organization_id = SelectField(_l("Organization"), coerce=optional_int, choices=[])
    roles = CheckboxesField(_l("Roles"), choices=role_choices)


class InviteUserForm(UserFieldsMixin, FlaskForm):
    locale = SelectField(
        _l("Language of the invitation"),
        choices=locale_choices,
        description=_l("The invitation e-mail is written in this language, and it becomes the account's preference."),
    )


class EditUserForm(UserFieldsMixin, FlaskForm):
    locale = SelectField(_l("Preferred language"), choices=lambda: locale_choices(with_default=True))
    timezone = SelectField(_l("Time zone"), choices=timezone_choices, widget=LongSelect())


class OrganizationForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Please enter the organization's name.")), Length(max=200)]
    )
    kind = SelectField(_l("Kind"), choices=kind_choices)
    country = SelectField(_l("Country"), choices=[])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])


class OrganizationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    kind = SelectField(
        _l("Kind"), choices=lambda: [("", str(_l("Any kind"))), *kind_choices()], validators=[Optional()]
    )
    status = SelectField(
        _l("Status"),
        choices=lambda: [
            ("", str(_l("Any status"))),
            ("active", str(_l("Active"))),
            ("inactive", str(_l("Deactivated"))),
        ],
        validators=[Optional()],
    )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    actor = StringField(_l("Actor's e-mail"), validators=[Optional(), Length(max=254)])
    object_type = SelectField(_l("Object type"), choices=[], validators=[Optional()])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])


class SiteSettingsForm(FlaskForm):
    require_staff_two_factor = BooleanField(
        _l("Require two-factor sign-in for administrators, faculty and coaches"),
        description=_l(
            "Staff who have not turned it on are sent to set it up the next time they open a page, and can reach "
            "nothing else until it is on. Participants and licensees choose for themselves."
        ),
    )
