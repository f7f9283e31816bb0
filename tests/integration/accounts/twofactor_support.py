"""Turning two-factor sign-in on through the pages, as a person would, and computing codes like their app."""

from __future__ import annotations

import html
import re
import time

import pyotp

from tests.helpers import csrf_token, login, post_form, text_of

SECRET = re.compile(r'<code class="secret-key">([^<]+)</code>')
CODES = re.compile(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>")


def code_at(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def enable_two_factor(client, email: str) -> tuple[str, list[str]]:
    """Signed in as `email` (already signed in is fine), turn two-factor on; the secret and recovery codes."""
    if client.get("/account/security").status_code != 200:
        assert login(client, email).status_code == 302
    assert post_form(client, "/account/security/two-factor/start", token_from="/account/security").status_code == 302
    page = client.get("/account/security/two-factor/setup")
    assert page.status_code == 200
    secret = SECRET.search(text_of(page)).group(1).replace(" ", "")
    done = post_form(
        client, "/account/security/two-factor/setup", {"code": code_at(secret)}, token_from="/account/security"
    )
    assert done.status_code == 200, text_of(done)
    codes = CODES.findall(text_of(done))
    assert len(codes) == 10
    return secret, codes


def give_code(client, code: str):
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")})


def unescape(text: str) -> str:
    return html.unescape(text)
