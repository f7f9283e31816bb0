"""/metrics under several gunicorn workers: with PROMETHEUS_MULTIPROC_DIR, the counts of every process add up.

prometheus_client picks its storage when it is first imported, so each "worker" here is its own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WORKER = """
import sys
from qtp import create_app

folder = sys.argv[1]
app = create_app({
    "QTP_ENV": "testing", "TESTING": True, "SECRET_KEY": "s" * 40, "QTP_RATELIMIT_STORAGE_URI": "memory://",
    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/qtp.db", "QTP_STORAGE_DIR": f"{folder}/storage",
})
client = app.test_client()
for _ in range(int(sys.argv[2])):
    assert client.get("/healthz").status_code == 200
if sys.argv[3] == "scrape":
    print(client.get("/metrics").get_data(as_text=True))
"""
ROOT = Path(__file__).resolve().parents[3]


def _worker(tmp_path: Path, requests: int, scrape: bool = False) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "QTP_ENV": "testing"}
    args = [sys.executable, "-c", WORKER, str(tmp_path), str(requests), "scrape" if scrape else "-"]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_counts_of_every_worker_process_add_up(tmp_path):
    (tmp_path / "metrics").mkdir()
    _worker(tmp_path, 3)
    _worker(tmp_path, 4)
    body = _worker(tmp_path, 0, scrape=True)
    assert 'qtp_http_requests_total{endpoint="public.healthz",method="GET",status="2xx"} 7.0' in body
    assert 'qtp_http_request_duration_seconds_count{endpoint="public.healthz",method="GET"} 7.0' in body
