"""A large CSV file (more than QUEUE_ROWS rows): checked whole in the request (every problem listed, nothing
imported), then inserted by a job: at once without Redis (as for a small file), on the queue with it ("they
appear in a minute"), queued only once the request commits; the job adds each point once, however often it
runs, and the jobs page names it."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from qtp.core.audit import AuditEvent
from qtp.measurement import jobs as measure_jobs
from qtp.measurement import services
from qtp.measurement.models import DataPoint
from tests.factories import make_user
from tests.helpers import login, text_of
from tests.integration.measurement.conftest import post
from tests.integration.queue_support import queued, redis_server, run_worker

__all__ = ["queued"]  # the fixture
QUEUE_ROWS = services.QUEUE_ROWS
ROWS = QUEUE_ROWS + 50


def csv_of(rows: int, bad_line: int | None = None) -> bytes:
    """`rows` daily periods of a proportion from 2024-01-01; the row on `bad_line` (1-based file line) has a
    numerator above its denominator."""
    lines = ["period,numerator,denominator"]
    for n in range(rows):
        numerator = 50 if bad_line == n + 2 else n % 9
        lines.append(f"{(date(2024, 1, 1) + timedelta(days=n)).isoformat()},{numerator},10")
    return ("\n".join(lines) + "\n").encode()


def upload(client, team, content: bytes):
    return post(
        client,
        team,
        1,
        "/import",
        {"file": (io.BytesIO(content), "data.csv", "text/csv")},
        content_type="multipart/form-data",
    )


def count(session, measure) -> int:
    session.expire_all()
    return session.query(DataPoint).filter_by(measure_id=measure.id).count()


def test_inline_a_large_file_is_imported_in_the_request(session, real_team, measures, as_user):
    client = as_user(real_team, "core")
    response = upload(client, real_team, csv_of(ROWS))
    assert response.status_code == 303
    assert f"{ROWS} data points imported." in text_of(client.get(response.headers["Location"]))
    assert count(session, measures["proportion"]) == ROWS
    event = session.query(AuditEvent).filter_by(action="measure.points_imported").one()
    assert event.details["count"] == ROWS and event.actor_id == real_team.people["core"].id


@pytest.mark.redis
@redis_server
def test_on_the_queue_a_large_file_is_checked_now_and_inserted_by_the_worker(
    app, session, real_team, measures, as_user, queued
):
    client = as_user(real_team, "leader")
    response = upload(client, real_team, csv_of(ROWS))
    assert response.status_code == 303 and queued.count == 1
    page = text_of(client.get(response.headers["Location"]))
    assert f"{ROWS} data points are being imported; they appear in a minute." in page
    assert count(session, measures["proportion"]) == 0, "not yet: the worker inserts them"

    run_worker(app)
    assert queued.count == 0 and len(queued.failed_job_registry) == 0
    assert count(session, measures["proportion"]) == ROWS
    event = session.query(AuditEvent).filter_by(action="measure.points_imported").one()
    assert event.details["count"] == ROWS and event.actor_id == real_team.people["leader"].id

    (job_id,) = queued.finished_job_registry.get_job_ids()
    job = queued.fetch_job(job_id)
    with app.test_request_context():  # the same job once more (a retry): each point exists once
        assert measure_jobs.insert(*job.args[1:]) == 0
    assert count(session, measures["proportion"]) == ROWS


@pytest.mark.redis
@redis_server
def test_on_the_queue_a_large_bad_file_is_refused_in_the_request(app, session, real_team, measures, as_user, queued):
    client = as_user(real_team, "leader")
    response = upload(client, real_team, csv_of(ROWS, bad_line=ROWS))
    assert response.status_code == 400
    assert "The file was not imported: 1 problem was found." in text_of(response)
    assert queued.count == 0 and count(session, measures["proportion"]) == 0


@pytest.mark.redis
@redis_server
def test_on_the_queue_a_small_file_is_still_imported_at_once(app, session, real_team, measures, as_user, queued):
    client = as_user(real_team, "leader")
    response = upload(client, real_team, csv_of(QUEUE_ROWS))
    assert response.status_code == 303 and queued.count == 0
    assert f"{QUEUE_ROWS} data points imported." in text_of(client.get(response.headers["Location"]))
    assert count(session, measures["proportion"]) == QUEUE_ROWS


@pytest.mark.redis
@redis_server
def test_the_jobs_page_names_a_queued_import(app, client, session, real_team, measures, as_user, queued):
    upload(as_user(real_team, "leader"), real_team, csv_of(ROWS))
    make_user(session, "root@test.example.org", roles=["admin"])
    session.commit()
    login(client, "root@test.example.org")
    page = text_of(client.get("/admin/jobs"))
    assert "Measure data import" in page and f"{ROWS} data points for measure #{measures['proportion'].id}" in page


@pytest.mark.redis
@redis_server
def test_on_the_queue_the_import_waits_for_the_commit(app, session, real_team, measures, queued):
    leader = real_team.people["leader"]
    with app.test_request_context():
        outcome = services.import_points(
            session, leader, real_team, measures["proportion"], csv_of(ROWS), today=date(2026, 12, 7)
        )
        assert outcome == services.ImportOutcome(ROWS, queued=True)
        assert queued.count == 0, "nothing is queued before the transaction commits"
        session.rollback()
    assert queued.count == 0, "a rolled-back request queues nothing"


def test_with_redis_down_a_large_file_is_imported_in_the_request(
    app, session, real_team, measures, as_user, monkeypatch
):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", "redis://127.0.0.1:6399/0")  # nothing listens there
    client = as_user(real_team, "core")
    response = upload(client, real_team, csv_of(ROWS))
    assert response.status_code == 303
    assert f"{ROWS} data points imported." in text_of(client.get(response.headers["Location"])), "not 'queued'"
    assert count(session, measures["proportion"]) == ROWS
