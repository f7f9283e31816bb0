"""Never two bundle builds at once: an exclusive lock on a file in QTP_BUNDLE_DIR, held while a build runs (in
a request, on a worker, from the CLI), and a Redis key that a build put on the queue holds until it ends (so
that a second request is refused while the first waits for a worker)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from qtp.core import jobs
from qtp.core.service import ServiceError

LOCK_FILE = ".build.lock"
QUEUED_KEY = "qtp:bundles:build"
_CLAIMED, _LISTENING = "qtp_bundle_build_claimed", "qtp_bundle_build_listening"


class BuildRunning(ServiceError):
    """Another build holds the lock, or waits on the queue."""

    def __init__(self) -> None:
        super().__init__(
            _("A bundle build is already running or waiting on the queue. Try again when it has finished.")
        )


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the build lock of `out`; BuildRunning at once when another build holds it."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BuildRunning() from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def claim_queued_build(session: Session | scoped_session) -> None:
    """Mark a build as queued, until it ends (at most a job's timeout); BuildRunning when one already is. The
    claim is given up if `session`'s transaction rolls back (the build is then never queued)."""
    from redis.exceptions import RedisError

    try:
        claimed = jobs.queue().connection.set(QUEUED_KEY, "1", nx=True, ex=jobs.JOB_TIMEOUT)
    except RedisError as error:
        raise ServiceError(_("The queue cannot be reached; try again in a moment.")) from error
    if not claimed:
        raise BuildRunning()
    real = session() if isinstance(session, scoped_session) else session
    if not real.info.get(_LISTENING):
        event.listen(real, "after_commit", _committed)
        event.listen(real, "after_soft_rollback", _rolled_back)
        real.info[_LISTENING] = True
    real.info[_CLAIMED] = True


def _committed(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_CLAIMED, None)  # the job is queued: it gives the claim up when it ends


def _rolled_back(session: Session, previous_transaction) -> None:  # type: ignore[no-untyped-def]
    if not previous_transaction.nested and session.info.pop(_CLAIMED, None):
        release_queued_build()


def release_queued_build() -> None:
    jobs.queue().connection.delete(QUEUED_KEY)
