"""Editing worksheets through the pages: save, read-only roles, conflicts, patient-data guard, submission."""

import re

import pytest

from qtp.worksheets.models import Worksheet, WorksheetStatus
from tests.helpers import login, post_form, text_of


def _url(team, slug="aim", record_no=1, suffix=""):
    return f"/teams/{team.id}/worksheets/{slug}/{record_no}{suffix}"


def _version(client, url):
    match = re.search(r'name="base_version" type="hidden" value="(\d*)"', text_of(client.get(url)))
    return match.group(1) if match else ""


AIM = {
    "statement": "Increase the share of symptom calls answered within 2 hours from 48% to 75% by 30 June.",
    "direction": "increase",
    "measure": "Symptom calls answered within 2 hours",
    "baseline": "48",
    "target": "75",
}


@pytest.fixture
def leader_client(app, real_team):
    client = app.test_client()
    login(client, real_team.people["leader"].email)
    return client


def _save(client, team, data, slug="aim", record_no=1, version=None):
    url = _url(team, slug, record_no)
    payload = {"base_version": _version(client, url) if version is None else version, **data}
    return post_form(client, url, payload, token_from=url)


def test_leader_saves_the_aim_and_sees_it(leader_client, real_team, session):
    response = _save(leader_client, real_team, AIM)
    assert response.status_code == 303
    page = text_of(leader_client.get(_url(real_team)))
    assert "48% to 75%" in page
    worksheet = session.query(Worksheet).one()
    assert worksheet.data["target"] == 75.0
    assert [r.number for r in worksheet.revisions] == [1]


def _client(app, user):
    client = app.test_client()
    login(client, user.email)
    return client


# A first field to fill in per type, to prove each real type renders, saves and revises.
FIRST_VALUES = {
    "charter": {"title": "Faster symptom calls"},
    "aim": {"statement": "Increase calls answered within 2 hours"},
    "roster": {"members-0-name": "Ana Souza", "members-0-role": "leader"},
    "sipoc": {"process-name": "Symptom call handling"},
    "process-map": {"process-name": "Symptom call handling"},
    "fishbone": {"effect": "Calls answered late"},
    "pareto": {"data-source": "Call log"},
    "driver-diagram": {"primary-drivers-0-code": "P1", "primary-drivers-0-description": "Triage capacity"},
    "measures": {"name": "Calls answered within 2 hours"},
    "pdsa": {"cycle-number": "1", "objective": "Test a call-back script"},
    "sustainability": {"process-owner": "Nurse manager"},
    "storyboard": {"team-and-setting": "Outpatient oncology clinic"},
}


def test_every_worksheet_type_renders_saves_and_keeps_revisions(app, real_team, session):
    assert set(FIRST_VALUES) == set(real_team.types)
    client = _client(app, real_team.people["core"])
    for slug, values in FIRST_VALUES.items():
        page = client.get(_url(real_team, slug))
        assert page.status_code == 200, slug
        assert real_team.types[slug].text("en")["title"] in text_of(page)
        assert _save(client, real_team, values, slug).status_code == 303, slug
        first_value = next(iter(values.values()))
        assert first_value in text_of(client.get(_url(real_team, slug))), slug
        kept = ("cycle-number", "role", "code")  # numbers, choices and short codes stay as they are
        changed = {key: value if key.endswith(kept) else f"{value} (revised)" for key, value in values.items()}
        assert _save(client, real_team, changed, slug).status_code == 303, slug
    for worksheet in session.query(Worksheet):
        assert [r.number for r in worksheet.revisions] == [1, 2], worksheet.type.slug


def test_reference_fields_show_the_value_entered_once_in_the_aim(app, real_team, leader_client):
    _save(leader_client, real_team, AIM)
    for slug in ("charter", "driver-diagram", "storyboard"):
        page = text_of(leader_client.get(_url(real_team, slug)))
        assert "48% to 75%" in page, slug
        assert f'/teams/{real_team.id}/worksheets/aim/1"' in page


