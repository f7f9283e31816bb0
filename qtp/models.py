"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from qtp.accounts.models import Invitation, Organization, User, UserRole
from qtp.catalog.models import Program
from qtp.cohorts.models import Cohort, Membership, StaffAssignment, Team
from qtp.core.audit import AuditEvent

__all__ = [
    "AuditEvent",
    "Cohort",
    "Invitation",
    "Membership",
    "Organization",
    "Program",
    "StaffAssignment",
    "Team",
    "User",
    "UserRole",
]
