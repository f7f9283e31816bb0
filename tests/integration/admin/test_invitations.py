"""Inviting people: the invitation, its e-mail in the invitee's language, resending, revoking, accepting."""

from __future__ import annotations

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from qtp.accounts.models import Invitation, User
from tests.factories import make_user
from tests.helpers import login, post_form, text_of

from .support import events, field_error, invitation_path, invitations, user_by_email

NEW_PASSWORD = "harbour-quince-lattice-ember-29"
LUCIA = "lucia.hernandez@oncomonterrey.example.org"


def invite(client, **fields):
    data = {
        "name": "Lucía Hernández",
        "email": LUCIA,
        "organization_id": "",
        "roles": ["participant"],
        "locale": "es",
    }
    data.update(fields)
    return post_form(client, "/admin/users/new", data, token_from="/admin/users/new")


def accept(client, path, **fields):
    data = {
        "name": "Lucía Hernández",
        "timezone": "America/Monterrey",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    data.update(fields)
    return post_form(client, path, data, token_from=path)


def test_invite_form_offers_active_organizations_roles_and_languages(admin_client, monterrey):
    html = text_of(admin_client.get("/admin/users/new"))
    assert "Centro Oncológico de Monterrey" in html
    for value in ("admin", "faculty", "coach", "participant", "licensee"):
        assert f'value="{value}"' in html
    assert 'value="es"' in html and 'value="pt_BR"' in html


def test_invite_creates_the_invitation_sends_one_spanish_email_and_is_audited(
    app, admin_client, session, admin, monterrey, outbox
):
    response = invite(
        admin_client,
        organization_id=str(monterrey.id),
        roles=["participant", "coach"],
        email="Lucia.Hernandez@OncoMonterrey.example.org",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    follow = text_of(admin_client.get("/admin/users"))
    assert f"Invitation sent to {LUCIA}." in follow
    assert "Lucía Hernández" in follow  # listed among the open invitations

    [invitation] = invitations(session)
    assert invitation.email == LUCIA
    assert invitation.name == "Lucía Hernández"
    assert invitation.roles == ["coach", "participant"]
    assert invitation.organization_id == monterrey.id
    assert invitation.locale == "es"
    assert invitation.invited_by_id == admin.id
    assert invitation.accepted_at is None and invitation.revoked_at is None
    assert session.scalar(select(func.count(User.id))) == 1  # no account before acceptance

    assert len(outbox) == 1
    mail = outbox[0]
    assert mail.to == LUCIA
    with app.test_request_context(), force_locale("es"):
        spanish_subject = gettext("You are invited to the Quality Training Program")
    assert mail.subject == spanish_subject
    assert "Lucía Hernández" in mail.body
    assert invitation_path(mail).startswith("/invitation/")

    [event] = events(session, "invitation.created")
    assert event.actor_id == admin.id
    assert event.object_type == "invitations"
    assert event.object_id == str(invitation.id)
    assert event.summary == LUCIA
    assert event.details == {"roles": ["coach", "participant"], "organization_id": monterrey.id, "locale": "es"}


def test_inviting_an_existing_account_is_refused_and_creates_nothing(admin_client, session, outbox):
    make_user(session, "sarah.mitchell@lakeside-onc.example.com", roles=["faculty"], name="Sarah Mitchell")
    response = invite(admin_client, email="Sarah.Mitchell@lakeside-onc.example.com", name="Sarah Mitchell")
    assert response.status_code == 400
    html = text_of(response)
    assert field_error(html, "email") == "An account with this e-mail address already exists."
    assert invitations(session) == []
    assert outbox == []
    assert events(session, "invitation.created") == []


def test_a_second_pending_invitation_to_the_same_address_is_refused(admin_client, session, outbox):
    assert invite(admin_client).status_code == 302
    response = invite(admin_client, email=LUCIA.upper(), roles=["faculty"])
    assert response.status_code == 400
    assert "This address already has a pending invitation." in field_error(text_of(response), "email")
    assert len(invitations(session)) == 1
    assert invitations(session)[0].roles == ["participant"]
    assert len(outbox) == 1
    assert len(events(session, "invitation.created")) == 1


def test_invalid_email_gets_a_field_message_and_creates_nothing(admin_client, session, outbox):
    response = invite(admin_client, email="lucia.hernandez-at-oncomonterrey")
    assert response.status_code == 400
    html = text_of(response)
    assert field_error(html, "email") == "Please enter a valid e-mail address."
    assert "Please correct the fields marked below." in html
    assert invitations(session) == []
    assert outbox == []


def test_missing_name_and_unknown_role_are_refused(admin_client, session, outbox):
    response = invite(admin_client, name="", roles=["superuser"])
    assert response.status_code == 400
    html = text_of(response)
    assert field_error(html, "name") == "Please enter a name."
    assert field_error(html, "roles")
    assert invitations(session) == []
    assert outbox == []


def test_inactive_organization_cannot_be_chosen(admin_client, session, recife, outbox):
    recife.is_active = False
    session.commit()
    response = invite(admin_client, organization_id=str(recife.id))
    assert response.status_code == 400
    assert invitations(session) == []
    assert outbox == []


def test_resend_sends_a_new_email_and_the_old_link_stops_working(app, admin_client, session, admin, outbox):
    invite(admin_client)
    old_path = invitation_path(outbox[0])
    [invitation] = invitations(session)

    response = post_form(admin_client, f"/admin/invitations/{invitation.id}/resend", token_from="/admin/users")
    assert response.status_code == 302
    assert f"Invitation sent again to {LUCIA}." in text_of(admin_client.get("/admin/users"))

    assert len(outbox) == 2
    assert outbox[1].to == LUCIA
    assert outbox[1].subject == outbox[0].subject  # still in Spanish
    new_path = invitation_path(outbox[1])
    assert new_path != old_path

    visitor = app.test_client()
    old = visitor.get(old_path)
    assert old.status_code == 404
    assert "This link no longer works" in text_of(old)
    assert visitor.get(new_path).status_code == 200

    [event] = events(session, "invitation.resent")
    assert event.actor_id == admin.id
    assert event.object_id == str(invitation.id)
    assert event.summary == LUCIA


def test_revoke_makes_the_link_answer_404(app, admin_client, session, admin, outbox):
    invite(admin_client)
    path = invitation_path(outbox[0])
    [invitation] = invitations(session)
    assert app.test_client().get(path).status_code == 200

    response = post_form(admin_client, f"/admin/invitations/{invitation.id}/revoke", token_from="/admin/users")
    assert response.status_code == 302
    assert f"Invitation to {LUCIA} revoked." in text_of(admin_client.get("/admin/users"))

    page = app.test_client().get(path)
    assert page.status_code == 404
    assert "This link no longer works" in text_of(page)
    # posting the form does not create the account either
    assert app.test_client().post(path, data={"name": "x"}).status_code in (400, 404)
    assert user_by_email(session, LUCIA) is None

    [invitation] = invitations(session)
    assert invitation.revoked_at is not None
    [event] = events(session, "invitation.revoked")
    assert event.actor_id == admin.id
    assert event.object_id == str(invitation.id)

    # a revoked invitation cannot be revoked again or resent
    post_form(admin_client, f"/admin/invitations/{invitation.id}/resend", token_from="/admin/users")
    assert len(outbox) == 1
    assert events(session, "invitation.resent") == []


def test_accepting_creates_the_account_with_invited_roles_and_organization(
    app, admin_client, session, monterrey, outbox
):
    invite(admin_client, organization_id=str(monterrey.id), roles=["participant", "coach"])
    path = invitation_path(outbox[0])

    browser = app.test_client()
    page = browser.get(path)
    assert page.status_code == 200
    assert LUCIA in text_of(page)
    assert 'value="Lucía Hernández"' in text_of(page)

    response = accept(browser, path, name="Lucía Hernández Garza")
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    home = browser.get("/home")
    assert home.status_code == 200
    assert "<h1>" in text_of(home) and "Lucía Hernández Garza" in text_of(home)
    assert '<html lang="es">' in text_of(home)  # the invitation's language became the account's

    user = user_by_email(session, LUCIA)
    assert user is not None
    assert user.name == "Lucía Hernández Garza"
    assert sorted(r.role for r in user.roles) == ["coach", "participant"]
    assert user.organization_id == monterrey.id
    assert user.locale == "es"
    assert user.timezone == "America/Monterrey"
    assert user.is_active

    [invitation] = invitations(session)
    assert invitation.accepted_at is not None
    assert invitation.user_id == user.id
    assert [e.object_id for e in events(session, "invitation.accepted")] == [str(invitation.id)]

    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "This link no longer works" in text_of(again)
    assert session.scalar(select(func.count(User.id)).where(User.email == LUCIA)) == 1

    # the new account signs in with the chosen password
    assert login(app.test_client(), LUCIA, NEW_PASSWORD).status_code == 302


def test_accepting_with_a_weak_or_mismatched_password_keeps_the_link_usable(app, admin_client, session, outbox):
    invite(admin_client)
    path = invitation_path(outbox[0])
    browser = app.test_client()
    assert accept(browser, path, password="short", confirm="short").status_code == 400
    assert accept(browser, path, confirm="harbour-quince-lattice-ember-30").status_code == 400
    assert user_by_email(session, LUCIA) is None
    assert accept(browser, path).status_code == 302
    assert user_by_email(session, LUCIA) is not None


def test_extra_fields_on_the_invite_form_change_nothing(app, admin_client, session, admin, outbox):
    response = invite(
        admin_client,
        roles=["participant"],
        is_admin="1",
        role="admin",
        is_active="0",
        password_hash="x",
        session_token="x",
        id="999",
        invited_by_id="999",
        token_hash="0" * 64,
        accepted_at="2026-01-01",
    )
    assert response.status_code == 302
    [invitation] = invitations(session)
    assert invitation.id != 999
    assert invitation.roles == ["participant"]
    assert invitation.invited_by_id == admin.id
    assert invitation.token_hash != "0" * 64
    assert invitation.accepted_at is None
    assert session.get(Invitation, 999) is None
    assert session.get(User, 999) is None

    path = invitation_path(outbox[0])
    assert accept(app.test_client(), path).status_code == 302
    user = user_by_email(session, LUCIA)
    assert [r.role for r in user.roles] == ["participant"]
    assert user.is_active is True
    assert user.id != 999
    assert user.password_hash != "x" and user.session_token != "x"
