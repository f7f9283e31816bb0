"""End-to-end smoke through nginx (QTP_TEST_STACK=1, `make smoke`): health, sign in, save a worksheet with
its CSRF token, a bundle file and a certificate PDF sent by nginx on the app's X-Accel-Redirect, a bulk
certificate issue run by the worker, and what nginx adds (TLS redirect, HSTS, static caching, body limit,
the client's address)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import time
import urllib.error
import urllib.request

import pytest

from tests.stack.client import Browser, forms_of
from tests.stack.conftest import ENABLED
from tools.stack.render import BUNDLE_PREFIX, STORAGE_PREFIX, app_max_body_size

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(not ENABLED, reason="the stack smoke runs with QTP_TEST_STACK=1 (make smoke; needs nginx)"),
]
PASSWORD = "qtp-demo-2026"  # the demo accounts'


def _browser(stack, email: str | None = None) -> Browser:
    browser = Browser(stack.url, stack.ssl_context())
    if email:
        answer = browser.sign_in(email, PASSWORD)
        assert answer.status == 200 and answer.url.endswith("/home"), (email, answer.status, answer.url)
    return browser


def _links(page: str, pattern: str) -> list[str]:
    return list(dict.fromkeys(html.unescape(link) for link in re.findall(rf'href="({pattern})"', page)))


def _direct(stack, path: str, browser: Browser) -> tuple[int, dict[str, str], bytes]:
    """The same request straight to gunicorn, as nginx forwards it: what the app itself answers."""
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"http://127.0.0.1:{stack.web_port}{path}",
        headers={
            "Cookie": browser.cookie_header(),
            "Host": f"127.0.0.1:{stack.https_port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_health_and_readiness_answer_through_nginx(stack, app):
    health = _browser(stack).request("/healthz")
    assert health.status == 200 and json.loads(health.body)["status"] == "ok"
    assert health.headers["server"] == "nginx"
    if any(rule.rule == "/readyz" for rule in app.url_map.iter_rules()):
        ready = _browser(stack).request("/readyz")
        assert ready.status == 200, ready.text


def test_http_redirects_to_https_and_https_answers_carry_hsts_once(stack):
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener = urllib.request.build_opener(_NoRedirect())
        opener.open(f"http://127.0.0.1:{stack.http_port}/login?next=/home", timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == f"https://127.0.0.1:{stack.https_port}/login?next=/home"
    page = _browser(stack).request("/login")
    assert page.status == 200 and "Secure" in page.headers["set-cookie"]
    assert page.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def test_static_files_are_cached_for_a_year_on_fingerprinted_urls_only(stack):
    browser = _browser(stack)
    stylesheet = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{8})"', browser.request("/login").text).group(1)
    fingerprinted = browser.request(stylesheet)
    assert fingerprinted.status == 200 and fingerprinted.headers["server"] == "nginx"
    assert fingerprinted.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert fingerprinted.headers["x-content-type-options"] == "nosniff"
    assert browser.request("/static/css/app.css").headers["cache-control"] == "public, max-age=3600"


def test_a_body_over_the_apps_limit_is_refused_by_nginx(stack):
    answer = _browser(stack).request("/login", {"email": "x" * (app_max_body_size() + 1)})
    assert answer.status == 413


def test_a_team_leader_signs_in_and_saves_a_worksheet(stack):
    browser = _browser(stack, "leader@example.org")
    home = browser.request("/home").text
    edit = next(link for link in _links(home, r"/teams/\d+/worksheets/charter/\d+"))
    form = forms_of(browser.request(edit).text, action=edit)[0]
    assert form["csrf_token"] and form["base_version"]
    form["patient-input"] = "Two patients read the call script aloud (stack smoke)."
    saved = browser.request(edit, form, follow=False)
    assert saved.status == 303, saved.text[:500]
    again = browser.request(saved.headers["location"])
    assert "Two patients read the call script aloud (stack smoke)." in again.text
    stale = browser.request(edit, form, follow=False)  # the same version once more: a conflict, not a save
    assert stale.status == 409


def test_a_bundle_file_is_authorized_by_the_app_and_sent_by_nginx(stack, database):
    browser = _browser(stack, "licensee@example.org")
    bundles = _links(browser.request("/licenses").text, r"/licenses/\d+/bundles/[a-zA-Z_]+")
    page = next(p for p in (browser.request(link) for link in bundles) if p.status == 200)
    files = [link for link in _links(page.text, r"/downloads/[^\"]+") if _token_file(link)]
    link = next(link for link in files if _token_file(link).endswith(".pdf"))
    relative = _token_file(link)

    status, headers, body = _direct(stack, link, browser)  # what the app answers nginx
    assert status == 200 and body == b"", "the app sends no bytes"
    handed = headers["x-accel-redirect"]
    assert handed.startswith(BUNDLE_PREFIX) and handed.endswith("/" + relative)
    on_disk = (stack.bundle_dir / handed.removeprefix(BUNDLE_PREFIX)).read_bytes()

    sent = browser.request(link, headers={"X-Forwarded-For": "203.0.113.9"})  # what nginx makes of it
    assert sent.status == 200 and sent.headers["server"] == "nginx"
    assert sent.body == on_disk and sent.body.startswith(b"%PDF"), "nginx sent the file the app named"
    assert sent.headers["content-disposition"].startswith("attachment")
    assert sent.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert sent.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in sent.headers["cache-control"]
    address, status = database.execute("SELECT address, status FROM downloads ORDER BY id DESC LIMIT 1").fetchone()
    assert (address, status) == ("127.0.0.1", "proxy"), "nginx passed the address that connected, not the header"
    ranged = browser.request(link, headers={"Range": "bytes=0-9"})
    assert ranged.status == 206 and ranged.body == on_disk[:10], "nginx answers ranges of the file itself"


def _token_file(link: str) -> str:
    """The bundle file a signed download link names ("" for the whole ZIP archive)."""
    payload = link.rsplit("/", 1)[1].split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[3]


def test_the_worker_issues_a_certificate_that_nginx_sends(stack, database):
    admin = _browser(stack, "admin@example.org")
    cohorts = admin.request("/admin/cohorts").text
    cohort_id = re.search(r'href="/admin/cohorts/(\d+)"[^>]*>[^<]*São Paulo', cohorts).group(1)
    page = admin.request(f"/admin/cohorts/{cohort_id}/certificates").text
    change = re.search(r'action="(/admin/certificates/\d+/change)"', page).group(1)
    certificate_id = int(change.split("/")[3])
    revoke = forms_of(page, action=change)[0] | {f"c{certificate_id}-reason": "Stack smoke: issued again by the worker"}
    revoke[f"c{certificate_id}-revoke"] = "Revoke"
    assert admin.request(change, revoke).status == 200
    page = admin.request(f"/admin/cohorts/{cohort_id}/certificates").text
    issue = f"/admin/cohorts/{cohort_id}/certificates/issue"
    issued = admin.request(issue, forms_of(page, action=issue)[0])
    assert issued.status == 200 and "being issued" in issued.text, "queued for the worker, not issued inline"

    query = (
        "SELECT c.id, u.email, c.sha256 FROM certificates c JOIN users u ON u.id = c.user_id "
        "WHERE c.cohort_id = %s AND c.id > %s AND c.revoked_at IS NULL AND c.sha256 IS NOT NULL"
    )
    deadline = time.monotonic() + 60
    while (row := database.execute(query, (int(cohort_id), certificate_id)).fetchone()) is None:
        assert time.monotonic() < deadline, "the worker did not issue the certificate within 60 s"
        time.sleep(0.5)
    new_id, email, sha256 = row
    assert "issue_cohort" in (stack.layout.log_dir / "worker.log").read_text("utf-8", "replace")

    holder = _browser(stack, email)
    download = f"/certificates/{new_id}/download"
    assert download in holder.request("/home").text
    pdf = holder.request(download)
    assert pdf.status == 200 and pdf.headers["server"] == "nginx" and pdf.body.startswith(b"%PDF")
    assert hashlib.sha256(pdf.body).hexdigest() == sha256, "the stored PDF, byte for byte"
    assert pdf.headers["content-type"] == "application/pdf"
    status, headers, body = _direct(stack, download, holder)
    assert status == 200 and body == b"" and headers["x-accel-redirect"].startswith(STORAGE_PREFIX)
