"""Editing users: fields, roles, e-mail clashes, the administrator's own account, deactivation."""

from __future__ import annotations

from sqlalchemy import select

from qtp.accounts.models import User, UserRole
from tests.factories import make_user
from tests.helpers import login, post_form, text_of

from .support import events, field_error

JOAO = "joao.carvalho@hcp-recife.example.org"


def edit(client, user_id, **fields):
    return post_form(client, f"/admin/users/{user_id}", fields, token_from=f"/admin/users/{user_id}")


def form_of(user, **changes) -> dict:
    """The edit form as the browser would send it for this user, with some fields changed."""
    data = {
        "name": user.name,
        "email": user.email,
        "organization_id": str(user.organization_id or ""),
        "locale": user.locale or "",
        "timezone": user.timezone,
        "roles": [r.role for r in user.roles],
    }
    data.update(changes)
    return data


def set_active(client, user_id, active: str):
    return post_form(client, f"/admin/users/{user_id}/active", {"active": active}, token_from=f"/admin/users/{user_id}")


def roles_of(session, user_id) -> list[str]:
    session.expire_all()
    return sorted(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))


def test_edit_page_shows_the_current_values(admin_client, session, recife):
    joao = make_user(
        session,
        JOAO,
        roles=["participant", "coach"],
        name="João Carvalho",
        organization_id=recife.id,
        locale="pt_BR",
        timezone="America/Recife",
    )
    html = text_of(admin_client.get(f"/admin/users/{joao.id}"))
    assert 'value="João Carvalho"' in html
    assert f'value="{JOAO}"' in html
    assert f'<option selected value="{recife.id}">' in html
    assert '<option selected value="pt_BR">' in html
    assert '<option selected value="America/Recife">' in html
    assert 'checked id="roles-' in html and 'value="coach"' in html


def test_changes_are_saved_and_audited_with_from_and_to(admin_client, session, admin, recife, monterrey):
    joao = make_user(session, JOAO, roles=["participant"], name="Joao Carvalho", organization_id=recife.id)
    response = edit(
        admin_client,
        joao.id,
        **form_of(
            joao,
            name="João Carvalho Neto",
            email="Joao.Neto@HCP-Recife.example.org",
            organization_id=str(monterrey.id),
            locale="es",
            timezone="America/Monterrey",
            roles=["participant", "faculty"],
        ),
    )
    assert response.status_code == 302
    assert "Changes to João Carvalho Neto saved." in text_of(admin_client.get(response.headers["Location"]))

    session.expire_all()
    user = session.get(User, joao.id)
    assert user.name == "João Carvalho Neto"
    assert user.email == "joao.neto@hcp-recife.example.org"
    assert user.organization_id == monterrey.id
    assert user.locale == "es"
    assert user.timezone == "America/Monterrey"
    assert roles_of(session, joao.id) == ["faculty", "participant"]

    [event] = events(session, "user.updated")
    assert event.actor_id == admin.id
    assert event.object_type == "users" and event.object_id == str(joao.id)
    assert event.details == {
        "name": {"from": "Joao Carvalho", "to": "João Carvalho Neto"},
        "email": {"from": JOAO, "to": "joao.neto@hcp-recife.example.org"},
        "organization_id": {"from": recife.id, "to": monterrey.id},
        "locale": {"from": None, "to": "es"},
        "timezone": {"from": "UTC", "to": "America/Monterrey"},
        "roles": {"from": ["participant"], "to": ["faculty", "participant"]},
    }
    assert events(session, "user.roles_changed") == []


def test_changing_only_roles_is_audited_as_roles_changed(admin_client, session, admin):
    joao = make_user(session, JOAO, roles=["participant"], name="João Carvalho")
    assert edit(admin_client, joao.id, **form_of(joao, roles=["coach"])).status_code == 302
    assert roles_of(session, joao.id) == ["coach"]
    [event] = events(session, "user.roles_changed")
    assert event.actor_id == admin.id
    assert event.object_id == str(joao.id)
    assert event.details == {"roles": {"from": ["participant"], "to": ["coach"]}}
    assert events(session, "user.updated") == []


def test_saving_without_changes_writes_no_audit_event(admin_client, session):
    joao = make_user(session, JOAO, roles=["participant"], name="João Carvalho")
    assert edit(admin_client, joao.id, **form_of(joao)).status_code == 302
    assert events(session, "user.updated") == [] and events(session, "user.roles_changed") == []


def test_email_of_another_account_is_refused(admin_client, session):
    joao = make_user(session, JOAO, roles=["participant"], name="João Carvalho")
    make_user(session, "ana.ribeiro@hcp-recife.example.org", roles=["participant"], name="Ana Ribeiro")
    response = edit(admin_client, joao.id, **form_of(joao, name="João C.", email="Ana.Ribeiro@hcp-recife.example.org"))
    assert response.status_code == 400
    assert field_error(text_of(response), "email") == "Another account already uses this e-mail address."
    session.expire_all()
    user = session.get(User, joao.id)
    assert user.email == JOAO and user.name == "João Carvalho"
    assert events(session, "user.updated") == []


