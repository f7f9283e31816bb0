"""Who reads and who writes a team's measures: 404 for other teams (no enumeration), 403 for readers."""

import io

import pytest

from qtp.cohorts.models import Membership
from qtp.measurement.models import ChartSetting, DataPoint
from tests.helpers import post_form
from tests.integration.measurement.conftest import add_points, add_record, measure_path


@pytest.fixture
def data(session, real_team, measures):
    return add_points(session, measures["continuous"], [40, 42, 39])


def snapshot(session):
    session.expire_all()
    points = [(p.id, p.measure_id, p.period, p.value, p.note, p.is_astronomical) for p in session.query(DataPoint)]
    return points, session.query(ChartSetting).count()


def writes(team, point_id):
    """Every POST endpoint of measure 2, with valid input."""
    return [
        ("/points", {"period": "2026-01-01", "value": "5"}),
        (f"/points/{point_id}", {"period": "2025-01-01", "value": "1", "note": "changed"}),
        (f"/points/{point_id}", {"is_astronomical": "1"}),
        (f"/points/{point_id}/delete", {}),
        ("/settings", {"chart": "xmr", "baseline_points": ""}),
        ("/import", {"file": (io.BytesIO(b"period,value\n2026-05,3\n"), "x.csv")}),
    ]


def test_an_outsider_gets_404_everywhere_and_changes_nothing(session, real_team, data, as_user):
    client = as_user(real_team, "outsider")
    assert client.get(f"/teams/{real_team.id}/measures").status_code == 404
    assert client.get(measure_path(real_team, 2)).status_code == 404
    before = snapshot(session)
    own_team_id = session.query(Membership).filter_by(user_id=real_team.people["outsider"].id).one().team_id
    for suffix, payload in writes(real_team, data[0].id):
        assert _post(client, real_team, suffix, payload, own_team_id).status_code == 404, suffix
    assert snapshot(session) == before


def _post(client, team, suffix, payload, token_team_id):
    """POST with a valid CSRF token of this session, read from a page the user may open."""
    kwargs = {"content_type": "multipart/form-data"} if "file" in payload else {}
    return post_form(
        client, measure_path(team, 2, suffix), payload, token_from=f"/teams/{token_team_id}/measures", **kwargs
    )


@pytest.mark.parametrize("who", ["sponsor", "faculty"])
def test_readers_read_but_every_post_is_forbidden(session, real_team, data, as_user, who):
    client = as_user(real_team, who)
    assert client.get(f"/teams/{real_team.id}/measures").status_code == 200
    assert client.get(measure_path(real_team, 2)).status_code == 200
    before = snapshot(session)
    for suffix, payload in writes(real_team, data[0].id):
        assert _post(client, real_team, suffix, payload, real_team.id).status_code == 403, suffix
    assert snapshot(session) == before


def test_a_point_of_another_measure_or_team_is_404(session, real_team, measures, data, as_user):
    other_point = add_points(session, measures["proportion"], [1], denominators=[2])[0]
    other_team_id = session.query(Membership).filter_by(user_id=real_team.people["outsider"].id).one().team_id
    theirs = add_record(session, real_team, "measures", 5, {"name": "Theirs", "scale": "count"})
    theirs.team_id, theirs.record_no = other_team_id, 2
    session.commit()
    their_point = add_points(session, theirs, [7])[0]
    client = as_user(real_team, "leader")
    before = snapshot(session)
    suffixes = [f"/points/{p.id}{end}" for p in (other_point, their_point) for end in ("", "/delete")]
    for suffix in [*suffixes, "/points/999999"]:
        response = _post(client, real_team, suffix, {"period": "2025-01-01", "value": "1"}, real_team.id)
        assert response.status_code == 404, suffix
    assert snapshot(session) == before


def test_another_teams_measure_is_404_for_a_leader(session, real_team, measures, data, as_user):
    outsider = real_team.people["outsider"]
    other_team_id = session.query(Membership).filter_by(user_id=outsider.id).one().team_id
    other = add_record(session, real_team, "measures", 9, {"name": "Theirs", "scale": "count"})
    other.team_id = other_team_id
    session.commit()
    client = as_user(real_team, "leader")
    assert client.get(f"/teams/{other_team_id}/measures/9").status_code == 404
    assert client.get(measure_path(real_team, 9)).status_code == 404  # not a measure of this team
    assert client.get(measure_path(real_team, 99)).status_code == 404


def test_a_pdsa_record_is_not_a_measure(session, real_team, measures, as_user):
    add_record(session, real_team, "pdsa", 7, {"cycle-number": 1.0})
    assert as_user(real_team, "leader").get(measure_path(real_team, 7)).status_code == 404


def test_posts_without_a_csrf_token_change_nothing(session, real_team, data, as_user):
    client = as_user(real_team, "leader")
    before = snapshot(session)
    response = client.post(measure_path(real_team, 2, "/points"), data={"period": "2026-01-01", "value": "5"})
    assert response.status_code == 400
    response = client.post(measure_path(real_team, 2, f"/points/{data[0].id}/delete"), data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert snapshot(session) == before


def test_anonymous_visitors_are_sent_to_sign_in(app, session, real_team, data):
    client = app.test_client()
    assert client.get(measure_path(real_team, 2)).status_code == 302
    assert client.post(measure_path(real_team, 2, "/points"), data={}).status_code in (302, 400)
    assert snapshot(session)[0] and len(snapshot(session)[0]) == 3
