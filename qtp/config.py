"""Configuration: defaults, then QTP_* environment variables, then the caller's overrides.

`QTP_ENV` is `development` (default: `make run`), `testing` or `production`. Production refuses to start
without a real `QTP_SECRET_KEY`; development keeps a random key in `instance/secret_key`.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "testing", "production")
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration cannot be used (raised at start-up, never at request time)."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def log_format(env: str | None = None) -> str:
    """`QTP_LOG_FORMAT`, else JSON in production and text elsewhere (gunicorn.conf.py asks too)."""
    env = env or os.environ.get("QTP_ENV", "development")
    return os.environ.get("QTP_LOG_FORMAT") or ("json" if env == "production" else "text")


def _env_list(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = os.environ.get(name)
    if value is None:
        return default
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _dev_secret(instance_path: Path) -> str:
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def build_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    overrides = dict(overrides or {})
    env = overrides.get("QTP_ENV") or os.environ.get("QTP_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"QTP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    instance = Path(instance_path)
    is_dev = env == "development"

    redis_url = os.environ.get("QTP_REDIS_URL") or None
    cfg: dict[str, Any] = {
        "QTP_ENV": env,
        "SECRET_KEY": os.environ.get("QTP_SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("QTP_DATABASE_URL") or f"sqlite:///{instance / 'qtp.db'}",
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        # A pooled connection of a database server is tested before it is lent (one round trip): after a
        # restart, or a connection ended by the server or a proxy, the next request gets a new connection instead
        # of a 500. A SQLite file has no server to lose: no test (set below, once the URL is known).
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "QTP_CONTENT_ROOT": os.environ.get("QTP_CONTENT_ROOT")
        or str(Path(__file__).resolve().parent.parent / "courses"),
        "QTP_BASE_URL": os.environ.get("QTP_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "QTP_REDIS_URL": redis_url,
        # Rate limits: in memory for one process, Redis (shared by every worker) when QTP_REDIS_URL is set.
        "QTP_RATELIMIT_STORAGE_URI": os.environ.get("QTP_RATELIMIT_STORAGE_URI") or redis_url or "memory://",
        "QTP_LOGIN_FAILURE_LIMIT": os.environ.get("QTP_LOGIN_FAILURE_LIMIT", "5 per minute"),
        "QTP_LOGIN_ADDRESS_LIMIT": os.environ.get("QTP_LOGIN_ADDRESS_LIMIT", "60 per minute"),
        "QTP_RESET_REQUEST_LIMIT": os.environ.get("QTP_RESET_REQUEST_LIMIT", "10 per 15 minutes"),
        "QTP_TOKEN_USE_LIMIT": os.environ.get("QTP_TOKEN_USE_LIMIT", "30 per 15 minutes"),
        # Public certificate verification: page views and uploaded PDFs checked, per address.
        "QTP_VERIFY_LIMIT": os.environ.get("QTP_VERIFY_LIMIT", "30 per minute"),
        # Mail: printed to the console unless an SMTP host is configured.
        "QTP_MAIL_BACKEND": os.environ.get("QTP_MAIL_BACKEND")
        or ("smtp" if os.environ.get("QTP_SMTP_HOST") else "console"),
        "QTP_MAIL_FROM": os.environ.get("QTP_MAIL_FROM", "QTP <no-reply@qtp.example.org>"),
        "QTP_SMTP_HOST": os.environ.get("QTP_SMTP_HOST", ""),
        "QTP_SMTP_PORT": int(os.environ.get("QTP_SMTP_PORT", "587")),
        "QTP_SMTP_USERNAME": os.environ.get("QTP_SMTP_USERNAME", ""),
        "QTP_SMTP_PASSWORD": os.environ.get("QTP_SMTP_PASSWORD", ""),
        "QTP_SMTP_STARTTLS": _env_bool("QTP_SMTP_STARTTLS", True),
        "QTP_SMTP_SSL": _env_bool("QTP_SMTP_SSL", False),
        # Tokens.
        "QTP_RESET_TOKEN_MAX_AGE": int(os.environ.get("QTP_RESET_TOKEN_MAX_AGE", "3600")),
        "QTP_INVITATION_MAX_AGE_DAYS": int(os.environ.get("QTP_INVITATION_MAX_AGE_DAYS", "14")),
        # Cookies.
        "SESSION_COOKIE_NAME": "qtp_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not is_dev and env != "testing",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "REMEMBER_COOKIE_NAME": "qtp_remember",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": not is_dev and env != "testing",
        "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": False,
        # Forms.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": int(os.environ.get("QTP_MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        # Files: stored under random ids outside the served static tree; downloads through the app, or through
        # the proxy (X-Accel-Redirect to this internal location prefix) when set.
        "QTP_STORAGE_DIR": os.environ.get("QTP_STORAGE_DIR") or str(instance / "storage"),
        "QTP_BUNDLE_DIR": os.environ.get("QTP_BUNDLE_DIR") or str(instance / "bundles"),
        # A licensee's download link works for this many minutes; a single bundle file is handed to the proxy
        # (X-Accel-Redirect to this internal location prefix, mapped to QTP_BUNDLE_DIR) when set.
        "QTP_INTEREST_LIMIT": os.environ.get("QTP_INTEREST_LIMIT", "5 per hour"),  # survey answers per address
        "QTP_DOWNLOAD_LINK_MINUTES": int(os.environ.get("QTP_DOWNLOAD_LINK_MINUTES", "60")),
        "QTP_X_ACCEL_BUNDLE_PREFIX": os.environ.get("QTP_X_ACCEL_BUNDLE_PREFIX") or None,
        "QTP_MAX_ATTACHMENT_BYTES": int(os.environ.get("QTP_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))),
        "QTP_X_ACCEL_REDIRECT_PREFIX": os.environ.get("QTP_X_ACCEL_REDIRECT_PREFIX") or None,
        # Personal data (qtp.privacy): "Download my data" archives per person, interest-survey answers deleted
        # after this many months by `flask qtp privacy purge`, and what erasing an account does to its
        # certificates: "keep" them verifiable with the name frozen at issue, or "revoke" them.
        "QTP_DATA_EXPORT_LIMIT": os.environ.get("QTP_DATA_EXPORT_LIMIT", "5 per hour"),
        "QTP_INTEREST_RETENTION_MONTHS": int(os.environ.get("QTP_INTEREST_RETENTION_MONTHS", "24")),
        "QTP_ERASURE_CERTIFICATES": os.environ.get("QTP_ERASURE_CERTIFICATES", "keep"),
        # Languages.
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "QTP_LOCALES": ("en", "es", "pt_BR"),
        "QTP_TIMEZONE_DEFAULT": "UTC",
        "QTP_TRUST_PROXY": _env_bool("QTP_TRUST_PROXY", False),
        # Observability: JSON log lines in production, readable text elsewhere; who may read /metrics without
        # signing in as an admin (addresses or networks the connection itself comes from, never a proxy header).
        "QTP_LOG_FORMAT": log_format(env),
        "QTP_METRICS_ALLOW": _env_list("QTP_METRICS_ALLOW", ("127.0.0.1", "::1")),
    }
    cfg.update(overrides)
    if not str(cfg["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **cfg["SQLALCHEMY_ENGINE_OPTIONS"]}

    if not cfg["SECRET_KEY"]:
        if env == "production":
            raise ConfigError("QTP_SECRET_KEY must be set in production (at least 32 random characters)")
        cfg["SECRET_KEY"] = _dev_secret(instance) if env == "development" else secrets.token_hex(32)
    if env == "production" and len(cfg["SECRET_KEY"]) < MIN_SECRET_LENGTH:
        raise ConfigError("QTP_SECRET_KEY is too short for production (at least 32 characters)")
    if cfg["QTP_LOG_FORMAT"] not in ("json", "text"):
        raise ConfigError(f"QTP_LOG_FORMAT must be json or text, not {cfg['QTP_LOG_FORMAT']!r}")
    if cfg["QTP_ERASURE_CERTIFICATES"] not in ("keep", "revoke"):
        raise ConfigError(f"QTP_ERASURE_CERTIFICATES must be keep or revoke, not {cfg['QTP_ERASURE_CERTIFICATES']!r}")
    if cfg["QTP_INTEREST_RETENTION_MONTHS"] < 1:
        raise ConfigError("QTP_INTEREST_RETENTION_MONTHS must be at least 1")
    for entry in cfg["QTP_METRICS_ALLOW"]:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as error:
            raise ConfigError(f"QTP_METRICS_ALLOW: {entry!r} is not an address or network") from error
    return cfg
