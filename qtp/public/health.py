"""Readiness (`/readyz`): can this process serve? The database answers, Redis answers (when configured) and the
storage folder takes a file. Each check says `ok` or what failed, in words that hold no secret (the exception's
kind and the system's reason, never a URL, a password or a path); the details go to the log."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)

OK = "ok"
REDIS_TIMEOUT = 1.0  # seconds: a readiness probe must answer quickly even when Redis does not


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return type(error).__name__


def check_database(session: Session | scoped_session) -> str:
    try:
        session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 (any failure means not ready)
        log.warning("readiness: database unreachable", exc_info=error)
        session.rollback()
        return f"unreachable: {_reason(getattr(error, 'orig', None) or error)}"
    return OK


def check_redis(url: str) -> str:
    from redis import Redis

    try:
        client = Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # noqa: BLE001
        log.warning("readiness: Redis unreachable: %s", error)
        return f"unreachable: {type(error).__name__}"
    return OK


def check_storage(folder: str) -> str:
    try:
        root = Path(folder)
        root.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=".readyz-", dir=root)
        try:
            os.write(descriptor, b"ok")
        finally:
            os.close(descriptor)
            os.unlink(name)
    except OSError as error:
        log.warning("readiness: storage folder not writable: %s", error)
        return f"not writable: {_reason(error)}"
    return OK


def readiness(session: Session | scoped_session, redis_url: str | None, storage_folder: str) -> dict[str, str]:
    """Every check by name: `ok` or what failed."""
    checks = {"database": check_database(session)}
    if redis_url:
        checks["redis"] = check_redis(redis_url)
    checks["storage"] = check_storage(storage_folder)
    return checks
