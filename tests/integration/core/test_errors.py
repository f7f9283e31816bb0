import pytest
from flask_babel import force_locale, gettext

from qtp import create_app
from qtp.core.errors import MESSAGES
from qtp.core.permissions import public
from tests.conftest import make_test_config
from tests.factories import make_user
from tests.helpers import login, text_of


@pytest.fixture
def crashing_app(tmp_path):
    """A separate app with a route that fails, served as in production (exceptions not propagated)."""
    application = create_app(make_test_config(tmp_path, PROPAGATE_EXCEPTIONS=False, MAX_CONTENT_LENGTH=1024))

    @application.route("/boom")
    @public
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    return application


def expected(app, code, locale):
    with app.test_request_context(), force_locale(locale):
        title, message = MESSAGES[code]
        return str(title), str(message)


@pytest.mark.parametrize("locale,header", [("en", "en"), ("es", "es-ES"), ("pt_BR", "pt-BR")])
def test_500_is_translated_and_never_shows_a_traceback(crashing_app, locale, header):
    response = crashing_app.test_client().get("/boom", headers={"Accept-Language": header})
    assert response.status_code == 500
    html = text_of(response)
    title, message = expected(crashing_app, 500, locale)
    assert title in html and message in html
    assert "Traceback" not in html and "hunter2" not in html and "RuntimeError" not in html
    with crashing_app.test_request_context(), force_locale(locale):
        assert gettext("Reference for support: %(id)s", id="")[:10] in html


def test_413_before_the_body_is_used(crashing_app):
    response = crashing_app.test_client().post("/login", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert expected(crashing_app, 413, "en")[0] in text_of(response)


@pytest.mark.parametrize("locale,header", [("es", "es"), ("pt_BR", "pt-BR")])
def test_404_405_403_400_pages_are_translated(app, client, session, locale, header):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = header
    assert expected(app, 404, locale)[0] in text_of(client.get("/no/such/page"))
    assert expected(app, 405, locale)[0] in text_of(client.get("/logout"))
    response = client.post("/login", data={})
    assert response.status_code == 400
    assert expected(app, 400, locale)[0] in text_of(response)
    make_user(session, "p@test.example.org", roles=["participant"])
    login(client, "p@test.example.org")
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403
    # the user has no language preference: the browser's language applies
    assert expected(app, 403, locale)[0] in text_of(forbidden)


def test_error_page_has_a_way_back(client):
    assert 'href="/"' in text_of(client.get("/nothing-here"))
