"""qtp.core.jobs: inline by default (the job runs at once, in the caller's transaction); on an RQ queue when
QTP_REDIS_URL is set, queued only once the caller commits, run by the worker (tested against the real Redis)."""

from __future__ import annotations

import pytest

from qtp.certificates import services
from qtp.certificates.models import Certificate
from qtp.core import jobs
from tests.helpers import REDIS_URL, redis_available
from tests.integration.certificates import conftest as certificate_fixtures
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant

courses_root = certificate_fixtures.courses_root
program = certificate_fixtures.program


def test_only_qtp_functions_can_be_named():
    assert jobs.resolve("qtp.certificates.jobs:render").__name__ == "render"
    for path in ("os:system", "qtp.certificates.jobs:not a name", "subprocess:run", "qtp.core.jobs"):
        with pytest.raises((ValueError, AttributeError)):
            jobs.resolve(path)


def test_inline_jobs_run_at_once_in_the_callers_transaction(app, session, program):
    cohort = cohort_of(session, program)
    user = participant(session, cohort)
    complete_every_module(session, program, user)
    with app.test_request_context():
        assert not jobs.uses_queue()
        certificate = services.issue_certificate(session, None, user, cohort)
        assert certificate.is_ready, "rendered before the caller commits"
        session.rollback()
    assert session.query(Certificate).count() == 0


@pytest.mark.redis
@pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}")
def test_queued_jobs_wait_for_the_commit_and_run_in_the_worker(app, session, program, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    queue = jobs.queue(app)
    queue.empty()
    cohort = cohort_of(session, program)
    first, second = participant(session, cohort), participant(session, cohort)
    for user in (first, second):
        complete_every_module(session, program, user)

    with app.test_request_context():
        services.issue_certificate(session, None, first, cohort)
        assert queue.count == 0, "nothing is queued before the transaction commits"
        session.rollback()
        assert queue.count == 0, "a rolled-back transaction queues nothing"

        certificate = services.issue_certificate(session, None, second, cohort)
        assert not certificate.is_ready
        session.commit()
        assert queue.count == 1

    with app.app_context():
        jobs.work(app, burst=True)
    assert queue.count == 0 and len(queue.failed_job_registry) == 0
    session.expire_all()
    stored = session.get(Certificate, certificate.id)
    assert stored.is_ready, "the worker rendered the PDF and committed"


@pytest.mark.redis
@pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}")
def test_a_failed_job_runs_again_and_completes_once(app, session, program, monkeypatch):
    from rq.registry import ScheduledJobRegistry

    from qtp.certificates import jobs as certificate_jobs

    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    monkeypatch.setattr(jobs, "RETRY_AFTER", (0,))  # at once, for the test
    queue = jobs.queue(app)
    queue.empty()
    cohort = cohort_of(session, program)
    user = participant(session, cohort)
    complete_every_module(session, program, user)
    with app.test_request_context():
        certificate = services.issue_certificate(session, None, user, cohort)
        session.commit()
    real_render, calls = certificate_jobs.render, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("storage briefly unavailable")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(certificate_jobs, "render", flaky)
    with app.app_context():
        jobs.work(app, burst=True)  # fails, and is scheduled again
        scheduled = ScheduledJobRegistry(queue=queue)
        for job_id in scheduled.get_job_ids():  # the scheduler's move, without waiting for its next tick
            scheduled.remove(job_id)
            queue.push_job_id(job_id)
        jobs.work(app, burst=True)
    assert len(calls) == 2 and len(queue.failed_job_registry) == 0
    session.expire_all()
    assert session.get(Certificate, certificate.id).is_ready
    assert session.query(Certificate).filter_by(user_id=user.id).count() == 1


@pytest.mark.redis
@pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}")
def test_a_job_longer_than_the_heartbeat_expiry_is_not_taken_for_abandoned(app, monkeypatch):
    import time

    from qtp.certificates import jobs as certificate_jobs

    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    monkeypatch.setattr(jobs, "HEARTBEAT_TTL", 2)  # short, for the test: a job of 4 s outlives it twice
    monkeypatch.setattr(jobs, "HEARTBEAT_EVERY", 0.5)
    queue = jobs.queue(app)
    queue.empty()
    expired = []

    def slow(ids, announce=True):
        time.sleep(4)
        expired.append(queue.started_job_registry.get_expired_job_ids())
        return 0

    monkeypatch.setattr(certificate_jobs, "render", slow)
    with app.test_request_context():
        jobs.enqueue_committed("qtp.certificates.jobs:render", [0])
    with app.app_context():
        jobs.work(app, burst=True)
    assert expired == [[]], "the heartbeat kept the running job's entry fresh"
    assert len(queue.failed_job_registry) == 0
