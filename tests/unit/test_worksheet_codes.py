"""Codes ticked instead of typed (a secondary driver's primary drivers): stored as a list of codes, older
typed strings read as that list, offered from the rows of the other group, and never dropped by a save."""

import re

from werkzeug.datastructures import MultiDict

from qtp.measurement.diagrams import split_codes
from qtp.worksheets import data
from qtp.worksheets.forms import build_form_class
from qtp.worksheets.page import code_choices

CODES = {"id": "primary-codes", "kind": "codes", "from": "primary-drivers", "required": True}
DEFINITION = {
    "fields": [
        {
            "id": "primary-drivers",
            "kind": "group",
            "fields": [{"id": "code", "kind": "text"}, {"id": "description", "kind": "textarea"}],
        },
        {"id": "secondary-drivers", "kind": "group", "fields": [{"id": "code", "kind": "text"}, CODES]},
    ]
}
TEXTS = {"fields": {}}
PRIMARIES = [
    {"code": "p1", "description": "Patients know when and whom to call, day and night, every day of the week"},
    {"code": "P2", "description": "Calls are triaged"},
    {"code": "P1", "description": "a duplicate code"},
    {"code": "", "description": "no code yet"},
]


def test_codes_are_stored_as_a_list_and_older_strings_are_read_as_one():
    assert data.clean_value(CODES, "p1, P2 p1") == ["P1", "P2"]
    assert data.clean_value(CODES, ["s1", " S2 "]) == ["S1", "S2"]
    assert data.clean_value(CODES, None) == []
    assert data.display(CODES, ["P1", "P2"], {}) == "P1, P2"
    assert data.display(CODES, "p1;p3", {}) == "P1, P3"
    assert split_codes(["P1", "p2"]) == ["P1", "P2"]
    rows = data.form_defaults(DEFINITION, {"secondary-drivers": [{"code": "S1", "primary-codes": "P1, P2"}]})
    assert rows["secondary-drivers"][0]["primary-codes"] == ["P1", "P2"]


def test_choices_are_the_other_groups_codes_once_each_with_a_short_description():
    choices = code_choices(PRIMARIES)
    assert [c.value for c in choices] == ["P1", "P2"]
    assert choices[0].label == "P1 · Patients know when and whom to call…"
    assert choices[1].label == "P2 · Calls are triaged"
    assert code_choices(None) == [] and code_choices("P1") == []


def _form(app, formdata=None, stored=None):
    links = {"primary-codes": code_choices(PRIMARIES)}
    cls = build_form_class(DEFINITION, TEXTS, {"primary-drivers": 4, "secondary-drivers": 1}, links)
    with app.test_request_context(method="POST" if formdata else "GET"):
        return cls(formdata=formdata, data=stored, meta={"csrf": False})  # this form alone: the app is shared


def test_a_posted_code_that_is_not_offered_is_kept_and_shown_ticked(app):
    form = _form(app, MultiDict([("secondary-drivers-0-code", "S1"), ("secondary-drivers-0-primary-codes", "P2"),
                                 ("secondary-drivers-0-primary-codes", "p9")]))
    assert form.validate(), form.errors
    field = form["secondary-drivers"][0]["primary-codes"]
    assert field.data == ["P2", "P9"]
    assert [value for value, _label in field.choices] == ["P1", "P2", "P9"]
    html = str(field())
    assert re.search(r'<input checked [^>]*value="P9"', html) and re.search(r'<input checked [^>]*value="P2"', html)
    assert not re.search(r'<input checked [^>]*value="P1"', html)


def test_a_stored_string_of_codes_opens_ticked(app):
    form = _form(app, stored={"secondary-drivers": [{"code": "S1", "primary-codes": "P1, P7"}]})
    field = form["secondary-drivers"][0]["primary-codes"]
    assert field.data == ["P1", "P7"]
    assert [value for value, _label in field.choices] == ["P1", "P2", "P7"]
