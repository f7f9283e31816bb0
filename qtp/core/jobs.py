"""Long work (bulk certificates, certificate PDFs, bundle builds) behind one small interface.

`enqueue(session, "package.module:function", *args)`:
- inline (the default, no Redis): the function runs at once, inside the caller's transaction, so that its
  rows and files commit or roll back with the caller's (files through `storage.delete_after_rollback`);
- with `QTP_REDIS_URL` set: the job goes on an RQ queue once the caller's transaction has committed (a worker
  must see the rows it was queued for), and `flask --app wsgi qtp worker` runs it in an app context, then
  commits, or rolls back if it failed;
- with `QTP_REDIS_URL` set but Redis not answering (a PING within QUEUE_TIMEOUT, once per request:
  `queue_in_use()`, which services that tell "queued" ask too): the job runs inline, as without Redis, so that
  a certificate is still issued and rendered and the request does not fail (bundle builds, too long for a
  request, are refused with a message instead: qtp.licensing.bundles.lock). Should
  Redis go away between that PING and the commit, the caller's rows are committed, the job is not queued and
  an error names it in the log (a certificate left without its PDF is rendered by the next bulk run).

A queued job carries the request id of the request that enqueued it (RQ job meta); the worker runs it under
that id, so its log lines and the request's share it. Inline jobs simply run inside the request.

Job functions take plain arguments (ids, not objects), use `db.session`, and never commit unless they are
long runs that must survive a kill between batches (they then say so). A queued job that fails runs again
(RETRY_AFTER), so every job function must be safe to run twice.

A worker that dies in the middle of a job (`kill -9`, out of memory, the host lost): RQ keeps each running job
in the queue's started registry with an expiry that the worker must keep pushing back (a heartbeat); any
worker's periodic maintenance treats an entry past its expiry as abandoned and retries the job (its retry
schedule, RETRY_AFTER here), or moves it to the failed registry once its retries are spent. Out of the box,
RQ's SimpleWorker sends no heartbeat while a job runs and gives each job `job_timeout + 60` s (an hour here),
and looks for abandoned jobs every 10 minutes (while idle, every 405 s): a killed bulk run would wait more than
an hour. Our worker therefore sends a heartbeat from a thread every HEARTBEAT_EVERY seconds while a job runs,
with an expiry of HEARTBEAT_TTL, and looks every MAINTENANCE_EVERY seconds: a job whose worker died is found
within HEARTBEAT_TTL + MAINTENANCE_EVERY seconds (13) by any worker still running, or by the next one
to start, and is put back on the queue at once (RETRY_AFTER[0] is 0: a retry with a wait goes through RQ's
scheduler, whose lock a killed worker keeps for 61 s). tests/integration/certificates/test_worker_killed.py
kills a worker in the middle of a bulk run. If only the worker's main process is killed, its scheduler
process (a child) lives on and keeps putting later retries back on the queue; systemd's default KillMode
(deploy/systemd/qtp-worker.service, restarted 5 s later) stops both. The other way round, a worker that is
alive but cannot reach Redis for HEARTBEAT_TTL seconds while a job runs may see the job started a second time
elsewhere: job functions are safe to run twice, also at the same time (certificates: one row per person by a
unique constraint, PDFs written under the row's key).
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from qtp.core import metrics, requestid

log = logging.getLogger(__name__)

QUEUE_NAME = "qtp"
_PENDING = "qtp_jobs_pending"
_ANSWERS = "qtp_queue_answers"
JOB_TIMEOUT = 60 * 60  # a bulk run of a large cohort may take a while
# A failed job, or one whose worker died (RQ finds it abandoned), runs again after these waits (seconds): the
# first at once; job functions are written to be run again (a bulk run completes what an earlier one left).
RETRY_AFTER = (0, 60, 600)
QUEUE_TIMEOUT = 2.0  # seconds a request waits for Redis to answer before it runs the job inline
HEARTBEAT_EVERY = 2  # seconds between the heartbeats of a running job
HEARTBEAT_TTL = 10  # a running job without a heartbeat for this long is abandoned (its worker died)
MAINTENANCE_EVERY = 3  # seconds between a worker's looks for abandoned jobs (RQ's registry cleanup)


def resolve(path: str) -> Callable[..., Any]:
    """The function named `package.module:function`; only QTP's own modules may be named."""
    module_name, _, name = path.partition(":")
    if not module_name.startswith("qtp.") or not name.isidentifier():
        raise ValueError(f"not a QTP job: {path!r}")
    return getattr(importlib.import_module(module_name), name)


def uses_queue(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("QTP_REDIS_URL"))


def queue(app: Flask | None = None):  # type: ignore[no-untyped-def]
    from redis import Redis
    from rq import Queue

    config = (app or current_app).config
    connection = Redis.from_url(config["QTP_REDIS_URL"], socket_connect_timeout=QUEUE_TIMEOUT)
    return Queue(QUEUE_NAME, connection=connection, default_timeout=JOB_TIMEOUT)


def queue_in_use() -> bool:
    """Whether a job enqueued now goes on the queue: Redis is configured and answers (asked once per request,
    so that a service that tells "queued" and its `enqueue` agree)."""
    if not uses_queue():
        return False
    if has_request_context():
        if _ANSWERS not in g:
            setattr(g, _ANSWERS, queue_answers())
        return bool(getattr(g, _ANSWERS))
    return queue_answers()


def queue_answers(app: Flask | None = None) -> bool:
    """Whether the queue's Redis answers a PING within QUEUE_TIMEOUT seconds."""
    from redis import Redis, RedisError

    url = (app or current_app).config["QTP_REDIS_URL"]
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=QUEUE_TIMEOUT, socket_timeout=QUEUE_TIMEOUT).ping())
    except RedisError as error:
        log.error("the job queue does not answer (%s): jobs run inline", error)
        return False


