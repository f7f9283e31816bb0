"""Graduates: only teams that completed a finished cohort and whose leader opted in appear, with their practice,
country, project and one result line, filterable by year and country; only the leader (or an admin) decides."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qtp.certificates.models import Certificate
from qtp.certificates.serials import new_serial
from qtp.core.audit import AuditEvent
from qtp.core.storage import new_key
from tests.factories import add_member, make_cohort, make_organization, make_team, make_user
from tests.helpers import login, post_form, text_of


def graduate_team(session, *, country="BR", year=2026, title=None, listed=True, result="Waits fell by half"):
    """A team of a finished cohort whose leader holds a certificate in force."""
    cohort = make_cohort(session, status="finished", starts_on=date(year, 1, 10), ends_on=date(year, 6, 30))
    org = make_organization(session, country=country, city="Ciudad")
    team = make_team(session, cohort, organization=org, **({"project_title": title} if title else {}))
    leader = make_user(session, roles=["participant"])
    add_member(session, team, leader, "leader")
    session.add(
        Certificate(
            serial=new_serial(),
            user_id=leader.id,
            cohort_id=cohort.id,
            team_id=team.id,
            recipient_name=leader.name,
            locale="en",
            storage_key=new_key(),
        )
    )
    team.graduate_listed, team.graduate_result = listed, result if listed else ""
    session.commit()
    team.leader = leader
    return team


def test_only_completed_teams_that_opted_in_appear_and_filters_narrow_them(client, session):
    shown = graduate_team(session, country="BR", year=2026, title="Faster first visits", result="31 to 12 days")
    graduate_team(session, country="MX", year=2025, title="Fewer ED visits", result="ED visits down 40%")
    graduate_team(session, country="ES", title="Not opted in", listed=False)
    unfinished = make_team(session, make_cohort(session, status="active"), project_title="Still running")
    unfinished.graduate_listed, unfinished.graduate_result = True, "Too early"
    revoked = graduate_team(session, title="Certificate revoked")
    session.query(Certificate).filter_by(team_id=revoked.id).update({"revoked_at": datetime(2026, 7, 1, tzinfo=UTC)})
    session.commit()
    page = " ".join(text_of(client.get("/graduates")).split())
    assert "Faster first visits" in page and "31 to 12 days" in page and "Fewer ED visits" in page
    assert "Brazil" in page and shown.organization.name in page
    for hidden in ("Not opted in", "Still running", "Certificate revoked"):
        assert hidden not in page
    assert page.index("Faster first visits") < page.index("Fewer ED visits"), "newest cohorts first"
    only_2025 = text_of(client.get("/graduates?year=2025"))
    assert "Fewer ED visits" in only_2025 and "Faster first visits" not in only_2025
    only_brazil = text_of(client.get("/graduates?country=BR"))
    assert "Faster first visits" in only_brazil and "Fewer ED visits" not in only_brazil
    assert "No graduate team matches" in text_of(client.get("/graduates?country=FR"))
    spanish = text_of(client.get("/graduates?lang=es"))
    assert "Brasil" in spanish and "México" in spanish


def test_the_leader_opts_in_with_a_result_line_and_can_take_the_team_off(client, session):
    team = graduate_team(session, listed=False)
    login(client, team.leader.email)
    path = f"/teams/{team.id}/graduate-listing"
    missing = post_form(client, path, {"listed": "y", "result": ""}, token_from=path)
    assert missing.status_code == 400 and "in one line" in text_of(missing)
    too_long = post_form(client, path, {"listed": "y", "result": "x" * 301}, token_from=path)
    assert too_long.status_code == 400
    done = post_form(client, path, {"listed": "y", "result": "Consent rose from 0% to 73%"}, token_from=path)
    assert done.status_code == 303
    session.refresh(team)
    assert team.graduate_listed and team.graduate_result == "Consent rose from 0% to 73%"
    assert "Consent rose from 0% to 73%" in text_of(client.get("/graduates"))
    post_form(client, path, {"result": "Consent rose from 0% to 73%"}, token_from=path)
    session.refresh(team)
    assert not team.graduate_listed and "Consent rose" not in text_of(client.get("/graduates"))
    actions = [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["team.graduate_listed", "team.graduate_unlisted"]


def test_a_team_that_has_not_completed_cannot_be_listed(client, session):
    team = make_team(session, make_cohort(session, status="active"))
    leader = make_user(session, roles=["participant"])
    add_member(session, team, leader, "leader")
    login(client, leader.email)
    path = f"/teams/{team.id}/graduate-listing"
    response = post_form(client, path, {"listed": "y", "result": "A result"}, token_from=path)
    assert response.status_code == 400 and "once it has completed the program" in text_of(response)
    session.refresh(team)
    assert not team.graduate_listed


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("other_leader", 404), ("faculty", 404)])
def test_only_the_leader_or_an_admin_decides(client, session, who, status):
    """A member sees the team but may not decide (403); for anyone else the team does not exist (404)."""
    team = graduate_team(session, listed=False)
    people = {
        "member": lambda: add_member(session, team, make_user(session, roles=["participant"]), "core").user,
        "other_leader": lambda: graduate_team(session).leader,
        "faculty": lambda: make_user(session, roles=["faculty"]),
    }
    login(client, people[who]().email)
    path = f"/teams/{team.id}/graduate-listing"
    assert client.get(path).status_code == status
    token_page = "/graduates"
    assert post_form(client, path, {"listed": "y", "result": "Hijacked"}, token_from=token_page).status_code == status
    session.refresh(team)
    assert not team.graduate_listed


def test_an_admin_may_list_a_team_and_extra_fields_change_nothing(client, session):
    team = graduate_team(session, listed=False)
    login(client, make_user(session, roles=["admin"]).email)
    path = f"/teams/{team.id}/graduate-listing"
    post_form(client, path, {"listed": "y", "result": "Shown by an admin", "project_title": "Changed"}, token_from=path)
    session.refresh(team)
    assert team.graduate_listed and team.project_title != "Changed"


def test_the_graduates_page_runs_a_fixed_number_of_statements(client, session, sql_statements):
    graduate_team(session)
    sql_statements.clear()
    client.get("/graduates")
    small = len(sql_statements)
    for n in range(8):
        graduate_team(session, title=f"Project {n}")
    sql_statements.clear()
    client.get("/graduates")
    assert len(sql_statements) == small <= 12
