"""Admins: issue to a whole cohort (from its page or the command line, rendered in one pass per batch),
revoke with a reason, re-issue after a name correction; each step audited, nobody else allowed."""

from __future__ import annotations

from qtp.certificates import jobs
from qtp.certificates.models import Certificate
from qtp.core import pdf
from qtp.core.audit import AuditEvent
from tests.factories import add_staff, make_user
from tests.helpers import login, logout, post_form, text_of
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant


def _cohort_with_people(session, program, complete: int = 3, incomplete: int = 1):
    cohort = cohort_of(session, program, slug="lisbon-2026", name="Lisbon 2026")
    done = [participant(session, cohort, name=f"Finished {n}") for n in range(complete)]
    for user in done:
        complete_every_module(session, program, user)
    pending = [participant(session, cohort, name=f"Still working {n}") for n in range(incomplete)]
    return cohort, done, pending


def test_an_admin_issues_to_everyone_who_completed(app, client, session, program, outbox, monkeypatch):
    cohort, done, pending = _cohort_with_people(session, program)
    passes = []
    real = pdf.html_to_pdfs
    monkeypatch.setattr(pdf, "html_to_pdfs", lambda html, **kw: passes.append(kw["titles"]) or real(html, **kw))
    admin = make_user(session, roles=["admin"])
    login(client, admin.email)
    page = text_of(client.get(f"/admin/cohorts/{cohort.id}/certificates"))
    assert "3 participants have met every condition and have no certificate yet." in page
    assert "Still working 0" in page

    path = f"/admin/cohorts/{cohort.id}/certificates/issue"
    response = post_form(client, path, token_from=f"/admin/cohorts/{cohort.id}/certificates", follow_redirects=True)
    assert "3 certificates issued." in text_of(response)
    certificates = session.query(Certificate).filter_by(cohort_id=cohort.id).all()
    assert {c.user_id for c in certificates} == {u.id for u in done}
    assert all(c.is_ready and c.issued_by_id == admin.id for c in certificates)
    assert len(passes) == 1 and len(passes[0]) == 3, "the three certificates were laid out in one pass"
    assert {m.to for m in outbox if "certificate" in m.subject.lower()} == {u.email for u in done}
    assert session.query(AuditEvent).filter_by(action="certificate.bulk_issued").count() == 1

    again = post_form(client, path, token_from=f"/admin/cohorts/{cohort.id}/certificates", follow_redirects=True)
    assert "0 certificates issued." in text_of(again)
    assert session.query(Certificate).filter_by(cohort_id=cohort.id).count() == 3


def test_only_admins_issue_revoke_or_reissue(app, client, session, program):
    cohort, done, _pending = _cohort_with_people(session, program, complete=1, incomplete=0)
    faculty = make_user(session, roles=["faculty", "coach"])
    add_staff(session, cohort, faculty)
    with app.test_request_context():
        jobs.issue_cohort(cohort.id, None)
    certificate = session.query(Certificate).one()
    for who in (faculty, done[0]):
        logout(client)
        login(client, who.email)
        assert client.get(f"/admin/cohorts/{cohort.id}/certificates").status_code == 403
        token_page = "/home"
        issue = post_form(client, f"/admin/cohorts/{cohort.id}/certificates/issue", token_from=token_page)
        change = post_form(
            client,
            f"/admin/certificates/{certificate.id}/change",
            {f"c{certificate.id}-reason": "no", f"c{certificate.id}-revoke": "Revoke"},
            token_from=token_page,
        )
        assert (issue.status_code, change.status_code) == (403, 403)
    session.refresh(certificate)
    assert not certificate.is_revoked


def test_revoke_needs_a_reason_and_is_audited(app, client, session, program):
    cohort, _done, _pending = _cohort_with_people(session, program, complete=1, incomplete=0)
    with app.test_request_context():
        jobs.issue_cohort(cohort.id, None)
    certificate = session.query(Certificate).one()
    admin = make_user(session, roles=["admin"])
    login(client, admin.email)
    page = f"/admin/cohorts/{cohort.id}/certificates"
    path = f"/admin/certificates/{certificate.id}/change"
    prefix = f"c{certificate.id}-"
    empty = post_form(client, path, {prefix + "reason": "  ", prefix + "revoke": "Revoke"}, token_from=page)
    assert empty.status_code == 400 and "Give the reason" in text_of(empty)
    assert "<details open>" in text_of(empty), "the form stays open where the admin was typing"
    long = "x" * 501
    too_long = post_form(client, path, {prefix + "reason": long, prefix + "revoke": "Revoke"}, token_from=page)
    assert too_long.status_code == 400 and long in text_of(too_long), "what was typed is kept"
    session.refresh(certificate)
    assert not certificate.is_revoked

    post_form(client, path, {prefix + "reason": "Issued by mistake", prefix + "revoke": "Revoke"}, token_from=page)
    session.refresh(certificate)
    assert certificate.is_revoked and certificate.revoked_by_id == admin.id
    assert certificate.revoked_reason == "Issued by mistake"
    event = session.query(AuditEvent).filter_by(action="certificate.revoked").one()
    assert event.details == {"reason": "Issued by mistake"} and event.actor_id == admin.id
    twice = post_form(client, path, {prefix + "reason": "again", prefix + "revoke": "Revoke"}, token_from=page)
    assert twice.status_code == 409 and "This certificate was already revoked." in text_of(twice)


def test_reissue_after_a_name_correction(app, client, session, program):
    cohort, (user,), _pending = _cohort_with_people(session, program, complete=1, incomplete=0)
    with app.test_request_context():
        jobs.issue_cohort(cohort.id, None)
    old = session.query(Certificate).one()
    user.name = "Joana d’Arc Gonçalves"
    session.commit()
    admin = make_user(session, roles=["admin"])
    login(client, admin.email)
    prefix = f"c{old.id}-"
    response = post_form(
        client,
        f"/admin/certificates/{old.id}/change",
        {prefix + "reason": "Name corrected: accents", prefix + "reissue": "Re-issue"},
        token_from=f"/admin/cohorts/{cohort.id}/certificates",
        follow_redirects=True,
    )
    assert "A new certificate was issued" in text_of(response)
    session.refresh(old)
    new = session.query(Certificate).filter(Certificate.revoked_at.is_(None)).one()
    assert old.is_revoked and old.replaced_by_id == new.id and old.recipient_name != new.recipient_name
    assert new.recipient_name == "Joana d’Arc Gonçalves" and new.is_ready and new.serial != old.serial
    actions = [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    assert "certificate.revoked" in actions and "certificate.reissued" in actions


def test_the_command_issues_a_cohort_with_a_progress_bar(app, session, program):
    cohort, done, _pending = _cohort_with_people(session, program, complete=2, incomplete=1)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qtp", "certificates", "issue", "--cohort", cohort.slug])
    assert result.exit_code == 0, result.output
    assert "Rendering certificates" in result.output
    assert f"{cohort.slug}: 2 issued, 2 PDFs stored, 0 already held one, 1 not complete yet." in result.output
    again = runner.invoke(args=["qtp", "certificates", "issue", "--cohort", cohort.slug])
    assert "0 issued, 0 PDFs stored, 2 already held one" in again.output
    unknown = runner.invoke(args=["qtp", "certificates", "issue", "--cohort", "nowhere"])
    assert unknown.exit_code != 0 and "no cohort with the slug 'nowhere'" in unknown.output
