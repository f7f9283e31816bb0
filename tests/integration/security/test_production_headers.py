"""Headers and cookies of the production configuration (QTP_ENV=production, behind the TLS proxy that
QTP_TRUST_PROXY trusts), and pages that a strict CSP can run: no inline script, style element or style=."""

from __future__ import annotations

import re

import pytest

from qtp import create_app
from qtp.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user

from . import corpus
from .conftest import DEMO_PASSWORD, PEOPLE
from .pages import crawl

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "qtp.example.org"}
ONE_YEAR = 31536000


@pytest.fixture
def production(app, db_session, tmp_path):
    """The production app on the test database (same tables, same transaction as the test)."""
    config = {
        "QTP_ENV": "production",
        "SECRET_KEY": "p" * 48,
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or app.config["SQLALCHEMY_DATABASE_URI"],
        "QTP_TRUST_PROXY": True,
        "QTP_MAIL_BACKEND": "memory",
        "QTP_RATELIMIT_STORAGE_URI": "memory://",
        "QTP_BASE_URL": "https://qtp.example.org",
        "QTP_STORAGE_DIR": str(tmp_path / "storage"),
    }
    prod = create_app(config)
    with prod.app_context():
        db.engine.dispose()
    return prod


SITE = "https://qtp.example.org"


def _client(prod):
    return prod.test_client()


def _sign_in(prod, email, password, remember=True):
    client = _client(prod)
    page = client.get(f"{SITE}/login", headers=HTTPS)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    data = {"email": email, "password": password, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    return client, client.post(f"{SITE}/login", data=data, headers={**HTTPS, "Referer": f"{SITE}/login"})


def _directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: part for part in (p.strip() for p in csp.split(";")) if part}


def test_production_sends_hsts_a_strict_csp_and_nosniff(production, db_session):
    response = _client(production).get(f"{SITE}/", headers=HTTPS)
    assert response.status_code == 200
    hsts = response.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= ONE_YEAR and "includeSubDomains" in hsts
    csp = _directives(response.headers["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        value = csp.get(directive) or csp["default-src"]
        assert "'unsafe-inline'" not in value and "'unsafe-eval'" not in value and "*" not in value.split()
    assert csp["frame-ancestors"] == "frame-ancestors 'none'" and csp["object-src"] == "object-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_production_cookies_are_secure_httponly_and_samesite(production, db_session):
    make_user(db_session, "prod.person@test.example.org", roles=["participant"], password="amber-violin-harbour-8")
    client, response = _sign_in(production, "prod.person@test.example.org", "amber-violin-harbour-8")
    assert response.status_code == 302, response.status_code
    cookies = response.headers.getlist("Set-Cookie")
    names = {cookie.split("=", 1)[0] for cookie in cookies}
    assert {"qtp_session", "qtp_remember"} <= names, names
    for cookie in cookies:
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes, cookie
        assert re.search(r"SameSite=(Lax|Strict)", cookie, re.I), cookie
    home = client.get(f"{SITE}/home", headers=HTTPS)
    assert home.status_code == 200
    assert home.headers["Cache-Control"] == "no-store"


def test_no_page_of_any_role_has_inline_script_or_style(app, signed_in):
    """What the CSP would block, on the pages each role reaches (the test configuration renders the same
    templates as production)."""
    problems, pages = [], 0
    clients = {email: signed_in(email) for email in PEOPLE}
    clients["anonymous"] = app.test_client()
    for who, client in clients.items():
        responses, _, _ = crawl(client, ["/home" if who != "anonymous" else "/"], 40,
                                re.compile(r"/logout|/language|\.(zip|pdf|png|svg|ics|json|csv)").search)
        for path, response in responses.items():
            if response.status_code == 200 and response.mimetype == "text/html":
                pages += 1
                problems += [f"{who} {path}: {p}" for p in sorted(set(corpus.inline_code(response.text)))]
                if who != "anonymous":
                    assert response.headers["Cache-Control"] == "no-store", path
    assert pages > 120
    assert not problems, "\n".join(problems[:40])


__all__ = ["DEMO_PASSWORD"]
