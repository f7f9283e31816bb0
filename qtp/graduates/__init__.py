"""Graduates: the public page of teams that completed a cohort and chose to be shown."""
