"""Redis stopped (QTP_REDIS_URL and the rate-limit storage point at a closed port): pages are served, sign-in
throttling and the public survey's limit still refuse (counted in this process until Redis is back), a
certificate is still issued and rendered (the job runs inline), and e-mail is sent at once."""

from __future__ import annotations

import pytest
import redis
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from qtp.certificates.models import Certificate
from qtp.core import ratelimit
from qtp.interest.models import InterestResponse
from tests.factories import make_user
from tests.helpers import login, post_form, text_of
from tests.integration.certificates import conftest as certificate_fixtures
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant
from tests.integration.interest.test_survey import send

courses_root = certificate_fixtures.courses_root
program = certificate_fixtures.program

DOWN = "redis://127.0.0.1:6399/0"  # nothing listens there
WRONG = "definitely-not-the-password"


@pytest.fixture
def redis_down(app, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", DOWN)
    monkeypatch.setitem(app.extensions, "qtp_ratelimits", ratelimit.RateLimits(DOWN))
    return DOWN


def test_pages_are_served(client, session, redis_down):
    user = make_user(session, "ana@test.example.org")
    for path in ("/", "/login", "/interest"):
        assert client.get(path).status_code == 200, path
    assert login(client, user.email).status_code == 302
    assert client.get("/home").status_code == 200


def test_sign_in_throttling_still_refuses(client, session, redis_down):
    make_user(session, "ana@test.example.org")
    for _ in range(5):
        assert login(client, "ana@test.example.org", WRONG).status_code == 401
    assert login(client, "ana@test.example.org").status_code == 429, "never open while Redis is away"


def test_the_public_surveys_limit_still_refuses(app, client, session, redis_down):
    for _ in range(5):
        assert send(client, app).status_code == 302
    assert send(client, app).status_code == 429
    assert session.query(InterestResponse).count() == 5


def test_shared_counts_are_used_again_once_the_storage_answers(monkeypatch):
    limits = ratelimit.RateLimits("memory://")  # stands for Redis: its strategy fails while "Redis" is away
    shared = limits.strategy
    limits.fallback = MovingWindowRateLimiter(MemoryStorage())

    class Away:
        def __getattr__(self, name):
            raise redis.exceptions.ConnectionError("Redis is away")

    limits.strategy = Away()  # type: ignore[assignment]
    assert limits.hit("2 per minute", "drill", "k") and limits.hit("2 per minute", "drill", "k")
    assert not limits.hit("2 per minute", "drill", "k"), "counted in this process while the storage is away"
    assert limits.using_fallback
    limits.strategy = shared
    assert not limits.hit("2 per minute", "drill", "k"), "not tried again before RETRY_SHARED seconds"
    monkeypatch.setattr(limits, "_retry_at", limits._retry_at - ratelimit.RETRY_SHARED)
    assert limits.hit("2 per minute", "drill", "k") and not limits.using_fallback, "shared counts again"


def test_a_certificate_is_issued_and_rendered_and_the_mail_sent(app, client, session, program, outbox, redis_down):
    cohort = cohort_of(session, program, slug="offline-2026")
    done = participant(session, cohort, name="Finished 0")
    complete_every_module(session, program, done)
    admin = make_user(session, roles=["admin"])
    login(client, admin.email)
    page = f"/admin/cohorts/{cohort.id}/certificates"
    response = post_form(client, f"{page}/issue", token_from=page, follow_redirects=True)
    assert response.status_code == 200
    assert "1 certificate issued." in text_of(response)
    (certificate,) = session.query(Certificate).filter_by(cohort_id=cohort.id).all()
    assert certificate.is_ready, "rendered inline while the queue is away"
    assert [m.to for m in outbox if "certificate" in m.subject.lower()] == [done.email], "sent at once"


def test_a_password_reset_mail_is_sent_at_once(client, session, outbox, redis_down):
    make_user(session, "ana@test.example.org")
    response = post_form(client, "/forgot-password", {"email": "ana@test.example.org"}, token_from="/forgot-password")
    assert response.status_code in (200, 302)
    assert [m.to for m in outbox] == ["ana@test.example.org"]


def test_redis_lost_between_the_ping_and_the_commit_still_commits(
    app, client, session, program, redis_down, monkeypatch, caplog
):
    from qtp.core import jobs

    monkeypatch.setattr(jobs, "queue_answers", lambda app=None: True)  # it answered, then went away
    cohort = cohort_of(session, program, slug="offline-2027")
    complete_every_module(session, program, participant(session, cohort, name="Finished 0"))
    admin = make_user(session, roles=["admin"])
    login(client, admin.email)
    page = f"/admin/cohorts/{cohort.id}/certificates"
    response = post_form(client, f"{page}/issue", token_from=page)
    assert response.status_code == 302, "no 500: the rows are committed"
    assert "could not be queued" in caplog.text
