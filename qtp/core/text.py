"""Text folding for search and uniqueness that works the same on every database and in every script."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form: "Álvaro Παπαδάκη" -> "alvaro παπαδακη"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


# C0 controls but tab, line feed and carriage return; DEL; the C1 controls. None is text a person typed: a NUL breaks
# PostgreSQL's text columns and PDF text, the others show as boxes or vanish, in HTML, PDFs and spreadsheets alike.
CONTROL = {code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))}


def without_controls(text: str) -> str:
    """`text` without control characters (tab and line breaks kept)."""
    return text.translate(CONTROL)
