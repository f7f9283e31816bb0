"""The landing page, the public program pages (`/programs`, `/programs/<slug>`), `/sitemap.xml`, `/robots.txt`,
and the service's own: `/healthz` (liveness), `/readyz` (readiness) and `/metrics` (Prometheus, for the proxy's
host and admins only). The service endpoints touch neither the session nor the rate limits."""

from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask_babel import format_percent
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from qtp.catalog import public as programs
from qtp.core import jobs, metrics
from qtp.core.i18n import current_locale_code, user_today
from qtp.core.permissions import ensure_visible, public, unlisted
from qtp.extensions import db
from qtp.graduates.queries import list_graduates
from qtp.public import health, policy, queries, sitemap

bp = Blueprint("public", __name__, template_folder="templates")
log = logging.getLogger(__name__)

# The program's published outcome (domain.md, "Evaluation"): the average gains participants reported in the
# program's five-year review, from their pre/post self-assessments.
KNOWLEDGE_GAIN = 0.38
COMPETENCE_GAIN = 0.37
GRADUATES_SHOWN = 3


@bp.route("/")
@public
def index():
    locale = current_locale_code()
    graduates = list_graduates(db.session)
    return render_template(
        "public/index.html",
        views=programs.program_views(db.session, locale),
        upcoming=queries.list_upcoming_cohorts(db.session, user_today(), locale),
        graduates=graduates[:GRADUATES_SHOWN],
        graduate_count=len(graduates),
        gains={"knowledge": format_percent(KNOWLEDGE_GAIN), "competence": format_percent(COMPETENCE_GAIN)},
    )


@bp.get("/programs")
@public
def program_list():
    locale = current_locale_code()
    return render_template(
        "public/programs.html",
        views=programs.program_views(db.session, locale),
        upcoming=queries.list_upcoming_cohorts(db.session, user_today(), locale),
    )


@bp.get("/programs/<slug>")
@public
def program(slug: str):
    locale = current_locale_code()
    view = programs.program_page(db.session, slug, locale)
    ensure_visible(view is not None)
    program_id = view.program.id  # type: ignore[union-attr] (ensure_visible answered 404 for None)
    upcoming = queries.list_upcoming_cohorts(db.session, user_today(), locale, program_id=program_id)
    return render_template("public/program.html", view=view, upcoming=upcoming)


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


@bp.get("/readyz")
@public
@unlisted
def readyz():
    config = current_app.config
    checks = health.readiness(db.session, config.get("QTP_REDIS_URL"), config["QTP_STORAGE_DIR"])
    failed = {name: result for name, result in checks.items() if result != health.OK}
    if failed:
        log.warning("readiness: not ready (%s)", ", ".join(sorted(failed)))
        return jsonify(status="unavailable", checks=checks), 503
    return jsonify(status="ready", checks=checks)


@bp.get("/metrics")
@public
@unlisted
def metrics_text():
    """Prometheus metrics; a 404 for anyone who may not read them, so that the endpoint is not advertised."""
    allowed = policy.can_read_metrics(
        current_user,
        policy.connection_address(request.environ),
        policy.forwarded_addresses(request.headers),
        current_app.config["QTP_METRICS_ALLOW"],
    )
    ensure_visible(allowed)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    counts = partial(jobs.queue_counts, app) if jobs.uses_queue(app) else None
    body, content_type = metrics.render(counts)
    return Response(body, content_type=content_type)
