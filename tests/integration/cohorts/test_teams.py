"""Teams of a cohort: created by admins, members invited by e-mail with their role, exactly one leader."""

import re

from qtp.accounts.models import Invitation, User
from qtp.cohorts.models import Membership, Team
from qtp.core.audit import AuditEvent
from tests.factories import make_organization, make_user
from tests.helpers import post_form, text_of
from tests.integration.cohorts.conftest import create_cohort, sign_in


def _team(client, session, program, admin):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program)
    practice = make_organization(session, "Hospital de Dia de Oncologia", country="PT", city="Lisboa")
    coach = make_user(session, "coach@test.example.org", name="Coach Carla", roles=["coach"])
    page = f"/admin/cohorts/{cohort.id}/teams/new"
    data = {
        "organization_id": str(practice.id),
        "project_title": "Consent before oral chemotherapy",
        "coach_id": str(coach.id),
    }
    response = post_form(client, page, data, token_from=page)
    assert response.status_code == 303
    again = post_form(client, page, data, token_from=page)
    assert again.status_code == 400 and "already has a team in the cohort" in text_of(again)
    team = session.query(Team).filter_by(cohort_id=cohort.id).one()
    assert team.coach_id == coach.id
    return team


def invite(client, team, email, role, name="New Person", locale="pt_BR"):
    page = f"/admin/teams/{team.id}"
    data = {"name": name, "email": email, "role": role, "locale": locale}
    return post_form(client, f"{page}/members", data, token_from=page)


def test_an_invited_leader_joins_the_team_when_accepting(app, client, session, program, admin, outbox):
    team = _team(client, session, program, admin)
    assert invite(client, team, "lider@test.example.org", "leader", "Dra. Inês Lopes").status_code == 303
    invitation = session.query(Invitation).filter_by(email="lider@test.example.org").one()
    assert (invitation.team_id, invitation.team_role, invitation.roles) == (team.id, "leader", ["participant"])
    second = invite(client, team, "outro@test.example.org", "leader")
    assert second.status_code == 400 and "exactly one leader" in text_of(second)  # a leader is already invited
    mail = next(m for m in outbox if m.to == "lider@test.example.org")
    token = re.search(r"/invitation/([A-Za-z0-9_\-]+)", mail.body).group(1)

    newcomer = app.test_client()
    page = f"/invitation/{token}"
    accepted = post_form(
        newcomer,
        page,
        {
            "name": "Dra. Inês Lopes",
            "password": "coral-tambor-lisboa-42",
            "confirm": "coral-tambor-lisboa-42",
            "timezone": "Europe/Lisbon",
        },
        token_from=page,
    )
    assert accepted.status_code in (302, 303)
    user = session.query(User).filter_by(email="lider@test.example.org").one()
    assert session.query(Membership).filter_by(team_id=team.id, user_id=user.id).one().role == "leader"
    assert user.locale == "pt_BR"


def test_an_existing_account_joins_at_once_and_is_told_in_its_language(client, session, program, admin, outbox):
    team = _team(client, session, program, admin)
    existing = make_user(session, "nurse@test.example.org", name="Enf. Rui Costa", roles=["faculty"], locale="es")
    outbox.clear()
    assert invite(client, team, "NURSE@test.example.org", "core").status_code == 303
    membership = session.query(Membership).filter_by(team_id=team.id, user_id=existing.id).one()
    assert membership.role == "core"
    session.refresh(existing)
    assert existing.has_role("participant")  # now sees the team's program
    [mail] = outbox
    assert mail.to == "nurse@test.example.org" and "Consent before oral chemotherapy" in mail.subject
    assert mail.subject == "Se ha unido al equipo “Consent before oral chemotherapy”"
    twice = invite(client, team, "nurse@test.example.org", "extended")
    assert twice.status_code == 400 and "already on this team" in text_of(twice)


def test_exactly_one_leader_and_role_changes_swap_it(client, session, program, admin):
    team = _team(client, session, program, admin)
    first = make_user(session, "first@test.example.org", name="First Leader", roles=["participant"])
    second = make_user(session, "second@test.example.org", name="Second Person", roles=["participant"])
    invite(client, team, first.email, "leader")
    invite(client, team, second.email, "core")
    refused = invite(client, team, "third@test.example.org", "leader")
    assert refused.status_code == 400
    leader = session.query(Membership).filter_by(user_id=first.id).one()
    other = session.query(Membership).filter_by(user_id=second.id).one()
    page = f"/admin/teams/{team.id}"

    demote = post_form(client, f"{page}/members/{leader.id}/role", {"role": "core"}, token_from=page)
    assert demote.status_code == 303
    remove_leader = post_form(client, f"{page}/members/{leader.id}/remove", token_from=page)
    assert remove_leader.status_code == 303
    session.expire_all()
    assert session.get(Membership, leader.id).role == "leader"  # both refused, with a message
    assert "A team needs its leader" in text_of(client.get(page))

    swap = post_form(client, f"{page}/members/{other.id}/role", {"role": "leader"}, token_from=page)
    assert swap.status_code == 303
    session.expire_all()
    roles = {m.user_id: m.role for m in session.query(Membership).filter_by(team_id=team.id)}
    assert roles == {first.id: "core", second.id: "leader"}
    removed = post_form(client, f"{page}/members/{leader.id}/remove", token_from=page)
    assert removed.status_code == 303
    assert session.query(Membership).filter_by(team_id=team.id).count() == 1
    actions = {e.action for e in session.query(AuditEvent)}
    assert {"team.created", "team.member_added", "team.member_role_changed", "team.member_removed"} <= actions


def test_team_invitations_can_be_resent_and_revoked(client, session, program, admin, outbox):
    team = _team(client, session, program, admin)
    invite(client, team, "later@test.example.org", "extended")
    invitation = session.query(Invitation).filter_by(email="later@test.example.org").one()
    page = f"/admin/teams/{team.id}"
    outbox.clear()
    assert post_form(client, f"{page}/invitations/{invitation.id}/resend", token_from=page).status_code == 303
    assert [m.to for m in outbox] == ["later@test.example.org"]
    assert post_form(client, f"{page}/invitations/{invitation.id}/revoke", token_from=page).status_code == 303
    session.expire_all()
    assert session.get(Invitation, invitation.id).revoked_at is not None
    other_team = make_organization(session)  # an invitation id under another team's address: 404
    assert (
        post_form(
            client, f"/admin/teams/{team.id + 1000}/invitations/{invitation.id}/resend", token_from=page
        ).status_code
        == 404
    )
    del other_team


def test_team_names_are_inert_for_every_reader(client, session, program, admin):
    team = _team(client, session, program, admin)
    page = f"/admin/teams/{team.id}"
    attack = "<img src=x onerror=alert(1)>{{7*7}}"
    post_form(client, page, {"project_title": attack, "coach_id": ""}, token_from=page)
    for path in (page, f"/admin/cohorts/{team.cohort_id}"):
        html = text_of(client.get(path))
        assert "<img src=x" not in html and "&lt;img src=x" in html and "{{7*7}}" in html
