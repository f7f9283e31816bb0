import re
import threading

from flask_babel import force_locale, gettext

from qtp.accounts.models import User
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import csrf_token, login, post_form, text_of

NEW_PASSWORD = "tidal-basket-moon-orchard-42"
LINK = re.compile(r"http://localhost(/reset-password/\S+)")


def request_reset(client, email):
    return post_form(client, "/forgot-password", {"email": email}, token_from="/forgot-password")


def reset_link(outbox) -> str:
    assert len(outbox) == 1
    return LINK.search(outbox[0].body).group(1)


def test_reset_journey(app, client, session, outbox):
    make_user(session, "ana@test.example.org", name="Ana Ribeiro")
    response = request_reset(client, "ana@test.example.org")
    assert response.status_code == 302
    assert "If an account uses that address" in text_of(client.get(response.headers["Location"]))
    assert outbox[0].to == "ana@test.example.org"
    assert "Hello Ana Ribeiro," in outbox[0].body
    path = reset_link(outbox)

    page = client.get(path)
    assert page.status_code == 200 and "ana@test.example.org" in text_of(page)
    response = post_form(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=path)
    assert response.status_code == 302

    assert login(app.test_client(), "ana@test.example.org", TEST_PASSWORD).status_code == 401
    assert login(app.test_client(), "ana@test.example.org", NEW_PASSWORD).status_code == 302


def test_link_works_only_once(app, client, session, outbox):
    make_user(session, "ana@test.example.org")
    request_reset(client, "ana@test.example.org")
    path = reset_link(outbox)
    post_form(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=path)
    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "This link no longer works" in text_of(again)


def test_expired_link_is_refused(app, client, session, outbox, monkeypatch):
    make_user(session, "ana@test.example.org")
    request_reset(client, "ana@test.example.org")
    path = reset_link(outbox)
    monkeypatch.setitem(app.config, "QTP_RESET_TOKEN_MAX_AGE", -1)
    assert client.get(path).status_code == 404


def test_tampered_link_is_refused(client, session, outbox):
    make_user(session, "ana@test.example.org")
    request_reset(client, "ana@test.example.org")
    path = reset_link(outbox)
    assert client.get(path[:-3] + "xyz").status_code == 404


def test_unknown_or_inactive_address_gets_the_same_answer_and_no_mail(client, session, outbox):
    make_user(session, "gone@test.example.org", is_active=False)
    for email in ("nobody@test.example.org", "gone@test.example.org"):
        response = request_reset(client, email)
        assert response.status_code == 302
    assert outbox == []


def test_invalid_address_gets_a_field_message(client, session):
    response = request_reset(client, "not-an-address")
    assert response.status_code == 400
    assert "Please enter a valid e-mail address." in text_of(response)


def test_weak_or_mismatched_new_password_is_refused_and_link_still_works(client, session, outbox):
    make_user(session, "ana@test.example.org")
    request_reset(client, "ana@test.example.org")
    path = reset_link(outbox)
    weak = post_form(client, path, {"password": "short", "confirm": "short"}, token_from=path)
    assert weak.status_code == 400 and "Use at least 12 characters." in text_of(weak)
    mismatch = post_form(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}, token_from=path)
    assert mismatch.status_code == 400 and "The two passwords do not match." in text_of(mismatch)
    assert client.get(path).status_code == 200


def test_reset_ends_every_other_session(app, client, session, outbox):
    make_user(session, "ana@test.example.org")
    laptop = app.test_client()
    login(laptop, "ana@test.example.org")
    request_reset(client, "ana@test.example.org")
    path = reset_link(outbox)
    post_form(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=path)
    assert laptop.get("/home").status_code == 302


def test_email_is_in_the_recipients_language(app, client, session, outbox):
    make_user(session, "lucia@test.example.org", locale="es", name="Lucía")
    request_reset(client, "lucia@test.example.org")
    with app.test_request_context(), force_locale("es"):
        subject = gettext("Choose a new password for the Quality Training Program")
    assert outbox[0].subject == subject


def test_email_falls_back_to_the_page_language(app, client, session, outbox):
    make_user(session, "rafa@test.example.org")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pt-BR,pt;q=0.9"
    request_reset(client, "rafa@test.example.org")
    with app.test_request_context(), force_locale("pt_BR"):
        subject = gettext("Choose a new password for the Quality Training Program")
    assert outbox[0].subject == subject


def test_ten_parallel_uses_of_one_link_exactly_one_succeeds(app, committed_db, outbox):
    make_user(committed_db, "ana@test.example.org")
    committed_db.commit()
    request_reset(app.test_client(), "ana@test.example.org")
    path = reset_link(outbox)
    clients = [app.test_client() for _ in range(10)]
    tokens = [csrf_token(c, path) for c in clients]
    barrier = threading.Barrier(10)
    results: dict[int, int] = {}

    def use(c, token, n):
        barrier.wait()
        password = f"{NEW_PASSWORD}-{n}"
        response = c.post(path, data={"csrf_token": token, "password": password, "confirm": password})
        results[n] = response.status_code

    pairs = enumerate(zip(clients, tokens, strict=True))
    threads = [threading.Thread(target=use, args=(c, t, n)) for n, (c, t) in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, status in results.items() if status == 302]
    assert len(winners) == 1, results
    assert all(status in (302, 400, 404) for status in results.values()), results
    assert login(app.test_client(), "ana@test.example.org", f"{NEW_PASSWORD}-{winners[0]}").status_code == 302
    assert committed_db.query(User).count() == 1
