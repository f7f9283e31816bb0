"""Who may review a team's submitted worksheets (pure: everything comes in as arguments)."""

from __future__ import annotations

from qtp.worksheets.policy import TeamAccess


def can_review(access: TeamAccess) -> bool:
    """The team's improvement coach and the faculty or coaches assigned to its cohort; never a member of the
    team itself (nobody grades their own work), and not an admin merely for being one."""
    return access.team_role is None and (access.is_coach or access.is_staff)


def is_waiting(status: str) -> bool:
    """A worksheet waits for a decision while it is submitted."""
    return status == "submitted"


def decision_is_open(status: str, base_version: int, version: int) -> bool:
    """A decision taken on the page of version `base_version` still applies: nobody decided since, and the
    team has not submitted a newer version."""
    return is_waiting(status) and base_version == version
