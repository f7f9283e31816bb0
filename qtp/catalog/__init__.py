"""Catalog: the programs (six-month, one-day) and, from the content files, their modules."""
