"""Read models for the measures pages and the PDF export: measures, their points, settings and charts.

Every query takes the team id and filters on it, so that nothing of another team is ever read by mistake.
A page reads a fixed number of statements whatever the number of points.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qtp.measurement.charting import Chart, MeasureInfo, build_chart, measure_info
from qtp.measurement.models import ChartSetting, DataPoint
from qtp.worksheets.models import Worksheet
from qtp.worksheets.queries import find_record, list_records

MEASURES = "measures"
PDSA = "pdsa"


def list_measures(session: Session, team_id: int) -> list[Worksheet]:
    return list_records(session, team_id, MEASURES)


def find_measure(session: Session, team_id: int, record_no: int) -> Worksheet | None:
    """The team's measure record `record_no`, or None (also for another team's)."""
    return find_record(session, team_id, MEASURES, record_no)


def list_pdsa_cycles(session: Session, team_id: int) -> list[Worksheet]:
    return list_records(session, team_id, PDSA)


def list_points(session: Session, measure_id: int) -> list[DataPoint]:
    return list(session.scalars(select(DataPoint).where(DataPoint.measure_id == measure_id).order_by(DataPoint.period)))


def find_point(session: Session, measure_id: int, point_id: int) -> DataPoint | None:
    """A point of this measure, or None (also for a point of another measure or team)."""
    return session.scalar(select(DataPoint).where(DataPoint.id == point_id, DataPoint.measure_id == measure_id))


def find_point_for_period(session: Session, measure_id: int, period: date) -> DataPoint | None:
    return session.scalar(select(DataPoint).where(DataPoint.measure_id == measure_id, DataPoint.period == period))


def list_periods(session: Session, measure_id: int) -> set[date]:
    return set(session.scalars(select(DataPoint.period).where(DataPoint.measure_id == measure_id)))


def count_points(session: Session, measure_id: int) -> int:
    return session.scalar(select(func.count()).select_from(DataPoint).where(DataPoint.measure_id == measure_id)) or 0


def find_setting(session: Session, measure_id: int) -> ChartSetting | None:
    return session.get(ChartSetting, measure_id)


def _points_by_measure(session: Session, measure_ids: list[int]) -> dict[int, list[DataPoint]]:
    found: dict[int, list[DataPoint]] = defaultdict(list)
    if measure_ids:
        for point in session.scalars(
            select(DataPoint).where(DataPoint.measure_id.in_(measure_ids)).order_by(DataPoint.period)
        ):
            found[point.measure_id].append(point)
    return found


def _settings_by_measure(session: Session, measure_ids: list[int]) -> dict[int, ChartSetting]:
    if not measure_ids:
        return {}
    return {
        s.measure_id: s for s in session.scalars(select(ChartSetting).where(ChartSetting.measure_id.in_(measure_ids)))
    }


def measure_chart(
    info: MeasureInfo,
    points: list[DataPoint],
    setting: ChartSetting | None,
    pdsa_records: list[Worksheet],
    *,
    with_svg: bool = True,
) -> Chart:
    return build_chart(
        info,
        points,
        chart=setting.chart if setting else "run",
        baseline=setting.baseline_points if setting else None,
        rules=setting.rules if setting else "ihi",
        pdsa_records=pdsa_records,
        with_svg=with_svg,
    )


@dataclass(frozen=True)
class MeasureChart:
    """One measure's chart for the index, the lead's pages and the PDF export."""

    record_no: int
    name: str
    chart_svg: str  # the SVG of the chart as configured, or "" with fewer than 2 points
    summary: list[str]  # the rules (or the control chart) explained in words, in the current locale
    points: list[tuple[date, float]]  # (period, value as charted), in period order
    kind: str = ""  # the chart drawn: run | p | u | c | xmr, "" when there is none
    scale: str = ""
    unit: str = ""
    has_signal: bool = False
    status: str = "draft"  # of the measure's worksheet
    latest: tuple[date, float] | None = None
    count: int = 0  # data points stored (a point without a value is counted, not charted)
    measure_type: str = ""
    notices: list[str] = field(default_factory=list)


def list_measure_charts(
    session: Session, team_id: int, *, with_svg: bool = True, records: list[Worksheet] | None = None
) -> list[MeasureChart]:
    """Every measure of the team with its chart, in record order. Four statements, whatever the size; two
    when the caller has already read the team's worksheets (`records`, with their types)."""
    if records is None:
        measures = list_measures(session, team_id)
        cycles = list_pdsa_cycles(session, team_id) if measures else []
    else:
        mine = sorted((r for r in records if r.team_id == team_id), key=lambda r: r.record_no)
        measures = [r for r in mine if r.type.slug == "measures"]
        cycles = [r for r in mine if r.type.slug == "pdsa"]
    ids = [m.id for m in measures]
    points = _points_by_measure(session, ids)
    settings = _settings_by_measure(session, ids)
    charts = []
    for measure in measures:
        info = measure_info(measure)
        chart = measure_chart(info, points.get(measure.id, []), settings.get(measure.id), cycles, with_svg=with_svg)
        charts.append(
            MeasureChart(
                record_no=info.record_no,
                name=info.name,
                chart_svg=chart.svg,
                summary=chart.summary,
                points=chart.series,
                kind=chart.kind,
                scale=info.scale,
                unit=info.unit,
                has_signal=chart.has_signal,
                status=measure.status,
                latest=chart.series[-1] if chart.series else None,
                count=len(points.get(measure.id, [])),
                measure_type=info.kind,
                notices=[chart.notice] if chart.notice else [],
            )
        )
    return charts
