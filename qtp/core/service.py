"""What services raise when a rule refuses an action; views turn it into a message on the form."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qtp.core.permissions import has_permission


class ServiceError(Exception):
    """A rule refused the action. `message` is already translated; `field` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(Exception):
    """The acting user may not do this (services re-check what views already checked)."""


def authorize(actor: Any, permission: str) -> None:
    """Services re-check the role-level permission for every caller, the CLI included."""
    if not has_permission(actor, permission):
        raise PermissionDenied(permission)


def flush_or_refuse(session: Session, message: str, field: str | None = None) -> None:
    """Flush now; a unique constraint that fails (a race the earlier check missed) becomes a message.

    The caller rolls back on ServiceError, as views do for every refused action.
    """
    try:
        session.flush()
    except IntegrityError as error:
        raise ServiceError(message, field=field) from error
