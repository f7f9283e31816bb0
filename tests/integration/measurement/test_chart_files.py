"""A measure's chart downloads as SVG and PNG, for whoever may see the measure; nothing for anyone else."""

import xml.etree.ElementTree as ET

from qtp.measurement.models import ChartSetting
from tests.integration.measurement.conftest import add_points, measure_path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_the_chart_downloads_as_svg_and_png(session, real_team, measures, as_user):
    add_points(session, measures["proportion"], [4, 5, 4, 6, 5, 7], denominators=[10] * 6)
    client = as_user(real_team, "leader")
    page = client.get(measure_path(real_team, 1)).get_data(as_text=True)
    assert f'href="{measure_path(real_team, 1)}/chart.svg"' in page
    assert f'href="{measure_path(real_team, 1)}/chart.png"' in page

    svg = client.get(measure_path(real_team, 1) + "/chart.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    disposition = svg.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="Symptom-calls-answered-within-2-hours-run-chart.svg"'
    root = ET.fromstring(svg.get_data())  # noqa: S314 (our own output)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Symptom calls answered within 2 hours: Run chart"

    png = client.get(measure_path(real_team, 1) + "/chart.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    body = png.get_data()
    assert body.startswith(PNG_MAGIC)
    width = int.from_bytes(body[16:20], "big")
    assert width == 1600
    assert png.headers["Content-Disposition"].endswith('-run-chart.png"')


def test_a_control_chart_downloads_as_drawn_with_its_target(session, real_team, measures, as_user):
    add_points(session, measures["continuous"], [70, 72, 69, 75, 71, 68, 74, 70])
    session.add(ChartSetting(measure_id=measures["continuous"].id, chart="xmr"))
    session.commit()
    svg = as_user(real_team, "sponsor").get(measure_path(real_team, 2) + "/chart.svg").get_data(as_text=True)
    assert 'class="target"' in svg and "Target 60" in svg and 'class="upper-limit"' in svg


def test_no_chart_no_download_and_outsiders_get_404(session, real_team, measures, as_user):
    add_points(session, measures["count"], [3])
    leader = as_user(real_team, "leader")
    assert leader.get(measure_path(real_team, 3) + "/chart.svg").status_code == 404  # one point: no chart
    add_points(session, measures["proportion"], [4, 5, 4], denominators=[10] * 3)
    outsider = as_user(real_team, "outsider")
    for suffix in ("/chart.svg", "/chart.png"):
        assert outsider.get(measure_path(real_team, 1) + suffix).status_code == 404
