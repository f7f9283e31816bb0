"""The role x route x method matrix: every endpoint of `app.url_map`, every method it accepts, for every role,
with the role's own objects and with foreign ones.

MATRIX has one line per endpoint and method: the path (placeholders name objects of the world in
matrix_world.py) and the status each role gets with the ids of its OWN side (team 1, cohort 1, licence 1...).
Each path with ids is requested again with the FOREIGN side's ids (team 2, cohort 2, licence 2, the other
person's certificate...), and, when it has two or more, MIXED: the first id the role's own, the others foreign
(team 1's URL with team 2's data point). What those answer is derived, not written:

- foreign: the same status for whoever is refused before any object is read (anonymous visitors are sent to sign
  in, a role without the endpoint's permission gets 403); 404 for every other role but admin, who sees both
  sides alike; a public endpoint answers the same for both sides;
- mixed: 404 for everyone who gets past the permission, admins included (the objects do not belong together).

`foreign=` / `mixed=` on a line override that for the roles they name, with the reason in a comment. Every
POST carries a valid CSRF token of the role's session and the line's `body` (empty by default). Each request
runs in a savepoint that is rolled back: authorized POSTs cannot spoil the world for the next line. A request
that is refused (sign-in, 403, 404), and every GET, must change nothing: no row written, no mail sent.

A new endpoint, or a new method of one, fails test_the_matrix_covers_every_endpoint_and_method until it has its
line; a line whose endpoint or method is gone fails it too. HEAD and OPTIONS are left out: Flask answers them for
every GET route itself (HEAD runs the GET view).
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from qtp.core.permissions import PERMISSIONS, Role, has_permission
from qtp.extensions import db
from qtp.licensing.bundles.lock import LOCK_FILE
from tests.conftest import RequestScopedTestSession
from tests.content.builder import write_program
from tests.helpers import csrf_token, login
from tests.integration.core.matrix_world import FOREIGN_MARKERS, MODULE, PROGRAM, ROLES, build_world

# Endpoints deliberately open to anonymous visitors.
PUBLIC = {
    "static",
    "public.index",
    "public.healthz",
    "public.readyz",
    "public.metrics_text",
    "public.program_list",
    "public.program",
    "public.sitemap_xml",
    "public.robots",
    "accounts.login",
    "accounts.forgot_password",
    "accounts.reset_password",
    "accounts.accept_invitation",
    "accounts.set_language",
    "accounts.login_code",
    "certificates.lookup",
    "certificates.verify",
    "certificates.check_file",
    "certificates.verify_json",
    "interest.survey",
    "interest.thanks",
    "graduates.index",
    "calendar.feed",
}

LOGIN = "login"  # 302 to the sign-in page (anonymous visitors of a page that needs an account)
COURSES = Path(__file__).resolve().parents[3] / "courses"
ROLE_SETS = {
    "anonymous": frozenset(),
    "participant": frozenset({Role.PARTICIPANT}),
    "leader": frozenset({Role.PARTICIPANT}),
    "sponsor": frozenset({Role.PARTICIPANT}),
    "coach": frozenset({Role.COACH}),
    "faculty": frozenset({Role.FACULTY}),
    "licensee": frozenset({Role.LICENSEE}),
    "admin": frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Line:
    method: str
    endpoint: str
    path: str
    own: dict[str, int | str]
    body: dict[str, Any] = field(default_factory=dict)
    foreign: dict[str, int | str] = field(default_factory=dict)
    mixed: dict[str, int | str] = field(default_factory=dict)
    writes: bool = False  # a GET that records something by design (a download)

    @property
    def key(self) -> tuple[str, str]:
        return self.endpoint, self.method

    @property
    def placeholders(self) -> list[str]:
        return [name for _text, name, _spec, _conv in Formatter().parse(self.path) if name]


def row(cells: str, method: str, endpoint: str, path: str, **extra) -> Line:
    """One line of MATRIX: the statuses of the eight roles (in ROLES order; L: sent to sign in) with their own
    objects, then the method, the endpoint and the path."""
    statuses = [LOGIN if cell == "L" else int(cell) for cell in cells.split()]
    return Line(method, endpoint, path, dict(zip(ROLES, statuses, strict=True)), **extra)


T = "/teams/{team}"
AIM = T + "/worksheets/aim/1"
PDSA = T + "/worksheets/pdsa/{pdsa_no}"
MEASURE = T + "/measures/{measure_no}"
LEARN = "/learning/{cohort}"
READERS_REFUSED = {"sponsor": 403, "coach": 403, "faculty": 403, "admin": 403}


# fmt: off
MATRIX = [
    #    anon part lead spon coac facu lice admn   method endpoint, path
    # -- public pages ---------------------------------------------------------------------------------------
    row("200 200 200 200 200 200 200 200", "GET",  "static", "/static/css/app.css"),
    row("200 200 200 200 200 200 200 200", "GET",  "public.index", "/"),
    row("200 200 200 200 200 200 200 200", "GET",  "public.healthz", "/healthz"),
    row("200 200 200 200 200 200 200 200", "GET",  "public.readyz", "/readyz"),
    # The test client connects from 127.0.0.1, an allowed address; remote addresses: test_observability.py.
    row("200 200 200 200 200 200 200 200", "GET",  "public.metrics_text", "/metrics"),
    row("200 200 200 200 200 200 200 200", "GET",  "public.program_list", "/programs"),
    row("200 200 200 200 200 200 200 200", "GET",  "public.program", f"/programs/{PROGRAM}"),
    row("200 200 200 200 200 200 200 200", "GET",  "public.sitemap_xml", "/sitemap.xml"),
    row("200 200 200 200 200 200 200 200", "GET",  "public.robots", "/robots.txt"),
    row("200 200 200 200 200 200 200 200", "GET",  "graduates.index", "/graduates"),
    row("200 200 200 200 200 200 200 200", "GET",  "interest.survey", "/interest"),
    row("400 400 400 400 400 400 400 400", "POST", "interest.survey", "/interest"),
    row("200 200 200 200 200 200 200 200", "GET",  "interest.thanks", "/interest/thanks"),
    # -- accounts: signed-in visitors of /login go home; links from e-mails are capabilities (public) -----------
    row("200 302 302 302 302 302 302 302", "GET",  "accounts.login", "/login"),
    row("400 302 302 302 302 302 302 302", "POST", "accounts.login", "/login"),
    row("L   302 302 302 302 302 302 302", "POST", "accounts.logout", "/logout"),
    row("200 200 200 200 200 200 200 200", "GET",  "accounts.forgot_password", "/forgot-password"),
    row("400 400 400 400 400 400 400 400", "POST", "accounts.forgot_password", "/forgot-password"),
    row("200 200 200 200 200 200 200 200", "GET",  "accounts.reset_password", "/reset-password/{reset}"),
    row("400 400 400 400 400 400 400 400", "POST", "accounts.reset_password", "/reset-password/{reset}"),
    row("200 200 200 200 200 200 200 200", "GET",  "accounts.accept_invitation", "/invitation/{invitation_token}"),
    row("400 400 400 400 400 400 400 400", "POST", "accounts.accept_invitation", "/invitation/{invitation_token}"),
    row("L   200 200 200 200 200 200 200", "GET",  "accounts.profile", "/account/profile"),
    row("L   400 400 400 400 400 400 400", "POST", "accounts.profile", "/account/profile"),
    row("L   200 200 200 200 200 200 200", "GET",  "accounts.change_password", "/account/password"),
    row("L   400 400 400 400 400 400 400", "POST", "accounts.change_password", "/account/password"),
    row("L   200 200 200 200 200 200 200", "POST", "privacy.export", "/account/data.zip"),
    row("400 400 400 400 400 400 400 400", "POST", "accounts.set_language", "/language"),
    # the sign-in code step, without a correct password just given: back to the sign-in page (signed in: home)
    row("302 302 302 302 302 302 302 302", "GET",  "accounts.login_code", "/login/code"),
    row("302 302 302 302 302 302 302 302", "POST", "accounts.login_code", "/login/code"),
    row("L   200 200 200 200 200 200 200", "GET",  "accounts.security", "/account/security"),
    row("L   302 302 302 302 302 302 302", "POST", "accounts.two_factor_start", "/account/security/two-factor/start"),
    # nothing being set up: back to the security page
    row("L   302 302 302 302 302 302 302", "GET",  "accounts.two_factor_setup", "/account/security/two-factor/setup"),
    row("L   302 302 302 302 302 302 302", "POST", "accounts.two_factor_setup", "/account/security/two-factor/setup"),
    # two-factor sign-in is off for everyone of the world: refused with a message
    row("L   400 400 400 400 400 400 400", "POST", "accounts.regenerate_recovery_codes",
        "/account/security/recovery-codes"),
    row("L   400 400 400 400 400 400 400", "POST", "accounts.disable_two_factor",
        "/account/security/two-factor/disable"),
    row("L   302 302 302 302 302 302 302", "POST", "accounts.end_session", "/account/sessions/not-a-session/end"),
    row("L   302 302 302 302 302 302 302", "POST", "accounts.end_other_sessions", "/account/sessions/end-others"),
    row("L   200 200 200 200 200 200 200", "GET",  "home.index", "/home"),
    row("L   403 403 403 200 200 403 200", "GET",  "home.cohorts", "/home/cohorts"),
    # -- certificates: public verification, the recipient's download (the participant's certificate) ------------
    row("200 200 200 200 200 200 200 200", "GET",  "certificates.lookup", "/verify"),
    row("200 200 200 200 200 200 200 200", "GET",  "certificates.verify", "/verify/{serial}"),
    row("400 400 400 400 400 400 400 400", "POST", "certificates.check_file", "/verify/{serial}"),
    row("200 200 200 200 200 200 200 200", "GET",  "certificates.verify_json", "/verify/{serial}.json"),
    row("L   200 404 404 404 404 404 200", "GET",  "certificates.download", "/certificates/{certificate}/download"),
    row("200 200 200 200 200 200 200 200", "GET",  "calendar.feed", "/calendar/{feed}.ics"),
    # -- learning (members of the cohort's teams) --------------------------------------------------------------
    row("L   302 302 302 403 403 403 403", "GET",  "progress.index", "/learning/"),
    row("L   200 200 200 403 403 403 403", "GET",  "progress.overview", LEARN),
    row("L   200 200 200 403 403 403 403", "GET",  "progress.calendar_file", LEARN + "/calendar.ics"),
    row("L   200 200 200 403 403 403 403", "GET",  "progress.module", LEARN + f"/modules/{MODULE}"),
    row("L   302 302 302 403 403 403 403", "POST", "progress.complete", LEARN + f"/modules/{MODULE}/complete"),
    row("L   200 200 200 403 403 403 403", "GET",  "progress.check", LEARN + f"/modules/{MODULE}/check"),
    row("L   400 400 400 403 403 403 403", "POST", "progress.check", LEARN + f"/modules/{MODULE}/check"),
    # the attempt is the participant's: another member of the team does not see it
    row("L   200 404 404 403 403 403 403", "GET",  "progress.attempt",
        LEARN + f"/modules/{MODULE}/attempts/{{attempt}}"),
    row("L   200 200 200 403 403 403 403", "GET",  "progress.self_assessment_results", LEARN + "/self-assessment"),
    row("L   200 200 200 403 403 403 403", "GET",  "progress.self_assessment", LEARN + "/self-assessment/pre"),
    row("L   400 400 400 403 403 403 403", "POST", "progress.self_assessment", LEARN + "/self-assessment/pre"),
    # -- content (faculty, coaches, admins) ----------------------------------------------------------------
    row("L   403 403 403 200 200 403 200", "GET",  "catalog.status", "/content/"),
    row("L   403 403 403 200 200 403 200", "GET",  "catalog.preview", f"/content/{PROGRAM}/{MODULE}"),
    row("L   403 403 403 403 403 403 302", "POST", "catalog.sync", "/content/sync"),
    # -- worksheets: members edit (the sponsor reads), the coach, the cohort's faculty and admins read --------
    row("L   200 200 200 200 200 403 200", "GET",  "worksheets.workspace", T + "/workspace"),
    row("L   302 302 403 403 403 403 403", "GET",  "worksheets.new_record", T + "/worksheets/pdsa/new"),
    row("L   200 200 200 200 200 403 200", "GET",  "worksheets.edit", AIM),
    # an empty form names no version of the stored cycle: the conflict page (409), nothing saved
    row("L   409 409 403 403 403 403 403", "POST", "worksheets.edit", PDSA),
    row("L   409 409 403 403 403 403 403", "POST", "worksheets.autosave", PDSA + "/autosave"),
    # only the leader submits (the empty form names no version: a conflict, back to the page)
    row("L   403 303 403 403 403 403 403", "POST", "worksheets.submit", PDSA + "/submit"),
    row("L   303 303 403 403 403 403 403", "POST", "worksheets.next_cycle", PDSA + "/next-cycle"),
    row("L   200 200 200 200 200 403 200", "GET",  "worksheets.history", AIM + "/history"),
    row("L   200 200 200 200 200 403 200", "GET",  "worksheets.diff", AIM + "/diff?a=1&b=2"),
    row("L   200 200 200 200 200 403 200", "GET",  "worksheets.revision", AIM + "/revisions/1"),
    row("L   303 303 403 403 403 403 403", "POST", "worksheets.restore", PDSA + "/revisions/1/restore"),
    row("L   400 400 403 403 403 403 403", "POST", "worksheets.upload_attachment", PDSA + "/attachments"),
    row("L   200 200 200 200 200 403 200", "GET",  "worksheets.download_attachment", T + "/attachments/{attachment}"),
    # the aim is under review: its attachment stays (flashed refusal, back to the worksheet)
    row("L   303 303 403 403 403 403 403", "POST", "worksheets.delete_attachment",
        T + "/attachments/{attachment}/delete"),
    row("L   200 200 200 200 200 403 200", "GET",  "worksheets.export_pdf", AIM + ".pdf"),
    row("L   200 200 200 200 200 403 200", "GET",  "worksheets.storyboard_pdf", T + "/storyboard.pdf"),
    # -- measurement (members enter data; readers as the workspace) ------------------------------------------
    row("L   200 200 200 200 200 403 200", "GET",  "measurement.index", T + "/measures"),
    row("L   200 200 200 200 200 403 200", "GET",  "measurement.measure", MEASURE),
    row("L   200 200 200 200 200 403 200", "GET",  "measurement.chart_svg", MEASURE + "/chart.svg"),
    row("L   200 200 200 200 200 403 200", "GET",  "measurement.chart_png_file", MEASURE + "/chart.png"),
    row("L   400 400 403 403 403 403 403", "POST", "measurement.add_point", MEASURE + "/points"),
    # a reader of team 1 is refused data entry (403) before any point is read: team 2's point is not looked at
    row("L   400 400 403 403 403 403 403", "POST", "measurement.update_point", MEASURE + "/points/{point}",
        mixed=READERS_REFUSED),
    row("L   303 303 403 403 403 403 403", "POST", "measurement.delete_point", MEASURE + "/points/{point}/delete",
        mixed=READERS_REFUSED),
    row("L   400 400 403 403 403 403 403", "POST", "measurement.import_csv", MEASURE + "/import"),
    row("L   400 400 403 403 403 403 403", "POST", "measurement.save_settings", MEASURE + "/settings"),
    # -- the team's progress page: the leader proposes a score, the coach and the cohort's staff confirm it ----
    row("L   200 200 200 200 200 403 200", "GET",  "cohorts.team_progress", T + "/progress"),
    row("L   403 303 403 403 403 403 403", "POST", "cohorts.propose_score", T + "/progress/score"),
    row("L   403 403 403 303 303 403 403", "POST", "cohorts.confirm_score", T + "/progress/score/{score}/confirm"),
    # -- the public graduates listing of a team: its leader and admins decide (who sees the team: 403) ----------
    row("L   403 200 403 403 403 404 200", "GET",  "graduates.listing", T + "/graduate-listing"),
    row("L   403 303 403 403 403 404 303", "POST", "graduates.listing", T + "/graduate-listing"),
    # -- review (the cohort's faculty and coaches; not admins for being admins) ------------------------------
    row("L   403 403 403 200 200 403 403", "GET",  "review.queue", "/review/"),
    row("L   403 403 403 200 200 403 403", "GET",  "review.show", "/review/{aim}"),
    # the empty form names no version of the submission: "someone decided first" (409), nothing decided
    row("L   403 403 403 409 409 403 403", "POST", "review.decide", "/review/{aim}"),
    # -- cohort dashboards (the cohort's faculty and coaches, admins) and attendance (its faculty, admins) -----
    row("L   403 403 403 200 200 403 200", "GET",  "cohorts.dashboard", "/cohorts/{cohort}/dashboard"),
    row("L   403 403 403 200 200 403 200", "GET",  "cohorts.dashboard_csv", "/cohorts/{cohort}/dashboard/members.csv"),
    row("L   403 403 403 403 200 403 200", "GET",  "cohorts.attendance_sheet", "/cohorts/{cohort}/attendance/{event}"),
    row("L   403 403 403 403 303 403 303", "POST", "cohorts.attendance_sheet", "/cohorts/{cohort}/attendance/{event}"),
    # -- licences: the seat holder's pages ---------------------------------------------------------------------
    row("L   403 403 403 403 403 200 403", "GET",  "licensing.mine", "/licenses"),
    row("L   403 403 403 403 403 200 403", "GET",  "downloads.bundle", "/licenses/{license}/bundles/es"),
    row("L   403 403 403 403 403 200 403", "GET",  "downloads.history", "/licenses/{license}/downloads"),
    # a link signed for another account: a page that says so (403)
    row("L   403 403 403 403 403 200 403", "GET",  "downloads.fetch",
        "/downloads/{download}", foreign={"licensee": 403}, writes=True),
    # -- admin: people and organizations -------------------------------------------------------------------
    row("L   403 403 403 403 403 403 200", "GET",  "admin.users", "/admin/users"),
    row("L   403 403 403 403 403 403 200", "GET",  "admin.invite_user", "/admin/users/new"),
    row("L   403 403 403 403 403 403 400", "POST", "admin.invite_user", "/admin/users/new"),
    row("L   403 403 403 403 403 403 200", "GET",  "admin.edit_user", "/admin/users/{user}"),
    row("L   403 403 403 403 403 403 400", "POST", "admin.edit_user", "/admin/users/{user}"),
    row("L   403 403 403 403 403 403 302", "POST", "admin.set_user_active", "/admin/users/{user}/active"),
    row("L   403 403 403 403 403 403 302", "POST", "admin.reset_two_factor", "/admin/users/{user}/two-factor/reset"),
    row("L   403 403 403 403 403 403 200", "GET",  "admin.settings", "/admin/settings"),
    row("L   403 403 403 403 403 403 302", "POST", "admin.settings", "/admin/settings"),
    # erasing needs the typed e-mail address: an empty form is refused (test_erasure.py erases)
    row("L   403 403 403 403 403 403 200", "GET",  "privacy.erase", "/admin/users/{user}/erase"),
    row("L   403 403 403 403 403 403 400", "POST", "privacy.erase", "/admin/users/{user}/erase"),
    row("L   403 403 403 403 403 403 302", "POST", "admin.invitation_action", "/admin/invitations/{invitation}/revoke"),
    row("L   403 403 403 403 403 403 200", "GET",  "admin.organizations", "/admin/organizations"),
    row("L   403 403 403 403 403 403 200", "GET",  "admin.new_organization", "/admin/organizations/new"),
    row("L   403 403 403 403 403 403 400", "POST", "admin.new_organization", "/admin/organizations/new"),
    row("L   403 403 403 403 403 403 200", "GET",  "admin.edit_organization", "/admin/organizations/{org}"),
    row("L   403 403 403 403 403 403 400", "POST", "admin.edit_organization", "/admin/organizations/{org}"),
    row("L   403 403 403 403 403 403 302", "POST", "admin.set_organization_active",
        "/admin/organizations/{org}/active"),
    row("L   403 403 403 403 403 403 200", "GET",  "admin.audit_log", "/admin/audit"),
    row("L   403 403 403 403 403 403 200", "GET",  "admin.jobs", "/admin/jobs"),
    row("L   403 403 403 403 403 403 302", "POST", "admin.retry_job", "/admin/jobs/not-a-job/retry"),
    row("L   403 403 403 403 403 403 200", "GET",  "interest.index", "/admin/interest"),
    row("L   403 403 403 403 403 403 200", "GET",  "interest.export", "/admin/interest.csv"),
    row("L   403 403 403 403 403 403 302", "POST", "interest.mark", "/admin/interest/{interest}/handled"),
    # -- admin: cohorts, their calendars, staff and teams -------------------------------------------------------
    row("L   403 403 403 403 403 403 200", "GET",  "cohorts.index", "/admin/cohorts"),
    row("L   403 403 403 403 403 403 200", "GET",  "cohorts.new", "/admin/cohorts/new"),
    row("L   403 403 403 403 403 403 400", "POST", "cohorts.new", "/admin/cohorts/new"),
    row("L   403 403 403 403 403 403 200", "GET",  "cohorts.show", "/admin/cohorts/{cohort}"),
    row("L   403 403 403 403 403 403 400", "POST", "cohorts.update", "/admin/cohorts/{cohort}"),
    row("L   403 403 403 403 403 403 400", "POST", "cohorts.update_schedule", "/admin/cohorts/{cohort}/schedule"),
    row("L   403 403 403 403 403 403 400", "POST", "cohorts.add_staff", "/admin/cohorts/{cohort}/staff"),
    row("L   403 403 403 403 403 403 303", "POST", "cohorts.remove_staff",
        "/admin/cohorts/{cohort}/staff/{staff}/remove"),
    row("L   403 403 403 403 403 403 400", "POST", "cohorts.add_event", "/admin/cohorts/{cohort}/events"),
    row("L   403 403 403 403 403 403 303", "POST", "cohorts.remove_event",
        "/admin/cohorts/{cohort}/events/{event}/remove"),
    row("L   403 403 403 403 403 403 200", "GET",  "cohorts.new_team", "/admin/cohorts/{cohort}/teams/new"),
    row("L   403 403 403 403 403 403 400", "POST", "cohorts.new_team", "/admin/cohorts/{cohort}/teams/new"),
    row("L   403 403 403 403 403 403 200", "GET",  "cohorts.team", "/admin/teams/{team}"),
    row("L   403 403 403 403 403 403 400", "POST", "cohorts.update_team", "/admin/teams/{team}"),
    row("L   403 403 403 403 403 403 400", "POST", "cohorts.add_member", "/admin/teams/{team}/members"),
    row("L   403 403 403 403 403 403 303", "POST", "cohorts.member_action",
        "/admin/teams/{team}/members/{membership}/remove"),
    row("L   403 403 403 403 403 403 303", "POST", "cohorts.invitation_action",
        "/admin/teams/{team}/invitations/{team_invitation}/revoke"),
    # -- admin: certificates ------------------------------------------------------------------------------------
    row("L   403 403 403 403 403 403 200", "GET",  "certificates.cohort", "/admin/cohorts/{cohort}/certificates"),
    row("L   403 403 403 403 403 403 302", "POST", "certificates.issue", "/admin/cohorts/{cohort}/certificates/issue"),
    row("L   403 403 403 403 403 403 400", "POST", "certificates.change", "/admin/certificates/{certificate}/change"),
    # -- admin: licences (a bundle build holds the build lock all along: a second one is refused, 302) ---------
    row("L   403 403 403 403 403 403 200", "GET",  "licensing.index", "/admin/licenses"),
    row("L   403 403 403 403 403 403 302", "POST", "licensing.build_bundles", "/admin/licenses/bundles/build"),
    row("L   403 403 403 403 403 403 200", "GET",  "licensing.new", "/admin/licenses/new"),
    row("L   403 403 403 403 403 403 400", "POST", "licensing.new", "/admin/licenses/new"),
    row("L   403 403 403 403 403 403 200", "GET",  "licensing.show", "/admin/licenses/{license}"),
    row("L   403 403 403 403 403 403 400", "POST", "licensing.update", "/admin/licenses/{license}"),
    row("L   403 403 403 403 403 403 400", "POST", "licensing.give_seat", "/admin/licenses/{license}/seats"),
    row("L   403 403 403 403 403 403 302", "POST", "licensing.free_seat",
        "/admin/licenses/{license}/seats/{seat}/free"),
    row("L   403 403 403 403 403 403 302", "POST", "licensing.invitation_action",
        "/admin/licenses/{license}/invitations/{seat_invitation}/revoke"),
    row("L   403 403 403 403 403 403 200", "GET",  "downloads.export", "/admin/licenses/downloads.csv"),
]
# fmt: on
LINES = {line.key: line for line in MATRIX}
assert len(LINES) == len(MATRIX), "two lines for one endpoint and method"


# -- tags --------------------------------------------------------------------------------------------------------


def test_every_endpoint_is_public_or_tagged_with_a_known_permission(app):
    untagged, unknown = [], []
    for endpoint, view in app.view_functions.items():
        permission = getattr(view, "qtp_permission", None)
        if endpoint in PUBLIC:
            assert endpoint == "static" or getattr(view, "qtp_public", False), f"{endpoint} is not tagged @public"
            continue
        if permission is None:
            untagged.append(endpoint)
        elif permission not in PERMISSIONS:
            unknown.append(endpoint)
    assert untagged == [], f"endpoints with neither @public nor @require: {untagged}"
    assert unknown == []


def test_public_tag_is_only_on_the_allow_list(app):
    tagged_public = {e for e, v in app.view_functions.items() if getattr(v, "qtp_public", False)}
    assert tagged_public <= PUBLIC


# -- expectations ------------------------------------------------------------------------------------------------


class _Holder:
    is_authenticated = True
    is_active = True

    def __init__(self, roles: frozenset[Role]) -> None:
        self.role_set = roles


def passes_permission(app, role: str, endpoint: str) -> bool:
    """Whether the role gets past the endpoint's role-level check (before any object is read)."""
    if endpoint in PUBLIC:
        return True
    if role == "anonymous":
        return False
    return has_permission(_Holder(ROLE_SETS[role]), app.view_functions[endpoint].qtp_permission)


