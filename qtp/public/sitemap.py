"""What search engines are told about the site: every listed public page (see permissions.is_listed) in each
language, with its alternates, for `/sitemap.xml`; and `/robots.txt`, which points to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from qtp.catalog.public import public_programs
from qtp.core.permissions import is_listed
from qtp.core.urls import external_url, language_alternates

PROGRAM_PAGE = "public.program"


def _pages(session: Session) -> Iterator[tuple[str, dict[str, Any]]]:
    """(endpoint, URL values) of the listed pages: those without URL parts, then each program's page."""
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view = current_app.view_functions.get(rule.endpoint)
        if "GET" in (rule.methods or ()) and not rule.arguments and is_listed(view):
            yield rule.endpoint, {}
    for program in public_programs(session):
        if program.pages:
            yield PROGRAM_PAGE, {"slug": program.slug}


def sitemap_pages(session: Session) -> list[list[tuple[str, str]]]:
    """Each page as its [(hreflang, absolute URL)] alternates: every one of those addresses is listed, each with
    all of them."""
    return [language_alternates(endpoint, **values) for endpoint, values in _pages(session)]


def robots_txt() -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {external_url('public.sitemap_xml')}\n"