def test_sponsor_and_faculty_read_without_a_form_and_cannot_save(app, real_team, leader_client, session):
    _save(leader_client, real_team, AIM)
    for role in ("sponsor", "faculty"):
        client = _client(app, real_team.people[role])
        page = client.get(_url(real_team))
        assert page.status_code == 200
        assert "48% to 75%" in text_of(page)
        assert 'name="statement"' not in text_of(page)
        token_page = f"/teams/{real_team.id}/workspace"
        response = post_form(
            client, _url(real_team), {"statement": "Hijacked", "base_version": "1"}, token_from=token_page
        )
        assert response.status_code == 403, role
        response = post_form(
            client,
            _url(real_team, suffix="/autosave"),
            {"statement": "Hijacked", "base_version": "1"},
            token_from=token_page,
        )
        assert response.status_code == 403
    session.expire_all()
    assert session.query(Worksheet).one().data["statement"] == AIM["statement"]


def test_another_teams_member_gets_404_everywhere_and_changes_nothing(app, real_team, leader_client, session):
    _save(leader_client, real_team, AIM)
    outsider = _client(app, real_team.people["outsider"])
    own_team = session.query(Worksheet).one().team_id
    for suffix in ("", "/history", "/diff?a=1&b=1", "/revisions/1"):
        assert outsider.get(_url(real_team, suffix=suffix)).status_code == 404, suffix
    assert outsider.get(f"/teams/{real_team.id}/workspace").status_code == 404
    token_page = "/account/profile"
    for suffix in ("", "/autosave", "/submit", "/revisions/1/restore"):
        response = post_form(
            outsider,
            _url(real_team, suffix=suffix),
            {"statement": "Overwritten", "base_version": "1"},
            token_from=token_page,
        )
        assert response.status_code == 404, suffix
    session.expire_all()
    worksheet = session.query(Worksheet).one()
    assert worksheet.data["statement"] == AIM["statement"] and worksheet.team_id == own_team
    assert worksheet.status == WorksheetStatus.DRAFT and len(worksheet.revisions) == 1


def test_extra_form_fields_change_nothing_else(leader_client, real_team, session):
    _save(leader_client, real_team, {**AIM, "team_id": "999", "status": "approved", "version": "50", "is_admin": "1"})
    worksheet = session.query(Worksheet).one()
    assert worksheet.team_id == real_team.id and worksheet.status == "draft" and worksheet.version == 1
    assert set(worksheet.data) <= {spec["id"] for spec in real_team.types["aim"].definition["fields"]}


def test_stored_markup_is_shown_as_text(app, real_team, leader_client):
    payload = '<img src=x onerror=alert(1)><svg/onload=alert(1)>"><script>alert(1)</script>{{7*7}}'
    _save(leader_client, real_team, {"statement": payload})
    page = text_of(leader_client.get(_url(real_team)))
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page
    sponsor_page = text_of(_client(app, real_team.people["sponsor"]).get(_url(real_team)))
    assert "<svg/onload" not in sponsor_page and "{{7*7}}" in sponsor_page


def test_two_members_saving_from_the_same_version_get_a_conflict_page_and_lose_nothing(
    app, real_team, leader_client, session
):
    _save(leader_client, real_team, AIM)
    core = _client(app, real_team.people["core"])
    version = _version(core, _url(real_team))
    assert version == _version(leader_client, _url(real_team)) == "1"
    assert _save(leader_client, real_team, {**AIM, "target": "80"}, version=version).status_code == 303
    response = _save(core, real_team, {**AIM, "target": "70", "unit": "%"}, version=version)
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone saved this worksheet while you were editing" in page
    assert "80" in page and "70" in page  # theirs beside mine
    assert 'value="70"' in page  # what I typed is still in the form
    session.expire_all()
    worksheet = session.query(Worksheet).one()
    assert worksheet.data["target"] == 80.0 and worksheet.version == 2
    # Choosing mine: the form on the conflict page is based on the stored version now.
    new_version = re.search(r'name="base_version" type="hidden" value="(\d+)"', page).group(1)
    assert new_version == "2"
    assert _save(core, real_team, {**AIM, "target": "70", "unit": "%"}, version=new_version).status_code == 303
    session.expire_all()
    worksheet = session.query(Worksheet).one()
    assert worksheet.data["target"] == 70.0
    assert [r.data.get("target") for r in worksheet.revisions] == [75.0, 80.0, 70.0]