def test_invalid_email_or_timezone_is_refused(admin_client, session):
    joao = make_user(session, JOAO, roles=["participant"], name="João Carvalho")
    response = edit(admin_client, joao.id, **form_of(joao, email="joao.carvalho"))
    assert response.status_code == 400
    assert field_error(text_of(response), "email") == "Please enter a valid e-mail address."
    assert edit(admin_client, joao.id, **form_of(joao, timezone="Mars/Olympus_Mons")).status_code == 400
    session.expire_all()
    assert session.get(User, joao.id).email == JOAO
    assert session.get(User, joao.id).timezone == "UTC"


def test_admin_cannot_remove_their_own_admin_role(admin_client, session, admin):
    response = edit(admin_client, admin.id, **form_of(admin, name="Eleni P.", roles=["faculty"]))
    assert response.status_code == 400
    assert field_error(text_of(response), "roles") == "You cannot remove your own administrator role."
    assert roles_of(session, admin.id) == ["admin"]
    session.expire_all()
    assert session.get(User, admin.id).name == "Eleni Papadopoulou"
    assert admin_client.get("/admin/users").status_code == 200


def test_admin_can_add_a_role_to_their_own_account(admin_client, session, admin):
    assert edit(admin_client, admin.id, **form_of(admin, roles=["admin", "faculty"])).status_code == 302
    assert roles_of(session, admin.id) == ["admin", "faculty"]


def test_admin_cannot_deactivate_themselves(admin_client, session, admin):
    response = set_active(admin_client, admin.id, "0")
    assert response.status_code in (302, 303)
    assert response.headers["Location"] == f"/admin/users/{admin.id}"
    assert "You cannot deactivate your own account." in text_of(admin_client.get(response.headers["Location"]))
    session.expire_all()
    assert session.get(User, admin.id).is_active is True
    assert events(session, "user.deactivated") == []
    assert admin_client.get("/admin/users").status_code == 200


def test_deactivation_blocks_sign_in_and_ends_existing_sessions(app, admin_client, session, admin):
    joao = make_user(session, JOAO, roles=["participant"], name="João Carvalho")
    laptop = app.test_client()
    assert login(laptop, JOAO).status_code == 302
    assert laptop.get("/home").status_code == 200

    response = set_active(admin_client, joao.id, "0")
    assert response.status_code == 302
    assert "João Carvalho has been deactivated and signed out everywhere." in text_of(
        admin_client.get(response.headers["Location"])
    )

    session.expire_all()
    assert session.get(User, joao.id).is_active is False
    home = laptop.get("/home")
    assert home.status_code == 302
    assert home.headers["Location"].startswith("/login")
    assert login(app.test_client(), JOAO).status_code == 401

    [event] = events(session, "user.deactivated")
    assert event.actor_id == admin.id and event.object_id == str(joao.id) and event.summary == JOAO
    assert "Deactivated" in text_of(admin_client.get("/admin/users?status=inactive"))


def test_reactivation_lets_the_user_sign_in_again(app, admin_client, session, admin):
    joao = make_user(session, JOAO, roles=["participant"], name="João Carvalho", is_active=False)
    assert login(app.test_client(), JOAO).status_code == 401
    response = set_active(admin_client, joao.id, "1")
    assert response.status_code == 302
    assert "João Carvalho can sign in again." in text_of(admin_client.get(response.headers["Location"]))
    session.expire_all()
    assert session.get(User, joao.id).is_active is True
    browser = app.test_client()
    assert login(browser, JOAO).status_code == 302
    assert browser.get("/home").status_code == 200
    [event] = events(session, "user.reactivated")
    assert event.actor_id == admin.id and event.object_id == str(joao.id)


def test_deactivate_without_csrf_token_changes_nothing(admin_client, session):
    joao = make_user(session, JOAO, roles=["participant"], name="João Carvalho")
    response = admin_client.post(f"/admin/users/{joao.id}/active", data={"active": "0"})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(User, joao.id).is_active is True


def test_extra_fields_on_the_edit_form_change_nothing(admin_client, session, admin):
    joao = make_user(session, JOAO, roles=["participant"], name="João Carvalho")
    before = {"password_hash": joao.password_hash, "session_token": joao.session_token, "id": joao.id}
    response = edit(
        admin_client,
        joao.id,
        **form_of(joao, name="João Carvalho Filho"),
        is_admin="1",
        role="admin",
        is_active="0",
        password_hash="x",
        session_token="x",
        id="999",
        last_login_at="2020-01-01",
        created_at="2020-01-01",
    )
    assert response.status_code == 302
    session.expire_all()
    user = session.get(User, joao.id)
    assert user.name == "João Carvalho Filho"  # the declared field was saved
    assert roles_of(session, joao.id) == ["participant"]
    assert user.is_active is True
    assert user.password_hash == before["password_hash"]
    assert user.session_token == before["session_token"]
    assert user.last_login_at is None
    assert session.get(User, 999) is None
    assert login(admin_client.application.test_client(), JOAO).status_code == 302
    [event] = events(session, "user.updated")
    assert set(event.details) == {"name"}
