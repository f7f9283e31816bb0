"""The learning and content pages stay within 12 SQL statements."""

import pytest

from tests.factories import make_user
from tests.helpers import login

BUDGET = 12


def count(app, session, sql_statements, email, path):
    client = app.test_client()
    login(client, email)
    session.expunge_all()
    sql_statements.clear()
    response = client.get(path)
    assert response.status_code == 200, path
    return len(sql_statements)


@pytest.mark.parametrize("suffix", ["", "/modules/01-basics", "/modules/01-basics/check", "/self-assessment"])
def test_learning_pages_within_budget(app, session, sql_statements, cohort, participant, suffix):
    assert count(app, session, sql_statements, "ana@test.example.org", f"/learning/{cohort.id}{suffix}") <= BUDGET


@pytest.mark.parametrize("path", ["/content/", "/content/test-program/02-aims?locale=pt_BR"])
def test_content_pages_within_budget(app, session, sql_statements, synced, path):
    make_user(session, "f@test.example.org", roles=["faculty"])
    assert count(app, session, sql_statements, "f@test.example.org", path) <= BUDGET
