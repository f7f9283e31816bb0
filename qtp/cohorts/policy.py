"""Who may record attendance and see a cohort's dashboard (pure: everything comes in as arguments)."""

from __future__ import annotations


def can_record_attendance(is_admin: bool, staff_roles: set[str]) -> bool:
    """Admins, and the faculty of the cohort."""
    return is_admin or "faculty" in staff_roles


def can_excuse_absence(is_admin: bool) -> bool:
    """An excused absence counts as attended for a certificate: only admins grant it, with a reason."""
    return is_admin


def can_view_cohort(is_admin: bool, staff_roles: set[str]) -> bool:
    """The cohort's dashboard: admins, and the cohort's faculty and coaches."""
    return is_admin or bool(staff_roles)
