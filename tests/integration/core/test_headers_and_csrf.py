import pytest

from qtp.accounts.models import User
from tests.factories import make_user
from tests.helpers import csrf_token, login, text_of

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/no/such/page", "/static/css/app.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    for header in SECURITY_HEADERS:
        assert header in response.headers, (path, header)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_authenticated_pages_are_not_stored(client, session):
    make_user(session, "ana@test.example.org")
    login(client, "ana@test.example.org")
    for path in ("/home", "/account/profile"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_scripts_or_styles(client):
    html = text_of(client.get("/login"))
    assert "<script>" not in html and "style=" not in html


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, session):
    user = make_user(session, "ana@test.example.org", name="Ana Ribeiro")
    login(client, "ana@test.example.org")
    response = client.post("/account/profile", data={"name": "Hacked", "locale": "", "timezone": "UTC"})
    assert response.status_code == 400
    assert "Your form expired" in text_of(response)
    session.expire_all()
    assert session.get(User, user.id).name == "Ana Ribeiro"


def test_csrf_token_of_another_session_is_refused(app, client, session):
    user = make_user(session, "ana@test.example.org", name="Ana Ribeiro")
    login(client, "ana@test.example.org")
    foreign = csrf_token(app.test_client(), "/login")
    response = client.post(
        "/account/profile", data={"csrf_token": foreign, "name": "Hacked", "locale": "", "timezone": "UTC"}
    )
    assert response.status_code == 400
    session.expire_all()
    assert session.get(User, user.id).name == "Ana Ribeiro"


def test_expired_csrf_token_is_refused(app, client, session, monkeypatch):
    make_user(session, "ana@test.example.org")
    login(client, "ana@test.example.org")
    token = csrf_token(client, "/account/profile")
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", -1)
    response = client.post("/account/profile", data={"csrf_token": token, "name": "X", "locale": "", "timezone": "UTC"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/logout", "/language", "/admin/users/1/active"])
def test_state_changing_routes_refuse_get(client, path):
    assert client.get(path).status_code in (405, 302)
    assert client.get(path).status_code != 200
