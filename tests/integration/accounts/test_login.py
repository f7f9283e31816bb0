import logging

import pytest

from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import csrf_token, login, logout, post_form, text_of


def test_login_reaches_the_home_page(client, session):
    make_user(session, "ana@test.example.org", roles=["participant"], name="Ana Ribeiro")
    response = login(client, "ana@test.example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    home = client.get("/home")
    assert home.status_code == 200
    assert "Welcome, Ana Ribeiro" in text_of(home)


def test_email_is_case_insensitive(client, session):
    make_user(session, "ana@test.example.org")
    assert login(client, "  Ana@Test.Example.ORG ").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, session):
    make_user(session, "ana@test.example.org")
    response = login(client, "ana@test.example.org", "not-the-password-at-all")
    assert response.status_code == 401
    assert "The e-mail address or password is not correct." in text_of(response)
    assert client.get("/home").status_code == 302


def test_unknown_account_gets_the_same_message(client, session):
    response = login(client, "nobody@test.example.org", "whatever-password-1")
    assert response.status_code == 401
    assert "The e-mail address or password is not correct." in text_of(response)


def test_empty_form_gets_per_field_messages(client, session):
    response = post_form(client, "/login", {"email": "", "password": ""}, token_from="/login")
    assert response.status_code == 400
    assert "Please enter your e-mail address." in text_of(response)
    assert "Please enter a password." in text_of(response)


def test_deactivated_account_cannot_sign_in(client, session):
    make_user(session, "gone@test.example.org", is_active=False)
    assert login(client, "gone@test.example.org").status_code == 401


def test_anonymous_visitor_is_sent_to_login_with_next(client, session):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_next_parameter_is_followed_when_local(client, session):
    make_user(session, "ana@test.example.org")
    response = login(client, "ana@test.example.org", next="/account/profile")
    assert response.headers["Location"] == "/account/profile"


@pytest.mark.parametrize(
    "target", ["https://evil.example", "//evil.example", "\\\\evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_parameter_never_leaves_the_site(client, session, target):
    make_user(session, "ana@test.example.org")
    response = login(client, "ana@test.example.org", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_session_cookie_changes_at_login_and_the_old_one_is_useless(app, client, session):
    make_user(session, "ana@test.example.org")
    csrf_token(client, "/login")
    before = client.get_cookie("qtp_session").value
    login(client, "ana@test.example.org")
    after = client.get_cookie("qtp_session").value
    assert before != after
    attacker = app.test_client()
    attacker.set_cookie("qtp_session", before)
    assert attacker.get("/home").status_code == 302


def test_cookies_are_httponly_and_samesite_lax(client, session):
    make_user(session, "ana@test.example.org")
    response = login(client, "ana@test.example.org", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("qtp_session", "qtp_remember"):
        cookie = next(c for c in cookies if c.startswith(name + "="))
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    remember = next(c for c in cookies if c.startswith("qtp_remember="))
    assert "Expires=" in remember


def test_remember_me_cookie_signs_in_a_new_browser_session(app, client, session):
    make_user(session, "ana@test.example.org")
    login(client, "ana@test.example.org", remember="y")
    remember = client.get_cookie("qtp_remember").value
    later = app.test_client()
    later.set_cookie("qtp_remember", remember)
    assert later.get("/home").status_code == 200


def test_logout_ends_every_other_session_and_remember_cookie(app, client, session):
    make_user(session, "ana@test.example.org")
    login(client, "ana@test.example.org", remember="y")
    remember = client.get_cookie("qtp_remember").value
    laptop = app.test_client()
    login(laptop, "ana@test.example.org")
    assert laptop.get("/home").status_code == 200
    response = logout(client)
    assert response.status_code == 302
    assert laptop.get("/home").status_code == 302
    thief = app.test_client()
    thief.set_cookie("qtp_remember", remember)
    assert thief.get("/home").status_code == 302
    assert client.get("/home").status_code == 302


def test_logout_refuses_get(client, session):
    make_user(session, "ana@test.example.org")
    login(client, "ana@test.example.org")
    assert client.get("/logout").status_code == 405
    assert client.get("/home").status_code == 200


def test_password_is_never_logged(client, session, caplog):
    make_user(session, "ana@test.example.org")
    with caplog.at_level(logging.DEBUG):
        login(client, "ana@test.example.org", "wrong-but-secret-value-9")
        login(client, "ana@test.example.org", TEST_PASSWORD)
    assert "wrong-but-secret-value-9" not in caplog.text
    assert TEST_PASSWORD not in caplog.text


def test_login_writes_an_audit_event(client, session):
    from qtp.core.audit import AuditEvent

    user = make_user(session, "ana@test.example.org")
    login(client, "ana@test.example.org")
    event = session.query(AuditEvent).filter_by(action="account.signed_in").one()
    assert event.actor_id == user.id
