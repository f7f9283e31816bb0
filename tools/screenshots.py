"""Screenshots of the main pages for docs/screenshots/ (`make screenshots`).

Serves the app on a loopback port with a fresh database and the demo data (as the browser suite does), signs
in as each demo role in Debian's Chromium and saves what a person sees first on each page, at 1280 px (desktop)
and 390 px (phone), in English, and at 1280 px in Spanish and Brazilian Portuguese for the pages teams use
most. Run it after changing a main page, look at the pictures, and commit them with the change.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, start_live_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

# (file stem, who signs in or None, path template, in every language)
PAGES = [
    ("landing", None, "/", True),
    ("program", None, "/programs/six-month", True),
    ("program-one-day", None, "/programs/one-day", False),
    ("home-participant", "member@example.org", "/home", True),
    ("lesson", "member@example.org", "/learning/{cohort}/modules/02-model-for-improvement", True),
    ("workspace", "leader@example.org", "/teams/{team}/workspace", False),
    ("measure", "leader@example.org", "/teams/{team}/measures/1", True),
    ("process-map", "leader@example.org", "/teams/{team}/worksheets/process-map/1", False),
    ("driver-diagram", "leader@example.org", "/teams/{team}/worksheets/driver-diagram/1", True),
    ("review", "faculty@example.org", "/review/{submitted}", True),
    ("dashboard", "faculty@example.org", "/cohorts/{cohort}/dashboard/members", False),
    ("dashboard-teams", "faculty@example.org", "/cohorts/{cohort}/dashboard/teams", False),
    ("bundle", "licensee@example.org", "/licenses", False),
    ("admin-home", "admin@example.org", "/home", False),
]


def _ids(server) -> dict[str, int]:
    from sqlalchemy import select

    from qtp.cohorts.models import Cohort, Team
    from qtp.worksheets.models import Worksheet

    with server.db() as session:
        cohort = session.scalar(select(Cohort).where(Cohort.slug == "international-2026"))
        team = session.scalar(select(Team).where(Team.cohort_id == cohort.id).order_by(Team.id))
        submitted = session.scalar(select(Worksheet.id).where(Worksheet.status == "submitted").order_by(Worksheet.id))
        return {"cohort": cohort.id, "team": team.id, "submitted": submitted}


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        print(f"Debian's Chromium is needed at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        print("Building a fresh database with the demo data...", flush=True)
        server = start_live_server(Path(scratch))
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line a picture, not one a request
        ids = _ids(server)
        written = 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            for locale in ("en", "es", "pt_BR"):
                for width_name, (width, height) in WIDTHS.items():
                    if locale != "en" and width_name == "phone":
                        continue
                    for stem, email, path, every_language in PAGES:
                        if locale != "en" and not every_language:
                            continue
                        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
                        page = context.new_page()
                        if email:
                            page.goto(f"{server.url}/login?lang={locale}")
                            page.locator("#email").fill(email)
                            page.locator("#password").fill(DEMO_PASSWORD)
                            page.locator("main form button[type=submit]").click()
                            page.wait_for_load_state()
                        url = f"{server.url}{path.format(**ids)}"
                        page.goto(url + ("&" if "?" in url else "?") + f"lang={locale}")
                        target = OUT / f"{stem}-{locale}-{width_name}.png"
                        page.screenshot(path=str(target))
                        context.close()
                        written += 1
                        print(f"  {target.relative_to(ROOT)}", flush=True)
            browser.close()
        server.stop()
    print(f"{written} screenshots in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
