"""The admin setting that requires two-factor sign-in for staff, the users list, and an admin's reset."""

from __future__ import annotations

from qtp.core.audit import AuditEvent
from qtp.core.settings import REQUIRE_STAFF_TWO_FACTOR, get_setting
from tests.factories import make_user
from tests.helpers import login, post_form, text_of
from tests.integration.accounts.twofactor_support import code_at, enable_two_factor, give_code


def _require(app, session, admin_email="root@test.example.org"):
    admin_client = app.test_client()
    login(admin_client, admin_email)
    response = post_form(
        admin_client, "/admin/settings", {"require_staff_two_factor": "y"}, token_from="/admin/settings"
    )
    assert response.status_code == 302
    return admin_client


def test_an_admin_turns_the_requirement_on_and_it_is_audited(app, session):
    admin = make_user(session, "root@test.example.org", roles=["admin"])
    _require(app, session)
    assert get_setting(session, REQUIRE_STAFF_TWO_FACTOR) is True
    assert session.query(AuditEvent).filter_by(action="settings.updated", actor_id=admin.id).count() == 1


def test_only_admins_change_settings(client, session):
    make_user(session, "fac@test.example.org", roles=["faculty"])
    login(client, "fac@test.example.org")
    response = post_form(client, "/admin/settings", {"require_staff_two_factor": "y"}, token_from="/home")
    assert response.status_code == 403
    assert get_setting(session, REQUIRE_STAFF_TWO_FACTOR) is False


def test_required_staff_reach_nothing_but_the_set_up_until_it_is_on(app, client, session):
    make_user(session, "root@test.example.org", roles=["admin"])
    make_user(session, "fac@test.example.org", roles=["faculty"])
    _require(app, session)
    login(client, "fac@test.example.org")
    for path in ("/home", "/account/profile", "/home/cohorts", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/account/security"), path
    page = client.get("/account/security")
    assert page.status_code == 200 and "Your role requires two-factor sign-in" in text_of(page)
    enable_two_factor(client, "fac@test.example.org")
    assert client.get("/home").status_code == 200
    # and now it cannot be turned off
    refused = post_form(client, "/account/security/two-factor/disable", {"password": "x", "code": "123456"})
    assert refused.status_code == 400 and "cannot be turned off" in text_of(refused)


def test_sign_out_stays_possible_and_participants_are_not_concerned(app, session):
    make_user(session, "root@test.example.org", roles=["admin"])
    make_user(session, "fac@test.example.org", roles=["coach"])
    make_user(session, "ana@test.example.org", roles=["participant"])
    _require(app, session)
    coach = app.test_client()
    login(coach, "fac@test.example.org")
    assert post_form(coach, "/logout", token_from="/account/security").status_code == 302
    assert coach.get("/home").status_code == 302 and coach.get("/home").headers["Location"].startswith("/login")
    participant = app.test_client()
    login(participant, "ana@test.example.org")
    assert participant.get("/home").status_code == 200


def test_the_admin_who_turned_it_on_must_set_it_up_too(app, session):
    make_user(session, "root@test.example.org", roles=["admin"])
    admin_client = _require(app, session)
    response = admin_client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/security")


def test_admins_see_who_uses_two_factor_and_can_reset_it(app, client, session):
    admin = make_user(session, "root@test.example.org", roles=["admin"])
    ana = make_user(session, "ana@test.example.org", roles=["participant"], name="Ana Ribeiro")
    secret, _codes = enable_two_factor(client, "ana@test.example.org")
    phone = app.test_client()
    login(phone, "ana@test.example.org")
    give_code(phone, code_at(secret, 1))
    assert phone.get("/home").status_code == 200
    admin_client = app.test_client()
    login(admin_client, "root@test.example.org")
    listing = text_of(admin_client.get("/admin/users"))
    row = listing[listing.index("Ana Ribeiro") :]
    assert '<span class="badge badge-done">On</span>' in row[: row.index("</tr>")]
    assert "Reset two-factor sign-in" in text_of(admin_client.get(f"/admin/users/{ana.id}"))
    response = post_form(admin_client, f"/admin/users/{ana.id}/two-factor/reset", token_from="/admin/users")
    assert response.status_code == 302
    session.refresh(ana)
    assert ana.two_factor_enabled_at is None
    assert client.get("/home").status_code == 302 and phone.get("/home").status_code == 302  # signed out everywhere
    assert login(client, "ana@test.example.org").headers["Location"].endswith("/home")  # password only now
    event = session.query(AuditEvent).filter_by(action="user.two_factor_reset").one()
    assert event.actor_id == admin.id and event.object_id == str(ana.id)


def test_only_admins_reset_two_factor(app, client, session):
    make_user(session, "fac@test.example.org", roles=["faculty"])
    ana = make_user(session, "ana@test.example.org")
    enable_two_factor(client, "ana@test.example.org")
    faculty = app.test_client()
    login(faculty, "fac@test.example.org")
    assert post_form(faculty, f"/admin/users/{ana.id}/two-factor/reset", token_from="/home").status_code == 403
    session.refresh(ana)
    assert ana.two_factor_enabled_at is not None
