"""The admins' "Sync content now" on /content/: only admins (403 for the rest, the button hidden from faculty),
audited; inline it syncs in the request and says what changed, or lists every problem of broken files (422)
with nothing loaded; on the queue the sync waits for the commit, and a worker runs it (or fails it visibly)."""

from __future__ import annotations

import pytest
import yaml

from qtp.catalog import services
from qtp.catalog.models import Module, Program
from qtp.core.audit import AuditEvent
from tests.content.builder import write_program
from tests.factories import make_user
from tests.helpers import login, post_form, text_of
from tests.integration.queue_support import admin, queued, redis_server, run_worker

__all__ = ["admin", "queued"]  # the fixtures


@pytest.fixture
def courses(app, tmp_path, monkeypatch):
    root = tmp_path / "courses"
    write_program(root)
    monkeypatch.setitem(app.config, "QTP_CONTENT_ROOT", str(root))
    return root


def break_module(courses) -> None:
    path = courses / "test-program" / "02-aims" / "module.yaml"
    data = yaml.safe_load(path.read_text())
    data["phase"] = "nowhere"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def sync_now(client):
    return post_form(client, "/content/sync", token_from="/content/")


@pytest.mark.parametrize("role", ["faculty", "coach", "participant", "licensee"])
def test_only_admins_may_sync(client, session, courses, role):
    make_user(session, f"{role}@test.example.org", roles=[role])
    session.commit()
    login(client, f"{role}@test.example.org")
    if role in ("faculty", "coach"):  # they see the status page, without the button
        page = text_of(client.get("/content/"))
        assert "Course content" in page and "Sync content now" not in page
    response = post_form(client, "/content/sync", token_from="/home")
    assert response.status_code == 403
    assert session.query(Program).count() == 0
    assert session.query(AuditEvent).filter_by(action="content.sync_started").count() == 0


def test_inline_the_sync_runs_in_the_request_and_says_what_changed(client, session, courses, admin):
    page = text_of(client.get("/content/"))
    assert "Sync content now" in page and 'action="/content/sync"' in page
    response = sync_now(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/content/")
    page = text_of(client.get("/content/"))
    assert "The content was synced: 3 modules added, 0 changed, 0 retired." in page
    assert session.query(Module).count() == 3
    started = session.query(AuditEvent).filter_by(action="content.sync_started").one()
    assert started.actor_id == admin.id and started.details == {"queued": False}
    assert session.query(AuditEvent).filter_by(action="content.synced").count() == 1

    again = sync_now(client)  # safe to run twice: nothing to change
    assert again.status_code == 302
    assert "The content is already up to date: nothing was changed." in text_of(client.get("/content/"))
    assert session.query(Module).count() == 3
    assert session.query(AuditEvent).filter_by(action="content.synced").count() == 1


def test_inline_broken_files_are_listed_and_nothing_is_loaded(client, session, courses, admin):
    break_module(courses)
    response = sync_now(client)
    assert response.status_code == 422
    page = text_of(response)
    assert "The content was not synced" in page and "nothing was loaded" in page
    assert "courses/test-program/02-aims/module.yaml" in page and "phase must be one of" in page
    assert session.query(Program).count() == 0 and session.query(Module).count() == 0
    assert session.query(AuditEvent).filter(AuditEvent.action.like("content.%")).count() == 0


def test_without_a_csrf_token_nothing_happens(client, session, courses, admin):
    assert client.post("/content/sync").status_code == 400
    assert session.query(Program).count() == 0


@pytest.mark.redis
@redis_server
@pytest.mark.usefixtures("courses")
def test_on_the_queue_the_sync_waits_for_the_commit_then_the_worker_runs_it(app, client, session, admin, queued):
    with app.test_request_context():
        services.start_content_sync(session, admin)
        assert queued.count == 0, "nothing is queued before the transaction commits"
        session.rollback()
        assert queued.count == 0, "a rolled-back transaction queues nothing"

    response = sync_now(client)
    assert response.status_code == 302 and queued.count == 1
    page = text_of(client.get("/content/"))
    assert "The content sync is queued." in page and '<a href="/admin/jobs">See the jobs page.</a>' in page
    assert "runs on the job queue" in page
    assert session.query(Program).count() == 0, "not yet: the worker syncs"
    assert session.query(AuditEvent).filter_by(action="content.sync_started").one().details == {"queued": True}

    run_worker(app)
    assert queued.count == 0 and len(queued.failed_job_registry) == 0
    (job_id,) = queued.finished_job_registry.get_job_ids()
    assert queued.fetch_job(job_id).return_value()["created"] == 3
    session.expire_all()
    assert session.query(Module).count() == 3
    jobs_page = text_of(client.get("/admin/jobs"))
    assert "Content sync" in jobs_page and f"Started by {admin.name}" in jobs_page


@pytest.mark.redis
@redis_server
def test_on_the_queue_broken_files_fail_the_job_visibly(app, client, session, courses, admin, queued):
    break_module(courses)
    assert sync_now(client).status_code == 302
    run_worker(app)  # fails, and waits for a new attempt
    session.expire_all()
    assert session.query(Program).count() == 0
    page = text_of(client.get("/admin/jobs"))
    assert "Content sync" in page
    assert "SyncRefused: 1 content errors, nothing was loaded: courses/test-program/02-aims/module.yaml" in page
