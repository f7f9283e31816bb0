"""The admin lists run a fixed number of SQL statements, however many rows they show."""

from __future__ import annotations

import pytest

from qtp.accounts.models import User
from qtp.accounts.services import invite_user
from qtp.core import audit
from tests.factories import make_organization, make_user

BUDGET = 12
COUNTRIES = [("BR", "Recife"), ("MX", "Monterrey"), ("ES", "Valencia"), ("GR", "Thessaloniki"), ("US", "Cleveland")]


def add_people(session, start: int, count: int, org_ids: list[int]) -> None:
    for n in range(start, start + count):
        make_user(
            session,
            f"member{n:03d}@oncology-network.example.org",
            roles=["participant", "coach"] if n % 3 == 0 else ["participant"],
            name=f"Team Member {n:03d}",
            organization_id=org_ids[n % len(org_ids)],
        )


def add_organizations(session, start: int, count: int) -> list[int]:
    ids = []
    for n in range(start, start + count):
        country, city = COUNTRIES[n % len(COUNTRIES)]
        org = make_organization(
            session,
            f"Oncology Practice {n:03d} {city}",
            country=country,
            city=city,
            kind="practice" if n % 4 else "licensee",
        )
        ids.append(org.id)
    return ids


def statements_for(client, session, sql_statements, path: str) -> list[str]:
    session.expunge_all()  # nothing cached from the set-up: the request loads what it shows, as in production
    sql_statements.clear()
    response = client.get(path)
    assert response.status_code == 200
    return list(sql_statements)


@pytest.fixture
def invitations(app, session, admin):
    orgs = add_organizations(session, 900, 2)
    with app.app_context():
        for n in range(3):
            invite_user(
                session,
                admin,
                email=f"invitee{n}@oncovalencia.example.org",
                name=f"Invitee {n}",
                roles=["participant"],
                organization_id=orgs[n % 2],
                locale="es",
            )
        session.commit()


def test_users_list_runs_the_same_statements_for_10_and_60_users(admin_client, session, sql_statements, invitations):
    orgs = add_organizations(session, 0, 5)
    add_people(session, 0, 10, orgs)
    small = statements_for(admin_client, session, sql_statements, "/admin/users")
    add_people(session, 10, 50, orgs)
    large = statements_for(admin_client, session, sql_statements, "/admin/users")
    assert len(small) == len(large), "\n\n".join(large)
    assert len(large) <= BUDGET, "\n\n".join(large)


def test_filtered_users_list_runs_the_same_statements(admin_client, session, sql_statements):
    orgs = add_organizations(session, 0, 5)
    add_people(session, 0, 10, orgs)
    small = statements_for(
        admin_client, session, sql_statements, "/admin/users?q=member&role=participant&status=active"
    )
    add_people(session, 10, 50, orgs)
    large = statements_for(
        admin_client, session, sql_statements, "/admin/users?q=member&role=participant&status=active"
    )
    assert len(small) == len(large) <= BUDGET, "\n\n".join(large)


def test_organizations_list_runs_the_same_statements_for_10_and_60(admin_client, session, sql_statements):
    orgs = add_organizations(session, 0, 10)
    add_people(session, 0, 10, orgs)
    small = statements_for(admin_client, session, sql_statements, "/admin/organizations")
    more = add_organizations(session, 10, 50)
    add_people(session, 10, 50, more)
    large = statements_for(admin_client, session, sql_statements, "/admin/organizations")
    assert len(small) == len(large), "\n\n".join(large)
    assert len(large) <= BUDGET, "\n\n".join(large)


def test_audit_log_runs_the_same_statements_for_few_and_many_actors(admin_client, session, sql_statements):
    orgs = add_organizations(session, 0, 5)
    add_people(session, 0, 10, orgs)  # each make_user is saved; signing in records events
    small = statements_for(admin_client, session, sql_statements, "/admin/audit")
    for user in session.query(User).all():
        audit.record(session, user, "account.profile_updated", user, summary=user.email)
    session.commit()
    large = statements_for(admin_client, session, sql_statements, "/admin/audit")
    assert len(small) == len(large) <= BUDGET, "\n\n".join(large)
