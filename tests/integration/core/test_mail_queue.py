"""E-mails on the queue (QTP_REDIS_URL set): the request never waits on the mail server; the worker sends each
message after the commit, a failed send is tried again later, and with the queue down the message still goes."""

from __future__ import annotations

import pytest
from rq.registry import ScheduledJobRegistry

from qtp.core import jobs, mail
from qtp.core.mail import Mail, queue_mail
from tests.helpers import REDIS_URL, redis_available

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}"),
]

MESSAGE = Mail("ana@test.example.org", "Your review", "The aim was approved.\n", {"X-QTP": "review"})


@pytest.fixture
def queue(app, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    target = jobs.queue(app)

    def clear() -> None:
        target.empty()
        scheduled = ScheduledJobRegistry(queue=target)
        for job_id in scheduled.get_job_ids():
            scheduled.remove(job_id, delete_job=True)

    clear()
    yield target
    clear()


def test_the_worker_sends_the_mail_after_the_commit(app, session, outbox, queue):
    with app.test_request_context():
        queue_mail(session, MESSAGE)
        session.commit()
        assert outbox == [] and queue.count == 1, "queued, not sent in the request"
    with app.app_context():
        jobs.work(app, burst=True)
    assert outbox == [MESSAGE] and queue.count == 0 and len(queue.failed_job_registry) == 0


def test_a_rolled_back_transaction_queues_no_mail(app, session, outbox, queue):
    with app.test_request_context():
        queue_mail(session, MESSAGE)
        session.rollback()
    assert queue.count == 0 and outbox == []


def test_a_failed_send_is_tried_again_later(app, session, outbox, queue, monkeypatch):
    def refuse(message, sender):
        raise OSError("connection refused")

    monkeypatch.setattr(app.extensions["qtp_mail"], "send", refuse)
    with app.test_request_context():
        queue_mail(session, MESSAGE)
        session.commit()
    (job,) = queue.get_jobs()
    with app.app_context():
        jobs.work(app, burst=True)
    job.refresh()
    scheduled = ScheduledJobRegistry(queue=queue)
    assert outbox == [] and job.id in scheduled.get_job_ids(), "waiting for its next attempt"
    assert job.retries_left == len(mail.RETRY_AFTER) - 1 and len(queue.failed_job_registry) == 0


def test_with_the_queue_down_the_mail_is_sent_at_once(app, session, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", "redis://127.0.0.1:1/0")
    with app.test_request_context():
        queue_mail(session, MESSAGE)
        session.commit()
    assert outbox == [MESSAGE]
