"""Account rules as pure functions."""

from __future__ import annotations

from qtp.core.permissions import HasRoles, Role

STAFF_ROLES = frozenset({Role.ADMIN, Role.FACULTY, Role.COACH})


def is_staff(user: HasRoles) -> bool:
    """Admins, faculty and coaches: the roles an admin can oblige to use two-factor sign-in."""
    return bool(user.role_set & STAFF_ROLES)


def two_factor_required(user: HasRoles, required_for_staff: bool) -> bool:
    return required_for_staff and is_staff(user)


def must_set_up_two_factor(user: HasRoles, required_for_staff: bool) -> bool:
    """Signed in, required to use two-factor sign-in, and not using it yet: sent to set it up."""
    return (
        user.is_authenticated
        and not getattr(user, "has_two_factor", False)
        and two_factor_required(user, required_for_staff)
    )
