"""Two reviewers deciding at once, and the e-mails the team receives (each member in their own language)."""

import threading

from qtp.extensions import db
from qtp.review import services
from qtp.review.models import Review
from qtp.worksheets.models import Worksheet
from tests.factories import add_staff, make_user
from tests.helpers import text_of
from tests.integration.review.conftest import base_version, decide, sign_in


def test_the_second_decision_is_told_who_decided_and_keeps_what_was_typed(app, client, session, team, submitted):
    second = make_user(session, "faculty2@test.example.org", name="Dra. Lucía Fernández", roles=["faculty"])
    add_staff(session, team.cohort, second, "faculty")
    other = app.test_client()
    sign_in(other, "faculty2")
    stale = base_version(other, submitted.id)  # the second reviewer opens the page first...

    sign_in(client, "faculty")
    assert decide(client, submitted.id, "approve").status_code == 303  # ...and the first one decides

    typed = "Please add the baseline period: 8 weeks in July and August?"
    response = decide(
        other, submitted.id, "return", version=stale, comment=typed, **{"field-comment-statement": "Too long"}
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "Your decision was not recorded" in page
    assert f"{team.people['faculty'].name} decided first" in page and "Approved" in page
    assert typed in page and "Too long" in page  # nothing typed is lost
    assert 'value="return"' not in page  # no decision buttons on a decided worksheet
    session.expire_all()
    assert [r.decision for r in session.query(Review)] == ["approve"]
    assert session.get(Worksheet, submitted.id).status == "approved"


def test_a_real_race_between_two_reviewers_records_one_decision(app, committed_db, tmp_path):
    """Both reviewers read version N and decide at the same moment: one decision is stored, the other is
    told (AlreadyDecided) on SQLite (serialized writers) and PostgreSQL (version column, unique revision)."""
    from qtp.catalog.models import WorksheetType
    from qtp.catalog.sync import sync_content
    from qtp.worksheets import services as worksheet_services
    from tests.content.builder import write_program
    from tests.content.worksheet_builder import write_worksheets
    from tests.factories import add_member, make_team

    root = tmp_path / "courses"
    write_program(root)
    write_worksheets(root)
    sync_content(committed_db, root, ("en", "es", "pt_BR"))
    team = make_team(committed_db)
    leader = make_user(committed_db, "race-leader@test.example.org", roles=["participant"])
    add_member(committed_db, team, leader, "leader")
    reviewers = [make_user(committed_db, f"race-f{n}@test.example.org", roles=["faculty"]) for n in range(2)]
    for reviewer in reviewers:
        add_staff(committed_db, team.cohort, reviewer, "faculty")
    aim = committed_db.query(WorksheetType).filter_by(slug="aim").one()
    with app.test_request_context():
        saved = worksheet_services.save_worksheet(
            committed_db,
            leader,
            team,
            aim,
            1,
            worksheet_services.SaveRequest({"statement": "x", "direction": "increase"}, None),
        )
        committed_db.commit()
        assert worksheet_services.submit_worksheet(committed_db, leader, saved, saved.version) == []
        committed_db.commit()
    ids = (saved.id, saved.version, [r.id for r in reviewers])
    committed_db.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def reviewer(n: int) -> None:
        with app.test_request_context():
            from qtp.accounts.models import User

            session = db.session
            barrier.wait()  # both start from the same submitted version at the same moment
            try:
                worksheet, user = session.get(Worksheet, ids[0]), session.get(User, ids[2][n])
                request = services.DecisionRequest(
                    "approve" if n == 0 else "return", ids[1], {"smart": 2}, comment=f"by reviewer {n}"
                )
                services.decide(session, user, worksheet, request)
                session.commit()
                outcomes.append("decided")
            except services.AlreadyDecided:
                session.rollback()
                outcomes.append("already decided")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already decided", "decided"]
    committed_db.expire_all()
    assert committed_db.query(Review).count() == 1
    stored = committed_db.get(Worksheet, ids[0])
    assert stored.status == ("approved" if committed_db.query(Review).one().decision == "approve" else "returned")


def test_each_member_is_told_in_their_own_language(client, session, team, submitted, outbox):
    team.people["leader"].locale = "es"
    team.people["core"].locale = "pt_BR"
    team.people["sponsor"].locale = None  # falls back to the cohort's language
    team.cohort.locale = "en"
    session.commit()
    sign_in(client, "faculty")
    outbox.clear()
    decide(
        client, submitted.id, "return", comment="Añadan la fecha meta.", **{"field-comment-statement": "¿Qué clínica?"}
    )
    mails = {mail.to: mail for mail in outbox}
    assert set(mails) == {"leader@test.example.org", "core@test.example.org", "sponsor@test.example.org"}
    leader, core, sponsor = (mails[f"{w}@test.example.org"] for w in ("leader", "core", "sponsor"))
    assert leader.subject.startswith("Devuelta para corregir: Title [es]")
    assert core.subject.startswith("Devolvida para revisão: Title [pt_BR]")
    assert sponsor.subject.startswith("Returned for revision: Title")
    for mail in (leader, core, sponsor):
        assert "Añadan la fecha meta." in mail.body
        assert f"http://localhost/teams/{team.id}/worksheets/aim/1" in mail.body
    assert "Hola" in leader.body and "Olá" in core.body and "Hello" in sponsor.body


def test_no_mail_when_the_decision_is_refused(client, session, submitted, outbox):
    sign_in(client, "faculty")
    outbox.clear()
    assert decide(client, submitted.id, "return").status_code == 400
    assert outbox == []
