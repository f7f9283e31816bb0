"""The request's message catalogue, found once per locale instead of once per string.

Flask-Babel finds the catalogue anew for every string it translates: several lookups of the request's globals and
the locale formatted as text, a fifth of a page's time for the hundred strings of a landing page. `RequestDomain`
keeps the catalogue on the request's Babel namespace beside the locale object it was found for, so that a locale
changed within a request (`force_locale` for an e-mail in the recipient's language, `refresh()` after the user
picks another language) finds its own catalogue, never the previous one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import flask_wtf.i18n as flask_wtf_i18n
from babel import support
from flask import Flask, g, has_request_context
from flask_babel import Domain, get_locale, get_translations
from wtforms.i18n import messages_path

_FOUND = "qtp_translations"


def _namespace() -> Any:
    """Flask-Babel's per-request namespace, or None (no app context, or Babel not used yet in this one)."""
    try:
        return g._flask_babel
    except (AttributeError, RuntimeError):
        return None


def _kept(namespace: Any) -> Any:
    found = getattr(namespace, _FOUND, None) if namespace is not None else None
    if found is not None and found[0] is getattr(namespace, "babel_locale", None):
        return found[1]
    return None


def current_translations() -> Any:
    """The catalogue of the request's current locale (the app has one message domain: `messages`)."""
    return _kept(_namespace()) or get_translations()


class RequestDomain(Domain):
    def get_translations(self):  # type: ignore[no-untyped-def]
        kept = _kept(_namespace())
        if kept is not None:
            return kept
        translations = super().get_translations()
        namespace = _namespace()
        locale = getattr(namespace, "babel_locale", None)
        if locale is not None:
            setattr(namespace, _FOUND, (locale, translations))
        return translations


@cache
def _wtforms_catalogue(locale: str) -> Any:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def wtforms_translations() -> Any:
    """WTForms' own messages ("Not a valid integer value.") in the request's language. Flask-WTF reads and parses
    their catalogue file again for every request that builds a form; this reads it once per language."""
    if not has_request_context():
        return None
    return _wtforms_catalogue(str(get_locale()))


def init_app(app: Flask) -> None:
    """After `babel.init_app`: the app's default domain keeps its catalogue per request, for Python's `_()` and the
    templates' `{{ _() }}` alike (both ask `get_domain().get_translations()`)."""
    configuration = app.extensions["babel"]
    babel = configuration.instance
    if not isinstance(babel.__dict__.get("domain_instance"), RequestDomain):
        babel.__dict__["domain_instance"] = RequestDomain(domain=configuration.default_domain)
    app.jinja_env.install_gettext_callables(  # as Flask-Babel's, without finding the domain for each string
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # Flask-WTF's forms ask this module-level function of flask_wtf.i18n for WTForms' catalogue.
    flask_wtf_i18n._get_translations = wtforms_translations
