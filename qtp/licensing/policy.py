"""What a licence allows, on a given day (pure functions: everything comes in as arguments)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from qtp.licensing.models import License, LicenseState


class Refusal(StrEnum):
    """Why a bundle may not be downloaded (the page says it in these words, see REFUSAL_TEXTS in views)."""

    NO_SEAT = "no_seat"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_STARTED = "not_started"
    LANGUAGE = "language"


_STATE_REFUSALS = {
    LicenseState.SUSPENDED: Refusal.SUSPENDED,
    LicenseState.EXPIRED: Refusal.EXPIRED,
    LicenseState.NOT_STARTED: Refusal.NOT_STARTED,
}


def days_left(license_: License, today: date) -> int:
    """Days of the term still to come, today included (0 once it has ended)."""
    return max(0, (license_.ends_on - today).days + 1)


def refusal(license_: License, holds_seat: bool, locale: str, today: date) -> Refusal | None:
    """None when a seat holder of an active licence asks for a language it covers; else the first reason, in
    the order a licensee can act on it (the seat, then the licence's state, then its languages)."""
    if not holds_seat:
        return Refusal.NO_SEAT
    state = license_.state(today)
    if state in _STATE_REFUSALS:
        return _STATE_REFUSALS[state]
    if locale not in license_.locales:
        return Refusal.LANGUAGE
    return None
