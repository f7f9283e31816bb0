"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from qtp.accounts.models import Invitation, Organization, User, UserRole
from qtp.catalog.models import Module, ModuleText, Program, WorksheetType
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Attendance, Cohort, CohortEvent, Membership, StaffAssignment, Team, WorksheetDue
from qtp.core import audit_chain  # noqa: F401  (seals audit events into the hash chain at commit)
from qtp.core.audit import AuditChainHead, AuditEvent
from qtp.interest.models import InterestResponse
from qtp.licensing.models import Bundle, Download, License, LicenseSeat
from qtp.measurement.models import ChartSetting, DataPoint
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, ProgressScore, SelfAssessment
from qtp.review.models import Review
from qtp.worksheets.models import Attachment, Worksheet, WorksheetRevision

__all__ = [
    "Attachment",
    "Attendance",
    "Certificate",
    "CohortEvent",
    "WorksheetDue",
    "ChartSetting",
    "DataPoint",
    "AuditChainHead",
    "AuditEvent",
    "Bundle",
    "Download",
    "Cohort",
    "InterestResponse",
    "Invitation",
    "KnowledgeCheckAttempt",
    "License",
    "LicenseSeat",
    "Module",
    "ModuleProgress",
    "ModuleText",
    "Membership",
    "Organization",
    "Program",
    "ProgressScore",
    "Review",
    "SelfAssessment",
    "StaffAssignment",
    "Team",
    "User",
    "UserRole",
    "Worksheet",
    "WorksheetRevision",
    "WorksheetType",
]
