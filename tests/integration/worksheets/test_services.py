import threading

import pytest

from qtp.core.service import PermissionDenied, ServiceError
from qtp.extensions import db
from qtp.worksheets import services
from qtp.worksheets.models import Worksheet, WorksheetRevision
from qtp.worksheets.services import Conflict, PatientDataWarning, SaveRequest


def save(session, team, wtype, who, raw, base=None, **kwargs):
    return services.save_worksheet(session, team.people[who], team, wtype, 1, SaveRequest(raw, base, **kwargs))


def test_every_save_makes_a_revision_and_bumps_the_version(app, session, team, worksheet_types):
    aim = worksheet_types["aim"]
    with app.test_request_context():
        first = save(session, team, aim, "leader", {"statement": "Increase calls answered within 2 hours"})
        session.commit()
        assert (first.version, len(first.revisions)) == (1, 1)
        second = save(session, team, aim, "core", {"statement": "Increase to 75% by 30 June"}, base=1)
        session.commit()
    assert second.version == 2
    assert [r.number for r in second.revisions] == [1, 2]
    assert second.revisions[0].data["statement"] == "Increase calls answered within 2 hours"


def test_saving_from_an_old_version_is_a_conflict_and_nothing_is_overwritten(app, session, team, worksheet_types):
    aim = worksheet_types["aim"]
    with app.test_request_context():
        save(session, team, aim, "leader", {"statement": "A"})
        save(session, team, aim, "leader", {"statement": "B"}, base=1)
        session.commit()
        with pytest.raises(Conflict) as conflict:
            save(session, team, aim, "core", {"statement": "C from an old page"}, base=1)
    assert conflict.value.mine["statement"] == "C from an old page"
    session.rollback()
    assert session.query(Worksheet).one().data["statement"] == "B"


def test_sponsor_reads_but_cannot_edit_and_outsiders_cannot_at_all(app, session, team, worksheet_types):
    with app.test_request_context():
        for who in ("sponsor", "outsider", "faculty"):
            with pytest.raises(PermissionDenied):
                save(session, team, worksheet_types["aim"], who, {"statement": "x"})


def test_patient_identifiers_need_a_confirmation(app, session, team, worksheet_types):
    raw = {"statement": "Patient MRN 00482913 waited 3 hours"}
    with app.test_request_context():
        with pytest.raises(PatientDataWarning) as warning:
            save(session, team, worksheet_types["aim"], "leader", raw)
        assert warning.value.findings[0].kind == "record-number"
        saved = save(session, team, worksheet_types["aim"], "leader", raw, confirmed_no_patient_data=True)
    assert saved.data["statement"].startswith("Patient MRN")


def test_only_the_leader_submits_and_only_when_complete(app, session, team, worksheet_types):
    charter = worksheet_types["charter"]
    with app.test_request_context():
        worksheet = save(session, team, charter, "core", {"members": [{"name": "", "role": "core"}]})
        session.commit()
        with pytest.raises(ServiceError):
            services.submit_worksheet(session, team.people["core"], worksheet, worksheet.version)
        missing = services.submit_worksheet(session, team.people["leader"], worksheet, worksheet.version)
        assert {m.field for m in missing} == {"title", "members"}
        worksheet = save(session, team, charter, "core", {"title": "Consent", "members": [{"name": "Ana"}]}, base=1)
        assert services.submit_worksheet(session, team.people["leader"], worksheet, worksheet.version) == []
        session.commit()
        assert worksheet.status == "submitted"
        with pytest.raises(ServiceError):
            save(session, team, charter, "core", {"title": "Changed after submission"}, base=worksheet.version)
    assert session.query(WorksheetRevision).filter_by(reason="submit").count() == 1


def test_restore_brings_back_an_old_revision_as_a_new_one(app, session, team, worksheet_types):
    aim = worksheet_types["aim"]
    with app.test_request_context():
        save(session, team, aim, "leader", {"statement": "First"})
        worksheet = save(session, team, aim, "leader", {"statement": "Second"}, base=1)
        session.commit()
        services.restore_revision(session, team.people["core"], worksheet, worksheet.revisions[0], worksheet.version)
        session.commit()
    assert worksheet.data["statement"] == "First"
    assert [r.reason for r in worksheet.revisions] == ["save", "save", "restore"]


def test_two_members_saving_at_once_one_wins_the_other_gets_a_conflict(app, committed_db, tmp_path):
    """A real race: both save from version 1 at once. SQLite serializes them (the second sees version 2);
    PostgreSQL lets both read version 1 and the version column lets exactly one UPDATE through."""
    from qtp.catalog.sync import sync_content
    from tests.content.builder import write_program
    from tests.content.worksheet_builder import write_worksheets
    from tests.factories import add_member, make_team, make_user

    root = tmp_path / "courses"
    write_program(root)
    write_worksheets(root)
    sync_content(committed_db, root, ("en", "es", "pt_BR"))
    team = make_team(committed_db)
    users = [make_user(committed_db, f"m{n}@test.example.org", roles=["participant"]) for n in range(2)]
    for user in users:
        add_member(committed_db, team, user, "core")
    from qtp.catalog.models import WorksheetType

    aim = committed_db.query(WorksheetType).filter_by(slug="aim").one()
    with app.test_request_context():
        services.save_worksheet(committed_db, users[0], team, aim, 1, SaveRequest({"statement": "v1"}, None))
    committed_db.commit()
    ids = (team.id, aim.id, [u.id for u in users])
    committed_db.commit()  # release the test's own transaction before the members save
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def member(n: int) -> None:
        with app.test_request_context():
            from qtp.accounts.models import User
            from qtp.catalog.models import WorksheetType as Type
            from qtp.cohorts.models import Team

            session = db.session
            barrier.wait()  # both start from version 1 at the same moment
            try:
                team_, type_, user = session.get(Team, ids[0]), session.get(Type, ids[1]), session.get(User, ids[2][n])
                services.save_worksheet(session, user, team_, type_, 1, SaveRequest({"statement": f"by {n}"}, 1))
                session.commit()
                outcomes.append("saved")
            except Conflict:
                session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=member, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    committed_db.expire_all()
    stored = committed_db.query(Worksheet).one()
    assert stored.version == 2 and committed_db.query(WorksheetRevision).count() == 2
