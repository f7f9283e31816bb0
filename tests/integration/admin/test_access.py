"""Who may reach the admin area: admins only; other roles get 403, anonymous visitors the sign-in page."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from sqlalchemy import select

from qtp.accounts.models import Invitation, Organization, User, UserRole
from qtp.accounts.services import invite_user
from qtp.certificates.models import Certificate
from qtp.certificates.serials import new_serial
from qtp.cohorts.models import Cohort, CohortEvent, Membership, StaffAssignment, Team
from qtp.core.storage import new_key
from qtp.interest.models import InterestResponse
from qtp.licensing.models import License, LicenseSeat
from tests.factories import add_member, add_staff, make_cohort, make_organization, make_team, make_user
from tests.helpers import csrf_token, login, post_form, text_of


@pytest.fixture
def targets(app, session, admin):
    """Real objects for every admin URL, so that only the permission check can refuse the request."""
    org = make_organization(session, "Clínica de Oncología Valencia", kind="practice", country="ES", city="Valencia")
    member = make_user(session, "carmen.navarro@oncovalencia.example.org", roles=["participant"], name="Carmen Navarro")
    with app.app_context():
        invitation = invite_user(
            session,
            admin,
            email="diego.ramirez@oncomonterrey.example.org",
            name="Diego Ramírez",
            roles=["participant"],
            organization_id=org.id,
            locale="es",
        )
        session.commit()
    cohort = make_cohort(session)
    team = make_team(session, cohort, organization=org)
    membership = add_member(session, team, member, "core")
    staff = add_staff(session, cohort, make_user(session, roles=["faculty"]), "faculty")
    event = CohortEvent(
        cohort_id=cohort.id, kind="coaching_call", key="call-1", starts_on=cohort.starts_on, ends_on=cohort.starts_on
    )
    session.add(event)
    session.commit()
    with app.app_context():
        team_invitation = invite_user(
            session,
            admin,
            email="lucia.vega@oncovalencia.example.org",
            name="Lucía Vega",
            roles=["participant"],
            organization_id=org.id,
            locale="es",
            team_id=team.id,
            team_role="extended",
        )
        session.commit()
    certificate = Certificate(
        serial=new_serial(),
        user_id=member.id,
        cohort_id=cohort.id,
        team_id=team.id,
        recipient_name=member.name,
        locale="es",
        storage_key=new_key(),
    )
    session.add(certificate)
    licensee = make_organization(session, "Fundación Oncológica del Sur", kind="licensee", country="AR")
    license_ = License(
        number="QTP-L-2026-0099",
        organization=licensee,
        product="six_month",
        locales=["es"],
        territory=["AR"],
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        seats=3,
    )
    session.add(license_)
    session.flush()
    seat = LicenseSeat(license_id=license_.id, user_id=member.id)
    session.add(seat)
    session.commit()
    with app.app_context():
        seat_invitation = invite_user(
            session,
            admin,
            email="bruno.diaz@fos.example.org",
            name="Bruno Díaz",
            roles=["licensee"],
            organization_id=licensee.id,
            locale="es",
            license_id=license_.id,
        )
        session.commit()
    interest = InterestResponse(
        country="AR",
        organization="Hospital de Clínicas",
        role="physician",
        program="six_month",
        language="es",
        email="ana@clinicas.example.org",
        consent=True,
        locale="es",
    )
    session.add(interest)
    session.commit()
    return {
        "interest": interest.id,
        "license": license_.id,
        "seat": seat.id,
        "seat_invitation": seat_invitation.id,
        "certificate": certificate.id,
        "org": org.id,
        "user": member.id,
        "invitation": invitation.id,
        "cohort": cohort.id,
        "team": team.id,
        "membership": membership.id,
        "staff": staff.id,
        "event": event.id,
        "team_invitation": team_invitation.id,
    }


def admin_urls(ids: dict) -> list[tuple[str, str, dict]]:
    return [
        ("GET", "/admin/users", {}),
        ("GET", "/admin/users?q=navarro&role=participant&status=active", {}),
        ("GET", "/admin/users/new", {}),
        (
            "POST",
            "/admin/users/new",
            {
                "name": "Sofía Torres",
                "email": "sofia.torres@oncovalencia.example.org",
                "organization_id": "",
                "roles": ["participant"],
                "locale": "es",
            },
        ),
        ("GET", f"/admin/users/{ids['user']}", {}),
        (
            "POST",
            f"/admin/users/{ids['user']}",
            {
                "name": "Carmen Navarro",
                "email": "carmen.navarro@oncovalencia.example.org",
                "organization_id": "",
                "roles": ["admin"],
                "locale": "",
                "timezone": "UTC",
            },
        ),
        ("POST", f"/admin/users/{ids['user']}/active", {"active": "0"}),
        ("POST", f"/admin/users/{ids['user']}/two-factor/reset", {}),
        ("GET", "/admin/settings", {}),
        ("POST", "/admin/settings", {"require_staff_two_factor": "y"}),
        ("GET", f"/admin/users/{ids['user']}/erase", {}),
        ("POST", f"/admin/users/{ids['user']}/erase", {"confirm_email": "carmen.navarro@oncovalencia.example.org"}),
        ("POST", f"/admin/invitations/{ids['invitation']}/resend", {}),
        ("POST", f"/admin/invitations/{ids['invitation']}/revoke", {}),
        ("GET", "/admin/organizations", {}),
        ("GET", "/admin/organizations/new", {}),
        (
            "POST",
            "/admin/organizations/new",
            {"name": "Athens Oncology Group", "kind": "practice", "country": "GR", "city": "Athens"},
        ),
        ("GET", f"/admin/organizations/{ids['org']}", {}),
        (
            "POST",
            f"/admin/organizations/{ids['org']}",
            {"name": "Renamed", "kind": "other", "country": "US", "city": "Boston"},
        ),
        ("POST", f"/admin/organizations/{ids['org']}/active", {"active": "0"}),
        ("GET", "/admin/audit", {}),
        ("GET", "/admin/audit?action=invitation.created", {}),
        ("GET", "/admin/jobs", {}),
        ("POST", "/admin/jobs/0b1c2d3e-job/retry", {}),
        ("POST", "/admin/licenses/bundles/build", {}),
        ("GET", "/admin/cohorts", {}),
        ("GET", "/admin/cohorts/new", {}),
        (
            "POST",
            "/admin/cohorts/new",
            {
                "name": "Intruders",
                "slug": "intruders",
                "locale": "en",
                "starts_on": "2027-01-01",
                "ends_on": "2027-02-01",
            },
        ),
        ("GET", f"/admin/cohorts/{ids['cohort']}", {}),
        (
            "POST",
            f"/admin/cohorts/{ids['cohort']}",
            {
                "name": "Hijacked",
                "locale": "en",
                "starts_on": "2027-01-01",
                "ends_on": "2027-02-01",
                "status": "active",
            },
        ),
        ("POST", f"/admin/cohorts/{ids['cohort']}/schedule", {}),
        ("POST", f"/admin/cohorts/{ids['cohort']}/staff", {"user_id": str(ids["user"]), "role": "faculty"}),
        ("POST", f"/admin/cohorts/{ids['cohort']}/staff/{ids['staff']}/remove", {}),
        (
            "POST",
            f"/admin/cohorts/{ids['cohort']}/events",
            {"kind": "coaching_call", "title": "Hijacked", "starts_on": "2027-01-10", "ends_on": "2027-01-10"},
        ),
        ("POST", f"/admin/cohorts/{ids['cohort']}/events/{ids['event']}/remove", {}),
        ("GET", f"/admin/cohorts/{ids['cohort']}/teams/new", {}),
        (
            "POST",
            f"/admin/cohorts/{ids['cohort']}/teams/new",
            {"organization_id": str(ids["org"]), "project_title": "X"},
        ),
        ("GET", f"/admin/teams/{ids['team']}", {}),
        ("POST", f"/admin/teams/{ids['team']}", {"project_title": "Hijacked", "coach_id": ""}),
        (
            "POST",
            f"/admin/teams/{ids['team']}/members",
            {"name": "X", "email": "x@oncovalencia.example.org", "role": "leader", "locale": "en"},
        ),
        ("POST", f"/admin/teams/{ids['team']}/members/{ids['membership']}/role", {"role": "leader"}),
        ("POST", f"/admin/teams/{ids['team']}/members/{ids['membership']}/remove", {}),
        ("POST", f"/admin/teams/{ids['team']}/invitations/{ids['team_invitation']}/resend", {}),
        ("POST", f"/admin/teams/{ids['team']}/invitations/{ids['team_invitation']}/revoke", {}),
        ("GET", f"/admin/cohorts/{ids['cohort']}/certificates", {}),
        ("POST", f"/admin/cohorts/{ids['cohort']}/certificates/issue", {}),
        ("GET", "/admin/licenses", {}),
        ("GET", "/admin/licenses?state=expired", {}),
        ("GET", "/admin/licenses/new", {}),
        ("GET", "/admin/licenses/downloads.csv", {}),
        ("GET", "/admin/interest", {}),
        ("GET", "/admin/interest?country=AR&handled=no", {}),
        ("GET", "/admin/interest.csv", {}),
        ("POST", f"/admin/interest/{ids['interest']}/handled", {}),
        ("POST", f"/admin/interest/{ids['interest']}/reopen", {}),
        ("GET", f"/admin/licenses/downloads.csv?license={ids['license']}", {}),
        ("POST", "/admin/licenses/new", {"organization_id": "1", "product": "one_day", "seats": "1"}),
        ("GET", f"/admin/licenses/{ids['license']}", {}),
        ("POST", f"/admin/licenses/{ids['license']}", {"seats": "99", "status": "suspended"}),
        (
            "POST",
            f"/admin/licenses/{ids['license']}/seats",
            {"name": "X", "email": "x@fos.example.org", "locale": "es"},
        ),
        ("POST", f"/admin/licenses/{ids['license']}/seats/{ids['seat']}/free", {}),
        ("POST", f"/admin/licenses/{ids['license']}/invitations/{ids['seat_invitation']}/resend", {}),
        ("POST", f"/admin/licenses/{ids['license']}/invitations/{ids['seat_invitation']}/revoke", {}),
        (
            "POST",
            f"/admin/certificates/{ids['certificate']}/change",
            {f"c{ids['certificate']}-reason": "Hijacked", f"c{ids['certificate']}-revoke": "Revoke"},
        ),
    ]


def test_the_list_covers_every_admin_endpoint(app, targets):
    covered = {(method, path.split("?")[0]) for method, path, _ in admin_urls(targets)}
    adapter = app.url_map.bind("localhost")
    for method, path in covered:
        adapter.match(path, method=method)  # every listed URL exists
    admin_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")]
    assert admin_rules
    for rule in admin_rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert any(m == method and adapter.match(p, method=m)[0] == rule.endpoint for m, p in covered), (
                f"{method} {rule.rule} is not covered by the access tests"
            )


@pytest.mark.parametrize("role", ["participant", "faculty", "licensee", "coach"])
def test_non_admin_roles_get_403_everywhere(client, session, outbox, targets, role):
    email = f"{role}.reis@oncorecife.example.org"
    make_user(session, email, roles=[role], name=f"Paulo Reis ({role})")
    assert login(client, email).status_code == 302
    token = csrf_token(client, "/home")
    for method, path, data in admin_urls(targets):
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 403, f"{role}: {method} {path} answered {response.status_code}"
        assert "Your account does not have permission to do this." in text_of(response)
    assert_nothing_changed(session, outbox, targets)


def assert_nothing_changed(session, outbox, targets) -> None:
    assert len(outbox) == 3  # only the invitations sent while setting up; no resend
    session.expire_all()
    assert session.get(User, targets["user"]).is_active is True
    assert [r.role for r in session.get(User, targets["user"]).roles] == ["participant"]
    assert session.get(Organization, targets["org"]).name == "Clínica de Oncología Valencia"
    assert session.get(Organization, targets["org"]).is_active is True
    assert session.get(Invitation, targets["invitation"]).revoked_at is None
    assert session.scalar(select(Organization).where(Organization.name == "Athens Oncology Group")) is None
    assert session.get(Cohort, targets["cohort"]).name != "Hijacked" and session.query(Cohort).count() == 1
    assert session.get(Team, targets["team"]).project_title != "Hijacked" and session.query(Team).count() == 1
    assert session.get(Membership, targets["membership"]).role == "core"
    assert session.get(StaffAssignment, targets["staff"]) is not None
    assert session.get(CohortEvent, targets["event"]) is not None and session.query(CohortEvent).count() == 1
    assert session.get(Invitation, targets["team_invitation"]).revoked_at is None
    assert session.get(Certificate, targets["certificate"]).revoked_at is None
    assert session.query(Certificate).count() == 1
    license_ = session.get(License, targets["license"])
    assert (license_.seats, license_.status) == (3, "active") and session.query(License).count() == 1
    assert session.get(LicenseSeat, targets["seat"]).freed_at is None and session.query(LicenseSeat).count() == 1
    assert session.get(Invitation, targets["seat_invitation"]).revoked_at is None


def test_a_user_without_any_role_gets_403(client, session, targets):
    make_user(session, "nobody@oncorecife.example.org", roles=[], name="Rafael Lima")
    assert login(client, "nobody@oncorecife.example.org").status_code == 302
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, session, outbox, targets):
    token = csrf_token(client, "/login")
    for method, path, data in admin_urls(targets):
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 302, f"{method} {path} answered {response.status_code}"
        location = response.headers["Location"]
        assert location.startswith("/login?next="), location
        assert quote(path.split("?")[0], safe="") in location, location
    assert_nothing_changed(session, outbox, targets)


def test_admin_reaches_every_admin_page(admin_client, targets):
    for method, path, _ in admin_urls(targets):
        if method == "GET":
            assert admin_client.get(path).status_code == 200, path


def test_participant_cannot_grant_themselves_admin(client, session):
    me = make_user(session, "joao.carvalho@oncorecife.example.org", roles=["participant"], name="João Carvalho")
    assert login(client, me.email).status_code == 302
    response = post_form(
        client,
        f"/admin/users/{me.id}",
        {
            "name": "João Carvalho",
            "email": me.email,
            "organization_id": "",
            "roles": ["admin", "participant"],
            "locale": "",
            "timezone": "UTC",
        },
        token_from="/home",
    )
    assert response.status_code == 403
    session.expire_all()
    roles = session.scalars(select(UserRole.role).where(UserRole.user_id == me.id)).all()
    assert roles == ["participant"]
    assert client.get("/admin/users").status_code == 403


class TestUnknownIds:
    def test_unknown_user_page_is_404(self, admin_client):
        assert admin_client.get("/admin/users/999999").status_code == 404

    def test_unknown_organization_page_is_404(self, admin_client):
        assert admin_client.get("/admin/organizations/999999").status_code == 404

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/users/999999",
            "/admin/users/999999/active",
            "/admin/organizations/999999",
            "/admin/organizations/999999/active",
            "/admin/invitations/999999/resend",
            "/admin/invitations/999999/revoke",
        ],
    )
    def test_posting_to_unknown_ids_is_404(self, admin_client, path):
        response = post_form(
            admin_client, path, {"active": "0", "name": "X", "email": "x@example.org"}, token_from="/home"
        )
        assert response.status_code == 404
        assert "Page not found" in text_of(response)
