"""Page cost: CPU time of signed-in pages relative to /healthz, through the test client.

Prints the median of per-pair ratios (target/reference) over interleaved pairs. Uses a temporary SQLite
database with the demo data. Run: .venv/bin/python bench/page_cost.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QTP_ENV", "testing")

from flask_migrate import upgrade  # noqa: E402

from qtp import create_app  # noqa: E402
from qtp.demo.data import DEMO_PASSWORD  # noqa: E402
from qtp.demo.loader import load_demo  # noqa: E402
from qtp.extensions import db  # noqa: E402

PAIRS = 15
PAGES = ["/", "/home", "/admin/users", "/admin/organizations", "/admin/audit", "/account/profile"]


def cpu(client, path: str) -> float:
    start = time.process_time()
    response = client.get(path)
    elapsed = time.process_time() - start
    assert response.status_code in (200, 302), (path, response.status_code)
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "QTP_ENV": "testing",
                "SECRET_KEY": "x" * 40,
                "QTP_MAIL_BACKEND": "memory",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            }
        )
        with app.app_context():
            upgrade()
            load_demo(db.session, "development")
            db.session.commit()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/login", data={"csrf_token": token, "email": "admin@example.org", "password": DEMO_PASSWORD})
        for path in PAGES + ["/healthz"]:
            cpu(client, path)  # warm up templates and caches
        print(f"{'page':<24} median CPU ratio to /healthz ({PAIRS} interleaved pairs)")
        for path in PAGES:
            ratios = []
            for _ in range(PAIRS):
                reference = cpu(client, "/healthz")
                target = cpu(client, path)
                ratios.append(target / max(reference, 1e-6))
            print(f"{path:<24} {statistics.median(ratios):6.2f}")


if __name__ == "__main__":
    main()
