"""Prometheus metrics: requests and latencies per endpoint, jobs that failed, the RQ queue when there is one.

Labels are bounded: the Flask endpoint name (never the raw path, whose ids would explode the label set), the
method (unknown methods count as `other`) and the status class (`2xx` ... `5xx`).

Several gunicorn workers: set `PROMETHEUS_MULTIPROC_DIR` to an empty folder before the processes start (the
worker command too, on the same host) and call `child_exit` from gunicorn's hook of that name; the metrics
are then summed over every process of the host. Without it, each process shows its own counts.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from qtp.core.requestid import started_at

log = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "none"  # requests no route matched (404, 405 before a view)

REQUESTS = Counter(
    "qtp_http_requests",
    "HTTP requests answered, by endpoint, method and status class",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "qtp_http_request_duration_seconds",
    "Time from the start of a request to its response (a streamed body not included), by endpoint and method",
    ["endpoint", "method"],
)
JOB_FAILURES = Counter(
    "qtp_job_failures", "Jobs that raised, by job and how they ran (inline or queue)", ["job", "mode"]
)
JOB_DURATION = Histogram("qtp_job_duration_seconds", "Time jobs took, by job and how they ran", ["job", "mode"])


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn's `child_exit` hook: forget the live gauges of a worker that ended (multiprocess mode)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(worker.pid)


def _observe(response: Response) -> Response:
    endpoint = request.endpoint or UNMATCHED
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(endpoint, method, f"{response.status_code // 100}xx").inc()
    LATENCY.labels(endpoint, method).observe(time.perf_counter() - started_at())
    return response


@contextmanager
def job_run(job: str, mode: str) -> Iterator[None]:
    """Time one run of a job; count it as failed if it raises."""
    start = time.perf_counter()
    try:
        yield
    except BaseException:
        JOB_FAILURES.labels(job, mode).inc()
        raise
    finally:
        JOB_DURATION.labels(job, mode).observe(time.perf_counter() - start)


class _ProcessMetrics:
    """This process's metrics (the default registry: ours plus the process and Python collectors)."""

    def collect(self):  # type: ignore[no-untyped-def]
        yield from REGISTRY.collect()


class _QueueMetrics:
    """The RQ queue's jobs by state, read at scrape time (a Redis that does not answer gives qtp_redis_up 0)."""

    def __init__(self, counts: Callable[[], dict[str, int]]) -> None:
        self.counts = counts

    def collect(self):  # type: ignore[no-untyped-def]
        up = GaugeMetricFamily("qtp_redis_up", "Whether Redis answered while these metrics were read")
        try:
            counts = self.counts()
        except Exception as error:  # noqa: BLE001 (a scrape must answer even when Redis does not)
            log.warning("metrics: the job queue could not be read: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        jobs = GaugeMetricFamily("qtp_queue_jobs", "Jobs in the RQ queue, by state", labels=["state"])
        for state, count in sorted(counts.items()):
            jobs.add_metric([state], count)
        yield jobs


def render(queue_counts: Callable[[], dict[str, int]] | None = None) -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    registry = CollectorRegistry(auto_describe=False)
    folder = multiprocess_dir()
    if folder:
        multiprocess.MultiProcessCollector(registry, path=folder)
    else:
        registry.register(_ProcessMetrics())  # type: ignore[arg-type]
    if queue_counts is not None:
        registry.register(_QueueMetrics(queue_counts))  # type: ignore[arg-type]
    return generate_latest(registry), CONTENT_TYPE_LATEST


def init_app(app: Flask) -> None:
    app.after_request(_observe)
