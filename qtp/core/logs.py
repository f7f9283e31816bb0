"""Logging: one JSON object a line in production (or with `QTP_LOG_FORMAT=json`), readable text in development;
every record carries the request id; the app writes one access line per request.

A JSON line holds `time` (ISO 8601 UTC), `level`, `logger`, `message`, `request_id`, and for the access line
`method`, `path`, `endpoint`, `status`, `duration_ms`, `user_id`, `remote_addr`; an exception is one `exception`
field (JSON escapes its newlines). Nothing logged here holds a password, a cookie, a CSRF value, a query string
or a token: the path is logged without its query, and the path segments that are secrets (reset and invitation
tokens, signed download links, calendar feed tokens, certificate serials) are replaced by `[redacted]`.
Werkzeug's own request lines (development server) are dropped: they carry the query string, and the app's
access line replaces them.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import IO, Any

from flask import Flask, Response, g, request

from qtp.core.requestid import current_request_id, started_at

ACCESS_LOGGER = "qtp.access"
FORMATS = ("json", "text")
# Fields a record may carry (logger.info(..., extra={...})) that the JSON line shows.
EXTRA_FIELDS = ("method", "path", "endpoint", "status", "duration_ms", "user_id", "remote_addr", "job")
# URL variables whose values are secrets or bearer codes: never logged.
SECRET_ARGS = frozenset({"token", "serial"})
REDACTED = "[redacted]"
MAX_PATH = 300
# werkzeug.serving.WSGIRequestHandler.log_request logs '<address> - - [<date>] "%s" %s %s'.
_WERKZEUG_REQUEST_LINE = '"%s" %s %s'

access_log = logging.getLogger(ACCESS_LOGGER)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2026-12-07 10:00:00,123 INFO qtp.access [3f2a...] GET /home 200 12.3 ms`; newlines in the message are
    escaped so that no message can pass for another line (tracebacks stay readable)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        values = dict(record.__dict__)
        values["message"] = record.message.replace("\r", "\\r").replace("\n", "\\n")
        values["request_id"] = getattr(record, "request_id", None) or current_request_id() or "-"
        return self._style._fmt % values


def _not_a_werkzeug_request_line(record: logging.LogRecord) -> bool:
    return not (isinstance(record.msg, str) and record.msg.endswith(_WERKZEUG_REQUEST_LINE))


def make_handler(fmt: str, stream: IO[str] | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    return handler


def configure(app: Flask) -> None:
    """One handler on the root logger (replacing the one an earlier app of this process installed)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "qtp_handler", False):
            root.removeHandler(handler)
    handler = make_handler(app.config["QTP_LOG_FORMAT"])
    handler.qtp_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.WARNING if app.config["QTP_ENV"] == "testing" else logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    werkzeug = logging.getLogger("werkzeug")
    if _not_a_werkzeug_request_line not in werkzeug.filters:
        werkzeug.addFilter(_not_a_werkzeug_request_line)


def loggable_path() -> str:
    """The request's path without its query string and with its secret segments replaced."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_ARGS and isinstance(value, str) and value:
            path = path.replace(value, REDACTED)
    return path[:MAX_PATH]


def _signed_in_user_id() -> int | None:
    # The user Flask-Login already loaded for this request (never loads one: the database may be down).
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return getattr(user, "id", None)
    return None


def _log_request(response: Response) -> Response:
    if not access_log.isEnabledFor(logging.INFO):
        return response
    duration_ms = round((time.perf_counter() - started_at()) * 1000, 1)
    path = loggable_path()
    access_log.info(
        "%s %s %s %.1f ms",
        request.method,
        path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": _signed_in_user_id(),
            "remote_addr": request.remote_addr,
        },
    )
    return response


def init_app(app: Flask) -> None:
    configure(app)
    # Registered early: after_request hooks run last-registered first, so this one sees the final response.
    app.after_request(_log_request)
