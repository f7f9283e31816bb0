"""The landing page and `/healthz`."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from qtp.core.permissions import public
from qtp.extensions import db

bp = Blueprint("public", __name__, template_folder="templates")
log = logging.getLogger(__name__)


@bp.route("/")
@public
def index():
    return render_template("public/index.html")


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
