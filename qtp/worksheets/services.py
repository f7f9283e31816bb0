"""Saving, restoring and submitting worksheets. Every save makes a revision; a save based on an older
version than the stored one is a conflict, never a silent overwrite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qtp.accounts.models import User
from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Team
from qtp.core import audit
from qtp.core.db import utcnow
from qtp.core.service import PermissionDenied, ServiceError
from qtp.worksheets import data as worksheet_data
from qtp.worksheets import phi, policy
from qtp.worksheets.models import Worksheet, WorksheetRevision, WorksheetStatus
from qtp.worksheets.queries import find_worksheet, next_record_no, team_access


class Conflict(Exception):
    """Someone saved since the version this edit started from. The caller rolls back, reloads the stored
    version and shows both; `mine` is what this user tried to save, so nothing typed is lost."""

    def __init__(self, mine: dict[str, Any]) -> None:
        super().__init__("worksheet changed since it was opened")
        self.mine = mine


class PatientDataWarning(Exception):
    def __init__(self, findings: list[phi.Finding]) -> None:
        super().__init__(f"{len(findings)} possible patient identifiers")
        self.findings = findings


@dataclass(frozen=True)
class SaveRequest:
    raw: dict[str, Any]
    base_version: int | None  # None: the worksheet did not exist when the form was opened
    confirmed_no_patient_data: bool = False


def _revision(worksheet: Worksheet, actor: User, reason: str) -> WorksheetRevision:
    number = (max((r.number for r in worksheet.revisions), default=0)) + 1
    revision = WorksheetRevision(
        number=number,
        data=worksheet.data,
        reason=reason,
        author_id=actor.id,
        content_version=worksheet.type.content_hash,
    )
    worksheet.revisions.append(revision)
    return revision


def save_worksheet(
    session: Session, actor: User, team: Team, wtype: WorksheetType, record_no: int, request: SaveRequest
) -> Worksheet:
    access = team_access(session, actor, team)
    worksheet = find_worksheet(session, team.id, wtype.id, record_no)
    if not policy.can_edit(access, worksheet.is_editable if worksheet else True):
        if worksheet is not None and not worksheet.is_editable and access.team_role in policy.EDITING_ROLES:
            raise ServiceError(_("This worksheet is under review or approved, so it cannot be changed now."))
        raise PermissionDenied("worksheets:edit")
    cleaned = worksheet_data.clean(wtype.definition, request.raw)
    if not request.confirmed_no_patient_data:
        findings = phi.scan(cleaned)
        if findings:
            raise PatientDataWarning(findings)
    try:
        with session.no_autoflush:  # the single flush below is where a concurrent save is detected
            if worksheet is None:
                if request.base_version is not None or (wtype.is_repeatable is False and record_no != 1):
                    raise ServiceError(_("This worksheet no longer exists. Please reload the page."))
                worksheet = Worksheet(team_id=team.id, type_id=wtype.id, type=wtype, record_no=record_no, data=cleaned)
                session.add(worksheet)
            elif request.base_version != worksheet.version:
                raise Conflict(cleaned)
            elif cleaned == worksheet.data:
                return worksheet
            else:
                worksheet.data = cleaned
            worksheet.updated_by_id = actor.id
            _revision(worksheet, actor, "save")
        session.flush()
    except (StaleDataError, IntegrityError) as error:  # another save committed between our read and write
        raise Conflict(cleaned) from error
    return worksheet


def restore_revision(
    session: Session, actor: User, worksheet: Worksheet, revision: WorksheetRevision, base_version: int
) -> Worksheet:
    access = team_access(session, actor, worksheet.team)
    if not policy.can_edit(access, worksheet.is_editable):
        raise PermissionDenied("worksheets:edit")
    if base_version != worksheet.version:
        raise Conflict(revision.data)
    worksheet.data = revision.data
    worksheet.updated_by_id = actor.id
    _revision(worksheet, actor, "restore")
    session.flush()
    return worksheet


def submit_worksheet(
    session: Session, actor: User, worksheet: Worksheet, base_version: int
) -> list[worksheet_data.Missing]:
    """Submit for review when every required field is filled; otherwise return what is missing."""
    access = team_access(session, actor, worksheet.team)
    if not policy.can_submit(access, worksheet.is_editable):
        if access.team_role in policy.EDITING_ROLES and worksheet.is_editable:
            raise ServiceError(_("Only the team leader can submit a worksheet for review."))
        raise PermissionDenied("worksheets:submit")
    if base_version != worksheet.version:
        raise Conflict(worksheet.data)
    missing = worksheet_data.missing_required(worksheet.type.definition, worksheet.data)
    if missing:
        return missing
    worksheet.status = WorksheetStatus.SUBMITTED
    worksheet.submitted_at = utcnow()
    _revision(worksheet, actor, "submit")
    audit.record(
        session, actor, "worksheet.submitted", worksheet, summary=f"{worksheet.type.slug} #{worksheet.record_no}"
    )
    session.flush()
    return []


NEXT_PURPOSE = {"adopt": "implement", "adapt": "test"}


def start_next_cycle(session: Session, actor: User, cycle: Worksheet) -> Worksheet:
    """The Act step of a PDSA cycle starts the next one: a new record of the same series (same change
    idea and measures, the next cycle number), its objective taken from what this cycle planned next."""
    access = team_access(session, actor, cycle.team)
    if not policy.can_edit(access, True):
        raise PermissionDenied("worksheets:edit")
    decision = cycle.data.get("decision")
    if cycle.type.slug != "pdsa" or decision not in NEXT_PURPOSE:
        raise ServiceError(_("Choose adopt or adapt in the Act step before starting the next cycle."))
    number = cycle.data.get("cycle-number") or 0
    prefilled = worksheet_data.clean(
        cycle.type.definition,
        {
            "cycle-number": number + 1,
            "change-idea": cycle.data.get("change-idea", ""),
            "measures": cycle.data.get("measures", []),
            "purpose": NEXT_PURPOSE[decision],
            "objective": cycle.data.get("next-cycle", ""),
        },
    )
    record_no = next_record_no(session, cycle.team_id, cycle.type_id)
    worksheet = Worksheet(team_id=cycle.team_id, type_id=cycle.type_id, type=cycle.type, record_no=record_no)
    worksheet.data = prefilled
    worksheet.updated_by_id = actor.id
    session.add(worksheet)
    _revision(worksheet, actor, "next-cycle")
    audit.record(session, actor, "worksheet.next_cycle", worksheet, summary=f"pdsa #{cycle.record_no} -> #{record_no}")
    try:
        session.flush()
    except IntegrityError as error:  # someone started a cycle at the same moment: try again
        raise ServiceError(_("Another cycle was started at the same moment. Please try again.")) from error
    return worksheet
