"""The landing page, the public program pages (`/programs`, `/programs/<slug>`), `/sitemap.xml`, `/robots.txt`
and `/healthz`."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from qtp.catalog import public as programs
from qtp.core.i18n import current_locale_code
from qtp.core.permissions import ensure_visible, public, unlisted
from qtp.extensions import db
from qtp.public import sitemap

bp = Blueprint("public", __name__, template_folder="templates")
log = logging.getLogger(__name__)


@bp.route("/")
@public
def index():
    return render_template("public/index.html", programs=programs.public_programs(db.session))


@bp.get("/programs")
@public
def program_list():
    return render_template("public/programs.html", programs=programs.public_programs(db.session))


@bp.get("/programs/<slug>")
@public
def program(slug: str):
    view = programs.program_page(db.session, slug, current_locale_code())
    ensure_visible(view is not None)
    return render_template("public/program.html", view=view)


@bp.get("/sitemap.xml")
@public
@unlisted
def sitemap_xml():
    body = render_template("public/sitemap.xml", pages=sitemap.sitemap_pages(db.session))
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
@public
@unlisted
def robots():
    return Response(sitemap.robots_txt(), mimetype="text/plain")


@bp.route("/healthz")
@public
@unlisted
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
