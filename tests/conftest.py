"""Test setup: one app for the session; each test runs in a transaction that is rolled back.

The database is a temporary SQLite file by default, or the server named by QTP_TEST_DATABASE_URL
(CI runs the whole suite a second time against PostgreSQL). Network access other than loopback is
blocked. Tests that need real commits seen by other connections (concurrency) use `committed_db`.
"""

from __future__ import annotations

import os
import socket

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

os.environ["QTP_ENV"] = "testing"

from qtp import create_app  # noqa: E402
from qtp.extensions import db  # noqa: E402


def _database_of_this_worker(url: str | None) -> str | None:
    """Under pytest-xdist (`make test` runs the suite on several processes) each worker has a PostgreSQL
    database of its own, `test_gw0`, `test_gw1`..., created when missing; SQLite files are per worker anyway."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker or not url.startswith("postgresql"):
        return url
    from sqlalchemy import create_engine, make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if found.first() is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


TEST_DATABASE_URL = _database_of_this_worker(os.environ.get("QTP_TEST_DATABASE_URL"))
if TEST_DATABASE_URL:
    os.environ["QTP_TEST_DATABASE_URL"] = TEST_DATABASE_URL  # for code that reads it (and subprocesses)


def _guard_network() -> None:
    real_connect = socket.socket.connect

    def connect(self, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
            raise RuntimeError(f"tests may not reach the network ({host})")
        return real_connect(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]


_guard_network()

# HYPOTHESIS_PROFILE=ci: the same examples on every run (no random seed, no example database), so that a CI
# failure replays as it was; without the variable Hypothesis keeps its defaults.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


def make_test_config(tmp_dir, **overrides) -> dict:
    config = {
        "QTP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-with-enough-length-0123456789",
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_dir}/qtp-test.db",
        "QTP_MAIL_BACKEND": "memory",
        "QTP_RATELIMIT_STORAGE_URI": "memory://",
        "QTP_BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        "QTP_STORAGE_DIR": f"{tmp_dir}/storage",
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    application = create_app(make_test_config(tmp_path_factory.mktemp("db")))
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


class RequestScopedTestSession(scoped_session):
    """db.session during a test: one session on the test's connection, shared by the test and its requests.

    At the end of each request Flask-SQLAlchemy calls remove(): like a real request, whatever the view did
    not commit is rolled back (the test's outer transaction stays open and is rolled back at the end).
    """

    def remove(self) -> None:
        if self.registry.has():
            self.registry().rollback()


@pytest.fixture
def db_session(app):
    """Every test in a transaction that is rolled back; commits become savepoint releases.

    No app context is held during the test, so each request gets its own `g` (signed-in user, CSRF
    token) as in production. Test code commits its setup (factories do) before making requests.
    """
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    transaction = connection.begin()
    original = db.session
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    db.session = RequestScopedTestSession(factory, scopefunc=lambda: "test")
    try:
        yield db.session
    finally:
        db.session.registry().close()
        db.session.registry.clear()
        db.session = original
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@pytest.fixture
def committed_db(app):
    """For tests whose threads need each other's commits: a plain session with real commits; every
    table is emptied afterwards."""
    with app.app_context():
        engine = db.engine
    session = sessionmaker(bind=engine)()
    try:
        yield session
    finally:
        session.close()
        with engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _fresh_state(app):
    app.extensions["qtp_ratelimits"].reset_all()
    app.extensions["qtp_mail"].outbox.clear()
    yield
    # The app is shared by every test of a worker: a test that turns CSRF off for its own form would leave every
    # later form without its token (a page then fails far from the cause). Turn it off per form: meta={"csrf": False}.
    assert app.config.get("WTF_CSRF_ENABLED", True), "this test turned CSRF off on the shared app"


@pytest.fixture
def outbox(app):
    return app.extensions["qtp_mail"].outbox


@pytest.fixture
def client(app, db_session):
    # Not used as a context manager: a preserved request context would be shared with other clients.
    return app.test_client()


@pytest.fixture
def session(db_session):
    return db_session


def database_is_sqlite(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "sqlite"


@pytest.fixture
def sql_statements(app):
    """Collects the SQL statements run while the fixture is in use (for query budgets)."""
    from sqlalchemy import event

    statements: list[str] = []

    def before(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    yield statements
    event.remove(engine, "before_cursor_execute", before)


__all__ = ["text"]
