"""Browser suite: Debian's Chromium, driven by Playwright, against the app served on a loopback port.

One live server for the session (a fresh SQLite file, schema from the migrations, demo data loaded), one
browser for the session, a new browser context for each test. Skipped as a whole only when
/usr/bin/chromium is missing; never runs `playwright install`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, BrowserTab, Catalogs, LiveServer, start_live_server

HERE = Path(__file__).resolve().parent
SKIP_REASON = f"browser suite needs Debian's Chromium at {CHROMIUM} (apt-get install chromium); it is not installed"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this directory's tests when Chromium is missing (and only then: CI fails on any skip)."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"_browser_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    """Compiles the .mo files that are missing or older than their .po, and knows the expected texts."""
    return Catalogs()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, catalogs: Catalogs):
    server = start_live_server(tmp_path_factory.mktemp("browser-db"))
    yield server
    server.stop()
    from qtp.extensions import db

    with server.app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_app(live_server: LiveServer):
    return live_server.app


@pytest.fixture(autouse=True)
def _fresh_live_state(live_server: LiveServer) -> None:
    live_server.app.extensions["qtp_ratelimits"].reset_all()
    live_server.outbox.clear()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def open_tab(chromium, live_server: LiveServer, axe, request: pytest.FixtureRequest):
    """Opens a new browser context (another person, or JavaScript off); all are checked and closed at the end."""
    tabs: list[BrowserTab] = []

    def open_(**context_options) -> BrowserTab:
        tab = BrowserTab(chromium, live_server.url, axe, context_options)
        tabs.append(tab)
        return tab

    yield open_
    problems = []
    for tab in tabs:
        try:
            tab.assert_clean()
        except AssertionError as error:
            problems.append(str(error))
        finally:
            tab.close()
    call = getattr(request.node, "_browser_report_call", None)
    if problems and call is not None and call.passed:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def tab(open_tab) -> BrowserTab:
    return open_tab()


@pytest.fixture
def faculty_language(live_server: LiveServer):
    """Journeys where the demo faculty account switches language (the switcher saves it to the profile) put
    it back afterwards, for the tests that follow."""
    yield
    live_server.set_user_locale("faculty@example.org", None)
