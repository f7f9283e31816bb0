"""Tests of work that runs inline or on the RQ queue: a clean queue on the test Redis (QTP_TEST_REDIS_URL),
and the worker run once in this process (rq's SimpleWorker, burst)."""

from __future__ import annotations

import pytest
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from qtp.core import jobs
from tests.factories import make_user
from tests.helpers import REDIS_URL, login, redis_available

redis_server = pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}")


def empty_queue(queue) -> None:
    """Nothing waiting, and no job of an earlier test in any registry."""
    queue.empty()
    for registry in (
        FailedJobRegistry(queue=queue),
        ScheduledJobRegistry(queue=queue),
        FinishedJobRegistry(queue=queue),
        StartedJobRegistry(queue=queue),
    ):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)


@pytest.fixture
def queued(app, monkeypatch):
    """QTP_REDIS_URL set to the test Redis, and its queue emptied before and after the test."""
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    queue = jobs.queue(app)
    empty_queue(queue)
    yield queue
    empty_queue(queue)


def run_worker(app) -> None:
    with app.app_context():
        jobs.work(app, burst=True)


@pytest.fixture
def admin(client, session):
    """An admin, signed in on `client` (the one who starts syncs and builds)."""
    user = make_user(session, "eleni@qtp-office.example.org", roles=["admin"], name="Eleni Papadopoulou")
    session.commit()
    assert login(client, user.email).status_code == 302
    return user
