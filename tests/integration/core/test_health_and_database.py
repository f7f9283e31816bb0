import threading

import pytest
from sqlalchemy import text

from qtp import create_app
from qtp.core.audit import AuditEvent
from qtp.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_test_config


def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_not(tmp_path):
    broken = create_app(make_test_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite settings apply to the SQLite run only")


@sqlite_only
def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(app):
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_sixteen_concurrent_writers_never_see_database_is_locked(app, committed_db):
    errors: list[BaseException] = []
    barrier = threading.Barrier(16)

    def writer(n: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                for i in range(5):
                    db.session.add(AuditEvent(action="test.write", object_type="test", object_id=f"{n}-{i}"))
                    # a read inside the write transaction: the pattern that fails with deferred BEGIN
                    db.session.execute(text("SELECT count(*) FROM audit_events")).scalar()
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 (collected and reported below)
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert committed_db.query(AuditEvent).filter_by(action="test.write").count() == 80
