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


@sqlite_only
def test_readers_do_not_wait_for_a_writer_on_sqlite(app, committed_db):
    """A page that only reads runs while another transaction holds the write lock (it used to queue behind it
    with BEGIN IMMEDIATE): the reader finishes before the writer lets go."""
    committed_db.add(AuditEvent(action="test.before", object_type="test", object_id="0"))
    committed_db.commit()
    holding, reader_done, seen, errors = threading.Event(), threading.Event(), [], []

    def writer() -> None:
        with app.app_context():
            db.session.add(AuditEvent(action="test.write", object_type="test", object_id="1"))
            db.session.flush()  # the write lock is held from here until the commit
            holding.set()
            reader_done.wait(timeout=8)
            seen.append(("writer commits", reader_done.is_set()))
            db.session.commit()
            db.session.remove()

    def reader() -> None:
        try:
            holding.wait(timeout=8)
            with app.app_context():
                count = db.session.execute(text("SELECT count(*) FROM audit_events")).scalar()
                seen.append(("reader saw", count))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            reader_done.set()

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert seen == [("reader saw", 1), ("writer commits", True)]  # the uncommitted row is not seen


def test_a_transaction_that_read_before_another_commit_can_still_write(app, committed_db):
    """Read, let another connection write and commit, then write: no "database is locked" and no lost row."""
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM audit_events")).scalar() == 0
        committed_db.add(AuditEvent(action="test.other", object_type="test", object_id="1"))
        committed_db.commit()
        db.session.add(AuditEvent(action="test.mine", object_type="test", object_id="2"))
        db.session.commit()
        actions = sorted(db.session.execute(text("SELECT action FROM audit_events")).scalars())
        db.session.remove()
    assert actions == ["test.mine", "test.other"]
