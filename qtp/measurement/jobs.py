"""Data points of a large CSV file, inserted by a job (qtp.core.jobs) once the request has checked the file.

The request refuses a file with any bad row and lists every problem; what reaches the job is the file's
checked points as plain values. The job re-checks that the actor may still enter data for the measure, and
leaves out periods that have a point already, so that a job run twice adds each point once.
"""

from __future__ import annotations

from qtp.accounts.models import User
from qtp.core.service import PermissionDenied
from qtp.extensions import db
from qtp.measurement.services import PlainPoint, ensure_can_enter_data, insert_points
from qtp.worksheets.models import Worksheet


def insert(measure_id: int, actor_id: int, plain: list[PlainPoint]) -> int:
    """Insert the points; returns how many were added (fewer when some periods already had one)."""
    session = db.session
    measure, actor = session.get(Worksheet, measure_id), session.get(User, actor_id)
    if measure is None or actor is None:
        raise PermissionDenied("measurement:data")  # the measure or the account was deleted meanwhile
    ensure_can_enter_data(session, actor, measure.team, measure)
    return len(insert_points(session, actor, measure, plain, skip_existing=True))
