"""The certificate pages run a fixed number of SQL statements (at most 12), whatever the cohort's size: the
admins' certificates page, the public verification page and the recipient's home page."""

from __future__ import annotations

from qtp.certificates import serials, services
from qtp.certificates.models import Certificate
from qtp.core.storage import new_key
from tests.factories import make_user
from tests.helpers import login, logout
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant

BUDGET = 12


def _grow(session, program, cohort, count: int) -> None:
    """`count` more participants who completed, half of them holding a certificate."""
    for n in range(count):
        user = participant(session, cohort, name=f"Participant {n}")
        complete_every_module(session, program, user)
        if n % 2:
            session.add(
                Certificate(
                    serial=serials.new_serial(),
                    user_id=user.id,
                    cohort_id=cohort.id,
                    recipient_name=user.name,
                    locale="en",
                    storage_key=new_key(),
                    sha256="0" * 64,
                )
            )
    session.commit()


def _count(client, sql_statements, path: str) -> int:
    sql_statements.clear()
    assert client.get(path).status_code == 200, path
    return len(sql_statements)


def test_the_admin_certificates_page_is_constant_in_the_cohort_size(app, client, session, program, sql_statements):
    cohort = cohort_of(session, program)
    admin = make_user(session, roles=["admin"])
    login(client, admin.email)
    path = f"/admin/cohorts/{cohort.id}/certificates"
    _grow(session, program, cohort, 4)
    small = _count(client, sql_statements, path)
    _grow(session, program, cohort, 30)
    large = _count(client, sql_statements, path)
    assert small == large <= BUDGET, (small, large)


def test_the_verification_page_and_the_recipients_home(app, client, session, program, sql_statements):
    cohort = cohort_of(session, program)
    user = participant(session, cohort)
    complete_every_module(session, program, user)
    admin = make_user(session, roles=["admin"])
    with app.test_request_context():
        old = services.issue_certificate(session, None, user, cohort)
        services.reissue_certificate(session, admin, old, "Name corrected")
        session.commit()
    assert _count(client, sql_statements, f"/verify/{old.serial}") <= 3  # the certificate and its replacement
    login(client, user.email)
    assert _count(client, sql_statements, "/home") <= BUDGET
    logout(client)
