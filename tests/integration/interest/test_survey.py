"""The International Interest Survey: a visitor answers in their language and gets a confirmation; bad answers
get per-field messages and store nothing; robots are kept out by a honeypot, a time check and a rate limit;
admins list, filter, chart, mark as handled and export the answers."""

from __future__ import annotations

import time

import pytest

from qtp.core.audit import AuditEvent
from qtp.interest import services
from qtp.interest.models import InterestResponse
from tests.factories import make_user
from tests.helpers import csrf_token, login, text_of

SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}


def answers(app, **overrides) -> dict:
    with app.test_request_context():
        stamp = services.form_stamp(time.time() - 30)  # the form was shown half a minute ago
    values = {
        "country": "AR",
        "organization": "Hospital de Clínicas de Rosario",
        "role": "physician",
        "program": "six_month",
        "team_size": "5",
        "language": "es",
        "email": "Ana.Ruiz@Clinicas.example.org",
        "message": "Queremos mejorar el tiempo hasta el antibiótico en neutropenia febril.",
        "consent": "y",
        "website": "",
        "stamp": stamp,
    }
    return values | overrides


def send(client, app, **overrides):
    data = answers(app, **overrides)
    data["csrf_token"] = csrf_token(client, "/interest")
    return client.post("/interest", data=data, headers=SPANISH)


def test_a_visitor_answers_in_spanish_and_gets_a_confirmation_in_spanish(app, client, session, outbox):
    page = client.get("/interest", headers=SPANISH)
    assert page.status_code == 200
    html = text_of(page)
    assert 'lang="es"' in html and "Encuesta internacional de interés" in html
    assert ">Argentina<" in html and ">Brasil<" in html and ">Alemania<" in html, "every country, named in Spanish"
    response = send(client, app)
    assert response.status_code == 302 and response.headers["Location"].endswith("/interest/thanks")
    stored = session.query(InterestResponse).one()
    assert (stored.country, stored.program, stored.team_size, stored.locale) == ("AR", "six_month", 5, "es")
    assert stored.email == "ana.ruiz@clinicas.example.org" and stored.consent and stored.handled_at is None
    (mail,) = outbox
    assert mail.to == "ana.ruiz@clinicas.example.org"
    assert "Hospital de Clínicas de Rosario" in mail.body and "programa de seis meses" in mail.body.lower()
    assert "Hemos recibido" in mail.subject or "Hemos recibido" in mail.body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "", "Elija su país."),
        ("country", "XX", "Elija su país de la lista."),
        ("role", "ceo", "Elija su rol de la lista."),
        ("organization", "", "Escriba el nombre de su hospital, consultorio u organización."),
        ("email", "not-an-address", "Escriba un correo electrónico válido."),
        ("team_size", "80", "Un equipo tiene de 1 a 50 personas."),
        ("consent", "", "Acepte que nos pongamos en contacto con usted; de lo contrario, no podremos responderle."),
        ("message", "x" * 2001, "2000"),
    ],
)
def test_a_bad_answer_is_explained_next_to_its_field_and_nothing_is_stored(
    app, client, session, outbox, field, value, message
):
    response = send(client, app, **{field: value})
    assert response.status_code == 400
    html = text_of(response)
    assert message in html and 'aria-invalid="true"' in html
    assert session.query(InterestResponse).count() == 0 and outbox == []


def test_robots_are_kept_out(app, client, session, outbox):
    trapped = send(client, app, website="http://spam.example")
    assert trapped.status_code == 302, "the honeypot answers as if all went well"
    with app.test_request_context():
        too_fast = services.form_stamp(time.time() - 1)
        stale = services.form_stamp(time.time() - 2 * 86400)
    response = send(client, app, stamp=too_fast)
    assert response.status_code == 400 and "El formulario se envió demasiado rápido" in text_of(response)
    assert send(client, app, stamp=stale).status_code == 400
    assert send(client, app, stamp="forged").status_code == 400
    assert session.query(InterestResponse).count() == 0 and outbox == []
    assert send(client, app).status_code == 302  # the fifth answer from this address within the hour
    assert send(client, app).status_code == 429  # the sixth
    assert session.query(InterestResponse).count() == 1


