from datetime import date

from werkzeug.datastructures import MultiDict

from qtp.worksheets import data
from qtp.worksheets.forms import build_form_class
from tests.content.worksheet_builder import AIM, CHARTER, _texts


def make_form(app, definition, formdata=None, defaults=None, rows=None):
    with app.test_request_context(method="POST" if formdata else "GET"):
        cls = build_form_class(definition, _texts(definition, ""), rows or {})
        form = cls(formdata=MultiDict(formdata) if formdata else None, data=defaults or {}, meta={"csrf": False})
        valid = form.validate() if formdata else None
        return form, valid


def test_every_field_kind_becomes_a_form_field_with_label_and_help(app):
    form, _ = make_form(app, CHARTER)
    assert form["title"].label.text == "title label" and form["title"].description == "title help"
    assert "aim" not in form._fields  # refs are shown read-only, never posted
    assert len(form["members"].entries) == 2  # two blank rows to fill without JavaScript
    assert [c[0] for c in form["members"].entries[0].form["role"].choices] == ["", "leader", "core"]


def test_posted_form_round_trips_to_clean_data(app):
    formdata = {
        "title": "Consent before oral chemotherapy",
        "members-0-name": "Ana Ribeiro",
        "members-0-role": "leader",
        "members-1-name": "",
        "members-1-role": "",
        "is_admin": "1",
    }
    form, valid = make_form(app, CHARTER, formdata)
    assert valid
    assert data.clean(CHARTER, form.data) == {
        "title": "Consent before oral chemotherapy",
        "members": [{"name": "Ana Ribeiro", "role": "leader"}],
    }


def test_bad_values_are_refused_per_field(app):
    form, valid = make_form(app, AIM, {"statement": "x", "direction": "sideways", "target": "150"})
    assert not valid
    assert form["direction"].errors and form["target"].errors and not form["statement"].errors


def test_existing_rows_are_shown_plus_blank_ones(app):
    stored = {"title": "T", "members": [{"name": f"M{n}", "role": "core"} for n in range(3)]}
    form, _ = make_form(app, CHARTER, defaults=data.form_defaults(CHARTER, stored), rows={"members": 3})
    assert [e.form["name"].data for e in form["members"].entries] == ["M0", "M1", "M2", None, None]


def test_dates_are_date_inputs(app):
    definition = {"fields": [{"id": "due", "kind": "date"}], "rubric": []}
    form, valid = make_form(app, definition, {"due": "2027-06-30"})
    assert valid and form["due"].data == date(2027, 6, 30)


def test_a_stored_number_is_shown_as_a_person_typed_it(app):
    for stored, shown in ((75.0, "75"), (48.5, "48.5"), (0.00001, "0.00001"), (100.0, "100")):
        form, _ = make_form(app, AIM, defaults={"target": stored})
        assert f'value="{shown}"' in str(form["target"]), stored
    typed, _ = make_form(app, AIM, {"statement": "x", "direction": "increase", "target": "75.50"})
    assert 'value="75.50"' in str(typed["target"])  # what was typed comes back as typed