def expected(app, line: Line, role: str, kind: str) -> int | str:
    own = line.own[role]
    if kind == "own":
        return own
    overrides = line.foreign if kind == "foreign" else line.mixed
    if role in overrides:
        return overrides[role]
    if line.endpoint in PUBLIC and kind == "foreign":
        return own
    if not passes_permission(app, role, line.endpoint):
        return own
    if kind == "foreign" and role == "admin":
        return own
    return 404


def urls(line: Line, sides: dict[int, dict]) -> dict[str, str]:
    """The line's URL with the own side's ids, the foreign side's, and mixed (when it differs from both)."""
    names = line.placeholders
    if not names:
        return {"own": line.path}
    found = {
        "own": line.path.format(**sides[1]),
        "foreign": line.path.format(**sides[2]),
    }
    if len(names) > 1:
        mixed = {name: sides[2][name] for name in names[1:]} | {names[0]: sides[1][names[0]]}
        url = line.path.format(**mixed)
        if url not in found.values():
            found["mixed"] = url
    return found


def test_the_matrix_covers_every_endpoint_and_method(app):
    adapter = app.url_map.bind("localhost")
    in_map = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(in_map - set(LINES)) == [], "add a MATRIX line for each of these (endpoint, method)"
    assert sorted(set(LINES) - in_map) == [], "remove the MATRIX lines of endpoints or methods that are gone"
    sample = {name: 1 for line in MATRIX for name in line.placeholders}
    for line in MATRIX:
        path = line.path.format(**sample).split("?")[0]
        assert adapter.match(path, method=line.method)[0] == line.endpoint, f"{line.path} is not {line.endpoint}"
        assert set(line.foreign) | set(line.mixed) <= set(ROLES)