def test_extra_fields_change_nothing(app, client, session):
    send(client, app, handled_at="2026-01-01", id="99", locale="en")
    stored = session.query(InterestResponse).one()
    assert stored.handled_at is None and stored.id != 99 and stored.locale == "es"


def _seed(session) -> list[InterestResponse]:
    rows = [
        InterestResponse(
            country="AR",
            organization="Hospital A",
            role="physician",
            program="six_month",
            language="es",
            email="a@a.example.org",
            consent=True,
            locale="es",
        ),
        InterestResponse(
            country="AR",
            organization='=HYPERLINK("http://x")',
            role="nurse",
            program="one_day",
            language="es",
            email="b@b.example.org",
            consent=True,
            locale="es",
        ),
        InterestResponse(
            country="BR",
            organization="Hospital C",
            role="quality",
            program="licensing",
            language="pt_BR",
            email="c@c.example.org",
            consent=True,
            locale="pt_BR",
        ),
    ]
    session.add_all(rows)
    session.commit()
    return rows


def test_admins_filter_chart_handle_and_export_the_answers(client, session):
    rows = _seed(session)
    admin = make_user(session, roles=["admin"])
    login(client, admin.email)
    page = text_of(client.get("/admin/interest"))
    assert "3 answers" in page and "<svg" in page and "Argentina: 2; Brazil: 1" in page
    only_ar = text_of(client.get("/admin/interest?country=AR"))
    assert "Hospital A" in only_ar and "Hospital C" not in only_ar
    licensing = text_of(client.get("/admin/interest?program=licensing"))
    assert "Hospital C" in licensing and "Hospital A" not in licensing
    token = csrf_token(client, "/admin/interest")
    response = client.post(f"/admin/interest/{rows[0].id}/handled", data={"csrf_token": token})
    assert response.status_code == 302
    session.refresh(rows[0])
    assert rows[0].handled_at is not None and rows[0].handled_by_id == admin.id
    assert session.query(AuditEvent).filter_by(action="interest.handled").count() == 1
    waiting = text_of(client.get("/admin/interest?handled=no"))
    assert "Hospital A" not in waiting and "Hospital C" in waiting
    export = client.get("/admin/interest.csv?country=AR").get_data(as_text=True)
    lines = export.lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 3 and "'=HYPERLINK" in export and "Hospital C" not in export
    assert client.post(f"/admin/interest/{rows[0].id}/handled").status_code == 400, "no CSRF token"


@pytest.mark.parametrize(
    ("referrer", "back"),
    [
        ("http://localhost/admin/interest?country=AR&handled=no", "/admin/interest?country=AR&handled=no"),
        ("https://evil.example/admin/interest?country=AR", "/admin/interest"),
        ("//evil.example/admin/interest", "/admin/interest"),
        ("http://localhost/admin/users", "/admin/interest"),
        ("javascript:alert(1)//admin/interest", "/admin/interest"),
    ],
)
def test_marking_an_answer_goes_back_to_the_filtered_list_never_to_another_site(client, session, referrer, back):
    rows = _seed(session)
    login(client, make_user(session, roles=["admin"]).email)
    token = csrf_token(client, "/admin/interest")
    response = client.post(f"/admin/interest/{rows[0].id}/handled", data={"csrf_token": token},
                           headers={"Referer": referrer})
    assert response.status_code == 302
    assert response.headers["Location"] == back


def test_the_admin_page_runs_a_fixed_number_of_statements(client, session, sql_statements):
    login(client, make_user(session, roles=["admin"]).email)
    _seed(session)
    sql_statements.clear()
    client.get("/admin/interest")
    small = len(sql_statements)
    for _ in range(10):
        _seed(session)
    sql_statements.clear()
    client.get("/admin/interest")
    assert len(sql_statements) == small <= 12
