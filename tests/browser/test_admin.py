"""The administrator's journey: users, organizations, the audit log, and an invitation accepted by a newcomer."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser


def test_admin_journey(tab: BrowserTab, open_tab, live_server: LiveServer, catalogs: Catalogs) -> None:
    suffix = uuid.uuid4().hex[:6]
    organization = f"Hospital Oncológico de Valparaíso {suffix}"
    invitee_name, invitee_email = "Camila Rojas Fuentes", f"camila.rojas.{suffix}@example.org"
    page = tab.page
    nav = page.locator("nav.main-nav")

    tab.sign_in("admin@example.org", shot="home-admin")

    # Users, filtered by role.
    tab.click(nav.get_by_role("link", name="Users", exact=True), "admin-users")
    assert tab.text("main h1") == "Users"
    assert nav.get_by_role("link", name="Users", exact=True).get_attribute("aria-current") == "page"
    page.get_by_label("Role").select_option(label="Licensee")
    tab.click(page.locator("form.filters button[type=submit]"), "admin-users-licensees")
    assert "role=licensee" in page.url
    names = [n.strip() for n in page.locator("main table").first.locator("tbody td:first-child").all_inner_texts()]
    assert names == ["Carmen Villanueva", "Tomás Aravena Rojas"], names  # the demo licensees

    # One user's page.
    tab.click(page.get_by_role("link", name="Carmen Villanueva"), "admin-user-edit")
    assert tab.text("main h1") == "Carmen Villanueva"
    assert page.get_by_label("E-mail address").input_value() == "licensee@example.org"
    assert page.get_by_role("checkbox", name="Licensee").is_checked()
    assert not page.get_by_role("checkbox", name="Administrator").is_checked()

    # A new organization.
    tab.click(nav.get_by_role("link", name="Organizations", exact=True), "admin-organizations")
    assert tab.text("main h1") == "Organizations"
    tab.click(page.get_by_role("link", name="New organization"), "admin-organization-new")
    page.get_by_label("Name").fill(organization)
    page.get_by_label("Kind").select_option(label="Oncology practice")
    page.get_by_label("Country").select_option(label="Chile")
    page.get_by_label("City").fill("Valparaíso")
    tab.submit("admin-organization-created")
    assert page.url == f"{tab.base_url}/admin/organizations"
    assert tab.text(".flash[role=status]") == f"Organization {organization} created."
    row = page.locator("main table tbody tr", has=page.get_by_role("link", name=organization))
    assert row.count() == 1
    assert "Valparaíso, Chile" in row.inner_text()
    assert "Oncology practice" in row.inner_text()

    # The audit log records it.
    tab.click(nav.get_by_role("link", name="Audit log", exact=True), "admin-audit-log")
    assert tab.text("main h1") == "Audit log"
    event = page.locator("main table.audit tbody tr", has=page.locator("code", has_text="organization.created")).filter(
        has_text=organization
    )
    assert event.count() == 1
    assert "Margaret Okafor" in event.inner_text()

    # Invite somebody to the new organization, in Brazilian Portuguese.
    tab.click(nav.get_by_role("link", name="Users", exact=True))
    tab.click(page.locator("main").get_by_role("link", name="Invite a user"), "admin-user-invite")
    page.get_by_label("Full name").fill(invitee_name)
    page.get_by_label("E-mail address").fill(invitee_email)
    page.get_by_label("Organization").select_option(label=organization)
    page.get_by_role("checkbox", name="Participant").check()
    page.get_by_label("Language of the invitation").select_option(label="Português (Brasil)")
    tab.submit("admin-users-invited")
    assert page.url == f"{tab.base_url}/admin/users"
    assert tab.text(".flash[role=status]") == f"Invitation sent to {invitee_email}."
    invitations = page.locator("main table").filter(has=page.locator("th", has_text="Expires"))
    invited = invitations.locator("tbody tr", has_text=invitee_email)
    assert invited.count() == 1
    assert invitee_name in invited.inner_text() and "Participant" in invited.inner_text()

    mail = live_server.mail_to(invitee_email)
    assert mail.subject == catalogs.text("pt_BR", "You are invited to the Quality Training Program")
    link = live_server.link_in_mail(invitee_email, "invitation")

    # The newcomer, in a browser of their own, creates the account.
    newcomer = open_tab()
    newcomer.goto(link, "invitation-accept")
    assert newcomer.text("main h1") == "Welcome to the Quality Training Program"
    assert invitee_email in newcomer.text("main .lead")
    form = newcomer.page
    assert form.get_by_label("Your full name").input_value() == invitee_name
    form.get_by_label("Time zone").select_option("America/Santiago")
    form.get_by_label("New password", exact=True).fill("harbour-lantern-violet-sextant-7")
    form.get_by_label("Repeat the new password").fill("harbour-lantern-violet-sextant-7")
    newcomer.submit("invitation-accepted-home")
    assert form.url == f"{newcomer.base_url}/home"
    assert newcomer.html_lang() == "pt-BR", "the invitation's language becomes the account's preference"
    assert newcomer.text("main h1") == catalogs.text("pt_BR", "Welcome, %(name)s", name=invitee_name)
    welcome = newcomer.text(".flash[role=status]")
    assert welcome in (
        "Welcome to the Quality Training Program! Your account is ready.",
        catalogs.text("pt_BR", "Welcome to the Quality Training Program! Your account is ready."),
    )
    assert form.locator("nav.main-nav a[href='/account/profile']").inner_text().strip() == invitee_name

    # Back with the administrator: the invitation has become an account and is no longer open.
    tab.goto("/admin/users?q=" + invitee_email, "admin-users-after-acceptance")
    users = page.locator("main table").first
    assert users.get_by_role("link", name=invitee_name).count() == 1
    open_invitations = page.locator("main table").filter(has=page.locator("th", has_text="Expires"))
    assert open_invitations.locator("tbody tr", has_text=invitee_email).count() == 0


def test_audit_log_shows_no_placeholder_for_events_without_an_object_id(tab: BrowserTab) -> None:
    """The demo loader records `demo.loaded` on ("demo", None): the Object cell must not read "demo #None"."""
    tab.sign_in("admin@example.org", shot="home-admin")
    tab.goto("/admin/audit?action=demo.loaded", "admin-audit-log-demo-loaded")
    row = tab.page.locator("main table.audit tbody tr", has=tab.page.locator("code", has_text="demo.loaded"))
    assert row.count() == 1
    object_cell = " ".join(row.locator("td").nth(3).inner_text().split())
    assert "None" not in object_cell, f"the audit log shows Python's None to the reader: {object_cell!r}"


def test_invitation_welcome_message_is_in_the_account_language(
    tab: BrowserTab, live_server: LiveServer, catalogs: Catalogs
) -> None:
    """After accepting a pt_BR invitation the home page is in Portuguese; so must be its welcome message."""
    email = f"joao.pereira.{uuid.uuid4().hex[:6]}@example.org"
    link = live_server.invite(email, "João Pereira", ["participant"], locale="pt_BR")
    tab.goto(link, "invitation-accept-pt_BR-invitee")
    tab.page.get_by_label("New password", exact=True).fill("harbour-lantern-violet-sextant-7")
    tab.page.get_by_label("Repeat the new password").fill("harbour-lantern-violet-sextant-7")
    tab.submit("invitation-accepted-home-pt_BR")
    assert tab.html_lang() == "pt-BR"
    expected = catalogs.text("pt_BR", "Welcome to the Quality Training Program! Your account is ready.")
    assert tab.text(".flash[role=status]") == expected, (
        "the welcome message is in the anonymous visitor's language (English), not in the new account's "
        "language like the rest of the page"
    )
