"""Request ids: one per request, taken from `X-Request-ID` when it is a sane token, else made.

The id is on `g.request_id`, in the response header, in every log record of the request (`logs.py`), on the
500 page as the reference for support, and travels with the jobs the request enqueues (`jobs.py`): a worker
runs such a job inside `bound(id)`, so that its log lines carry the id of the request that asked for it.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Outside a request (a worker running a job): the id the job was queued with.
_bound: ContextVar[str | None] = ContextVar("qtp_request_id", default=None)


def new_request_id() -> str:
    """128 random bits in 32 hex digits (the form of a uuid4 hex, at a third of its cost)."""
    return secrets.token_hex(16)


def clean(value: str | None) -> str | None:
    """The given id when it is 8-64 characters of [A-Za-z0-9._-] (nothing a log line could be forged with)."""
    if value and _SANE.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    """The id of the request being served, or of the job being run; None elsewhere (CLI, start-up)."""
    if has_request_context():
        request_id = g.get("request_id")
        if request_id:
            return request_id
    return _bound.get()


@contextmanager
def bound(request_id: str | None) -> Iterator[str]:
    """Run a block (a queued job) under a request id: the given one, or a new one."""
    value = clean(request_id) or new_request_id()
    token = _bound.set(value)
    try:
        yield value
    finally:
        _bound.reset(token)


def started_at() -> float:
    """perf_counter() at the start of this request (for durations)."""
    return g.get("request_started", time.perf_counter())


def _start() -> None:
    g.request_started = time.perf_counter()
    g.request_id = clean(request.headers.get(HEADER)) or new_request_id()


def _echo(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[HEADER] = request_id
    return response


def init_app(app: Flask) -> None:
    """Registered before every other hook, so that even a CSRF failure or an early error has an id."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_echo)
