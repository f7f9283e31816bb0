"""The queue's jobs as admins see them (`/admin/jobs`): waiting, running, waiting for a new attempt, failed
(with the error's last line) and done, newest first; and the retry of a failed job, audited.

Read from RQ's registries in Redis when QTP_REDIS_URL is set; without it, jobs run inline and there is no queue
to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.core import audit, jobs
from qtp.core.service import ServiceError, authorize

SHOWN = 50  # jobs listed per state
JOB_ID = re.compile(r"[A-Za-z0-9-]{1,64}")

# What each job does, as the page names it.
JOB_LABELS = {
    "qtp.core.mail:deliver": _l("E-mail"),
    "qtp.certificates.jobs:render": _l("Certificate PDFs"),
    "qtp.certificates.jobs:issue_cohort": _l("Certificates of a whole cohort"),
    "qtp.catalog.jobs:sync": _l("Content sync"),
    "qtp.licensing.jobs:build": _l("Bundle build"),
    "qtp.measurement.jobs:insert": _l("Measure data import"),
}

STATES = ("queued", "started", "scheduled", "failed", "finished")
STATE_LABELS = {
    "queued": _l("Waiting"),
    "started": _l("Running"),
    "scheduled": _l("Waiting for a new attempt"),
    "failed": _l("Failed"),
    "finished": _l("Done"),
}


@dataclass(frozen=True)
class JobRow:
    id: str
    state: str
    label: str
    about: str  # whom or what it is for: the recipient of an e-mail, the cohort of a bulk run
    enqueued_at: datetime | None
    ended_at: datetime | None
    error: str
    attempts_left: int | None
    request_id: str


@dataclass
class JobsView:
    configured: bool
    reachable: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    rows: dict[str, list[JobRow]] = field(default_factory=dict)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


STARTED_BY = ("qtp.catalog.jobs:sync", "qtp.licensing.jobs:build")


@dataclass
class Names:
    """The names of the users and cohorts the listed jobs refer to by id (two statements for the whole page)."""

    users: dict[int, str] = field(default_factory=dict)
    cohorts: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, session: Session, found: list[Any]) -> Names:
        from sqlalchemy import select

        from qtp.cohorts.models import Cohort

        user_ids, cohort_ids = set(), set()
        for job in found:
            path, *args = job.args or ("",)
            if path in STARTED_BY and args and isinstance(args[0], int):
                user_ids.add(args[0])
            if path == "qtp.certificates.jobs:issue_cohort" and args and isinstance(args[0], int):
                cohort_ids.add(args[0])
        names = cls()
        if user_ids:
            names.users = dict(session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
        if cohort_ids:
            names.cohorts = dict(session.execute(select(Cohort.id, Cohort.name).where(Cohort.id.in_(cohort_ids))).all())
        return names


def _about(path: str, args: tuple[Any, ...], names: Names) -> str:
    if path == "qtp.core.mail:deliver" and args:
        return str(args[0])
    if path == "qtp.certificates.jobs:issue_cohort" and args:
        if args[0] in names.cohorts:
            return names.cohorts[args[0]]
        return str(_l("cohort #%(id)s", id=args[0]))
    if path == "qtp.certificates.jobs:render" and args and isinstance(args[0], list | tuple):
        return str(_l("%(num)s certificates", num=len(args[0])))
    if path in STARTED_BY and args and args[0] is not None:
        if args[0] in names.users:
            return str(_l("Started by %(name)s", name=names.users[args[0]]))
        return str(_l("Started by user #%(id)s", id=args[0]))
    if path == "qtp.measurement.jobs:insert" and len(args) == 3 and isinstance(args[2], list | tuple):
        return str(_l("%(num)s data points for measure #%(id)s", num=len(args[2]), id=args[0]))
    return ""


def _error(job: Any) -> str:
    noted = (job.meta or {}).get("last_error")
    if noted:
        return str(noted)
    result = job.latest_result()
    text = (getattr(result, "exc_string", None) or "").strip()
    return text.splitlines()[-1][:300] if text else ""


def _row(job: Any, state: str, names: Names) -> JobRow:
    path, *args = job.args or ("",)
    return JobRow(
        id=job.id,
        state=state,
        label=str(JOB_LABELS.get(path, path)),
        about=_about(path, tuple(args), names),
        enqueued_at=_aware(job.enqueued_at or job.created_at),
        ended_at=_aware(job.ended_at),
        error=_error(job) if state in ("failed", "scheduled") else "",
        attempts_left=job.retries_left,
        request_id=str((job.meta or {}).get("request_id") or ""),
    )


def _registries(target: Any) -> dict[str, Any]:
    from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

    return {
        "started": StartedJobRegistry(queue=target),
        "scheduled": ScheduledJobRegistry(queue=target),
        "failed": FailedJobRegistry(queue=target),
        "finished": FinishedJobRegistry(queue=target),
    }


def jobs_view(session: Session, app: Flask) -> JobsView:
    """The jobs of each state (at most SHOWN, newest first) and how many there are."""
    from redis.exceptions import RedisError
    from rq.job import Job

    if not jobs.uses_queue(app):
        return JobsView(configured=False)
    view = JobsView(configured=True)
    try:
        target = jobs.queue(app)
        ids = {"queued": list(reversed(target.get_job_ids()))}
        for state, registry in _registries(target).items():
            ids[state] = list(reversed(registry.get_job_ids()))
        found = {}
        for state in STATES:
            view.counts[state] = len(ids[state])
            found[state] = [
                job for job in Job.fetch_many(ids[state][:SHOWN], connection=target.connection) if job is not None
            ]
    except RedisError:
        return JobsView(configured=True, reachable=False)
    names = Names.of(session, [job for listed in found.values() for job in listed])
    for state in STATES:
        view.rows[state] = [_row(job, state, names) for job in found[state]]
    return view


def retry_job(session: Session, actor: User, app: Flask, job_id: str) -> str:
    """Put a failed job back on the queue; returns its label. Refused for an unknown job or one not failed."""
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    authorize(actor, "admin:jobs:write")
    if not JOB_ID.fullmatch(job_id) or not jobs.uses_queue(app):
        raise ServiceError(_("There is no such failed job."))
    try:
        target = jobs.queue(app)
        registry = target.failed_job_registry
        if job_id not in registry.get_job_ids():
            raise ServiceError(_("This job is no longer among the failed ones: it may have been retried already."))
        job = Job.fetch(job_id, connection=target.connection)
        registry.requeue(job_id)
    except (NoSuchJobError, RedisError) as error:
        raise ServiceError(_("The queue cannot be reached; try again in a moment.")) from error
    path = (job.args or ("",))[0]
    label = str(JOB_LABELS.get(path, path))
    audit.record(session, actor, "job.retried", ("job", job_id), summary=label, details={"job": path})
    return label
