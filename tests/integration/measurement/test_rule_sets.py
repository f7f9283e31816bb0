"""The run-chart rules a team reads its chart by: IHI by default, Anhøj's when chosen, both verdicts side by side."""

import re

from qtp.core.audit import AuditEvent
from qtp.measurement.models import ChartSetting
from tests.helpers import text_of
from tests.integration.measurement.conftest import add_points, measure_path, post

# six low then six high: the median is 5; IHI sees two shifts and too few runs, Anhøj too few crossings
# (a run of 6 is not longer than Anhøj's limit of 7 for 12 useful observations)
VALUES = [1, 2, 1, 2, 1, 2, 8, 9, 8, 9, 8, 9]


def checked(page: str) -> str:
    """The rule set ticked in the chart settings."""
    return re.search(r'<input checked id="rules-\d" name="rules" type="radio" value="(\w+)"', page).group(1)


def marked_points(page: str) -> int:
    """The points drawn as signal squares in the chart's series."""
    return page.split('<g class="series">')[1].split("</g>")[0].count('width="9" height="9"')


def test_ihi_by_default_with_the_anhoej_verdict_beside(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], VALUES)
    page = text_of(as_user(real_team, "core").get(measure_path(real_team, 2)))
    assert "Rules used: IHI rules: shift, trend, number of runs." in page
    assert "Shift: 6 or more points in a row below the median" in page
    assert "Crossings: the line crosses" not in page
    sets = page.split('class="rule-sets"')[1].split("</section>")[0]
    assert sets.count('class="rule-set chosen fired"') == 1 and sets.count('class="rule-set fired"') == 1
    assert "shift, too few runs" in sets and "too few crossings" in sets
    assert marked_points(page) == 12  # both shifts are marked on the chart
    assert checked(page) == "ihi"


def test_a_team_chooses_the_anhoej_rules(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], VALUES)
    client = as_user(real_team, "leader")
    response = post(client, real_team, 2, "/settings", {"chart": "run", "baseline_points": "", "rules": "anhoej"})
    assert response.status_code == 303
    assert session.get(ChartSetting, measures["continuous"].id).rules == "anhoej"
    event = session.query(AuditEvent).filter_by(action="measure.chart_configured").one()
    assert "anhoej" in str(event.details["rules"]) and "anhoej rules" in event.summary
    page = text_of(client.get(measure_path(real_team, 2)))
    assert "Rules used: Anhøj rules: longest run, crossings of the median." in page
    assert "fewer than 3 crossings is a signal of non-random variation" in page
    assert "Longest run: 6 points on one side of the median" in page
    assert "Shift: 6 or more points" not in page  # the IHI sentences give way; their verdict stays beside
    assert checked(page) == "anhoej"
    assert marked_points(page) == 0  # no run is unusually long: nothing is marked as a long run


def test_an_unusually_long_run_is_marked_on_the_chart(session, real_team, measures, as_user):
    long_high = [1, 2, 1, 2, 20, 21, 22, 23, 24, 25, 26, 27, 28, 3, 4, 3]  # median 20.5
    add_points(session, measures["continuous"], long_high)
    client = as_user(real_team, "leader")
    post(client, real_team, 2, "/settings", {"chart": "run", "baseline_points": "", "rules": "anhoej"})
    page = text_of(client.get(measure_path(real_team, 2)))
    assert "Unusually long run: 8 points in a row above the median, points 6–13" in page
    assert ">Unusually long run</text>" in page  # the chart's legend names the marked points
    assert marked_points(page) == 8  # longer than 7, Anhøj's limit for 16 useful observations


def test_an_unknown_rule_set_is_refused_and_nothing_changes(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], VALUES)
    client = as_user(real_team, "leader")
    response = post(client, real_team, 2, "/settings", {"chart": "run", "baseline_points": "", "rules": "magic"})
    assert response.status_code == 400 and "Choose the IHI rules or the Anhøj rules." in text_of(response)
    assert session.query(ChartSetting).count() == 0
