"""Erasing an account: the confirm step, who may, what goes (every text column of every table is scanned for
the name and the e-mail afterwards), what stays readable, certificates by policy, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, String, Text, select

from qtp.accounts.models import User
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Membership
from qtp.core.audit import AuditEvent
from qtp.core.text import fold
from qtp.extensions import db
from qtp.licensing.models import Download, LicenseSeat
from qtp.privacy import erasure
from qtp.worksheets.models import Attachment, WorksheetRevision
from tests.helpers import csrf_token, login, text_of

from .conftest import EMAIL, NAME, OLD_EMAIL, TEAMMATE

NEEDLES = (NAME, "Carmen Navarro", EMAIL, OLD_EMAIL, fold(NAME), "navarro")


def traces(session, *, allowed: set[tuple[str, str]] = frozenset()) -> list[str]:
    """Every (table.column: value) of a text or JSON column that holds one of NEEDLES, ignoring case."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                text = str(value).lower() if value is not None else ""
                if (table.name, column.name) in allowed:
                    continue
                for needle in NEEDLES:
                    if needle.lower() in text:
                        found.append(f"{table.name}.{column.name}: {value!r}")
    return found


def erase(client, world, typed: str | None = None, *, signed_in: bool = False):
    if not signed_in:
        login(client, world.admin.email)
    path = f"/admin/users/{world.person.id}/erase"
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "confirm_email": EMAIL if typed is None else typed})


def test_before_erasure_the_scan_finds_the_person_everywhere(session, world):
    tables = {trace.split(".")[0] for trace in traces(session)}
    assert {"users", "audit_events", "worksheets", "worksheet_revisions", "downloads", "certificates"} <= tables


def test_erasure_leaves_no_trace_of_the_name_or_email_in_the_database(client, session, world):
    response = erase(client, world)
    assert response.status_code == 302, text_of(response)
    session.expire_all()
    # The certificate keeps the name frozen on it (the default policy): a verifier checks exactly that.
    found = traces(session, allowed={("certificates", "recipient_name")})
    assert found == [], "\n".join(found)
    assert session.get(Certificate, world.certificate.id).recipient_name == NAME


def test_the_account_is_anonymized_and_signed_out(app, client, session, world):
    other = app.test_client()
    assert login(other, EMAIL).status_code == 302
    assert erase(client, world).status_code == 302
    session.expire_all()
    user = session.get(User, world.person.id)
    assert user.name == "Erased user" and user.email.endswith("@erased.invalid") and user.is_erased
    assert not user.is_active and user.roles == [] and user.locale is None and user.timezone == "UTC"
    assert other.get("/home").status_code == 302  # the open session ended
    assert login(app.test_client(), EMAIL).status_code == 401
    assert session.scalars(select(Membership).where(Membership.user_id == user.id)).all() == []
    assert session.scalars(select(LicenseSeat.freed_at).where(LicenseSeat.user_id == user.id)).all()[0] is not None
    [download] = session.scalars(select(Download).where(Download.user_id == user.id))
    assert (download.user_name, download.address) == ("Erased user", "")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.erased")).one()
    assert event.actor_id == world.admin.id and event.details["certificates"] == "keep"
    assert event.details["removed"]["memberships"] == 1 and event.details["removed"]["interest_survey_answers"] == 1


def test_the_team_keeps_its_worksheets_and_history_under_erased_user(client, session, world):
    assert erase(client, world).status_code == 302
    session.expire_all()
    revisions = session.scalars(
        select(WorksheetRevision).where(WorksheetRevision.worksheet_id == world.charter.id).order_by("number")
    ).all()
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[1].author_id == world.person.id
    assert revisions[1].data["members"] == [
        {"name": TEAMMATE, "role": "leader"},
        {"name": "Erased user", "role": "core"},
    ]
    assert session.get(Attachment, world.attachment.id).filename == "../process map Erased user.pdf"
    teammate = app_client = client.application.test_client()
    login(app_client, world.teammate.email)
    history = app_client.get(f"/teams/{world.team.id}/worksheets/charter/1/history")
    assert history.status_code == 200
    page = text_of(history)
    assert "Erased user" in page and TEAMMATE in page and "Navarro" not in page
    assert teammate is app_client


def test_the_erased_author_reads_in_the_readers_language(client, session, world):
    assert erase(client, world).status_code == 302
    reader = client.application.test_client()
    login(reader, world.teammate.email)
    reader.post("/language", data={"csrf_token": csrf_token(reader, "/home"), "locale": "es", "next": "/home"})
    page = text_of(reader.get(f"/teams/{world.team.id}/worksheets/charter/1/history"))
    assert "Navarro" not in page
    assert "Usuario eliminado" in page or "Erased user" in page  # the catalogue is filled at merge


