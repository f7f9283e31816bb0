"""Two-factor sign-in: turning it on, the second sign-in step, replays, recovery codes, turning it off."""

from __future__ import annotations

import logging
import time

from qtp.accounts.security_models import RecoveryCode, TwoFactorSecret
from qtp.accounts.twofactor import decrypt_secret
from qtp.core.audit import AuditEvent
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import csrf_token, login, logout, post_form, text_of
from tests.integration.accounts.twofactor_support import code_at, enable_two_factor, give_code

EMAIL = "ana@test.example.org"


def _signed_in(client) -> bool:
    return client.get("/home").status_code == 200


def _setup(client, session):
    user = make_user(session, EMAIL, roles=["participant"], name="Ana Ribeiro")
    secret, codes = enable_two_factor(client, EMAIL)
    logout(client)
    return user, secret, codes


def test_turning_it_on_shows_a_qr_code_and_the_key_then_ten_codes_once(client, session, app):
    user = make_user(session, EMAIL)
    login(client, EMAIL)
    post_form(client, "/account/security/two-factor/start", token_from="/account/security")
    page = text_of(client.get("/account/security/two-factor/setup"))
    assert 'src="data:image/svg+xml' in page
    assert "Type this key into the app instead" in page
    # a wrong first code leaves it off
    wrong = post_form(client, "/account/security/two-factor/setup", {"code": "000000"}, token_from="/account/security")
    assert wrong.status_code == 400 and "This code is not correct" in text_of(wrong)
    session.refresh(user)
    assert user.two_factor_enabled_at is None
    secret, codes = enable_two_factor(client, EMAIL)
    session.refresh(user)
    assert user.two_factor_enabled_at is not None
    # the secret is stored encrypted, the codes only as hashes; the key is never shown again
    stored = session.get(TwoFactorSecret, user.id)
    assert secret not in stored.secret_encrypted and decrypt_secret(app.config["SECRET_KEY"], stored.secret_encrypted)
    hashes = {row.code_hash for row in session.query(RecoveryCode).filter_by(user_id=user.id)}
    assert len(hashes) == 10 and not any(code in h for code in codes for h in hashes)
    assert client.get("/account/security/two-factor/setup").status_code == 302
    assert secret[:8] not in text_of(client.get("/account/security"))
    assert session.query(AuditEvent).filter_by(action="account.two_factor_enabled", actor_id=user.id).count() == 1


def test_the_codes_page_offers_them_as_a_text_file(client, session):
    make_user(session, EMAIL)
    login(client, EMAIL)
    post_form(client, "/account/security/two-factor/start", token_from="/account/security")
    from tests.integration.accounts.twofactor_support import SECRET

    secret = SECRET.search(text_of(client.get("/account/security/two-factor/setup"))).group(1).replace(" ", "")
    page = text_of(
        post_form(
            client, "/account/security/two-factor/setup", {"code": code_at(secret)}, token_from="/account/security"
        )
    )
    assert 'download="qtp-recovery-codes.txt"' in page and 'href="data:text/plain;charset=utf-8,' in page


def test_sign_in_asks_for_a_code_and_the_half_signed_in_state_grants_nothing(client, session):
    user, secret, _codes = _setup(client, session)
    response = login(client, EMAIL, next="/account/profile")
    assert response.headers["Location"].endswith("/login/code")
    for path in ("/home", "/account/profile", "/account/security", "/admin/users"):
        assert client.get(path).status_code == 302, path
    assert post_form(client, "/account/security/two-factor/start", token_from="/login/code").status_code == 302
    page = client.get("/login/code")
    assert page.status_code == 200 and "authenticator app" in text_of(page)
    done = give_code(client, code_at(secret, 1))
    assert done.status_code == 302 and done.headers["Location"] == "/account/profile"
    assert _signed_in(client)


def test_the_code_step_belongs_to_the_browser_that_gave_the_password(app, client, session):
    _user, secret, _codes = _setup(client, session)
    login(client, EMAIL)
    other = app.test_client()
    assert other.get("/login/code").status_code == 302
    assert other.post("/login/code", data={"code": code_at(secret, 1)}).status_code in (302, 400)
    assert not _signed_in(other)


def test_the_code_step_expires_after_five_minutes(client, session, monkeypatch):
    _user, secret, _codes = _setup(client, session)
    login(client, EMAIL)
    later = time.time() + 301
    monkeypatch.setattr("qtp.accounts.security_views.time.time", lambda: later)
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert not _signed_in(client)


def test_a_wrong_code_is_refused_and_a_used_code_cannot_be_replayed(app, client, session):
    _user, secret, _codes = _setup(client, session)
    login(client, EMAIL)
    wrong = give_code(client, "123456" if code_at(secret, 1) != "123456" else "654321")
    assert wrong.status_code == 401 and "This code is not correct" in text_of(wrong)
    code = code_at(secret, 1)
    assert give_code(client, code).status_code == 302
    thief = app.test_client()
    login(thief, EMAIL)
    replay = give_code(thief, code)
    assert replay.status_code == 401 and not _signed_in(thief)
    # the code that confirmed the set-up (this time step) cannot be used either
    assert give_code(thief, code_at(secret, 0)).status_code == 401


