"""Measure data import cost: parsing, checking and inserting a CSV file of 100 and of 1000 rows (the most a
file may have), in-process, through the service the page calls (`services.import_points`, then the commit).

Question it answers (issue: "CSV imports over a size" go on the queue): does a large import take more than a
moment (~0.2 s)? Each size is imported ROUNDS times, interleaved (100, 1000, 100, ...), into a fresh SQLite
database built by the migrations (or the PostgreSQL database named by QTP_BENCH_DATABASE_URL, which must be
empty: its schema is built and dropped); the points are deleted between rounds. Prints the median wall and CPU
time.
Run: .venv/bin/python bench/measure_import.py
     QTP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/NAME .venv/bin/python bench/measure_import.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QTP_ENV", "testing")

from sqlalchemy import delete, select, text  # noqa: E402
from support import bench_app  # noqa: E402

from qtp.accounts.models import Organization, User, UserRole  # noqa: E402
from qtp.catalog.models import Program, WorksheetType  # noqa: E402
from qtp.catalog.sync import sync_content  # noqa: E402
from qtp.cohorts.models import Cohort, Membership, Team  # noqa: E402
from qtp.extensions import db  # noqa: E402
from qtp.measurement import services  # noqa: E402
from qtp.measurement.models import DataPoint  # noqa: E402
from qtp.worksheets.models import Worksheet  # noqa: E402

ROUNDS = 9
SIZES = (100, 1000)
MOMENT = 0.2  # seconds: the "more than a moment"
PROPORTION = {
    "name": "Symptom calls answered within 2 hours",
    "type": "outcome",
    "numerator": "Calls answered within 2 hours",
    "denominator": "All symptom calls",
    "scale": "proportion",
    "unit": "%",
    "direction": "increase",
}


def csv_of(rows: int) -> bytes:
    """`rows` daily periods from 2023-01-01 (all in the past), with a numerator, a denominator and a note."""
    start = date(2023, 1, 1)
    lines = ["period,numerator,denominator,note"]
    for n in range(rows):
        lines.append(f"{(start + timedelta(days=n)).isoformat()},{n % 37},{40 + n % 11},row {n}")
    return ("\n".join(lines) + "\n").encode()


def build(session):
    """A team with its leader and one proportion measure; returns (leader, team, measure)."""
    program = session.scalar(select(Program).where(Program.slug == "six-month"))
    cohort = Cohort(
        program=program, slug="bench", name="Bench cohort", starts_on=date(2026, 1, 5), ends_on=date(2026, 10, 30)
    )
    org = Organization(name="Bench practice", kind="practice", country="BR", city="Recife")
    team = Team(cohort=cohort, organization=org, project_title="Bench project")
    leader = User(email="leader@bench.example.org", name="Bench Leader", password_hash="x")  # noqa: S106 (no sign-in)
    leader.roles = [UserRole(role="participant")]
    session.add_all([cohort, org, team, leader, Membership(team=team, user=leader, role="leader")])
    wtype = session.scalar(select(WorksheetType).where(WorksheetType.slug == "measures"))
    measure = Worksheet(team=team, type_id=wtype.id, type=wtype, record_no=1, data=PROPORTION, status="draft")
    session.add(measure)
    session.commit()
    return leader, team, measure


def one_import(app, ids, data: bytes) -> tuple[float, float]:
    """Wall and CPU seconds of one import (parse, check, insert, audit, commit); the points are then removed."""
    session = db.session
    with app.test_request_context():
        leader, team, measure = (
            session.get(model, id_) for model, id_ in zip((User, Team, Worksheet), ids, strict=True)
        )
        wall, cpu = time.perf_counter(), time.process_time()
        points = services.import_points(session, leader, team, measure, data, today=date(2026, 12, 7))
        session.commit()
        elapsed = time.perf_counter() - wall, time.process_time() - cpu
        assert len(points) == data.count(b"\n") - 1
        session.execute(delete(DataPoint).where(DataPoint.measure_id == measure.id))
        session.commit()
    return elapsed


def main() -> None:
    files = {size: csv_of(size) for size in SIZES}
    times: dict[int, list[tuple[float, float]]] = {size: [] for size in SIZES}
    url = os.environ.get("QTP_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp, url)
        with app.app_context():
            sync_content(db.session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
            db.session.commit()
            leader, team, measure = build(db.session)
            ids = (leader.id, team.id, measure.id)
            one_import(app, ids, files[SIZES[0]])  # warm-up: imports, caches
            for _ in range(ROUNDS):
                for size in SIZES:
                    times[size].append(one_import(app, ids, files[size]))
            if url:
                db.drop_all()
                db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
            db.engine.dispose()
    engine = "PostgreSQL" if url else "SQLite"
    print(f"measure CSV import on {engine}, median of {ROUNDS} interleaved runs (parse, check, insert, commit)")
    for size in SIZES:
        wall = statistics.median(t[0] for t in times[size]) * 1000
        cpu = statistics.median(t[1] for t in times[size]) * 1000
        print(
            f"{size:>5} rows   wall {wall:7.1f} ms   cpu {cpu:7.1f} ms   ratio to a moment ({MOMENT:.1f} s) "
            f"{wall / 1000 / MOMENT:.2f}"
        )


if __name__ == "__main__":
    main()
