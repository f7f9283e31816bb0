"""Text folding for search and uniqueness that works the same on every database and in every script."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form: "Álvaro Παπαδάκη" -> "alvaro παπαδακη"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()
