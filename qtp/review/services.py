"""The reviewer's decision: approve (the worksheet is locked) or return for revision (the team edits again).

One decision per submitted revision. When two reviewers decide at once, the first flush wins: the worksheet's
version column and the unique revision of `Review` refuse the second, which is told (`AlreadyDecided`) and
keeps what it typed (the view shows it again).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qtp.accounts.models import User
from qtp.certificates.services import issue_if_complete
from qtp.cohorts.models import PARTICIPATING_ROLES
from qtp.core import audit
from qtp.core.mail import queue_mail, render_mail
from qtp.core.service import PermissionDenied, ServiceError, authorize
from qtp.core.urls import external_url
from qtp.review import policy
from qtp.review.models import Decision, Review
from qtp.review.queries import record_label, submitted_revisions
from qtp.worksheets.models import Worksheet, WorksheetStatus
from qtp.worksheets.queries import team_access

PERMISSION = "review:worksheets:decide"
MAX_COMMENT = 5000
MAX_FIELD_COMMENT = 2000


class AlreadyDecided(Exception):
    """The worksheet is no longer waiting for this decision: someone decided first (or the team's
    submission changed since the page was opened)."""


@dataclass(frozen=True)
class DecisionRequest:
    decision: str  # approve | return
    base_version: int  # the worksheet's version when the review page was opened
    scores: dict[str, int]
    criterion_comments: dict[str, str] = field(default_factory=dict)
    field_comments: dict[str, str] = field(default_factory=dict)
    comment: str = ""


def _clean_comments(raw: dict[str, str], allowed: set[str], limit: int) -> dict[str, str]:
    cleaned = {}
    for key, value in raw.items():
        text = (value or "").strip()
        if key in allowed and text:  # anything not in the rubric or the form is dropped
            if len(text) > limit:
                raise ServiceError(_("A comment can be at most %(count)s characters long.", count=limit))
            cleaned[key] = text
    return cleaned


def _check_scores(rubric: list[dict], scores: dict[str, int]) -> dict[str, int]:
    checked = {}
    for criterion in rubric:
        level = scores.get(criterion["id"])
        if not isinstance(level, int) or not 1 <= level <= int(criterion["levels"]):
            raise ServiceError(_("Choose a level for every criterion of the rubric."), field=f"score-{criterion['id']}")
        checked[criterion["id"]] = level
    return checked


def decide(session: Session, actor: User, worksheet: Worksheet, request: DecisionRequest) -> Review:
    """Record the decision on the latest submitted revision, change the worksheet's status, notify the team
    and write the audit log. Raises AlreadyDecided when this decision can no longer be taken."""
    authorize(actor, PERMISSION)
    access = team_access(session, actor, worksheet.team)
    if not policy.can_review(access):
        raise PermissionDenied(PERMISSION)
    if not policy.decision_is_open(worksheet.status, request.base_version, worksheet.version):
        raise AlreadyDecided()
    if request.decision not in (Decision.APPROVE, Decision.RETURN):
        raise ServiceError(_("Choose whether to approve the worksheet or return it for revision."))
    definition = worksheet.type.definition
    scores = _check_scores(definition.get("rubric") or [], request.scores)
    criteria = {c["id"] for c in definition.get("rubric") or []}
    fields = {spec["id"] for spec in definition["fields"] if spec["kind"] != "ref"}
    criterion_comments = _clean_comments(request.criterion_comments, criteria, MAX_FIELD_COMMENT)
    field_comments = _clean_comments(request.field_comments, fields, MAX_FIELD_COMMENT)
    comment = (request.comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ServiceError(_("A comment can be at most %(count)s characters long.", count=MAX_COMMENT), "comment")
    if request.decision == Decision.RETURN and not (comment or field_comments or criterion_comments):
        raise ServiceError(
            _("Tell the team what to revise: write an overall comment or a comment on a field."), "comment"
        )
    revision, _previous = submitted_revisions(worksheet)
    if revision is None:
        raise AlreadyDecided()
    review = Review(
        worksheet_id=worksheet.id,
        revision_id=revision.id,
        reviewer_id=actor.id,
        decision=request.decision,
        scores=scores,
        criterion_comments=criterion_comments,
        field_comments=field_comments,
        comment=comment,
        content_version=worksheet.type.content_hash,
    )
    approved = request.decision == Decision.APPROVE
    try:
        with session.no_autoflush:  # the single flush below is where a concurrent decision is detected
            session.add(review)
            worksheet.status = WorksheetStatus.APPROVED if approved else WorksheetStatus.RETURNED
        session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise AlreadyDecided() from error
    audit.record(
        session,
        actor,
        "worksheet.approved" if approved else "worksheet.returned",
        worksheet,
        summary=f"{worksheet.type.slug} #{worksheet.record_no} · team {worksheet.team_id}",
        details={"review_id": review.id, "revision": revision.number, "scores": scores},
    )
    _notify_team(session, worksheet, review, actor)
    if approved:  # the team's last required worksheet may be the last condition of its participants
        team = worksheet.team
        issue_if_complete(session, [m.user_id for m in team.memberships if m.role in PARTICIPATING_ROLES], team.cohort)
    return review


def _notify_team(session: Session, worksheet: Worksheet, review: Review, reviewer: User) -> None:
    """One e-mail per member of the team, each in the member's own language (else the cohort's)."""
    team = worksheet.team
    link = external_url("worksheets.edit", team_id=team.id, slug=worksheet.type.slug, record_no=worksheet.record_no)
    for membership in team.memberships:
        member = membership.user
        if not member.is_active:
            continue
        locale = member.locale or team.cohort.locale or "en"
        texts = worksheet.type.text(locale)
        mail = render_mail(
            member.email,
            locale,
            "review/email/decision",
            member=member,
            reviewer=reviewer,
            team=team,
            review=review,
            title=texts["title"],
            record=record_label(worksheet.type.slug, worksheet.record_no, worksheet.data, worksheet.type.is_repeatable),
            field_count=len(review.field_comments),
            link=link,
        )
        queue_mail(session, mail)
