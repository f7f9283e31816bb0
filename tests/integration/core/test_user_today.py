"""Today is the signed-in user's own date, computed afresh: never one process-wide date frozen at start-up."""

from datetime import timedelta

from flask_login import login_user

from qtp.core.i18n import user_today
from tests.factories import make_user


def test_two_users_far_apart_get_their_own_dates_in_one_process(app, session):
    east = make_user(session, "kiritimati@test.example.org", roles=["participant"])
    west = make_user(session, "pago@test.example.org", roles=["participant"])
    east.timezone, west.timezone = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11
    session.commit()
    days = {}
    for user in (west, east, west):
        with app.test_request_context():
            login_user(user)
            days.setdefault(user.timezone, []).append(user_today())
    # 25 hours apart: whatever the time of day, the two zones never share a date
    assert days["Pacific/Kiritimati"][0] - days["Pacific/Pago_Pago"][0] >= timedelta(days=1)
    assert days["Pacific/Kiritimati"][0] - days["Pacific/Pago_Pago"][1] >= timedelta(days=1)
