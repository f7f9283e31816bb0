"""Organizations: creating, validating, editing, deactivating, filtering, localized country names."""

from __future__ import annotations

import re

from qtp.accounts.models import Organization
from tests.factories import make_organization, make_user
from tests.helpers import post_form, text_of

from .support import events, field_error, organization_named


def create(client, **fields):
    data = {"name": "Centro Estatal de Cancerología de Puebla", "kind": "practice", "country": "MX", "city": "Puebla"}
    data.update(fields)
    return post_form(client, "/admin/organizations/new", data, token_from="/admin/organizations/new")


def save(client, org_id, **fields):
    return post_form(client, f"/admin/organizations/{org_id}", fields, token_from=f"/admin/organizations/{org_id}")


def set_active(client, org_id, active: str):
    return post_form(
        client, f"/admin/organizations/{org_id}/active", {"active": active}, token_from=f"/admin/organizations/{org_id}"
    )


def listed(html: str) -> list[str]:
    return re.findall(r'<td><a href="/admin/organizations/\d+">([^<]*)</a></td>', html)


def seed(session):
    make_organization(session, "Hospital de Câncer de Pernambuco", kind="practice", country="BR", city="Recife")
    make_organization(session, "Centro Oncológico de Monterrey", kind="practice", country="MX", city="Monterrey")
    make_organization(session, "Instituto Valenciano de Oncología", kind="licensee", country="ES", city="Valencia")
    make_organization(session, "Athens Oncology Program Office", kind="program", country="GR", city="Athens")
    make_organization(
        session, "Lakeside Oncology Associates", kind="practice", country="US", city="Cleveland", is_active=False
    )


def test_create_organization(admin_client, session, admin):
    response = create(admin_client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/organizations"
    html = text_of(admin_client.get("/admin/organizations"))
    assert "Organization Centro Estatal de Cancerología de Puebla created." in html
    assert "Puebla, Mexico" in html

    org = organization_named(session, "Centro Estatal de Cancerología de Puebla")
    assert (org.kind, org.country, org.city, org.is_active) == ("practice", "MX", "Puebla", True)
    [event] = events(session, "organization.created")
    assert event.actor_id == admin.id
    assert event.object_type == "organizations" and event.object_id == str(org.id)
    assert event.summary == "Centro Estatal de Cancerología de Puebla"
    assert event.details == {"kind": "practice", "country": "MX", "city": "Puebla"}


def test_duplicate_name_is_refused_ignoring_case(admin_client, session):
    make_organization(session, "Lakeside Oncology Associates", country="US", city="Cleveland")
    response = create(admin_client, name="  LAKESIDE oncology associates ", country="US", city="Akron")
    assert response.status_code == 400
    assert field_error(text_of(response), "name") == "Another organization already has this name."
    assert session.query(Organization).count() == 1
    assert events(session, "organization.created") == []


def test_duplicate_accented_name_is_refused_ignoring_case(admin_client, session):
    make_organization(session, "Clínica Oncológica São Paulo", country="BR", city="São Paulo")
    response = create(admin_client, name="CLÍNICA ONCOLÓGICA SÃO PAULO", country="BR", city="Campinas")
    assert response.status_code == 400
    assert field_error(text_of(response), "name") == "Another organization already has this name."
    assert session.query(Organization).count() == 1


def test_duplicate_greek_name_is_refused_with_a_message(admin_client, session):
    make_organization(session, "Ογκολογικό Κέντρο Θεσσαλονίκης", country="GR", city="Thessaloniki")
    for clash in ("Ογκολογικό Κέντρο Θεσσαλονίκης", "ογκολογικό κέντρο θεσσαλονίκης"):
        response = create(admin_client, name=clash, country="GR", city="Thessaloniki")
        assert response.status_code == 400, clash
        assert field_error(text_of(response), "name") == "Another organization already has this name."
    assert session.query(Organization).count() == 1


def test_unknown_country_and_missing_name_are_refused(admin_client, session):
    response = create(admin_client, country="ZZ")
    assert response.status_code == 400
    assert field_error(text_of(response), "country")
    response = create(admin_client, name="", country="BR")
    assert response.status_code == 400
    assert field_error(text_of(response), "name") == "Please enter the organization's name."
    response = create(admin_client, kind="hospital")
    assert response.status_code == 400
    assert field_error(text_of(response), "kind")
    assert session.query(Organization).count() == 0
    assert {e.action for e in events(session)} == {"account.signed_in"}  # nothing but the sign-in


def test_edit_organization_is_saved_and_audited(admin_client, session, admin, monterrey):
    page = text_of(admin_client.get(f"/admin/organizations/{monterrey.id}"))
    assert 'value="Centro Oncológico de Monterrey"' in page
    assert '<option selected value="MX">' in page

    response = save(
        admin_client,
        monterrey.id,
        name="Centro Oncológico del Noreste",
        kind="licensee",
        country="MX",
        city="San Pedro Garza García",
    )
    assert response.status_code == 302
    assert "Organization Centro Oncológico del Noreste saved." in text_of(admin_client.get("/admin/organizations"))
    session.expire_all()
    org = session.get(Organization, monterrey.id)
    assert (org.name, org.kind, org.country, org.city) == (
        "Centro Oncológico del Noreste",
        "licensee",
        "MX",
        "San Pedro Garza García",
    )
    [event] = events(session, "organization.updated")
    assert event.actor_id == admin.id and event.object_id == str(monterrey.id)
    assert event.details == {
        "name": {"from": "Centro Oncológico de Monterrey", "to": "Centro Oncológico del Noreste"},
        "kind": {"from": "practice", "to": "licensee"},
        "city": {"from": "Monterrey", "to": "San Pedro Garza García"},
    }


def test_editing_to_the_name_of_another_organization_is_refused(admin_client, session, monterrey, recife):
    response = save(
        admin_client,
        monterrey.id,
        name="instituto de oncologia do recife",
        kind="practice",
        country="MX",
        city="Monterrey",
    )
    assert response.status_code == 400
    assert field_error(text_of(response), "name") == "Another organization already has this name."
    session.expire_all()
    assert session.get(Organization, monterrey.id).name == "Centro Oncológico de Monterrey"
    # keeping its own name (in another case) is fine
    response = save(
        admin_client,
        monterrey.id,
        name="Centro Oncológico De Monterrey",
        kind="practice",
        country="MX",
        city="Monterrey",
    )
    assert response.status_code == 302


def test_deactivate_and_reactivate(admin_client, session, admin, monterrey):
    response = set_active(admin_client, monterrey.id, "0")
    assert response.status_code == 302
    assert "Organization Centro Oncológico de Monterrey deactivated." in text_of(
        admin_client.get(response.headers["Location"])
    )
    session.expire_all()
    assert session.get(Organization, monterrey.id).is_active is False
    [event] = events(session, "organization.deactivated")
    assert event.actor_id == admin.id and event.object_id == str(monterrey.id)
    assert event.summary == "Centro Oncológico de Monterrey"
    # no longer offered when inviting people
    assert "Centro Oncológico de Monterrey" not in text_of(admin_client.get("/admin/users/new"))

    response = set_active(admin_client, monterrey.id, "1")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Organization, monterrey.id).is_active is True
    assert len(events(session, "organization.reactivated")) == 1
    assert "Centro Oncológico de Monterrey" in text_of(admin_client.get("/admin/users/new"))


