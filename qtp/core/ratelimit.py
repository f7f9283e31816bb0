"""Rate limits on sign-in, password reset and other abuse-prone endpoints.

Built on `limits` (the library behind Flask-Limiter) so that a limit can count only *failures*: the sign-in
form checks the account's budget first and spends it only when the password is wrong. Storage is in
memory for one process, or Redis (QTP_REDIS_URL) so that every gunicorn worker shares the counts.

Redis away (stopped, restarting, unreachable): the limits never open and never lock everybody out. Each
process counts in its own memory instead (so across N gunicorn workers an account gets at most N times its
budget) and tries the shared storage again RETRY_SHARED seconds later; a Redis that does not answer costs a
request at most STORAGE_TIMEOUT seconds, once per RETRY_SHARED.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)

RETRY_SHARED = 10.0  # seconds before the shared storage is tried again after it failed
STORAGE_TIMEOUT = 1.0  # seconds a Redis that does not answer may hold a request
_STORAGE_ERRORS = (RedisError, StorageError, OSError)
T = TypeVar("T")


class RateLimits:
    def __init__(self, storage_uri: str, namespace: str = "qtp") -> None:
        options = {}
        if storage_uri.startswith(("redis://", "rediss://", "unix://")):
            options = {"socket_connect_timeout": STORAGE_TIMEOUT, "socket_timeout": STORAGE_TIMEOUT}
        self.storage = storage_from_string(storage_uri, **options)
        self.strategy = MovingWindowRateLimiter(self.storage)
        shared = not isinstance(self.storage, MemoryStorage)
        self.fallback = MovingWindowRateLimiter(MemoryStorage()) if shared else None
        self.namespace = namespace
        self._retry_at = 0.0  # while the shared storage is away: when to try it again

    @property
    def using_fallback(self) -> bool:
        return self._retry_at > 0.0

    def _run(self, action: Callable[[MovingWindowRateLimiter], T]) -> T:
        """The action on the shared storage, or on this process's memory while the shared one is away."""
        if self.fallback is None:
            return action(self.strategy)
        if time.monotonic() >= self._retry_at:
            try:
                result = action(self.strategy)
            except _STORAGE_ERRORS as error:
                if not self.using_fallback:
                    log.error("rate-limit storage unreachable (%s): counting in this process", error)
                self._retry_at = time.monotonic() + RETRY_SHARED
            else:
                if self.using_fallback:
                    log.warning("rate-limit storage answers again: counts are shared again")
                self._retry_at = 0.0
                return result
        return action(self.fallback)

    def _item(self, limit: str) -> RateLimitItem:
        return parse(limit)

    def exceeded(self, limit: str, scope: str, key: str) -> bool:
        return not self._run(lambda strategy: strategy.test(self._item(limit), self.namespace, scope, key))

    def hit(self, limit: str, scope: str, key: str) -> bool:
        """Spend one unit; False when the budget was already used up."""
        return self._run(lambda strategy: strategy.hit(self._item(limit), self.namespace, scope, key))

    def retry_after(self, limit: str, scope: str, key: str) -> int:
        stats = self._run(lambda strategy: strategy.get_window_stats(self._item(limit), self.namespace, scope, key))
        return max(1, math.ceil(stats.reset_time - time.time()))

    def clear(self, limit: str, scope: str, key: str) -> None:
        self._run(lambda strategy: strategy.clear(self._item(limit), self.namespace, scope, key))
        if self.fallback is not None:
            self.fallback.clear(self._item(limit), self.namespace, scope, key)

    def reset_all(self) -> None:
        self._run(lambda strategy: strategy.storage.reset())
        if self.fallback is not None:
            self.fallback.storage.reset()


def limits() -> RateLimits:
    return current_app.extensions["qtp_ratelimits"]


def too_many(limit: str, scope: str, key: str) -> TooManyRequests:
    return TooManyRequests(retry_after=limits().retry_after(limit, scope, key))


def enforce(config_key: str, scope: str, key: str) -> None:
    """Spend one unit of the configured limit for (scope, key); 429 once it is used up."""
    limit = current_app.config[config_key]
    if not limits().hit(limit, scope, key):
        raise too_many(limit, scope, key)


class FailureBudget:
    """A limit that counts only failures: check it before the attempt, spend it when the attempt fails."""

    def __init__(self, config_key: str, scope: str, key: str) -> None:
        self.limit = current_app.config[config_key]
        self.scope, self.key = scope, key

    def check(self) -> None:
        if limits().exceeded(self.limit, self.scope, self.key):
            raise too_many(self.limit, self.scope, self.key)

    def spend(self) -> None:
        limits().hit(self.limit, self.scope, self.key)


def client_address() -> str:
    """The client's address (ProxyFix rewrites remote_addr when QTP_TRUST_PROXY is on)."""
    return request.remote_addr or "unknown"


def account_key(email: str) -> str:
    """A per-account key that holds whatever address the attempts come from."""
    normalized = (email or "").strip().lower()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:32]


def init_app(app: Flask) -> None:
    uri = app.config.get("QTP_RATELIMIT_STORAGE_URI") or app.config.get("QTP_REDIS_URL") or "memory://"
    app.extensions["qtp_ratelimits"] = RateLimits(uri, namespace=app.config.get("QTP_RATELIMIT_NAMESPACE", "qtp"))
