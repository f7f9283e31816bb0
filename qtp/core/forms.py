"""Shared form pieces: language and time-zone choices, and service errors shown on forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Generic, TypeVar

from flask import flash, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import EmailField, SelectMultipleField, StringField, widgets
from wtforms.validators import Email, InputRequired, Length

from qtp.core.i18n import NATIVE_NAMES, timezone_names
from qtp.core.service import ServiceError
from qtp.extensions import db

T = TypeVar("T")


def plain_number(value: float) -> str:
    """A stored number as a person types it in an input: 75 rather than 75.0, 0.00001 rather than 1e-05."""
    return format(Decimal(repr(value)).normalize(), "f")


def optional_int(value: object) -> int | None:
    """A select's value as an id, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    return int(value)  # type: ignore[arg-type]


def label_choices(labels: dict) -> list[tuple[str, str]]:
    """Choices from a {StrEnum member: lazy label} mapping."""
    return [(key.value, str(label)) for key, label in labels.items()]


class ConfirmForm(FlaskForm):
    """A button that changes something: carries only the CSRF token."""


class CheckboxesField(SelectMultipleField):
    """A choice of several, as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class NameEmailMixin:
    """A person's full name and e-mail address, as admins enter them (invitations, team members)."""

    name = StringField(_l("Full name"), validators=[InputRequired(_l("Please enter a name.")), Length(max=200)])
    email = EmailField(
        _l("E-mail address"),
        validators=[
            InputRequired(_l("Please enter an e-mail address.")),
            Email(_l("Please enter a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )


def locale_choices(with_default: bool = False) -> list[tuple[str, str]]:
    choices = [(code, name) for code, name in NATIVE_NAMES.items()]
    if with_default:
        choices.insert(0, ("", str(_l("Same as my browser"))))
    return choices


@cache
def timezone_choices() -> tuple[tuple[str, str], ...]:
    return tuple((tz, tz.replace("_", " ")) for tz in timezone_names())


class LongSelect(widgets.Select):
    """A single select of hundreds of fixed options (the time zones), whose options' HTML is built once per list
    of choices; each form then only marks the selected one (WTForms' Select escapes and formats every option on
    every page, some 30 ms for the time zones)."""

    _options: dict[int, tuple[object, list[Markup], dict[str, int]]] = {}

    def __call__(self, field, **kwargs):  # type: ignore[no-untyped-def]
        choices = field.choices
        if not isinstance(choices, tuple):
            return super().__call__(field, **kwargs)
        kept = self._options.get(id(choices))
        if kept is None or kept[0] is not choices:
            options = [Markup('<option value="%s">%s</option>') % (value, label) for value, label in choices]
            kept = (choices, options, {str(value): i for i, (value, _label) in enumerate(choices)})
            self._options[id(choices)] = kept
        _choices, options, index = kept
        options = list(options)
        chosen = index.get(str(field.data))
        if chosen is not None:
            value, label = choices[chosen]
            options[chosen] = Markup('<option selected value="%s">%s</option>') % (value, label)
        kwargs.setdefault("id", field.id)
        if field.flags.required and "required" not in kwargs:
            kwargs["required"] = True
        attributes = widgets.html_params(name=field.name, **kwargs)
        return Markup("<select %s>%s</select>") % (Markup(attributes), Markup("").join(options))  # noqa: S704 (escaped by html_params)


def show_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Attach the service's message to the named field, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    ok: bool
    result: T | None = None


def commit_or_show(form: FlaskForm, action: Callable[[], T]) -> Outcome[T]:
    """Run one service call and commit; when a rule refuses it, roll back and show why on the form."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        show_service_error(form, error)
        return Outcome(ok=False)
    db.session.commit()
    return Outcome(ok=True, result=result)


def queued_message(text: str) -> Markup:
    """A flash saying that the work is on the job queue, with a link to the jobs page (admins)."""
    return Markup('%s <a href="%s">%s</a>') % (text, url_for("admin.jobs"), _l("See the jobs page."))


def commit_or_flash(action: Callable[[], object]) -> bool:
    """For buttons without fields: run one service call and commit, or roll back and flash the refusal."""
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    return True
