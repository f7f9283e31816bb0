"""Admin pages: users and invitations, organizations, the audit log."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qtp.accounts import services as account_services
from qtp.accounts.models import INVITATION_STATUS_LABELS
from qtp.accounts.queries import list_active_organizations
from qtp.admin import jobs as job_views
from qtp.admin import queries, services
from qtp.admin.forms import (
    AuditFilterForm,
    EditUserForm,
    InviteUserForm,
    OrganizationFilterForm,
    OrganizationForm,
    UserFilterForm,
)
from qtp.core.audit_labels import action_label
from qtp.core.db import utcnow
from qtp.core.forms import ConfirmForm, commit_or_flash, commit_or_show
from qtp.core.i18n import country_choices, current_locale_code
from qtp.core.ids import parse_id
from qtp.core.permissions import ensure_visible, require
from qtp.core.service import ServiceError
from qtp.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _page() -> int:
    return min(parse_id(request.args.get("page")) or 1, 10**6)


def _organization_choices(form, current_id: int | None = None) -> None:
    organizations = list_active_organizations(db.session)
    choices = [("", _("No organization"))] + [(str(o.id), o.name) for o in organizations]
    if current_id and all(o.id != current_id for o in organizations):
        current = queries.find_organization(db.session, current_id)
        if current is not None:
            choices.append((str(current.id), current.name))
    form.organization_id.choices = choices


def _actor():
    return current_user._get_current_object()


# --- users --------------------------------------------------------------------------------------------


@bp.route("/users")
@require("admin:users:read")
def users():
    form = UserFilterForm(request.args)
    form.validate()
    page = queries.list_users(
        db.session,
        text=form.q.data or "",
        role=form.role.data or "",
        status=form.status.data or "",
        page=_page(),
    )
    return render_template(
        "admin/users.html",
        form=form,
        page=page,
        invitations=queries.list_open_invitations(db.session),
        invitation_labels=INVITATION_STATUS_LABELS,
        now=utcnow(),
        confirm=ConfirmForm(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin:users:write")
def invite_user():
    form = InviteUserForm(locale=current_locale_code())
    _organization_choices(form)
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: account_services.invite_user(
                db.session,
                _actor(),
                email=form.email.data,
                name=form.name.data,
                roles=form.roles.data,
                organization_id=form.organization_id.data,
                locale=form.locale.data,
            ),
        )
        if outcome.ok:
            flash(_("Invitation sent to %(email)s.", email=form.email.data.strip().lower()), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_invite.html", form=form), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("admin:users:write")
def edit_user(user_id: int):
    user = queries.find_user(db.session, user_id)
    ensure_visible(user is not None)
    form = EditUserForm(obj=user)
    _organization_choices(form, user.organization_id)
    if request.method == "GET":
        form.roles.data = [r.role for r in user.roles]
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: services.update_user(
                db.session,
                _actor(),
                user,
                name=form.name.data,
                email=form.email.data,
                organization_id=form.organization_id.data,
                locale=form.locale.data or None,
                timezone=form.timezone.data,
                roles=form.roles.data,
            ),
        )
        if outcome.ok:
            flash(_("Changes to %(name)s saved.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return (
        render_template("admin/user_edit.html", form=form, user=user, confirm=ConfirmForm()),
        400 if form.errors else 200,
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@require("admin:users:write")
def set_user_active(user_id: int):
    user = queries.find_user(db.session, user_id)
    ensure_visible(user is not None)
    active = request.form.get("active") == "1"
    if ConfirmForm().validate_on_submit() and commit_or_flash(
        lambda: services.set_user_active(db.session, _actor(), user, active)
    ):
        if active:
            flash(_("%(name)s can sign in again.", name=user.name), "success")
        else:
            flash(_("%(name)s has been deactivated and signed out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/invitations/<int:invitation_id>/<any(resend, revoke):action>", methods=["POST"])
@require("admin:users:write")
def invitation_action(invitation_id: int, action: str):
    invitation = queries.find_invitation(db.session, invitation_id)
    ensure_visible(invitation is not None)
    if ConfirmForm().validate_on_submit():
        service = account_services.resend_invitation if action == "resend" else account_services.revoke_invitation
        if commit_or_flash(lambda: service(db.session, _actor(), invitation)):
            if action == "resend":
                flash(_("Invitation sent again to %(email)s.", email=invitation.email), "success")
            else:
                flash(_("Invitation to %(email)s revoked.", email=invitation.email), "success")
    return redirect(url_for("admin.users"))


# --- organizations ------------------------------------------------------------------------------------


def _country_choices(form: OrganizationForm) -> None:
    form.country.choices = [("", _("Choose a country"))] + country_choices(current_locale_code())


@bp.route("/organizations")
@require("admin:organizations:read")
def organizations():
    form = OrganizationFilterForm(request.args)
    form.validate()
    page = queries.list_organizations(
        db.session, text=form.q.data or "", kind=form.kind.data or "", status=form.status.data or "", page=_page()
    )
    return render_template("admin/organizations.html", form=form, page=page)


@bp.route("/organizations/new", methods=["GET", "POST"])
@require("admin:organizations:write")
def new_organization():
    form = OrganizationForm()
    _country_choices(form)
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: services.create_organization(
                db.session,
                _actor(),
                name=form.name.data,
                kind=form.kind.data,
                country=form.country.data,
                city=form.city.data or "",
            ),
        )
        if outcome.ok:
            flash(_("Organization %(name)s created.", name=outcome.result.name), "success")
            return redirect(url_for("admin.organizations"))
    return render_template("admin/organization_form.html", form=form, organization=None), 400 if form.errors else 200


@bp.route("/organizations/<int:organization_id>", methods=["GET", "POST"])
@require("admin:organizations:write")
def edit_organization(organization_id: int):
    organization = queries.find_organization(db.session, organization_id)
    ensure_visible(organization is not None)
    form = OrganizationForm(obj=organization)
    _country_choices(form)
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: services.update_organization(
                db.session,
                _actor(),
                organization,
                name=form.name.data,
                kind=form.kind.data,
                country=form.country.data,
                city=form.city.data or "",
            ),
        )
        if outcome.ok:
            flash(_("Organization %(name)s saved.", name=organization.name), "success")
            return redirect(url_for("admin.organizations"))
    return (
        render_template("admin/organization_form.html", form=form, organization=organization, confirm=ConfirmForm()),
        400 if form.errors else 200,
    )


@bp.route("/organizations/<int:organization_id>/active", methods=["POST"])
@require("admin:organizations:write")
def set_organization_active(organization_id: int):
    organization = queries.find_organization(db.session, organization_id)
    ensure_visible(organization is not None)
    if ConfirmForm().validate_on_submit():
        active = request.form.get("active") == "1"
        services.set_organization_active(db.session, _actor(), organization, active)
        db.session.commit()
        if active:
            flash(_("Organization %(name)s reactivated.", name=organization.name), "success")
        else:
            flash(_("Organization %(name)s deactivated.", name=organization.name), "success")
    return redirect(url_for("admin.edit_organization", organization_id=organization.id))


# --- audit log ----------------------------------------------------------------------------------------


@bp.route("/audit")
@require("admin:audit:read")
def audit_log():
    form = AuditFilterForm(request.args)
    actions = queries.list_audit_actions(db.session)
    form.action.choices = [("", _("Any action"))] + [(a, action_label(a)) for a in actions]
    form.object_type.choices = [("", _("Any type"))] + [(t, t) for t in queries.list_audit_object_types(db.session)]
    valid = form.validate()
    page = queries.list_audit_events(
        db.session,
        action=form.action.data or "",
        actor=form.actor.data or "",
        object_type=form.object_type.data or "",
        object_id=form.object_id.data or "",
        since=form.since.data if valid else None,
        until=form.until.data if valid else None,
        page=_page(),
    )
    return render_template("admin/audit.html", form=form, page=page), 200 if valid else 400


# --- jobs ---------------------------------------------------------------------------------------------


@bp.get("/jobs")
@require("admin:jobs:read")
def jobs():
    return render_template(
        "admin/jobs.html",
        view=job_views.jobs_view(db.session, current_app),
        states=job_views.STATES,
        state_labels=job_views.STATE_LABELS,
        retry_form=ConfirmForm(),
    )


@bp.post("/jobs/<job_id>/retry")
@require("admin:jobs:write")
def retry_job(job_id: str):
    if ConfirmForm().validate_on_submit():
        try:
            label = job_views.retry_job(db.session, _actor(), current_app, job_id)
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(job)s: put back on the queue.", job=label), "success")
    return redirect(url_for("admin.jobs"))

