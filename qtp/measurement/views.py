"""Measures of a team: data points, CSV import, run and control charts."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("measurement", __name__, url_prefix="/teams", template_folder="templates")
