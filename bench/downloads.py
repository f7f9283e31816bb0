"""Licensed bundle downloads under gunicorn on loopback (one sync worker), as quality.md asks:

1. Throughput of the ZIP route against `send_file` of a file of the same size (goal >= 0.7): wall time of
   whole downloads, interleaved pairs, median of per-pair ratios.
2. The worker's memory growth while it streams a 400 MB bundle (goal <= 50 MB): its peak resident memory
   (VmHWM) after the download, less its resident memory (VmRSS) just before.

The bundle is 400 MB of random "slide decks" (incompressible, stored as they are, like real PowerPoint and PDF
files), with its manifest, in a temporary folder; the ZIP adds the licence certificate and terms made for the
download. The reference route is the same app with one extra view answering `send_file` of a 400 MB file.

Run: .venv/bin/python bench/downloads.py [--megabytes 400] [--pairs 31]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PORT = 5187
PASSWORD = "bench-password-1234"  # noqa: S105 (a throwaway account in a temporary database)
FILE_MB = 20


def create_app():  # gunicorn "bench.downloads:create_app()": the app and the reference route
    from flask import send_file

    from qtp import create_app as qtp_app

    app = qtp_app()

    @app.get("/bench/send-file")
    def bench_send_file():
        return send_file(os.environ["BENCH_REFERENCE_FILE"], mimetype="application/zip", as_attachment=True)

    return app


def _prepare(folder: Path, megabytes: int) -> None:
    """The database (migrated), a licensee holding a seat, the bundle on disk and in the database."""
    from flask_migrate import upgrade

    from qtp import create_app as qtp_app
    from qtp.accounts.models import Organization, User, UserRole
    from qtp.core.passwords import hash_password
    from qtp.extensions import db
    from qtp.licensing.models import Bundle, License, LicenseSeat

    bundle = folder / "bundles" / "six_month" / "es"
    entries, chunk = [], os.urandom(1 << 20)
    for n in range(megabytes // FILE_MB):
        path = bundle / "slides" / f"{n:02d}-deck.pptx"
        path.parent.mkdir(parents=True, exist_ok=True)
        sha, crc = hashlib.sha256(), 0
        with path.open("wb") as handle:
            for block in range(FILE_MB):
                data = chunk[block:] + chunk[:block]  # distinct blocks, no extra randomness cost
                handle.write(data)
                sha.update(data)
                crc = zlib.crc32(data, crc)
        entries.append(
            {
                "path": path.relative_to(bundle).as_posix(),
                "size": FILE_MB << 20,
                "sha256": sha.hexdigest(),
                "crc32": crc,
            }
        )
    manifest = {"product": "six_month", "locale": "es", "content_version": "bench", "files": entries}
    (bundle / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    app = qtp_app()
    with app.app_context():
        upgrade()
        org = Organization(name="Fundación de Pruebas", kind="licensee", country="AR")
        user = User(email="bench@example.org", name="Lucía Benítez", password_hash=hash_password(PASSWORD), locale="es")
        today = datetime.now(UTC).date()
        licence = License(
            number="QTP-L-2026-0999",
            organization=org,
            product="six_month",
            locales=["es"],
            territory=["AR"],
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=365),
            seats=1,
        )
        db.session.add_all([org, user, licence])
        db.session.flush()
        db.session.add(UserRole(user_id=user.id, role="licensee"))
        db.session.add(LicenseSeat(license_id=licence.id, user_id=user.id))
        size = sum(entry["size"] for entry in entries)
        db.session.add(
            Bundle(
                product="six_month",
                locale="es",
                content_version="bench",
                manifest=manifest,
                size=size,
                built_at=datetime.now(UTC),
            )
        )
        db.session.commit()
        return licence.id


def _request(method: str, path: str, cookie: str = "", body: str | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    all_headers = {"Cookie": cookie, **(headers or {})}
    connection.request(method, path, body=body, headers=all_headers)
    return connection, connection.getresponse()


def _drain(path: str, cookie: str) -> tuple[float, int]:
    """Wall seconds to receive the whole answer, and its length."""
    start = time.perf_counter()
    connection, response = _request("GET", path, cookie)
    assert response.status == 200, (path, response.status)
    received = 0
    while block := response.read(1 << 20):
        received += len(block)
    connection.close()
    assert received == int(response.getheader("Content-Length")), "Content-Length matches the bytes sent"
    return time.perf_counter() - start, received


def _sign_in() -> str:
    connection, response = _request("GET", "/login")
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    connection.close()
    body = f"csrf_token={token}&email=bench%40example.org&password={PASSWORD}"
    connection, response = _request(
        "POST", "/login", cookie, body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    response.read()
    connection.close()
    return response.getheader("Set-Cookie").split(";")[0]


def _memory(pid: int, key: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+) kB", text, re.M).group(1)) * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=400, help="size of the bundle")
    parser.add_argument("--pairs", type=int, default=31, help="interleaved measurements (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        env = os.environ | {
            "QTP_ENV": "production",
            "QTP_SECRET_KEY": "b" * 48,
            "QTP_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "QTP_BUNDLE_DIR": str(folder / "bundles"),
            "QTP_STORAGE_DIR": str(folder / "storage"),
            "QTP_BASE_URL": f"http://127.0.0.1:{PORT}",
            "QTP_SESSION_COOKIE_SECURE": "0",
            "QTP_RATELIMIT_STORAGE_URI": "memory://",
            "BENCH_REFERENCE_FILE": str(folder / "reference.zip"),
        }
        os.environ.update({k: v for k, v in env.items() if k.startswith("QTP_")})
        licence_id = _prepare(folder, args.megabytes)
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{PORT}", "bench.downloads:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    _request("GET", "/healthz")[1].read()
                    break
                except OSError:
                    time.sleep(0.1)
            cookie = _sign_in()
            from qtp import create_app as qtp_app
            from qtp.licensing.downloads import Link, make_token

            with qtp_app().test_request_context():
                user_id = 1
                link = "/downloads/" + make_token(Link(user_id, licence_id, "es"))
            connection, response = _request("HEAD", link, cookie)
            size = int(response.getheader("Content-Length"))
            connection.close()
            decks = sorted((folder / "bundles").rglob("*.pptx"))
            with (folder / "reference.zip").open("wb") as handle:  # the same size, the same kind of bytes
                for deck in decks:
                    handle.write(deck.read_bytes())
                handle.write(decks[0].read_bytes()[: size - handle.tell()])
            worker = int(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()[0])
            _drain("/bench/send-file", cookie)
            connection, response = _request("HEAD", link, cookie)  # the first licence certificate of this worker
            connection.close()
            before = _memory(worker, "VmRSS")
            Path(f"/proc/{worker}/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
            _drain(link, cookie)
            growth = _memory(worker, "VmHWM") - before
            ratios, zips, files = [], [], []
            for _ in range(args.pairs):
                reference, _ = _drain("/bench/send-file", cookie)
                target, _ = _drain(link, cookie)
                files.append(reference)
                zips.append(target)
                ratios.append(reference / target)  # throughput ratio = inverse of the time ratio
        finally:
            server.terminate()
            server.wait(timeout=30)
    mb = size / 1e6
    print(f"downloads: a {mb:.0f} MB bundle under gunicorn (1 sync worker), {args.pairs} interleaved pairs (wall)")
    print(f"  send_file of a same-size file   {mb / statistics.median(files):8.0f} MB/s")
    print(f"  the licensed ZIP route          {mb / statistics.median(zips):8.0f} MB/s")
    print(f"  ZIP throughput / send_file: {statistics.median(ratios):.2f}  (goal >= 0.7)")
    print(f"  worker memory growth while streaming {mb:.0f} MB: {growth / 1e6:.1f} MB  (goal <= 50 MB)")


if __name__ == "__main__":
    main()
