"""Page cost: CPU time of signed-in pages relative to /healthz, through the test client.

Prints the median of per-pair ratios (target/reference) over interleaved pairs. Uses a temporary SQLite
database with the demo data. Run: .venv/bin/python bench/page_cost.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QTP_ENV", "testing")

from support import bench_app, cpu, median_ratio, sign_in  # noqa: E402

from qtp.demo.data import DEMO_PASSWORD  # noqa: E402
from qtp.demo.loader import load_demo  # noqa: E402
from qtp.extensions import db  # noqa: E402

PAIRS = 15
PAGES = ["/", "/home", "/admin/users", "/admin/organizations", "/admin/audit", "/account/profile"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp)
        with app.app_context():
            load_demo(db.session, "development")
            db.session.commit()
        client = app.test_client()
        sign_in(client, "admin@example.org", DEMO_PASSWORD)
        for path in PAGES + ["/healthz"]:
            cpu(client, path, (200, 302))  # warm up templates and caches
        print(f"{'page':<24} median CPU ratio to /healthz ({PAIRS} interleaved pairs)")
        for path in PAGES:
            print(f"{path:<24} {median_ratio(client, path, PAIRS, expected=(200, 302)):6.2f}")


if __name__ == "__main__":
    main()
