"""Mixed load through the whole stack (nginx -> gunicorn -> PostgreSQL/Redis, as `make serve` runs it).

    .venv/bin/python bench/load.py                   its own stack (https 28443, database qtp_load, Redis db 14),
                                                     8 virtual users for 60 s
    .venv/bin/python bench/load.py --soak 600        the same mix for 10 minutes, worker memory every 30 s
    .venv/bin/python bench/load.py --base https://127.0.0.1:8443 --master-pid PID
                                                     a running `make serve DEMO=1` instead (PID: gunicorn's master)

Virtual users (threads of this process, one keep-alive connection per role each) run weighted journeys:
participants read a module and their home page, save a worksheet, enter a data point (and delete it);
faculty open the review queue and a submission; the licensee downloads a bundle file (nginx sends it on the
app's X-Accel-Redirect); anonymous visitors open the landing, a program and a certificate's verify page.
First /healthz alone is measured through the same stack and client: the mix's request rate is printed against
it (the ratio is the figure; both depend on the machine). Prints per journey runs, p50/p99 and errors (goal
0), the client's and the server's CPU, each gunicorn worker's memory; a soak prints each worker's growth
(goal under 20 MB). Figures, never assertions: bench/README.md says how to read them.
"""

from __future__ import annotations

import argparse
import os
import ssl
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_client import JourneyError, Session, Stats  # noqa: E402
from load_journeys import JOURNEYS, Targets, VirtualUser, discover, pick  # noqa: E402
from load_stack import children, make_stack, prepare, worker_memory  # noqa: E402

from tools.stack.processes import StackError  # noqa: E402
from tools.stack.render import ROOT  # noqa: E402

MAX_USERS = 64
MAX_SECONDS = 3600
SAMPLE_EVERY = 30  # seconds between memory samples in a soak
GROWTH_GOAL_MB = 20
TICK = os.sysconf("SC_CLK_TCK")
TIMEOUT_JOIN = 60  # seconds a virtual user may take to finish its last journey
Sample = tuple[float, dict[int, float]]  # (seconds since the mix started, MB per worker pid)


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU of each process so far, with that of its children already ended (utime, stime,
    cutime, cstime of /proc/<pid>/stat): a worker gunicorn recycled counts in its master's."""
    found = {}
    for pid in pids:
        try:
            after = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = sum(int(value) for value in after[11:15]) / TICK
    return found


def cpu_used(start: dict[int, float], end: dict[int, float], reaped: bool) -> float:
    """CPU seconds between two readings. A process gone at the end: with `reaped` (a gunicorn worker, whose
    whole CPU its master now counts) its CPU before the phase is taken off; otherwise (a closed database
    connection) its CPU during the phase is lost: a lower bound."""
    used = sum(seconds - start.get(pid, 0.0) for pid, seconds in end.items())
    if reaped:
        used -= sum(seconds for pid, seconds in start.items() if pid not in end)
    return used


class Server:
    """The stack's processes whose CPU and memory are read: the gunicorn master's workers, nginx's."""

    def __init__(self, master: int | None, others: list[int], database_url: str | None = None) -> None:
        self.master, self.others, self.database_url = master, others, database_url

    def workers(self) -> list[int]:
        return children(self.master) if self.master else []

    def pids(self) -> list[int]:
        found = list(self.others) + [pid for parent in self.others for pid in children(parent)]
        if self.master:
            found += [self.master, *self.workers()]
        return found

    def database_pids(self) -> list[int]:
        """The PostgreSQL backends serving the stack's database (their CPU counts as the server's)."""
        if not self.database_url:
            return []
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True) as connection:
            query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            return [row[0] for row in connection.execute(query)]

    def memory(self) -> dict[int, float]:
        return worker_memory(self.master) if self.master else {}


