"""Rate limits on sign-in, password reset and other abuse-prone endpoints.

Built on `limits` (the library behind Flask-Limiter) so that a limit can count only *failures*: the sign-in
form checks the account's budget first and spends it only when the password is wrong. Storage is in
memory for one process, or Redis (QTP_REDIS_URL) so that every gunicorn worker shares the counts.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests


class RateLimits:
    def __init__(self, storage_uri: str, namespace: str = "qtp") -> None:
        self.storage = storage_from_string(storage_uri)
        self.strategy = MovingWindowRateLimiter(self.storage)
        self.namespace = namespace

    def _item(self, limit: str) -> RateLimitItem:
        return parse(limit)

    def exceeded(self, limit: str, scope: str, key: str) -> bool:
        return not self.strategy.test(self._item(limit), self.namespace, scope, key)

    def hit(self, limit: str, scope: str, key: str) -> bool:
        """Spend one unit; False when the budget was already used up."""
        return self.strategy.hit(self._item(limit), self.namespace, scope, key)

    def retry_after(self, limit: str, scope: str, key: str) -> int:
        stats = self.strategy.get_window_stats(self._item(limit), self.namespace, scope, key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def clear(self, limit: str, scope: str, key: str) -> None:
        self.strategy.clear(self._item(limit), self.namespace, scope, key)

    def reset_all(self) -> None:
        self.storage.reset()


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
