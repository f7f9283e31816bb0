"""The audit log page: filters by action, actor, object and date range; newest first."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from qtp.core import audit
from tests.factories import make_user
from tests.helpers import text_of


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def history(session, admin):
    """Events of early 2024 by two administrators, with known times."""
    carmen = make_user(session, "carmen.navarro@qtp-office.example.org", roles=["admin"], name="Carmen Navarro")
    sarah, pernambuco = "sarah.mitchell@lakeside-onc.example.com", "Hospital de Câncer de Pernambuco"
    rows = [
        (admin, "organization.created", ("organizations", "11"), pernambuco, utc(2024, 2, 27, 9, 0)),
        (
            admin,
            "invitation.created",
            ("invitations", "5"),
            "ana.ribeiro@hcp-recife.example.org",
            utc(2024, 2, 28, 23, 59, 59),
        ),
        (carmen, "user.updated", ("users", "42"), sarah, utc(2024, 3, 1, 0, 0)),
        (carmen, "user.roles_changed", ("users", "42"), sarah, utc(2024, 3, 15, 12, 30)),
        (
            admin,
            "user.deactivated",
            ("users", "43"),
            "diego.ramirez@oncomonterrey.example.org",
            utc(2024, 3, 31, 23, 59),
        ),
        (carmen, "organization.updated", ("organizations", "11"), pernambuco, utc(2024, 4, 1, 0, 0)),
    ]
    moved = {"city": {"from": "Recife", "to": "Olinda"}}
    for actor, action, obj, summary, at in rows:
        event = audit.record(
            session, actor, action, obj, summary=summary, details=moved if action == "organization.updated" else None
        )
        event.at = at
    session.commit()
    return {"carmen": carmen}


def actions(html: str) -> list[str]:
    return re.findall(r"<code class=\"muted small\">([^<]+)</code></td>", html)


def page(client, query: str = "") -> str:
    response = client.get(f"/admin/audit{query}")
    assert response.status_code == 200, response.status_code
    return text_of(response)


def test_events_are_listed_newest_first(admin_client, history):
    html = page(admin_client)
    assert actions(html) == [
        "account.signed_in",  # the administrator signing in for this test, just now
        "organization.updated",
        "user.deactivated",
        "user.roles_changed",
        "user.updated",
        "invitation.created",
        "organization.created",
    ]
    assert "7 events" in html
    assert "Recife → Olinda" in html
    assert "Carmen Navarro" in html and "carmen.navarro@qtp-office.example.org" in html


def test_filter_by_action(admin_client, history):
    assert actions(page(admin_client, "?action=user.updated")) == ["user.updated"]
    assert actions(page(admin_client, "?action=organization.created")) == ["organization.created"]
    assert actions(page(admin_client, "?action=user.roles_changed")) == ["user.roles_changed"]


def test_filter_by_actor_email(admin_client, history):
    assert actions(page(admin_client, "?actor=carmen.navarro@qtp-office.example.org")) == [
        "organization.updated",
        "user.roles_changed",
        "user.updated",
    ]
    assert actions(page(admin_client, "?actor=CARMEN")) == [
        "organization.updated",
        "user.roles_changed",
        "user.updated",
    ]
    assert actions(page(admin_client, "?actor=eleni&action=organization.created")) == ["organization.created"]
    html = page(admin_client, "?actor=nobody@example.org")
    assert actions(html) == [] and "No event matches these filters." in html


def test_filter_by_object(admin_client, history):
    assert actions(page(admin_client, "?object_type=users&object_id=42")) == ["user.roles_changed", "user.updated"]
    assert actions(page(admin_client, "?object_type=organizations&object_id=11")) == [
        "organization.updated",
        "organization.created",
    ]
    assert actions(page(admin_client, "?object_type=invitations")) == ["invitation.created"]


def test_filter_by_date_range_includes_both_whole_days(admin_client, history):
    assert actions(page(admin_client, "?since=2024-03-01&until=2024-03-31")) == [
        "user.deactivated",
        "user.roles_changed",
        "user.updated",
    ]
    assert actions(page(admin_client, "?until=2024-02-28")) == ["invitation.created", "organization.created"]
    assert actions(page(admin_client, "?since=2024-04-01&until=2024-04-01")) == ["organization.updated"]
    assert actions(page(admin_client, "?since=2024-03-02&until=2024-03-30&actor=carmen")) == ["user.roles_changed"]


@pytest.mark.parametrize("query", ["?since=2024-13-45", "?until=yesterday", "?since=01/03/2024"])
def test_invalid_date_is_400(admin_client, history, query):
    response = admin_client.get(f"/admin/audit{query}")
    assert response.status_code == 400
    assert 'class="error"' in text_of(response)


def test_audit_history_links_from_user_and_organization_pages(admin_client, session, admin, recife):
    joao = make_user(session, "joao.carvalho@hcp-recife.example.org", roles=["participant"], name="João Carvalho")
    user_page = text_of(admin_client.get(f"/admin/users/{joao.id}"))
    assert f"/admin/audit?object_type=users&amp;object_id={joao.id}" in user_page
    org_page = text_of(admin_client.get(f"/admin/organizations/{recife.id}"))
    assert f"/admin/audit?object_type=organizations&amp;object_id={recife.id}" in org_page


def test_second_page_of_a_long_log(admin_client, session, admin):
    for n in range(30):
        summary = f"member{n:02d}@oncology.example.org"
        event = audit.record(session, admin, "user.updated", ("users", str(100 + n)), summary=summary)
        event.at = utc(2024, 5, 1, 8, n)
    session.commit()
    first = admin_client.get("/admin/audit?action=user.updated")
    assert first.status_code == 200
    assert "Page 1 of 2" in text_of(first)
    second = admin_client.get("/admin/audit?action=user.updated&page=2")
    assert second.status_code == 200
    html = text_of(second)
    assert "member04@oncology.example.org" in html and "member00@oncology.example.org" in html
    assert "member05@oncology.example.org" not in html


def test_actions_read_as_sentences_on_the_log_and_the_home_page(admin_client, history):
    html = page(admin_client)
    assert "<td>Signed in<br>" in html and "<td>Deactivated an account<br>" in html
    assert '<option value="user.roles_changed">Changed an account&#39;s roles</option>' in html
    home = text_of(admin_client.get("/home"))
    recent = home[home.index("Recent activity") :]
    assert "Signed in" in recent and "<code>" not in recent.split("</ul>")[0]