def test_foreign_objects_are_never_shown_to_anyone_but_admins(app):
    """What the derivation (and any override) expects for foreign ids: refused for every non-admin role."""
    for line in MATRIX:
        if line.endpoint in PUBLIC or not line.placeholders:
            continue
        for role in ROLES[:-1]:
            assert expected(app, line, role, "foreign") in (LOGIN, 403, 404), (line.key, role)


# -- the world and the requests ----------------------------------------------------------------------------------


@dataclass
class Matrix:
    app: Any
    connection: Any
    world: Any
    cookies: dict[str, str | None]
    tokens: dict[str, str]
    writes: list[str]
    baseline: str

    def fingerprint(self, skip: tuple[str, ...] = ()) -> str:
        """Every row of every table (but `skip`), hashed."""
        digest = hashlib.sha256()
        for table in db.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = self.connection.execute(table.select()).all()
            digest.update(table.name.encode())
            digest.update(repr(sorted(map(repr, rows))).encode())
        return digest.hexdigest()

    def request(self, role: str, method: str, url: str, body: dict, token: str | None = "own") -> Any:
        """As `role`; a POST carries the role's own CSRF token, or `token` (None: none at all)."""
        client = self.app.test_client()
        if self.cookies[role]:
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[role])
        self.app.extensions["qtp_ratelimits"].reset_all()
        if method == "GET":
            return client.get(url)
        token = self.tokens[role] if token == "own" else token
        return client.post(url, data={**body, **({"csrf_token": token} if token is not None else {})})


