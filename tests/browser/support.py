"""Helpers for the browser suite: a live server, translated-text expectations and a checked browser tab.

Every page a test reaches goes through `BrowserTab.check()`: the document's HTTP status is compared with the
expected one, browser console errors and CSP violations fail the test, axe-core runs on the page (serious and
critical violations fail the test) and a full-page screenshot lands in test-output/screenshots/.
A page that was loaded but never checked also fails the test, so no page escapes the accessibility check.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-sync",
    "--disable-component-update",
    "--no-first-run",
]
TRANSLATIONS = ROOT / "translations"
OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
AXE_REPORTS = OUTPUT / "axe"

DEMO_PASSWORD = "qtp-demo-2026"  # qtp.demo.data.DEMO_PASSWORD
SERIOUS_IMPACTS = {"serious", "critical"}
VIEWPORT = {"width": 1280, "height": 800}

# Chromium already logs CSP violations as console errors; this listener also catches report-only policies
# and gives the directive in a stable wording. Init scripts run outside the page's CSP.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code')
                + ' in ' + (e.sourceFile || document.location.href) + ':' + (e.lineNumber || 0));
});
"""


# --- translations -----------------------------------------------------------------------------------------


class Catalogs:
    """The .po catalogs as compiled for the live server: what a msgid is expected to look like on screen.

    A msgid shows its msgstr when the entry is translated and not fuzzy (pybabel compile leaves fuzzy
    entries out), otherwise the English msgid: so the tests pass before the translations land and check the
    translated text once they do.
    """

    def __init__(self, directory: Path = TRANSLATIONS) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        self._catalogs = {}
        for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
            locale = po.parent.parent.name
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                # Written aside and renamed: a `make test` compiling at the same time never sees half a file.
                partial = mo.with_name(f".{mo.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                with partial.open("wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
                os.replace(partial, mo)
            self._catalogs[locale] = catalog

    def text(self, locale: str, msgid: str, **values: Any) -> str:
        """The text the app shows for `msgid` in `locale` (English while it is untranslated)."""
        shown = msgid
        if locale != "en":
            message = self._catalogs[locale].get(msgid)
            if message is not None and message.string and not message.fuzzy:
                shown = message.string if isinstance(message.string, str) else message.string[0]
        shown = " ".join(shown.split())  # as the browser shows it (inner_text collapses white space)
        return shown % values if values else shown

    def is_translated(self, locale: str, msgid: str) -> bool:
        return self.text(locale, msgid) != msgid


# --- the live server --------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    app: Any
    url: str
    _server: Any = None
    _thread: threading.Thread | None = None
    _demo_hash: str | None = None  # argon2 is slow on purpose: hash the demo password once

    @property
    def outbox(self) -> list:
        return self.app.extensions["qtp_mail"].outbox

    def mail_to(self, address: str) -> Any:
        sent = [mail for mail in self.outbox if mail.to == address]
        assert sent, f"no e-mail was sent to {address}; outbox: {[m.to for m in self.outbox]}"
        return sent[-1]

    def link_in_mail(self, address: str, route: str) -> str:
        """The absolute link to `/<route>/<token>` in the last e-mail sent to `address`."""
        body = self.mail_to(address).body
        found = re.search(rf"{re.escape(self.url)}/{route}/[A-Za-z0-9_.\-]+", body)
        assert found, f"no {self.url}/{route}/... link in the e-mail to {address}:\n{body}"
        return found.group(0)

    @contextmanager
    def db(self) -> Iterator[Any]:
        """The live app's database session, committed at the end (for fixtures preparing data)."""
        from qtp.extensions import db

        with self.app.app_context():
            try:
                yield db.session
                db.session.commit()
            finally:
                db.session.remove()

    def create_user(
        self, email: str, name: str, roles: list[str], organization: str | None = None, locale: str | None = None
    ) -> None:
        """A user of our own with the demo password (for journeys that change a user's state)."""
        from sqlalchemy import select

        from qtp.accounts.models import Organization, User, UserRole
        from qtp.core.passwords import hash_password

        self._demo_hash = self._demo_hash or hash_password(DEMO_PASSWORD)
        with self.db() as session:
            org = (
                session.scalar(select(Organization).where(Organization.name == organization)) if organization else None
            )
            session.add(
                User(
                    email=email,
                    name=name,
                    password_hash=self._demo_hash,
                    locale=locale,
                    timezone="UTC",
                    organization=org,
                    roles=[UserRole(role=role) for role in roles],
                )
            )

    def invite(self, email: str, name: str, roles: list[str], locale: str) -> str:
        """An invitation sent by admin@ through the app's own service; returns the link from the e-mail."""
        from sqlalchemy import select

        from qtp.accounts.models import User
        from qtp.accounts.services import invite_user

        with self.db() as session:
            admin = session.scalar(select(User).where(User.email == "admin@example.org"))
            invite_user(session, admin, email=email, name=name, roles=roles, organization_id=None, locale=locale)
        return self.link_in_mail(email, "invitation")

    def set_user_locale(self, email: str, locale: str | None) -> None:
        from sqlalchemy import select

        from qtp.accounts.models import User

        with self.db() as session:
            session.scalar(select(User).where(User.email == email)).locale = locale

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_live_server(database_dir: Path) -> LiveServer:
    """The app on a free loopback port, schema built by the migrations, demo data loaded."""
    from werkzeug.serving import make_server

    from qtp import create_app

    app = create_app(
        {
            "QTP_ENV": "testing",
            "TESTING": False,
            "SECRET_KEY": "browser-suite-secret-key-0123456789-abcdefghijklmnop",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_dir / 'qtp-browser.db'}",
            "QTP_MAIL_BACKEND": "memory",
            "QTP_RATELIMIT_STORAGE_URI": "memory://",
            "QTP_BASE_URL": "http://127.0.0.1",  # replaced below, once the port is known
            "SERVER_NAME": None,
            "QTP_STORAGE_DIR": str(database_dir / "storage"),
            "QTP_BUNDLE_DIR": str(database_dir / "bundles"),
        }
    )
    _build_database(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["QTP_BASE_URL"] = url  # links in e-mails point at this server (read at send time)
    _render_demo_certificates(app)  # as `flask qtp demo` does, with this server's address in their QR codes
    thread = threading.Thread(target=server.serve_forever, name="qtp-live-server", daemon=True)
    thread.start()
    return LiveServer(app=app, url=url, _server=server, _thread=thread)


def _render_demo_certificates(app: Any) -> None:
    from qtp.certificates.jobs import render_waiting
    from qtp.extensions import db

    with app.app_context():
        render_waiting(announce=False)
        db.session.remove()


def _build_database(app: Any) -> None:
    import logging

    from flask_migrate import upgrade

    from qtp.catalog.sync import sync_content
    from qtp.demo.loader import load_demo
    from qtp.extensions import db

    # migrations/env.py runs logging.config.fileConfig(), which disables every existing logger and
    # replaces the root handlers: put the logging set-up back so later tests (caplog) are unaffected.
    manager = logging.Logger.manager
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved = {
        name: (logger.disabled, logger.level, logger.propagate, list(logger.handlers))
        for name, logger in manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        with app.app_context():
            upgrade()
            sync_content(db.session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
            load_demo(db.session, "development")
            db.session.commit()
            db.session.remove()
    finally:
        root.setLevel(saved_root[0])
        root.handlers[:] = saved_root[1]
        for name, logger in manager.loggerDict.items():
            if not isinstance(logger, logging.Logger):
                continue
            if name in saved:
                logger.disabled, logger.level, logger.propagate, logger.handlers[:] = saved[name]
            else:
                logger.disabled = False


# --- the checked browser tab ------------------------------------------------------------------------------


@dataclass
class _Event:
    kind: str
    text: str
    url: str = ""


@dataclass(repr=False)
class BrowserTab:
    """One browser context with one page; every page reached must pass `check()`."""

    browser: Any
    base_url: str
    axe: Any
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.javascript = self.options.get("java_script_enabled", True)
        options = {"locale": "en-US", "timezone_id": "UTC", "viewport": VIEWPORT, **self.options}
        self.context = self.browser.new_context(base_url=self.base_url, **options)
        if self.javascript:
            self.context.add_init_script(CSP_LISTENER)
        self.context.set_default_timeout(10_000)
        # A page load waits longer: in CI another worker renders PDFs on the other core (a dashboard in pt_BR
        # once took over 10 s there, and under 1 s alone).
        self.context.set_default_navigation_timeout(30_000)
        self.page = self.context.new_page()
        self._events: list[_Event] = []
        self._loaded: list[str] = []  # documents loaded since the last check
        self._status: int | None = None
        self._axe_context: Any = None
        self._axe_page: Any = None
        self._copy: tuple[str, str] = ("", "")
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self._events.append(_Event("uncaught exception", str(error))))
        self.page.on("domcontentloaded", lambda page: self._loaded.append(page.url))
        self.page.on("response", self._on_response)

    def __repr__(self) -> str:
        return f"<BrowserTab at {self.page.url}>"

    # events

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self._events.append(_Event("console error", message.text, message.location.get("url", "")))

    def _on_response(self, response: Any) -> None:
        request = response.request
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._status = response.status

    # navigation

    def goto(self, path: str, shot: str | None = None, status: int = 200) -> BrowserTab:
        self._ensure_checked()
        self.page.goto(path)
        return self.check(shot, status)

    def navigate(self, action: Callable[[], Any], shot: str | None = None, status: int = 200) -> BrowserTab:
        """Run `action` (a click, a select...) that loads a new page, then check that page."""
        self._ensure_checked()
        failure: Exception | None = None
        try:
            with self.page.expect_navigation():
                try:
                    action()
                except Exception as error:  # Playwright's wait for the navigation would hide why the action failed
                    failure = error
                    raise
        except Exception:
            if failure is not None:
                raise failure from None
            raise
        return self.check(shot, status)

    def click(self, target: Any, shot: str | None = None, status: int = 200) -> BrowserTab:
        locator = self.page.locator(target) if isinstance(target, str) else target
        return self.navigate(locator.click, shot, status)

    def submit(self, shot: str | None = None, status: int = 200) -> BrowserTab:
        """Press the submit button of the page's main form."""
        return self.click(self.page.locator("main form button[type=submit]").first, shot, status)

    # the checks

    def check(self, shot: str | None = None, status: int = 200) -> BrowserTab:
        page = self.page
        page.wait_for_load_state("load")
        url = page.url
        skipped = self._loaded[:-1]
        self._loaded.clear()
        assert not skipped, f"pages loaded but never checked before {url}: {skipped}"
        assert self._status == status, f"{url} answered HTTP {self._status}, expected {status}"
        self._assert_no_browser_errors(expected_status=status)
        name = shot or _shot_name(url)
        # The same page in the same state (sign-in form visited by every test...) is checked once a session.
        fingerprint = (name, self.javascript, _dom_fingerprint(page.content()))
        if fingerprint in _CHECKED_PAGES:
            return self
        self._run_axe(name)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        _CHECKED_PAGES.add(fingerprint)
        return self

    def _ensure_checked(self) -> None:
        assert not self._loaded, f"page(s) loaded but never checked: {self._loaded}"

    def _assert_no_browser_errors(self, expected_status: int = 200) -> None:
        document = urldefrag(self.page.url).url
        allowed = f"Failed to load resource: the server responded with a status of {expected_status} "
        problems = [
            f"{event.kind}: {event.text}" + (f" ({event.url})" if event.url else "")
            for event in self._events
            if not (expected_status >= 400 and event.text.startswith(allowed) and event.url == document)
        ]
        self._events.clear()
        assert not problems, "the browser reported errors:\n" + "\n".join(problems)

    def _run_axe(self, name: str) -> None:
        if self.javascript:
            results = self.axe.run(self.page)
        else:
            results = self._axe_without_javascript()
        violations = results.response["violations"]
        if violations:
            AXE_REPORTS.mkdir(parents=True, exist_ok=True)
            (AXE_REPORTS / f"{name}.json").write_text(json.dumps(_summary(violations), indent=2, ensure_ascii=False))
        serious = [v for v in violations if v.get("impact") in SERIOUS_IMPACTS]
        assert not serious, f"axe found serious accessibility problems on {self.page.url}:\n" + "\n".join(
            _describe(v) for v in serious
        )

    def _axe_without_javascript(self) -> Any:
        """axe needs JavaScript: run it on a copy of the page's DOM in a JavaScript-enabled tab of our own
        (same URL, same styles; the app's script is left out so the DOM stays as the no-JS reader gets it)."""
        self._copy = (urldefrag(self.page.url).url, self.page.content())
        if self._axe_page is None:
            self._axe_context = self.browser.new_context(base_url=self.base_url, locale="en-US", viewport=VIEWPORT)
            self._axe_page = self._axe_context.new_page()
            self._axe_page.route("**/*", self._serve_copy)
        self._axe_page.goto(self._copy[0])
        return self.axe.run(self._axe_page)

    def _serve_copy(self, route: Any) -> None:
        request = route.request
        if request.resource_type == "document" and urldefrag(request.url).url == self._copy[0]:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self._copy[1])
        elif request.resource_type == "script":
            route.fulfill(status=200, content_type="text/javascript", body="")
        else:
            route.continue_()

    def assert_clean(self) -> None:
        """At the end of a test: nothing unchecked, no console error since the last check."""
        self._ensure_checked()
        self._assert_no_browser_errors()

    def close(self) -> None:
        self.context.close()
        if self._axe_context is not None:
            self._axe_context.close()

    # journeys

    def sign_in(self, email: str, password: str = DEMO_PASSWORD, shot: str | None = None, status: int = 200):
        self.goto("/login", "login-en")
        self.fill_login(email, password)
        return self.submit(shot, status)

    def fill_login(self, email: str, password: str) -> None:
        self.page.locator("#email").fill(email)
        self.page.locator("#password").fill(password)

    def sign_out(self, shot: str | None = None) -> BrowserTab:
        return self.click(self.page.locator("nav.main-nav form[action$='/logout'] button"), shot)

    def html_lang(self) -> str | None:
        return self.page.locator("html").get_attribute("lang")

    def text(self, selector: str) -> str:
        return " ".join(self.page.locator(selector).first.inner_text().split())


_CHECKED_PAGES: set[tuple[str, bool, str]] = set()
_PER_REQUEST_VALUES = re.compile(r'(<input[^>]*name="csrf_token"[^>]*value=")[^"]*')


def _dom_fingerprint(html: str) -> str:
    """The page's DOM without the per-request CSRF tokens."""
    return hashlib.sha256(_PER_REQUEST_VALUES.sub(r"\1", html).encode()).hexdigest()


def _shot_name(url: str) -> str:
    path = urldefrag(url).url.split("://", 1)[-1].split("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9]+", "-", path.split("?")[0]).strip("-")[:80] or "root"


def _targets(violation: dict) -> list[str]:
    return [
        " ".join(t) if isinstance(t, list) else str(t) for node in violation.get("nodes", []) for t in node["target"]
    ]


def _describe(violation: dict) -> str:
    return (
        f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')}\n"
        f"  targets: {', '.join(_targets(violation))}\n  see {violation.get('helpUrl', '')}"
    )


def _summary(violations: list[dict]) -> list[dict]:
    return [
        {"id": v["id"], "impact": v.get("impact"), "help": v.get("help"), "targets": _targets(v)} for v in violations
    ]
