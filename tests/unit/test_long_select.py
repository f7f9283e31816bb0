"""The time-zone select renders as WTForms' own select does, with its options built once."""

import pytest
from flask_wtf import FlaskForm
from wtforms import SelectField, widgets

from qtp.core.forms import LongSelect, timezone_choices


class Zones(FlaskForm):
    class Meta:
        csrf = False

    fast = SelectField("Time zone", choices=timezone_choices, widget=LongSelect())
    plain = SelectField("Time zone", choices=timezone_choices, widget=widgets.Select())


@pytest.mark.parametrize("zone", ["America/Sao_Paulo", "UTC", "Not/AZone", None])
def test_same_html_as_wtforms_select(app, zone):
    with app.test_request_context():
        form = Zones(data={"fast": zone, "plain": zone})
        fast = str(form.fast(**{"aria-describedby": "help-x", "class": "wide"}))
        plain = str(form.plain(**{"aria-describedby": "help-x", "class": "wide"}))
    assert fast == plain.replace('id="plain" name="plain"', 'id="fast" name="fast"')
    assert fast.count("selected") == (0 if zone in ("Not/AZone", None) else 1)


def test_the_options_are_built_once(app):
    with app.test_request_context():
        first = Zones(data={"fast": "UTC"})
        str(first.fast())
        kept = LongSelect._options[id(timezone_choices())][1]
        str(Zones(data={"fast": "Europe/Athens"}).fast())
        assert LongSelect._options[id(timezone_choices())][1] is kept
