from datetime import date

import pytest
from sqlalchemy import func, select

from qtp.accounts.models import Organization, User
from qtp.cohorts.models import Cohort, Membership, Team
from qtp.core.passwords import verify_password
from qtp.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD
from qtp.demo.loader import DemoRefused, load_demo
from qtp.extensions import db

TABLES = (User, Organization, Cohort, Team, Membership)


def counts(session):
    return {model.__name__: session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def test_demo_loads_realistic_data_and_a_second_run_changes_nothing(session):
    assert load_demo(session, "development") > 50
    session.commit()
    first = counts(session)
    hashes = dict(session.execute(select(User.email, User.password_hash)).all())
    assert load_demo(session, "development") == 0
    session.commit()
    assert counts(session) == first
    assert dict(session.execute(select(User.email, User.password_hash)).all()) == hashes
    countries = set(session.scalars(select(Organization.country)))
    assert {"BR", "MX", "ES", "GR", "US"} <= countries
    assert session.scalar(select(func.count()).select_from(Cohort)) == 5  # three under way or finished, two planned


def test_demo_accounts_sign_in_with_the_demo_password(session):
    load_demo(session, "development")
    session.commit()
    for email, _ in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None and verify_password(user.password_hash, DEMO_PASSWORD)
    leader = session.scalar(select(User).where(User.email == "leader@example.org"))
    member = session.scalar(select(User).where(User.email == "member@example.org"))
    other = session.scalar(select(User).where(User.email == "other@example.org"))
    team_of = {m.user_id: m.team for m in session.scalars(select(Membership))}
    assert team_of[leader.id].id == team_of[member.id].id
    assert team_of[other.id].cohort_id != team_of[leader.id].cohort_id
    roles = {m.user_id: m.role for m in session.scalars(select(Membership))}
    assert roles[leader.id] == "leader"


def test_demo_refuses_production(session):
    with pytest.raises(DemoRefused):
        load_demo(session, "production")
    assert counts(session)["User"] == 0


def test_demo_command_prints_the_logins(app, committed_db):
    result = app.test_cli_runner().invoke(args=["qtp", "demo"])
    assert result.exit_code == 0, result.output
    for email, _ in DEMO_ACCOUNTS:
        assert email in result.output
    assert DEMO_PASSWORD in result.output
    again = app.test_cli_runner().invoke(args=["qtp", "demo", "--quiet"])
    assert "0 new records" in again.output and DEMO_PASSWORD not in again.output
    # `make run` prints the logins last, after the bundles, right before the server starts
    logins = app.test_cli_runner().invoke(args=["qtp", "demo", "--logins-only"])
    assert "new records" not in logins.output and DEMO_ACCOUNTS[0][0] in logins.output
    assert "as soon as the server below says it is running" in logins.output


def test_demo_command_refuses_production(app, committed_db, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_ENV", "production")
    result = app.test_cli_runner().invoke(args=["qtp", "demo"])
    assert result.exit_code != 0
    assert "never loaded when QTP_ENV=production" in result.output


def test_create_admin_command(app, committed_db):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["qtp", "create-admin", "--email", "boss@test.example.org", "--name", "Boss", "--password", "password1234"]
    )
    assert weak.exit_code != 0 and "too common" in weak.output
    ok = runner.invoke(
        args=[
            "qtp",
            "create-admin",
            "--email",
            "Boss@Test.example.org",
            "--name",
            "Grace Hopper",
            "--password",
            "sturdy-walnut-compass-88",
        ]
    )
    assert ok.exit_code == 0, ok.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "boss@test.example.org"))
        assert user.has_role("admin")
        db.session.remove()


def test_the_finished_workshop_has_its_certificates(app, session):
    from pathlib import Path

    from qtp.catalog.sync import sync_content
    from qtp.certificates.models import Certificate

    sync_content(session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
    load_demo(session, "development")
    session.commit()
    holders = {c.user.email: c for c in session.query(Certificate)}
    assert set(holders) == {"leader@example.org", "member@example.org"}
    assert {c.cohort.slug for c in holders.values()} == {"sao-paulo-2026"}
    assert all(c.locale == "pt_BR" and c.issued_at.date().isoformat() == "2026-05-17" for c in holders.values())
    assert load_demo(session, "development") == 0 and session.query(Certificate).count() == 2
    listed = [team for team in session.query(Team) if team.graduate_listed]
    assert [team.cohort.slug for team in listed] == ["sao-paulo-2026"] and listed[0].graduate_result


def test_the_demo_licensees_hold_seats_on_an_active_and_an_expired_licence(session):
    from qtp.licensing.models import LicenseSeat, LicenseState

    load_demo(session, "development")
    session.commit()
    today = date(2026, 12, 1)
    held = {(seat.user.email, seat.license.product): seat.license for seat in session.query(LicenseSeat)}
    six_month = held[("licensee@example.org", "six_month")]
    assert six_month.state(today) == LicenseState.ACTIVE and six_month.locales == ["en", "es"]
    highlights = held[("licensee@example.org", "symposium_highlights")]
    assert highlights.state(today) == LicenseState.ACTIVE and highlights.locales == ["es", "pt_BR"]
    assert held[("expired@example.org", "one_day")].state(today) == LicenseState.EXPIRED
    assert load_demo(session, "development") == 0 and session.query(LicenseSeat).count() == 3


def test_qtp_group_lists_the_project_commands(app):
    result = app.test_cli_runner().invoke(args=["qtp", "--help"])
    assert "demo" in result.output and "create-admin" in result.output


def test_demo_progress_with_synced_content_is_realistic_and_idempotent(app, session):
    from pathlib import Path

    from qtp.catalog.sync import sync_content
    from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, SelfAssessment

    sync_content(session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
    load_demo(session, "development")
    session.commit()
    progress = session.query(ModuleProgress).count()
    # the six-month cohort (São Paulo 8 + 4, Turia 10 + 9, Lakeshore 7 + 6 + 3, Athens 5 + 4), and the finished
    # one-day workshop (five modules each)
    assert progress == 56 + 2 * 5
    # São Paulo: 03-charter missed once by three people, 07 by the leader; ten checks of the other teams
    assert session.query(KnowledgeCheckAttempt).filter(KnowledgeCheckAttempt.score < 100).count() == 4 + 10
    assert session.query(KnowledgeCheckAttempt).filter(KnowledgeCheckAttempt.passed.is_(False)).count() == 2
    assert session.query(SelfAssessment).count() == 9
    assert load_demo(session, "development") == 0
    assert session.query(ModuleProgress).count() == progress


def test_demo_cohorts_have_their_calendar_and_learning_session_attendance(app, session):
    from pathlib import Path

    from qtp.catalog.sync import sync_content
    from qtp.cohorts.models import Attendance, Cohort

    sync_content(session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
    load_demo(session, "development")
    session.commit()
    international = session.query(Cohort).filter_by(slug="international-2026").one()
    assert [e.key for e in international.events if e.is_learning_session] == ["ls1", "ls2", "ls3"]
    assert len(international.due_dates) == 11
    workshop = session.query(Cohort).filter_by(slug="guadalajara-2026").one()
    assert [e.key for e in workshop.events] == ["workshop"] and workshop.due_dates == []
    assert session.query(Attendance).count() == 13
    assert load_demo(session, "development") == 0
