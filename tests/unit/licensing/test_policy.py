"""A licence's state on a given day, its days left, and what it entitles a seat holder to."""

from datetime import date

import pytest

from qtp.licensing import policy
from qtp.licensing.models import License, LicenseState


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


def test_a_download_needs_a_seat_an_active_licence_the_product_and_the_language():
    today = date(2026, 6, 1)
    assert policy.entitles(licence(), True, "six_month", "es", today)
    assert not policy.entitles(licence(), False, "six_month", "es", today)  # no seat
    assert not policy.entitles(licence(), True, "one_day", "es", today)  # another product
    assert not policy.entitles(licence(), True, "six_month", "pt_BR", today)  # a language not licensed
    assert not policy.entitles(licence(status="suspended"), True, "six_month", "es", today)
    assert not policy.entitles(licence(), True, "six_month", "es", date(2027, 1, 1))  # expired
