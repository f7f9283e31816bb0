"""The admins' "Build bundles now" on /admin/licenses: only admins, audited; inline the build runs in the
request (only the bundles whose content changed) and says what it built; never two builds at once (the build
lock, and on the queue a claim held until the queued build ends); on the queue a worker builds."""

from __future__ import annotations

import pytest
import yaml

from qtp.core.audit import AuditEvent
from qtp.licensing import services
from qtp.licensing.bundles.build import BuildReport
from qtp.licensing.bundles.lock import QUEUED_KEY, build_lock
from qtp.licensing.models import Bundle
from tests.content.builder import write_program
from tests.factories import make_user
from tests.helpers import login, post_form, text_of
from tests.integration.queue_support import admin, queued, redis_server, run_worker

__all__ = ["admin", "queued"]  # the fixtures
EPOCH = "1764547200"  # 2025-12-01T00:00:00Z


@pytest.fixture
def places(app, tmp_path, monkeypatch):
    """The small test program as the content, and an empty bundle folder: (courses, bundles)."""
    root = tmp_path / "courses"
    write_program(root)
    out = tmp_path / "bundles"
    monkeypatch.setitem(app.config, "QTP_CONTENT_ROOT", str(root))
    monkeypatch.setitem(app.config, "QTP_BUNDLE_DIR", str(out))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return root, out


def build_now(client):
    return post_form(client, "/admin/licenses/bundles/build", token_from="/admin/licenses")


def flashes(client) -> str:
    return text_of(client.get("/admin/licenses"))


def started(session) -> list[AuditEvent]:
    return session.query(AuditEvent).filter_by(action="bundles.build_started").all()


@pytest.mark.parametrize("role", ["faculty", "participant", "licensee"])
def test_only_admins_may_build(client, session, places, role):
    make_user(session, f"{role}@test.example.org", roles=[role])
    session.commit()
    login(client, f"{role}@test.example.org")
    assert post_form(client, "/admin/licenses/bundles/build", token_from="/home").status_code == 403
    assert started(session) == [] and not places[1].exists()


def test_inline_the_changed_bundles_are_built_in_the_request(client, session, places, admin):
    page = flashes(client)
    assert "Build bundles now" in page and "it may take a minute" in page
    response = build_now(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/licenses#bundles")
    assert "3 bundles were built; the others were unchanged." in flashes(client)
    assert sorted((b.product, b.locale) for b in session.query(Bundle)) == [
        ("six_month", "en"),
        ("six_month", "es"),
        ("six_month", "pt_BR"),
    ]
    (event,) = started(session)
    assert event.actor_id == admin.id and event.details == {"queued": False}

    assert build_now(client).status_code == 302  # not forced: nothing changed, nothing rebuilt
    assert "Every bundle is already up to date: nothing was built." in flashes(client)


def test_a_second_build_while_one_runs_is_refused(client, session, places, admin):
    with build_lock(places[1]):  # a build running (here, the CLI's or another request's)
        assert build_now(client).status_code == 302
        assert "A bundle build is already running or waiting on the queue." in flashes(client)
    assert started(session) == [] and session.query(Bundle).count() == 0


def test_the_cli_build_takes_the_same_lock(app, places):
    with build_lock(places[1]):
        result = app.test_cli_runner().invoke(args=["qtp", "bundles", "build"])
    assert result.exit_code == 1 and "another bundle build is running" in result.output


def test_inline_broken_content_builds_nothing(client, session, places, admin):
    path = places[0] / "test-program" / "02-aims" / "module.yaml"
    data = yaml.safe_load(path.read_text())
    data["phase"] = "nowhere"
    path.write_text(yaml.safe_dump(data))
    assert build_now(client).status_code == 302
    page = flashes(client)
    assert "No bundle was built: the course files have errors (1 content errors, the first:" in page
    assert started(session) == [] and session.query(Bundle).count() == 0


def test_without_a_csrf_token_nothing_is_built(client, session, places, admin):
    assert client.post("/admin/licenses/bundles/build").status_code == 400
    assert started(session) == []


@pytest.mark.redis
@redis_server
def test_on_the_queue_one_build_at_a_time_then_the_worker_builds(app, client, session, places, admin, queued):
    connection = queued.connection
    connection.delete(QUEUED_KEY)
    with app.test_request_context():
        services.start_bundle_build(session, admin)
        assert queued.count == 0, "nothing is queued before the transaction commits"
        assert connection.exists(QUEUED_KEY)
        session.rollback()
    assert not connection.exists(QUEUED_KEY), "a rolled-back request gives its claim up"

    assert "The build runs on the job queue" in flashes(client)
    assert build_now(client).status_code == 302 and queued.count == 1
    page = flashes(client)
    assert "The bundle build is queued." in page and '<a href="/admin/jobs">See the jobs page.</a>' in page
    assert connection.exists(QUEUED_KEY)

    assert build_now(client).status_code == 302, "a second request while the first build waits"
    assert "A bundle build is already running or waiting on the queue." in flashes(client)
    assert queued.count == 1 and len(started(session)) == 1
    assert connection.exists(QUEUED_KEY), "the refused request leaves the first build's claim alone"

    assert f"Bundle build<br><span class=\"muted\">Started by {admin.name}" in text_of(client.get("/admin/jobs"))
    run_worker(app)
    assert queued.count == 0 and len(queued.failed_job_registry) == 0
    assert not connection.exists(QUEUED_KEY), "the claim ends with the build"
    session.expire_all()
    assert session.query(Bundle).count() == 3

    assert build_now(client).status_code == 302, "after it, a new build may start"
    assert queued.count == 1
    run_worker(app)
    results = [queued.fetch_job(i).return_value() for i in queued.finished_job_registry.get_job_ids()]
    assert {"built": [], "skipped": ["six_month/en", "six_month/es", "six_month/pt_BR"]} in results


@pytest.mark.redis
@redis_server
def test_on_the_queue_a_failed_build_releases_its_claim(app, client, session, places, admin, queued, monkeypatch):
    def broken(*args, **kwargs) -> BuildReport:
        raise OSError("disk full")

    monkeypatch.setattr("qtp.licensing.jobs.build_bundles", broken)
    queued.connection.delete(QUEUED_KEY)
    assert build_now(client).status_code == 302
    run_worker(app)
    assert not queued.connection.exists(QUEUED_KEY)
    page = text_of(client.get("/admin/jobs"))
    assert "Bundle build" in page and "OSError: disk full" in page


def test_with_redis_down_the_build_is_refused_with_a_message(app, client, session, places, admin, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_REDIS_URL", "redis://127.0.0.1:1/0")
    assert build_now(client).status_code == 302
    assert "The queue cannot be reached; try again in a moment." in flashes(client)
    assert started(session) == []
