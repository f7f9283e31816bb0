"""Measures of the `real_team` (tests/integration/worksheets/conftest.py) with data points."""

from __future__ import annotations

from datetime import date

import pytest

from qtp.measurement.models import ChartSetting, DataPoint
from qtp.worksheets.models import Worksheet
from tests.helpers import login, post_form
from tests.integration.worksheets import conftest as worksheet_fixtures

real_courses = worksheet_fixtures.real_courses
real_worksheet_types = worksheet_fixtures.real_worksheet_types
real_team = worksheet_fixtures.real_team


def month(index: int, start: date = date(2025, 1, 1)) -> date:
    """The first of the month, `index` months after `start`."""
    total = start.year * 12 + start.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def add_record(session, team, slug: str, record_no: int, data: dict, status: str = "draft") -> Worksheet:
    wtype = team.types[slug]
    record = Worksheet(team_id=team.id, type_id=wtype.id, type=wtype, record_no=record_no, data=data, status=status)
    session.add(record)
    session.commit()
    return record


def add_points(session, measure: Worksheet, values, *, denominators=None, start: date = date(2025, 1, 1)):
    points = []
    for i, v in enumerate(values):
        if denominators is not None:
            point = DataPoint(
                measure_id=measure.id,
                period=month(i, start),
                numerator=v,
                denominator=denominators[i],
                value=v / denominators[i],
            )
        else:
            point = DataPoint(measure_id=measure.id, period=month(i, start), value=v)
        points.append(point)
    session.add_all(points)
    session.commit()
    return points


def set_chart(session, measure: Worksheet, chart: str, baseline: int | None = None) -> None:
    session.add(ChartSetting(measure_id=measure.id, chart=chart, baseline_points=baseline))
    session.commit()


PROPORTION = {
    "name": "Symptom calls answered within 2 hours",
    "type": "outcome",
    "numerator": "Calls answered within 2 hours",
    "denominator": "All symptom calls",
    "scale": "proportion",
    "unit": "%",
    "direction": "increase",
    "baseline": 48,
    "target": 75,
}
CONTINUOUS = {
    "name": "Minutes from triage to antibiotics",
    "type": "process",
    "numerator": "Minutes",
    "denominator": "Each febrile neutropenia patient",
    "scale": "continuous",
    "unit": "minutes",
    "direction": "decrease",
    "target": 60,
}
COUNT = {"name": "Falls on the ward", "type": "balancing", "scale": "count", "unit": "falls"}


@pytest.fixture
def measures(session, real_team):
    """Three measures: 1 proportion, 2 continuous, 3 count (none with data)."""
    return {
        "proportion": add_record(session, real_team, "measures", 1, PROPORTION),
        "continuous": add_record(session, real_team, "measures", 2, CONTINUOUS),
        "count": add_record(session, real_team, "measures", 3, COUNT),
    }


@pytest.fixture
def as_user(app):
    def sign_in(team, who: str):
        client = app.test_client()
        assert login(client, team.people[who].email).status_code == 302
        return client

    return sign_in


def measure_path(team, record_no: int, suffix: str = "") -> str:
    return f"/teams/{team.id}/measures/{record_no}{suffix}"


def post(client, team, record_no: int, suffix: str, data: dict, **kwargs):
    """POST to a measure's endpoint with a CSRF token read from the measures index (every reader has one)."""
    return post_form(
        client, measure_path(team, record_no, suffix), data, token_from=f"/teams/{team.id}/measures", **kwargs
    )
