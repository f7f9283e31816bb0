"""A team's QI workspace: the twelve tools, editing with revisions, conflicts, history and submission."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from qtp.cohorts.models import Team
from qtp.core.permissions import ensure_visible, require
from qtp.extensions import db
from qtp.worksheets import queries
from qtp.worksheets.policy import TeamAccess

bp = Blueprint("worksheets", __name__, url_prefix="/teams", template_folder="templates")
ACCESS = "worksheets:access"


def load_team(team_id: int) -> tuple[Team, TeamAccess]:
    """The team and the current user's access to it; 404 for anyone who may not see it."""
    found = queries.find_visible_team(db.session, current_user, team_id)
    ensure_visible(found is not None)
    return found  # type: ignore[return-value]


@bp.get("/<int:team_id>/workspace")
@require(ACCESS)
def workspace(team_id: int):
    team, access = load_team(team_id)
    types = queries.list_types(db.session)
    worksheets = queries.list_team_worksheets(db.session, team.id)
    by_type: dict[int, list] = {}
    for worksheet in worksheets:
        by_type.setdefault(worksheet.type_id, []).append(worksheet)
    return render_template("worksheets/workspace.html", team=team, access=access, types=types, by_type=by_type)
