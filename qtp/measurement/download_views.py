"""Downloads of a measure's chart as SVG and PNG (routes on the measurement blueprint).

Readers: whoever may see the measure's page (404 otherwise). The chart is the one the page shows, in the
reader's language, sent as an attachment with a safe ASCII file name.
"""

from __future__ import annotations

from flask import Response

from qtp.core.pdf import attachment_filename
from qtp.core.permissions import ensure_visible, require
from qtp.extensions import db
from qtp.measurement import queries
from qtp.measurement.chart_files import chart_png
from qtp.measurement.charting import measure_info
from qtp.measurement.views import ACCESS, MEASURE, _load, bp


def _chart_svg(team_id: int, record_no: int) -> tuple[str, str]:
    team, _access, measure = _load(team_id, record_no)
    info = measure_info(measure)
    points = queries.list_points(db.session, measure.id)
    setting = queries.find_setting(db.session, measure.id)
    chart = queries.measure_chart(info, points, setting, queries.list_pdsa_cycles(db.session, team.id))
    ensure_visible(bool(chart.svg))  # fewer than two points: there is no chart to download
    return chart.svg, f"{info.name or 'measure'}-{chart.kind}-chart"


def _attachment(body: bytes | str, mimetype: str, stem: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{attachment_filename(stem, extension)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get(MEASURE + "/chart.svg")
@require(ACCESS)
def chart_svg(team_id: int, record_no: int):
    svg, stem = _chart_svg(team_id, record_no)
    return _attachment('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, "image/svg+xml", stem, "svg")


@bp.get(MEASURE + "/chart.png")
@require(ACCESS)
def chart_png_file(team_id: int, record_no: int):
    svg, stem = _chart_svg(team_id, record_no)
    return _attachment(chart_png(svg), "image/png", stem, "png")
