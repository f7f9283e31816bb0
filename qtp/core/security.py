"""Security headers on every response and same-origin redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_login import current_user

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def safe_next_path(target: str | None, default: str) -> str:
    """Return `target` only when it is a path on this site; anything else gives `default`.

    Refuses absolute URLs, scheme-relative `//host`, backslash tricks (`/\\host`, `\\\\host`), control
    characters and `javascript:`-style schemes.
    """
    if not target or len(target) > 2000:
        return default
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def back_to_referrer(referrer: str | None, host: str, prefix: str, default: str) -> str:
    """The page a form was posted from, as a local path, when it is on this host and under `prefix` (a list
    with its filters, say); `default` otherwise. Another site's address never comes back as a redirect."""
    parts = urlsplit(referrer or "")
    if parts.scheme not in ("http", "https") or parts.netloc != host or not parts.path.startswith(prefix):
        return default
    return safe_next_path(parts.path + (f"?{parts.query}" if parts.query else ""), default)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages carry per-user data or CSRF tokens: never stored by browsers or proxies. Static files may be.
    if request.endpoint != "static":
        if current_user and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        else:
            headers.setdefault("Cache-Control", "no-store")
        headers.setdefault("Vary", "Cookie")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
