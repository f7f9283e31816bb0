"""`kill -9` during a bulk run: running the command again completes it, with no duplicate certificate and no
file that no certificate points to."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from qtp import create_app
from qtp.certificates.models import Certificate
from qtp.extensions import db
from tests.conftest import make_test_config
from tests.integration.certificates.conftest import _synced, cohort_of, complete_every_module, participant

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = 60  # three batches of 25, 25 and 10


def _seed(database_url: str, storage: Path, courses_root: Path) -> str:
    app = create_app(make_test_config(storage.parent, SQLALCHEMY_DATABASE_URI=database_url))
    with app.app_context():
        db.create_all()
        session = db.session
        program = _synced(session, courses_root)
        cohort = cohort_of(session, program, slug="resume-2026")
        for n in range(PEOPLE):
            complete_every_module(session, program, participant(session, cohort, name=f"Participant {n:02d}"))
        session.commit()
        db.session.remove()
        db.engine.dispose()
    return "resume-2026"


def _command(database_url: str, storage: Path, slug: str) -> tuple[list[str], dict[str, str]]:
    env = {
        **os.environ,
        "QTP_ENV": "development",
        "QTP_DATABASE_URL": database_url,
        "QTP_STORAGE_DIR": str(storage),
        "QTP_MAIL_BACKEND": "memory",
        "QTP_SECRET_KEY": "resume-test-secret-key-0123456789abcdef",
    }
    env.pop("QTP_REDIS_URL", None)
    args = [sys.executable, "-m", "flask", "--app", "wsgi", "qtp", "certificates", "issue", "--cohort", slug]
    return args, env


def test_a_killed_bulk_run_is_completed_by_the_next_one(tmp_path, courses_root):
    database_url = f"sqlite:///{tmp_path / 'resume.db'}"
    storage = tmp_path / "storage"
    slug = _seed(database_url, storage, courses_root)
    args, env = _command(database_url, storage, slug)

    run = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 120
    while not any(p.is_file() for p in storage.rglob("*")):
        assert run.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no PDF was written in two minutes"
        time.sleep(0.005)
    os.kill(run.pid, signal.SIGKILL)  # as the first batch of PDFs is being written, before it is committed
    run.wait()

    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = session.query(Certificate).all()
        assert len(rows) == PEOPLE, "every certificate row was committed before rendering began"
        assert any(c.sha256 is None for c in rows), "the run was interrupted before it finished"

    again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 issued" in again.stdout and f"{PEOPLE} already held one" in again.stdout

    with Session(engine) as session:
        rows = session.query(Certificate).all()
        assert len(rows) == PEOPLE and len({c.user_id for c in rows}) == PEOPLE, "no duplicates"
        for certificate in rows:
            stored = storage / certificate.storage_key[:2] / certificate.storage_key
            assert certificate.sha256 == hashlib.sha256(stored.read_bytes()).hexdigest()
        expected = {storage / c.storage_key[:2] / c.storage_key for c in rows}
    engine.dispose()
    on_disk = {p for p in storage.rglob("*") if p.is_file()}
    assert on_disk == expected, "no orphan file and no half-written temporary file is left"
