"""Automatic issue: the certificate arrives when the last condition becomes true (a module completed, a
worksheet approved, attendance recorded), e-mailed in the recipient's language; the recipient downloads it from
the home page, and nobody else can."""

from __future__ import annotations

import hashlib
from datetime import date

from qtp.certificates import document, services
from qtp.certificates.models import Certificate
from qtp.cohorts.attendance import Mark, record_attendance
from qtp.cohorts.models import EventKind, WorksheetDue
from qtp.cohorts.services import add_program_calendar
from qtp.core.storage import get_storage
from tests.factories import add_staff, make_user
from tests.helpers import login, logout, post_form, text_of
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant
from tests.integration.review import conftest as review_fixtures
from tests.integration.review.conftest import decide, sign_in

submitted = review_fixtures.submitted
team = review_fixtures.team
worksheet_types = review_fixtures.worksheet_types


def test_completing_the_last_module_issues_the_certificate(app, client, session, program, outbox):
    cohort = cohort_of(session, program, starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30), locale="en")
    user = participant(session, cohort, name="Lucía Pérez", locale="es")
    (last,) = complete_every_module(session, program, user, leave=1)
    login(client, user.email)
    assert "Descargar su certificado" not in text_of(client.get("/home"))

    path = f"/learning/{cohort.id}/modules/{last.slug}/complete"
    response = post_form(client, path, token_from=f"/learning/{cohort.id}/modules/{last.slug}")
    assert response.status_code == 302
    certificate = session.query(Certificate).filter_by(user_id=user.id).one()
    assert certificate.locale == "es" and certificate.issued_by_id is None and certificate.is_ready

    (mail,) = [m for m in outbox if m.to == user.email and "certificado" in m.subject.lower()]
    assert mail.subject.startswith("Su certificado")
    with app.app_context():
        assert document.verify_url(certificate.serial) in mail.body

    home = text_of(client.get("/home"))
    download = f"/certificates/{certificate.id}/download"
    assert download in home and f"/verify/{certificate.serial}" in home
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    assert hashlib.sha256(pdf.data).hexdigest() == certificate.sha256


def test_nobody_else_downloads_a_certificate(app, client, session, program):
    cohort = cohort_of(session, program)
    owner = participant(session, cohort)
    colleague = participant(session, cohort)
    complete_every_module(session, program, owner)
    with app.test_request_context():
        certificate = services.issue_certificate(session, None, owner, cohort)
        session.commit()
    path = f"/certificates/{certificate.id}/download"
    assert client.get(path).status_code == 302  # anonymous: sign in first
    login(client, colleague.email)
    assert client.get(path).status_code == 404
    faculty = make_user(session, roles=["faculty"])
    add_staff(session, cohort, faculty)
    logout(client)
    login(client, faculty.email)
    assert client.get(path).status_code == 404
    admin = make_user(session, roles=["admin"])
    logout(client)
    login(client, admin.email)
    assert client.get(path).status_code == 200
    with app.test_request_context():
        services.revoke_certificate(session, admin, certificate, "Issued to the wrong person")
        session.commit()
    logout(client)
    login(client, owner.email)
    assert client.get(path).status_code == 404, "a revoked certificate is no longer handed out"


def test_approving_the_last_worksheet_issues_to_the_teams_participants(app, client, session, submitted, team, outbox):
    cohort = team.cohort
    cohort.program.config = {"completion": ["worksheets"], "titles": {"en": "QTP"}}
    session.add(WorksheetDue(cohort_id=cohort.id, worksheet_type="aim", due_on=date(2026, 10, 1)))
    session.commit()
    sign_in(client, "faculty")
    assert decide(client, submitted.id, "approve").status_code in (302, 303)
    holders = {c.user_id for c in session.query(Certificate).filter_by(cohort_id=cohort.id)}
    assert holders == {team.people["leader"].id, team.people["core"].id}, "participants, not the sponsor"
    assert all(c.is_ready for c in session.query(Certificate))


def test_recording_attendance_at_the_last_session_issues_the_certificate(app, session, program):
    program.config = {**program.config, "completion": ["modules", "learning_sessions"]}
    cohort = cohort_of(session, program)
    add_program_calendar(cohort, program)
    session.commit()
    user = participant(session, cohort)
    complete_every_module(session, program, user)
    admin = make_user(session, roles=["admin"])
    (ls1,) = [e for e in cohort.events if e.kind == EventKind.LEARNING_SESSION]
    with app.test_request_context():
        assert services.issue_if_complete(session, [user.id], cohort) == []
        record_attendance(session, admin, ls1, {user.id: Mark("absent", "")})
        assert session.query(Certificate).count() == 0
        record_attendance(session, admin, ls1, {user.id: Mark("present", "")})
        session.commit()
    assert session.query(Certificate).filter_by(user_id=user.id).one().is_ready


def test_a_rendering_failure_never_blocks_what_led_to_the_certificate(app, client, session, program, monkeypatch):
    cohort = cohort_of(session, program, starts_on=date(2026, 1, 5))
    user = participant(session, cohort)
    (last,) = complete_every_module(session, program, user, leave=1)

    def broken(_certificate):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(document, "render_one", broken)
    login(client, user.email)
    path = f"/learning/{cohort.id}/modules/{last.slug}/complete"
    assert post_form(client, path, token_from=f"/learning/{cohort.id}/modules/{last.slug}").status_code == 302
    certificate = session.query(Certificate).filter_by(user_id=user.id).one()
    assert not certificate.is_ready
    assert "Your certificate is being prepared" in text_of(client.get("/home"))
    with app.app_context():
        assert not get_storage().exists(certificate.storage_key)
