"""Shared by the page benchmarks: CPU time of one request, signing in, and the median of interleaved ratios."""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def bench_app(folder: str, database_url: str | None = None):
    """The app on a fresh SQLite file in `folder` (or on `database_url`), schema built by the migrations (inside
    an app context)."""
    from flask_migrate import upgrade

    from qtp import create_app

    app = create_app(
        {
            "QTP_ENV": "testing",
            "SECRET_KEY": "x" * 40,
            "QTP_MAIL_BACKEND": "memory",
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{Path(folder) / 'bench.db'}",
        }
    )
    with app.app_context():
        upgrade()
    return app


def cpu(client, path: str, expected: tuple[int, ...] = (200,)) -> float:
    """CPU seconds of one GET through the test client."""
    start = time.process_time()
    response = client.get(path)
    elapsed = time.process_time() - start
    assert response.status_code in expected, (path, response.status_code)
    return elapsed


def sign_in(client, email: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def median_ratio(client, path: str, pairs: int, reference: str = "/healthz", expected=(200,)) -> float:
    """Median of per-pair ratios target/reference, measured interleaved (reference, target, reference...)."""
    ratios = []
    for _ in range(pairs):
        base = cpu(client, reference)
        target = cpu(client, path, expected)
        ratios.append(target / max(base, 1e-6))
    return statistics.median(ratios)
