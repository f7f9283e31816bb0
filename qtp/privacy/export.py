""" "Download my data": everything the platform holds about one person, as a ZIP archive.

The archive holds `data.json` (the structure below, stable: new fields may be added, none renamed), the files
the person uploaded under `files/`, and `README.txt` in the person's language.

data.json:
    {"format": "qtp-personal-data", "version": 1, "generated_at": ISO 8601 UTC, "person_id": n,
     "sections": {SECTION: [record, ...], ...}}

Every date is ISO 8601 in UTC (`2026-12-07T15:04:05Z`; plain dates `2026-12-07`). SECTIONS lists the sections
in order. Only this person's own data is written: their revisions hold the fields they changed (not the
whole worksheet, whose other fields teammates wrote), nobody else's name or e-mail appears (reviewers of their
team's work are not named; audit entries about them say whether they acted themselves, not who else did).

Memory: each section is read from the database a batch at a time and written to a temporary file, which the
archive then streams; attached files are streamed from storage. Nothing grows with the size of the account.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.core.storage import get_storage
from qtp.core.zipstream import ZipPlan
from qtp.privacy.sections import SECTION_READERS, SECTIONS, attachment_path, attachment_rows, iso

FORMAT = "qtp-personal-data"
VERSION = 1


# -- writing ------------------------------------------------------------------------------------------------


def _write_list(out: IO[str], records: Iterable[dict]) -> int:
    out.write("[")
    count = 0
    for record in records:
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True))
        count += 1
    out.write("\n  ]" if count else "]")
    return count


def write_data_json(session: Session, user: User, locale: str, out: IO[str], now: datetime) -> dict[str, int]:
    """Write data.json to `out`, a section at a time; the number of records of each section."""
    counts: dict[str, int] = {}
    header = {"format": FORMAT, "version": VERSION, "generated_at": iso(now), "person_id": user.id}
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "sections": {')
    for index, name in enumerate(SECTIONS):
        out.write(",\n  " if index else "\n  ")
        out.write(json.dumps(name) + ": ")
        counts[name] = _write_list(out, SECTION_READERS[name](session, user, locale))
    out.write("\n}}\n")
    return counts


def build_archive(session: Session, user: User, locale: str, readme: str, now: datetime) -> tuple[ZipPlan, dict]:
    """The planned archive (data.json, README.txt, files/...) and the counts of each section. data.json is
    written to an unnamed temporary file the archive reads from; close the plan to release it."""
    plan = ZipPlan(now)
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".json", delete=False) as out:
            path = Path(out.name)
            counts = write_data_json(session, user, locale, out, now)
        try:
            plan.add_file("data.json", path, max_inline=0)  # opened now: stored, streamed from the file
        finally:
            path.unlink()  # the open handle keeps it readable until the plan is closed
        plan.add_bytes("README.txt", readme.encode("utf-8"))
        storage = get_storage()
        for attachment, _slug in attachment_rows(session, user):
            stored = storage.path(attachment.storage_key)
            if stored.is_file():
                plan.add_file(attachment_path(attachment), stored, max_inline=0)
        plan.plan()
    except BaseException:
        plan.close()
        raise
    return plan, counts
