"""Cohorts: runs of a program, their teams, team memberships and staff assignments."""
