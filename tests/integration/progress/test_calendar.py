"""The cohort's calendar in a participant's own calendar app: the .ics download and the private subscription."""

import re
from urllib.parse import urlsplit

from icalendar import Calendar

from qtp.cohorts.models import Membership
from tests.helpers import login, text_of
from tests.integration.progress.test_learning import base, signed_in


def _events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_the_overview_offers_the_calendar_and_the_file_holds_every_date(app, session, cohort, participant):
    client = signed_in(app)
    page = text_of(client.get(base(cohort)))
    assert f'href="{base(cohort)}/calendar.ics"' in page and 'href="webcal://' in page
    response = client.get(f"{base(cohort)}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    events = _events(response.data)
    summaries = [str(e["summary"]) for e in events]
    assert any(s.startswith("Learning session 1") for s in summaries)
    assert any(s.startswith("Coaching call") for s in summaries)
    assert len({str(e["uid"]) for e in events}) == len(events)  # stable, unique ids: a re-import updates
    for event in events:  # all-day events, ending the day after they end
        assert event.decoded("dtend") > event.decoded("dtstart")


def test_the_private_link_works_without_signing_in_and_only_for_a_member(app, session, cohort, participant):
    page = text_of(signed_in(app).get(base(cohort)))
    feed = re.search(r'id="calendar-feed" type="text" readonly value="([^"]+)"', page).group(1)
    path = urlsplit(feed).path
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and _events(response.data)
    assert anonymous.get(path.replace(".ics", "x.ics")).status_code == 404  # a forged token
    assert anonymous.get("/calendar/WzEsIDFd.ics").status_code == 404  # an unsigned one
    # leaving the cohort ends the subscription
    session.query(Membership).filter_by(user_id=participant.id).delete()
    session.commit()
    assert anonymous.get(path).status_code == 404


def test_the_feed_speaks_the_member_s_language(app, session, cohort, participant):
    participant.locale = "es"
    session.commit()
    page = text_of(signed_in(app).get(base(cohort)))
    feed = re.search(r'id="calendar-feed" type="text" readonly value="([^"]+)"', page).group(1)
    path = urlsplit(feed).path
    summaries = [str(e["summary"]) for e in _events(app.test_client().get(path).data)]
    assert any("[es]" in s or s.startswith("Llamada") for s in summaries), summaries


def test_staff_outside_the_cohort_get_no_file(app, session, cohort):
    from tests.factories import make_user

    make_user(session, "f@test.example.org", roles=["faculty"])
    client = app.test_client()
    login(client, "f@test.example.org")
    assert client.get(f"{base(cohort)}/calendar.ics").status_code == 403
