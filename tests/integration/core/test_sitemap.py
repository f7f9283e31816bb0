"""What search engines are told: /sitemap.xml lists each listed public page in every language with all its
alternates, each of which answers; /robots.txt points to it; pages that are open to anyone but not for search
engines (links from e-mails, one person's certificate, the thank-you page) and private pages say noindex and
name no alternates."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from qtp.catalog.models import Program
from qtp.catalog.sync import sync_content
from qtp.core.permissions import is_listed
from tests.factories import make_user
from tests.helpers import login, text_of

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
ORIGIN = "http://localhost"
NOINDEX = '<meta name="robots" content="noindex">'
ALTERNATE = re.compile(r'<link rel="alternate" hreflang=')
COURSES = Path(__file__).resolve().parents[3] / "courses"
LOCALES = ("en", "es", "pt_BR")
PAGES = ("/", "/programs", "/programs/six-month", "/programs/one-day", "/interest", "/graduates", "/verify", "/login")


@pytest.fixture
def courses(session):
    """The real programs, and one whose page is not written yet: not a page to list."""
    sync_content(session, COURSES, LOCALES)
    session.add(Program(slug="not-written", format="six_month", titles={"en": "Not written"}, config={}))
    session.commit()


def _sitemap(client) -> dict[str, dict[str, str]]:
    """{location: {hreflang: href}} as a search engine reads the sitemap."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.get_data())  # noqa: S314 (the app's own answer, in a test)
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("x:link", NS)
            if link.get("rel") == "alternate"
        }
        for url in root.findall("s:url", NS)
    }


def test_the_sitemap_lists_every_listed_page_in_each_language_with_its_alternates(client, courses):
    urls = _sitemap(client)
    expected = set()
    for path in (*PAGES, "/forgot-password"):
        expected |= {ORIGIN + path, *(f"{ORIGIN}{path}?lang={code}" for code in LOCALES)}
    assert set(urls) == expected
    for location, alternates in urls.items():
        assert location in alternates.values(), "each address names itself among its alternates"
        assert set(alternates) == {"en", "es", "pt-BR", "x-default"}
    assert urls[ORIGIN + "/programs/one-day?lang=es"]["pt-BR"] == ORIGIN + "/programs/one-day?lang=pt_BR"


def test_every_address_in_the_sitemap_answers_in_its_language_and_invites_indexing(client, courses):
    for location, alternates in _sitemap(client).items():
        response = client.get(location.removeprefix(ORIGIN))
        assert response.status_code == 200, location
        page = text_of(response)
        assert NOINDEX not in page, location
        hreflang = next(code for code, href in alternates.items() if href == location)
        if hreflang != "x-default":
            assert f'<html lang="{hreflang}">' in page, location


def test_only_the_program_page_has_url_parts_among_listed_pages(app):
    """The sitemap knows how to list the program pages; a new listed page with URL parts needs the same."""
    with_parts = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.arguments and "GET" in rule.methods and is_listed(app.view_functions[rule.endpoint])
    }
    assert with_parts == {"public.program"}


def test_robots_txt_allows_crawling_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Sitemap: http://localhost/sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /") for line in lines)


def test_unlisted_public_pages_say_noindex_and_name_no_alternates(client, session):
    for path in ("/interest/thanks", "/reset-password/not-a-token", "/no-such-page"):
        page = text_of(client.get(path))
        assert NOINDEX in page, path
        assert not ALTERNATE.search(page), path
    assert not any("/thanks" in location or "/healthz" in location for location in _sitemap(client))


def test_private_pages_say_noindex(client, session):
    login(client, make_user(session, roles=["admin"]).email)
    page = text_of(client.get("/admin/interest"))
    assert NOINDEX in page and not ALTERNATE.search(page)
