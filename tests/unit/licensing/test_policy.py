"""A licence's state on a given day, its days left, and what it entitles a seat holder to."""

from datetime import date

import pytest

from qtp.licensing import policy
from qtp.licensing.models import License, LicenseState
from qtp.licensing.policy import Refusal


def licence(**fields) -> License:
    values = {
        "product": "six_month",
        "locales": ["en", "es"],
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "status": "active",
    }
    return License(**(values | fields))


@pytest.mark.parametrize(
    ("today", "status", "state"),
    [
        (date(2026, 6, 1), "active", LicenseState.ACTIVE),
        (date(2026, 1, 1), "active", LicenseState.ACTIVE),  # the first day counts
        (date(2026, 12, 31), "active", LicenseState.ACTIVE),  # and the last
        (date(2027, 1, 1), "active", LicenseState.EXPIRED),
        (date(2025, 12, 31), "active", LicenseState.NOT_STARTED),
        (date(2026, 6, 1), "suspended", LicenseState.SUSPENDED),
        (date(2027, 6, 1), "suspended", LicenseState.SUSPENDED),
    ],
)
def test_state(today, status, state):
    assert licence(status=status).state(today) == state


def test_days_left_counts_today_and_stops_at_zero():
    assert policy.days_left(licence(), date(2026, 12, 31)) == 1
    assert policy.days_left(licence(), date(2026, 12, 1)) == 31
    assert policy.days_left(licence(), date(2027, 3, 1)) == 0


def test_a_download_needs_a_seat_an_active_licence_and_the_language():
    today = date(2026, 6, 1)
    assert policy.refusal(licence(), True, "es", today) is None
    assert policy.refusal(licence(), False, "es", today) == Refusal.NO_SEAT
    assert policy.refusal(licence(), True, "pt_BR", today) == Refusal.LANGUAGE
    assert policy.refusal(licence(status="suspended"), True, "es", today) == Refusal.SUSPENDED
    assert policy.refusal(licence(), True, "es", date(2027, 1, 1)) == Refusal.EXPIRED
    assert policy.refusal(licence(), True, "es", date(2025, 12, 31)) == Refusal.NOT_STARTED


def test_the_seat_is_named_first_then_the_state_then_the_language():
    expired = date(2027, 1, 1)
    assert policy.refusal(licence(), False, "pt_BR", expired) == Refusal.NO_SEAT
    assert policy.refusal(licence(status="suspended"), True, "pt_BR", expired) == Refusal.SUSPENDED
    assert policy.refusal(licence(), True, "pt_BR", expired) == Refusal.EXPIRED
