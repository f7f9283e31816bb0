"""PostgreSQL restarted under the app: once it is back, the next request answers (the pool tests a connection
before it lends it, and makes a new one for each that died). The shared server cannot be restarted in tests, so
the app's pooled connections are ended server-side (pg_terminate_backend), as a restart ends them."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text

from qtp import create_app
from qtp.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_test_config
from tests.factories import make_user
from tests.helpers import login

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL only (QTP_TEST_DATABASE_URL)")


def _terminate(pids: set[int]) -> int:
    engine = create_engine(TEST_DATABASE_URL)
    try:
        with engine.connect() as connection:
            ended = connection.execute(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                {"pids": list(pids)},
            ).scalar_one()
    finally:
        engine.dispose()
    return ended


def test_requests_after_the_servers_connections_ended_answer(tmp_path, committed_db):
    user = make_user(committed_db, "ana@test.example.org")
    committed_db.commit()
    app = create_app(make_test_config(tmp_path))  # its own engine and pool, as a gunicorn worker has
    pids: set[int] = set()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "connect", lambda connection, record: pids.add(connection.info.backend_pid))
    client = app.test_client()
    try:
        assert login(client, user.email).status_code == 302
        assert client.get("/home").status_code == 200
        assert pids, "the app holds a pooled connection"
        assert _terminate(pids) >= 1
        before = set(pids)
        for _ in range(3):
            assert client.get("/home").status_code == 200, "a dead pooled connection is replaced, not a 500"
        assert pids - before, "a new connection was made"
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
