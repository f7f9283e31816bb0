from datetime import date

import pytest
from flask_babel import force_locale, gettext

from tests.factories import add_member, make_cohort, make_team, make_user
from tests.helpers import login, post_form, text_of


def translated(app, locale, text):
    with app.test_request_context(), force_locale(locale):
        return gettext(text)


@pytest.mark.parametrize("locale,header,lang", [("es", "es-MX,es;q=0.9", "es"), ("pt_BR", "pt-BR", "pt-BR")])
def test_login_page_follows_accept_language(app, client, locale, header, lang):
    page = text_of(client.get("/login", headers={"Accept-Language": header}))
    sign_in = translated(app, locale, "Sign in")
    assert sign_in != "Sign in", "catalog compiled and translated"
    assert f'<html lang="{lang}">' in page
    assert sign_in in page
    assert translated(app, locale, "Forgot your password?") in page


def test_switcher_choice_beats_accept_language_and_is_kept_in_the_session(app, client):
    response = post_form(client, "/language", {"locale": "pt_BR", "next": "/forgot-password"})
    assert response.status_code == 302 and response.headers["Location"] == "/forgot-password"
    page = text_of(client.get("/forgot-password", headers={"Accept-Language": "es"}))
    assert '<html lang="pt-BR">' in page


def test_switcher_refuses_unknown_languages_and_foreign_next(client):
    assert post_form(client, "/language", {"locale": "fr", "next": "/"}).status_code == 400
    response = post_form(client, "/language", {"locale": "es", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_user_preference_beats_the_session_choice(app, client, session):
    make_user(session, "lucia@test.example.org", locale="es")
    post_form(client, "/language", {"locale": "pt_BR", "next": "/"})
    login(client, "lucia@test.example.org")
    assert '<html lang="es">' in text_of(client.get("/home"))


def test_switching_language_when_signed_in_updates_the_preference(app, client, session):
    user = make_user(session, "lucia@test.example.org", locale="es")
    login(client, "lucia@test.example.org")
    post_form(client, "/language", {"locale": "pt_BR", "next": "/home"})
    assert '<html lang="pt-BR">' in text_of(client.get("/home"))
    session.expire_all()
    assert session.get(type(user), user.id).locale == "pt_BR"


def test_switcher_is_on_every_page_including_login(client):
    for path in ("/", "/login", "/forgot-password", "/no-such-page"):
        assert 'name="locale"' in text_of(client.get(path)), path


@pytest.mark.parametrize(
    "locale,fragment",
    [(None, "Sep 10, 2026"), ("es", "10 sept 2026"), ("pt_BR", "10 de set. de 2026")],
)
def test_dates_follow_the_locale(app, session, locale, fragment):
    cohort = make_cohort(session, starts_on=date(2026, 9, 10), ends_on=date(2027, 3, 19))
    team = make_team(session, cohort)
    user = make_user(session, "ana@test.example.org", roles=["participant"], locale=locale)
    add_member(session, team, user, "leader")
    c = app.test_client()
    login(c, "ana@test.example.org")
    assert fragment in text_of(c.get("/home"))


def test_numbers_follow_the_locale(app):
    from flask_babel import format_decimal

    with app.test_request_context(), force_locale("pt_BR"):
        assert format_decimal(1234.5) == "1.234,5"
    with app.test_request_context(), force_locale("en"):
        assert format_decimal(1234.5) == "1,234.5"
