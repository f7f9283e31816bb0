"""Loads qtp.demo.data idempotently: each record is found by its natural key and created only if missing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization, User, UserRole
from qtp.catalog.models import Program
from qtp.cohorts.models import Cohort, Membership, StaffAssignment, Team
from qtp.core import audit
from qtp.core.passwords import hash_password
from qtp.demo import data


class DemoRefused(RuntimeError):
    pass


def load_demo(session: Session, environment: str) -> int:
    """Create whatever demo record is missing; return how many were created."""
    if environment == "production":
        raise DemoRefused("The demo data is for development only and is never loaded when QTP_ENV=production.")
    created = 0

    organizations: dict[str, Organization] = {}
    for name, kind, country, city in data.ORGANIZATIONS:
        org = session.scalar(select(Organization).where(Organization.name == name))
        if org is None:
            org = Organization(name=name, kind=kind, country=country, city=city)
            session.add(org)
            created += 1
        organizations[name] = org

    users: dict[str, User] = {}
    password_hash: str | None = None
    for email, name, org_name, roles, locale, timezone in data.USERS:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            password_hash = password_hash or hash_password(data.DEMO_PASSWORD)
            user = User(
                email=email,
                name=name,
                password_hash=password_hash,
                locale=locale,
                timezone=timezone,
                organization=organizations[org_name],
                roles=[UserRole(role=r) for r in roles],
            )
            session.add(user)
            created += 1
        users[email] = user

    programs: dict[str, Program] = {}
    for slug, fmt, titles in data.PROGRAMS:
        program = session.scalar(select(Program).where(Program.slug == slug))
        if program is None:
            program = Program(slug=slug, format=fmt, titles=titles)
            session.add(program)
            created += 1
        programs[slug] = program

    cohorts: dict[str, Cohort] = {}
    for slug, program_slug, name, locale, starts, ends, status in data.COHORTS:
        cohort = session.scalar(select(Cohort).where(Cohort.slug == slug))
        if cohort is None:
            cohort = Cohort(
                slug=slug,
                program=programs[program_slug],
                name=name,
                locale=locale,
                starts_on=starts,
                ends_on=ends,
                status=status,
            )
            session.add(cohort)
            created += 1
        cohorts[slug] = cohort
    session.flush()

    for cohort_slug, org_name, title, coach_email, members in data.TEAMS:
        cohort, org = cohorts[cohort_slug], organizations[org_name]
        team = session.scalar(select(Team).where(Team.cohort_id == cohort.id, Team.organization_id == org.id))
        if team is None:
            team = Team(cohort=cohort, organization=org, project_title=title, coach=users[coach_email])
            session.add(team)
            session.flush()
            created += 1
        for email, role in members:
            user = users[email]
            exists = session.scalar(
                select(Membership.id).where(Membership.team_id == team.id, Membership.user_id == user.id)
            )
            if exists is None:
                session.add(Membership(team=team, user=user, role=role))
                created += 1

    for cohort_slug, email, role in data.STAFF:
        cohort, user = cohorts[cohort_slug], users[email]
        exists = session.scalar(
            select(StaffAssignment.id).where(
                StaffAssignment.cohort_id == cohort.id, StaffAssignment.user_id == user.id, StaffAssignment.role == role
            )
        )
        if exists is None:
            session.add(StaffAssignment(cohort=cohort, user=user, role=role))
            created += 1

    if created:
        session.flush()
        audit.record(session, None, "demo.loaded", ("demo", None), summary=f"{created} records created")
    return created
