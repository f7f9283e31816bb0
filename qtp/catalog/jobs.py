"""The content sync as a job (qtp.core.jobs): started by an admin from the content status page, run at once
(inline) or by a worker (RQ). It is the CLI's `flask qtp content sync`: all or nothing, and a no-op when
nothing changed, so a job run twice, or retried, ends the same."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from qtp.catalog.sync import ContentInvalid, sync_content
from qtp.extensions import db

SHOWN_PROBLEMS = 3  # in a failed job's error line (the jobs page keeps 300 characters)


class SyncRefused(Exception):
    """The content files have errors (on the queue): nothing was loaded; the message names the first ones."""


def refusal(error: ContentInvalid) -> str:
    first = "; ".join(str(problem) for problem in error.errors[:SHOWN_PROBLEMS])
    return f"{len(error.errors)} content errors, nothing was loaded: {first}"


def sync(actor_id: int | None = None) -> dict:
    """Index `QTP_CONTENT_ROOT` into the database; returns what changed, as plain values (an RQ result).

    Inline, ContentInvalid reaches the caller (the page lists every problem); on the queue the job fails with
    SyncRefused, whose message the jobs page shows."""
    config = current_app.config
    try:
        result = sync_content(db.session, Path(config["QTP_CONTENT_ROOT"]), tuple(config["QTP_LOCALES"]))
    except ContentInvalid as error:
        if _queued():
            raise SyncRefused(refusal(error)) from error
        raise
    return {
        "unchanged": result.unchanged,
        "programs": list(result.programs),
        "created": result.modules_created,
        "updated": result.modules_updated,
        "retired": result.modules_retired,
        "worksheet_types": result.worksheet_types,
        "warnings": len(result.warnings),
    }


def _queued() -> bool:
    from rq import get_current_job

    return get_current_job() is not None
