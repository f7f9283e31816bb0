"""Path traversal on every route that takes a path, a file name or a name that could become one: static files, a
team's attachments, signed bundle links (and the bundle file a link names), the bundle page's language, course
content previews, module and worksheet slugs, dashboard views, certificate serials, calendar, reset and
invitation tokens.

A canary file is put next to each served folder (the static folder, the storage, the bundles, the course
content); every encoding of `../` and friends (`%2e%2e%2f`, `..%2f`, `%252e`, `..\\`, `....//`, NUL, overlong
UTF-8, fullwidth and one-dot-leader dots, absolute paths) answers 404 or 400, never 5xx, and no response body
holds the canary or /etc/passwd."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.factories import make_user

from . import files as fixtures
from .files import signed_in_as

real_team, sheet, files = fixtures.real_team, fixtures.sheet, fixtures.files
licence, holder, built, bundle_dir, link_of = (
    fixtures.licence,
    fixtures.holder,
    fixtures.built,
    fixtures.bundle_dir,
    fixtures.link_of,
)
PASSWD = (b"root:x:0:0", b"root:*:0:0")


def variants(name: str, ups: tuple[int, ...] = (1,)) -> list[str]:
    """`name` some folders up, in every spelling of `..` and `/` an attacker tries, and absolute paths."""
    spellings = []
    for up in ups:
        for dots, slash in (
            ("..", "/"),
            ("%2e%2e", "%2f"),
            ("..", "%2f"),
            ("%2e%2e", "/"),
            ("%252e%252e", "%252f"),
            ("..", "%255c"),
            ("..", "\\"),
            ("..", "%5c"),
            ("....", "//"),
            ("...", "/./"),
            ("..", "%00/"),
            ("%c0%ae%c0%ae", "%c0%af"),  # overlong UTF-8
            ("%ef%bc%8e%ef%bc%8e", "%ef%bc%8f"),  # fullwidth dot and solidus
            ("%e2%80%a5", "/"),  # U+2025 two dot leader
            ("..;", "/"),
        ):
            spellings.append((dots + slash) * up + name)
    return [
        *spellings,
        name + "%00.png",
        "x/../../" + name,
        "/etc/passwd",
        "%2fetc%2fpasswd",
        "//etc/passwd",
        "..%2f" * 8 + "etc%2fpasswd",
        "%00",
        quote("\u202e..\u202c/" + name),
    ]


@pytest.fixture
def canaries(app, files, bundle_dir, tmp_path):
    """A file with a secret next to the static folder, the storage, the bundles folder and the test's folder."""
    secret = secrets.token_hex(16).encode()
    name = f"qtp-canary-{secret.decode()[:8]}.txt"
    folders = {Path(app.static_folder).resolve().parent, files.root.parent, files.root.parent.parent, bundle_dir.parent}
    written = []
    try:
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(secret)
            written.append(folder / name)
        yield name, secret
    finally:
        for path in written:
            path.unlink(missing_ok=True)


def probe(client, template: str, payloads: list[str], secret: bytes) -> list[str]:
    """Every URL of `template` (with `{}` for the payload) that leaks, errs or answers other than 404/400."""
    bad = []
    for payload in payloads:
        url = template.format(payload)
        response = client.get(url)
        if response.status_code == 308:  # `//` merged into `/` (Werkzeug): where it leads must hold too
            location = response.headers["Location"].removeprefix("http://localhost")
            assert location.startswith("/") and not location.startswith("//"), (url, location)
            response = client.get(location)
        body = response.data
        if response.status_code not in (400, 404) or secret in body or any(mark in body for mark in PASSWD):
            bad.append(f"{url} -> {response.status_code}")
    return bad


def test_static_files_never_leave_the_static_folder(app, canaries):
    name, secret = canaries
    client = app.test_client()
    assert client.get("/static/css/app.css").status_code == 200
    payloads = variants(name, (1, 2)) + [f"css/{p}" for p in variants(name, (2,))]
    assert probe(client, "/static/{}", payloads, secret) == []


def test_team_routes_with_names_never_reach_a_file(app, session, real_team, sheet, files, canaries):
    name, secret = canaries
    leader = signed_in_as(app, real_team.people["leader"])
    team = real_team.id
    cohort = real_team.cohort_id
    payloads = variants(name)
    bad = []
    for template in (
        f"/teams/{team}/attachments/{{}}",
        f"/teams/{team}/worksheets/{{}}/1",
        f"/teams/{team}/worksheets/{{}}/1.pdf",
        f"/teams/{team}/worksheets/{{}}/new",
        f"/learning/{cohort}/modules/{{}}",
        f"/learning/{cohort}/modules/{{}}/check",
    ):
        bad += probe(leader, template, payloads, secret)
    assert bad == []


def test_staff_routes_with_names_never_reach_a_file(app, session, real_team, canaries):
    name, secret = canaries
    admin = signed_in_as(app, make_user(session, roles=["admin"]))
    cohort = real_team.cohort_id
    payloads = variants(name)
    bad = []
    for template in (
        "/content/{}/01-module",
        "/content/six-month/{}",
        f"/cohorts/{cohort}/dashboard/{{}}",
        f"/cohorts/{cohort}/dashboard/{{}}.csv",
    ):
        bad += probe(admin, template, payloads, secret)
    assert bad == []


def test_public_routes_with_names_never_reach_a_file(app, canaries):
    name, secret = canaries
    client = app.test_client()
    payloads = variants(name)
    bad = []
    for template in (
        "/programs/{}",
        "/verify/{}",
        "/verify/{}.json",
        "/calendar/{}.ics",
        "/reset-password/{}",
        "/invitation/{}",
    ):
        bad += probe(client, template, payloads, secret)
    assert bad == []


def test_bundle_links_and_the_files_they_name_never_leave_the_bundle(app, session, licence, holder, built, canaries):
    name, secret = canaries
    client = signed_in_as(app, holder)
    assert client.get(link_of(app, holder, licence, "es", "manual/faculty-manual.pdf")).status_code == 200
    payloads = variants(name)
    bad = probe(client, "/downloads/{}", payloads, secret)
    bad += probe(client, f"/licenses/{licence.id}/bundles/{{}}", payloads, secret)
    # a validly signed link naming a path outside the bundle (as if the secret had leaked)
    for path in ["../../" + name, "../" + name, "/etc/passwd", "manual/../../../" + name, "manual/../manifest.json"]:
        response = client.get(link_of(app, holder, licence, "es", path))
        if response.status_code != 404 or secret in response.data or any(m in response.data for m in PASSWD):
            bad.append(f"signed {path} -> {response.status_code}")
    assert bad == []


def test_the_probe_finds_a_route_that_serves_paths_naively(app, canaries, tmp_path):
    """The corpus reaches a handler as `../`: a route that joins the name to its folder leaks the canary."""
    from flask import Flask

    naive = Flask(__name__, static_folder=None)
    root = Path(app.static_folder)

    @naive.get("/files/<path:name>")
    def serve(name: str):
        try:
            return (root / name).read_bytes()
        except (OSError, ValueError):
            return "", 404

    name, secret = canaries
    leaks = probe(naive.test_client(), "/files/{}", variants(name), secret)
    assert "/files/../" + name + " -> 200" in leaks and "/files/%2e%2e%2f" + name + " -> 200" in leaks
    assert "/files/..%2f" + name + " -> 200" in leaks and "/files/..%00/" + name not in " ".join(leaks)
