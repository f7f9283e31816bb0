"""Loads qtp.demo.data idempotently: each record is found by its natural key and created only if missing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization, User, UserRole
from qtp.catalog.models import Module, Program
from qtp.certificates.services import find_in_force, issue_certificate
from qtp.cohorts.models import Attendance, Cohort, Membership, StaffAssignment, Team
from qtp.cohorts.services import add_program_calendar
from qtp.core import audit
from qtp.core.passwords import hash_password
from qtp.demo import cohort_progress, data, people
from qtp.demo.interest import load_interest
from qtp.demo.licenses import LICENSES
from qtp.demo.projects import at as _at
from qtp.demo.projects import load_project as _load_project
from qtp.licensing.models import License, LicenseSeat
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, SelfAssessment


class DemoRefused(RuntimeError):
    pass


def load_demo(session: Session, environment: str) -> int:
    """Create whatever demo record is missing; return how many were created."""
    if environment == "production":
        raise DemoRefused("The demo data is for development only and is never loaded when QTP_ENV=production.")
    created = 0

    organizations: dict[str, Organization] = {}
    for name, kind, country, city in people.ORGANIZATIONS:
        org = session.scalar(select(Organization).where(Organization.name == name))
        if org is None:
            org = Organization(name=name, kind=kind, country=country, city=city)
            session.add(org)
            created += 1
        organizations[name] = org

    users: dict[str, User] = {}
    password_hash: str | None = None
    for email, name, org_name, roles, locale, timezone in people.USERS:
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
    for cohort in cohorts.values():
        if not cohort.events and cohort.program.config:  # the calendar, once the content is synced
            add_program_calendar(cohort, cohort.program)
            created += 1
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

    created += _load_progress(session, users, cohorts, data.PROGRESS, lambda _email, slug: int(slug in data.MISSED_ONE))
    created += _load_progress(session, users, cohorts, cohort_progress.PROGRESS, cohort_progress.wrong_answers)
    created += _load_attendance(session, users, cohorts, data.ATTENDANCE + cohort_progress.ATTENDANCE)
    created += _load_certificates(session, users, cohorts)
    created += _load_licenses(session, users, organizations)
    created += load_interest(session)
    for work in cohort_progress.TEAM_WORK:
        created += _load_project(session, work, cohorts[work.cohort], users[work.author], users[work.reviewer])
    if created:
        session.flush()
        audit.record(session, None, "demo.loaded", ("demo", None), summary=f"{created} records created")
    return created


def _load_attendance(
    session: Session, users: dict[str, User], cohorts: dict[str, Cohort], rows: list[tuple[str, str, str, str]]
) -> int:
    created = 0
    recorder = users["faculty@example.org"]
    for cohort_slug, key, email, status in rows:
        event = next((e for e in cohorts[cohort_slug].events if e.key == key), None)
        if event is None or email not in users:
            continue
        user = users[email]
        exists = session.scalar(
            select(Attendance.id).where(Attendance.event_id == event.id, Attendance.user_id == user.id)
        )
        if exists is None:
            session.add(Attendance(event_id=event.id, user_id=user.id, status=status, recorded_by_id=recorder.id))
            created += 1
    return created


def _load_progress(
    session: Session,
    users: dict[str, User],
    cohorts: dict[str, Cohort],
    progress: dict[str, tuple[list[str], tuple[int, int]]],
    wrong: Callable[[str, str], int],
) -> int:
    """Completed modules, one attempt each (with `wrong(email, slug)` answers wrong) and a starting
    self-assessment, once the content is synced."""
    cohort = cohorts["international-2026"]
    program = cohort.program
    modules = {m.slug: m for m in session.scalars(select(Module).where(Module.program_id == program.id))}
    topics = [t["id"] for t in (program.config.get("self_assessment") or {}).get("topics", [])]
    created = 0
    for email, (slugs, (knowledge, confidence)) in progress.items():
        user = users[email]
        for slug in slugs:
            module = modules.get(slug)
            if module is None:  # content not synced yet: progress is added by a later run
                continue
            created += _complete_module(session, user, module, program.pass_mark, wrong(email, slug))
        taken = session.scalar(
            select(SelfAssessment.id).where(SelfAssessment.user_id == user.id, SelfAssessment.cohort_id == cohort.id)
        )
        if topics and taken is None:
            ratings = {t: {"knowledge": knowledge, "confidence": confidence} for t in topics}
            session.add(
                SelfAssessment(
                    user_id=user.id,
                    cohort_id=cohort.id,
                    kind="pre",
                    ratings=ratings,
                    content_version=program.content_hash,
                    submitted_at=_at(cohort.starts_on + timedelta(days=3)),  # in the first week of pre-work
                )
            )
            created += 1
    return created


def _complete_module(session: Session, user: User, module: Module, pass_mark: int, wrong: int) -> int:
    """The module completed with one knowledge-check attempt (`wrong` answers wrong)."""
    done = session.scalar(
        select(ModuleProgress.id).where(ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id)
    )
    if done is not None:
        return 0
    session.add(ModuleProgress(user_id=user.id, module_id=module.id, content_version=module.content_hash))
    if not module.questions:
        return 1
    answers = {q["id"]: list(q["answer"]) for q in module.questions}
    correct = len(answers)
    for question in module.questions[:wrong]:
        answers[question["id"]] = [o for o in question["options"] if o not in question["answer"]][:1]
        correct -= 1
    score = correct * 100 // len(answers)
    session.add(
        KnowledgeCheckAttempt(
            user_id=user.id,
            module_id=module.id,
            answers=answers,
            correct=correct,
            total=len(answers),
            score=score,
            passed=score >= pass_mark,
            content_version=module.content_hash,
        )
    )
    return 2


def _load_certificates(session: Session, users: dict[str, User], cohorts: dict[str, Cohort]) -> int:
    """Finished cohorts: every module done, and the certificate issued the day after the cohort ended. The
    PDFs are rendered by the demo command (`render_waiting`), which has the app's storage at hand."""
    created = 0
    for cohort_slug, emails in data.COMPLETED.items():
        cohort = cohorts[cohort_slug]
        modules = list(session.scalars(select(Module).where(Module.program_id == cohort.program_id, Module.is_active)))
        if not modules:  # content not synced yet
            continue
        for email in emails:
            user = users[email]
            for module in modules:
                created += _complete_module(session, user, module, cohort.program.pass_mark, 0)
            session.flush()
            if find_in_force(session, user.id, cohort.id) is None:
                certificate = issue_certificate(session, None, user, cohort, render=False)
                certificate.issued_at = datetime.combine(cohort.ends_on + timedelta(days=1), time(12), UTC)
                created += 1
    for (cohort_slug, practice), result in data.GRADUATES.items():
        cohort_id = cohorts[cohort_slug].id
        team = session.scalar(
            select(Team).join(Organization).where(Team.cohort_id == cohort_id, Organization.name == practice)
        )
        if team is not None and not team.graduate_listed:
            team.graduate_listed, team.graduate_result = True, result
            created += 1
    return created


def _load_licenses(session: Session, users: dict[str, User], organizations: dict[str, Organization]) -> int:
    created = 0
    for number, org_name, product, locales, territory, starts, ends, seats, holders in LICENSES:
        license_ = session.scalar(select(License).where(License.number == number))
        if license_ is None:
            license_ = License(
                number=number,
                organization=organizations[org_name],
                product=product,
                locales=locales,
                territory=territory,
                starts_on=starts,
                ends_on=ends,
                seats=seats,
            )
            session.add(license_)
            session.flush()
            created += 1
        for email in holders:
            user = users[email]
            held = session.scalar(
                select(LicenseSeat.id).where(LicenseSeat.license_id == license_.id, LicenseSeat.user_id == user.id)
            )
            if held is None:
                session.add(LicenseSeat(license_id=license_.id, user_id=user.id, assigned_at=_at(starts)))
                created += 1
    return created
