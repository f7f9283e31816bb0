"""The audit log cannot be edited silently: each event carries the hash of the one before, and
`flask qtp audit verify` names what was changed, removed, inserted or re-chained."""

import threading

import pytest
from sqlalchemy import text

from qtp.core import audit, audit_chain
from qtp.core.audit import AuditEvent
from tests.factories import make_user


def _record(session, n, actor=None, **kw):
    events = [audit.record(session, actor, "test.event", ("things", i), summary=f"thing {i}", **kw) for i in range(n)]
    session.commit()
    return events


def _verify(session):
    session.expire_all()
    return audit_chain.verify(session)


def test_events_join_the_chain_in_commit_order_and_verify(session):
    user = make_user(session, "ana@example.org")
    first = _record(session, 3, user, details={"role": "leader", 7: ("a", 1.5)})
    second = _record(session, 2)
    seqs = [e.seq for e in first + second]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5 and seqs[-1] - seqs[0] == 4
    report = _verify(session)
    assert report.ok, report.problems
    assert report.events == session.query(AuditEvent).count() and report.head_seq == seqs[-1]


def test_a_rolled_back_event_takes_no_place(session):
    kept = _record(session, 1)[0]
    audit.record(session, None, "test.lost", ("things", 9))
    session.flush()
    session.rollback()
    after = _record(session, 1)[0]
    assert after.seq == kept.seq + 1
    assert _verify(session).ok


def test_an_edited_summary_is_found(session):
    events = _record(session, 3)
    session.execute(text("UPDATE audit_events SET summary = 'nothing happened' WHERE id = :id"), {"id": events[1].id})
    report = _verify(session)
    assert not report.ok
    assert any(f"#{events[1].seq} (id {events[1].id}" in p and "changed without a redaction" in p
               for p in report.problems)


def test_an_edit_that_recomputes_the_digest_breaks_the_chain(session):
    events = _record(session, 3)
    forged = audit_chain.content_digest("nothing happened", {}, None)
    session.execute(text("UPDATE audit_events SET summary = 'nothing happened', details = '{}', digest = :d "
                         "WHERE id = :id"), {"d": forged, "id": events[1].id})
    problems = _verify(session).problems
    assert any(f"#{events[1].seq}" in p and "does not follow" in p for p in problems)


def test_deleted_and_inserted_events_are_found(session):
    events = _record(session, 4)
    session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[1].id})
    assert any("missing (deleted)" in p for p in _verify(session).problems)

    session.rollback()
    events = _record(session, 2)
    session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[-1].id})
    assert any("newest events were removed" in p for p in _verify(session).problems)

    session.rollback()
    session.execute(text("INSERT INTO audit_events (at, action, object_type, summary, details) "
                         "VALUES (CURRENT_TIMESTAMP, 'user.role_granted', 'users', 'made admin', '{}')"))
    assert any("outside the chain" in p for p in _verify(session).problems)


def test_redaction_by_an_erasure_keeps_the_chain_verifiable_and_is_shown(session):
    events = _record(session, 2, ip_address="203.0.113.9")
    events += [audit.record(session, None, "team.member_added", ("teams", 1), summary="ana@example.org · leader",
                            details={"email": "ana@example.org", "name": "Ana Ribeiro"})]
    session.commit()
    erasure = audit.record(session, None, "account.erased", ("users", 5), summary="user 5")
    changed = audit.redact(session, events, by=erasure, replacements={"ana@example.org": "erased-5",
                                                                       "Ana Ribeiro": "Erased user"})
    session.commit()
    assert changed == 1
    session.expire_all()
    redacted = session.get(AuditEvent, events[-1].id)
    assert redacted.summary == "erased-5 · leader"
    assert redacted.details == {"email": "erased-5", "name": "Erased user"}
    assert redacted.redacted_by_id == erasure.id and redacted.redacted_at is not None
    report = _verify(session)
    assert report.ok, report.problems
    assert report.redacted == 1

    # a silent edit cannot hide behind "redacted" without naming a real erasure in the chain
    session.execute(text("UPDATE audit_events SET redacted_by_id = NULL WHERE id = :id"), {"id": redacted.id})
    assert any("redacted by no erasure" in p for p in _verify(session).problems)


def test_a_recorded_head_catches_a_chain_rewritten_from_its_start(session):
    events = _record(session, 3)
    recorded = (events[-1].seq, events[-1].chain)
    assert audit_chain.verify(session, expect=recorded).ok
    # an attacker rewrites the second event and re-chains everything after it, head included
    session.execute(text("UPDATE audit_events SET summary = 'rewritten' WHERE id = :id"), {"id": events[1].id})
    session.expire_all()
    rows = session.query(AuditEvent).order_by(AuditEvent.seq).all()
    previous = ""
    for e in rows:
        e.digest = audit_chain.content_digest(e.summary, e.details, e.ip_address)
        e.chain = audit_chain.link_hash(previous, e.seq, e, e.digest)
        previous = e.chain
    session.execute(text("UPDATE audit_chain_head SET chain = :c"), {"c": previous})
    session.flush()
    assert _verify(session).ok  # on its own, a full rewrite verifies...
    problems = audit_chain.verify(session, expect=recorded).problems
    assert any("rewritten" in p for p in problems)  # ...but not against the head recorded before


def test_the_command_exits_non_zero_on_a_broken_chain(app, committed_db):
    audit.record(committed_db, None, "test.event", ("things", 1), summary="one")
    committed_db.commit()
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["qtp", "audit", "verify"])
    assert ok.exit_code == 0 and "Audit chain verified: 1 events" in ok.output
    committed_db.execute(text("UPDATE audit_events SET summary = 'two'"))
    committed_db.commit()
    broken = runner.invoke(args=["qtp", "audit", "verify"])
    assert broken.exit_code == 1 and "changed without a redaction" in broken.output
    bad = runner.invoke(args=["qtp", "audit", "verify", "--head", "nonsense"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("writers", [8])
def test_concurrent_commits_form_one_chain(app, committed_db, writers):
    from qtp.extensions import db

    with app.app_context():
        engine = db.engine
    from sqlalchemy.orm import sessionmaker

    factory = sessionmaker(bind=engine)
    errors = []
    start = threading.Barrier(writers)

    def write(n):
        session = factory()
        try:
            start.wait()
            for i in range(5):
                audit.record(session, None, "test.concurrent", ("things", n * 100 + i), summary=f"{n}/{i}")
                session.commit()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            session.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = audit_chain.verify(committed_db)
    assert report.ok, report.problems
    assert report.events == writers * 5


def test_the_audit_log_page_shows_which_events_were_redacted(app, session):
    from tests.helpers import login, text_of

    admin = make_user(session, roles=("admin",))
    event = _record(session, 1)[0]
    erasure = audit.record(session, None, "account.erased", ("users", 5))
    audit.redact(session, [event], by=erasure, replacements={"thing": "erased"})
    session.commit()
    client = app.test_client()
    login(client, admin.email)
    page = text_of(client.get("/admin/audit"))
    assert "erased 0" in page and "Personal data removed on" in page
    assert page.count("Personal data removed on") == 1
