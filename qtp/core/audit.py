"""The audit log: who did what to which object, when, from where.

Each event is sealed into a hash chain when its transaction commits (qtp.core.audit_chain): it carries a digest of
its content and the hash of the event before it, so an edit, a deletion or an insertion outside `record()` shows in
`flask qtp audit verify`. Personal data in past events is removed only by `redact()`, in the open: the event keeps
the digest of what it said and names the erasure that changed it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import has_request_context, request
from sqlalchemy import DDL, JSON, ForeignKey, Index, String, Text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from qtp.core.db import Base, utcnow

if TYPE_CHECKING:
    from qtp.accounts.models import User


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    # The hash chain (audit_chain.seal): the place in the chain, the digest of summary/details/address as
    # recorded, and the hash over the previous event's hash, this event's fields and that digest.
    seq: Mapped[int | None] = mapped_column(unique=True)
    digest: Mapped[str | None] = mapped_column(String(64))
    chain: Mapped[str | None] = mapped_column(String(64))
    # Set by redact(): when, and by which event (an account erasure), personal data was taken out of this one.
    redacted_at: Mapped[datetime | None]
    redacted_by_id: Mapped[int | None] = mapped_column(ForeignKey("audit_events.id", ondelete="RESTRICT"))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")


class AuditChainHead(Base):
    """One row: the last sealed event's place and hash. Sealing locks it, so commits join the chain one by one."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    chain: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")


# A schema made without the migrations (tests, create_all) starts with the head as the migration leaves it.
sa_event.listen(
    AuditChainHead.__table__,
    "after_create",
    DDL("INSERT INTO audit_chain_head (id, seq, chain, note) VALUES (1, 0, '', 'created with the schema')"),
)


def record(
    session: Session,
    actor: User | None,
    action: str,
    obj: Any,
    *,
    summary: str = "",
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Add an audit row for `action` on `obj` (a model with `id`, or a (type, id) pair)."""
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        session.flush()
        object_type, object_id = type(obj).__tablename__, obj.id
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        summary=summary[:300],
        details=details or {},
        ip_address=ip_address or (request.remote_addr if has_request_context() else None),
    )
    session.add(event)
    return event


def redact(
    session: Session,
    events: list[AuditEvent],
    *,
    by: AuditEvent,
    replacements: dict[str, str],
    forget_address: bool = False,
) -> int:
    """Rewrite each text of `events` (summary, details' keys and values) replacing every key of `replacements` by
    its value, drop the IP address if `forget_address`, and mark the changed events as redacted by `by` (the
    erasure's own event). Their digest stays that of what they said, so the chain still verifies, and the log
    shows which events were changed, when and why. Returns how many events changed."""
    session.flush()  # `by` needs its id
    changed = 0
    ordered = sorted(replacements.items(), key=lambda item: -len(item[0]))  # "ana@x.org" before "ana"
    for event in events:
        summary = _replace(event.summary, ordered)
        details = _replace(event.details, ordered)
        address = None if forget_address else event.ip_address
        if (summary, details, address) == (event.summary, event.details, event.ip_address):
            continue
        event.summary, event.details, event.ip_address = summary[:300], details, address
        event.redacted_at, event.redacted_by_id = utcnow(), by.id
        changed += 1
    return changed


def _replace(value: Any, replacements: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for old, new in replacements:
            if old:
                value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {_replace(str(k), replacements): _replace(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, replacements) for v in value]
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"from": old, "to": new}} for the fields whose values differ."""
    return {
        key: {"from": before.get(key), "to": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
