"""The whole stack for the smoke test (`make smoke`, QTP_TEST_STACK=1): nginx on 127.0.0.1:18443 (http :18080)
in front of gunicorn (:18000) and one RQ worker, QTP_ENV=production, on the database `qtp_smoke` (dropped and
made again each run, with the demo data) and Redis database 11, the serve folder in a temporary directory.
Only the symposium highlights bundle in Spanish is built (into instance/bundles, shared with `make serve`)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

from tools.stack.processes import Stack
from tools.stack.render import ROOT

ENABLED = os.environ.get("QTP_TEST_STACK") == "1"
DATABASE_URL = os.environ.get("QTP_SMOKE_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/qtp_smoke")
REDIS_URL = os.environ.get("QTP_SMOKE_REDIS_URL", "redis://127.0.0.1:6379/11")
BUNDLE = "symposium_highlights/es"


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    from redis import Redis
    from rq import Queue

    stack = Stack(
        folder=tmp_path_factory.mktemp("stack") / "serve",
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        https_port=18443,
        http_port=18080,
        web_port=18000,
        bundle_dir=ROOT / "instance" / "bundles",
        web_workers=2,
        log_to_files=True,
    )
    stack.check()
    Queue("qtp", connection=Redis.from_url(REDIS_URL)).empty()  # no job left from an earlier, interrupted run
    stack.ensure_database(fresh=True)
    stack.prepare_folder()
    stack.flask("db", "upgrade")
    stack.flask("qtp", "content", "sync")
    stack.load_demo()
    stack.flask("qtp", "bundles", "build", "--only", BUNDLE)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def database(stack):
    """A connection to the stack's database, to wait for the worker and read what the app recorded."""
    import psycopg

    url = make_url(stack.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as connection:
        yield connection
