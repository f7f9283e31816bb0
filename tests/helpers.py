"""Helpers for driving the app through Flask's test client as a browser would (CSRF tokens included)."""

from __future__ import annotations

import os
import re

from flask.testing import FlaskClient

from tests.factories import TEST_PASSWORD

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    """The CSRF token of this client's session, read from a page as a browser would."""
    response = client.get(path)
    match = _TOKEN.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict | None = None, *, token_from: str = "/", **kwargs):
    """POST a form with a valid CSRF token of this session."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client, token_from))
    return client.post(path, data=payload, **kwargs)


def login(client: FlaskClient, email: str, password: str = TEST_PASSWORD, **extra):
    return post_form(client, "/login", {"email": email, "password": password, **extra}, token_from="/login")


def logout(client: FlaskClient):
    return post_form(client, "/logout")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def _redis_of_this_worker(url: str) -> str:
    """Under pytest-xdist each worker has a database of its own (gw0: 15, gw1: 14...): queues emptied by one
    worker's test are not another's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    base, _, number = url.rpartition("/")
    if not worker.startswith("gw") or not number.isdigit():
        return url
    return f"{base}/{int(number) - int(worker[2:])}"


REDIS_URL = _redis_of_this_worker(os.environ.get("QTP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))


def redis_available() -> bool:
    """Whether the Redis server the Redis tests use answers (they are skipped otherwise; CI fails on skips)."""
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False
