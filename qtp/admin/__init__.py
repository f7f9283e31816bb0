"""Administration: users, roles, invitations, organizations and the audit log."""
