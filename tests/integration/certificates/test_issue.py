"""Issuing: only when the completion rule holds, never for someone outside the cohort, idempotent (also when
20 attempts run at once), audited."""

import hashlib
import threading

import pytest

from qtp.certificates import services
from qtp.certificates.models import Certificate
from qtp.core.audit import AuditEvent
from qtp.core.service import PermissionDenied, ServiceError
from qtp.core.storage import get_storage
from qtp.extensions import db
from tests.factories import make_user
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant


def _participant(session, program):
    cohort = cohort_of(session, program)
    return program, cohort, participant(session, cohort)


def test_a_certificate_needs_the_rule_and_is_issued_once(app, session, program):
    program, cohort, user = _participant(session, program)
    admin = make_user(session, roles=["admin"])
    with app.test_request_context():
        with pytest.raises(ServiceError, match="has not met every condition"):
            services.issue_certificate(session, admin, user, cohort)
        complete_every_module(session, program, user)
        first = services.issue_certificate(session, admin, user, cohort)
        session.commit()
        again = services.issue_certificate(session, None, user, cohort)
    assert again.id == first.id and session.query(Certificate).count() == 1
    assert first.recipient_name == "Maria da Conceição Ñúñez" and len(first.serial) == 32
    assert session.query(AuditEvent).filter_by(action="certificate.issued").count() == 1


def test_nobody_else_gets_a_certificate_and_only_admins_issue_by_hand(app, session, program):
    program, cohort, user = _participant(session, program)
    complete_every_module(session, program, user)
    outsider = make_user(session, roles=["participant"])
    faculty = make_user(session, roles=["faculty"])
    with app.test_request_context():
        with pytest.raises(ServiceError, match="not a participant"):
            services.issue_certificate(session, None, outsider, cohort)
        with pytest.raises(PermissionDenied):
            services.issue_certificate(session, faculty, user, cohort)
    assert session.query(Certificate).count() == 0


def test_twenty_parallel_attempts_give_one_certificate(app, committed_db, program_committed):
    program, cohort, user = _participant(committed_db, program_committed)
    complete_every_module(committed_db, program, user)
    ids = (user.id, cohort.id)
    committed_db.commit()
    with app.app_context():
        files_before = {p for p in get_storage().root.rglob("*") if p.is_file()}
    barrier = threading.Barrier(20)
    results: list[str] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        with app.test_request_context():
            from qtp.accounts.models import User
            from qtp.cohorts.models import Cohort

            session = db.session
            barrier.wait()
            try:
                issued = services.issue_certificate(
                    session, None, session.get(User, ids[0]), session.get(Cohort, ids[1])
                )
                serial = issued.serial
                session.commit()
                results.append(serial)
            except BaseException as error:  # noqa: BLE001 (reported below)
                session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    committed_db.expire_all()
    assert committed_db.query(Certificate).count() == 1
    certificate = committed_db.query(Certificate).one()
    assert set(results) == {certificate.serial}
    with app.app_context():
        storage = get_storage()
        written = {p for p in storage.root.rglob("*") if p.is_file()} - files_before
        assert written == {storage.path(certificate.storage_key)}, "one PDF, and nothing else, was written"
    assert certificate.sha256 == hashlib.sha256(storage.path(certificate.storage_key).read_bytes()).hexdigest()
