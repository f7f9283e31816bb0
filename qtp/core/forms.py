"""Shared form pieces: language and time-zone choices, and service errors shown on forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from qtp.core.i18n import NATIVE_NAMES, timezone_names
from qtp.core.service import ServiceError


def locale_choices(with_default: bool = False) -> list[tuple[str, str]]:
    choices = [(code, name) for code, name in NATIVE_NAMES.items()]
    if with_default:
        choices.insert(0, ("", str(_l("Same as my browser"))))
    return choices


def timezone_choices() -> list[tuple[str, str]]:
    return [(tz, tz.replace("_", " ")) for tz in timezone_names()]


def show_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Attach the service's message to the named field, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
