"""The world of the role x route matrix (test_routes.py): two of everything, built once per module.

Side 1 is where every signed-in role of the matrix belongs: cohort 1 and its team 1 (practice 1), licence 1.
Side 2 is the same again for other people: cohort 2, team 2 (practice 2), licence 2. Every id a URL can carry
has a real object on each side, so that only authorization can tell the two requests apart.

People (the columns of the matrix): the participant (core member of team 1), the leader and the sponsor of
team 1, the coach (team 1's improvement coach, on cohort 1's staff as coach), the faculty member (on cohort 1's
staff as faculty), the licensee (a seat of licence 1) and an admin. Side 2 has its own leader, core member,
faculty member and licensee, whom no column signs in as.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qtp.accounts.models import Invitation
from qtp.accounts.services import _token_hash, make_reset_token
from qtp.catalog.models import Module, Program, WorksheetType
from qtp.catalog.sync import sync_content
from qtp.certificates.models import Certificate
from qtp.certificates.serials import new_serial
from qtp.cohorts.calendar_feed import feed_token
from qtp.cohorts.models import CohortEvent
from qtp.core.storage import get_storage, new_key
from qtp.interest.models import InterestResponse
from qtp.licensing import downloads
from qtp.licensing.models import License, LicenseSeat
from qtp.measurement.models import DataPoint
from qtp.progress.models import KnowledgeCheckAttempt, ProgressScore
from qtp.review import services as review_services
from qtp.worksheets import attachments as attachment_services
from qtp.worksheets import services as worksheet_services
from qtp.worksheets.models import Worksheet
from tests.factories import add_member, add_staff, make_cohort, make_organization, make_team, make_user, write_bundle

PEOPLE = {  # the people of each side and their roles
    "participant": "participant",
    "leader": "participant",
    "sponsor": "participant",
    "coach": "coach",
    "faculty": "faculty",
    "licensee": "licensee",
}
SIDE = {1: "Uno", 2: "Dos"}
# What only side 2's pages show: a page that names one of these to a non-admin of side 1 shows too much.
FOREIGN_MARKERS = (
    *(f"{role.title()} Dos" for role in PEOPLE),
    "Matrix project 2",
    "Matrix Oncology Practice 2",
    "Matrix Licensee Institution 2",
    "QTP-L-2026-0902",
    "2@matrix.example.org",
)
ROLES = ("anonymous", "participant", "leader", "sponsor", "coach", "faculty", "licensee", "admin")
LOCALES = ("en", "es", "pt_BR")
PROGRAM = "test-program"
MODULE = "01-basics"
# A tiny valid PDF: what the attachment and the certificates hold (their contents do not matter here).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AIM = {"statement": "Increase symptom calls answered within 2 hours from 48% to 75% by June", "direction": "increase"}
PDSA = {"objective": "Test a call-back script for symptom calls"}
MEASURE = {
    "name": "Symptom calls answered within 2 hours",
    "type": "outcome",
    "numerator": "Calls answered within 2 hours",
    "denominator": "All symptom calls",
    "scale": "proportion",
    "unit": "%",
    "direction": "increase",
}


@dataclass
class World:
    """Ids by side (1: the roles' own, 2: foreign), the signed-in people by role, and the stored files."""

    sides: dict[int, dict[str, Any]] = field(default_factory=lambda: {1: {}, 2: {}})
    people: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # storage key -> bytes, put back after each request

    def restore_files(self) -> None:
        """An authorized delete removes its file once it commits; the rolled-back row needs it again."""
        storage = get_storage()
        for key, data in self.files.items():
            if not storage.exists(key):
                storage.put(key, data)


def _store(world: World, data: bytes) -> str:
    key = new_key()
    get_storage().put(key, data)
    world.files[key] = data
    return key


def build_world(app, session: Session, courses: Path, bundles: Path) -> World:
    """Everything the matrix requests, committed into the module's transaction (see test_routes.world)."""
    world = World()
    sync_content(session, courses, LOCALES)
    session.commit()
    program = session.query(Program).filter_by(slug=PROGRAM).one()
    types = {t.slug: t for t in session.query(WorksheetType)}
    module = session.query(Module).filter_by(program_id=program.id, slug=MODULE).one()
    admin = make_user(session, "admin@matrix.example.org", roles=["admin"], name="Ana Admin")
    world.people["admin"] = admin
    # the cohorts started three months ago: the first phase (and module 01) is open
    starts = datetime.now(UTC).date() - timedelta(days=90)
    for side, name in SIDE.items():
        ids = world.sides[side]
        cohort = make_cohort(
            session, program=program, slug=f"matrix-{side}", starts_on=starts, ends_on=starts + timedelta(days=200)
        )
        practice = make_organization(session, f"Matrix Oncology Practice {side}", country="MX" if side == 1 else "BR")
        team = make_team(session, cohort, organization=practice, project_title=f"Matrix project {side}")
        people = {
            role: make_user(session, f"{role}{side}@matrix.example.org", roles=[kind], name=f"{role.title()} {name}")
            for role, kind in PEOPLE.items()
        }
        membership = add_member(session, team, people["participant"], "core")
        add_member(session, team, people["leader"], "leader")
        add_member(session, team, people["sponsor"], "sponsor")
        team.coach_id = people["coach"].id
        add_staff(session, cohort, people["coach"], "coach")
        staff = add_staff(session, cohort, people["faculty"], "faculty")
        session.commit()
        if side == 1:
            world.people.update(people)
        event = CohortEvent(
            cohort_id=cohort.id, kind="learning_session", key="ls1", starts_on=starts, ends_on=starts, mode="in_person"
        )
        session.add(event)
        session.commit()
        ids.update(
            cohort=cohort.id,
            team=team.id,
            org=practice.id,
            user=people["participant"].id,
            membership=membership.id,
            staff=staff.id,
            event=event.id,
        )
        _worksheets(app, world, session, side, team, people, types)
        attempt = KnowledgeCheckAttempt(
            user_id=people["participant"].id,
            module_id=module.id,
            answers={},
            correct=0,
            total=1,
            score=0,
            passed=False,
            content_version=module.content_hash,
        )
        score = ProgressScore(team_id=team.id, proposed_score="1.5", proposed_by_id=people["leader"].id)
        session.add_all([attempt, score])
        session.commit()
        ids.update(attempt=attempt.id, score=score.id)
        certificate = Certificate(
            serial=new_serial(),
            user_id=people["participant"].id,
            cohort_id=cohort.id,
            team_id=team.id,
            recipient_name=people["participant"].name,
            locale="en",
            storage_key=_store(world, PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
        )
        session.add(certificate)
        session.commit()
        ids.update(certificate=certificate.id, serial=certificate.serial)
        _licence(app, world, session, side, people["licensee"], admin)
        _invitations(session, world, side, admin, practice.id, team.id)
        interest = InterestResponse(
            country="AR",
            organization=f"Hospital {side}",
            role="physician",
            program="six_month",
            language="es",
            email=f"interest{side}@matrix.example.org",
            consent=True,
            locale="es",
        )
        session.add(interest)
        session.commit()
        ids["interest"] = interest.id
        with app.test_request_context():
            ids["feed"] = feed_token(people["participant"].id, cohort.id)
            ids["reset"] = make_reset_token(people["participant"])
    write_bundle(bundles, session, files={"manual/faculty-manual.pdf": PDF, "logo/qtp-logo.svg": b"<svg/>"})
    return world


def _worksheets(app, world: World, session: Session, side: int, team, people: dict, types: dict) -> None:
    """The aim (saved, an attachment, submitted, returned by the faculty, submitted again: four revisions and a
    review), a measure with three data points, and a PDSA cycle (a draft saved once)."""
    ids = world.sides[side]
    leader, faculty = people["leader"], people["faculty"]
    aim_type = types["aim"]
    with app.test_request_context():
        save = worksheet_services.SaveRequest(AIM, None)
        aim = worksheet_services.save_worksheet(session, leader, team, aim_type, 1, save)
        session.commit()
        attachment = attachment_services.add_attachment(session, leader, aim, io.BytesIO(PDF), "evidence.pdf")
        session.commit()
        world.files[attachment.storage_key] = PDF
        assert worksheet_services.submit_worksheet(session, leader, aim, aim.version) == []
        session.commit()
        decision = review_services.DecisionRequest(
            decision="return",
            base_version=aim.version,
            scores={criterion["id"]: 2 for criterion in aim_type.definition["rubric"]},
            criterion_comments={},
            field_comments={},
            comment="Name the population.",
        )
        review = review_services.decide(session, faculty, aim, decision)
        session.commit()
        save = worksheet_services.SaveRequest({**AIM, "population": "Patients on oral chemotherapy"}, aim.version)
        worksheet_services.save_worksheet(session, leader, team, aim_type, 1, save)
        session.commit()
        assert worksheet_services.submit_worksheet(session, leader, aim, aim.version) == []
        session.commit()
        pdsa = worksheet_services.save_worksheet(
            session, leader, team, types["pdsa"], 1, worksheet_services.SaveRequest(PDSA, None)
        )
        session.commit()
    measures = types["measures"]
    measure = Worksheet(team_id=team.id, type_id=measures.id, type=measures, record_no=1, data=MEASURE)
    session.add(measure)
    session.flush()
    points = [
        DataPoint(measure_id=measure.id, period=date(2026, month, 1), numerator=n, denominator=40, value=n / 40)
        for month, n in ((6, 19), (7, 22), (8, 27))
    ]
    session.add_all(points)
    session.commit()
    ids.update(
        aim=aim.id,
        attachment=attachment.public_id,
        review=review.id,
        point=points[0].id,
        measure_no=measure.record_no,
        pdsa_no=pdsa.record_no,
    )


def _licence(app, world: World, session: Session, side: int, holder, admin) -> None:
    ids = world.sides[side]
    today = datetime.now(UTC).date()
    institution = make_organization(session, f"Matrix Licensee Institution {side}", kind="licensee", country="AR")
    license_ = License(
        number=f"QTP-L-2026-09{side:02d}",
        organization=institution,
        product="six_month",
        locales=["en", "es"],
        territory=["AR"],
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
        seats=3,
    )
    session.add(license_)
    session.flush()
    seat = LicenseSeat(license_id=license_.id, user_id=holder.id, assigned_by_id=admin.id)
    session.add(seat)
    session.commit()
    with app.test_request_context():
        link = downloads.make_token(downloads.Link(holder.id, license_.id, "es", "manual/faculty-manual.pdf"))
    ids.update(license=license_.id, seat=seat.id, download=link, licensee_org=institution.id)


def _invitations(session: Session, world: World, side: int, admin, practice_id: int, team_id: int) -> None:
    """Pending invitations: to an account, to team `team_id`, to a seat of the side's licence; the first one's
    token opens the acceptance page."""
    ids = world.sides[side]
    expires = datetime.now(UTC) + timedelta(days=7)
    made = {}
    for kind, extra in (
        ("invitation", {"roles": ["participant"], "organization_id": practice_id}),
        ("team_invitation", {"roles": ["participant"], "team_id": team_id, "team_role": "extended"}),
        ("seat_invitation", {"roles": ["licensee"], "license_id": ids["license"]}),
    ):
        token = f"matrix-{kind}-{side}-token-0123456789abcdef"
        invitation = Invitation(
            email=f"{kind}{side}@matrix.example.org",
            name=f"Invited {kind} {side}",
            locale="es",
            token_hash=_token_hash(token),
            invited_by_id=admin.id,
            expires_at=expires,
            **extra,
        )
        session.add(invitation)
        made[kind] = (invitation, token)
    session.commit()
    for kind, (invitation, _token) in made.items():
        ids[kind] = invitation.id
    ids["invitation_token"] = made["invitation"][1]
