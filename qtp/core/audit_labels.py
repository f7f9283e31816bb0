"""What each audit action means, in words, for the activity list and the audit log (the key stays the
stable identifier in the database, filters and CSV)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "account.password_changed": _l("Changed their password"),
    "account.password_reset": _l("Reset their password"),
    "account.profile_updated": _l("Updated their profile"),
    "account.reset_requested": _l("Asked for a password reset"),
    "account.signed_in": _l("Signed in"),
    "account.signed_out": _l("Signed out"),
    "attachment.added": _l("Attached a file to a worksheet"),
    "attachment.deleted": _l("Removed a file from a worksheet"),
    "attendance.excused": _l("Excused an absence"),
    "attendance.recorded": _l("Recorded attendance"),
    "certificate.bulk_issued": _l("Issued a cohort's certificates"),
    "certificate.issued": _l("Issued a certificate"),
    "certificate.reissued": _l("Re-issued a certificate"),
    "certificate.revoked": _l("Revoked a certificate"),
    "job.retried": _l("Put a failed job back on the queue"),
    "cohort.created": _l("Created a cohort"),
    "cohort.event_added": _l("Added an event to a cohort's calendar"),
    "cohort.event_removed": _l("Removed an event from a cohort's calendar"),
    "cohort.schedule_changed": _l("Changed a cohort's calendar"),
    "cohort.staff_assigned": _l("Assigned faculty or a coach to a cohort"),
    "cohort.staff_removed": _l("Removed faculty or a coach from a cohort"),
    "cohort.updated": _l("Updated a cohort"),
    "content.synced": _l("Synchronized the course content"),
    "content.sync_started": _l("Started the content sync"),
    "bundles.build_started": _l("Started a build of the licensed-content bundles"),
    "demo.loaded": _l("Loaded the demo data"),
    "interest.handled": _l("Handled an interest-survey answer"),
    "interest.reopened": _l("Reopened an interest-survey answer"),
    "invitation.accepted": _l("Accepted an invitation"),
    "invitation.created": _l("Invited someone"),
    "invitation.resent": _l("Sent an invitation again"),
    "invitation.revoked": _l("Withdrew an invitation"),
    "license.created": _l("Created a licence"),
    "license.download": _l("Downloaded a licensed bundle"),
    "license.seat_freed": _l("Freed a licence seat"),
    "license.seat_given": _l("Gave a licence seat"),
    "license.seat_invited": _l("Invited someone to a licence seat"),
    "license.updated": _l("Updated a licence"),
    "measure.chart_configured": _l("Changed a measure's chart settings"),
    "measure.point_added": _l("Added a data point"),
    "measure.point_changed": _l("Changed a data point"),
    "measure.point_deleted": _l("Deleted a data point"),
    "measure.point_flagged": _l("Marked a data point as astronomical"),
    "measure.point_unflagged": _l("Unmarked an astronomical data point"),
    "measure.points_imported": _l("Imported data points"),
    "organization.created": _l("Added an organization"),
    "organization.deactivated": _l("Deactivated an organization"),
    "organization.reactivated": _l("Reactivated an organization"),
    "organization.updated": _l("Updated an organization"),
    "progress_score.confirmed": _l("Confirmed a team's progress score"),
    "progress_score.proposed": _l("Proposed a progress score"),
    "team.created": _l("Created a team"),
    "team.graduate_listed": _l("Listed a team on the graduates page"),
    "team.graduate_unlisted": _l("Took a team off the graduates page"),
    "team.member_added": _l("Added a team member"),
    "team.member_removed": _l("Removed a team member"),
    "team.member_role_changed": _l("Changed a team member's role"),
    "team.updated": _l("Updated a team"),
    "user.created": _l("Created an account"),
    "user.deactivated": _l("Deactivated an account"),
    "user.reactivated": _l("Reactivated an account"),
    "user.roles_changed": _l("Changed an account's roles"),
    "user.updated": _l("Updated an account"),
    "worksheet.approved": _l("Approved a worksheet"),
    "worksheet.next_cycle": _l("Started the next PDSA cycle"),
    "worksheet.returned": _l("Returned a worksheet for revision"),
    "worksheet.submitted": _l("Submitted a worksheet for review"),
}


def action_label(action: str) -> str:
    """The action in words in the reader's language; an action without a label (none should exist: a test
    checks every one the code records) shows its key."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
