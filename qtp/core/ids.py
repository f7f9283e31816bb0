"""Ids from URLs and query strings: ASCII digits that fit a signed 64-bit column, or nothing.

A larger number (`/teams/9223372036854775808/workspace`) is no object of ours: the `<int:>` converter answers 404
for it instead of handing the database a value it cannot bind (SQLite raises OverflowError: a 500). Query-string
ids go through `parse_id`, which also refuses what `str.isdigit` lets through but `int` does not (`"²"`).
"""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1


def parse_id(value: Any, default: Any = None) -> Any:
    """The non-negative int `value` spells in ASCII digits, if it fits a BIGINT; else `default`."""
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return default
    number = int(text)
    return number if number <= MAX_ID else default


def query_id(args: Any, name: str) -> int | None:
    """`parse_id` of a query-string (or form) argument."""
    return parse_id(args.get(name))


class IdConverter(IntegerConverter):
    """`<int:...>` for ids: a path segment past MAX_ID is 404 at once (raised here: a mere mismatch would let
    Werkzeug answer 405 where a rule for another method has the same path, as `/review/<id>` has)."""

    def to_python(self, value: str) -> int:
        if len(value) > 19 or int(value) > MAX_ID:
            raise NotFound()
        return super().to_python(value)
