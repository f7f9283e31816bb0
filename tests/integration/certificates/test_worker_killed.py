"""A worker killed (`kill -9`) in the middle of a queued bulk run: a worker started afterwards finds the job
abandoned within seconds (qtp.core.jobs' heartbeat), runs it again, and every participant ends with exactly one
certificate in force and its PDF stored. Against the real Redis (CI has it) and a real worker process."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from qtp import create_app
from qtp.certificates.models import Certificate
from qtp.certificates.services import BULK_JOB
from qtp.core import jobs
from qtp.extensions import db
from tests.conftest import make_test_config
from tests.helpers import REDIS_URL, redis_available
from tests.integration.certificates.conftest import _synced, cohort_of, complete_every_module, participant

pytestmark = [
    pytest.mark.redis,
    pytest.mark.files_only,  # the worker runs on a SQLite file of its own, whichever database the suite uses
    pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}"),
]

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = 30  # two batches (25 and 5): the worker is killed once the first is committed
RECOVERY = jobs.HEARTBEAT_TTL + jobs.MAINTENANCE_EVERY + jobs.RETRY_AFTER[0]  # seconds, at most, plus the run


def _forget_jobs(app) -> None:  # type: ignore[no-untyped-def]
    """An empty queue, with no job left in any registry (from this test or another one)."""
    target = jobs.queue(app)
    target.empty()
    registries = (
        target.started_job_registry,
        target.scheduled_job_registry,
        target.failed_job_registry,
        target.finished_job_registry,
    )
    for registry in registries:
        for job_id in registry.get_job_ids():
            target.connection.delete(target.job_class.key_for(job_id))
        target.connection.delete(registry.key)


def _seed_and_queue(app, courses_root: Path) -> int:  # type: ignore[no-untyped-def]
    """A cohort whose participants all completed it, and its bulk run on the queue (as the admin page does)."""
    with app.app_context():
        db.create_all()
        session = db.session
        program = _synced(session, courses_root)
        cohort = cohort_of(session, program, slug="killed-2026")
        for n in range(PEOPLE):
            complete_every_module(session, program, participant(session, cohort, name=f"Participant {n:02d}"))
        session.commit()
        with app.test_request_context():
            jobs.enqueue(session, BULK_JOB, cohort.id, None)
            session.commit()
        cohort_id = cohort.id
        db.session.remove()
        db.engine.dispose()
    return cohort_id


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    # Its own process group: killing the group takes its scheduler process too, as systemd stops a unit.
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "wsgi", "qtp", "worker"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=20)


def _rendered(engine) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Certificate).where(Certificate.sha256.is_not(None)))


def test_a_bulk_run_whose_worker_was_killed_is_completed_by_the_next_worker(tmp_path, courses_root):
    database_url = f"sqlite:///{tmp_path / 'killed.db'}"
    storage = tmp_path / "storage"
    app = create_app(make_test_config(tmp_path, SQLALCHEMY_DATABASE_URI=database_url, QTP_REDIS_URL=REDIS_URL))
    _forget_jobs(app)
    _seed_and_queue(app, courses_root)
    target = jobs.queue(app)
    assert target.count == 1
    env = {
        **os.environ,
        "QTP_ENV": "development",
        "QTP_DATABASE_URL": database_url,
        "QTP_REDIS_URL": REDIS_URL,
        "QTP_STORAGE_DIR": str(storage),
        "QTP_MAIL_BACKEND": "memory",
        "QTP_SECRET_KEY": "worker-killed-test-secret-key-0123456789",
    }
    log = tmp_path / "worker.log"
    engine = create_engine(database_url)
    first = _worker(env, log)
    second = None
    try:
        deadline = time.monotonic() + 60
        while not 0 < _rendered(engine) < PEOPLE:
            assert first.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "no batch of PDFs was committed within a minute\n" + log.read_text()
            time.sleep(0.02)
        _stop(first)  # kill -9, between two committed batches
        killed_at = time.monotonic()
        assert _rendered(engine) < PEOPLE, "the run was interrupted before it finished"
        assert len(target.started_job_registry) == 1, "the job is left as started by a worker that is gone"

        second = _worker(env, log)
        while _rendered(engine) < PEOPLE or target.count or len(target.started_job_registry):
            assert second.poll() is None, log.read_text()
            assert time.monotonic() - killed_at < RECOVERY + 30, "not completed in time\n" + log.read_text()
            time.sleep(0.1)
        recovered_in = time.monotonic() - killed_at
    finally:
        for process in (first, second):
            if process is not None:
                _stop(process)
        _forget_jobs(app)

    assert recovered_in < RECOVERY + 30
    assert len(target.failed_job_registry) == 0
    with Session(engine) as session:
        rows = list(session.scalars(select(Certificate).where(Certificate.revoked_at.is_(None))))
        assert len(rows) == PEOPLE and len({c.user_id for c in rows}) == PEOPLE, "one certificate each"
        for certificate in rows:
            stored = storage / certificate.storage_key[:2] / certificate.storage_key
            assert certificate.sha256 == hashlib.sha256(stored.read_bytes()).hexdigest()
    engine.dispose()
