"""The request class: every submitted form value and query argument arrives without control characters.

One place instead of every field of every form: a NUL or an escape character pasted into a worksheet field, a name
or a search box is dropped before any view, validator or service sees it (tab and line breaks are kept), so it is
never stored, echoed into HTML, PDFs or CSV, nor handed to PostgreSQL (which refuses NUL in text: a 500).
"""

from __future__ import annotations

from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from qtp.core.text import without_controls


def _clean(value: Any) -> Any:
    return without_controls(value) if isinstance(value, str) else value


class CleanMultiDict(ImmutableMultiDict):
    """An ImmutableMultiDict whose string keys and values are stripped of control characters as it is built."""

    def __init__(self, mapping: Any = None) -> None:
        super().__init__([(_clean(key), _clean(value)) for key, value in MultiDict(mapping).items(multi=True)])


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict


def refuse_control_characters_in_path() -> None:
    """A path holding a control character (a NUL, say) names no page: 404 before any view reads it (PostgreSQL
    refuses NUL in text, so a slug with one would otherwise fail in the query)."""
    from flask import abort, request

    if any(ord(ch) < 32 for ch in request.path):
        abort(404)
