"""The sections of data.json: one reader per section, each yielding the person's records a batch at a time
(see export.py for the format). Only the person's own data: never another person's name or e-mail. The readers
are in sections_people.py and sections_work.py."""

from __future__ import annotations

from qtp.privacy import sections_people as people
from qtp.privacy import sections_work as work
from qtp.privacy.records import iso
from qtp.privacy.sections_work import attachment_path, attachment_rows

__all__ = ["SECTIONS", "SECTION_READERS", "attachment_path", "attachment_rows", "iso"]

SECTIONS = (
    "profile",
    "memberships",
    "staff_assignments",
    "invitations",
    "licence_seats",
    "module_progress",
    "knowledge_check_attempts",
    "self_assessments",
    "attendance",
    "worksheet_contributions",
    "attachments",
    "data_points",
    "reviews_written",
    "progress_scores",
    "certificates",
    "downloads",
    "interest_survey_answers",
    "audit_entries",
)

SECTION_READERS = {
    "profile": people.profile,
    "memberships": people.memberships,
    "staff_assignments": people.staff,
    "invitations": people.invitations,
    "licence_seats": people.seats,
    "module_progress": people.module_progress,
    "knowledge_check_attempts": people.attempts,
    "self_assessments": people.self_assessments,
    "attendance": people.attendance,
    "worksheet_contributions": work.contributions,
    "attachments": work.attachments,
    "data_points": work.data_points,
    "reviews_written": work.reviews,
    "progress_scores": work.progress_scores,
    "certificates": work.certificates,
    "downloads": work.downloads,
    "interest_survey_answers": work.interest,
    "audit_entries": work.audit,
}
assert tuple(SECTION_READERS) == SECTIONS
