"""Seeing what it does: request ids, JSON log lines, /readyz and /metrics (issue 20)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from prometheus_client import REGISTRY
from werkzeug.serving import WSGIRequestHandler

import qtp.certificates.jobs as job_module
from qtp import create_app
from qtp.core import jobs, logs
from qtp.core.permissions import public
from qtp.core.requestid import HEADER, current_request_id
from tests.conftest import make_test_config
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import REDIS_URL, login, post_form, redis_available, text_of

HEX_ID = re.compile(r"[0-9a-f]{32}")
REMOTE = "203.0.113.9"  # an address on the internet (TEST-NET-3)
PROBE = "qtp.certificates.jobs:observability_probe"
needs_redis = pytest.mark.skipif(not redis_available(), reason=f"no Redis server at {REDIS_URL}")


@pytest.fixture
def log_lines(caplog):
    """The JSON lines every logger writes during the test, as production writes them."""
    stream = io.StringIO()
    handler = logs.make_handler("json", stream)
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()], stream
    finally:
        root.removeHandler(handler)


def access_lines(entries, path_prefix: str) -> list[dict]:
    return [e for e in entries if e["logger"] == logs.ACCESS_LOGGER and e["path"].startswith(path_prefix)]


# -- request ids ---------------------------------------------------------------------------------------------


def test_a_sane_request_id_is_echoed(client):
    response = client.get("/healthz", headers={HEADER: "proxy-7f3a.91_B"})
    assert response.headers[HEADER] == "proxy-7f3a.91_B"


def test_a_request_without_an_id_gets_a_new_one(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert HEX_ID.fullmatch(first.headers[HEADER]) and HEX_ID.fullmatch(second.headers[HEADER])
    assert first.headers[HEADER] != second.headers[HEADER]


@pytest.mark.parametrize(
    "hostile",
    ["short", "x" * 65, "abc12345;level=ERROR", 'abc12345" "admin', "<script>alert(1)</script>", "abc 12345 678"],
)
def test_a_hostile_request_id_is_replaced(client, hostile):
    response = client.get("/healthz", headers={HEADER: hostile})
    assert HEX_ID.fullmatch(response.headers[HEADER])


# -- log lines -----------------------------------------------------------------------------------------------


def test_access_lines_are_json_with_the_request_id_and_no_query_string_or_password(client, session, log_lines):
    read, stream = log_lines
    user = make_user(session, "ana.souza@test.example.org", roles=["participant"])
    credentials = {"email": user.email, "password": TEST_PASSWORD}
    sign_in = post_form(client, "/login", credentials, token_from="/login", headers={HEADER: "login-req-0001"})
    assert sign_in.status_code == 302
    response = client.get("/home?token=s3cr3t-query-value&next=/x", headers={HEADER: "home-req-0002"})
    assert response.status_code == 200

    entries = read()
    assert entries, "every line parses as JSON"
    (home,) = access_lines(entries, "/home")
    assert home["request_id"] == "home-req-0002" == response.headers[HEADER]
    assert home["path"] == "/home" and home["method"] == "GET" and home["status"] == 200
    assert home["endpoint"] == "home.index" and home["user_id"] == user.id and home["remote_addr"] == "127.0.0.1"
    assert isinstance(home["duration_ms"], float) and home["level"] == "INFO"
    assert home["time"].endswith("+00:00") and "T" in home["time"]
    (sign_in,) = [e for e in access_lines(entries, "/login") if e["method"] == "POST"]
    assert sign_in["request_id"] == "login-req-0001" and sign_in["status"] == 302

    text = stream.getvalue()
    session_cookie = client.get_cookie("qtp_session")
    assert TEST_PASSWORD not in text and "s3cr3t-query-value" not in text and "next=" not in text
    assert session_cookie is not None and session_cookie.value not in text
    assert "csrf" not in text.lower()


def test_secret_path_segments_are_redacted(client, log_lines):
    read, stream = log_lines
    assert client.get("/reset-password/Reset-Token-Value-123").status_code == 404
    assert client.get("/calendar/Feed-Token-Value-456.ics").status_code == 404
    paths = {e["path"] for e in access_lines(read(), "/")}
    assert {"/reset-password/[redacted]", "/calendar/[redacted].ics"} <= paths
    assert "Token-Value" not in stream.getvalue()


def test_text_lines_in_development_escape_newlines_and_show_the_request_id():
    record = logging.LogRecord("qtp.test", logging.INFO, __file__, 1, "one\ntwo", None, None)
    record.request_id = "text-req-0001"
    line = logs.TextFormatter().format(record)
    assert "\n" not in line and "one\\ntwo" in line and "[text-req-0001]" in line


def test_werkzeug_request_lines_are_dropped_and_its_other_lines_kept(app):
    seen: list[logging.LogRecord] = []
    collector = logging.Handler()
    collector.emit = seen.append  # type: ignore[method-assign]
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.addHandler(collector)
    level = werkzeug.level
    werkzeug.setLevel(logging.INFO)
    try:
        server_side = WSGIRequestHandler.__new__(WSGIRequestHandler)  # what the development server logs with
        server_side.client_address = ("127.0.0.1", 4711)
        server_side.command, server_side.path, server_side.request_version = "GET", "/?token=x", "HTTP/1.1"
        server_side.log_request(200, 5)
        server_side.log_message("%s", "a line of its own")
    finally:
        werkzeug.removeHandler(collector)
        werkzeug.setLevel(level)
    assert [record.getMessage() for record in seen] == [seen[0].getMessage()]
    assert "a line of its own" in seen[0].getMessage() and "token" not in seen[0].getMessage()


@pytest.fixture
def root_logging():
    """Apps made in a test replace the root handler and level: put the suite's back afterwards."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]


