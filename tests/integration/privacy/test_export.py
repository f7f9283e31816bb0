"""Download my data: a ZIP with data.json (every section), the person's files and a README in their language;
nobody else's personal data; POST only, rate limited, audited."""

from __future__ import annotations

import io
import json
import re
import zipfile

from qtp.core.audit import AuditEvent
from qtp.privacy.sections import SECTIONS
from tests.helpers import csrf_token, login

from .conftest import ATTACHMENT, EMAIL, NAME, OUTSIDER, TEAMMATE

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def download(client):
    token = csrf_token(client, "/account/profile")
    return client.post("/account/data.zip", data={"csrf_token": token})


def archive_of(client, world):
    assert login(client, world.person.email).status_code == 302
    response = download(client)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=qtp-my-data-")
    body = response.get_data()
    assert int(response.headers["Content-Length"]) == len(body)
    return zipfile.ZipFile(io.BytesIO(body))


def test_the_archive_has_every_section_with_the_persons_records(client, session, world):
    archive = archive_of(client, world)
    assert archive.testzip() is None
    data = json.loads(archive.read("data.json"))
    assert data["format"] == "qtp-personal-data" and data["version"] == 1
    assert ISO_UTC.match(data["generated_at"])
    sections = data["sections"]
    assert list(sections) == list(SECTIONS)
    empty = [name for name, records in sections.items() if not records]
    assert empty == ["staff_assignments", "reviews_written"], empty  # a participant neither teaches nor reviews

    assert sections["profile"] == [
        {
            "id": world.person.id,
            "name": NAME,
            "email": EMAIL,
            "organization": None,
            "roles": ["participant"],
            "language": "es",
            "timezone": "UTC",
            "is_active": True,
            "created_at": sections["profile"][0]["created_at"],
            "last_sign_in_at": sections["profile"][0]["last_sign_in_at"],
        }
    ]
    assert ISO_UTC.match(sections["profile"][0]["created_at"])
    [membership] = sections["memberships"]
    assert (membership["project_title"], membership["role"]) == ("Faster chemotherapy starts", "core")
    [attempt] = sections["knowledge_check_attempts"]
    assert attempt["answers"] == {"q1": ["b"]} and attempt["score_percent"] == 100 and attempt["passed"] is True
    assert sections["self_assessments"][0]["ratings"] == {"pdsa": {"knowledge": 2}}
    [attendance] = sections["attendance"]
    assert (attendance["status"], attendance["note"], attendance["date"]) == (
        "excused",
        "medical appointment",
        "2026-10-05",
    )
    [certificate] = sections["certificates"]
    assert certificate["serial"] == world.certificate.serial
    assert certificate["verify_url"].endswith(world.certificate.serial) and certificate["recipient_name"] == NAME
    [download_row] = sections["downloads"]
    assert (download_row["licence"], download_row["address"]) == ("QTP-L-2026-0099", "192.0.2.7")
    assert [a["message"] for a in sections["interest_survey_answers"]] == ["We would like the six-month program"]
    assert sections["licence_seats"][0]["licence"] == "QTP-L-2026-0099"
    assert sections["progress_scores"][0]["note"] == "Charter done"
    assert sections["data_points"][0]["note"] == "week 1"
    assert sections["invitations"][0]["status"] == "accepted"
    actions = [entry["action"] for entry in sections["audit_entries"]]
    assert {"user.updated", "account.signed_in", "worksheet.saved"} <= set(actions)


def test_contributions_hold_only_the_fields_the_person_wrote(client, session, world):
    sections = json.loads(archive_of(client, world).read("data.json"))["sections"]
    [revision] = sections["worksheet_contributions"]  # versions 1 and 3 are the teammate's; the aim is theirs
    assert (revision["worksheet_type"], revision["version"], revision["reason"]) == ("charter", 2, "save")
    assert revision["saved_at"] == "2026-10-03T09:30:00Z"
    assert set(revision["fields_written"]) == {"members", "aim"}  # the title was already there
    assert revision["fields_written"]["aim"] == f"Contact: {EMAIL}"


def test_no_other_persons_name_or_email_and_no_team_work_they_did_not_write(client, session, world):
    archive = archive_of(client, world)
    text = archive.read("data.json").decode()
    for other in (OUTSIDER, world.outsider.email, world.teammate.email, "Felipe", world.faculty.email, "Ana Admin"):
        assert other not in text, other
    assert world.admin.email not in text
    assert "Rui's secret aim" not in text and "Teammate's aim" not in text and "Outsiders' project" not in text
    assert "someone@else.example.org" not in text and "198.51.100.9" not in text
    # The teammate's name appears only where the person wrote it: in the charter's member list of version 2.
    sections = json.loads(text)["sections"]
    assert text.count(TEAMMATE) == 1
    assert sections["worksheet_contributions"][0]["fields_written"]["members"][0]["name"] == TEAMMATE
    assert all(entry["summary"] in ("", EMAIL) for entry in sections["audit_entries"])
    assert "joana.pdf" not in text


def test_the_persons_files_are_in_the_archive_with_safe_names(client, session, world):
    archive = archive_of(client, world)
    names = archive.namelist()
    files = [name for name in names if name.startswith("files/")]
    assert files == [f"files/{world.attachment.id}-process map Carmen Navarro Ortí.pdf"]
    assert archive.read(files[0]) == ATTACHMENT
    assert all(".." not in name and not name.startswith("/") for name in names)
    sections = json.loads(archive.read("data.json"))["sections"]
    assert sections["attachments"][0]["in_archive"] == files[0]


def test_the_readme_is_in_the_persons_language(client, session, world):
    readme = archive_of(client, world).read("README.txt").decode()
    assert "data.json" in readme and "worksheet_contributions" in readme
    assert NAME in readme


def test_the_export_is_audited_and_rate_limited(app, client, session, world):
    app.config["QTP_DATA_EXPORT_LIMIT"] = "2 per hour"
    try:
        archive_of(client, world)
        assert download(client).status_code == 200
        assert download(client).status_code == 429
    finally:
        app.config["QTP_DATA_EXPORT_LIMIT"] = "5 per hour"
    events = session.query(AuditEvent).filter_by(action="account.data_exported", actor_id=world.person.id).all()
    assert len(events) == 2
    assert events[0].details["records"]["worksheet_contributions"] == 1 and events[0].details["files"] == 1


def test_a_get_or_a_post_without_token_exports_nothing(client, session, world):
    login(client, world.person.email)
    assert client.get("/account/data.zip").status_code == 405
    response = client.post("/account/data.zip")
    assert response.status_code in (302, 400)
    assert response.mimetype != "application/zip"
    assert session.query(AuditEvent).filter_by(action="account.data_exported").count() == 0


def test_the_profile_page_explains_the_data_and_offers_the_download(client, session, world):
    login(client, world.teammate.email)
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'action="/account/data.zip"' in page
    assert "Your data" in page and "ask the program office" in page
