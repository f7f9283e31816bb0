"""WTForms classes built from a worksheet type's definition: adding a field is a content change."""

from __future__ import annotations

import math
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from qtp.catalog.content_worksheets import DEFAULT_MAX_LENGTH
from qtp.core.forms import CheckboxesField, plain_number
from qtp.measurement.diagrams import split_codes
from qtp.worksheets.data import BLANK_ROWS
from qtp.worksheets.queries import LinkChoice

Links = dict[str, list[LinkChoice]]


class CodesField(CheckboxesField):
    """Codes of the rows of another group of the same worksheet (the primary drivers a secondary driver feeds),
    ticked instead of typed. Offered from the stored rows (the page's script follows the rows as they are
    typed); a posted or stored code that is not, or no longer, among them stays listed and ticked, so a save
    never drops a link silently."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = split_codes(" ".join(valuelist))

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        if isinstance(data, str):  # stored before codes were ticked: "P1, P2"
            data = split_codes(data)
        super().process(formdata, data, extra_filters)
        known = {value for value, _label in self.choices or []}
        self.choices = list(self.choices or []) + [(code, code) for code in self.data or [] if code not in known]


MAX_DIGITS = 15  # a worksheet number has at most this many digits before the decimal point


def _plain_number(form: Any, field: Any) -> None:
    """Refuses "nan", "inf" and numbers of more than MAX_DIGITS digits (1e30: pages cannot show it)."""
    if field.data is not None and not (math.isfinite(field.data) and abs(field.data) < 10**MAX_DIGITS):
        raise ValidationError(_l("Enter a number of at most %(digits)s digits.", digits=MAX_DIGITS))


class PlainNumberField(FloatField):
    """A number shown in its input as typed by a person: 75 rather than 75.0, 0.00001 rather than 1e-05."""

    def _value(self) -> str:
        if self.raw_data or self.data is None or not math.isfinite(self.data):
            return super()._value()
        return plain_number(self.data)


def _field(spec: dict[str, Any], text: dict[str, Any], rows: dict[str, int], links: Links) -> Any:
    label, help_text = text.get("label", spec["id"]), text.get("help", "")
    kind = spec["kind"]
    if kind in ("text", "textarea"):
        cls = StringField if kind == "text" else TextAreaField
        return cls(
            label,
            description=help_text,
            validators=[Optional(), Length(max=spec.get("max_length", DEFAULT_MAX_LENGTH[kind]))],
        )
    if kind == "number":
        return PlainNumberField(
            label,
            description=help_text,
            validators=[Optional(), _plain_number, NumberRange(min=spec.get("min"), max=spec.get("max"))],
        )
    if kind == "date":
        return DateField(label, description=help_text, validators=[Optional()])
    choices = [(c, (text.get("choices") or {}).get(c, c)) for c in spec.get("choices", [])]
    if kind == "select":
        return SelectField(label, description=help_text, choices=[("", "–"), *choices], validators=[Optional()])
    if kind == "multiselect":
        return CheckboxesField(label, description=help_text, choices=choices, validators=[Optional()])
    if kind == "boolean":
        return BooleanField(label, description=help_text)
    if kind == "link":
        options = [(c.value, c.label) for c in links.get(spec["id"], [])]
        return SelectField(
            label, description=help_text, choices=[("", "–"), *options], validators=[Optional()]
        )  # only a row of the source worksheet (or what is stored already: page.form_class)
    if kind == "records":
        options = [(c.value, c.label) for c in links.get(spec["id"], [])]
        return CheckboxesField(label, description=help_text, choices=options, validators=[Optional()])
    if kind == "codes":
        options = [(c.value, c.label) for c in links.get(spec["id"], [])]
        return CodesField(label, description=help_text, choices=options, validators=[Optional()])
    if kind == "group":
        sub_texts = text.get("fields") or {}
        row_form = type(
            f"Row_{spec['id']}",
            (Form,),
            {sub["id"]: _field(sub, sub_texts.get(sub["id"], {}), rows, links) for sub in spec["fields"]},
        )
        entries = min(spec.get("max", 50), rows.get(spec["id"], 0) + BLANK_ROWS)
        return FieldList(
            FormField(row_form),
            label=label,
            description=help_text,
            min_entries=entries,
            max_entries=spec.get("max", 50),
        )
    raise ValueError(f"unknown field kind {kind!r}")


def build_form_class(
    definition: dict[str, Any], texts: dict[str, Any], rows: dict[str, int], links: Links | None = None
) -> type[FlaskForm]:
    """A form class for this type; `rows` says how many rows each group holds (two blank rows are added);
    `links` gives the choices of link and records fields, from the team's own worksheets. A link whose
    row has since disappeared keeps its stored code (validate_choice=False), so nothing is silently lost."""
    attrs: dict[str, Any] = {
        spec["id"]: _field(spec, texts["fields"].get(spec["id"], {}), rows, links or {})
        for spec in definition["fields"]
        if spec["kind"] != "ref"
    }
    attrs["base_version"] = HiddenField()
    attrs["confirm_no_patient_data"] = BooleanField(
        _l("I have checked: this contains no patient names, dates of birth, record numbers or contact details.")
    )
    return type("WorksheetForm", (FlaskForm,), attrs)
