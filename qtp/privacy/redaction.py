"""Redacting the audit events that name an erased person.

The audit log carries a hash chain on main (each event holds the hash of the one before), so a plain rewrite
would break `qtp audit verify`: qtp.core.audit.redact(session, events, *, by, replacements) rewrites the texts
and marks the events redacted while keeping the chain verifiable. Until that function is present, the same
rewrite is done here without the chain (there is none to keep).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from qtp.core import audit
from qtp.core.audit import AuditEvent


def _rewrite(value: Any, pattern: re.Pattern[str], replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(lambda match: replacements[match.group(0).lower()], value)
    if isinstance(value, list):
        return [_rewrite(v, pattern, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, pattern, replacements) for k, v in value.items()}
    return value


def plain_redact(session: Session, events: list[AuditEvent], *, by: AuditEvent, replacements: dict[str, str]) -> None:
    """Replace each key of `replacements` (ignoring case) by its value in the events' summary and details."""
    lowered = {key.lower(): value for key, value in replacements.items()}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(lowered, key=len, reverse=True)), re.IGNORECASE)
    for event in events:
        event.summary = _rewrite(event.summary or "", pattern, lowered)[:300]
        event.details = {**_rewrite(event.details or {}, pattern, lowered), "redacted_by": by.id}


def redact(session: Session, events: list[AuditEvent], *, by: AuditEvent, replacements: dict[str, str]) -> None:
    chained = getattr(audit, "redact", None)
    if chained is not None:
        chained(session, events, by=by, replacements=replacements)
    else:
        plain_redact(session, events, by=by, replacements=replacements)
    session.flush()
