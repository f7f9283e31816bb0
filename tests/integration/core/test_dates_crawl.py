"""A crawl of the demo as each role, in each language: no page shows a numeric date (12/6/26, 9/14/26) or a
raw ISO date (2027-06-30) in what people read, and every time of day names its zone.

Machine-readable places are left out on purpose: attributes (<time datetime>, input values), <pre> and
<code> (the CSV import example shows the ISO format the import expects), scripts and styles.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from qtp.accounts.models import User
from qtp.demo.loader import load_demo
from tests.helpers import login, text_of
from tests.integration.worksheets import conftest as worksheet_fixtures

real_courses = worksheet_fixtures.real_courses
real_worksheet_types = worksheet_fixtures.real_worksheet_types

NUMERIC_DATE = re.compile(r"(?<![\d/.])\d{1,2}/\d{1,2}/\d{2,4}(?![\d/])")
ISO_DATE = re.compile(r"(?<![\d-])20\d\d-[01]\d-[0-3]\d(?![\d-])")
# A moment the app shows (a date with its year, then the time: "Sep 14, 2026, 3:00 PM", "14 sept 2026, 15:00")
# must name its zone (EDT, UTC, BRT, GMT-6 ...). Times that teams write themselves ("from 8:00 to 18:00") are
# not moments and are left alone.
TIME_WITHOUT_ZONE = re.compile(
    r"20\d\d,? \d{1,2}:\d\d(?::\d\d)?(?:\s?[AP]M)?(?!\s?(?:[AP]M\s)?(?:[A-Z]{2,5}|GMT[+-]\d))"
)
SKIPPED = re.compile(r"/logout|\.(csv|pdf|ics|json|zip|svg|png)$|/downloads/|/export|/blank|/attachments/|/verify/")
PAGES_PER_ROLE = 45
ROLES = ("leader@example.org", "member@example.org", "faculty@example.org", "admin@example.org",
         "other@example.org", "licensee@example.org")


class _Reader(HTMLParser):
    """The text a person reads on a page, and the same-origin links on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("pre", "code", "script", "style", "textarea"):
            self._hidden += 1
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.links.append(urldefrag(href)[0])

    def handle_endtag(self, tag):
        if tag in ("pre", "code", "script", "style", "textarea") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _crawl(client, start: str = "/home") -> dict[str, str]:
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < PAGES_PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        reader = _Reader()
        reader.feed(text_of(response))
        pages[path] = " ".join(" ".join(reader.text).split())
        for link in reader.links:
            target = urlsplit(link)
            key = target.path + (f"?{target.query}" if target.query and "lang=" not in target.query else "")
            if key not in seen and not SKIPPED.search(target.path):
                seen.add(key)
                queue.append(key)
    return pages


def _around(text: str, match: re.Match) -> str:
    return text[max(match.start() - 50, 0) : match.end() + 30]


@pytest.mark.parametrize("locale", ["en", "es", "pt_BR"])
def test_no_page_of_any_role_shows_a_numeric_date_or_a_time_without_its_zone(
    app, session, real_worksheet_types, locale
):
    load_demo(session, "development")
    session.query(User).update({User.locale: locale})
    session.commit()
    problems, crawled = [], 0
    for email in ROLES:
        client = app.test_client()
        login(client, email, "qtp-demo-2026")
        pages = _crawl(client)
        crawled += len(pages)
        for path, text in pages.items():
            for pattern, what in ((NUMERIC_DATE, "numeric date"), (ISO_DATE, "ISO date"),
                                  (TIME_WITHOUT_ZONE, "time without zone")):
                problems += [f"{email} {path}: {what}: …{_around(text, m)}…" for m in pattern.finditer(text)]
    assert crawled > 100, crawled  # the crawl really went through the demo
    assert not problems, "\n".join(problems[:40])


def test_the_patterns_catch_what_they_are_for():
    assert NUMERIC_DATE.search("saved 12/6/26 by Ana") and NUMERIC_DATE.search("9/14/2026")
    assert not NUMERIC_DATE.search("Cycle 1/3 of 12") and not NUMERIC_DATE.search("a/b")
    assert ISO_DATE.search("Target date 2027-06-30") and not ISO_DATE.search("ref 12027-06-300")
    assert TIME_WITHOUT_ZONE.search("Sep 14, 2026, 12:00 PM by Ana")
    assert TIME_WITHOUT_ZONE.search("14 sept 2026, 9:00 por Ana")
    assert TIME_WITHOUT_ZONE.search("14 de set. de 2026 12:00:00")
    assert not TIME_WITHOUT_ZONE.search("de lunes a viernes de 8:00 a 18:00")
    assert not TIME_WITHOUT_ZONE.search("Sep 14, 2026, 12:00 PM EDT by Ana")
    assert not TIME_WITHOUT_ZONE.search("14 sept 2026, 9:00 GMT-6")
    assert not TIME_WITHOUT_ZONE.search("14 de set. de 2026 12:00 BRT")
