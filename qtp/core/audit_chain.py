"""The audit log's hash chain: every event, as its transaction commits, joins a chain of SHA-256 hashes.

    digest = sha256(canonical JSON of {summary, details, ip_address})           what the event said
    chain  = sha256(previous chain | seq | id | at | actor | action | object | digest)

Sealing happens in the session's `before_commit`: the transaction's new events are flushed, the one-row head
(`audit_chain_head`) is locked (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the transaction already holds the
write lock), and each event takes the next place. Concurrent commits therefore join the chain one after another,
in commit order; an event whose transaction rolls back never takes a place.

`verify()` walks the chain in order and reports the first event whose hash does not follow (edited, deleted or
reordered), events that never joined the chain (inserted around `record()`), and content that no longer matches
its digest without a redaction. The hashing rules below are part of the stored data: never change them, or every
existing chain stops verifying.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from qtp.core.audit import AuditChainHead, AuditEvent

HEAD_ID = 1
UNSEALED = "qtp_audit_unsealed"


def content_digest(summary: str | None, details: Any, ip_address: str | None) -> str:
    payload = {"summary": summary or "", "details": _as_stored(details or {}), "ip_address": ip_address or ""}
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def link_hash(previous: str, seq: int, e: AuditEvent, digest: str) -> str:
    at = e.at.astimezone(UTC).isoformat(timespec="microseconds") if e.at else ""
    parts = (previous, str(seq), str(e.id), at, str(e.actor_id or ""), e.action, e.object_type, e.object_id or "",
             digest)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _as_stored(value: Any) -> Any:
    """The value as the JSON column gives it back (keys as strings, tuples as lists, dates as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


# -- sealing, at commit ------------------------------------------------------------------------------------------

def _collect(session: Session, flush_context: Any, instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if new:
        session.info.setdefault(UNSEALED, []).extend(new)


def _seal_on_commit(session: Session) -> None:
    _collect(session, None, None)  # added since the last flush
    if not session.info.get(UNSEALED):
        return
    session.flush()  # before_flush collects them again: the id check below keeps each once
    pending = {e.id: e for e in session.info.pop(UNSEALED, []) if e.id is not None and e.seq is None and e in session}
    if pending:
        seal(session, [pending[key] for key in sorted(pending)])


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(UNSEALED, None)


def seal(session: Session, events: list[AuditEvent]) -> None:
    """Give `events` (flushed, in this order) the next places of the chain. Called at commit; the head's row lock
    makes concurrent transactions take turns."""
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:  # the first event ever (or a database the migration did not create the head in)
        head = AuditChainHead(id=HEAD_ID, seq=0, chain="")
        session.add(head)
    for e in events:
        e.digest = content_digest(e.summary, e.details, e.ip_address)
        e.seq = head.seq + 1
        e.chain = link_hash(head.chain, e.seq, e, e.digest)
        head.seq, head.chain = e.seq, e.chain
    session.flush()


event.listen(Session, "before_flush", _collect)
event.listen(Session, "before_commit", _seal_on_commit)
event.listen(Session, "after_rollback", _forget)
event.listen(Session, "after_soft_rollback", _forget)


# -- verification -----------------------------------------------------------------------------------------------

@dataclass
class Report:
    events: int = 0
    redacted: int = 0
    head_seq: int = 0
    head_chain: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _in_order(session: Session, batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()  # a long log is walked in constant memory


def verify(session: Session, *, expect: tuple[int, str] | None = None, limit_problems: int = 20) -> Report:
    """Walk the whole chain; every problem found is named by the event's place and id. `expect` is a (place,
    hash) recorded earlier (`verify` prints the head): the chain must still pass through it."""
    report = Report()
    passed = expect is None
    previous, expected_seq = "", 1
    redactions: set[int] = set()
    for e in _in_order(session):
        report.events += 1
        problems = []
        if e.seq != expected_seq:
            problems.append(f"event #{e.seq} (id {e.id}): places {expected_seq}..{e.seq - 1} are missing (deleted)")
        if e.digest is None or e.chain != link_hash(previous, e.seq, e, e.digest):
            problems.append(f"event #{e.seq} (id {e.id}, {e.action}): its hash does not follow the one before "
                            "(changed, reordered or re-chained)")
        if e.redacted_at is None:
            if content_digest(e.summary, e.details, e.ip_address) != e.digest:
                problems.append(f"event #{e.seq} (id {e.id}, {e.action}): its text was changed without a redaction")
        else:
            report.redacted += 1
            if e.redacted_by_id is None:
                problems.append(f"event #{e.seq} (id {e.id}): marked redacted by no erasure")
            else:
                redactions.add(e.redacted_by_id)
        if expect is not None and e.seq == expect[0]:
            passed = e.chain == expect[1]
        report.problems.extend(problems[: max(0, limit_problems - len(report.problems))])
        previous, expected_seq = e.chain or "", (e.seq or 0) + 1
    unsealed = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq.is_(None))) or 0
    if unsealed:
        report.problems.append(f"{unsealed} events are outside the chain (written around the audit log)")
    head = session.get(AuditChainHead, HEAD_ID)
    report.head_seq, report.head_chain = (head.seq, head.chain) if head else (0, "")
    if report.events and (report.head_seq, report.head_chain) != (expected_seq - 1, previous):
        report.problems.append(f"the head says #{report.head_seq} but the chain ends at #{expected_seq - 1} "
                               "(the newest events were removed)")
    if not passed:
        report.problems.append(f"the chain does not pass through the recorded #{expect[0]} {expect[1]} (rewritten)")
    if redactions:
        known = set(session.scalars(
            select(AuditEvent.id).where(AuditEvent.id.in_(redactions), AuditEvent.seq.is_not(None))
        ))
        for missing in sorted(redactions - known):
            report.problems.append(f"redactions name event id {missing}, which is not in the chain")
    return report
