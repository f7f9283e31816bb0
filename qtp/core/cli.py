"""`flask --app wsgi qtp ...`: the command group every project command belongs to."""

from __future__ import annotations

from flask.cli import AppGroup

qtp_cli = AppGroup("qtp", help="QTP project commands (demo data, accounts, content, certificates, bundles).")
