"""The users list: filters by text, role and status, and pagination (25 per page)."""

from __future__ import annotations

import re

from tests.factories import make_organization, make_user
from tests.helpers import text_of

FIRST_NAMES = [
    "Adriana",
    "Beatriz",
    "Camila",
    "Daniela",
    "Eduardo",
    "Fernanda",
    "Gabriel",
    "Helena",
    "Isabela",
    "Javier",
    "Katerina",
    "Leonardo",
    "Marisol",
    "Nikolaos",
    "Olivia",
    "Pedro",
    "Quintin",
    "Rodrigo",
    "Sofia",
    "Tomas",
    "Ursula",
    "Valeria",
    "Walter",
    "Ximena",
    "Yannis",
    "Zoe",
    "Alejandro",
    "Bruno",
    "Carolina",
    "Dimitra",
]
SURNAMES = ["Almeida", "Castillo", "Georgiou", "Mitchell", "Navarro", "Oliveira"]


def listed_names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/admin/users/\d+">([^<]*)</a></td>', html)


def seed_people(session):
    recife = make_organization(session, "Hospital de Câncer de Pernambuco", country="BR", city="Recife")
    cleveland = make_organization(session, "Lakeside Oncology Associates", country="US", city="Cleveland")
    people = {
        "ana": make_user(
            session,
            "ana.ribeiro@hcp-recife.example.org",
            roles=["participant"],
            name="Ana Ribeiro",
            organization_id=recife.id,
        ),
        "joao": make_user(
            session,
            "joao.carvalho@hcp-recife.example.org",
            roles=["participant", "coach"],
            name="João Carvalho",
            organization_id=recife.id,
        ),
        "sarah": make_user(
            session,
            "sarah.mitchell@lakeside-onc.example.com",
            roles=["faculty"],
            name="Sarah Mitchell",
            organization_id=cleveland.id,
        ),
        "carmen": make_user(
            session, "c.navarro@oncovalencia.example.org", roles=["licensee"], name="Carmen Navarro", is_active=False
        ),
    }
    return people


def test_admin_sees_users_with_organization_and_roles(admin_client, session):
    seed_people(session)
    response = admin_client.get("/admin/users")
    assert response.status_code == 200
    html = text_of(response)
    assert set(listed_names(html)) == {
        "Ana Ribeiro",
        "João Carvalho",
        "Sarah Mitchell",
        "Carmen Navarro",
        "Eleni Papadopoulou",
    }
    assert "sarah.mitchell@lakeside-onc.example.com" in html
    assert "Lakeside Oncology Associates" in html
    assert "Improvement coach" in html and "Faculty" in html
    assert "5 users" in html


def test_text_filter_matches_name_or_email_case_insensitively(admin_client, session):
    seed_people(session)
    assert listed_names(text_of(admin_client.get("/admin/users?q=ribeiro"))) == ["Ana Ribeiro"]
    assert listed_names(text_of(admin_client.get("/admin/users?q=MITCHELL"))) == ["Sarah Mitchell"]
    # by e-mail address: the practice's domain finds both of its people, and nobody else
    assert listed_names(text_of(admin_client.get("/admin/users?q=hcp-recife"))) == ["Ana Ribeiro", "João Carvalho"]
    assert listed_names(text_of(admin_client.get("/admin/users?q=c.navarro@"))) == ["Carmen Navarro"]
    empty = text_of(admin_client.get("/admin/users?q=nobody-by-that-name"))
    assert listed_names(empty) == []
    assert "No user matches these filters." in empty


def test_text_filter_ignores_case_of_accented_and_greek_names(admin_client, session):
    make_user(session, "a.alvarez@oncomadrid.example.org", roles=["participant"], name="Álvaro Álvarez")
    make_user(session, "k.papadaki@oncothess.example.org", roles=["participant"], name="Κατερίνα Παπαδάκη")
    # typed in lower case, as people search
    assert listed_names(text_of(admin_client.get("/admin/users?q=álvarez"))) == ["Álvaro Álvarez"]
    assert listed_names(text_of(admin_client.get("/admin/users?q=παπαδάκη"))) == ["Κατερίνα Παπαδάκη"]


def test_role_filter(admin_client, session):
    seed_people(session)
    assert listed_names(text_of(admin_client.get("/admin/users?role=participant"))) == ["Ana Ribeiro", "João Carvalho"]
    assert listed_names(text_of(admin_client.get("/admin/users?role=coach"))) == ["João Carvalho"]
    assert listed_names(text_of(admin_client.get("/admin/users?role=faculty"))) == ["Sarah Mitchell"]
    assert listed_names(text_of(admin_client.get("/admin/users?role=admin"))) == ["Eleni Papadopoulou"]


def test_status_filter(admin_client, session):
    seed_people(session)
    inactive = text_of(admin_client.get("/admin/users?status=inactive"))
    assert listed_names(inactive) == ["Carmen Navarro"]
    assert "Deactivated" in inactive
    active = listed_names(text_of(admin_client.get("/admin/users?status=active")))
    assert "Carmen Navarro" not in active
    assert set(active) == {"Ana Ribeiro", "João Carvalho", "Sarah Mitchell", "Eleni Papadopoulou"}


def test_filters_combine(admin_client, session):
    seed_people(session)
    assert listed_names(text_of(admin_client.get("/admin/users?q=hcp-recife&role=coach&status=active"))) == [
        "João Carvalho"
    ]
    assert listed_names(text_of(admin_client.get("/admin/users?q=navarro&status=active"))) == []


def test_pagination_shows_the_rest_on_page_two(admin_client, session):
    names = [f"{first} {SURNAMES[n % len(SURNAMES)]}" for n, first in enumerate(FIRST_NAMES)]
    for n, name in enumerate(names):
        make_user(session, f"member{n:02d}@oncology-network.example.org", roles=["participant"], name=name)
    everyone = sorted([*names, "Eleni Papadopoulou"])
    assert len(everyone) == 31

    first = text_of(admin_client.get("/admin/users"))
    assert listed_names(first) == everyone[:25]
    assert "Page 1 of 2" in first
    assert 'rel="next"' in first

    second = text_of(admin_client.get("/admin/users?page=2"))
    assert listed_names(second) == everyone[25:]
    assert len(listed_names(second)) == 6
    assert "Page 2 of 2" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "31 users" in second


def test_pagination_keeps_the_filters(admin_client, session):
    for n in range(27):
        make_user(
            session, f"nurse{n:02d}@hcp-recife.example.org", roles=["participant"], name=f"Enfermeira Recife {n:02d}"
        )
    html = text_of(admin_client.get("/admin/users?q=hcp-recife&role=participant"))
    assert re.search(r'href="/admin/users\?[^"]*page=2', html)
    next_link = re.search(r'<a href="([^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    assert "q=hcp-recife" in next_link and "role=participant" in next_link
    assert listed_names(text_of(admin_client.get(next_link))) == ["Enfermeira Recife 25", "Enfermeira Recife 26"]
