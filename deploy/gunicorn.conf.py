"""gunicorn's configuration for QTP (`gunicorn --config deploy/gunicorn.conf.py`), read from the environment
(deploy/qtp.env.example lists the variables; the systemd unit loads them from /etc/qtp/qtp.env).

- threaded workers (gthread): a slow download or upload holds a thread, not a whole process;
- the app is loaded once in the master (`preload_app`) and forked: less memory, and a broken release fails at
  start instead of in every worker; the database pool opened while loading is dropped in each worker;
- each worker is replaced after `max_requests` (+ jitter, so they do not all restart together): a guard
  against slow memory growth (WeasyPrint, large PDFs);
- `graceful_timeout`: on stop or restart, requests in flight get this long to finish;
- no access log here: the app writes one line per request (with its request id; nginx too); errors go to
  stderr (journald), as JSON when the app's lines are (production or `QTP_LOG_FORMAT=json`);
- with `PROMETHEUS_MULTIPROC_DIR` (several workers), a worker that ends is forgotten by the metrics
  (`child_exit`).
"""

from __future__ import annotations

import multiprocessing
import os

from qtp.config import log_format
from qtp.core.metrics import child_exit  # noqa: F401  (gunicorn's hook of that name)


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "wsgi:app"
bind = os.environ.get("QTP_WEB_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = _int("QTP_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("QTP_WEB_THREADS", 4)
max_requests = _int("QTP_WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max(1, max_requests // 10)
timeout = _int("QTP_WEB_TIMEOUT", 60)  # a worker silent this long is killed and replaced
graceful_timeout = _int("QTP_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # nginx keeps its upstream connections open (upstream keepalive)
preload_app = True
accesslog = None
errorlog = "-"
if log_format() == "json":
    logconfig_dict = {"formatters": {"generic": {"()": "qtp.core.logs.JsonFormatter"}}}
loglevel = os.environ.get("QTP_WEB_LOG_LEVEL", "info")
forwarded_allow_ips = "127.0.0.1,::1"  # nginx on this host; the app's ProxyFix reads X-Forwarded-* (QTP_TRUST_PROXY)
proc_name = "qtp-web"
# gunicorn's control socket (gunicornc), off unless a path is given (systemd: /run/qtp/gunicorn.ctl).
control_socket = os.environ.get("QTP_WEB_CONTROL_SOCKET") or None
control_socket_disable = control_socket is None


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """Connections opened in the master while the app loaded must not be shared by forked workers."""
    from qtp.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
