"""State changes of the course content started from the staff pages: the content sync."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.core import audit, jobs
from qtp.core.service import authorize

SYNC = "content:sync"
SYNC_JOB = "qtp.catalog.jobs:sync"


def start_content_sync(session: Session, actor: User) -> dict | None:
    """Sync the content files into the database: at once (inline jobs; returns what changed, or raises
    ContentInvalid with every problem, nothing written), or on the queue once the caller commits (None)."""
    authorize(actor, SYNC)
    queued = jobs.queue_in_use()
    audit.record(session, actor, "content.sync_started", ("content", "sync"), details={"queued": queued})
    return jobs.enqueue(session, SYNC_JOB, actor.id)
