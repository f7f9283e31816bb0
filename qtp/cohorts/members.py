"""A team's people (admins): invite by e-mail with a team role, change roles, remove. A team has exactly one
leader: the database refuses a second, and these services say so before it has to."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Invitation, User, UserRole
from qtp.accounts.services import find_or_invite
from qtp.cohorts.models import TEAM_ROLE_LABELS, Membership, Team, TeamRole
from qtp.core import audit
from qtp.core.db import utcnow
from qtp.core.mail import queue_mail, render_mail
from qtp.core.permissions import Role
from qtp.core.service import ServiceError, authorize, flush_or_refuse
from qtp.core.urls import external_url

WRITE = "admin:cohorts:write"


def _one_leader() -> str:
    return _("A team has exactly one leader. To change it, give another member the leader role.")


def _check_role(role: str) -> None:
    if role not in set(TeamRole):
        raise ServiceError(_("Choose a team role from the list."), field="role")


def _leader_taken(session: Session, team: Team) -> bool:
    member = session.scalar(select(Membership.id).where(Membership.team_id == team.id, Membership.role == "leader"))
    invited = session.scalar(
        select(Invitation.id).where(
            Invitation.team_id == team.id,
            Invitation.team_role == "leader",
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )
    return member is not None or invited is not None


def add_or_invite_member(
    session: Session, actor: User, team: Team, *, email: str, name: str, role: str, locale: str
) -> str:
    """Someone with an account joins the team at once (and is told by e-mail); anyone else is invited to
    create an account, which joins the team. Returns "added" or "invited"."""
    authorize(actor, WRITE)
    _check_role(role)
    if role == TeamRole.LEADER and _leader_taken(session, team):
        raise ServiceError(_one_leader(), field="role")
    user = find_or_invite(
        session,
        actor,
        email=email,
        name=name,
        role=Role.PARTICIPANT,
        organization_id=team.organization_id,
        locale=locale,
        team_id=team.id,
        team_role=role,
    )
    if user is None:
        return "invited"
    if session.scalar(select(Membership.id).where(Membership.team_id == team.id, Membership.user_id == user.id)):
        raise ServiceError(_("%(name)s is already on this team.", name=user.name), field="email")
    if not user.has_role(Role.PARTICIPANT):
        user.roles.append(UserRole(role=Role.PARTICIPANT))
    session.add(Membership(team_id=team.id, user_id=user.id, role=role))
    flush_or_refuse(session, _one_leader(), field="role")
    audit.record(session, actor, "team.member_added", team, summary=f"{user.email} · {role}")
    mail = render_mail(
        user.email,
        user.locale or team.cohort.locale or "en",
        "cohorts/email/added_to_team",
        user=user,
        team=team,
        role_label=TEAM_ROLE_LABELS[TeamRole(role)],
        link=external_url("worksheets.workspace", team_id=team.id),
    )
    queue_mail(session, mail)
    return "added"


def change_member_role(session: Session, actor: User, membership: Membership, role: str) -> None:
    """Making someone the leader makes the current leader a core member, in one change."""
    authorize(actor, WRITE)
    _check_role(role)
    if role == membership.role:
        return
    if membership.role == TeamRole.LEADER:
        raise ServiceError(_("A team needs its leader: make another member the leader instead."), field="role")
    previous = membership.role
    if role == TeamRole.LEADER:
        current = session.scalar(
            select(Membership).where(Membership.team_id == membership.team_id, Membership.role == "leader")
        )
        if current is not None:
            current.role = TeamRole.CORE
            session.flush()  # the old leader steps down before the new one steps up (one leader at a time)
    membership.role = role
    flush_or_refuse(session, _one_leader(), field="role")
    audit.record(
        session,
        actor,
        "team.member_role_changed",
        ("teams", membership.team_id),
        summary=f"{membership.user.email}: {previous} -> {role}",
    )


def remove_member(session: Session, actor: User, membership: Membership) -> None:
    authorize(actor, WRITE)
    if membership.role == TeamRole.LEADER:
        raise ServiceError(_("A team needs its leader: make another member the leader before removing this one."))
    audit.record(session, actor, "team.member_removed", ("teams", membership.team_id), summary=membership.user.email)
    session.delete(membership)
