from datetime import date

import pytest

from qtp.worksheets import data, phi
from tests.content.worksheet_builder import AIM, CHARTER

TEXTS = {"fields": {"direction": {"label": "Direction", "choices": {"increase": "Increase"}}}}


def test_clean_keeps_only_declared_fields_and_normalizes():
    raw = {
        "title": "  Consent before oral chemotherapy ",
        "aim": "refs are never stored",
        "members": [{"name": "Ana", "role": "leader"}, {"name": "", "role": ""}, None],
        "is_admin": True,
    }
    cleaned = data.clean(CHARTER, raw)
    assert cleaned == {"title": "Consent before oral chemotherapy", "members": [{"name": "Ana", "role": "leader"}]}
    assert data.clean(AIM, {"target": "75", "direction": "increase"})["target"] == 75.0


def test_dates_round_trip_through_the_form():
    spec = {"fields": [{"id": "due", "kind": "date"}]}
    stored = data.clean(spec, {"due": date(2027, 6, 30)})
    assert stored == {"due": "2027-06-30"}
    assert data.form_defaults(spec, stored) == {"due": date(2027, 6, 30)}


def test_missing_required_names_fields_and_group_rows():
    charter = {**CHARTER, "fields": [*CHARTER["fields"]]}
    charter["fields"][2] = {**charter["fields"][2], "required": True}
    assert [m.field for m in data.missing_required(charter, {})] == ["title", "members"]
    missing = data.missing_required(charter, {"title": "T", "members": [{"name": "", "role": "core"}]})
    assert missing == [data.Missing("members", 1, "name")]
    assert data.missing_required(AIM, {"statement": "x", "direction": "increase"}) == []


def test_diff_lists_changed_fields_with_labels():
    changes = data.diff(AIM, TEXTS, {"direction": "decrease"}, {"direction": "increase", "target": 75.0})
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Direction", "decrease", "Increase"),
        ("target", "", "75"),
    ]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Patient DOB 03/11/1961 seen on Monday", "birth-date"),
        ("paciente nacida el 3-11-1961 con diagnóstico de mama", "birth-date"),
        ("MRN 00482913 had a delay of 3 hours", "record-number"),
        ("prontuário 7781234 sem consentimento", "record-number"),
        ("Called the patient back at +55 11 98765-4321 after chemo", "phone-number"),
        ("paciente con cáncer: maria.lopez@correo.example", "email"),
    ],
)
def test_patient_identifiers_are_found(text, kind):
    assert kind in {f.kind for f in phi.scan({"notes": text})}


@pytest.mark.parametrize(
    "text",
    [
        "48% of 412 calls answered within 2 hours; target 75% by 30/06/2027",
        "Sponsor: Dr. Paulo Martins, paulo.martins@example.org, 2 hours per week",
        "Baseline March 2026: 0 of 40 oral starts with signed consent",
        "Median wait 118 minutes in 14 chairs",
    ],
)
def test_ordinary_qi_text_is_not_flagged(text):
    assert phi.scan({"notes": text}) == []


def test_findings_name_the_field_even_inside_groups():
    findings = phi.scan({"members": [{"name": "ok"}, {"name": "patient Ana, DOB 01/02/1950"}]})
    assert [(f.field, f.kind) for f in findings] == [("members.2.name", "birth-date")]
