"""bench/load.py's pure parts, without a network: percentiles and per-journey figures, reading forms and their
CSRF tokens, cookies, the journey mix, data point values, the workers found in /proc and their growth."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import load  # noqa: E402
import load_client  # noqa: E402
import load_journeys  # noqa: E402
import load_stack  # noqa: E402

PAGE = """
<form method="get" action="/search"><input name="q" value="x"></form>
<form method="post" action="/teams/1/measures/1/points">
  <input type="hidden" name="csrf_token" value="tok-points">
  <input name="period" value=""><input name="numerator"><input name="denominator">
  <textarea name="note">
</textarea><input type="submit" name="save" value="Add">
</form>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="tok-logout"></form>
<a href="/review/3">a</a> <a href="/review/3">again</a> <a href="/review/12?x=1&amp;y=2">b</a>
"""


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert load_client.percentile(values, 0.50) == 50
    assert load_client.percentile(values, 0.99) == 99
    assert load_client.percentile([7.0], 0.99) == 7
    assert load_client.percentile([], 0.5) == 0


def test_stats_count_runs_requests_and_errors_per_journey():
    stats = load_client.Stats(keep=2)
    stats.record("reads", 0.1, 2)
    stats.record("reads", 0.3, 2)
    stats.record("reads", 9.0, 1, "JourneyError: GET /x: status 500")
    stats.record("saves", 0.2, 3, "JourneyError: no saved message")
    stats.record("saves", 0.2, 3, "a third error, not kept")
    assert stats.total_requests == 11 and stats.total_errors == 3
    rows = {row[0]: row for row in stats.rows(["reads", "saves", "never"])}
    assert rows["reads"] == ("reads", 3, 5, 100.0, 300.0, 1), "a failed run's time is not in the percentiles"
    assert rows["saves"][1:3] == (2, 6) and rows["saves"][5] == 2
    assert rows["never"] == ("never", 0, 0, 0.0, 0.0, 0)
    assert stats.first_errors == ["reads: JourneyError: GET /x: status 500", "saves: JourneyError: no saved message"]


def test_csrf_tokens_and_forms_are_read_as_a_browser_sends_them():
    assert load_client.csrf_token(PAGE) == "tok-points"
    assert load_client.csrf_token(PAGE, "/logout") == "tok-logout"
    with pytest.raises(load_client.JourneyError):
        load_client.csrf_token(PAGE, "/nowhere")
    form = load_client.forms_of(PAGE, action="/teams/1/measures/1/points")[0]
    assert form == {"csrf_token": "tok-points", "period": "", "numerator": "", "denominator": "", "note": "\n"}
    assert "save" not in form, "submit buttons are not sent"


def test_links_are_distinct_in_page_order_and_unescaped():
    assert load_client.links(PAGE, r"/review/[^\"]+") == ["/review/3", "/review/12?x=1&y=2"]


def test_cookies_are_kept_replaced_and_removed():
    session = load_client.Session("https://127.0.0.1:28443", None)
    session._store_cookie("session=abc; Path=/; HttpOnly; Secure; SameSite=Lax")
    session._store_cookie("lang=es; Path=/")
    session._store_cookie("session=def; Path=/")
    assert session.cookies == {"session": "def", "lang": "es"}
    session._store_cookie("lang=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/")
    assert session.cookies == {"session": "def"}
    assert (session.host, session.port, session.secure) == ("127.0.0.1", 28443, True)


def test_the_mix_has_every_role_and_follows_the_weights():
    assert set(load_journeys.JOURNEYS) == {
        "participant_reads",
        "participant_saves_worksheet",
        "participant_enters_data",
        "faculty_reviews",
        "licensee_downloads",
        "anonymous_visits",
    }
    assert all(callable(journey) and weight > 0 for journey, weight in load_journeys.JOURNEYS.values())
    rng = random.Random(1)
    drawn = Counter(load_journeys.pick(rng) for _ in range(20000))
    total = sum(weight for _, weight in load_journeys.JOURNEYS.values())
    for name, (_, weight) in load_journeys.JOURNEYS.items():
        assert abs(drawn[name] / 20000 - weight / total) < 0.02, name


def test_data_points_fill_the_fields_of_the_measures_scale_and_periods_never_repeat():
    fraction = load_journeys._point_values({"csrf_token": "t", "period": "", "numerator": "", "denominator": ""}, "x")
    assert fraction == {"period": "x", "note": "", "numerator": "1", "denominator": "2"}
    assert load_journeys._point_values({"value": ""}, "y") == {"period": "y", "note": "", "value": "1"}
    targets = load_journeys.Targets(cookies={}, modules=[], worksheets=[], measures=[], serial="")
    periods = [targets.next_period() for _ in range(50)]
    assert len(set(periods)) == 50 and max(periods) < "2000-01-01", "distant past: no real entry shares them"


def test_a_claimed_page_is_not_handed_to_another_user_while_a_free_one_exists():
    targets = load_journeys.Targets(cookies={}, modules=[], worksheets=[], measures=[], serial="")
    rng = random.Random(3)
    with targets.claim(["/a", "/b"], rng) as first, targets.claim(["/a", "/b"], rng) as second:
        assert {first, second} == {"/a", "/b"}
    with targets.claim(["/a"], rng) as again:
        assert again == "/a", "released after use"


def test_saved_text_has_no_digits():
    note = load_journeys._words(random.Random(2))
    assert note.startswith("Load bench note ") and not any(ch.isdigit() for ch in note)


def _fake_process(proc: Path, pid: int, parent: int, rss_kb: int, name: str = "python") -> None:
    folder = proc / str(pid)
    folder.mkdir()
    (folder / "stat").write_text(f"{pid} ({name}) S {parent} {pid} {pid} 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1\n")
    (folder / "status").write_text(f"Name:\t{name}\nVmPeak:\t999 kB\nVmRSS:\t{rss_kb} kB\n")


def test_the_workers_of_a_master_and_their_memory_are_read_from_proc(tmp_path):
    _fake_process(tmp_path, 100, 1, 50_000)
    _fake_process(tmp_path, 101, 100, 140_000, name="gunicorn: worker (x)")  # a name with spaces and ")"
    _fake_process(tmp_path, 102, 100, 150_000)
    _fake_process(tmp_path, 200, 1, 10_000)
    (tmp_path / "self").mkdir()
    assert load_stack.children(100, tmp_path) == [101, 102]
    assert load_stack.rss_mb(101, tmp_path) == pytest.approx(140_000 / 1024)
    assert load_stack.rss_mb(999, tmp_path) is None


def test_growth_is_judged_over_the_second_half_and_recycled_workers_are_told_apart():
    samples = [
        (0.0, {1: 100.0, 2: 100.0}),
        (30.0, {1: 130.0, 2: 120.0}),
        (60.0, {1: 131.0, 3: 90.0}),  # the middle sample: worker 2 ended (recycled), 3 started
        (90.0, {1: 135.0, 3: 95.0}),
        (120.0, {1: 136.0, 3: 96.0}),
    ]
    found = load.growth(samples)
    assert found[1] == (100.0, 136.0, 5.0, True), "the warm-up (first half) is not judged"
    assert found[2] == (100.0, 120.0, None, False)
    assert found[3] == (90.0, 96.0, None, False)
    assert load.growth(samples[:2])[1] == (100.0, 130.0, None, True), "two samples: no halves"
    assert load.growth([]) == {}


def test_the_stack_is_its_own_with_recycling_off_in_a_soak(tmp_path):
    stack = load_stack.make_stack(tmp_path, workers=2, soak=True)
    assert (stack.https_port, stack.http_port, stack.web_port) == (28443, 28080, 28000)
    assert stack.database_url.endswith("/qtp_load") and stack.redis_url.endswith("/14")
    assert stack.bundle_dir == tmp_path / "bundles"
    environment = stack.environment()
    assert environment["QTP_WEB_MAX_REQUESTS"] == "0" and environment["QTP_VERIFY_LIMIT"] == load_stack.VERIFY_LIMIT
    assert "QTP_WEB_MAX_REQUESTS" not in load_stack.make_stack(tmp_path, workers=None, soak=False).environment()


def test_requests_are_grouped_by_page_with_ids_and_tokens_replaced():
    kind = load_client.page_kind
    assert kind("/teams/1/measures/2?edit=9") == "/teams/N/measures/N"
    assert kind("/learning/1/modules/04-smart-aims") == "/learning/N/modules/*"
    assert kind("/downloads/WzYsMiwiZXMiLCIiXQ.axaghQ.2XzBk7SY-V_83Oyt5LDuHJuQanM") == "/downloads/*"
    assert kind("/verify/3E8G7YS7C5J9JCKGNA3D1FEM0Q9QHD4T") == "/verify/*"
    assert kind("/teams/1/worksheets/charter/1") == "/teams/N/worksheets/charter/N"
    assert kind("/") == "/" and kind("/review/") == "/review/"
    stats = load_client.Stats()
    stats.record("a", 1.0, 3, timings=[("GET /x", 0.010), ("GET /x", 0.030), ("POST /y", 0.5)])
    stats.record("a", 1.0, 1, "failed", timings=[("GET /x", 0.020)])
    assert stats.page_rows() == [("GET /x", 3, 20.0, 30.0), ("POST /y", 1, 500.0, 500.0)]


def test_cpu_between_readings_counts_recycled_workers_once_and_never_goes_negative():
    start = {1: 10.0, 2: 4.0, 3: 5.0}  # 1 the master, 2 and 3 workers
    end = {1: 10.0 + 9.0, 3: 6.0, 4: 0.5}  # 2 recycled: its 9 s in all now in the master's; 4 started
    assert load.cpu_used(start, end, reaped=True) == pytest.approx(5.0 + 1.0 + 0.5)
    database_start = {7: 30.0, 8: 1.0}
    database_end = {8: 2.0}  # connection 7 closed: its share is lost, not subtracted
    assert load.cpu_used(database_start, database_end, reaped=False) == pytest.approx(1.0)


def test_the_soak_prints_the_mean_by_sample():
    samples = [(0.0, {1: 100.0, 2: 110.0}), (30.0, {1: 120.0, 2: 130.0}), (60.0, {1: 121.0, 2: 136.0})]
    assert load.trajectory(samples) == [105.0, 125.0, 128.5]
