"""Retention of interest-survey answers: `flask qtp privacy purge` deletes those older than the period, a dry run
only counts, the deletion is audited with the count; the survey states the period."""

from __future__ import annotations

from datetime import UTC, datetime

from qtp.core.audit import AuditEvent
from qtp.interest.models import InterestResponse
from qtp.privacy.retention import months_before, purge_interest_answers

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def answer(session, when: datetime, email: str) -> None:
    session.add(
        InterestResponse(
            country="BR",
            organization="Onco Recife",
            role="nurse",
            program="six_month",
            language="pt_BR",
            email=email,
            consent=True,
            locale="pt_BR",
            created_at=when,
        )
    )
    session.commit()


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(NOW, 24) == datetime(2024, 12, 7, 12, 0, tzinfo=UTC)
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


def test_a_dry_run_counts_and_a_purge_deletes_only_the_old_answers(session):
    answer(session, datetime(2024, 12, 6, tzinfo=UTC), "old@example.org")
    answer(session, datetime(2024, 12, 8, tzinfo=UTC), "recent@example.org")
    dry = purge_interest_answers(session, months=24, now=NOW, dry_run=True)
    assert (dry.count, dry.dry_run) == (1, True)
    assert session.query(InterestResponse).count() == 2
    assert session.query(AuditEvent).filter_by(action="interest.purged").count() == 0
    done = purge_interest_answers(session, months=24, now=NOW)
    session.commit()
    assert done.count == 1
    assert [a.email for a in session.query(InterestResponse)] == ["recent@example.org"]
    [event] = session.query(AuditEvent).filter_by(action="interest.purged").all()
    assert event.details["deleted"] == 1 and event.details["months"] == 24 and event.actor_id is None


def test_the_cli_purges_with_the_configured_period_and_dry_runs(app, session):
    answer(session, datetime(2020, 1, 1, tzinfo=UTC), "ancient@example.org")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qtp", "privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: 1 interest-survey answer(s)" in result.output
    assert session.query(InterestResponse).count() == 1
    result = runner.invoke(args=["qtp", "privacy", "purge"])
    assert (
        result.exit_code == 0
        and "Deleted 1 interest-survey answer(s)" in result.output
        and "(24 months)" in result.output
    )
    assert session.query(InterestResponse).count() == 0


def test_the_survey_states_the_retention_period(app, client, session):
    page = client.get("/interest").get_data(as_text=True)
    assert "Your answers are deleted 24 months after you send them." in page
    app.config["QTP_INTEREST_RETENTION_MONTHS"] = 12
    try:
        assert "deleted 12 months after" in client.get("/interest").get_data(as_text=True)
    finally:
        app.config["QTP_INTEREST_RETENTION_MONTHS"] = 24
