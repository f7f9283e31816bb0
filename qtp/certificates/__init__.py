"""Completion certificates: the completion rule of each program, and (to come) the certificates themselves."""
