"""Content sync cost: a full sync of every program in every language, and a no-change resync.

Goals (issue 3): full <= 2 s, no-change <= 0.3 s on the project's machine. Each is measured 5 times on a
fresh SQLite database (full) or the synced one (no change); the median is printed with its ratio to the goal.
Run: .venv/bin/python bench/content_sync.py
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

from qtp import create_app  # noqa: E402
from qtp.catalog.sync import sync_content  # noqa: E402
from qtp.extensions import db  # noqa: E402

ROUNDS = 5
GOALS = {"full sync": 2.0, "no-change resync": 0.3}


def main() -> None:
    full, unchanged = [], []
    for n in range(ROUNDS):
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app(
                {"QTP_ENV": "testing", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db"}
            )
            root = Path(app.config["QTP_CONTENT_ROOT"])
            locales = tuple(app.config["QTP_LOCALES"])
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                result = sync_content(db.session, root, locales)
                db.session.commit()
                full.append(time.perf_counter() - started)
                started = time.perf_counter()
                again = sync_content(db.session, root, locales)
                db.session.commit()
                unchanged.append(time.perf_counter() - started)
                assert again.unchanged, "a resync without changes must do nothing"
                if n == 0:
                    modules = result.modules_created
                db.engine.dispose()
    print(f"content: {modules} modules in {len(locales)} languages; median of {ROUNDS} runs")
    for name, values in (("full sync", full), ("no-change resync", unchanged)):
        median = statistics.median(values)
        print(f"{name:<18} {median:7.3f} s   goal {GOALS[name]:.1f} s   ratio to goal {median / GOALS[name]:.2f}")


if __name__ == "__main__":
    main()
