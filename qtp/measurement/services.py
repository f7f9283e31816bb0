"""Data points and chart settings of a measure: add, change, delete, flag, import, configure.

Every function takes the acting user, re-checks that they may enter data for the team (leader, core and
extended members; also while the measure's definition worksheet is under review), applies the rules of
`rules.py`, flushes and never commits. Refusals are ServiceError (translated, with the form field).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.cohorts.models import Team
from qtp.core import audit, jobs
from qtp.core.db import utcnow
from qtp.core.service import PermissionDenied, ServiceError, flush_or_refuse
from qtp.measurement import queries
from qtp.measurement.charting import chart_choices, measure_info
from qtp.measurement.csv_import import parse_csv
from qtp.measurement.describe_anhoej import RULE_SETS
from qtp.measurement.models import ChartSetting, DataPoint
from qtp.measurement.rules import Entry, check_entry, normalized
from qtp.worksheets.models import Worksheet
from qtp.worksheets.policy import can_edit
from qtp.worksheets.queries import team_access

# A file of more rows than this is inserted by a job: 1000 rows take some 0.07 s on SQLite but 0.23 s on
# PostgreSQL (bench/measure_import.py), more than a request should wait once Redis (and so PostgreSQL) is used.
QUEUE_ROWS = 200
IMPORT_JOB = "qtp.measurement.jobs:insert"


class InvalidPoint(ServiceError):
    """The entry breaks one or more rules; `problems` holds every (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


def ensure_can_enter_data(session: Session, actor: User, team: Team, measure: Worksheet) -> None:
    """Members who edit the team's worksheets enter data, whatever the state of the measure's worksheet."""
    if measure.team_id != team.id or measure.type.slug != queries.MEASURES:
        raise PermissionDenied("measurement:data")
    if not can_edit(team_access(session, actor, team), True):
        raise PermissionDenied("measurement:data")


def _duplicate_message(period: date) -> str:
    return _("There is already a data point for this period (%(period)s).", period=format_date(period))


def _checked(session: Session, measure: Worksheet, entry: Entry, today: date, point_id: int | None = None) -> Entry:
    scale = measure_info(measure).scale
    problems = check_entry(scale, entry, today)
    if entry.period is not None and not any(field == "period" for field, _message in problems):
        other = queries.find_point_for_period(session, measure.id, entry.period)
        if other is not None and other.id != point_id:
            problems.insert(0, ("period", _duplicate_message(entry.period)))
    if problems:
        raise InvalidPoint(problems)
    return normalized(scale, entry)


def _summary(measure: Worksheet, point: DataPoint) -> str:
    return f"measure #{measure.record_no} {point.period.isoformat()}"


def _values(point: DataPoint) -> dict[str, object]:
    return {
        "period": point.period.isoformat(),
        "numerator": point.numerator,
        "denominator": point.denominator,
        "value": point.value,
        "note": point.note,
        "is_astronomical": point.is_astronomical,
    }


def add_point(session: Session, actor: User, team: Team, measure: Worksheet, entry: Entry, *, today: date) -> DataPoint:
    ensure_can_enter_data(session, actor, team, measure)
    stored = _checked(session, measure, entry, today)
    point = DataPoint(
        measure_id=measure.id,
        period=stored.period,
        numerator=stored.numerator,
        denominator=stored.denominator,
        value=stored.value,
        note=stored.note,
        is_astronomical=False,
        created_by_id=actor.id,
    )
    session.add(point)
    flush_or_refuse(session, _duplicate_message(stored.period), field="period")  # type: ignore[arg-type]
    audit.record(session, actor, "measure.point_added", point, summary=_summary(measure, point))
    return point


def update_point(
    session: Session, actor: User, team: Team, measure: Worksheet, point: DataPoint, entry: Entry, *, today: date
) -> DataPoint:
    ensure_can_enter_data(session, actor, team, measure)
    if point.measure_id != measure.id:
        raise PermissionDenied("measurement:data")
    stored = _checked(session, measure, entry, today, point_id=point.id)
    before = _values(point)
    point.period = stored.period  # type: ignore[assignment]
    point.numerator, point.denominator, point.value = stored.numerator, stored.denominator, stored.value
    point.note = stored.note
    flush_or_refuse(session, _duplicate_message(stored.period), field="period")  # type: ignore[arg-type]
    changes = audit.changes(before, _values(point))
    if changes:
        audit.record(session, actor, "measure.point_changed", point, summary=_summary(measure, point), details=changes)
    return point


def set_astronomical(
    session: Session, actor: User, team: Team, measure: Worksheet, point: DataPoint, flagged: bool
) -> DataPoint:
    """Rule 4 is a judgement: the team flags (or unflags) a point as obviously different from the rest."""
    ensure_can_enter_data(session, actor, team, measure)
    if point.measure_id != measure.id:
        raise PermissionDenied("measurement:data")
    if point.is_astronomical != flagged:
        point.is_astronomical = flagged
        session.flush()
        action = "measure.point_flagged" if flagged else "measure.point_unflagged"
        audit.record(session, actor, action, point, summary=_summary(measure, point))
    return point


def delete_point(session: Session, actor: User, team: Team, measure: Worksheet, point: DataPoint) -> None:
    ensure_can_enter_data(session, actor, team, measure)
    if point.measure_id != measure.id:
        raise PermissionDenied("measurement:data")
    audit.record(
        session, actor, "measure.point_deleted", point, summary=_summary(measure, point), details=_values(point)
    )
    session.delete(point)
    session.flush()


@dataclass(frozen=True)
class ImportOutcome:
    count: int  # the file's data points
    queued: bool  # True: they are inserted by a job on the queue, in a moment


def import_points(
    session: Session, actor: User, team: Team, measure: Worksheet, data: bytes, *, today: date
) -> ImportOutcome:
    """Every row of the CSV file, or nothing: a file with any bad row raises ImportRefused (a ServiceError)
    listing every problem, and nothing is added. The file is checked here, whole; a file of more than
    QUEUE_ROWS rows is then inserted by a job (at once inline, on the queue when Redis is configured)."""
    ensure_can_enter_data(session, actor, team, measure)
    scale = measure_info(measure).scale
    rows = parse_csv(data, scale, today=today, existing=queries.list_periods(session, measure.id))
    plain = [_plain(normalized(scale, row.entry)) for row in rows]
    if len(plain) > QUEUE_ROWS:
        queued = jobs.queue_in_use()
        jobs.enqueue(session, IMPORT_JOB, measure.id, actor.id, plain)
        return ImportOutcome(len(plain), queued)
    insert_points(session, actor, measure, plain)
    return ImportOutcome(len(plain), False)


PlainPoint = tuple[
    str, float | None, float | None, float | None, str
]  # period (ISO), numerator, denominator, value, note


def _plain(entry: Entry) -> PlainPoint:
    return (entry.period.isoformat(), entry.numerator, entry.denominator, entry.value, entry.note)  # type: ignore[union-attr]


def insert_points(
    session: Session, actor: User, measure: Worksheet, plain: list[PlainPoint], *, skip_existing: bool = False
) -> list[DataPoint]:
    """Add checked points (as `import_points` prepared them) and audit the import. `skip_existing` leaves out
    periods that have a point already (a job run again, or a point entered by hand meanwhile)."""
    if skip_existing:
        existing = {day.isoformat() for day in queries.list_periods(session, measure.id)}
        plain = [point for point in plain if point[0] not in existing]
    points = [
        DataPoint(
            measure_id=measure.id,
            period=date.fromisoformat(period),
            numerator=numerator,
            denominator=denominator,
            value=value,
            note=note,
            is_astronomical=False,
            created_by_id=actor.id,
        )
        for period, numerator, denominator, value, note in plain
    ]
    if not points:
        return points
    session.add_all(points)
    flush_or_refuse(session, _("Some of these periods were added by someone else meanwhile. Please try again."))
    audit.record(
        session,
        actor,
        "measure.points_imported",
        measure,
        summary=f"measure #{measure.record_no}: {len(points)} points",
        details={
            "count": len(points),
            "first": min(p.period for p in points).isoformat(),
            "last": max(p.period for p in points).isoformat(),
        },
    )
    return points


def save_chart_setting(
    session: Session,
    actor: User,
    team: Team,
    measure: Worksheet,
    chart: str,
    baseline_points: int | None,
    rules: str = "ihi",
) -> ChartSetting:
    """The chart type (run, or a control chart that fits the scale), the median's baseline: none, or the
    first N points (1 <= N <= the number of points), and the run-chart rules (IHI or Anhøj)."""
    ensure_can_enter_data(session, actor, team, measure)
    if chart not in chart_choices(measure_info(measure).scale):
        raise ServiceError(_("Choose one of the charts offered for this measure."), field="chart")
    if rules not in RULE_SETS:
        raise ServiceError(_("Choose the IHI rules or the Anhøj rules."), field="rules")
    if baseline_points is not None:
        count = queries.count_points(session, measure.id)
        if not 1 <= baseline_points <= count:
            raise ServiceError(
                _(
                    "The baseline must be between 1 and the number of data points (%(count)s), or empty.",
                    count=count,
                ),
                field="baseline_points",
            )
    setting = queries.find_setting(session, measure.id)
    if setting is None:
        setting = ChartSetting(measure_id=measure.id)
        session.add(setting)
        before = {}
    else:
        before = {"chart": setting.chart, "baseline_points": setting.baseline_points, "rules": setting.rules}
    setting.chart, setting.baseline_points, setting.rules, setting.updated_at = chart, baseline_points, rules, utcnow()
    session.flush()
    changes = audit.changes(before, {"chart": chart, "baseline_points": baseline_points, "rules": rules})
    if changes:
        audit.record(
            session,
            actor,
            "measure.chart_configured",
            measure,
            summary=f"measure #{measure.record_no}: {chart}, {rules} rules",
            details=changes,
        )
    return setting