def queue_counts(app: Flask, timeout: float = 1.0) -> dict[str, int]:
    """How many jobs are queued, running and failed (for /metrics: a short timeout, a fresh connection)."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(app.config["QTP_REDIS_URL"], socket_connect_timeout=timeout, socket_timeout=timeout)
    target = Queue(QUEUE_NAME, connection=connection)
    return {
        "queued": target.count,
        "started": len(target.started_job_registry),
        "failed": len(target.failed_job_registry),
    }


def _queued_request_id() -> str | None:
    from rq import get_current_job

    job = get_current_job()
    return job.meta.get("request_id") if job is not None else None


def perform(path: str, *args: Any) -> Any:
    """What the worker runs: the job, then a commit (or a rollback if it raised), under the request id it was
    queued with."""
    from qtp.extensions import db

    with requestid.bound(_queued_request_id()):
        log.info("job %s started", path, extra={"job": path})
        try:
            with metrics.job_run(path, "queue"):
                result = resolve(path)(*args)
                db.session.commit()
        except BaseException as error:
            log.exception("job %s failed", path, extra={"job": path})
            db.session.rollback()
            _note_error(error)
            raise
        finally:
            db.session.remove()
        log.info("job %s finished", path, extra={"job": path})
    return result


def _note_error(error: BaseException) -> None:
    """Keep the error's one-line form on the job, for the jobs page: RQ stores it only after the last attempt."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.meta["last_error"] = f"{type(error).__name__}: {error}"[:300]
        job.save_meta()


def _real(session: Session | scoped_session) -> Session:
    return session() if isinstance(session, scoped_session) else session


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the transaction may still roll back
        return
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    from redis import RedisError
    from rq import Retry

    app, jobs = pending
    target = queue(app)
    for path, args, request_id in jobs:
        retry = Retry(max=len(RETRY_AFTER), interval=list(RETRY_AFTER))
        try:
            target.enqueue(perform, path, *args, meta={"request_id": request_id}, retry=retry)
        except RedisError as error:  # the rows are committed: the request must not fail now
            log.error("job %s%r could not be queued (%s)", path, args, error, extra={"job": path})


def _after_rollback(session: Session, previous_transaction) -> None:  # type: ignore[no-untyped-def]
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)


def enqueue(session: Session | scoped_session, path: str, *args: Any) -> Any:
    """Run the job now and return its result (inline), or queue it for a worker once `session` commits and
    return None (RQ)."""
    function = resolve(path)
    if not queue_in_use():
        with metrics.job_run(path, "inline"):
            return function(*args)
    real = _real(session)
    if not real.info.get("qtp_jobs_listening"):
        event.listen(real, "after_commit", _after_commit)
        event.listen(real, "after_soft_rollback", _after_rollback)
        real.info["qtp_jobs_listening"] = True
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    real.info.setdefault(_PENDING, (app, []))[1].append((path, args, requestid.current_request_id()))
    return None


def enqueue_committed(path: str, *args: Any, retry_after: tuple[int, ...] = ()) -> None:
    """Queue a job at once, for work whose rows are already committed (e-mails sent after a commit): the
    request's id goes with it; `retry_after` are the waits in seconds before each new attempt of a failed run
    (the worker's scheduler puts it back on the queue), after which it stays in the failed registry."""
    from rq import Retry

    resolve(path)  # only QTP's own functions
    retry = Retry(max=len(retry_after), interval=list(retry_after)) if retry_after else None
    meta = {"request_id": requestid.current_request_id()}
    queue().enqueue(perform, path, *args, meta=meta, retry=retry)


def _worker_class():  # type: ignore[no-untyped-def]
    from redis import RedisError
    from rq import SimpleWorker
    from rq.worker import WorkerStatus

    class Worker(SimpleWorker):
        """RQ's SimpleWorker (jobs run in this process, which keeps its app, database pool and fonts), with
        a heartbeat every HEARTBEAT_EVERY seconds while a job runs, so that a dead worker's job is found fast."""

        def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:  # type: ignore[no-untyped-def]
            return HEARTBEAT_TTL

        def execute_job(self, job, queue) -> None:  # type: ignore[no-untyped-def]
            execution = self.prepare_execution(job)
            done = threading.Event()
            beating = threading.Thread(target=self._beat, args=(job, execution, done), name="rq-heartbeat")
            beating.start()
            try:
                self.perform_job(job, queue, execution)
            finally:
                done.set()
                beating.join()
            self.set_state(WorkerStatus.IDLE)

        def _beat(self, job, execution, done: threading.Event) -> None:  # type: ignore[no-untyped-def]
            while not done.wait(HEARTBEAT_EVERY):
                try:
                    self.maintain_heartbeats(job, execution)
                except RedisError as error:  # Redis away for a moment: the next beat may reach it
                    log.warning("job heartbeat failed: %s", error)

    return Worker


def work(app: Flask, *, burst: bool = False) -> bool:
    """Run queued jobs in this process (`flask qtp worker`); `burst` stops when the queue is empty."""
    target = queue(app)
    worker = _worker_class()(
        [target],
        connection=target.connection,
        maintenance_interval=MAINTENANCE_EVERY,
        # RQ waits worker_ttl - 15 s for a job before it looks again: an idle worker also looks every few seconds
        worker_ttl=MAINTENANCE_EVERY + 15,
    )
    # The scheduler moves failed jobs waiting for a retry back onto the queue when their time comes.
    return worker.work(burst=burst, with_scheduler=True)
