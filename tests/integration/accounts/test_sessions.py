"""Signed-in sessions: listed on the security page, signed out one by one or all but this one."""

from __future__ import annotations

import re
from datetime import timedelta

from qtp.accounts.security_models import UserSession
from qtp.core.db import utcnow
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import login, post_form, text_of

EMAIL = "ana@test.example.org"
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
END = re.compile(r'action="/account/sessions/([^/"]+)/end"')


def _client(app, agent: str):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    return client


def _signed_in(client) -> bool:
    return client.get("/home").status_code == 200


def test_the_page_lists_each_device_and_marks_this_one(app, client, session):
    make_user(session, EMAIL)
    laptop, phone = _client(app, WINDOWS_CHROME), _client(app, IPHONE_SAFARI)
    login(laptop, EMAIL)
    login(phone, EMAIL, remember="y")
    page = text_of(laptop.get("/account/security"))
    assert "Chrome on Windows" in page and "Safari on iPhone" in page
    assert page.count("This device") == 1 and "Kept signed in" in page
    assert "Sign out everywhere else" in page


def test_signing_out_another_session_ends_it_and_only_it(app, session):
    make_user(session, EMAIL)
    laptop, phone, tablet = (_client(app, WINDOWS_CHROME), _client(app, IPHONE_SAFARI), _client(app, IPHONE_SAFARI))
    login(laptop, EMAIL)
    login(phone, EMAIL, remember="y")
    login(tablet, EMAIL)
    phone_remember = phone.get_cookie("qtp_remember").value
    phone_id = session.query(UserSession).order_by(UserSession.id).all()[1].public_id
    response = post_form(laptop, f"/account/sessions/{phone_id}/end", token_from="/account/security")
    assert response.status_code == 302
    assert not _signed_in(phone)
    thief = app.test_client()
    thief.set_cookie("qtp_remember", phone_remember)
    assert not _signed_in(thief)  # its remember-me cookie ended with it
    assert _signed_in(laptop) and _signed_in(tablet)
    assert "Safari on iPhone" in text_of(laptop.get("/account/security"))  # the tablet
    assert len(END.findall(text_of(laptop.get("/account/security")))) == 2


def test_a_session_of_someone_else_cannot_be_ended(app, session):
    make_user(session, EMAIL)
    make_user(session, "bea@test.example.org")
    ana, bea = _client(app, WINDOWS_CHROME), _client(app, WINDOWS_CHROME)
    login(ana, EMAIL)
    login(bea, "bea@test.example.org")
    bea_id = session.query(UserSession).order_by(UserSession.id.desc()).first().public_id
    post_form(ana, f"/account/sessions/{bea_id}/end", token_from="/account/security")
    assert _signed_in(bea)


def test_sign_out_everywhere_else_keeps_this_one(app, session):
    make_user(session, EMAIL)
    laptop, phone, tablet = (_client(app, WINDOWS_CHROME), _client(app, IPHONE_SAFARI), _client(app, IPHONE_SAFARI))
    for device in (laptop, phone, tablet):
        login(device, EMAIL)
    response = post_form(laptop, "/account/sessions/end-others", token_from="/account/security")
    assert response.status_code == 302
    assert "signed out everywhere else (2 sessions)" in text_of(laptop.get("/account/security"))
    assert _signed_in(laptop) and not _signed_in(phone) and not _signed_in(tablet)
    assert len(END.findall(text_of(laptop.get("/account/security")))) == 1


def test_signing_out_this_session_from_the_list_signs_this_browser_out(app, session):
    make_user(session, EMAIL)
    laptop = _client(app, WINDOWS_CHROME)
    login(laptop, EMAIL)
    this_id = END.search(text_of(laptop.get("/account/security"))).group(1)
    response = post_form(laptop, f"/account/sessions/{this_id}/end", token_from="/account/security")
    assert response.headers["Location"].endswith("/login")
    assert not _signed_in(laptop)


def test_sign_out_and_password_change_end_the_listed_sessions(app, session):
    make_user(session, EMAIL)
    laptop, phone = _client(app, WINDOWS_CHROME), _client(app, IPHONE_SAFARI)
    login(laptop, EMAIL)
    login(phone, EMAIL)
    new = "another long passphrase for ana 7"
    post_form(
        laptop,
        "/account/password",
        {"current_password": TEST_PASSWORD, "new_password": new, "confirm": new},
        token_from="/account/password",
    )
    assert not _signed_in(phone) and _signed_in(laptop)
    assert len(END.findall(text_of(laptop.get("/account/security")))) == 1
    assert post_form(laptop, "/logout").status_code == 302
    assert session.query(UserSession).filter(UserSession.revoked_at.is_(None)).count() == 0


def test_idle_sessions_are_not_listed_and_no_longer_work(app, session):
    make_user(session, EMAIL)
    laptop, phone = _client(app, WINDOWS_CHROME), _client(app, IPHONE_SAFARI)
    login(laptop, EMAIL)
    login(phone, EMAIL)
    row = session.query(UserSession).order_by(UserSession.id.desc()).first()
    row.last_seen_at = utcnow() - timedelta(hours=13)
    session.commit()
    assert "Safari on iPhone" not in text_of(laptop.get("/account/security"))
    assert not _signed_in(phone)


def test_last_seen_is_written_at_most_once_a_minute(app, session, sql_statements):
    make_user(session, EMAIL)
    laptop = _client(app, WINDOWS_CHROME)
    login(laptop, EMAIL)
    sql_statements.clear()
    laptop.get("/account/profile")
    assert not [s for s in sql_statements if s.lstrip().upper().startswith("UPDATE")]
    row = session.query(UserSession).one()
    row.last_seen_at = utcnow() - timedelta(minutes=2)
    session.commit()
    sql_statements.clear()
    laptop.get("/account/profile")
    assert len([s for s in sql_statements if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")]) == 1
    session.refresh(row)
    assert row.last_seen_at > utcnow() - timedelta(seconds=30)


def test_loading_the_signed_in_user_is_one_statement(app, session, sql_statements):
    make_user(session, EMAIL)
    laptop = _client(app, WINDOWS_CHROME)
    login(laptop, EMAIL)
    sql_statements.clear()
    assert laptop.get("/healthz").status_code == 200
    laptop.get("/account/security")
    loads = [s for s in sql_statements if "FROM users JOIN user_sessions" in s]
    assert loads and len(loads) == len([s for s in sql_statements if "FROM users" in s and "users.session_token" in s])