def test_production_logs_json_and_development_text(tmp_path, root_logging):
    production = create_app(make_test_config(tmp_path, QTP_ENV="production", TESTING=False, SECRET_KEY="p" * 40))
    assert production.config["QTP_LOG_FORMAT"] == "json"
    root_formatters = [h.formatter for h in logging.getLogger().handlers if getattr(h, "qtp_handler", False)]
    assert len(root_formatters) == 1 and isinstance(root_formatters[0], logs.JsonFormatter)
    development = create_app(make_test_config(tmp_path, QTP_ENV="development"))
    assert development.config["QTP_LOG_FORMAT"] == "text"


# -- the 500 page --------------------------------------------------------------------------------------------


@pytest.fixture
def crashing_app(tmp_path):
    application = create_app(make_test_config(tmp_path, PROPAGATE_EXCEPTIONS=False))

    @application.route("/boom")
    @public
    def boom():
        raise RuntimeError("secret internals")

    return application


def test_the_500_page_shows_the_request_id_that_the_error_line_carries(crashing_app, log_lines):
    read, _ = log_lines
    response = crashing_app.test_client().get("/boom?code=abc", headers={HEADER: "support-ref-0042"})
    assert response.status_code == 500
    assert "support-ref-0042" in text_of(response) and response.headers[HEADER] == "support-ref-0042"
    (error,) = [e for e in read() if e["level"] == "ERROR"]
    assert error["request_id"] == "support-ref-0042" and error["message"] == "unhandled error on GET /boom"
    assert "RuntimeError: secret internals" in error["exception"], "the traceback is one JSON field"
    (access,) = access_lines(read(), "/boom")
    assert access["status"] == 500 and access["request_id"] == "support-ref-0042"


def test_a_500_without_a_given_id_shows_the_one_made(crashing_app):
    response = crashing_app.test_client().get("/boom")
    assert response.headers[HEADER] in text_of(response)


# -- jobs ----------------------------------------------------------------------------------------------------


@pytest.fixture
def probe(monkeypatch):
    """A job (a function in a qtp module, as jobs.resolve requires) that records the request id it runs under."""
    seen: list[str | None] = []

    def observability_probe(fail: bool = False):
        seen.append(current_request_id())
        logging.getLogger("qtp.test.job").warning("probe ran")
        if fail:
            raise ValueError("the probe failed")

    monkeypatch.setattr(job_module, "observability_probe", observability_probe, raising=False)
    return seen


def test_inline_jobs_share_the_request_id(app, session, probe):
    with app.test_request_context("/", headers={HEADER: "inline-req-0001"}):
        app.preprocess_request()
        assert not jobs.uses_queue()
        jobs.enqueue(session, PROBE)
    assert probe == ["inline-req-0001"]


def test_a_failed_inline_job_is_counted(app, session, probe):
    labels = {"job": PROBE, "mode": "inline"}
    before = REGISTRY.get_sample_value("qtp_job_failures_total", labels) or 0
    with app.test_request_context("/"), pytest.raises(ValueError):
        app.preprocess_request()
        jobs.enqueue(session, PROBE, True)
    assert REGISTRY.get_sample_value("qtp_job_failures_total", labels) == before + 1


@pytest.mark.redis
@needs_redis
def test_queued_jobs_carry_the_request_id_to_the_worker(app, session, probe, monkeypatch, log_lines):
    read, _ = log_lines
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    queue = jobs.queue(app)
    queue.empty()
    with app.test_request_context("/", headers={HEADER: "queued-req-0001"}):
        app.preprocess_request()
        jobs.enqueue(session, PROBE)
        session.commit()
    (job,) = queue.get_jobs()
    assert job.meta["request_id"] == "queued-req-0001"
    with app.app_context():
        jobs.work(app, burst=True)
    assert probe == ["queued-req-0001"]
    worker_lines = [e for e in read() if e["logger"] in ("qtp.core.jobs", "qtp.test.job")]
    assert {e["message"] for e in worker_lines} >= {f"job {PROBE} started", "probe ran", f"job {PROBE} finished"}
    assert {e["request_id"] for e in worker_lines} == {"queued-req-0001"}


