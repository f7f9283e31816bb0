"""Fault drill: PostgreSQL connections ended under load, against a real gunicorn on loopback.

A shared PostgreSQL server cannot be restarted for a drill, so every connection to the drill's own database is
ended server-side (`pg_terminate_backend`), which is what a restart does to the app's pool, every `--every`
seconds, while `--clients` threads read a page that queries the database (`/programs`) through gunicorn
(deploy/gunicorn.conf.py, 2 workers x 4 threads); every other kill comes in a quiet moment (the clients pause
for half a second, so the pool's connections are idle when they die, as in a restart at night; without
pool_pre_ping the first requests after it fail). Prints counts, not timings:

- requests in flight at a kill may fail (their query was cut, as in a real restart); "at a kill" is from the
  `pg_terminate_backend` call until GRACE seconds after it returned (it signals the backends, which end soon after);
- requests that started after a kill must all answer 200 (the pool tests a connection before it lends it,
  SQLALCHEMY_ENGINE_OPTIONS pool_pre_ping): "after a kill, non-200" must be 0.

    createdb -h 127.0.0.1 -U postgres faults_db   # its own database: every connection to it is ended
    .venv/bin/python bench/fault_drill.py --database postgresql+psycopg://postgres@127.0.0.1:5432/faults_db
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
PORT = 5189
PAGE = "/programs"
GRACE = 0.1  # seconds after pg_terminate_backend returns for the ended backends to be gone (it only signals them)


def _schema(database: str, storage: str) -> None:
    from qtp import create_app
    from qtp.extensions import db

    app = create_app(
        {"QTP_ENV": "testing", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": database, "QTP_STORAGE_DIR": storage}
    )
    with app.app_context():
        db.create_all()
        db.engine.dispose()


def _serve(database: str, storage: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "QTP_ENV": "development",
        "QTP_SECRET_KEY": "fault-drill-secret-key-0123456789abcdef",
        "QTP_DATABASE_URL": database,
        "QTP_STORAGE_DIR": storage,
        "QTP_MAIL_BACKEND": "memory",
        "QTP_RATELIMIT_STORAGE_URI": "memory://",
        "QTP_WEB_BIND": f"127.0.0.1:{PORT}",
        "QTP_WEB_WORKERS": "2",
        "QTP_WEB_THREADS": "4",
        "QTP_WEB_LOG_LEVEL": "warning",
    }
    env.pop("QTP_REDIS_URL", None)
    log = (Path(storage).parent / "fault-drill-gunicorn.log").open("ab")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_up(deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


class Load:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.results: list[tuple[float, float, int]] = []  # (start, end, status; 0 for no answer)
        self.stop = threading.Event()
        self.running = threading.Event()  # cleared: the clients pause (a quiet moment)
        self.running.set()

    def client(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        while not self.stop.is_set():
            if not self.running.wait(timeout=0.5):
                continue
            start = time.monotonic()
            try:
                connection.request("GET", PAGE)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            with self.lock:
                self.results.append((start, time.monotonic(), status))


def _end_connections(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/faults_db")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--every", type=float, default=2.0, help="seconds between two kills")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--storage", default=str(ROOT / "instance" / "fault-drill-storage"))
    args = parser.parse_args()

    _schema(args.database, args.storage)
    server = _serve(args.database, args.storage)
    engine = create_engine(args.database, poolclass=None)
    kills: list[tuple[float, float, int]] = []  # (from, until, connections ended)
    load = Load()
    try:
        _wait_up(time.monotonic() + 30)
        threads = [threading.Thread(target=load.client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        end = time.monotonic() + args.seconds
        time.sleep(min(args.every, args.seconds / 4))
        quiet = False
        while time.monotonic() < end - 1:
            if quiet:  # every other kill in a quiet moment: idle pooled connections die, as in a night restart
                load.running.clear()
                time.sleep(0.5)  # the requests in flight finish
            began = time.monotonic()
            ended = _end_connections(engine)
            kills.append((began, time.monotonic() + GRACE, ended))
            if quiet:
                time.sleep(GRACE)
                load.running.set()
            quiet = not quiet
            time.sleep(args.every)
        time.sleep(max(0.0, end - time.monotonic()))
        load.stop.set()
        for thread in threads:
            thread.join(timeout=15)
    finally:
        server.terminate()
        server.wait(timeout=30)
        engine.dispose()

    def in_flight(start: float, finish: float) -> bool:
        return any(start <= until and began <= finish for began, until, _ended in kills)

    cut = [r for r in load.results if in_flight(r[0], r[1])]
    after = [r for r in load.results if not in_flight(r[0], r[1])]
    print(f"fault drill: {PAGE} under gunicorn (2 workers x 4 threads), {args.clients} clients, {args.seconds:.0f} s")
    print(f"  kills: {len(kills)}, connections ended: {sum(ended for _b, _u, ended in kills)}")
    print(
        f"  requests: {len(load.results)}; in flight at a kill: {len(cut)}, of which non-200: "
        f"{sum(1 for r in cut if r[2] != 200)}"
    )
    bad_after = sum(1 for r in after if r[2] != 200)
    print(f"  started after a kill (or before any): {len(after)}, non-200: {bad_after}  (goal: 0)")
    for start, _finish, status in after:
        if status != 200:
            since = min((start - until for _b, until, _ended in kills if until <= start), default=None)
            print(f"    {status} started {since:.3f} s after a kill's window" if since is not None else f"    {status}")
    if bad_after:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
