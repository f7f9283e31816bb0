"""The deploy/ files and what `make serve` renders from them: the nginx site's X-Accel locations match the
app's prefixes and folders, its body limit is the app's, gunicorn's settings are what the docs promise, the
environment example lists every variable, the serve folder's secret stays private."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from gunicorn.config import Config

from tools.stack.processes import Stack
from tools.stack.render import (
    BUNDLE_PREFIX,
    ROOT,
    STORAGE_PREFIX,
    Layout,
    RenderError,
    Site,
    app_max_body_size,
    ensure_certificate,
    ensure_secret,
    render_nginx_conf,
    render_site,
)

DEPLOY = ROOT / "deploy"


def _site(tmp_path: Path, **changes) -> Site:
    values = dict(
        server_name="qtp.example.org",
        upstream="127.0.0.1:8000",
        static_dir=ROOT / "static",
        storage_dir=tmp_path / "storage",
        bundle_dir=tmp_path / "bundles",
        tls_certificate=tmp_path / "tls" / "cert.pem",
        tls_certificate_key=tmp_path / "tls" / "key.pem",
    )
    values.update(changes)
    return Site(**values)


def _location(conf: str, prefix: str) -> str:
    """The https server's location block (it follows the http server, which only redirects)."""
    found = re.findall(rf"location {re.escape(prefix)} \{{(.*?)\}}", conf, re.S)
    assert found, f"no location {prefix}"
    return found[-1]


def test_the_x_accel_locations_are_internal_and_alias_the_apps_folders(tmp_path):
    stack = Stack(folder=tmp_path / "serve", storage_dir=tmp_path / "storage", bundle_dir=tmp_path / "bundles")
    env = stack.environment()
    conf = render_site(stack.site())
    for prefix, folder in (
        (env["QTP_X_ACCEL_REDIRECT_PREFIX"], "QTP_STORAGE_DIR"),
        (env["QTP_X_ACCEL_BUNDLE_PREFIX"], "QTP_BUNDLE_DIR"),
    ):
        block = _location(conf, prefix)
        assert "internal;" in block
        assert f"alias {Path(env[folder]).resolve()}/;" in block
        assert "add_header X-Content-Type-Options nosniff always;" in block
        assert "add_header Content-Security-Policy \"default-src 'none'; sandbox\" always;" in block
    assert (env["QTP_X_ACCEL_REDIRECT_PREFIX"], env["QTP_X_ACCEL_BUNDLE_PREFIX"]) == (STORAGE_PREFIX, BUNDLE_PREFIX)
    assert env["QTP_ENV"] == "production" and env["QTP_TRUST_PROXY"] == "1"
    assert f"alias {ROOT / 'static'}/;" in _location(conf, "/static/")


def test_the_body_limit_is_the_apps_and_every_placeholder_is_filled(tmp_path, monkeypatch):
    conf = render_site(_site(tmp_path))
    assert f"client_max_body_size {app_max_body_size()};" in conf
    assert app_max_body_size() == 16 * 1024 * 1024
    assert not re.search(r"@[A-Z_]+@", conf)
    monkeypatch.setenv("QTP_MAX_CONTENT_LENGTH", "1048576")
    assert "client_max_body_size 1048576;" in render_site(_site(tmp_path))


def test_the_proxy_passes_the_connecting_address_scheme_host_and_a_request_id(tmp_path):
    block = _location(render_site(_site(tmp_path)), "/")
    for line in (
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-Host $http_host;",
        "proxy_set_header X-Request-ID $request_id;",
    ):
        assert line in block
    assert "proxy_hide_header Strict-Transport-Security;" in block, "one HSTS header, nginx's"
    static = _location(render_site(_site(tmp_path)), "/static/")
    assert "add_header Cache-Control $qtp_static_cache always;" in static
    assert '"public, max-age=31536000, immutable"' in render_site(_site(tmp_path))


@pytest.mark.parametrize(
    "change",
    [
        {"server_name": "qtp.example.org; evil"},
        {"upstream": "127.0.0.1:8000 }"},
        {"storage_prefix": "protected"},
        {"bundle_dir": Path("/srv/my bundles")},
        {"server_name": ""},
    ],
)
def test_values_nginx_would_misread_are_refused(tmp_path, change):
    with pytest.raises(RenderError):
        render_site(_site(tmp_path, **change))


def test_a_placeholder_without_a_value_is_refused(tmp_path):
    with pytest.raises(RenderError, match="UNKNOWN"):
        render_site(_site(tmp_path), template="server { listen @UNKNOWN@; }")


def test_an_operators_site_listens_on_ipv6_too_and_answers_no_other_name(tmp_path):
    conf = render_site(_site(tmp_path))
    for line in ("listen [::]:80;", "listen [::]:443 ssl http2;", "listen 443 ssl default_server;"):
        assert line in conf
    catch_all = conf.split("server_name _;")
    assert len(catch_all) == 3, "a catch-all server for http and one for https"
    assert "return 444;" in catch_all[1] and "ssl_reject_handshake on;" in catch_all[2]


def test_the_loopback_site_has_no_catch_all_nor_ipv6(tmp_path):
    # Reached as https://127.0.0.1:8443: a TLS client sends no name for an address, which the catch-all refuses.
    conf = render_site(_site(tmp_path, public=False, http_listen="127.0.0.1:8080", https_listen="127.0.0.1:8443"))
    assert "[::]" not in conf and "default_server" not in conf and "ssl_reject_handshake" not in conf
    assert "listen 127.0.0.1:8443 ssl http2;" in conf and "server_name qtp.example.org;" in conf


