"""Absolute links for e-mails, search engines and language alternates, built from QTP_BASE_URL (works outside a
request too)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from qtp.core import i18n


def external_url(endpoint: str, **values: Any) -> str:
    base = urlsplit(current_app.config["QTP_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def language_alternates(endpoint: str, **values: Any) -> list[tuple[str, str]]:
    """[(hreflang, absolute URL)] of a page in every language (`?lang=`), then its x-default: the address without
    a language, which shows the visitor's own."""
    links = [(i18n.html_lang(code), external_url(endpoint, **values, lang=code)) for code in i18n.supported_locales()]
    return [*links, ("x-default", external_url(endpoint, **values))]
