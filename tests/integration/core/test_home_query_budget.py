"""The home page runs a fixed number of SQL statements (at most 12), however many teams a user sees."""

import pytest

from tests.factories import add_member, add_staff, make_cohort, make_team, make_user
from tests.helpers import login

BUDGET = 12


def build(session, teams_per_cohort: int):
    coach = make_user(session, f"coach{teams_per_cohort}@test.example.org", roles=["faculty", "coach", "admin"])
    leader = make_user(session, f"leader{teams_per_cohort}@test.example.org", roles=["participant"])
    for n in range(2):
        cohort = make_cohort(session)
        add_staff(session, cohort, coach, "faculty")
        add_staff(session, cohort, coach, "coach")
        for _ in range(teams_per_cohort):
            team = make_team(session, cohort, coach=coach)
            for m in range(3):
                add_member(session, team, make_user(session, roles=["participant"]), "core" if m else "extended")
        if n == 0:
            add_member(session, team, leader, "leader")
    return coach.email, leader.email


def statements(app, session, sql_statements, email):
    client = app.test_client()
    login(client, email)
    session.expunge_all()
    sql_statements.clear()
    assert client.get("/home").status_code == 200
    return len(sql_statements)


@pytest.mark.parametrize("who", ["coach", "leader"])
def test_home_query_count_does_not_grow_with_teams(app, session, sql_statements, who):
    small = build(session, 2)
    large = build(session, 15)
    index = 0 if who == "coach" else 1
    few = statements(app, session, sql_statements, small[index])
    many = statements(app, session, sql_statements, large[index])
    assert few == many
    assert many <= BUDGET
