"""Fingerprinted static URLs: `?v=` follows the file's content, so a proxy may cache them for a year."""

import hashlib
import os
import re

from flask import Flask, url_for

from qtp.core import static_files
from qtp.core.static_files import Fingerprints


def _app(folder) -> Flask:
    app = Flask(__name__, static_folder=str(folder), static_url_path="/static")
    static_files.init_app(app)
    return app


def _url(app: Flask, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_the_url_carries_the_first_digits_of_the_files_sha256(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_bytes(b"body { color: black; }")
    expected = hashlib.sha256(b"body { color: black; }").hexdigest()[:8]
    assert _url(_app(tmp_path), "css/app.css") == f"/static/css/app.css?v={expected}"


def test_the_url_changes_when_the_file_changes_and_only_then(tmp_path):
    path = tmp_path / "app.js"
    path.write_bytes(b"one();")
    app = _app(tmp_path)
    first = _url(app, "app.js")
    assert _url(app, "app.js") == first
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # touched, same bytes
    assert _url(app, "app.js") == first
    path.write_bytes(b"two();")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2 * 10**9))
    second = _url(app, "app.js")
    assert second != first and second.endswith("?v=" + hashlib.sha256(b"two();").hexdigest()[:8])


def test_an_unchanged_file_is_read_once(tmp_path, monkeypatch):
    (tmp_path / "a.css").write_bytes(b"a {}")
    fingerprints = Fingerprints(tmp_path)
    reads = []
    real_sha256 = hashlib.sha256
    monkeypatch.setattr(static_files.hashlib, "sha256", lambda *a: reads.append(1) or real_sha256(*a))
    assert len({fingerprints.get("a.css") for _ in range(5)}) == 1
    assert len(reads) == 1


def test_missing_files_folders_and_names_outside_the_folder_get_no_fingerprint(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "css").mkdir()
    (tmp_path / "secret.txt").write_text("outside")
    app = _app(tmp_path / "static")
    assert _url(app, "css/missing.css") == "/static/css/missing.css"
    assert _url(app, "css") == "/static/css"
    fingerprints = Fingerprints(tmp_path / "static")
    assert fingerprints.get("../secret.txt") is None
    assert fingerprints.get(str(tmp_path / "secret.txt")) is None
    assert fingerprints.get("css/\x00x") is None


def test_a_version_given_by_the_caller_is_kept(tmp_path):
    (tmp_path / "a.css").write_bytes(b"a {}")
    app = _app(tmp_path)
    with app.test_request_context():
        assert url_for("static", filename="a.css", v="pinned") == "/static/a.css?v=pinned"


def test_the_apps_pages_link_fingerprinted_stylesheets(client):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'href="/static/css/app\.css\?v=[0-9a-f]{8}"', html)
    assert re.search(r'href="/static/img/favicon\.svg\?v=[0-9a-f]{8}"', html)
    assert client.get(re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{8})"', html).group(1)).status_code == 200
