"""Who may review a team's submitted worksheets (pure: everything comes in as arguments)."""

from __future__ import annotations

from qtp.worksheets.policy import TeamAccess


def can_review(access: TeamAccess) -> bool:
    """The team's improvement coach and the faculty or coaches assigned to its cohort; never a member of the
    team itself (nobody grades their own work), and not an admin merely for being one."""
    return access.team_role is None and (access.is_coach or access.is_staff)


def can_decide(access: TeamAccess, status: str) -> bool:
    """A decision is taken on a worksheet waiting for review, by someone who may review it."""
    return can_review(access) and status == "submitted"
