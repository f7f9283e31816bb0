"""Licences through the admin pages: terms checked and audited, named seats given, invited, limited and
freed; the seat holder sees their licences and nothing else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from qtp.accounts.models import Invitation, User
from qtp.core.audit import AuditEvent
from qtp.core.service import ServiceError
from qtp.licensing import services
from qtp.licensing.models import Bundle, License, LicenseSeat
from tests.factories import make_organization, make_user
from tests.helpers import login, logout, post_form, text_of


def today_utc() -> date:
    return datetime.now(UTC).date()


@pytest.fixture
def licensee_org(session):
    return make_organization(session, "Fundación Oncológica del Sur", kind="licensee", country="AR", city="Rosario")


@pytest.fixture
def admin_client(client, session):
    admin = make_user(session, roles=["admin"], name="Ada Admin")
    login(client, admin.email)
    client.admin = admin
    return client


def terms(org_id: int, **overrides) -> dict:
    today = today_utc()
    values = {
        "organization_id": str(org_id),
        "product": "six_month",
        "locales": ["en", "es"],
        "territory": ["AR", "UY"],
        "starts_on": (today - timedelta(days=10)).isoformat(),
        "ends_on": (today + timedelta(days=355)).isoformat(),
        "seats": "2",
        "status": "active",
        "notes": "Signed in Buenos Aires.",
    }
    return values | overrides


def create(client, org_id: int, **overrides):
    return post_form(client, "/admin/licenses/new", terms(org_id, **overrides), token_from="/admin/licenses/new")


def forms_terms(org_id: int) -> services.LicenseTerms:
    today = today_utc()
    return services.LicenseTerms(org_id, "six_month", ["en"], ["AR"], today, today + timedelta(days=30), 1)


def test_an_admin_creates_a_licence_and_every_term_is_checked(app, admin_client, session, licensee_org):
    practice = make_organization(session, "Clínica Norte", kind="practice", country="AR")
    refusals = {
        "Choose at least one language of the content.": {"locales": []},
        "Choose at least one country where the content may be used.": {"territory": []},
        "The licence cannot end before it starts.": {"ends_on": "2020-01-01"},
        "A licence has from 1 to 500 named seats.": {"seats": "0"},
        "Not a valid choice": {"product": "everything"},
    }
    for message, change in refusals.items():
        response = create(admin_client, licensee_org.id, **change)
        assert response.status_code == 400, message
        assert message in text_of(response)
    assert create(admin_client, licensee_org.id, organization_id=str(practice.id)).status_code == 400
    with app.test_request_context(), pytest.raises(ServiceError, match="Choose an active licensee institution"):
        services.create_license(session, admin_client.admin, forms_terms(practice.id))
    assert session.query(License).count() == 0

    response = create(admin_client, licensee_org.id)
    assert response.status_code == 302
    licence = session.query(License).one()
    assert licence.number == f"QTP-L-{today_utc().year}-0001"
    assert (licence.locales, licence.territory, licence.seats) == (["en", "es"], ["AR", "UY"], 2)
    event = session.query(AuditEvent).filter_by(action="license.created").one()
    assert event.details["product"] == "six_month" and event.actor_id == admin_client.admin.id
    page = text_of(admin_client.get(f"/admin/licenses/{licence.id}"))
    assert "Argentina, Uruguay" in page and "Six-month QTP content" in page and "days left" in page
    listing = text_of(admin_client.get("/admin/licenses?state=active"))
    assert licence.number in listing
    assert licence.number not in text_of(admin_client.get("/admin/licenses?state=expired"))


def test_seats_are_given_invited_limited_and_freed(app, admin_client, session, licensee_org, outbox):
    create(admin_client, licensee_org.id)
    licence = session.query(License).one()
    page = f"/admin/licenses/{licence.id}"
    holder = make_user(session, "ines@fos.example.org", name="Inés Paz", roles=[])
    given = post_form(
        admin_client, f"{page}/seats", {"name": "Inés Paz", "email": holder.email, "locale": "es"}, token_from=page
    )
    assert given.status_code == 302
    session.refresh(holder)
    assert holder.has_role("licensee"), "a seat makes its holder a licensee"
    again = post_form(
        admin_client, f"{page}/seats", {"name": "Inés Paz", "email": holder.email, "locale": "es"}, token_from=page
    )
    assert again.status_code == 400 and "already holds a seat" in text_of(again)

    invited = post_form(
        admin_client,
        f"{page}/seats",
        {"name": "Bruno Díaz", "email": "bruno@fos.example.org", "locale": "es"},
        token_from=page,
    )
    assert invited.status_code == 302
    invitation = session.query(Invitation).filter_by(email="bruno@fos.example.org").one()
    assert invitation.license_id == licence.id and invitation.roles == ["licensee"]

    full = post_form(
        admin_client,
        f"{page}/seats",
        {"name": "Third", "email": "third@fos.example.org", "locale": "en"},
        token_from=page,
    )
    assert full.status_code == 400 and "Every seat of this licence is taken" in text_of(full)
    assert "Third" in text_of(full), "what the admin typed is still in the form"
    lower = post_form(admin_client, page, terms(licensee_org.id, seats="1"), token_from=page)
    assert lower.status_code == 400 and "2 seats are taken or promised by an invitation" in text_of(lower)

    seat = session.query(LicenseSeat).filter_by(user_id=holder.id).one()
    freed = post_form(admin_client, f"{page}/seats/{seat.id}/free", token_from=page)
    assert freed.status_code == 302
    session.refresh(seat)
    assert seat.freed_at is not None and seat.freed_by_id == admin_client.admin.id
    room = post_form(
        admin_client,
        f"{page}/seats",
        {"name": "Third", "email": "third@fos.example.org", "locale": "en"},
        token_from=page,
    )
    assert room.status_code == 302, "a freed seat can be given again"
    actions = {e.action for e in session.query(AuditEvent)}
    assert {"license.seat_given", "license.seat_invited", "license.seat_freed"} <= actions


def test_an_invitation_to_a_seat_takes_it_when_accepted(app, admin_client, session, licensee_org, outbox):
    create(admin_client, licensee_org.id)
    licence = session.query(License).one()
    page = f"/admin/licenses/{licence.id}"
    post_form(
        admin_client,
        f"{page}/seats",
        {"name": "Bruno Díaz", "email": "bruno@fos.example.org", "locale": "es"},
        token_from=page,
    )
    link = next(m for m in outbox if m.to == "bruno@fos.example.org").body
    path = link[link.index("/invitation/") :].split()[0]
    logout(admin_client)
    accepted = post_form(
        admin_client,
        path,
        {
            "name": "Bruno Díaz",
            "password": "una clave larga y segura 2026",
            "confirm": "una clave larga y segura 2026",
            "timezone": "America/Argentina/Buenos_Aires",
        },
        token_from=path,
    )
    assert accepted.status_code == 302, text_of(accepted)
    bruno = session.query(User).filter_by(email="bruno@fos.example.org").one()
    assert session.query(LicenseSeat).filter_by(user_id=bruno.id, license_id=licence.id).count() == 1
    mine = text_of(admin_client.get("/licenses"))
    assert licence.number in mine and "Argentina" in mine


def test_a_seat_holder_sees_only_their_licences(app, client, session, licensee_org):
    holder = make_user(session, roles=["licensee"], locale="en")
    other = make_user(session, roles=["licensee"])
    today = today_utc()
    mine = License(
        number="QTP-L-2025-0009",
        organization=licensee_org,
        product="one_day",
        locales=["es"],
        territory=["AR"],
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=35),
        seats=1,
    )
    theirs = License(
        number="QTP-L-2026-0042",
        organization=licensee_org,
        product="six_month",
        locales=["en"],
        territory=["AR"],
        starts_on=today,
        ends_on=today + timedelta(days=30),
        seats=1,
    )
    session.add_all([mine, theirs])
    session.flush()
    session.add_all(
        [LicenseSeat(license_id=mine.id, user_id=holder.id), LicenseSeat(license_id=theirs.id, user_id=other.id)]
    )
    session.commit()
    login(client, holder.email)
    page = text_of(client.get("/licenses"))
    assert "QTP-L-2025-0009" in page and "QTP-L-2026-0042" not in page
    assert "its content can no longer be downloaded" in page
    assert "Not built yet" in page
    session.add(
        Bundle(
            product="one_day",
            locale="es",
            content_version="v1",
            manifest={"files": [{"path": "a.pdf", "size": 2_500_000, "sha256": "0" * 64}]},
            size=2_500_000,
            built_at=datetime(2026, 11, 30, tzinfo=UTC),
        )
    )
    session.commit()
    page = text_of(client.get("/licenses"))
    assert "1 file · 2.4 MB · built on Nov 30, 2026" in " ".join(page.split())
    assert "QTP-L-2025-0009" in text_of(client.get("/home"))
    assert client.get("/admin/licenses").status_code == 403
    assert client.get(f"/admin/licenses/{mine.id}").status_code == 403


def test_the_licence_pages_run_a_fixed_number_of_statements(admin_client, session, licensee_org, sql_statements):
    def add(count: int) -> None:
        start = session.query(License).count()
        for n in range(start, start + count):
            licence = License(
                number=f"QTP-L-2026-{n + 100:04d}",
                organization=licensee_org,
                product="one_day",
                locales=["es"],
                territory=["AR"],
                starts_on=today_utc(),
                ends_on=today_utc() + timedelta(days=30),
                seats=3,
            )
            session.add(licence)
            session.flush()
            session.add(LicenseSeat(license_id=licence.id, user_id=make_user(session, roles=["licensee"]).id))
        session.commit()

    def count(path: str) -> int:
        sql_statements.clear()
        assert admin_client.get(path).status_code == 200
        return len(sql_statements)

    add(2)
    small = count("/admin/licenses"), count(f"/admin/licenses/{session.query(License).first().id}")
    add(20)
    large = count("/admin/licenses"), count(f"/admin/licenses/{session.query(License).first().id}")
    assert small == large and max(large) <= 12, (small, large)
