"""Who may see, edit and submit a team's worksheets (pure: everything comes in as arguments)."""

from __future__ import annotations

from dataclasses import dataclass

EDITING_ROLES = ("leader", "core", "extended")


@dataclass(frozen=True)
class TeamAccess:
    team_role: str | None  # leader | core | extended | sponsor | None
    is_coach: bool = False  # the team's improvement coach
    is_staff: bool = False  # faculty or coach of the team's cohort
    is_admin: bool = False


def can_view(access: TeamAccess) -> bool:
    """Members (the sponsor too), the coach, the cohort's faculty and admins; nobody else."""
    return access.team_role is not None or access.is_coach or access.is_staff or access.is_admin


def can_edit(access: TeamAccess, is_editable: bool) -> bool:
    """Leader, core and extended members, while the worksheet is a draft or returned."""
    return access.team_role in EDITING_ROLES and is_editable


def can_submit(access: TeamAccess, is_editable: bool) -> bool:
    return access.team_role == "leader" and is_editable
