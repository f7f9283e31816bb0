"""Names typed by administrators are shown as text everywhere: never as markup, never as a template."""

from __future__ import annotations

import pytest

from tests.factories import make_organization, make_user
from tests.helpers import login, post_form, text_of

from .support import organization_named

IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg/onload=alert(1)>"
SCRIPT = '"><script>alert(1)</script>'
TEMPLATE = "{{7*7}}"

ESCAPED = {
    IMG: "&lt;img src=x onerror=alert(1)&gt;",
    SVG: "&lt;svg/onload=alert(1)&gt;",
    SCRIPT: "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
}
RAW = ["<img src=x", "<svg/onload", "<script>alert(1)", "onerror=alert(1)>"]


@pytest.fixture
def hostile(admin_client, session, admin):
    """Hostile names entered through the admin pages, so that they reach the audit log too."""
    img_user = make_user(session, "mariana.souza@hcp-recife.example.org", roles=["participant"], name="Mariana Souza")
    script_user = make_user(session, "diego.ramirez@oncomonterrey.example.org", roles=["faculty"], name="Diego Ramírez")
    template_user = make_user(session, "nikos.georgiou@oncothess.example.org", roles=["coach"], name="Nikos Georgiou")
    for user, name in ((img_user, IMG), (script_user, SCRIPT), (template_user, TEMPLATE)):
        response = post_form(
            admin_client,
            f"/admin/users/{user.id}",
            {
                "name": name,
                "email": user.email,
                "organization_id": "",
                "locale": "",
                "timezone": "UTC",
                "roles": [r.role for r in user.roles],
            },
            token_from=f"/admin/users/{user.id}",
        )
        assert response.status_code == 302
    response = post_form(
        admin_client,
        "/admin/organizations/new",
        {"name": SVG, "kind": "practice", "country": "US", "city": SCRIPT},
        token_from="/admin/organizations/new",
    )
    assert response.status_code == 302
    return {"img": img_user.id, "script": script_user.id, "template": template_user.id}


def assert_no_raw_markup(html: str) -> None:
    for fragment in RAW:
        assert fragment not in html, f"unescaped {fragment!r} in the page"


def test_users_list_escapes_names(admin_client, hostile):
    html = text_of(admin_client.get("/admin/users"))
    assert_no_raw_markup(html)
    assert ESCAPED[IMG] in html and ESCAPED[SCRIPT] in html


def test_user_edit_page_escapes_the_name_in_title_heading_and_input(admin_client, hostile):
    for key, name in (("img", IMG), ("script", SCRIPT)):
        html = text_of(admin_client.get(f"/admin/users/{hostile[key]}"))
        assert_no_raw_markup(html)
        assert f"<h1>{ESCAPED[name]}</h1>" in html
        assert f"<title>{ESCAPED[name]}" in html
        assert f'value="{ESCAPED[name]}"' in html


def test_organizations_list_and_form_escape_names(admin_client, session, hostile):
    html = text_of(admin_client.get("/admin/organizations"))
    assert_no_raw_markup(html)
    assert ESCAPED[SVG] in html and ESCAPED[SCRIPT] in html
    org = organization_named(session, SVG)
    form = text_of(admin_client.get(f"/admin/organizations/{org.id}"))
    assert_no_raw_markup(form)
    assert f"<h1>{ESCAPED[SVG]}</h1>" in form
    # offered in the invitation form's organization menu, as text
    invite = text_of(admin_client.get("/admin/users/new"))
    assert_no_raw_markup(invite)
    assert ESCAPED[SVG] in invite


def test_audit_log_escapes_summaries_and_details(admin_client, hostile):
    html = text_of(admin_client.get("/admin/audit"))
    assert_no_raw_markup(html)
    assert f"Mariana Souza → {ESCAPED[IMG]}" in html  # user.updated details, from → to
    assert ESCAPED[SVG] in html and ESCAPED[SCRIPT] in html


def test_flash_message_escapes_the_name(admin_client, session):
    user = make_user(session, "sofia.torres@oncovalencia.example.org", roles=["participant"], name="Sofía Torres")
    response = post_form(
        admin_client,
        f"/admin/users/{user.id}",
        {
            "name": IMG,
            "email": user.email,
            "organization_id": "",
            "locale": "",
            "timezone": "UTC",
            "roles": ["participant"],
        },
        token_from=f"/admin/users/{user.id}",
    )
    html = text_of(admin_client.get(response.headers["Location"]))
    assert f"Changes to {ESCAPED[IMG]} saved." in html
    assert_no_raw_markup(html)


def test_admin_home_page_escapes_recent_activity(admin_client, hostile):
    html = text_of(admin_client.get("/home"))
    assert_no_raw_markup(html)
    assert ESCAPED[SVG] in html  # organization.created in "Recent activity"


def test_home_page_of_the_user_escapes_their_own_name(app, hostile):
    browser = app.test_client()
    assert login(browser, "mariana.souza@hcp-recife.example.org").status_code == 302
    html = text_of(browser.get("/home"))
    assert_no_raw_markup(html)
    assert ESCAPED[IMG] in html


def test_template_syntax_in_a_name_is_shown_literally(app, admin_client, hostile):
    listing = text_of(admin_client.get("/admin/users"))
    assert f">{TEMPLATE}</a>" in listing
    assert ">49</a>" not in listing
    edit = text_of(admin_client.get(f"/admin/users/{hostile['template']}"))
    assert f"<h1>{TEMPLATE}</h1>" in edit and "<h1>49</h1>" not in edit
    browser = app.test_client()
    assert login(browser, "nikos.georgiou@oncothess.example.org").status_code == 302
    home = text_of(browser.get("/home"))
    assert TEMPLATE in home and "Welcome, 49" not in home


def test_organization_name_as_template_is_literal(admin_client, session):
    make_organization(session, "Oncology {{ config.SECRET_KEY }} Clinic", country="US", city="Houston")
    html = text_of(admin_client.get("/admin/organizations"))
    assert "Oncology {{ config.SECRET_KEY }} Clinic" in html
    assert "test-secret-key" not in html
