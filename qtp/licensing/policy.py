"""What a licence allows, on a given day (pure functions: everything comes in as arguments)."""

from __future__ import annotations

from datetime import date

from qtp.licensing.models import License, LicenseState


def days_left(license_: License, today: date) -> int:
    """Days of the term still to come, today included (0 once it has ended)."""
    return max(0, (license_.ends_on - today).days + 1)


def entitles(license_: License, holds_seat: bool, product: str, locale: str, today: date) -> bool:
    """A seat holder of an active licence covering this product and language may download its bundle."""
    return (
        holds_seat
        and license_.state(today) == LicenseState.ACTIVE
        and license_.product == product
        and locale in license_.locales
    )
