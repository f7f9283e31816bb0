"""Public pages name their language alternates (hreflang), each a URL that shows the page in that language;
the language switcher's choice is not overridden by such a URL afterwards."""

import re

from tests.factories import make_user
from tests.helpers import login, post_form, text_of

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def test_public_pages_list_their_alternates_and_each_one_works(client):
    for path in ("/", "/programs", "/interest", "/verify", "/login", "/graduates"):
        page = text_of(client.get(path))
        found = dict(ALTERNATE.findall(page))
        assert set(found) == {"en", "es", "pt-BR", "x-default"}, path
        assert found["x-default"] == "http://localhost" + path
        for hreflang, href in found.items():
            if hreflang == "x-default":
                continue
            shown = text_of(client.get(href.removeprefix("http://localhost")))
            assert f'<html lang="{hreflang}">' in shown, href
        assert '<meta name="description" content="' in page and "<title>" in page


def test_private_pages_have_no_alternates(client, session):
    login(client, make_user(session, roles=["admin"]).email)
    assert not ALTERNATE.search(text_of(client.get("/admin/interest")))


def test_the_switcher_returns_to_the_page_without_its_language_parameter(client):
    page = text_of(client.get("/interest?lang=pt_BR"))
    assert 'name="next" value="/interest"' in page
    response = post_form(client, "/language", {"locale": "es", "next": "/interest"}, token_from="/interest")
    assert response.status_code == 302
    assert '<html lang="es">' in text_of(client.get("/interest"))


OG = re.compile(r'<meta property="og:([a-z_]+)" content="([^"]*)">')


def test_listed_pages_describe_themselves_for_link_previews_in_their_language(client):
    page = text_of(client.get("/interest?lang=pt_BR"))
    tags = dict(OG.findall(page))
    title = re.search(r"<title>(.*) · ", page).group(1)
    description = re.search(r'<meta name="description" content="([^"]*)">', page).group(1)
    assert tags == {
        "type": "website",
        "site_name": "Quality Training Program",
        "title": title,
        "description": description,
        "url": "http://localhost/interest?lang=pt_BR",
        "locale": "pt_BR",
    }
    assert title and "Pesquisa" in title, "the page's own title, in Portuguese"


def test_unlisted_and_private_pages_have_no_link_preview(client, session):
    assert not OG.search(text_of(client.get("/interest/thanks")))
    login(client, make_user(session, roles=["admin"]).email)
    assert not OG.search(text_of(client.get("/admin/interest")))