def test_a_listen_without_a_port_is_refused(tmp_path):
    with pytest.raises(RenderError, match="port"):
        render_site(_site(tmp_path, https_listen="qtp.example.org"))


def _nginx_t(folder: Path, conf: Path) -> subprocess.CompletedProcess:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.run(
        [nginx, "-t", "-p", str(folder), "-c", str(conf), "-e", f"{folder}/log/nginx-error.log"],
        capture_output=True,
        text=True,
    )


NEEDS_NGINX = pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="needs nginx"
)


@NEEDS_NGINX
def test_the_rendered_nginx_conf_passes_nginx_t(tmp_path):
    stack = Stack(folder=tmp_path / "serve", storage_dir=tmp_path / "storage", bundle_dir=tmp_path / "bundles")
    stack.prepare_folder()
    conf = stack.layout.nginx_conf.read_text()
    assert f"pid {stack.layout.nginx_pid.resolve()};" in conf and "listen 127.0.0.1:8443 ssl http2;" in conf
    result = _nginx_t(stack.layout.folder, stack.layout.nginx_conf)
    assert result.returncode == 0, result.stderr


@NEEDS_NGINX
def test_an_operators_site_passes_nginx_t(tmp_path):
    layout = Layout(tmp_path / "serve")
    layout.create()
    ensure_certificate(layout.certificate, layout.certificate_key)
    site = _site(tmp_path, tls_certificate=layout.certificate, tls_certificate_key=layout.certificate_key)
    layout.nginx_conf.write_text(render_nginx_conf(layout, site))
    result = _nginx_t(layout.folder, layout.nginx_conf)
    assert result.returncode == 0, result.stderr


def test_the_serve_folder_keeps_its_secret_private_and_stable(tmp_path):
    secret = tmp_path / "serve" / "secret_key"
    first = ensure_secret(secret)
    assert len(first) >= 32 and stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert ensure_secret(secret) == first
    layout = Layout(tmp_path / "serve")
    assert ensure_certificate(layout.certificate, layout.certificate_key) is True
    assert ensure_certificate(layout.certificate, layout.certificate_key) is False, "made once"
    assert stat.S_IMODE(layout.certificate_key.stat().st_mode) == 0o600
    # Started by root, nginx's workers run as the user who started it (not `nobody`, who could not read the files).
    assert ("\nuser " in render_nginx_conf(layout, _site(tmp_path))) == (os.geteuid() == 0)


def _gunicorn(monkeypatch, **env) -> dict:
    for name in ("QTP_WEB_BIND", "QTP_WEB_WORKERS", "QTP_WEB_THREADS", "QTP_WEB_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_settings(monkeypatch):
    import multiprocessing

    settings = _gunicorn(monkeypatch)
    assert settings["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert settings["worker_class"] == "gthread" and settings["threads"] == 4
    assert settings["max_requests"] == 2000 and 0 < settings["max_requests_jitter"] < settings["max_requests"]
    assert settings["preload_app"] is True and settings["accesslog"] is None
    assert settings["graceful_timeout"] < settings["timeout"]
    assert settings["bind"] == "127.0.0.1:8000" and settings["wsgi_app"] == "wsgi:app"
    config = Config()
    for name, value in settings.items():  # gunicorn accepts every value (its own validators)
        if name in config.settings:
            config.set(name, value)
    assert config.preload_app and config.max_requests == 2000
    sized = _gunicorn(monkeypatch, QTP_WEB_BIND="127.0.0.1:18000", QTP_WEB_WORKERS="2", QTP_WEB_MAX_REQUESTS="500")
    assert (sized["bind"], sized["workers"], sized["max_requests_jitter"]) == ("127.0.0.1:18000", 2, 50)


def test_the_environment_example_lists_every_variable(monkeypatch):
    example = (DEPLOY / "qtp.env.example").read_text("utf-8")
    listed = set(re.findall(r"^#? ?(QTP_[A-Z_]+)=", example, re.M))
    variable = r"(?:environ\.get|_env_bool|_int)\(\"(QTP_[A-Z_]+)\""
    read = set(re.findall(variable, (ROOT / "qtp" / "config.py").read_text("utf-8")))
    read |= set(re.findall(variable, (DEPLOY / "gunicorn.conf.py").read_text("utf-8")))
    assert len(read) > 30 and read - listed == set()


def test_the_systemd_units_run_the_deploy_config_with_the_environment_file():
    web = (DEPLOY / "systemd" / "qtp-web.service").read_text()
    worker = (DEPLOY / "systemd" / "qtp-worker.service").read_text()
    assert "ExecStart=/srv/qtp/.venv/bin/gunicorn --config /srv/qtp/deploy/gunicorn.conf.py" in web
    assert "ExecStart=/srv/qtp/.venv/bin/flask --app wsgi qtp worker" in worker
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/qtp/qtp.env" in unit and "User=qtp" in unit and "UMask=0027" in unit
    stop = int(re.search(r"TimeoutStopSec=(\d+)", web).group(1))
    assert stop > runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["graceful_timeout"]
