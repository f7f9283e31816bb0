"""The stack bench/load.py drives: its own nginx + gunicorn + RQ worker on other ports (https 28443, http 28080,
gunicorn 28000), its own PostgreSQL database `qtp_load` (dropped and made again with the demo data), Redis
database 14, a temporary serve folder and one small bundle built into it. Also: the gunicorn workers' pids
and memory, read from /proc."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tools.stack.processes import Stack

DATABASE_URL = os.environ.get("QTP_LOAD_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/qtp_load")
REDIS_URL = os.environ.get("QTP_LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
BUNDLE = "symposium_highlights/es"  # the smoke test's: small, and the demo licensee holds a seat for it
# The public verify page allows 30 lookups a minute per address; every virtual user comes from 127.0.0.1.
VERIFY_LIMIT = "1000000 per minute"


@dataclass
class LoadStack(Stack):
    """A Stack with a few settings of its own (the verify limit; max-requests off for a soak)."""

    extra: dict[str, str] = field(default_factory=dict)

    def environment(self, env: str = "production") -> dict[str, str]:
        return {**super().environment(env), **self.extra}


def make_stack(folder: Path, *, workers: int | None, soak: bool, max_requests: int | None = None) -> LoadStack:
    """`max_requests` None: gunicorn.conf.py's (2000 + jitter), except in a soak, where a recycled worker would
    hide a leak: 0 (off). Given, it holds in both (a soak then reports recycled workers apart)."""
    extra = {"QTP_VERIFY_LIMIT": VERIFY_LIMIT}
    if max_requests is None and soak:
        max_requests = 0
    if max_requests is not None:
        extra["QTP_WEB_MAX_REQUESTS"] = str(max_requests)
    return LoadStack(
        folder=folder / "serve",
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        https_port=28443,
        http_port=28080,
        web_port=28000,
        bundle_dir=folder / "bundles",
        web_workers=workers,
        log_to_files=True,
        extra=extra,
    )


def prepare(stack: LoadStack) -> None:
    """A fresh database with the content and the demo data, one bundle, the serve folder; then start."""
    from redis import Redis
    from rq import Queue

    stack.check()
    Queue("qtp", connection=Redis.from_url(stack.redis_url)).empty()  # no job left from an interrupted run
    stack.ensure_database(fresh=True)
    stack.prepare_folder()
    stack.flask("db", "upgrade")
    stack.flask("qtp", "content", "sync")
    stack.load_demo()
    stack.flask("qtp", "bundles", "build", "--only", BUNDLE)
    stack.start()


# -- the gunicorn workers ------------------------------------------------------------------------------------


def children(parent: int, proc: Path = Path("/proc")) -> list[int]:
    """The pids whose parent is `parent` (the gunicorn workers of a master), from /proc/<pid>/stat."""
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ")"
        fields_after = stat.rsplit(")", 1)[1].split()
        if int(fields_after[1]) == parent:
            found.append(int(entry.name))
    return sorted(found)


def rss_mb(pid: int, proc: Path = Path("/proc")) -> float | None:
    """VmRSS of a process in MB (None once it has ended)."""
    try:
        status = (proc / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def worker_memory(master: int) -> dict[int, float]:
    """Each worker's RSS in MB, by pid."""
    return {pid: mb for pid in children(master) if (mb := rss_mb(pid)) is not None}
