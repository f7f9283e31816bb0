"""An id no BIGINT holds (2^63 and past) in any URL or query string is an unknown object: 404, never a 500."""

import pytest
from werkzeug.routing import IntegerConverter

from qtp.core.ids import MAX_ID, parse_id
from tests.factories import make_user
from tests.helpers import login

HUGE = (2**63, 2**64, 10**30)


@pytest.fixture
def admin_client(app, session):
    admin = make_user(session, roles=("admin", "faculty"))
    client = app.test_client()
    login(client, admin.email)
    return client


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if ints:
            yield rule, ints


def _sample(converter):
    items = getattr(converter, "items", None)  # an <any(...)> segment takes one of its words
    return sorted(items)[0] if items else "x"


def test_every_int_segment_refuses_what_a_bigint_cannot_hold(app, admin_client):
    rules = list(_int_rules(app))
    assert len(rules) > 40  # the app's own map, not an empty loop
    adapter = app.url_map.bind("localhost")
    for rule, ints in rules:
        other = {name: _sample(conv) for name, conv in rule._converters.items() if name not in ints}
        for number in HUGE:
            path = adapter.build(rule.endpoint, {**other, **dict.fromkeys(ints, number)}, append_unknown=False)
            method = "GET" if "GET" in rule.methods else "POST"
            response = admin_client.open(path, method=method)
            assert response.status_code == 404, (rule.rule, number, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users?page={n}",
        "/admin/audit?page={n}",
        "/admin/licenses/downloads.csv?license={n}",
        "/review/?cohort={n}&team={n}&decided={n}",
        "/graduates?year={n}",
    ],
)
def test_query_string_ids_past_a_bigint_are_ignored_or_unknown(admin_client, path):
    for number in HUGE:
        assert admin_client.get(path.format(n=number)).status_code in (200, 404)


def test_parse_id_takes_ascii_digits_that_fit():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(str(MAX_ID)) == MAX_ID
    for bad in (None, "", "-1", "1.5", "²", "٣", "1e3", str(MAX_ID + 1), "9" * 40, "0x10"):
        assert parse_id(bad) is None, bad
    assert parse_id("nope", -1) == -1