def test_autosave_answers_json_and_detects_conflicts(app, real_team, leader_client, session):
    url = _url(real_team, suffix="/autosave")
    response = post_form(leader_client, url, {**AIM, "base_version": ""}, token_from=_url(real_team))
    assert response.status_code == 200 and response.json["ok"] is True and response.json["version"] == 1
    assert "Saved at" in response.json["message"]
    response = post_form(leader_client, url, {**AIM, "target": "77", "base_version": "1"}, token_from=_url(real_team))
    assert response.json["version"] == 2
    response = post_form(leader_client, url, {**AIM, "target": "78", "base_version": "1"}, token_from=_url(real_team))
    assert response.status_code == 409 and response.json["conflict"] is True
    response = post_form(
        leader_client,
        url,
        {**AIM, "statement": "Patient DOB 12/03/1961 called", "base_version": "2"},
        token_from=_url(real_team),
    )
    assert response.status_code == 422
    session.expire_all()
    assert session.query(Worksheet).one().data["target"] == 77.0


def test_patient_identifiers_are_warned_about_in_the_users_language_before_saving(
    app, real_team, leader_client, session
):
    text = "Patient Maria, DOB 12/03/1961, MRN 00123456, called about neutropenia"
    response = _save(leader_client, real_team, {**AIM, "statement": text})
    assert response.status_code == 422
    page = text_of(response)
    assert "This may contain patient data" in page and "a date of birth" in page and "a medical record number" in page
    assert 'name="confirm_no_patient_data"' in page and text in page  # nothing typed is lost
    assert session.query(Worksheet).count() == 0
    confirmed = _save(leader_client, real_team, {**AIM, "statement": text, "confirm_no_patient_data": "y"})
    assert confirmed.status_code == 303
    assert session.query(Worksheet).one().data["statement"] == text

    real_team.people["core"].locale = "pt_BR"
    session.commit()
    core = _client(app, real_team.people["core"])
    page = text_of(_save(core, real_team, {**AIM, "statement": "Paciente nascida em 12/03/1961, prontuário 00123456"}))
    assert "Isto pode conter dados de pacientes" in page


def test_submission_needs_every_required_field_with_a_message_per_field(app, real_team, leader_client, session):
    _save(leader_client, real_team, {"process-name": "Symptom calls", "current-state-0-action": "Call"}, "process-map")
    url = _url(real_team, "process-map", suffix="/submit")
    response = post_form(leader_client, url, {"base_version": "1"}, token_from=_url(real_team, "process-map"))
    assert response.status_code == 422
    page = text_of(response)
    assert "Not submitted yet" in page
    assert "Row 1: Kind of step is required before submitting." in page or "Row 1:" in page
    assert session.query(Worksheet).one().status == "draft"


def test_leader_submits_and_the_worksheet_becomes_read_only(app, real_team, leader_client, session):
    _save(leader_client, real_team, AIM)
    core = _client(app, real_team.people["core"])
    assert (
        post_form(
            core, _url(real_team, suffix="/submit"), {"base_version": "1"}, token_from=_url(real_team)
        ).status_code
        == 403
    )
    response = post_form(
        leader_client, _url(real_team, suffix="/submit"), {"base_version": "1"}, token_from=_url(real_team)
    )
    assert response.status_code == 303
    session.expire_all()
    worksheet = session.query(Worksheet).one()
    assert worksheet.status == "submitted" and worksheet.submitted_at is not None
    page = text_of(core.get(_url(real_team)))
    assert "read-only until your reviewer returns it" in page and 'name="statement"' not in page
    assert _save(core, real_team, {**AIM, "target": "10"}, version="2").status_code == 403
    session.expire_all()
    assert session.query(Worksheet).one().data["target"] == 75.0


