"""What every section of data.json is built from: dates as ISO 8601 in UTC, names safe inside an archive, rows
read a batch at a time, a module's or worksheet's title in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

BATCH = 500


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def safe_filename(name: str) -> str:
    """A name safe inside an archive on every system: no folders, no control or reserved characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f<>:\"|?*]+", "_", base).strip(" .")
    return base[:120] or "file"


def rows(session: Session, statement) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    yield from session.execute(statement.execution_options(yield_per=BATCH))


def title(texts: dict | None, locale: str, slug: str) -> str:
    texts = texts or {}
    return (texts.get(locale) or {}).get("title") or (texts.get("en") or {}).get("title") or slug
