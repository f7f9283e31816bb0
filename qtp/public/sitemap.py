"""What search engines are told about the site: every listed public page (see permissions.is_listed) in each
language, with its alternates, for `/sitemap.xml`; and `/robots.txt`, which points to it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from qtp.catalog.public import public_programs
from qtp.core.permissions import is_listed
from qtp.core.urls import external_url, language_alternates

PROGRAM_PAGE = "public.program"


@dataclass(frozen=True)
class SitemapPage:
    """One page: its address in each language and without one (x-default), each listed with all of them."""

    alternates: list[tuple[str, str]]

    @property
    def locations(self) -> list[str]:
        return [href for _, href in self.alternates]


def _pages(session: Session) -> Iterator[tuple[str, dict[str, Any]]]:
    """(endpoint, URL values) of the listed pages: those without URL parts, then each program's page."""
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view = current_app.view_functions.get(rule.endpoint)
        if "GET" in (rule.methods or ()) and not rule.arguments and is_listed(view):
            yield rule.endpoint, {}
    for program in public_programs(session):
        if program.pages:
            yield PROGRAM_PAGE, {"slug": program.slug}


def sitemap_pages(session: Session) -> list[SitemapPage]:
    return [SitemapPage(language_alternates(endpoint, **values)) for endpoint, values in _pages(session)]


def robots_txt() -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {external_url('public.sitemap_xml')}\n"
