"""Jinja globals and filters: languages, locale-aware formatting, permission checks for showing links."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, request
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from qtp.catalog.figures import Figure, figure_refs, place_figures, stored_figures
from qtp.catalog.files import aligned_cells, anchored_sections, sanitize_html, scrollable_tables
from qtp.core import i18n
from qtp.core.audit_labels import action_label
from qtp.core.fragments import FragmentCache
from qtp.core.permissions import ROLE_LABELS, Role, has_permission, is_listed
from qtp.core.urls import external_url, language_alternates


def _can(permission: str) -> bool:
    return has_permission(current_user, permission)


def _date(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date as the reader's language writes it ("Sep 14, 2026", "14 sept 2026", "14 de set. de 2026").
    "short" is read as "medium": a numeric date (9/14/26) means another day in most of the world."""
    return "" if value is None else format_date(value, "medium" if fmt == "short" else fmt)


def _datetime(value: datetime | None, fmt: str = "medium") -> str:
    """A moment in the reader's time zone, with that zone named ("Sep 14, 2026, 11:00 AM EDT"), so that two
    people in different zones never read the same event as two different times. See i18n.format_moment."""
    return "" if value is None else i18n.format_moment(value)


def _number(value: Any) -> str:
    return "" if value is None else format_decimal(value)


def _sanitized(html: str) -> Markup:
    """Stored lesson HTML, cleaned again at display: templates never trust HTML from the database. Its tables
    scroll sideways in regions of their own, so a wide table never widens the page on a phone."""
    clean = scrollable_tables(
        aligned_cells(sanitize_html(html or "")), lambda number: _("Table %(number)s", number=number)
    )
    return Markup(clean)  # noqa: S704 (the allow-list sanitizer has just run; the wrapping adds only our markup)


def _figure(number: int, figure: Figure) -> str:
    """A figure of a lesson: its drawing (named by its alt text) in a box that scrolls sideways on a phone
    rather than shrinking its words below reading size, and its numbered caption."""
    label = escape(_("Figure %(number)s", number=number))
    cue = escape(_("More to the right: scroll the figure sideways"))
    return (
        f'<figure class="lesson-figure"><p class="scroll-cue" aria-hidden="true">{cue}&nbsp;→</p>'
        f'<div class="scroll-frame"><div class="chart-scroll figure-scroll" role="region" tabindex="0" '
        f'aria-label="{label}">{figure.svg}</div></div>'
        f'<figcaption><span class="figure-number">{label}.</span> {escape(figure.caption)}</figcaption></figure>'
    )


def _lesson(html: str, figures: dict[str, Any] | None = None) -> Markup:
    """A lesson body as `sanitized` shows it, with its section headings anchored for the lesson's outline and
    each `[figure: slug]` paragraph replaced, after sanitizing, by that figure: its SVG comes from the
    validated content files (`figures` as `content sync` stored them, sanitized again), never from HTML."""
    body = anchored_sections(str(_sanitized(html)))
    return Markup(place_figures(body, stored_figures(figures), _figure))  # noqa: S704 (sanitized; adds our markup)


def _figure_ref(text: str) -> str | None:
    """The figure a slide line places (`[figure: slug]`), or None."""
    refs = figure_refs(text)
    return refs[0] if refs else None


def _file_size(size: int) -> str:
    """A size in bytes as people read it: "840 KB", "12.4 MB" (decimal marks of the reader's language)."""
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size / 1048576, 1)))


def _listed_page() -> bool:
    """Whether this response is a page for search engines: a listed public view answering GET."""
    if request.method != "GET" or request.endpoint in (None, "static"):
        return False
    return is_listed(current_app.view_functions.get(request.endpoint))


def _alternates() -> list[tuple[str, str]]:
    """[(hreflang, absolute URL)] of this page in every language, with an x-default, on listed pages only."""
    return language_alternates(request.endpoint, **(request.view_args or {})) if _listed_page() else []


def _page_url() -> str:
    """This listed page's address in the language it is shown in (for link previews: og:url)."""
    return external_url(request.endpoint, **(request.view_args or {}), lang=i18n.current_locale_code())


def _role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension(FragmentCache)
    app.jinja_env.globals.update(
        can=_can,
        native_locale_names=i18n.NATIVE_NAMES,
        supported_locales=i18n.supported_locales,
        current_locale=i18n.current_locale_code,
        html_lang=i18n.html_lang,
        country_name=i18n.country_name,
        role_label=_role_label,
        alternates=_alternates,
        listed_page=_listed_page,
        page_url=_page_url,
        figure_ref=_figure_ref,
    )
    app.jinja_env.filters.update(
        date=_date,
        datetime=_datetime,
        number=_number,
        sanitized=_sanitized,
        lesson=_lesson,
        language_name=i18n.language_name,
        file_size=_file_size,
        action_label=action_label,
    )

    @app.context_processor
    def _request_context() -> dict[str, Any]:
        # Where the language switcher returns: this page without `?lang=`, which would override the new choice.
        if not request:
            return {"request_path": "/"}
        query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != i18n.LANG_PARAMETER])
        return {"request_path": request.path + (f"?{query}" if query else "")}
