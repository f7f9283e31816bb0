"""Forms of the measure page: a data point, the chart settings, a CSV file. The rules are in rules.py."""

from __future__ import annotations

import re
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import IntegerField
from wtforms.validators import NumberRange, Optional

from qtp.core.forms import plain_number
from qtp.measurement.describe_anhoej import RULE_SET_NAMES, RULE_SETS
from qtp.measurement.rules import Entry

_PLAIN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def parse_form_number(text: str) -> float:
    """12.5 in any language; 12,5 (and 1.234,5) where the user's language writes decimal commas."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if _PLAIN.fullmatch(text):
        return float(text)
    try:
        number = parse_decimal(text, locale=str(get_locale() or "en"), strict=True)
    except (NumberFormatError, ValueError) as error:
        raise ValueError(text) from error
    if not number.is_finite():
        raise ValueError(text)
    return float(number)


class NumberField(StringField):
    """A decimal number, typed with a point or with the decimal comma of the user's language; empty is None."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        text = str(valuelist[0]).strip() if valuelist else ""
        if text:
            try:
                self.data = parse_form_number(text)
            except ValueError:
                raise ValueError(str(_l("Enter a number, for example 12.5."))) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else plain_number(self.data)


class PointForm(FlaskForm):
    period = DateField(
        _l("Period"),
        validators=[Optional()],
        description=_l("The date the data point stands for, e.g. the first day of the week or month."),
    )
    numerator = NumberField(_l("Numerator"))
    denominator = NumberField(_l("Denominator"))
    value = NumberField(_l("Value"))
    note = TextAreaField(_l("Note"), description=_l("Optional: what happened in this period (at most 500 characters)."))

    def entry(self) -> Entry:
        return Entry(
            period=self.period.data,
            numerator=self.numerator.data,
            denominator=self.denominator.data,
            value=self.value.data,
            note=self.note.data or "",
        )


class AstronomicalForm(FlaskForm):
    is_astronomical = HiddenField()

    @property
    def flagged(self) -> bool:
        return self.is_astronomical.data == "1"


class DeleteForm(FlaskForm):
    """Only the CSRF token."""


class SettingsForm(FlaskForm):
    chart = SelectField(_l("Chart"), choices=[], validate_choice=False)
    baseline_points = IntegerField(
        _l("Median frozen on the first points (baseline)"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Enter a whole number of at least 1, or leave it empty.")),
        ],
        description=_l(
            "For the run chart: the number of points the median is computed from, extended over the later points. "
            "Leave empty to compute it from all points."
        ),
    )
    rules = RadioField(
        _l("Run-chart rules"),
        choices=[(key, RULE_SET_NAMES[key]) for key in RULE_SETS],
        default="ihi",
        validate_choice=False,
        description=_l(
            "The rules that mark signals on the run chart and in its summary. The page shows what both sets find."
        ),
    )


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file to import."))])