def status_of(response) -> int | str:
    if response.status_code == 302 and response.headers.get("Location", "").startswith("/login?"):
        return LOGIN
    return response.status_code


@pytest.fixture(scope="module")
def matrix(app, tmp_path_factory):
    root = tmp_path_factory.mktemp("matrix")
    courses, bundles = root / "courses", root / "bundles"
    write_program(courses)
    shutil.copytree(COURSES / "worksheets", courses / "worksheets")
    bundles.mkdir()
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    transaction = connection.begin()
    original = db.session
    db.session = RequestScopedTestSession(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=lambda: "matrix"
    )
    writes: list[str] = []

    def before(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    lock = (bundles / LOCK_FILE).open("a")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(app.config, "QTP_CONTENT_ROOT", str(courses))
            patch.setitem(app.config, "QTP_BUNDLE_DIR", str(bundles))
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a bundle build is running all along
            with app.test_request_context():
                world = build_world(app, db.session, courses, bundles)
            cookies: dict[str, str | None] = {"anonymous": None}
            tokens = {}
            for role in ROLES:
                client = app.test_client()
                if role == "anonymous":
                    tokens[role] = csrf_token(client, "/login")
                else:
                    assert login(client, world.people[role].email).status_code == 302, role
                    tokens[role] = csrf_token(client, "/home")
                cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
                cookies[role] = cookie.value if cookie else None
            db.session.remove()
            matrix = Matrix(app, connection, world, cookies, tokens, writes, "")
            matrix.baseline = matrix.fingerprint()
            event.listen(engine, "before_cursor_execute", before)
            try:
                yield matrix
            finally:
                event.remove(engine, "before_cursor_execute", before)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
        db.session.registry().close()
        db.session.registry.clear()
        db.session = original
        transaction.rollback()
        connection.close()


def run_line(matrix: Matrix, line: Line) -> list[str]:
    """Every role, every side: what differs from the table, and any refused request or GET that changed data."""
    app, problems = matrix.app, []
    outbox = app.extensions["qtp_mail"].outbox
    for role in ROLES:
        for kind, url in urls(line, matrix.world.sides).items():
            want = expected(app, line, role, kind)
            mails = len(outbox)
            matrix.writes.clear()
            savepoint = matrix.connection.begin_nested()
            try:
                response = matrix.request(role, line.method, url, line.body)
                got = status_of(response)
                changed = bool(matrix.writes) and matrix.fingerprint() != matrix.baseline
            finally:
                savepoint.rollback()
                if line.method == "POST":
                    with app.app_context():
                        matrix.world.restore_files()
            if got != want:
                problems.append(f"{role:<11} {kind:<7} {line.method} {url}: {got} (expected {want})")
            shown = [m for m in FOREIGN_MARKERS if m.encode() in response.get_data()]
            if shown and role != "admin" and not (kind == "foreign" and line.endpoint in PUBLIC):
                problems.append(f"{role:<11} {kind:<7} {line.method} {url}: shows side 2's {shown}")
            refused = got in (LOGIN, 403, 404, 405)
            if (refused or (line.method == "GET" and not line.writes)) and (changed or len(outbox) != mails):
                what = "wrote to the database" if changed else "sent mail"
                problems.append(f"{role:<11} {kind:<7} {line.method} {url}: {got} but {what}")
    return problems


@pytest.mark.parametrize("line", MATRIX, ids=lambda line: f"{line.method} {line.endpoint}")
def test_each_role_gets_the_expected_status(matrix, line):
    problems = run_line(matrix, line)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_checks_see_a_change_and_the_world_is_intact_after_every_line(matrix):
    """Runs after the lines (pytest keeps the file's order): every authorized POST was rolled back, and a
    changed row would have been seen."""
    assert matrix.fingerprint() == matrix.baseline
    savepoint = matrix.connection.begin_nested()
    try:
        matrix.connection.execute(db.metadata.tables["teams"].update().values(project_title="Hijacked"))
        assert matrix.fingerprint() != matrix.baseline
    finally:
        savepoint.rollback()
    assert matrix.fingerprint() == matrix.baseline
    participant = matrix.request("participant", "GET", "/teams/{team}/workspace".format(**matrix.world.sides[1]), {})
    assert participant.status_code == 200 and b"Matrix project 1" in participant.get_data()


BIG_IDS = (2**63, 2**64)


def big_id_urls(app, sides) -> list[tuple[str, str, str]]:
    """(role, method, url) for every int id of every line's own URL set to each of BIG_IDS in turn, requested by
    a role that reaches the line's object (so that only the id decides), or by an admin."""
    adapter = app.url_map.bind("localhost")
    found = []
    for line in MATRIX:
        own = urls(line, sides)["own"]
        path, _, query = own.partition("?")
        rule, args = adapter.match(path, method=line.method, return_rule=True)
        ints = [name for name, converter in rule._converters.items() if converter.regex == r"\d+"]
        role = next((r for r in ROLES[1:] if line.own[r] not in (LOGIN, 403, 404)), "admin")
        for name in ints:
            for big in BIG_IDS:
                url = adapter.build(rule.endpoint, {**args, name: big}, method=line.method)
                found.append((role, line.method, url + ("?" + query if query else "")))
    return found


def test_ids_past_a_bigint_are_not_found(matrix):
    """Every int id of every URL at 2**63 and 2**64: 404 (the `int` converter of qtp/core/ids.py), not a 500."""
    cases = big_id_urls(matrix.app, matrix.world.sides)
    assert len(cases) > 50
    wrong = []
    for role, method, url in cases:
        savepoint = matrix.connection.begin_nested()
        try:
            got = status_of(matrix.request(role, method, url, {}))
        except Exception as error:  # noqa: BLE001 (the test client re-raises what would be a 500)
            got = f"500 ({type(error).__name__})"
        finally:
            savepoint.rollback()
        if got != 404:
            wrong.append(f"{role} {method} {url}: {got}")
    if wrong:
        pytest.fail("\n".join(wrong), pytrace=False)


def test_every_post_refuses_a_missing_or_foreign_csrf_token(matrix):
    """Every POST of the matrix, by the first role its line lets through, without a CSRF token and with the token
    of another person's session: 400 with the "form expired" page, nothing written, no mail sent."""
    app, outbox, problems, checked = matrix.app, matrix.app.extensions["qtp_mail"].outbox, [], 0
    skip = ("user_sessions",)  # a signed-in request notes when the session was last seen, whatever it posts
    baseline = matrix.fingerprint(skip)
    for line in MATRIX:
        role = next((r for r in ROLES if line.own[r] not in (LOGIN, 403, 404, 405)), None)
        if line.method != "POST" or role is None:
            continue
        other = next(r for r in ROLES if r != role and matrix.cookies[r] != matrix.cookies[role])
        url = urls(line, matrix.world.sides)["own"]
        for label, token in (("no token", None), (f"{other}'s token", matrix.tokens[other])):
            mails = len(outbox)
            matrix.writes.clear()
            savepoint = matrix.connection.begin_nested()
            try:
                response = matrix.request(role, "POST", url, line.body, token=token)
                changed = bool(matrix.writes) and matrix.fingerprint(skip) != baseline
            finally:
                savepoint.rollback()
                with app.app_context():
                    matrix.world.restore_files()
            checked += 1
            if response.status_code != 400 or b"Your form expired" not in response.get_data():
                problems.append(f"{role} POST {url} with {label}: {response.status_code}")
            if changed or len(outbox) != mails:
                what = "wrote to the database" if changed else "sent mail"
                problems.append(f"{role} POST {url} with {label}: {what}")
    assert checked > 100, checked
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