def test_history_compares_any_two_versions_and_restores_one(app, real_team, leader_client, session):
    _save(leader_client, real_team, AIM)
    _save(leader_client, real_team, {**AIM, "target": "80", "unit": "%"})
    history = text_of(leader_client.get(_url(real_team, suffix="/history")))
    assert "Restore" in history and "Compare two versions" in history
    diff = text_of(leader_client.get(_url(real_team, suffix="/diff?a=1&b=2")))
    assert "Target value" in diff and "75" in diff and "80" in diff
    assert leader_client.get(_url(real_team, suffix="/diff?a=1&b=9")).status_code == 404
    assert leader_client.get(_url(real_team, suffix="/diff")).status_code == 400
    assert "80" in text_of(leader_client.get(_url(real_team, suffix="/revisions/2")))
    response = post_form(
        leader_client, _url(real_team, suffix="/revisions/1/restore"), {"base_version": "2"}, token_from=_url(real_team)
    )
    assert response.status_code == 303
    session.expire_all()
    worksheet = session.query(Worksheet).one()
    assert worksheet.data["target"] == 75.0
    assert [(r.number, r.reason) for r in worksheet.revisions] == [(1, "save"), (2, "save"), (3, "restore")]
    stale = post_form(
        leader_client, _url(real_team, suffix="/revisions/2/restore"), {"base_version": "2"}, token_from=_url(real_team)
    )
    assert stale.status_code == 303
    session.expire_all()
    assert session.query(Worksheet).one().version == 3  # restoring from an old page changes nothing


def test_unknown_types_and_records_answer_404(leader_client, real_team):
    assert leader_client.get(_url(real_team, "no-such-tool")).status_code == 404
    assert leader_client.get(_url(real_team, "aim", 2)).status_code == 404  # a single worksheet has record 1 only
    assert leader_client.get(_url(real_team, "aim", suffix="/history")).status_code == 404  # not saved yet


def test_new_measure_opens_the_next_record(leader_client, real_team):
    _save(leader_client, real_team, {"name": "First measure"}, "measures", 1)
    response = leader_client.get(f"/teams/{real_team.id}/worksheets/measures/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/worksheets/measures/2")
    assert leader_client.get(f"/teams/{real_team.id}/worksheets/aim/new").status_code == 404


