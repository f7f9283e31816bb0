"""Found by test_fuzz_forms.py: a Pareto count of 10**30 was saved, and then every page that showed it (the
history, a conflict page) raised decimal.InvalidOperation in the number formatting (a 500). A worksheet number
is now refused when it is not a plain number of at most 15 digits, with a message, and nothing is saved."""

import pytest

from qtp.worksheets.models import Worksheet
from tests.helpers import login, post_form, text_of
from tests.integration.worksheets import conftest as worksheet_fixtures

real_courses = worksheet_fixtures.real_courses
real_worksheet_types = worksheet_fixtures.real_worksheet_types
real_team = worksheet_fixtures.real_team
URL = "/teams/{}/worksheets/pareto/1"


@pytest.mark.parametrize("count", ["1000000000000000000000000000000", "1e309", "nan", "inf", "-1e16"])
def test_a_number_pages_cannot_show_is_refused(app, session, real_team, count):
    client = app.test_client()
    login(client, real_team.people["core"].email)
    url = URL.format(real_team.id)
    data = {"base_version": "", "data-source": "Call log", "categories-0-name": "No nurse", "categories-0-count": count}
    response = post_form(client, url, data, token_from=url)
    assert response.status_code == 400
    assert "Enter a number of at most 15 digits." in text_of(response)
    assert session.query(Worksheet).count() == 0


def test_a_large_ordinary_count_is_saved_and_shown(app, session, real_team):
    client = app.test_client()
    login(client, real_team.people["core"].email)
    url = URL.format(real_team.id)
    data = {"base_version": "", "data-source": "Call log", "categories-0-name": "No nurse"}
    response = post_form(client, url, {**data, "categories-0-count": "123456789012345"}, token_from=url)
    assert response.status_code == 303
    assert session.query(Worksheet).one().data["categories"][0]["count"] == 123456789012345
    revision = client.get(url + "/revisions/1")  # the page that raised on 10**30
    assert revision.status_code == 200 and "123,456,789,012,345" in text_of(revision)
