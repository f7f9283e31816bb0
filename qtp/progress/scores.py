"""The IHI progress score of a team: the leader proposes where the project stands, the coach confirms it (or
corrects it). Every proposal and confirmation is kept and audited."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.cohorts.models import Team
from qtp.core import audit
from qtp.core.db import utcnow
from qtp.core.service import PermissionDenied, ServiceError
from qtp.progress.models import PROGRESS_SCORES, ProgressScore
from qtp.worksheets.policy import TeamAccess
from qtp.worksheets.queries import team_access


def can_propose(access: TeamAccess) -> bool:
    return access.team_role == "leader"


def can_confirm(access: TeamAccess) -> bool:
    """The team's coach, or the faculty and coaches of its cohort (never a member of the team)."""
    return access.team_role is None and (access.is_coach or access.is_staff)


def _check_score(score: str, field: str) -> None:
    if score not in PROGRESS_SCORES:
        raise ServiceError(_("Choose a score from the list."), field=field)


def propose_score(session: Session, actor: User, team: Team, score: str, note: str) -> ProgressScore:
    if not can_propose(team_access(session, actor, team)):
        raise PermissionDenied("progress:propose")
    _check_score(score, "score")
    note = (note or "").strip()
    if len(note) > 1000:
        raise ServiceError(_("A note can be at most %(count)s characters long.", count=1000), field="note")
    proposal = ProgressScore(team_id=team.id, proposed_score=score, note=note, proposed_by_id=actor.id)
    session.add(proposal)
    audit.record(session, actor, "progress_score.proposed", team, summary=f"{score} · {team.project_title}")
    return proposal


def confirm_score(session: Session, actor: User, team: Team, proposal: ProgressScore, score: str) -> None:
    if not can_confirm(team_access(session, actor, team)):
        raise PermissionDenied("progress:confirm")
    _check_score(score, "confirmed_score")
    if proposal.team_id != team.id or proposal.is_confirmed:
        raise ServiceError(_("This proposal has already been confirmed. Please reload the page."))
    proposal.confirmed_score, proposal.confirmed_by_id, proposal.confirmed_at = score, actor.id, utcnow()
    audit.record(
        session,
        actor,
        "progress_score.confirmed",
        team,
        summary=f"{score} (proposed {proposal.proposed_score}) · {team.project_title}",
    )