def test_pdsa_links_a_change_idea_and_measures_and_starts_the_next_cycle_prefilled(
    app, real_team, leader_client, session
):
    _save(
        leader_client,
        real_team,
        {
            "secondary-drivers-0-code": "S1",
            "change-ideas-0-code": "C2",
            "change-ideas-0-description": "Nurse call-back within 48 hours",
            "change-ideas-0-secondary-codes": "S1",
        },
        "driver-diagram",
    )
    _save(leader_client, real_team, {"name": "Calls answered within 2 hours"}, "measures", 1)
    page = text_of(leader_client.get(_url(real_team, "pdsa")))
    assert "C2 · Nurse call-back within 48 hours" in page and "Calls answered within 2 hours" in page
    cycle = {
        "cycle-number": "1",
        "change-idea": "C2",
        "measures": "1",
        "objective": "Try the script",
        "decision": "adapt",
        "next-cycle": "Shorter script, two nurses",
    }
    assert _save(leader_client, real_team, cycle, "pdsa").status_code == 303
    response = post_form(
        leader_client, _url(real_team, "pdsa", suffix="/next-cycle"), {}, token_from=_url(real_team, "pdsa")
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/worksheets/pdsa/2")
    second = session.query(Worksheet).filter_by(record_no=2, type_id=real_team.types["pdsa"].id).one()
    assert second.data["cycle-number"] == 2.0 and second.data["change-idea"] == "C2"
    assert second.data["measures"] == ["1"] and second.data["purpose"] == "test"
    assert second.data["objective"] == "Shorter script, two nurses" and second.data["decision"] == ""
    sponsor = _client(app, real_team.people["sponsor"])
    assert (
        post_form(
            sponsor, _url(real_team, "pdsa", suffix="/next-cycle"), {}, token_from=_url(real_team, "pdsa")
        ).status_code
        == 403
    )


def test_the_workspace_lists_the_tools_with_their_status(app, real_team, leader_client):
    _save(leader_client, real_team, AIM)
    _save(leader_client, real_team, {"name": "Calls answered within 2 hours"}, "measures", 1)
    page = text_of(leader_client.get(f"/teams/{real_team.id}/workspace"))
    for wtype in real_team.types.values():
        assert wtype.text("en")["title"] in page
    assert "Calls answered within 2 hours" in page and "Draft" in page and "Define a new measure" in page
    sponsor_page = text_of(_client(app, real_team.people["sponsor"]).get(f"/teams/{real_team.id}/workspace"))
    assert "Define a new measure" not in sponsor_page
    for locale in ("es", "pt_BR"):
        translated = text_of(leader_client.get(f"/teams/{real_team.id}/workspace?lang={locale}"))
        for wtype in real_team.types.values():
            texts = wtype.text(locale)
            assert texts["title"] in translated and texts["description"] in translated


@pytest.mark.parametrize("slug", sorted(FIRST_VALUES))
def test_every_type_submits_only_when_complete_with_a_message_per_missing_field(
    app, real_team, leader_client, session, slug
):
    wtype = real_team.types[slug]
    _save(leader_client, real_team, FIRST_VALUES[slug], slug)
    given = {key.split("-0-")[0] for key in FIRST_VALUES[slug]}
    missing = [s for s in wtype.definition["fields"] if s.get("required") and s["id"] not in given]
    response = post_form(
        leader_client, _url(real_team, slug, suffix="/submit"), {"base_version": "1"}, token_from=_url(real_team, slug)
    )
    session.expire_all()
    if not missing:
        assert response.status_code == 303, slug
        assert session.query(Worksheet).one().status == "submitted"
        return
    assert response.status_code == 422, slug
    page = text_of(response)
    labels = wtype.text("en")["fields"]
    for spec in missing:
        assert f"Required before submitting: {labels[spec['id']]['label']}." in page, (slug, spec["id"])
    assert session.query(Worksheet).one().status == "draft"


def test_module_pages_link_to_the_tools_they_introduce(app, session, real_team):
    from qtp.catalog.models import Module

    cohort = real_team.cohort
    module = session.query(Module).order_by(Module.position).first()
    cohort.program_id = module.program_id
    module.worksheets = ["charter", "measures"]
    session.commit()
    client = _client(app, real_team.people["core"])
    page = text_of(client.get(f"/learning/{cohort.id}/modules/{module.slug}"))
    assert "Put it into practice in your project" in page
    assert f'href="/teams/{real_team.id}/worksheets/charter/1"' in page
    assert f'href="/teams/{real_team.id}/workspace#tool-measures"' in page


@pytest.mark.parametrize("slug", sorted(FIRST_VALUES))
def test_every_type_validates_its_fields_and_detects_a_conflict(app, real_team, leader_client, session, slug):
    wtype = real_team.types[slug]
    too_long = {}
    for spec in wtype.definition["fields"]:
        if spec["kind"] in ("text", "textarea"):
            too_long = {spec["id"]: "x" * (spec["max_length"] + 1)}
            break
        if spec["kind"] == "group":
            sub = next(s for s in spec["fields"] if s["kind"] in ("text", "textarea"))
            too_long = {f"{spec['id']}-0-{sub['id']}": "x" * (sub["max_length"] + 1)}
            break
    refused = _save(leader_client, real_team, {**FIRST_VALUES[slug], **too_long}, slug)
    assert refused.status_code == 400, slug
    assert session.query(Worksheet).count() == 0

    assert _save(leader_client, real_team, FIRST_VALUES[slug], slug).status_code == 303
    core = _client(app, real_team.people["core"])
    stale = _version(core, _url(real_team, slug))
    changed = {**FIRST_VALUES[slug], "cycle-number": "2"} if slug == "pdsa" else {}
    first_key = next(k for k in FIRST_VALUES[slug] if not k.endswith(("role", "code", "cycle-number")))
    leader_change = {**FIRST_VALUES[slug], **changed, first_key: "Leader's wording"}
    assert _save(leader_client, real_team, leader_change, slug, version=stale).status_code == 303
    member_change = {**FIRST_VALUES[slug], **changed, first_key: "Member's wording"}
    conflict = _save(core, real_team, member_change, slug, version=stale)
    assert conflict.status_code == 409, slug
    assert "Leader&#39;s wording" in text_of(conflict) and "Member&#39;s wording" in text_of(conflict)
    session.expire_all()
    assert len(session.query(Worksheet).one().revisions) == 2
