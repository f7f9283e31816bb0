"""Cohort dashboard cost: CPU time of the dashboard of a cohort of 100 teams (3 members each, worksheets,
module progress, attendance, scores, self-assessments) relative to /healthz, through the test client.
Goal: <= 8 (quality.md). Prints the median of per-pair ratios over interleaved pairs, for each view.

Run: .venv/bin/python bench/cohort_dashboard.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QTP_ENV", "testing")

from sqlalchemy import select  # noqa: E402
from support import bench_app, cpu, median_ratio, sign_in  # noqa: E402

from qtp.accounts.models import Organization, User, UserRole  # noqa: E402
from qtp.catalog.models import Module, Program, WorksheetType  # noqa: E402
from qtp.catalog.sync import sync_content  # noqa: E402
from qtp.cohorts.models import Attendance, Cohort, Membership, StaffAssignment, Team  # noqa: E402
from qtp.cohorts.services import add_program_calendar  # noqa: E402
from qtp.core.passwords import hash_password  # noqa: E402
from qtp.extensions import db  # noqa: E402
from qtp.progress.models import ModuleProgress, ProgressScore, SelfAssessment  # noqa: E402
from qtp.worksheets.models import Worksheet  # noqa: E402

PAIRS = 25
TEAMS = 100
PASSWORD = "bench-password-long-enough-2026"  # noqa: S105 (a throwaway account in a temporary database)
VIEWS = ["/cohorts/{id}/dashboard", "/cohorts/{id}/dashboard/members", "/cohorts/{id}/dashboard/self-assessment"]


def build(session) -> tuple[int, str]:
    """A six-month cohort of TEAMS teams and its faculty member; returns (cohort id, faculty e-mail)."""
    program = session.scalar(select(Program).where(Program.slug == "six-month"))
    cohort = Cohort(
        program=program, slug="bench", name="Bench cohort", starts_on=date(2026, 1, 5), ends_on=date(2026, 10, 30)
    )
    add_program_calendar(cohort, program)
    session.add(cohort)
    password = hash_password(PASSWORD)
    faculty = User(email="faculty@bench.example.org", name="Bench Faculty", password_hash=password)
    faculty.roles = [UserRole(role="faculty")]
    session.add_all([faculty, StaffAssignment(cohort=cohort, user=faculty, role="faculty")])
    session.flush()
    types = list(session.scalars(select(WorksheetType)))
    modules = list(session.scalars(select(Module).where(Module.program_id == program.id)))
    sessions = [e for e in cohort.events if e.is_learning_session]
    topics = [t["id"] for t in program.config["self_assessment"]["topics"]]
    for n in range(TEAMS):
        org = Organization(name=f"Bench practice {n}", kind="practice", country="BR", city="Recife")
        team = Team(cohort=cohort, organization=org, project_title=f"Bench project {n:03d}")
        session.add_all([org, team])
        for m, role in enumerate(("leader", "core", "extended")):
            user = User(email=f"m{n}-{m}@bench.example.org", name=f"Member {n}-{m}", password_hash=password)
            session.add_all([user, Membership(team=team, user=user, role=role)])
            session.flush()
            session.add_all(
                [ModuleProgress(user_id=user.id, module_id=mod.id, content_version="x") for mod in modules[: n % 15]]
            )
            session.add_all([Attendance(event_id=e.id, user_id=user.id, status="present") for e in sessions[:2]])
            for kind, value in (("pre", 4), ("post", 7)):
                ratings = {t: {"knowledge": value, "confidence": value} for t in topics}
                session.add(
                    SelfAssessment(
                        user_id=user.id, cohort_id=cohort.id, kind=kind, ratings=ratings, content_version="x"
                    )
                )
        session.flush()
        for wtype in types[: n % 12]:
            session.add(Worksheet(team_id=team.id, type_id=wtype.id, status="submitted", data={}))
        session.add(ProgressScore(team_id=team.id, proposed_score="2.0"))
    session.commit()
    return cohort.id, faculty.email


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp)
        with app.app_context():
            sync_content(db.session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
            db.session.commit()
            cohort_id, email = build(db.session)
        client = app.test_client()
        sign_in(client, email, PASSWORD)
        paths = [view.format(id=cohort_id) for view in VIEWS]
        for path in [*paths, "/healthz"]:
            cpu(client, path)  # warm up templates and caches
        print(f"cohort of {TEAMS} teams; median CPU ratio to /healthz over {PAIRS} interleaved pairs (goal <= 8)")
        for path in paths:
            print(f"{path:<40} {median_ratio(client, path, PAIRS):7.2f}")


if __name__ == "__main__":
    main()
