"""A person with data in every place the platform keeps personal data, a teammate, another team, an admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from qtp.accounts.models import Invitation, User
from qtp.catalog.models import Module, WorksheetType
from qtp.catalog.sync import sync_content
from qtp.certificates.models import Certificate
from qtp.certificates.serials import new_serial
from qtp.cohorts.models import Attendance, CohortEvent, Team
from qtp.core import audit
from qtp.core.storage import get_storage, new_key
from qtp.interest.models import InterestResponse
from qtp.licensing.models import Download, License, LicenseSeat
from qtp.measurement.models import DataPoint
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, ProgressScore, SelfAssessment
from qtp.review.models import Review
from qtp.worksheets.models import Attachment, Worksheet, WorksheetRevision
from tests.content.builder import write_program
from tests.content.worksheet_builder import write_worksheets
from tests.factories import add_member, add_staff, make_cohort, make_organization, make_team, make_user

NAME = "Carmen Navarro Ortí"
EMAIL = "carmen.navarro@oncovalencia.example.org"
OLD_EMAIL = "carmen.n@oldmail.example.org"
TEAMMATE = "Joana Prates"
OUTSIDER = "Rui Tavares"
ATTACHMENT = b"%PDF-1.4\n% the whiteboard process map\n"


@dataclass
class World:
    person: User
    teammate: User
    outsider: User
    faculty: User
    admin: User
    team: Team
    other_team: Team
    charter: Worksheet
    certificate: Certificate
    attachment: Attachment


def _at(days: int) -> datetime:
    return datetime(2026, 10, 1, 9, 30, tzinfo=UTC) + timedelta(days=days)


@pytest.fixture
def world(app, session, tmp_path) -> World:
    root = tmp_path / "courses"
    write_program(root)
    write_worksheets(root)
    sync_content(session, root, ("en", "es", "pt_BR"))
    session.commit()
    types = {t.slug: t for t in session.query(WorksheetType)}
    module = session.query(Module).first()

    person = make_user(session, EMAIL, name=NAME, roles=["participant"], locale="es")
    teammate = make_user(session, "joana.prates@oncovalencia.example.org", name=TEAMMATE, roles=["participant"])
    outsider = make_user(session, "rui.tavares@oncoporto.example.org", name=OUTSIDER, roles=["participant"])
    faculty = make_user(session, "felipe.faculty@test.example.org", name="Felipe Faculdade", roles=["faculty"])
    admin = make_user(session, "ana.admin@test.example.org", name="Ana Admin", roles=["admin"])

    cohort = make_cohort(session, program=module.program)
    team = make_team(session, cohort, project_title="Faster chemotherapy starts")
    other_team = make_team(session, make_cohort(session, program=module.program), project_title="Outsiders' project")
    add_member(session, team, teammate, "leader")
    add_member(session, team, person, "core")
    add_member(session, other_team, outsider, "leader")
    add_staff(session, cohort, faculty, "faculty")

    # The team's charter: the teammate wrote version 1, the person version 2, the teammate version 3.
    members = [{"name": TEAMMATE, "role": "leader"}, {"name": NAME, "role": "core"}]
    v1 = {"title": "Chemo starts on time", "members": [members[0]]}
    v2 = {"title": "Chemo starts on time", "members": members, "aim": f"Contact: {EMAIL}"}
    v3 = {**v2, "title": "Chemotherapy starts on time"}
    charter = Worksheet(team=team, type=types["charter"], data=v3, updated_by_id=teammate.id)
    charter.revisions = [
        WorksheetRevision(number=1, data=v1, author_id=teammate.id, content_version="x", created_at=_at(1)),
        WorksheetRevision(number=2, data=v2, author_id=person.id, content_version="x", created_at=_at(2)),
        WorksheetRevision(number=3, data=v3, author_id=teammate.id, content_version="x", created_at=_at(3)),
    ]
    aim = Worksheet(team=team, type=types["aim"], data={"statement": "Teammate's aim"}, updated_by_id=teammate.id)
    aim.revisions = [WorksheetRevision(number=1, data=aim.data, author_id=teammate.id, content_version="x")]
    other = Worksheet(team=other_team, type=types["aim"], data={"statement": "Rui's secret aim"})
    other.revisions = [WorksheetRevision(number=1, data=other.data, author_id=outsider.id, content_version="x")]
    session.add_all([charter, aim, other])
    session.flush()

    session.commit()  # an app context's end rolls back what is not committed
    key = new_key()
    with app.app_context():
        stored = get_storage().put(key, ATTACHMENT)
    attachment = Attachment(
        public_id=new_key(),
        worksheet_id=charter.id,
        storage_key=key,
        filename="../process map Carmen Navarro Ortí.pdf",
        content_type="application/pdf",
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=person.id,
    )
    teammate_file = Attachment(
        public_id=new_key(),
        worksheet_id=charter.id,
        storage_key=new_key(),
        filename="joana.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by_id=teammate.id,
    )
    session.add_all([attachment, teammate_file])
    session.add(
        DataPoint(measure_id=charter.id, period=date(2026, 10, 1), value=4.0, note="week 1", created_by_id=person.id)
    )
    session.add(
        Review(
            worksheet_id=charter.id,
            revision_id=charter.revisions[1].id,
            reviewer_id=faculty.id,
            decision="return",
            comment=f"Good start, {NAME}. Add a measure.",
            content_version="x",
        )
    )
    session.add(ProgressScore(team_id=team.id, proposed_score="1.0", note="Charter done", proposed_by_id=person.id))

    session.add(ModuleProgress(user_id=person.id, module_id=module.id, content_version="x"))
    session.add(
        KnowledgeCheckAttempt(
            user_id=person.id,
            module_id=module.id,
            answers={"q1": ["b"]},
            correct=1,
            total=1,
            score=100,
            passed=True,
            content_version="x",
        )
    )
    session.add(
        SelfAssessment(
            user_id=person.id, cohort_id=cohort.id, kind="pre", ratings={"pdsa": {"knowledge": 2}}, content_version="x"
        )
    )
    event = CohortEvent(
        cohort_id=cohort.id, kind="learning_session", key="ls1", starts_on=date(2026, 10, 5), ends_on=date(2026, 10, 6)
    )
    session.add(event)
    session.flush()
    session.add(
        Attendance(
            event_id=event.id,
            user_id=person.id,
            status="excused",
            note="medical appointment",
            recorded_by_id=faculty.id,
        )
    )
    session.add(
        Attendance(
            event_id=event.id,
            user_id=teammate.id,
            status="absent",
            note=f"covering for {NAME}",
            recorded_by_id=faculty.id,
        )
    )

    certificate = Certificate(
        serial=new_serial(),
        user_id=person.id,
        cohort_id=cohort.id,
        team_id=team.id,
        recipient_name=NAME,
        locale="es",
        storage_key=new_key(),
        sha256="1" * 64,
    )
    session.add(certificate)
    session.commit()
    with app.app_context():
        get_storage().put(certificate.storage_key, b"%PDF-1.4 certificate of " + NAME.encode())

    organization = make_organization(session, kind="licensee")
    licence = License(
        number="QTP-L-2026-0099",
        organization_id=organization.id,
        product="six_month",
        locales=["es"],
        territory=["ES"],
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        seats=2,
    )
    session.add(licence)
    session.flush()
    session.add(LicenseSeat(license_id=licence.id, user_id=person.id))
    for who in (person, teammate):
        session.add(
            Download(
                license_id=licence.id,
                user_id=who.id,
                user_name=who.name,
                user_email=who.email,
                product="six_month",
                locale="es",
                content_version="v",
                address="192.0.2.7" if who is person else "198.51.100.9",
                bytes_sent=100,
                status="complete",
            )
        )
    session.add(
        Invitation(
            email=EMAIL,
            name=NAME,
            roles=["participant"],
            token_hash=new_key(),
            expires_at=_at(14),
            accepted_at=_at(1),
            user_id=person.id,
        )
    )
    for email, answer in ((EMAIL, "We would like the six-month program"), ("someone@else.example.org", "Hello")):
        session.add(
            InterestResponse(
                country="ES",
                organization="Onco Valencia",
                role="nurse",
                program="six_month",
                language="es",
                email=email,
                message=answer,
                consent=True,
                locale="es",
            )
        )
    audit.record(session, admin, "team.member_added", team, summary=f"{EMAIL} · core")
    audit.record(session, admin, "team.member_added", team, summary=f"{teammate.email} · leader")
    audit.record(
        session,
        admin,
        "user.updated",
        person,
        summary=EMAIL,
        details={"email": {"from": OLD_EMAIL, "to": EMAIL}, "name": {"from": "Carmen Navarro", "to": NAME}},
    )
    audit.record(session, person, "account.signed_in", person, summary=EMAIL, ip_address="192.0.2.7")
    audit.record(session, person, "worksheet.saved", charter, summary=f"charter · {TEAMMATE}")
    audit.record(session, admin, "certificate.issued", certificate, summary=NAME)
    session.commit()
    return World(person, teammate, outsider, faculty, admin, team, other_team, charter, certificate, attachment)