def test_the_revoke_policy_revokes_certificates_and_removes_the_name(app, client, session, world):
    app.config["QTP_ERASURE_CERTIFICATES"] = "revoke"
    try:
        viewer = app.test_client()
        login(viewer, world.admin.email)
        assert "will be revoked" in text_of(viewer.get(f"/admin/users/{world.person.id}/erase"))
        assert erase(client, world).status_code == 302
    finally:
        app.config["QTP_ERASURE_CERTIFICATES"] = "keep"
    session.expire_all()
    certificate = session.get(Certificate, world.certificate.id)
    assert certificate.revoked_at is not None and certificate.recipient_name == "Erased user"
    assert certificate.storage_key is None
    assert traces(session) == []
    verify = client.get(f"/verify/{certificate.serial}")
    assert verify.status_code == 200 and "Navarro" not in text_of(verify)


def test_the_confirm_page_states_the_policy_and_needs_the_typed_email(client, session, world):
    login(client, world.admin.email)
    page = text_of(client.get(f"/admin/users/{world.person.id}/erase"))
    assert EMAIL in page and "stays verifiable with the name printed on it" in page
    response = erase(client, world, typed="carmen@wrong.example.org", signed_in=True)
    assert response.status_code == 400
    assert "Type the account&#39;s e-mail address exactly" in response.get_data(as_text=True) or "exactly" in text_of(
        response
    )
    assert erase(client, world, typed="", signed_in=True).status_code == 400
    session.expire_all()
    assert session.get(User, world.person.id).email == EMAIL


def test_only_admins_may_erase_and_not_themselves_nor_the_last_admin(app, client, session, world):
    login(client, world.teammate.email)
    token = csrf_token(client, "/home")
    path = f"/admin/users/{world.person.id}/erase"
    assert client.get(path).status_code == 403
    assert client.post(path, data={"csrf_token": token, "confirm_email": EMAIL}).status_code == 403

    admin = app.test_client()
    login(admin, world.admin.email)
    own = f"/admin/users/{world.admin.id}/erase"
    assert "You cannot erase your own account." in text_of(admin.get(own))
    response = admin.post(own, data={"csrf_token": csrf_token(admin, own), "confirm_email": world.admin.email})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(User, world.admin.id).name == "Ana Admin"
    # The last administrator: only reachable by a caller that is not an active admin itself (the CLI, say).
    assert erasure.is_last_admin(session, session.get(User, world.admin.id))
    assert not erasure.is_last_admin(session, world.person)
    with pytest.raises(erasure.ServiceError, match="last administrator"):
        erasure.check_erasable(session, world.faculty, session.get(User, world.admin.id))


def test_a_failure_half_way_changes_nothing(client, session, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(erasure.redaction, "redact", broken)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = erase(client, world)
    finally:
        client.application.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    session.expire_all()
    user = session.get(User, world.person.id)
    assert (user.name, user.email, user.is_active) == (NAME, EMAIL, True)
    assert session.scalars(select(Membership).where(Membership.user_id == user.id)).all() != []
    assert session.get(WorksheetRevision, world.charter.revisions[1].id).data["members"][1]["name"] == NAME
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "account.erased")).all() == []


def test_an_erased_account_cannot_be_erased_again(client, session, world):
    assert erase(client, world).status_code == 302
    page = text_of(client.get(f"/admin/users/{world.person.id}/erase"))
    assert "This account has already been erased." in page


def test_the_audit_chain_still_verifies_and_the_redacted_events_say_so(client, session, world):
    from qtp.core import audit_chain

    assert erase(client, world).status_code == 302
    session.expire_all()
    report = audit_chain.verify(session)
    assert report.ok, report.problems
    erased = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.erased")).one()
    redacted = session.scalars(select(AuditEvent).where(AuditEvent.redacted_by_id == erased.id)).all()
    assert {e.action for e in redacted} >= {"team.member_added", "user.updated", "account.signed_in"}
    signed_in = next(e for e in redacted if e.action == "account.signed_in")
    assert signed_in.ip_address is None
    teammate_event = session.scalars(
        select(AuditEvent).where(AuditEvent.summary == "joana.prates@oncovalencia.example.org · leader")
    ).one()
    assert teammate_event.redacted_by_id is None  # events that never named the person are untouched


def test_erasure_removes_two_factor_and_every_session_record(app, client, session, world):
    from qtp.accounts.security_models import RecoveryCode, TwoFactorSecret, UserSession
    from tests.integration.accounts.twofactor_support import enable_two_factor

    enable_two_factor(app.test_client(), EMAIL)
    person = world.person.id
    assert session.scalars(select(UserSession).where(UserSession.user_id == person)).all()
    assert erase(client, world).status_code == 302
    session.expire_all()
    for model in (UserSession, TwoFactorSecret, RecoveryCode):
        assert session.scalars(select(model).where(model.user_id == person)).all() == [], model.__tablename__
    assert session.get(User, person).two_factor_enabled_at is None