# -- /readyz -------------------------------------------------------------------------------------------------


def test_readyz_answers_ready_without_a_cookie(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok", "storage": "ok"}}
    assert "Set-Cookie" not in response.headers


def test_readyz_names_a_storage_folder_that_is_not_writable(app, client, monkeypatch, tmp_path):
    not_a_folder = tmp_path / "storage-is-a-file"
    not_a_folder.write_text("x")
    monkeypatch.setitem(app.config, "QTP_STORAGE_DIR", str(not_a_folder))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["checks"]["database"] == "ok"
    assert body["checks"]["storage"].startswith("not writable: ")
    assert str(tmp_path) not in response.get_data(as_text=True)


def test_readyz_names_an_unreachable_redis_without_its_url(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", "redis://:hunter2-secret@127.0.0.1:1/7")
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["redis"].startswith("unreachable: ") and body["checks"]["storage"] == "ok"
    assert "hunter2" not in response.get_data(as_text=True) and "127.0.0.1" not in response.get_data(as_text=True)


@pytest.mark.redis
@needs_redis
def test_readyz_checks_a_reachable_redis(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json()["checks"]["redis"] == "ok"


def test_readyz_names_a_database_that_fails(tmp_path):
    broken = create_app(make_test_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db"))
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["checks"]["database"].startswith("unreachable: ")
    assert "missing" not in response.get_data(as_text=True)


# -- /metrics ------------------------------------------------------------------------------------------------


def test_metrics_from_loopback_name_the_endpoint_just_requested(client):
    assert client.get("/programs").status_code == 200
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = text_of(response)
    assert 'qtp_http_requests_total{endpoint="public.program_list",method="GET",status="2xx"}' in body
    assert 'qtp_http_request_duration_seconds_bucket{endpoint="public.program_list",le="0.005",method="GET"}' in body
    assert "/programs" not in body, "labels hold endpoint names, never paths"
    assert "qtp_queue_jobs" not in body, "no queue without Redis"


def test_metrics_for_an_admin_from_anywhere(app, session):
    admin = make_user(session, "admin.metrics@test.example.org", roles=["admin"])
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = REMOTE
    assert login(client, admin.email).status_code == 302
    assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize("role", [None, "participant", "faculty", "licensee"])
def test_metrics_are_not_found_from_a_remote_address_unless_admin(app, session, role):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = REMOTE
    if role:
        assert login(client, make_user(session, roles=[role]).email).status_code == 302
    response = client.get("/metrics")
    assert response.status_code == 404 and "qtp_http" not in text_of(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-For": REMOTE},
        {"X-Forwarded-For": f"127.0.0.1, {REMOTE}"},
        {"X-Real-IP": REMOTE},
        {"Forwarded": f'for="{REMOTE}:4711";proto=https'},
        {"Forwarded": "for=unknown"},
    ],
)
def test_metrics_are_not_found_for_a_remote_client_through_the_proxy(app, client, headers):
    assert client.get("/metrics", headers=headers).status_code == 404


@pytest.fixture
def proxied_app(tmp_path):
    return create_app(make_test_config(tmp_path, QTP_TRUST_PROXY=True))


def test_behind_a_trusted_proxy_only_the_proxys_own_scrape_is_allowed(proxied_app):
    client = proxied_app.test_client()
    remote = client.get("/metrics", headers={"X-Forwarded-For": REMOTE})
    assert remote.status_code == 404
    own = client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    assert own.status_code == 200
    assert client.get("/metrics").status_code == 200


def test_behind_a_trusted_proxy_a_forged_loopback_header_from_outside_is_refused(proxied_app):
    client = proxied_app.test_client()
    client.environ_base["REMOTE_ADDR"] = REMOTE
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 404


def test_the_allow_list_takes_networks(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_METRICS_ALLOW", ("10.0.0.0/8",))
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::ffff:10.1.2.3"}).status_code == 200
    assert client.get("/metrics").status_code == 404, "loopback is no longer on the list"


@pytest.mark.redis
@needs_redis
def test_metrics_show_the_queue_when_redis_is_configured(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", REDIS_URL)
    jobs.queue(app).empty()
    body = text_of(client.get("/metrics"))
    assert "qtp_redis_up 1.0" in body
    assert 'qtp_queue_jobs{state="queued"} 0.0' in body and 'qtp_queue_jobs{state="failed"}' in body


def test_metrics_still_answer_when_redis_does_not(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", "redis://127.0.0.1:1/7")
    response = client.get("/metrics")
    assert response.status_code == 200 and "qtp_redis_up 0.0" in text_of(response)
