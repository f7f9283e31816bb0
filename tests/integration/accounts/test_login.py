from tests.factories import make_user
from tests.helpers import login, text_of


def test_demo_style_login_reaches_home(client, session):
    make_user(session, "ana@test.example.org", roles=["participant"], name="Ana Ribeiro")
    response = login(client, "ana@test.example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    home = client.get("/home")
    assert home.status_code == 200
    assert "Welcome, Ana Ribeiro" in text_of(home)


def test_wrong_password_is_refused_with_message(client, session):
    make_user(session, "ana@test.example.org")
    response = login(client, "ana@test.example.org", "not-the-password-at-all")
    assert response.status_code == 401
    assert "The e-mail address or password is not correct." in text_of(response)
    assert client.get("/home").status_code == 302
