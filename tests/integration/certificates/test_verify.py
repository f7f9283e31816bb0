"""Public verification: the page shows only name, program, cohort, date and status, in the visitor's language;
unknown serials are 404; the route is rate-limited; the Open Badges 3.0 JSON says the same; an uploaded PDF is
compared with the stored one by its hash."""

from __future__ import annotations

import io
import json

from qtp.certificates import serials, services
from qtp.core.storage import get_storage
from tests.factories import make_user
from tests.helpers import csrf_token, text_of
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant


def _certificate(app, session, program, **user):
    cohort = cohort_of(session, program, name="QTP International Cohort 2026")
    person = participant(session, cohort, **user)
    complete_every_module(session, program, person)
    with app.test_request_context():
        certificate = services.issue_certificate(session, None, person, cohort)
        session.commit()
    return certificate


def test_the_page_shows_the_facts_and_nothing_more(app, client, session, program):
    certificate = _certificate(app, session, program, name="Maria da Conceição Ñúñez")
    response = client.get(f"/verify/{certificate.serial}")
    page = text_of(response)
    assert response.status_code == 200
    assert "Valid: this certificate was issued by the Quality Training Program." in page
    assert "Maria da Conceição Ñúñez" in page and "Test Program" in page and "QTP International Cohort 2026" in page
    assert serials.grouped(certificate.serial) in page
    assert certificate.user.email not in page, "the verification page never shows the e-mail address"
    assert certificate.team.project_title not in page and certificate.team.organization.name not in page
    assert 'name="robots" content="noindex"' in page
    certificate.user.name = "Maria Ñúñez"  # a later change of the account's name
    session.commit()
    assert "Maria da Conceição Ñúñez" in text_of(client.get(f"/verify/{certificate.serial}")), "frozen at issue"


def test_the_page_speaks_the_visitors_language(app, client, session, program):
    certificate = _certificate(app, session, program, locale="en")
    page = text_of(client.get(f"/verify/{certificate.serial}", headers={"Accept-Language": "pt-BR"}))
    assert '<html lang="pt-BR"' in page
    assert "Programa de teste" in page or "Test Program" in page  # the program's Portuguese title, if any


def test_unknown_and_malformed_serials_are_not_found(client, session):
    unknown = serials.new_serial()
    response = client.get(f"/verify/{unknown}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "No certificate has this number" in page and serials.grouped(unknown) in page
    assert 'action="/verify"' in page  # the number can be typed again right there
    assert client.get("/verify/not-a-serial").status_code == 404
    assert client.get(f"/verify/{serials.new_serial()}.json").status_code == 404
    assert client.get("/verify/..%2f..%2fetc%2fpasswd").status_code == 404


def test_a_typed_serial_leads_to_its_page(app, client, session, program):
    certificate = _certificate(app, session, program)
    typed = serials.grouped(certificate.serial).lower().replace("0", "o")
    response = client.get(f"/verify/{typed}")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/verify/{certificate.serial}")
    found = client.get("/verify", query_string={"serial": f"  {serials.grouped(certificate.serial)} "})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/verify/{certificate.serial}")
    wrong = client.get("/verify", query_string={"serial": "12345"})
    assert wrong.status_code == 400 and "This is not a certificate number" in text_of(wrong)
    empty = client.get("/verify", query_string={"serial": ""})
    assert empty.status_code == 400 and "Enter the certificate number" in text_of(empty)


def test_verification_is_rate_limited(app, client, session, program):
    certificate = _certificate(app, session, program)
    limit = int(app.config["QTP_VERIFY_LIMIT"].split()[0])
    statuses = [client.get(f"/verify/{certificate.serial}").status_code for _ in range(limit)]
    assert set(statuses) == {200}
    refused = client.get(f"/verify/{serials.new_serial()}")
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_a_revoked_certificate_says_so_and_points_to_its_replacement(app, client, session, program):
    certificate = _certificate(app, session, program, name="Ana Lee")
    admin = make_user(session, roles=["admin"])
    certificate.user.name = "Ana Lee-Moreira"
    with app.test_request_context():
        replacement = services.reissue_certificate(session, admin, certificate, "Name corrected after marriage")
        session.commit()
    page = text_of(client.get(f"/verify/{certificate.serial}"))
    assert "Revoked on" in page and "no longer valid" in page
    assert f'href="/verify/{replacement.serial}"' in page
    assert "Name corrected" not in page, "the reason stays with the admins"
    new_page = text_of(client.get(f"/verify/{replacement.serial}"))
    assert "Valid:" in new_page and "Ana Lee-Moreira" in new_page


def test_the_open_badges_credential(app, client, session, program):
    certificate = _certificate(app, session, program, name="Lucía Pérez", locale="es")
    response = client.get(f"/verify/{certificate.serial}.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    body = json.loads(response.get_data(as_text=True))
    assert body["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert body["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0")
    assert body["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert body["id"].endswith(f"/verify/{certificate.serial}")
    assert body["issuer"]["type"] == ["Profile"] and body["issuer"]["id"].startswith("http")
    assert body["validFrom"].endswith("Z") and "validUntil" not in body
    subject = body["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0] == {
        "type": "IdentityObject",
        "identityHash": "Lucía Pérez",
        "identityType": "name",
        "hashed": False,
    }
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["achievementType"] == "Certificate"
    assert achievement["criteria"]["narrative"] and achievement["inLanguage"] == "es"
    assert subject["activityStartDate"] == certificate.cohort.starts_on.isoformat()
    assert body["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"

    admin = make_user(session, roles=["admin"])
    with app.test_request_context():
        services.revoke_certificate(session, admin, certificate, "Issued by mistake")
        session.commit()
    revoked = json.loads(client.get(f"/verify/{certificate.serial}.json").get_data(as_text=True))
    assert revoked["validUntil"] >= revoked["validFrom"]


def _upload(client, serial: str, data: bytes, name: str = "certificate.pdf"):
    token = csrf_token(client, f"/verify/{serial}")
    return client.post(
        f"/verify/{serial}",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_an_uploaded_pdf_is_checked_against_the_stored_one(app, client, session, program):
    certificate = _certificate(app, session, program)
    with app.app_context():
        original = get_storage().path(certificate.storage_key).read_bytes()
    same = _upload(client, certificate.serial, original)
    assert same.status_code == 200 and "This file is the certificate we issued, unchanged." in text_of(same)
    changed = original + b"\n% an incremental update would change the hash the same way\n"
    different = _upload(client, certificate.serial, changed)
    assert different.status_code == 200 and "This file is not the certificate we issued" in text_of(different)
    not_pdf = _upload(client, certificate.serial, b"<html>hello</html>", "certificate.pdf")
    assert not_pdf.status_code == 400 and "This file is not a PDF." in text_of(not_pdf)
    token = csrf_token(client, f"/verify/{certificate.serial}")
    missing = client.post(f"/verify/{certificate.serial}", data={"csrf_token": token})
    assert missing.status_code == 400 and "Choose the PDF file of the certificate." in text_of(missing)
    no_token = client.post(
        f"/verify/{certificate.serial}",
        data={"file": (io.BytesIO(original), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert no_token.status_code == 400
