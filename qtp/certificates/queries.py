"""Reading certificates: by serial (verification), by owner (home page), and a cohort's roster (admins)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from qtp.accounts.models import User
from qtp.certificates import rules
from qtp.certificates.facts import completion_for_cohort
from qtp.certificates.models import Certificate
from qtp.cohorts.models import PARTICIPATING_ROLES, Cohort, Membership, Team


def find_by_serial(session: Session, serial: str) -> Certificate | None:
    return session.scalar(
        select(Certificate)
        .options(joinedload(Certificate.cohort).joinedload(Cohort.program), joinedload(Certificate.replaced_by))
        .where(Certificate.serial == serial)
    )


def in_force_of_user(session: Session, user_id: int) -> dict[int, Certificate]:
    """{cohort id: the user's certificate in force} (one statement)."""
    return {
        c.cohort_id: c
        for c in session.scalars(
            select(Certificate).where(Certificate.user_id == user_id, Certificate.revoked_at.is_(None))
        )
    }


def roster(session: Session, cohort_id: int) -> list[tuple[User, Team]]:
    """The cohort's participants (leaders, core and extended members) with their team, by name."""
    return [
        (user, team)
        for user, team in session.execute(
            select(User, Team)
            .join(Membership, Membership.user_id == User.id)
            .join(Team, Membership.team_id == Team.id)
            .options(joinedload(Team.organization))
            .where(Team.cohort_id == cohort_id, Membership.role.in_(PARTICIPATING_ROLES))
            .order_by(User.name, User.id)
        )
    ]


@dataclass(frozen=True)
class RosterRow:
    user: User
    team: Team
    conditions: list[rules.Condition]
    complete: bool
    certificates: list[Certificate]  # newest first: the one in force (if any), then revoked ones

    @property
    def in_force(self) -> Certificate | None:
        return next((c for c in self.certificates if not c.is_revoked), None)


def cohort_certificates(session: Session, cohort: Cohort) -> list[RosterRow]:
    """Every participant of the cohort with the completion rule's state and their certificates."""
    people = roster(session, cohort.id)
    conditions = completion_for_cohort(session, cohort, [(user.id, team.id) for user, team in people])
    issued: dict[int, list[Certificate]] = {}
    for certificate in session.scalars(
        select(Certificate).where(Certificate.cohort_id == cohort.id).order_by(Certificate.issued_at.desc())
    ):
        issued.setdefault(certificate.user_id, []).append(certificate)
    return [
        RosterRow(
            user,
            team,
            conditions[user.id],
            rules.is_complete(conditions[user.id]),
            issued.get(user.id, []),
        )
        for user, team in people
    ]
