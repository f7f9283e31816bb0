"""Translated error pages that never show a traceback; a 500 page shows the request id as the reference for
support, which finds the log lines of that request (and of the jobs it enqueued) by it."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError

from qtp.core.logs import loggable_path
from qtp.core.requestid import current_request_id, new_request_id
from qtp.core.service import PermissionDenied
from qtp.core.storage import StorageFull

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have permission to do this.")),
    404: (_l("Page not found"), _l("There is nothing here, or you do not have access to it.")),
    405: (_l("Method not allowed"), _l("This address cannot be used that way.")),
    413: (_l("Too large"), _l("What you sent is larger than allowed. Please send a smaller file.")),
    416: (
        _l("Not in the file"),
        _l(
            "The part of the file that was asked for is not in it (the file may have changed). "
            "Please download the whole file again."
        ),
    ),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Please wait a minute and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred. It has been logged; please try again later."),
    ),
    503: (_l("Temporarily unavailable"), _l("The service is temporarily unavailable. Please try again soon.")),
    507: (
        _l("No room to store files"),
        _l("There is no room left to store files right now, so nothing was saved. Please try again later."),
    ),
}
CSRF_MESSAGE = _l("Your form expired or was sent from another page. Please reload the page and try again.")


def _render(code: int, message: str | None = None, error_id: str | None = None):
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    try:
        body = render_template(
            "errors/error.html", code=code, title=title, message=message or default_message, error_id=error_id
        )
    except Exception:  # the error page itself must never fail with a traceback
        log.exception("error page could not be rendered")
        body = f"<!doctype html><title>{code}</title><h1>{code}</h1>"
    return body, code


def error_page(code: int, message: str):
    """The error page with a message that says what was wrong (a view's own 4xx answer)."""
    return _render(code, message)


def handle_http_exception(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    response_body, code = _render(error.code)
    response = error.get_response()
    response.set_data(response_body)
    response.mimetype = "text/html"
    return response


def handle_csrf_error(error: CSRFError):
    return _render(400, str(CSRF_MESSAGE))


def handle_server_error(error: InternalServerError):
    original = error.original_exception or error
    error_id = current_request_id() or new_request_id()
    log.error("unhandled error on %s %s", request.method, loggable_path(), exc_info=original)
    return _render(500, error_id=error_id)


def handle_permission_denied(error: PermissionDenied):
    log.warning("permission denied in a service: %s", error)
    return handle_http_exception(Forbidden())


def handle_storage_full(error: StorageFull):
    log.error("storage full on %s %s: %s", request.method, loggable_path(), error)
    return _render(507)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(StorageFull, handle_storage_full)
    app.register_error_handler(PermissionDenied, handle_permission_denied)
    app.register_error_handler(HTTPException, handle_http_exception)
    # Registered by code so that Flask calls it only for unhandled errors (tests still see tracebacks).
    app.register_error_handler(500, handle_server_error)
