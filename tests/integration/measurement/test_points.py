"""Data points through the pages: every rule, good and bad input, 400 with per-field messages and nothing written."""

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from qtp.core.audit import AuditEvent
from qtp.measurement.models import ChartSetting, DataPoint
from tests.helpers import text_of
from tests.integration.measurement.conftest import add_points, measure_path, post


def error_of(response, field: str) -> str:
    match = re.search(rf'id="{field}-error">([^<]*)<', text_of(response))
    return html.unescape(match.group(1)) if match else ""


def points_of(session, measure):
    session.expire_all()
    return session.query(DataPoint).filter_by(measure_id=measure.id).order_by(DataPoint.period).all()


def test_leader_adds_a_proportion_point(session, real_team, measures, as_user):
    client = as_user(real_team, "leader")
    data = {"period": "2026-03-01", "numerator": "12", "denominator": "40", "note": " new script ", "value": "99"}
    response = post(client, real_team, 1, "/points", data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(measure_path(real_team, 1) + "#data")
    [point] = points_of(session, measures["proportion"])
    assert (point.period, point.numerator, point.denominator, point.value) == (date(2026, 3, 1), 12, 40, 0.3)
    assert point.note == "new script" and point.created_by_id == real_team.people["leader"].id
    assert session.query(AuditEvent).filter_by(action="measure.point_added").count() == 1
    page = client.get(response.headers["Location"])
    assert "Data point added for Mar 2026." in text_of(page)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"numerator": "41", "denominator": "40"}, "numerator", "cannot be greater than the denominator"),
        ({"numerator": "1", "denominator": "0"}, "denominator", "greater than 0"),
        ({"numerator": "", "denominator": "40"}, "numerator", "Enter the numerator."),
        ({"numerator": "12", "denominator": ""}, "denominator", "Enter the denominator."),
        ({"numerator": "-1", "denominator": "40"}, "numerator", "cannot be negative"),
        ({"numerator": "abc", "denominator": "40"}, "numerator", "Enter a number"),
        ({"numerator": "nan", "denominator": "40"}, "numerator", "Enter a number"),
        ({"numerator": "1e400", "denominator": "40"}, "numerator", "Enter a number"),
        ({"numerator": "1", "denominator": "1" + "0" * 15}, "denominator", "too large"),
        ({"period": "", "numerator": "1", "denominator": "2"}, "period", "Enter the period"),
        ({"period": "31/02/2026", "numerator": "1", "denominator": "2"}, "period", "date"),
        ({"numerator": "1", "denominator": "2", "note": "x" * 501}, "note", "at most 500 characters"),
    ],
)
def test_bad_proportion_points_are_refused_with_a_message_on_the_field(
    session, real_team, measures, as_user, data, field, message
):
    client = as_user(real_team, "core")
    response = post(client, real_team, 1, "/points", {"period": "2026-03-01", **data})
    assert response.status_code == 400
    assert message in error_of(response, field)
    assert 'aria-invalid="true"' in text_of(response)
    assert points_of(session, measures["proportion"]) == []


def test_every_field_problem_is_shown_at_once(session, real_team, measures, as_user):
    client = as_user(real_team, "leader")
    response = post(client, real_team, 1, "/points", {"period": "", "numerator": "x", "denominator": "0"})
    assert response.status_code == 400
    assert error_of(response, "period") and error_of(response, "numerator") and error_of(response, "denominator")


def test_period_more_than_a_year_ahead_is_refused(session, real_team, measures, as_user):
    client = as_user(real_team, "leader")
    far = (datetime.now(UTC).date() + timedelta(days=400)).isoformat()
    response = post(client, real_team, 2, "/points", {"period": far, "value": "30"})
    assert response.status_code == 400
    assert "more than one year ahead" in error_of(response, "period")
    near = (datetime.now(UTC).date() + timedelta(days=300)).isoformat()
    assert post(client, real_team, 2, "/points", {"period": near, "value": "30"}).status_code == 303


def test_one_point_per_period(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], [40])
    client = as_user(real_team, "leader")
    response = post(client, real_team, 2, "/points", {"period": "2025-01-01", "value": "35"})
    assert response.status_code == 400
    assert "There is already a data point for this period (Jan 1, 2025)." in error_of(response, "period")
    assert [p.value for p in points_of(session, measures["continuous"])] == [40]


def test_rate_count_and_continuous_rules(session, real_team, measures, as_user):
    rate = measures["count"]
    rate.data = {**rate.data, "scale": "rate"}
    session.commit()
    client = as_user(real_team, "leader")
    assert (
        post(
            client, real_team, 3, "/points", {"period": "2026-01-01", "numerator": "5", "denominator": "0"}
        ).status_code
        == 400
    )
    assert (
        post(
            client, real_team, 3, "/points", {"period": "2026-01-01", "numerator": "12", "denominator": "4"}
        ).status_code
        == 303
    )
    assert points_of(session, rate)[0].value == 3.0
    rate.data = {**rate.data, "scale": "count"}
    session.commit()
    response = post(client, real_team, 3, "/points", {"period": "2026-02-01", "value": "-1"})
    assert response.status_code == 400 and "A count cannot be negative." in error_of(response, "value")
    response = post(client, real_team, 3, "/points", {"period": "2026-02-01", "numerator": "3"})
    assert response.status_code == 400 and "Enter the value." in error_of(response, "value")
    assert post(client, real_team, 3, "/points", {"period": "2026-02-01", "value": "2"}).status_code == 303
    assert post(client, real_team, 2, "/points", {"period": "2026-02-01", "value": "-4.5"}).status_code == 303
    count_point = points_of(session, rate)[-1]
    assert (count_point.numerator, count_point.denominator, count_point.value) == (None, None, 2.0)


