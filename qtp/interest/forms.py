"""The interest survey form (public) and the admins' filter. Only the fields declared here are read."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from qtp.core.forms import label_choices, locale_choices
from qtp.core.i18n import country_choices, current_locale_code
from qtp.interest.models import PROGRAM_LABELS, ROLE_LABELS
from qtp.interest.services import MESSAGE_MAX, Answer


def _countries() -> list[tuple[str, str]]:
    return [("", _l("Choose your country"))] + country_choices(current_locale_code())


class InterestForm(FlaskForm):
    # Choices are checked by the service, with a message of its own (a tampered value is not a valid choice).
    country = SelectField(
        _l("Country"), choices=_countries, validators=[InputRequired(_l("Choose your country."))], validate_choice=False
    )
    organization = StringField(
        _l("Hospital, practice or organization"),
        validators=[InputRequired(_l("Please enter your hospital, practice or organization.")), Length(max=200)],
    )
    role = SelectField(
        _l("Your role"),
        choices=lambda: [(key, str(label)) for key, label in ROLE_LABELS.items()],
        validate_choice=False,
    )
    program = SelectField(
        _l("What are you interested in?"), choices=lambda: label_choices(PROGRAM_LABELS), validate_choice=False
    )
    team_size = IntegerField(
        _l("Size of your team"),
        validators=[Optional(), NumberRange(1, 50, _l("A team has from 1 to 50 people."))],
        description=_l(
            "How many people would take part (a QTP team has a leader, a core team of 2 to 4, and a sponsor)."
        ),
    )
    language = SelectField(_l("Preferred language of the program"), choices=locale_choices, validate_choice=False)
    email = EmailField(
        _l("Contact e-mail"),
        validators=[
            InputRequired(_l("Please enter an e-mail address.")),
            Email(_l("Please enter a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    message = TextAreaField(
        _l("Message (optional)"),
        validators=[Length(max=MESSAGE_MAX, message=_l("Keep the message under %(max)s characters.", max=MESSAGE_MAX))],
        description=_l("Anything we should know: your project idea, dates that suit you, questions."),
    )
    consent = BooleanField(
        _l("I agree to be contacted by the Quality Training Program about my request."),
        validators=[InputRequired(_l("Please agree to be contacted, or we cannot answer you."))],
    )
    website = StringField(_l("Leave this field empty"))  # the honeypot: hidden from people, filled by robots
    stamp = HiddenField()

    def answer(self) -> Answer:
        return Answer(
            country=self.country.data or "",
            organization=self.organization.data or "",
            role=self.role.data or "",
            program=self.program.data or "",
            team_size=self.team_size.data,
            language=self.language.data or "",
            email=self.email.data or "",
            message=self.message.data or "",
            consent=bool(self.consent.data),
            locale=current_locale_code(),
        )
