"""Certificate work run through qtp.core.jobs: rendering PDFs, and issuing to a whole cohort.

`render` writes each PDF under the storage key its row already holds, records the SHA-256, and e-mails the
recipient once the PDF exists. `issue_cohort` is the bulk run: it writes every new certificate row first (one
commit), then renders in batches, each laid out in one WeasyPrint pass and committed on its own, so that a run
killed at any point is completed by the next one: rows without a SHA-256 are rendered again under their key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from qtp.accounts.models import User
from qtp.certificates import document, queries, services
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Cohort, Team
from qtp.core import audit
from qtp.core.mail import queue_mail, render_mail
from qtp.core.storage import delete_after_rollback, get_storage
from qtp.core.urls import external_url
from qtp.extensions import db

BATCH = 25  # certificates laid out per WeasyPrint pass and committed together


def _load(ids: list[int]) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .options(
                joinedload(Certificate.user),
                joinedload(Certificate.cohort).joinedload(Cohort.program),
                joinedload(Certificate.team).joinedload(Team.organization),
            )
            .where(Certificate.id.in_(ids), Certificate.sha256.is_(None), Certificate.revoked_at.is_(None))
            .order_by(Certificate.id)
        ).unique()
    )


def _announce(certificate: Certificate) -> None:
    user = certificate.user
    if not user.is_active:
        return
    mail = render_mail(
        user.email,
        certificate.locale,
        "certificates/email/issued",
        certificate=certificate,
        program=certificate.cohort.program.title(certificate.locale),
        home=external_url("home.index"),
        verify=document.verify_url(certificate.serial),
    )
    queue_mail(db.session, mail)


def render(ids: list[int], announce: bool = True) -> int:
    """Render and store the PDFs of these certificates that have none yet, and e-mail each recipient (unless
    `announce` is false); returns how many were stored."""
    session = db.session
    pending = _load(ids)
    if not pending:
        return 0
    files = document.render_many(pending) if len(pending) > 1 else [document.render_one(pending[0])]
    storage = get_storage()
    for certificate, data in zip(pending, files, strict=True):
        stored = storage.put(certificate.storage_key, data)
        delete_after_rollback(session, stored.key, storage)
        certificate.sha256 = stored.sha256
        if announce:
            _announce(certificate)
    session.flush()
    return len(pending)


def render_waiting(
    cohort_id: int | None = None,
    *,
    batch: int = BATCH,
    announce: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Render every certificate in force still without a PDF (of one cohort, or all), committing after each
    batch; `progress(batch size, total)` after each. Returns how many were stored."""
    session = db.session
    query = select(Certificate.id).where(Certificate.sha256.is_(None), Certificate.revoked_at.is_(None))
    if cohort_id is not None:
        query = query.where(Certificate.cohort_id == cohort_id)
    waiting = list(session.scalars(query.order_by(Certificate.id)))
    done = 0
    for start in range(0, len(waiting), batch):
        chunk = waiting[start : start + batch]
        done += render(chunk, announce)
        session.commit()
        if progress is not None:
            progress(len(chunk), len(waiting))
    return done


@dataclass
class BulkResult:
    issued: int = 0  # new certificates
    rendered: int = 0  # PDFs stored in this run (new ones, and those an interrupted run left)
    already: int = 0  # participants who held a certificate already
    incomplete: list[str] = field(default_factory=list)  # names of participants who have not completed


def issue_cohort(
    cohort_id: int, actor_id: int | None, progress: Callable[[int, int], None] | None = None, batch: int = BATCH
) -> BulkResult:
    """Issue to every participant of the cohort who has completed it, then render what has no PDF yet.
    Commits after the rows and after each batch of PDFs (a long run that must survive being stopped)."""
    session = db.session
    cohort = session.get(Cohort, cohort_id)
    actor = session.get(User, actor_id) if actor_id is not None else None
    if cohort is None:
        raise LookupError(f"no cohort {cohort_id}")
    result = BulkResult()
    for row in queries.cohort_certificates(session, cohort):
        if row.in_force is not None:
            result.already += 1
        elif not row.complete or not row.user.is_active:
            result.incomplete.append(row.user.name)
        else:
            services.issue_completed(session, actor, row.user, cohort, row.team.id, row.conditions, render=False)
            result.issued += 1
    audit.record(
        session,
        actor,
        "certificate.bulk_issued",
        cohort,
        summary=f"{result.issued} issued · {result.already} held · {len(result.incomplete)} not complete",
    )
    session.commit()
    result.rendered = render_waiting(cohort.id, batch=batch, progress=progress)
    return result
