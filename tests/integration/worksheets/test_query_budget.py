"""Workspace pages run a fixed number of SQL statements (at most 12), however many records a team has."""

import pytest

from qtp.worksheets.models import Worksheet, WorksheetRevision
from tests.helpers import login

BUDGET = 12


def add_records(session, team_id, types, authors, first: int, last: int) -> None:
    """Records first..last of the repeatable types (record 1 of the others), each with as many revisions,
    saved by different people."""
    for slug, (type_id, repeatable) in types.items():
        for record_no in range(first, (last if repeatable else 1) + 1):
            data = {"name": f"Measure {record_no}"} if slug == "measures" else {}
            author_id = authors[record_no % len(authors)]
            worksheet = Worksheet(team_id=team_id, type_id=type_id, record_no=record_no, data=data)
            worksheet.updated_by_id = author_id
            for number in range(1, last + 1):
                worksheet.revisions.append(
                    WorksheetRevision(number=number, data=data, author_id=author_id, content_version="x")
                )
            session.add(worksheet)
    session.commit()


@pytest.mark.parametrize(
    "path",
    [
        "/teams/{id}/workspace",
        "/teams/{id}/worksheets/charter/1",
        "/teams/{id}/worksheets/pdsa/1",
        "/teams/{id}/worksheets/aim/1/history",
        "/teams/{id}/worksheets/aim/1/diff?a=1&b=2",
        "/teams/{id}/worksheets/aim/1/revisions/2",
    ],
)
def test_workspace_pages_stay_within_the_statement_budget(app, session, sql_statements, real_team, path):
    team_id, email = real_team.id, real_team.people["core"].email
    authors = [real_team.people[role].id for role in ("leader", "core", "sponsor")]
    types = {slug: (t.id, t.is_repeatable) for slug, t in real_team.types.items()}
    client = app.test_client()
    login(client, email)
    url = path.format(id=team_id)

    def count() -> int:
        session.expunge_all()
        sql_statements.clear()
        assert client.get(url).status_code == 200
        return len(sql_statements)

    add_records(session, team_id, types, authors, 1, 3)
    few = count()
    add_records(session, team_id, {"measures": types["measures"], "pdsa": types["pdsa"]}, authors, 4, 30)
    many = count()
    assert many == few <= BUDGET, (few, many)
