"""The QTP learning platform: create_app() builds the Flask application."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from qtp.config import build_config

ROOT_FOLDERS = {"static_folder": "../static", "template_folder": "templates"}


class QtpFlask(Flask):
    def log_exception(self, exc_info) -> None:  # type: ignore[no-untyped-def]
        """Left to errors.handle_server_error, which logs it once, with the request id and a path whose secret
        segments are redacted (Flask's own line would show the raw path)."""


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = QtpFlask(__name__, instance_relative_config=True, **ROOT_FOLDERS)
    from qtp.core.requests import CleanRequest

    app.request_class = CleanRequest  # no control characters in any form value or query argument
    from qtp.core.ranges import AppResponse

    app.response_class = AppResponse  # one rule for Range headers on every file sent (qtp.core.ranges)
    app.config.update(build_config(app.instance_path, config))
    from qtp.core.requests import refuse_control_characters_in_path

    app.before_request(refuse_control_characters_in_path)
    from qtp.core.ids import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: ids past a BIGINT are 404, not 500
    if app.config["QTP_TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    import qtp.models  # noqa: F401  (every model registered before the first query)
    from qtp.core import (
        errors,
        i18n,
        logs,
        mail,
        metrics,
        ratelimit,
        requestid,
        security,
        static_files,
        templating,
        translations,
    )
    from qtp.core.db import configure_sqlite
    from qtp.extensions import babel, csrf, db, login_manager, migrate

    # First: every later hook, error and log line of a request has its id; the access line and the metrics see
    # the final response.
    requestid.init_app(app)
    logs.init_app(app)
    metrics.init_app(app)
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=str(app.root_path + "/../translations"),
    )
    translations.init_app(app)
    from qtp.accounts.session import init_login

    init_login(app, login_manager)
    mail.init_app(app)
    ratelimit.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    static_files.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from qtp.accounts import security_views  # noqa: F401  (routes on the accounts blueprint)
    from qtp.accounts.views import bp as accounts_bp
    from qtp.admin.views import bp as admin_bp
    from qtp.catalog.views import bp as catalog_bp
    from qtp.certificates.views import bp as certificates_bp
    from qtp.cohorts import attendance_views, dashboard_views  # noqa: F401  (routes on the cohorts blueprint)
    from qtp.cohorts.views import bp as cohorts_bp
    from qtp.graduates.views import bp as graduates_bp
    from qtp.home.views import bp as home_bp
    from qtp.interest.views import bp as interest_bp
    from qtp.licensing.download_views import bp as downloads_bp
    from qtp.licensing.views import bp as licensing_bp
    from qtp.measurement import download_views  # noqa: F401  (routes on the measurement blueprint)
    from qtp.measurement.views import bp as measurement_bp
    from qtp.privacy.views import bp as privacy_bp
    from qtp.progress.calendar_views import feed_bp as calendar_bp  # also routes on the progress blueprint
    from qtp.progress.views import bp as progress_bp
    from qtp.public.views import bp as public_bp
    from qtp.review.views import bp as review_bp
    from qtp.worksheets import attachment_views, export_views, history_views  # noqa: F401  (routes on the worksheets blueprint)
    from qtp.worksheets.views import bp as worksheets_bp

    blueprints = (public_bp, accounts_bp, home_bp, progress_bp, catalog_bp, admin_bp, worksheets_bp, measurement_bp)
    for bp in (
        *blueprints,
        review_bp,
        cohorts_bp,
        certificates_bp,
        licensing_bp,
        downloads_bp,
        interest_bp,
        graduates_bp,
        calendar_bp,
        privacy_bp,
    ):
        app.register_blueprint(bp)


def _register_cli(app: Flask) -> None:
    from qtp.accounts import commands as account_commands
    from qtp.catalog import commands as content_commands
    from qtp.certificates import commands as certificate_commands
    from qtp.core.cli import qtp_cli
    from qtp.demo import commands as demo_commands
    from qtp.licensing import commands as licensing_commands
    from qtp.privacy import commands as privacy_commands

    account_commands.register(qtp_cli)
    content_commands.register(qtp_cli)
    certificate_commands.register(qtp_cli)
    demo_commands.register(qtp_cli)
    licensing_commands.register(qtp_cli)
    privacy_commands.register(qtp_cli)
    app.cli.add_command(qtp_cli)