def test_decimal_comma_in_spanish(session, real_team, measures, as_user):
    leader = real_team.people["leader"]
    leader.locale = "es"
    session.commit()
    client = as_user(real_team, "leader")
    assert post(client, real_team, 2, "/points", {"period": "2026-01-01", "value": "12,5"}).status_code == 303
    assert points_of(session, measures["continuous"])[0].value == 12.5


def test_data_entry_continues_while_the_definition_is_under_review(session, real_team, measures, as_user):
    measures["proportion"].status = "submitted"
    session.commit()
    client = as_user(real_team, "core")
    response = post(client, real_team, 1, "/points", {"period": "2026-01-01", "numerator": "1", "denominator": "2"})
    assert response.status_code == 303


def test_mass_assignment_changes_nothing_else(session, real_team, measures, as_user):
    client = as_user(real_team, "leader")
    other = measures["continuous"]
    data = {"period": "2026-01-01", "value": "5", "measure_id": other.id, "created_by_id": 999, "is_astronomical": "1"}
    assert post(client, real_team, 3, "/points", data).status_code == 303
    [point] = points_of(session, measures["count"])
    assert point.is_astronomical is False and point.created_by_id == real_team.people["leader"].id
    assert points_of(session, other) == []


def test_edit_a_point(session, real_team, measures, as_user):
    first, second = add_points(session, measures["proportion"], [4, 5], denominators=[10, 10])
    client = as_user(real_team, "leader")
    page = client.get(measure_path(real_team, 1) + f"?edit={second.id}")
    assert 'id="edit-point"' in text_of(page) and 'value="2025-02-01"' in text_of(page)
    suffix = f"/points/{second.id}"
    response = post(client, real_team, 1, suffix, {"period": "2025-01-01", "numerator": "6", "denominator": "10"})
    assert response.status_code == 400 and "already a data point" in error_of(response, "period")
    assert 'id="edit-point"' in text_of(response) and 'id="add-point"' not in text_of(response)
    response = post(client, real_team, 1, suffix, {"period": "2025-02-01", "numerator": "11", "denominator": "10"})
    assert response.status_code == 400 and "greater than the denominator" in error_of(response, "numerator")
    response = post(client, real_team, 1, suffix, {"period": "2025-03-01", "numerator": "6", "denominator": "12"})
    assert response.status_code == 303
    stored = points_of(session, measures["proportion"])
    assert [(p.period, p.numerator, p.denominator, p.value) for p in stored] == [
        (date(2025, 1, 1), 4, 10, 0.4),
        (date(2025, 3, 1), 6, 12, 0.5),
    ]
    event = session.query(AuditEvent).filter_by(action="measure.point_changed").one()
    assert event.details["period"] == {"from": "2025-02-01", "to": "2025-03-01"}
    same = post(client, real_team, 1, suffix, {"period": "2025-03-01", "numerator": "7", "denominator": "12"})
    assert same.status_code == 303


def test_flag_and_delete_a_point(session, real_team, measures, as_user):
    points = add_points(session, measures["continuous"], [40, 42, 90, 41])
    client = as_user(real_team, "leader")
    response = post(client, real_team, 2, f"/points/{points[2].id}", {"is_astronomical": "1"})
    assert response.status_code == 303
    assert points_of(session, measures["continuous"])[2].is_astronomical is True
    page = text_of(client.get(measure_path(real_team, 2)))
    assert "Astronomical point flagged by the team: point 3 (Mar 2025)." in page
    assert post(client, real_team, 2, f"/points/{points[2].id}", {"is_astronomical": "0"}).status_code == 303
    assert points_of(session, measures["continuous"])[2].is_astronomical is False
    assert post(client, real_team, 2, f"/points/{points[0].id}/delete", {}).status_code == 303
    assert [p.value for p in points_of(session, measures["continuous"])] == [42, 90, 41]
    assert session.query(AuditEvent).filter_by(action="measure.point_deleted").count() == 1


def test_chart_settings(session, real_team, measures, as_user):
    add_points(session, measures["proportion"], [4, 5, 6], denominators=[10, 10, 10])
    client = as_user(real_team, "leader")
    bad = post(client, real_team, 1, "/settings", {"chart": "c", "baseline_points": ""})
    assert bad.status_code == 400 and "Choose one of the charts" in error_of(bad, "chart")
    for baseline, message in (("0", "at least 1"), ("4", "between 1 and the number of data points (3)"), ("x", "")):
        response = post(client, real_team, 1, "/settings", {"chart": "run", "baseline_points": baseline})
        assert response.status_code == 400 and message in error_of(response, "baseline_points")
    assert session.query(ChartSetting).count() == 0
    assert post(client, real_team, 1, "/settings", {"chart": "p", "baseline_points": "3"}).status_code == 303
    setting = session.get(ChartSetting, measures["proportion"].id)
    assert (setting.chart, setting.baseline_points) == ("p", 3)
    assert post(client, real_team, 1, "/settings", {"chart": "run", "baseline_points": ""}).status_code == 303
    session.expire_all()
    setting = session.get(ChartSetting, measures["proportion"].id)
    assert (setting.chart, setting.baseline_points) == ("run", None)
    assert session.query(AuditEvent).filter_by(action="measure.chart_configured").count() == 2
