"""The request keeps its message catalogue per locale: a locale changed within the request finds its own."""

from __future__ import annotations

from flask import render_template_string, session
from flask_babel import force_locale, gettext, refresh

from qtp.core.i18n import SESSION_KEY
from qtp.core.translations import RequestDomain

SOURCE = "Sign in"


def _spanish() -> str:
    with force_locale("es"):
        return gettext(SOURCE)


def test_the_app_translates_through_the_request_domain(app):
    assert isinstance(app.extensions["babel"].instance.domain_instance, RequestDomain)


def test_a_forced_locale_finds_its_catalogue_and_the_request_gets_its_own_back(app):
    spanish = None
    with app.test_request_context("/", headers={"Accept-Language": "pt-BR"}):
        portuguese = gettext(SOURCE)
        spanish = _spanish()
        again = gettext(SOURCE)
        template = render_template_string("{{ _('Sign in') }}")
    assert portuguese != SOURCE and spanish != SOURCE and portuguese != spanish
    assert again == portuguese and template == portuguese


def test_a_refreshed_locale_is_not_served_from_the_previous_catalogue(app):
    # As after the language switcher: the session's choice changes and Flask-Babel is refreshed.
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        before = render_template_string("{{ _('Sign in') }}")
        session[SESSION_KEY] = "pt_BR"
        refresh()
        after = render_template_string("{{ _('Sign in') }}")
        spanish = _spanish()
    assert before == spanish and after not in (SOURCE, spanish)


def test_wtforms_own_messages_are_in_the_request_language(app):
    from wtforms import IntegerField

    from qtp.core.forms import ConfirmForm

    class Number(ConfirmForm):
        number = IntegerField()

    messages = {}
    for language in ("es", "pt-BR", "en"):
        with app.test_request_context("/", method="POST", data={"number": "x"}, headers={"Accept-Language": language}):
            form = Number()
            form.validate()
            messages[language] = form.number.errors[0]
    assert messages["en"] == "Not a valid integer value."
    assert messages["es"] != messages["en"] and messages["pt-BR"] not in (messages["en"], messages["es"])
