"""Licence forms (admins). Only the fields declared here are read: extra posted fields change nothing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from qtp.core.forms import (
    CheckboxesField,
    NameEmailMixin,
    label_choices,
    locale_choices,
    optional_int,
)
from qtp.core.i18n import NATIVE_NAMES, country_choices, current_locale_code
from qtp.licensing.models import PRODUCT_LABELS, STATUS_LABELS
from qtp.licensing.services import MAX_SEATS, NOTES_MAX, LicenseTerms


class LicenseForm(FlaskForm):
    organization_id = SelectField(_l("Licensee institution"), coerce=optional_int, choices=[])
    product = SelectField(_l("Product"), choices=lambda: label_choices(PRODUCT_LABELS))
    locales = CheckboxesField(
        _l("Languages of the content"), choices=lambda: list(NATIVE_NAMES.items()), validators=[Optional()]
    )
    territory = SelectMultipleField(
        _l("Territory"),
        choices=lambda: country_choices(current_locale_code()),
        validators=[Optional()],
        description=_l("The countries where the licensee may use the content (hold Ctrl or ⌘ to choose several)."),
    )
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    seats = IntegerField(
        _l("Named seats"),
        validators=[
            InputRequired(_l("Please enter the number of seats.")),
            NumberRange(1, MAX_SEATS, _l("A licence has from 1 to %(max)s named seats.", max=MAX_SEATS)),
        ],
        description=_l("The people of the licensee who may sign in and download the content."),
    )
    status = SelectField(
        _l("Status"),
        choices=lambda: label_choices(STATUS_LABELS),
        description=_l("A licence past its last day counts as expired whatever its status."),
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Length(max=NOTES_MAX, message=_l("Keep the notes under %(max)s characters.", max=NOTES_MAX))],
        description=_l("For admins only: how the agreement was reached, contacts, special terms."),
    )

    def terms(self) -> LicenseTerms:
        return LicenseTerms(
            organization_id=self.organization_id.data,
            product=self.product.data or "",
            locales=list(self.locales.data or []),
            territory=list(self.territory.data or []),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            seats=self.seats.data,
            status=self.status.data or "",
            notes=self.notes.data or "",
        )


class SeatForm(NameEmailMixin, FlaskForm):
    locale = SelectField(
        _l("Language of the invitation"),
        choices=locale_choices,
        description=_l("Used only when the person has no account yet: the invitation is written in it."),
    )
