"""Locale and time-zone selection, and locale-aware helpers for templates and forms."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import available_timezones

from babel import Locale
from babel.dates import format_date, format_time
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, get_timezone, to_user_timezone
from flask_login import current_user

from qtp.core.text import fold

SESSION_KEY = "locale"

# Shown in the switcher in each language's own name, whatever the page's language.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"})

NATIVE_NAMES = {"en": "English", "es": "Español", "pt_BR": "Português (Brasil)"}


def supported_locales() -> tuple[str, ...]:
    return tuple(current_app.config["QTP_LOCALES"])


def normalize_locale(value: str | None) -> str | None:
    """Map `pt-br`, `pt_BR`, `es-MX` ... to a supported locale, or None."""
    if not value:
        return None
    value = value.replace("-", "_").strip()
    supported = supported_locales()
    by_lower = {code.lower(): code for code in supported}
    if value.lower() in by_lower:
        return by_lower[value.lower()]
    language = value.split("_")[0].lower()
    for code in supported:
        if code.split("_")[0].lower() == language:
            return code
    return None


LANG_PARAMETER = "lang"  # `?lang=es`: a page's language alternate (hreflang), for that request only


def select_locale() -> str:
    """A page's language alternate asked for in the URL (`?lang=`), else the user's preference, else the
    switcher's choice in the session, else Accept-Language, else en."""
    if not has_request_context():  # command line and background jobs: callers use force_locale()
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = normalize_locale(request.args.get(LANG_PARAMETER))
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated and getattr(current_user, "locale", None):
        chosen = normalize_locale(current_user.locale)
        if chosen:
            return chosen
    chosen = normalize_locale(session.get(SESSION_KEY))
    if chosen:
        return chosen
    offered = supported_locales()
    header = request.accept_languages.best_match([c.replace("_", "-") for c in offered] + list(offered))
    return normalize_locale(header) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["QTP_TIMEZONE_DEFAULT"]
    if current_user and current_user.is_authenticated and getattr(current_user, "timezone", None):
        return current_user.timezone
    return current_app.config["QTP_TIMEZONE_DEFAULT"]


def current_locale_code() -> str:
    return str(get_locale() or "en")


def html_lang(code: str | None = None) -> str:
    return (code or current_locale_code()).replace("_", "-")


def user_today() -> date:
    """Today in the signed-in user's time zone (see select_timezone), UTC for anyone else. Computed on each
    call: a running server crosses midnight, and each user has a zone of their own."""
    return to_user_timezone(datetime.now(UTC)).date()


@cache
def timezone_names() -> tuple[str, ...]:
    return tuple(sorted(tz for tz in available_timezones() if "/" in tz and not tz.startswith("Etc/")) + ["UTC"])


def country_choices(locale_code: str) -> list[tuple[str, str]]:
    """ISO 3166 two-letter codes with names in the given language, sorted for that reader."""
    locale = Locale.parse(locale_code)
    english = Locale.parse("en")
    names = {
        code: locale.territories.get(code, english.territories[code])
        for code in english.territories
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    return sorted(names.items(), key=lambda item: fold(item[1]))


def language_name(code: str, locale_code: str | None = None) -> str:
    """A language's name in the reader's language (`es` reads "español" for a Spanish reader, "Spanish" for an
    English one); pt_BR says Brazilian Portuguese."""
    try:
        return Locale.parse(code).get_display_name(locale_code or current_locale_code()) or code
    except (ValueError, TypeError):
        return code


def country_name(code: str | None, locale_code: str | None = None) -> str:
    if not code:
        return ""
    locale = Locale.parse(locale_code or current_locale_code())
    return locale.territories.get(code, code)


def format_moment(value: datetime, locale_code: str | None = None) -> str:
    """A date and time for people: the date in words, the time without seconds, and the zone it is shown in
    ("Sep 14, 2026, 11:00 AM EDT"; "14 sept 2026, 9:00 GMT-6"; "14 de set. de 2026 12:00 BRT"), in the
    user's time zone (select_timezone). A zone without a common abbreviation is named by its offset."""
    locale = Locale.parse(locale_code or current_locale_code())
    zone = get_timezone()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone)
    abbreviation = zone_abbreviation(local)
    pattern = str(locale.datetime_formats.get("medium", "{1} {0}"))
    time = format_time(local, "short", tzinfo=zone, locale=locale)
    return pattern.replace("{1}", format_date(local, "medium", locale=locale)).replace("{0}", f"{time} {abbreviation}")


def zone_abbreviation(local: datetime) -> str:
    """The zone of an aware datetime as people read it: its abbreviation (EDT, CET, UTC) where the zone has a
    lettered one, else its offset from GMT (GMT-3 for Sao Paulo, whose abbreviation is only "-03")."""
    name = local.tzname() or ""
    if name.isalpha():
        return name
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "GMT"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"GMT{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