class Phase:
    """Wall time and CPU of the client (this process), of gunicorn + nginx and of PostgreSQL over one phase.
    A database connection closed during the phase drops out of the sum (a lower bound); a recycled worker
    does not (its master reaped it: cpu_used)."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.wall = time.monotonic()
        self.client = time.process_time()
        self.web = cpu_seconds(server.pids())
        self.database = cpu_seconds(server.database_pids())

    def end(self, label: str, requests: int) -> Rate:
        """Prints the CPU, in cores, of each side; the phase's requests, wall time and server CPU."""
        wall = time.monotonic() - self.wall
        client = (time.process_time() - self.client) / wall
        web = cpu_used(self.web, cpu_seconds(self.server.pids()), reaped=True) / wall
        database = cpu_used(self.database, cpu_seconds(self.server.database_pids()), reaped=False) / wall
        bound = "  <- the client is the limit here" if client > 0.85 else ""
        print(
            f"  CPU during {label}: client {client:.2f} cores{bound}; gunicorn + nginx {web:.2f}, "
            f"PostgreSQL {database:.2f} (of {os.cpu_count()} cores, shared)"
        )
        return Rate(requests, wall, (web + database) * wall)


@dataclass
class Rate:
    """One phase's requests, wall seconds and server CPU seconds (gunicorn + nginx + PostgreSQL; 0: unknown)."""

    requests: int
    wall: float
    server_cpu: float

    @property
    def per_second(self) -> float:
        return self.requests / self.wall if self.wall else 0.0

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request, in ms: unlike the rate, it hardly moves when other work shares the cores."""
        return 1000 * self.server_cpu / self.requests if self.requests else 0.0


def healthz_rate(base: str, context: ssl.SSLContext | None, users: int, seconds: float, server: Server) -> Rate:
    """Requests per second of /healthz alone, `users` keep-alive connections for `seconds`."""
    counts = [0] * users
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def run(index: int) -> None:
        session = Session(base, context)
        try:
            while time.monotonic() < deadline:
                session.request("/healthz", expect=(200,))
                counts[index] += 1
        except (JourneyError, OSError) as error:
            errors.append(str(error))
        finally:
            session.close()

    phase = Phase(server)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rate = phase.end("/healthz", sum(counts))
    print(
        f"/healthz alone: {rate.requests} requests in {rate.wall:.1f} s = {rate.per_second:.0f} req/s; "
        f"errors {len(errors)}"
    )
    for line in errors[:3]:
        print(f"    {line}")
    return rate


def run_mix(
    base: str, context: ssl.SSLContext | None, targets: Targets, users: int, seconds: float, server: Server, soak: bool
) -> tuple[Stats, Rate, list[Sample]]:
    """The weighted journeys, `users` at a time, for `seconds`; (stats, rate, memory samples)."""
    stats = Stats()
    deadline = time.monotonic() + seconds

    def run(index: int) -> None:
        user = VirtualUser(base, context, targets, seed=index + 1)
        try:
            while time.monotonic() < deadline:
                name = pick(user.random)
                journey = JOURNEYS[name][0]
                before, start = user.sent, time.perf_counter()
                try:
                    journey(user)
                    error = None
                except Exception as failure:  # noqa: BLE001 (whatever stops a journey is one of its errors)
                    error = f"{type(failure).__name__}: {failure}"
                    user.close()  # start again on fresh connections
                stats.record(name, time.perf_counter() - start, user.sent - before, error, user.take_timings())
        finally:
            user.close()

    samples: list[Sample] = []
    started = time.monotonic()

    def sample() -> None:
        samples.append((time.monotonic() - started, server.memory()))

    sample()
    phase = Phase(server)
    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    next_sample = started + SAMPLE_EVERY
    while any(thread.is_alive() for thread in threads):
        time.sleep(1)
        if soak and time.monotonic() >= next_sample:
            sample()
            next_sample += SAMPLE_EVERY
            print(
                f"  {time.monotonic() - started:4.0f} s: {stats.total_requests} requests, {stats.total_errors} errors",
                flush=True,
            )
    for thread in threads:
        thread.join(TIMEOUT_JOIN)
    rate = phase.end("the mix", stats.total_requests)
    sample()
    return stats, rate, samples


def report(stats: Stats, mix: Rate, before: Rate, after: Rate) -> None:
    print(f"\n{'journey':<30} {'runs':>6} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, runs, requests, p50, p99, errors in stats.rows(list(JOURNEYS)):
        print(f"{name:<30} {runs:>6} {requests:>9} {p50:>8.0f} {p99:>8.0f} {errors:>7}")
    print(f"(a journey's time is all its requests'; weights: {_weights()})")
    print(f"\n{'request':<44} {'count':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, count, p50, p99 in stats.page_rows():
        print(f"{kind:<44} {count:>6} {p50:>8.0f} {p99:>8.0f}")
    rate = mix.per_second
    print(
        f"\nmix: {mix.requests} requests in {mix.wall:.1f} s = {rate:.0f} req/s; "
        f"{rate / before.per_second:.2f} of /healthz's {before.per_second:.0f} req/s just before "
        f"({rate / after.per_second:.2f} of {after.per_second:.0f} just after), same stack and client"
    )
    if mix.server_cpu and before.server_cpu:
        print(
            f"server CPU per request: mix {mix.cpu_ms:.1f} ms, /healthz {before.cpu_ms:.1f} ms "
            f"(after: {after.cpu_ms:.1f}): the mix costs {mix.cpu_ms / before.cpu_ms:.1f} x /healthz"
        )
    print(f"errors: {stats.total_errors} (goal 0)")
    for line in stats.first_errors:
        print(f"    {line}")


def _weights() -> str:
    return ", ".join(f"{name} {weight}" for name, (_, weight) in JOURNEYS.items())


def growth(samples: list[Sample]) -> dict[int, tuple[float, float, float | None, bool]]:
    """Per worker pid: (first MB, last MB, growth over the second half or None, there throughout). The first
    half is the warm-up (templates compiled, caches and pools filled, each worker reaching its share of the
    load, which takes minutes on shared cores); the second half's growth, from the middle sample to the last,
    is what a leak adds. A worker missing from the first or the last sample was started or ended (recycled)
    during the run."""
    if not samples:
        return {}
    first, middle, last = samples[0][1], samples[len(samples) // 2][1], samples[-1][1]
    result = {}
    for pid in sorted({pid for _, memory in samples for pid in memory}):
        points = [memory[pid] for _, memory in samples if pid in memory]
        throughout = pid in first and pid in last
        late = last[pid] - middle[pid] if throughout and len(samples) > 2 and pid in middle else None
        result[pid] = (points[0], points[-1], late, throughout)
    return result


def memory_report(samples: list[Sample], soak: bool) -> None:
    workers = growth(samples)
    if not workers:
        print("worker memory: unknown (no gunicorn master pid: --master-pid with --base)")
        return
    print(f"\n{'worker pid':>10} {'first MB':>9} {'last MB':>8} {'growth':>7}" + ("  2nd half" if soak else ""))
    for pid, (first, last, late, throughout) in workers.items():
        line = f"{pid:>10} {first:>9.1f} {last:>8.1f} {last - first:>+7.1f}"
        if soak and late is not None:
            line += f" {late:>+9.1f}"
        print(line + ("" if throughout else "  (started or ended during the run: recycled)"))
    if not soak:
        return
    print(f"mean worker MB every {SAMPLE_EVERY} s (a leak keeps climbing; a warm-up levels off):")
    print("  " + " ".join(f"{mean:.0f}" for mean in trajectory(samples)))
    lates = [late for _, _, late, _ in workers.values() if late is not None]
    if lates:
        worst = max(lates)
        verdict = "under" if worst < GROWTH_GOAL_MB else "OVER"
        print(
            f"largest growth of a worker over the second half: {worst:+.1f} MB, {verdict} the {GROWTH_GOAL_MB} MB goal"
        )
    else:
        print("no worker lived through the whole soak (3 samples at least): growth unknown")


def trajectory(samples: list[Sample]) -> list[float]:
    """The mean RSS of the workers at each sample."""
    return [sum(memory.values()) / len(memory) for _, memory in samples if memory]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", help="a running stack's https URL (default: start one of its own)")
    parser.add_argument("--cafile", help="the running stack's certificate (default instance/serve/tls/certificate.pem)")
    parser.add_argument("--master-pid", type=int, help="with --base: gunicorn's master pid, to read worker memory")
    parser.add_argument("--users", type=int, default=8, help="concurrent virtual users (default 8)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of the mix (default 60)")
    parser.add_argument("--soak", type=float, help="seconds of a soak (e.g. 600): memory every 30 s")
    parser.add_argument("--healthz-seconds", type=float, default=10, help="seconds of /healthz alone (default 10)")
    parser.add_argument("--workers", type=int, help="gunicorn workers of its own stack (default gunicorn.conf.py's)")
    parser.add_argument(
        "--max-requests",
        type=int,
        help="gunicorn's max-requests on its own stack (0: off; default gunicorn.conf.py's 2000, off in a soak)",
    )
    args = parser.parse_args(argv)
    users = max(1, min(args.users, MAX_USERS))
    seconds = max(1.0, min(args.soak or args.duration, MAX_SECONDS))
    soak = args.soak is not None
    if args.base:
        cafile = args.cafile or ROOT / "instance" / "serve" / "tls" / "certificate.pem"
        context = ssl.create_default_context(cafile=str(cafile))
        return _measure(args.base, context, Server(args.master_pid, []), users, seconds, args, soak)
    with tempfile.TemporaryDirectory(prefix="qtp-load-") as folder:
        stack = make_stack(Path(folder), workers=args.workers, soak=soak, max_requests=args.max_requests)
        print(f"Starting a stack on {stack.url} (database qtp_load, Redis {stack.redis_url})", flush=True)
        try:
            try:
                prepare(stack)
            except StackError as error:
                print(error, file=sys.stderr)
                return 2
            web, nginx = stack.processes["web"].pid, stack.processes["nginx"].pid
            print(
                f"  gunicorn master {web}, workers {children(web)}; "
                f"max-requests {stack.extra.get('QTP_WEB_MAX_REQUESTS', 'as gunicorn.conf.py (2000)')}"
            )
            server = Server(web, [nginx], stack.database_url)
            return _measure(stack.url, stack.ssl_context(), server, users, seconds, args, soak)
        finally:
            stack.stop()


def _measure(base, context, server: Server, users: int, seconds: float, args, soak: bool) -> int:  # noqa: ANN001
    print("Finding the pages (one sign-in per role; each save tried once)...", flush=True)
    try:
        targets = discover(base, context)
    except (JourneyError, OSError) as error:
        print(f"The journeys cannot run on {base} (the demo data loaded?): {error}", file=sys.stderr)
        return 2
    print(
        f"  {len(targets.modules)} modules, worksheets {[w for w, _ in targets.worksheets]}, "
        f"measures {targets.measures}"
    )
    start_memory = server.memory()
    print(f"worker memory at start (MB): {', '.join(f'{pid}: {mb:.0f}' for pid, mb in start_memory.items()) or '?'}")
    healthz_seconds = max(1.0, min(args.healthz_seconds, 120))
    before = healthz_rate(base, context, users, healthz_seconds, server)
    print(
        f"\nThe mix: {users} virtual users for {seconds:.0f} s"
        + (f" (soak: memory every {SAMPLE_EVERY} s)" if soak else ""),
        flush=True,
    )
    stats, mix, samples = run_mix(base, context, targets, users, seconds, server, soak)
    print()
    after = healthz_rate(base, context, users, healthz_seconds, server)
    report(stats, mix, before, after)
    memory_report(samples, soak)
    return 0 if stats.total_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
