"""Page cost: CPU time of the main pages of each role relative to /healthz, through the test client.

Prints, per role and page, the median of per-pair ratios (target/reference) over interleaved pairs, and the
page's rate as a share of /healthz's (the inverse: the issue's goal is at least 0.3). Uses a temporary SQLite
database with the content synced and the demo data. Run: .venv/bin/python bench/page_cost.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QTP_ENV", "testing")

from sqlalchemy import select  # noqa: E402
from support import bench_app, cpu, median_ratio, sign_in  # noqa: E402

from qtp.catalog.sync import sync_content  # noqa: E402
from qtp.demo.data import DEMO_PASSWORD  # noqa: E402
from qtp.demo.loader import load_demo  # noqa: E402
from qtp.extensions import db  # noqa: E402

PAIRS = 15


def pages(ids: dict[str, int]) -> dict[str, list[str]]:
    c, t = ids["cohort"], ids["team"]
    return {
        "anonymous": ["/", "/programs/six-month"],
        "member@example.org": [
            "/home",
            f"/learning/{c}",
            f"/learning/{c}/modules/02-model-for-improvement",
            f"/teams/{t}/workspace",
            f"/teams/{t}/measures/1",
        ],
        "faculty@example.org": ["/home", "/review/", f"/cohorts/{c}/dashboard"],
        "licensee@example.org": ["/home", "/licenses"],
        "admin@example.org": ["/home", "/admin/users", "/admin/organizations", "/admin/audit", "/account/profile"],
    }


def demo_ids() -> dict[str, int]:
    from qtp.cohorts.models import Cohort, Team

    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == "international-2026"))
    team = db.session.scalar(select(Team).where(Team.cohort_id == cohort.id).order_by(Team.id))
    return {"cohort": cohort.id, "team": team.id}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp)
        with app.app_context():
            sync_content(db.session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
            load_demo(db.session, "development")
            db.session.commit()
            ids = demo_ids()
        print(f"{'role':<10} {'page':<48} {'cost':>6} {'rate':>6}   (median of {PAIRS} interleaved pairs)")
        for role, paths in pages(ids).items():
            client = app.test_client()
            if role != "anonymous":
                sign_in(client, role, DEMO_PASSWORD)
            for path in [*paths, "/healthz"]:
                cpu(client, path, (200, 302))  # warm up templates and caches
            for path in paths:
                ratio = median_ratio(client, path, PAIRS, expected=(200, 302))
                print(f"{role.split('@')[0]:<10} {path:<48} {ratio:6.1f} {1 / ratio:6.2f}")


if __name__ == "__main__":
    main()
