"""The bundle build as a job (qtp.core.jobs), started by an admin from the licences page.

It runs `build_bundles` (only the bundles whose content changed) under the build lock (bundles/lock.py) and
records what the folders hold; a build run twice finds every bundle current and builds nothing.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from qtp.extensions import db
from qtp.licensing.bundles.build import build_bundles
from qtp.licensing.bundles.lock import build_lock, release_queued_build
from qtp.licensing.services import record_bundles


def build(actor_id: int | None = None) -> dict:
    """Build the bundles whose content changed and record them; returns {"built": [...], "skipped": [...]}.
    Raises BuildRunning when another build holds the lock, and ContentInvalid (nothing built) when the content
    files have errors. On the queue, the build's claim is released when it ends, whatever the outcome."""
    config = current_app.config
    out = Path(config["QTP_BUNDLE_DIR"])
    try:
        with build_lock(out):
            report = build_bundles(Path(config["QTP_CONTENT_ROOT"]), out, tuple(config["QTP_LOCALES"]))
            record_bundles(db.session, out)
    finally:
        if _running_on_queue():
            release_queued_build()
    return {"built": list(report.built), "skipped": list(report.skipped)}


def _running_on_queue() -> bool:
    from rq import get_current_job

    return get_current_job() is not None
