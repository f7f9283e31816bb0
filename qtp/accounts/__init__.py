"""Accounts: users, organizations, roles, sign-in, password reset, invitations, profile."""
