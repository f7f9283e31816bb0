"""/admin/jobs: the queue's jobs by state for admins, the error of a failed one and its retry (audited); a
clear page without a queue or when Redis is down; nobody else sees it."""

from __future__ import annotations

import pytest
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry

from qtp.core import jobs, requestid
from qtp.core.audit import AuditEvent
from qtp.core.mail import Mail, queue_mail
from tests.factories import make_user
from tests.helpers import REDIS_URL, login, post_form, redis_available, text_of

MESSAGE = Mail("ana@test.example.org", "Your review", "Approved.\n")


@pytest.fixture
def admin(client, session):
    user = make_user(session, "root@test.example.org", roles=["admin"])
    session.commit()
    login(client, user.email)
    return user


def test_without_a_queue_the_page_says_jobs_run_at_once(client, admin):
    page = text_of(client.get("/admin/jobs"))
    assert "No queue is configured" in page and "Try again" not in page


def test_with_redis_down_the_page_says_so(app, client, admin, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", "redis://127.0.0.1:1/0")
    response = client.get("/admin/jobs?lang=es")
    assert response.status_code == 200 and "no se puede alcanzar" in text_of(response).lower()


def test_only_admins_see_the_jobs(client, session):
    member = make_user(session, "ana@test.example.org", roles=["participant"])
    session.commit()
    login(client, member.email)
    assert client.get("/admin/jobs").status_code == 403
    assert post_form(client, "/admin/jobs/abc/retry", token_from="/home").status_code == 403


@pytest.mark.redis
@pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}")
def test_a_failed_mail_shows_its_error_and_goes_back_on_the_queue(app, client, session, admin, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    queue = jobs.queue(app)
    queue.empty()
    for registry in (
        FailedJobRegistry(queue=queue),
        ScheduledJobRegistry(queue=queue),
        FinishedJobRegistry(queue=queue),
    ):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)

    def refuse(message, sender):
        raise OSError("mail server refused the connection")

    monkeypatch.setattr("qtp.core.mail.RETRY_AFTER", ())  # fail for good at the first attempt
    monkeypatch.setattr(app.extensions["qtp_mail"], "send", refuse)
    with app.test_request_context(), requestid.bound("mail-req-000123"):
        queue_mail(session, MESSAGE)
        session.commit()
    with app.app_context():
        jobs.work(app, burst=True)
    (failed_id,) = FailedJobRegistry(queue=queue).get_job_ids()

    page = text_of(client.get("/admin/jobs"))
    assert "E-mail" in page and "ana@test.example.org" in page
    assert "OSError: mail server refused the connection" in page and "mail-req-000123" in page
    assert f"/admin/jobs/{failed_id}/retry" in page

    response = post_form(client, f"/admin/jobs/{failed_id}/retry", token_from="/admin/jobs")
    assert response.status_code == 302
    assert "E-mail: put back on the queue." in text_of(client.get("/admin/jobs"))
    assert queue.get_job_ids() == [failed_id] and FailedJobRegistry(queue=queue).get_job_ids() == []
    event = session.query(AuditEvent).filter_by(action="job.retried").one()
    assert event.object_id == failed_id and event.actor_id == admin.id

    again = post_form(client, f"/admin/jobs/{failed_id}/retry", token_from="/admin/jobs")
    assert again.status_code == 302 and "no longer among the failed ones" in text_of(client.get("/admin/jobs"))
    queue.empty()
