"""Admin pages for running a cohort: the cohort, its calendar and staff, its teams and their people."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qtp.accounts import services as account_services
from qtp.accounts.models import INVITATION_STATUS_LABELS
from qtp.cohorts import admin_queries as queries
from qtp.cohorts import events, forms, members, services
from qtp.cohorts.models import TEAM_ROLE_LABELS, Cohort, Team, TeamRole
from qtp.core.db import utcnow
from qtp.core.forms import ConfirmForm, commit_or_flash, commit_or_show
from qtp.core.i18n import current_locale_code
from qtp.core.permissions import ensure_visible, require
from qtp.extensions import db

bp = Blueprint("cohorts", __name__, template_folder="templates")
READ, WRITE = "admin:cohorts:read", "admin:cohorts:write"


def _cohort(cohort_id: int) -> Cohort:
    cohort = queries.find_cohort(db.session, cohort_id)
    ensure_visible(cohort is not None)
    return cohort  # type: ignore[return-value]


def _team(team_id: int) -> Team:
    team = queries.find_team(db.session, team_id)
    ensure_visible(team is not None)
    return team  # type: ignore[return-value]


@bp.get("/admin/cohorts")
@require(READ)
def index():
    return render_template("cohorts/index.html", rows=queries.list_cohorts(db.session))


@bp.route("/admin/cohorts/new", methods=["GET", "POST"])
@require(WRITE)
def new():
    form = forms.NewCohortForm()
    form.program_id.choices = queries.program_choices(db.session, current_locale_code())
    if form.validate_on_submit():
        fields = services.CohortFields(
            name=form.name.data,
            slug=form.slug.data,
            locale=form.locale.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            status=form.status.data,
            program_id=form.program_id.data,
        )
        outcome = commit_or_show(form, lambda: services.create_cohort(db.session, current_user, fields))
        if outcome.ok:
            flash(_("Cohort created with the program's calendar. Check the dates below."), "success")
            return redirect(url_for("cohorts.show", cohort_id=outcome.result.id), 303)
    return render_template("cohorts/new.html", form=form), 400 if form.errors else 200


def _schedule_form(cohort: Cohort, locale: str):
    phases = [(p["id"], p["titles"].get(locale) or p["titles"]["en"]) for p in cohort.program.phases]
    types = queries.worksheet_titles(db.session, locale)
    due = [(d.worksheet_type, types.get(d.worksheet_type, d.worksheet_type)) for d in cohort.due_dates]
    return forms.build_schedule_form(phases, cohort.events, due), phases, due


def _render_cohort(cohort: Cohort, status: int = 200, **given):
    locale = current_locale_code()
    schedule_cls, phases, due = _schedule_form(cohort, locale)
    details = given.get("details") or forms.CohortForm(formdata=None, obj=cohort)
    schedule = given.get("schedule")
    if schedule is None:
        schedule = schedule_cls(formdata=None, data=forms.schedule_values(cohort))
    event_form = given.get("event_form") or forms.EventForm(formdata=None)
    staff_form = given.get("staff_form") or forms.StaffForm(formdata=None)
    staff_form.user_id.choices = _staff_choices()
    return (
        render_template(
            "cohorts/show.html",
            cohort=cohort,
            details=details,
            schedule=schedule,
            phases=phases,
            due=due,
            staff=queries.list_staff(db.session, cohort.id),
            staff_form=staff_form,
            event_form=event_form,
            teams=queries.list_cohort_teams(db.session, cohort.id),
            session_titles=cohort.program.session_titles(locale),
            locale=locale,
        ),
        status,
    )


def _staff_choices() -> list[tuple[int | None, str]]:
    return [(None, _("Choose a person")), *queries.people_with_role(db.session, "faculty", "coach")]


@bp.get("/admin/cohorts/<int:cohort_id>")
@require(READ)
def show(cohort_id: int):
    return _render_cohort(_cohort(cohort_id))


@bp.post("/admin/cohorts/<int:cohort_id>")
@require(WRITE)
def update(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = forms.CohortForm()
    if form.validate():
        fields = services.CohortFields(
            name=form.name.data,
            slug=cohort.slug,
            locale=form.locale.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            status=form.status.data,
        )
        if commit_or_show(form, lambda: services.update_cohort(db.session, current_user, cohort, fields)).ok:
            flash(_("Cohort saved."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id), 303)
    return _render_cohort(_cohort(cohort_id), 400, details=form)


@bp.post("/admin/cohorts/<int:cohort_id>/schedule")
@require(WRITE)
def update_schedule(cohort_id: int):
    cohort = _cohort(cohort_id)
    schedule_cls, phases, due = _schedule_form(cohort, current_locale_code())
    form = schedule_cls()
    if form.validate():
        change = forms.schedule_change(form.data, phases, cohort.events, due)
        if commit_or_show(form, lambda: services.update_schedule(db.session, current_user, cohort, change)).ok:
            flash(_("Calendar saved. Participants see the new dates on their program page."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="calendar"), 303)
    return _render_cohort(_cohort(cohort_id), 400, schedule=form)


@bp.post("/admin/cohorts/<int:cohort_id>/events")
@require(WRITE)
def add_event(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = forms.EventForm()
    if form.validate():
        new = events.NewEvent(
            kind=form.kind.data,
            title=form.title.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            mode=form.mode.data,
            place=form.place.data or "",
        )
        if commit_or_show(form, lambda: events.add_event(db.session, current_user, cohort, new)).ok:
            flash(_("%(event)s is in the calendar.", event=new.title.strip()), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="calendar"), 303)
    return _render_cohort(_cohort(cohort_id), 400, event_form=form)


@bp.post("/admin/cohorts/<int:cohort_id>/events/<int:event_id>/remove")
@require(WRITE)
def remove_event(cohort_id: int, event_id: int):
    cohort = _cohort(cohort_id)
    event = next((e for e in cohort.events if e.id == event_id), None)
    ensure_visible(event is not None)
    title = event.title_in(current_locale_code())
    if ConfirmForm().validate() and commit_or_flash(
        lambda: events.remove_event(db.session, current_user, cohort, event, current_locale_code())
    ):
        flash(_("%(event)s was removed from the calendar.", event=title), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort_id, _anchor="calendar"), 303)


@bp.post("/admin/cohorts/<int:cohort_id>/staff")
@require(WRITE)
def add_staff(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = forms.StaffForm()
    form.user_id.choices = _staff_choices()
    if form.validate():
        user_id, role = form.user_id.data or 0, form.role.data
        if commit_or_show(form, lambda: services.assign_staff(db.session, current_user, cohort, user_id, role)).ok:
            flash(_("Added to the cohort's staff."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="staff"), 303)
    return _render_cohort(_cohort(cohort_id), 400, staff_form=form)


@bp.post("/admin/cohorts/<int:cohort_id>/staff/<int:assignment_id>/remove")
@require(WRITE)
def remove_staff(cohort_id: int, assignment_id: int):
    assignment = queries.find_staff_assignment(db.session, cohort_id, assignment_id)
    ensure_visible(assignment is not None)
    if ConfirmForm().validate() and commit_or_flash(
        lambda: services.remove_staff(db.session, current_user, assignment)
    ):
        flash(_("Removed from the cohort's staff."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort_id, _anchor="staff"), 303)


def _coach_choices() -> list[tuple[int | None, str]]:
    return [(None, _("No coach yet"))] + queries.people_with_role(db.session, "coach")


@bp.route("/admin/cohorts/<int:cohort_id>/teams/new", methods=["GET", "POST"])
@require(WRITE)
def new_team(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = forms.NewTeamForm()
    form.organization_id.choices = [(None, _("Choose a practice"))] + queries.organization_choices(db.session)
    form.coach_id.choices = _coach_choices()
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: services.create_team(
                db.session,
                current_user,
                cohort,
                organization_id=form.organization_id.data or 0,
                project_title=form.project_title.data,
                coach_id=form.coach_id.data,
            ),
        )
        if outcome.ok:
            flash(_("Team created. Now invite its leader and members."), "success")
            return redirect(url_for("cohorts.team", team_id=outcome.result.id), 303)
    return render_template("cohorts/new_team.html", cohort=cohort, form=form), 400 if form.errors else 200


def _render_team(team: Team, status: int = 200, **given):
    details = given.get("details") or forms.TeamForm(formdata=None, obj=team)
    details.coach_id.choices = _coach_choices()
    member_form = given.get("member_form") or forms.MemberForm(formdata=None, data={"locale": team.cohort.locale})
    return (
        render_template(
            "cohorts/team.html",
            team=team,
            details=details,
            member_form=member_form,
            members=sorted(team.memberships, key=lambda m: (list(TeamRole).index(TeamRole(m.role)), m.user.name)),
            role_choices=[(role.value, str(label)) for role, label in TEAM_ROLE_LABELS.items()],
            invitations=queries.list_team_invitations(db.session, team.id),
            role_labels={role.value: str(label) for role, label in TEAM_ROLE_LABELS.items()},
            invitation_labels=INVITATION_STATUS_LABELS,
            now=utcnow(),
        ),
        status,
    )


@bp.get("/admin/teams/<int:team_id>")
@require(READ)
def team(team_id: int):
    return _render_team(_team(team_id))


@bp.post("/admin/teams/<int:team_id>")
@require(WRITE)
def update_team(team_id: int):
    team = _team(team_id)
    form = forms.TeamForm()
    form.coach_id.choices = _coach_choices()
    if form.validate():
        title, coach_id = form.project_title.data, form.coach_id.data
        if commit_or_show(
            form,
            lambda: services.update_team(db.session, current_user, team, project_title=title, coach_id=coach_id),
        ).ok:
            flash(_("Team saved."), "success")
            return redirect(url_for("cohorts.team", team_id=team.id), 303)
    return _render_team(_team(team_id), 400, details=form)


@bp.post("/admin/teams/<int:team_id>/members")
@require(WRITE)
def add_member(team_id: int):
    team = _team(team_id)
    form = forms.MemberForm()
    if form.validate():
        outcome = commit_or_show(
            form,
            lambda: members.add_or_invite_member(
                db.session,
                current_user,
                team,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                locale=form.locale.data,
            ),
        )
        if outcome.ok:
            if outcome.result == "added":
                flash(_("%(name)s has joined the team and has been told by e-mail.", name=form.name.data), "success")
            else:
                flash(
                    _("Invitation sent to %(email)s. They join the team when they accept it.", email=form.email.data),
                    "success",
                )
            return redirect(url_for("cohorts.team", team_id=team.id, _anchor="members"), 303)
    return _render_team(_team(team_id), 400, member_form=form)


@bp.post("/admin/teams/<int:team_id>/members/<int:membership_id>/<any(role, remove):action>")
@require(WRITE)
def member_action(team_id: int, membership_id: int, action: str):
    membership = queries.find_membership(db.session, team_id, membership_id)
    ensure_visible(membership is not None)
    if action == "remove":
        if ConfirmForm().validate() and commit_or_flash(
            lambda: members.remove_member(db.session, current_user, membership)
        ):
            flash(_("%(name)s has left the team.", name=membership.user.name), "success")
    else:
        form = forms.MemberRoleForm()
        if not form.validate():
            flash(_("Choose a team role from the list."), "error")
        elif commit_or_flash(lambda: members.change_member_role(db.session, current_user, membership, form.role.data)):
            flash(_("Role of %(name)s changed.", name=membership.user.name), "success")
    return redirect(url_for("cohorts.team", team_id=team_id, _anchor="members"), 303)


@bp.post("/admin/teams/<int:team_id>/invitations/<int:invitation_id>/<any(resend, revoke):action>")
@require(WRITE)
def invitation_action(team_id: int, invitation_id: int, action: str):
    invitation = queries.find_team_invitation(db.session, team_id, invitation_id)
    ensure_visible(invitation is not None)
    service = account_services.resend_invitation if action == "resend" else account_services.revoke_invitation
    if ConfirmForm().validate() and commit_or_flash(lambda: service(db.session, current_user, invitation)):
        if action == "resend":
            flash(_("Invitation sent again to %(email)s.", email=invitation.email), "success")
        else:
            flash(_("Invitation to %(email)s revoked.", email=invitation.email), "success")
    return redirect(url_for("cohorts.team", team_id=team_id, _anchor="invitations"), 303)