def test_list_shows_kind_place_users_and_status(admin_client, session, recife):
    make_user(
        session, "ana.ribeiro@ior.example.org", roles=["participant"], name="Ana Ribeiro", organization_id=recife.id
    )
    make_user(
        session, "joao.carvalho@ior.example.org", roles=["participant"], name="João Carvalho", organization_id=recife.id
    )
    seed(session)
    html = text_of(admin_client.get("/admin/organizations"))
    names = listed(html)
    assert set(names) == {
        "Athens Oncology Program Office",
        "Centro Oncológico de Monterrey",
        "Hospital de Câncer de Pernambuco",
        "Instituto de Oncologia do Recife",
        "Instituto Valenciano de Oncología",
        "Lakeside Oncology Associates",
    }
    assert names[:3] == [
        "Athens Oncology Program Office",
        "Centro Oncológico de Monterrey",
        "Hospital de Câncer de Pernambuco",
    ]  # by name
    assert names[-1] == "Lakeside Oncology Associates"
    row = re.search(r"Instituto de Oncologia do Recife</a></td>(.*?)</tr>", html, re.S).group(1)
    assert "Oncology practice" in row and "Recife, Brazil" in row and '<td class="num">2</td>' in row
    assert "Licensee institution" in html and "Program office" in html
    lakeside = re.search(r"Lakeside Oncology Associates</a></td>(.*?)</tr>", html, re.S).group(1)
    assert "Deactivated" in lakeside and "Cleveland, United States" in lakeside


def test_list_filters(admin_client, session):
    seed(session)
    assert listed(text_of(admin_client.get("/admin/organizations?q=oncológico"))) == ["Centro Oncológico de Monterrey"]
    assert listed(text_of(admin_client.get("/admin/organizations?q=ONCOLOGY"))) == [
        "Athens Oncology Program Office",
        "Lakeside Oncology Associates",
    ]
    assert listed(text_of(admin_client.get("/admin/organizations?kind=licensee"))) == [
        "Instituto Valenciano de Oncología"
    ]
    assert listed(text_of(admin_client.get("/admin/organizations?kind=program"))) == ["Athens Oncology Program Office"]
    assert listed(text_of(admin_client.get("/admin/organizations?status=inactive"))) == ["Lakeside Oncology Associates"]
    assert "Lakeside Oncology Associates" not in listed(text_of(admin_client.get("/admin/organizations?status=active")))
    assert listed(text_of(admin_client.get("/admin/organizations?q=oncology&kind=practice&status=active"))) == []
    assert "No organization matches these filters." in text_of(admin_client.get("/admin/organizations?q=zzz"))


def test_list_shows_country_names_in_the_chosen_language(admin_client, session, monterrey):
    make_organization(session, "Athens Oncology Program Office", kind="program", country="GR", city="Athens")
    english = text_of(admin_client.get("/admin/organizations"))
    assert "Monterrey, Mexico" in english and "Athens, Greece" in english

    response = post_form(
        admin_client, "/language", {"locale": "es", "next": "/admin/organizations"}, token_from="/admin/organizations"
    )
    assert response.status_code == 302
    spanish = text_of(admin_client.get("/admin/organizations"))
    assert '<html lang="es">' in spanish
    assert "Monterrey, México" in spanish and "Athens, Grecia" in spanish
    assert "Mexico" not in spanish
    # the country menu of the form is in Spanish too
    assert '<option value="ES">España</option>' in text_of(admin_client.get("/admin/organizations/new"))


def test_second_page_of_organizations(admin_client, session):
    for n in range(30):
        make_organization(session, f"Clínica Oncológica Regional {n:02d}", country="MX", city="Guadalajara")
    first = admin_client.get("/admin/organizations")
    assert first.status_code == 200
    assert len(listed(text_of(first))) == 25
    second = admin_client.get("/admin/organizations?page=2")
    assert second.status_code == 200
    assert listed(text_of(second)) == [f"Clínica Oncológica Regional {n:02d}" for n in range(25, 30)]
    assert "Page 2 of 2" in text_of(second)
