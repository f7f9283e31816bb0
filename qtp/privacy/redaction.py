"""Redacting the audit events that name an erased person, through qtp.core.audit.redact: the texts are
rewritten in the open (each event marked as redacted by the erasure's event) and the hash chain still verifies.
The addresses of the events the person acted in are forgotten too."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qtp.core import audit
from qtp.core.audit import AuditEvent


def redact(
    session: Session, events: list[AuditEvent], *, by: AuditEvent, replacements: dict[str, str], actor_id: int
) -> int:
    own = [event for event in events if event.actor_id == actor_id]
    others = [event for event in events if event.actor_id != actor_id]
    changed = audit.redact(session, others, by=by, replacements=replacements) if others else 0
    if own:
        changed += audit.redact(session, own, by=by, replacements=replacements, forget_address=True)
    session.flush()
    return changed