def test_codes_are_rate_limited_like_passwords(client, session):
    _user, secret, _codes = _setup(client, session)
    login(client, EMAIL)
    for _ in range(5):
        assert give_code(client, "000000" if code_at(secret, 1) != "000000" else "111111").status_code == 401
    assert give_code(client, code_at(secret, 1)).status_code == 429
    assert not _signed_in(client)


def test_a_recovery_code_works_once(app, client, session):
    user, _secret, codes = _setup(client, session)
    login(client, EMAIL)
    assert give_code(client, codes[0].upper().replace("-", " ")).status_code == 302
    assert _signed_in(client)
    other = app.test_client()
    login(other, EMAIL)
    assert give_code(other, codes[0]).status_code == 401
    assert give_code(other, codes[1]).status_code == 302
    assert session.query(AuditEvent).filter_by(action="account.recovery_code_used", actor_id=user.id).count() == 2
    assert "You have 8 unused recovery codes." in text_of(other.get("/account/security"))


def test_password_reset_does_not_bypass_two_factor(client, session, outbox):
    _user, secret, _codes = _setup(client, session)
    post_form(client, "/forgot-password", {"email": EMAIL}, token_from="/forgot-password")
    import re

    link = re.search(r"http://localhost(/reset-password/\S+)", outbox[-1].body).group(1)
    new_password = "a brand new passphrase for ana 42"
    assert (
        post_form(client, link, {"password": new_password, "confirm": new_password}, token_from=link).status_code == 302
    )
    response = login(client, EMAIL, new_password)
    assert response.headers["Location"].endswith("/login/code")
    assert not _signed_in(client)
    assert give_code(client, code_at(secret, 1)).status_code == 302 and _signed_in(client)


def test_remember_me_keeps_working_after_the_code(app, client, session):
    _user, secret, _codes = _setup(client, session)
    login(client, EMAIL, remember="y")
    assert client.get_cookie("qtp_remember") is None
    give_code(client, code_at(secret, 1))
    remember = client.get_cookie("qtp_remember").value
    later = app.test_client()
    later.set_cookie("qtp_remember", remember)
    assert later.get("/home").status_code == 200


def test_new_recovery_codes_need_a_code_or_the_password_and_end_the_old_ones(client, session):
    make_user(session, EMAIL)
    secret, codes = enable_two_factor(client, EMAIL)
    refused = post_form(client, "/account/security/recovery-codes", {"password": "wrong password here"})
    assert refused.status_code == 400 and "The password is not correct." in text_of(refused)
    done = post_form(client, "/account/security/recovery-codes", {"password": TEST_PASSWORD})
    assert done.status_code == 200
    from tests.integration.accounts.twofactor_support import CODES

    fresh = CODES.findall(text_of(done))
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    logout(client)
    login(client, EMAIL)
    assert give_code(client, codes[0]).status_code == 401
    assert give_code(client, fresh[0]).status_code == 302


def test_turning_it_off_needs_the_password_and_a_code(client, session):
    user = make_user(session, EMAIL)
    secret, _codes = enable_two_factor(client, EMAIL)
    no_code = post_form(client, "/account/security/two-factor/disable", {"password": TEST_PASSWORD, "code": "000000"})
    assert no_code.status_code == 400
    wrong_password = post_form(
        client, "/account/security/two-factor/disable", {"password": "not the password", "code": code_at(secret, 1)}
    )
    assert wrong_password.status_code == 400
    session.refresh(user)
    assert user.two_factor_enabled_at is not None
    done = post_form(
        client, "/account/security/two-factor/disable", {"password": TEST_PASSWORD, "code": code_at(secret, 1)}
    )
    assert done.status_code == 302
    session.refresh(user)
    assert user.two_factor_enabled_at is None and session.get(TwoFactorSecret, user.id) is None
    logout(client)
    assert login(client, EMAIL).headers["Location"].endswith("/home")
    assert session.query(AuditEvent).filter_by(action="account.two_factor_disabled").count() == 1


def test_the_secret_and_codes_are_never_logged(client, session, caplog):
    make_user(session, EMAIL)
    with caplog.at_level(logging.DEBUG):
        secret, codes = enable_two_factor(client, EMAIL)
        logout(client)
        login(client, EMAIL)
        give_code(client, codes[0])
    assert secret not in caplog.text and codes[0] not in caplog.text


def test_the_csrf_token_of_the_code_page_is_required(client, session):
    _user, secret, _codes = _setup(client, session)
    login(client, EMAIL)
    csrf_token(client, "/login/code")
    assert client.post("/login/code", data={"code": code_at(secret, 1)}).status_code == 400
    assert not _signed_in(client)
