"""Issuing: only when the completion rule holds, never for someone outside the cohort, idempotent (also when
20 attempts run at once), audited."""

import threading

import pytest

from qtp.catalog.models import Module, Program
from qtp.certificates import services
from qtp.certificates.models import Certificate
from qtp.core.audit import AuditEvent
from qtp.core.service import PermissionDenied, ServiceError
from qtp.extensions import db
from qtp.progress.models import ModuleProgress
from tests.factories import add_member, make_cohort, make_team, make_user


def _participant(session, courses_root):
    """A participant of a cohort of the synced test program, whose rule asks for every module."""
    from qtp.catalog.sync import sync_content

    sync_content(session, courses_root, ("en", "es", "pt_BR"))
    program = session.query(Program).filter_by(slug="test-program").one()
    program.config = {**program.config, "completion": ["modules"]}
    cohort = make_cohort(session, program=program)
    user = make_user(session, roles=["participant"], name="Maria da Conceição Ñúñez")
    add_member(session, make_team(session, cohort), user, "core")
    session.commit()
    return program, cohort, user


def _complete_every_module(session, program, user):
    for module in session.query(Module).filter_by(program_id=program.id):
        session.add(ModuleProgress(user_id=user.id, module_id=module.id, content_version="x"))
    session.commit()


@pytest.fixture
def courses_root(tmp_path):
    from tests.content.builder import write_program

    root = tmp_path / "courses"
    write_program(root)
    return root


def test_a_certificate_needs_the_rule_and_is_issued_once(app, session, courses_root):
    program, cohort, user = _participant(session, courses_root)
    admin = make_user(session, roles=["admin"])
    with app.test_request_context():
        with pytest.raises(ServiceError, match="has not met every condition"):
            services.issue_certificate(session, admin, user, cohort)
        _complete_every_module(session, program, user)
        first = services.issue_certificate(session, admin, user, cohort)
        session.commit()
        again = services.issue_certificate(session, None, user, cohort)
    assert again.id == first.id and session.query(Certificate).count() == 1
    assert first.recipient_name == "Maria da Conceição Ñúñez" and len(first.serial) == 32
    assert session.query(AuditEvent).filter_by(action="certificate.issued").count() == 1


def test_nobody_else_gets_a_certificate_and_only_admins_issue_by_hand(app, session, courses_root):
    program, cohort, user = _participant(session, courses_root)
    _complete_every_module(session, program, user)
    outsider = make_user(session, roles=["participant"])
    faculty = make_user(session, roles=["faculty"])
    with app.test_request_context():
        with pytest.raises(ServiceError, match="not a participant"):
            services.issue_certificate(session, None, outsider, cohort)
        with pytest.raises(PermissionDenied):
            services.issue_certificate(session, faculty, user, cohort)
    assert session.query(Certificate).count() == 0


def test_twenty_parallel_attempts_give_one_certificate(app, committed_db, courses_root):
    program, cohort, user = _participant(committed_db, courses_root)
    _complete_every_module(committed_db, program, user)
    ids = (user.id, cohort.id)
    committed_db.commit()
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
    assert set(results) == {committed_db.query(Certificate).one().serial}
