"""Completion certificates: the completion rule of each program, issuing (automatically on the last condition,
or in bulk by admins), the PDF, public verification, revocation and re-issue."""
