"""Participant actions: complete a module, submit a knowledge check, submit a self-assessment.

Services re-check the invariants for every caller: the user is a member of a team of the cohort, the
module belongs to the cohort's program and is open to them.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.catalog.models import Module
from qtp.catalog.schedule import phase_dates
from qtp.certificates.services import issue_if_complete
from qtp.cohorts.models import Cohort
from qtp.core.service import PermissionDenied, ServiceError, flush_or_refuse
from qtp.progress import policy
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, SelfAssessment
from qtp.progress.queries import is_member, module_access, taken_assessments


def _check_open(session: Session, user: User, cohort: Cohort, module: Module, today: date) -> None:
    if not is_member(session, user.id, cohort.id) or module.program_id != cohort.program_id or not module.is_active:
        raise PermissionDenied("learning:participate")
    if not module_access(session, user.id, cohort, module, today).is_open:
        raise ServiceError(_("This module is not open yet."))


def complete_module(session: Session, user: User, cohort: Cohort, module: Module, today: date) -> ModuleProgress:
    """Mark the module complete for the user (a second time changes nothing)."""
    _check_open(session, user, cohort, module, today)
    existing = session.scalar(
        select(ModuleProgress).where(ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id)
    )
    if existing is not None:
        return existing
    progress = ModuleProgress(user_id=user.id, module_id=module.id, content_version=module.content_hash)
    session.add(progress)
    flush_or_refuse(session, _("This module is already complete."))
    issue_if_complete(session, [user.id], cohort)  # the last module may be the last condition
    return progress


def submit_knowledge_check(
    session: Session, user: User, cohort: Cohort, module: Module, answers: dict[str, list[str]], today: date
) -> KnowledgeCheckAttempt:
    _check_open(session, user, cohort, module, today)
    unanswered = [q["id"] for q in module.questions if not answers.get(q["id"])]
    if unanswered:
        raise ServiceError(_("Please answer every question before submitting."))
    for question in module.questions:
        chosen = answers[question["id"]]
        if any(option not in question["options"] for option in chosen) or len(set(chosen)) != len(chosen):
            raise ServiceError(_("One of the answers is not an option of its question."))
        if question["kind"] == "single" and len(chosen) != 1:
            raise ServiceError(_("Choose one answer for each single-choice question."))
    clean = {q["id"]: sorted(answers[q["id"]]) for q in module.questions}
    correct, total, _results = policy.score(module.questions, clean)
    percent = correct * 100 // total if total else 0
    attempt = KnowledgeCheckAttempt(
        user_id=user.id,
        module_id=module.id,
        answers=clean,
        correct=correct,
        total=total,
        score=percent,
        passed=percent >= cohort.program.pass_mark,
        content_version=module.content_hash,
    )
    session.add(attempt)
    session.flush()
    if attempt.passed:
        issue_if_complete(session, [user.id], cohort)
    return attempt


def submit_self_assessment(
    session: Session, user: User, cohort: Cohort, kind: str, ratings: dict[str, dict[str, int]], today: date
) -> SelfAssessment:
    if not is_member(session, user.id, cohort.id):
        raise PermissionDenied("learning:participate")
    config = cohort.program.config.get("self_assessment")
    if not config or kind not in ("pre", "post"):
        raise ServiceError(_("This program has no self-assessment."))
    phases = phase_dates(cohort.program.config, cohort.starts_on, cohort.ends_on, cohort.phase_starts)
    if not policy.can_take_self_assessment(
        kind, taken_assessments(session, user.id, cohort.id), phases[-1].starts_on, today
    ):
        raise ServiceError(_("This self-assessment is not open to you, or you have already taken it."))
    scale = int(config["scale"])
    topics = [t["id"] for t in config["topics"]]
    clean: dict[str, dict[str, int]] = {}
    for topic in topics:
        values = ratings.get(topic) or {}
        pair = {}
        for aspect in ("knowledge", "confidence"):
            value = values.get(aspect)
            if not isinstance(value, int) or not 1 <= value <= scale:
                raise ServiceError(_("Rate every topic from 1 to %(scale)s.", scale=scale))
            pair[aspect] = value
        clean[topic] = pair
    response = SelfAssessment(
        user_id=user.id, cohort_id=cohort.id, kind=kind, ratings=clean, content_version=cohort.program.content_hash
    )
    session.add(response)
    flush_or_refuse(session, _("You have already taken this self-assessment."))
    return response
