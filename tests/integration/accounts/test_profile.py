from qtp.accounts.models import User
from qtp.core.audit import AuditEvent
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import login, post_form, text_of

NEW_PASSWORD = "copper-lantern-meadow-river"


def signed_in(app, session, **fields):
    user = make_user(session, "ana@test.example.org", name="Ana Ribeiro", **fields)
    c = app.test_client()
    login(c, "ana@test.example.org")
    return user, c


def test_profile_shows_and_saves_name_language_and_time_zone(app, session):
    user, c = signed_in(app, session)
    page = c.get("/account/profile")
    assert page.status_code == 200 and "ana@test.example.org" in text_of(page)
    response = post_form(
        c,
        "/account/profile",
        {"name": "Ana B. Ribeiro", "locale": "pt_BR", "timezone": "America/Sao_Paulo"},
        token_from="/account/profile",
    )
    assert response.status_code == 302
    session.expire_all()
    saved = session.get(User, user.id)
    assert (saved.name, saved.locale, saved.timezone) == ("Ana B. Ribeiro", "pt_BR", "America/Sao_Paulo")
    assert 'lang="pt-BR"' in text_of(c.get("/account/profile"))
    event = session.query(AuditEvent).filter_by(action="account.profile_updated").one()
    assert event.details["locale"] == {"from": None, "to": "pt_BR"}


def test_profile_refuses_unknown_time_zone_and_language(app, session):
    user, c = signed_in(app, session)
    bad_tz = post_form(
        c, "/account/profile", {"name": "Ana", "locale": "", "timezone": "Mars/Olympus"}, token_from="/account/profile"
    )
    assert bad_tz.status_code == 400 and "Not a valid choice" in text_of(bad_tz)
    bad_locale = post_form(
        c, "/account/profile", {"name": "Ana", "locale": "xx", "timezone": "UTC"}, token_from="/account/profile"
    )
    assert bad_locale.status_code == 400
    session.expire_all()
    assert session.get(User, user.id).timezone == "UTC"


def test_empty_name_is_refused(app, session):
    _, c = signed_in(app, session)
    response = post_form(
        c, "/account/profile", {"name": "  ", "locale": "", "timezone": "UTC"}, token_from="/account/profile"
    )
    assert response.status_code == 400
    assert "Please enter your name." in text_of(response)


def test_profile_ignores_fields_it_does_not_declare(app, session):
    user, c = signed_in(app, session)
    post_form(
        c,
        "/account/profile",
        {
            "name": "Ana",
            "locale": "",
            "timezone": "UTC",
            "email": "evil@example.org",
            "is_active": "0",
            "roles": "admin",
            "role": "admin",
            "organization_id": "1",
        },
        token_from="/account/profile",
    )
    session.expire_all()
    saved = session.get(User, user.id)
    assert saved.email == "ana@test.example.org" and saved.is_active and saved.role_set == frozenset()


def test_change_password_keeps_this_session_and_ends_the_others(app, session):
    _, c = signed_in(app, session)
    laptop = app.test_client()
    login(laptop, "ana@test.example.org")
    response = post_form(
        c,
        "/account/password",
        {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_from="/account/password",
    )
    assert response.status_code == 302
    assert c.get("/home").status_code == 200
    assert laptop.get("/home").status_code == 302
    assert login(app.test_client(), "ana@test.example.org", TEST_PASSWORD).status_code == 401
    assert login(app.test_client(), "ana@test.example.org", NEW_PASSWORD).status_code == 302
    assert session.query(AuditEvent).filter_by(action="account.password_changed").count() == 1


def test_change_password_needs_the_current_one_and_a_strong_new_one(app, session):
    _, c = signed_in(app, session)
    wrong = post_form(
        c,
        "/account/password",
        {"current_password": "not-my-password-x", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_from="/account/password",
    )
    assert wrong.status_code == 400 and "The current password is not correct." in text_of(wrong)
    weak = post_form(
        c,
        "/account/password",
        {"current_password": TEST_PASSWORD, "new_password": "password1234", "confirm": "password1234"},
        token_from="/account/password",
    )
    assert weak.status_code == 400 and "too common" in text_of(weak)
    assert login(app.test_client(), "ana@test.example.org", TEST_PASSWORD).status_code == 302
