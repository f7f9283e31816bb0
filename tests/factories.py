"""Factories for test data. One argon2 hash is computed once and shared: hashing is slow by design."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import zlib
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy.orm import Session

from qtp.accounts.models import Organization, User, UserRole
from qtp.catalog.models import Program
from qtp.cohorts.models import Cohort, Membership, StaffAssignment, Team
from qtp.core.passwords import hash_password
from qtp.licensing.models import Bundle

TEST_PASSWORD = "amber-violin-harbour-seven"
_counter = itertools.count(1)


@cache
def test_password_hash() -> str:
    return hash_password(TEST_PASSWORD)


def make_organization(session: Session, name: str | None = None, **fields) -> Organization:
    n = next(_counter)
    org = Organization(
        name=name or f"Test Oncology Practice {n}",
        kind=fields.pop("kind", "practice"),
        country=fields.pop("country", "BR"),
        city=fields.pop("city", "Recife"),
        **fields,
    )
    session.add(org)
    session.commit()
    return org


def make_user(
    session: Session,
    email: str | None = None,
    *,
    roles: tuple[str, ...] | list[str] = (),
    name: str | None = None,
    password: str | None = None,
    **fields,
) -> User:
    n = next(_counter)
    user = User(
        email=email or f"user{n}@test.example.org",
        name=name or f"Test User {n}",
        password_hash=hash_password(password) if password else test_password_hash(),
        roles=[UserRole(role=r) for r in roles],
        **fields,
    )
    session.add(user)
    session.commit()
    return user


def make_program(session: Session, slug: str = "six-month", fmt: str = "six_month") -> Program:
    program = session.query(Program).filter_by(slug=slug).one_or_none()
    if program is None:
        program = Program(
            slug=slug, format=fmt, titles={"en": "QTP Six-Month Program", "es": "Programa QTP de seis meses"}
        )
        session.add(program)
        session.commit()
    return program


def make_cohort(session: Session, **fields) -> Cohort:
    n = next(_counter)
    cohort = Cohort(
        program=fields.pop("program", None) or make_program(session),
        slug=fields.pop("slug", f"cohort-{n}"),
        name=fields.pop("name", f"Test Cohort {n}"),
        starts_on=fields.pop("starts_on", date(2026, 9, 1)),
        ends_on=fields.pop("ends_on", date(2027, 3, 31)),
        status=fields.pop("status", "active"),
        **fields,
    )
    session.add(cohort)
    session.commit()
    return cohort


def make_team(session: Session, cohort: Cohort | None = None, **fields) -> Team:
    n = next(_counter)
    team = Team(
        cohort=cohort or make_cohort(session),
        organization=fields.pop("organization", None) or make_organization(session),
        project_title=fields.pop("project_title", f"Reducing infusion-chair wait times {n}"),
        **fields,
    )
    session.add(team)
    session.commit()
    return team


def add_member(session: Session, team: Team, user: User, role: str = "core") -> Membership:
    membership = Membership(team=team, user=user, role=role)
    session.add(membership)
    session.commit()
    return membership


def add_staff(session: Session, cohort: Cohort, user: User, role: str = "faculty") -> StaffAssignment:
    assignment = StaffAssignment(cohort=cohort, user=user, role=role)
    session.add(assignment)
    session.commit()
    return assignment


VERSION = "c0ffee" * 5  # the content version of bundles written by write_bundle


def write_bundle(root, session, product="six_month", locale="es", files=None) -> Bundle:
    """A built bundle on disk and in the database, as `flask qtp bundles build` leaves it (random contents)."""
    files = files or {
        "manual/faculty-manual.pdf": os.urandom(200_000),
        "slides/01-why-quality.pptx": os.urandom(1_500_000),
        "slides/01-why-quality.pdf": os.urandom(300_000),
        "logo/qtp-logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g/>" * 500 + b"</svg>",
    }
    folder = root / product / locale
    entries = []
    for path, data in sorted(files.items()):
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
        entries.append(
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "crc32": zlib.crc32(data)}
        )
    manifest = {"product": product, "locale": locale, "content_version": VERSION, "files": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    bundle = Bundle(
        product=product,
        locale=locale,
        content_version=VERSION,
        manifest=manifest,
        size=sum(len(data) for data in files.values()),
        built_at=datetime(2026, 11, 30, tzinfo=UTC),
    )
    session.add(bundle)
    session.commit()
    return bundle
