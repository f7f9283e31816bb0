import uuid

import pytest
import redis

from qtp import create_app
from tests.conftest import make_test_config
from tests.factories import make_user
from tests.helpers import REDIS_URL, login, redis_available, text_of

WRONG = "definitely-not-the-password"


def test_sixth_failure_within_a_minute_is_429_even_with_the_right_password(client, session):
    make_user(session, "ana@test.example.org")
    for _ in range(5):
        assert login(client, "ana@test.example.org", WRONG).status_code == 401
    response = login(client, "ana@test.example.org")
    assert response.status_code == 429
    assert "Too many attempts" in text_of(response)
    assert response.headers.get("Retry-After")


def test_limit_is_per_account_whatever_the_address(app, session):
    make_user(session, "ana@test.example.org")
    for n in range(5):
        c = app.test_client()
        c.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
        assert login(c, "ana@test.example.org", WRONG).status_code == 401
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = "198.51.100.77"
    assert login(c, "ana@test.example.org", WRONG).status_code == 429


def test_another_account_is_not_blocked(client, session):
    make_user(session, "ana@test.example.org")
    make_user(session, "rafa@test.example.org")
    for _ in range(5):
        login(client, "ana@test.example.org", WRONG)
    assert login(client, "rafa@test.example.org").status_code == 302


def test_successful_logins_do_not_count(app, session):
    make_user(session, "ana@test.example.org")
    for _ in range(7):
        assert login(app.test_client(), "ana@test.example.org").status_code == 302


def test_429_message_is_translated(client, session):
    from flask_babel import force_locale, gettext

    make_user(session, "ana@test.example.org")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es-MX,es;q=0.9"
    for _ in range(5):
        login(client, "ana@test.example.org", WRONG)
    response = login(client, "ana@test.example.org", WRONG)
    assert response.status_code == 429
    with client.application.test_request_context(), force_locale("es"):
        expected = gettext("Too many attempts in a short time. Please wait a minute and try again.")
    assert expected in text_of(response)
    assert 'lang="es"' in text_of(response)


@pytest.mark.redis
@pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}")
def test_redis_storage_shares_the_limit_between_workers(app, tmp_path, committed_db):
    """Two app instances (two gunicorn workers) against the real Redis server share one count."""
    make_user(committed_db, "ana@test.example.org")
    committed_db.commit()
    namespace = f"qtp-test-{uuid.uuid4().hex}"
    overrides = {
        "QTP_RATELIMIT_STORAGE_URI": REDIS_URL,
        "QTP_RATELIMIT_NAMESPACE": namespace,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    workers = [create_app(make_test_config(tmp_path, **overrides)) for _ in range(2)]
    try:
        statuses = []
        for n in range(6):
            c = workers[n % 2].test_client()
            c.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
            statuses.append(login(c, "ana@test.example.org", WRONG).status_code)
        assert statuses == [401] * 5 + [429]
        assert redis.Redis.from_url(REDIS_URL).keys(f"*{namespace}*"), "the counts live in Redis"
    finally:
        workers[0].extensions["qtp_ratelimits"].reset_all()
        for worker in workers:
            with worker.app_context():
                from qtp.extensions import db

                db.engine.dispose()
