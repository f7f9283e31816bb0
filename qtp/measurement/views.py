"""Measures of a team: data points, CSV import, run and control charts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError

from qtp.cohorts.models import Team
from qtp.core.i18n import current_locale_code, user_today
from qtp.core.ids import query_id
from qtp.core.permissions import ensure_allowed, ensure_visible, require
from qtp.core.service import ServiceError
from qtp.extensions import db
from qtp.measurement import describe, queries, services
from qtp.measurement.charting import chart_choices, measure_info
from qtp.measurement.csv_import import MAX_BYTES, ImportRefused, Problem
from qtp.measurement.forms import AstronomicalForm, DeleteForm, ImportForm, PointForm, SettingsForm
from qtp.measurement.models import DataPoint
from qtp.measurement.rules import NOTE_MAX, check_entry
from qtp.worksheets.models import Worksheet
from qtp.worksheets.policy import TeamAccess, can_edit
from qtp.worksheets.queries import find_type
from qtp.worksheets.views import load_team

bp = Blueprint("measurement", __name__, url_prefix="/teams", template_folder="templates")
ACCESS = "worksheets:access"
MEASURE = "/<int:team_id>/measures/<int:record_no>"


def _link(endpoint: str, **values: object) -> str | None:
    """A link to a page another part of the app provides, or None while it does not exist."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _choice(fields: dict, field: str, value: str) -> str:
    """The translated label of a choice of the measures worksheet (its scale, its type)."""
    return ((fields.get(field) or {}).get("choices") or {}).get(value, value)


def _load(team_id: int, record_no: int) -> tuple[Team, TeamAccess, Worksheet]:
    team, access = load_team(team_id)
    measure = queries.find_measure(db.session, team.id, record_no)
    ensure_visible(measure is not None)
    return team, access, measure  # type: ignore[return-value]


def _load_for_data(team_id: int, record_no: int) -> tuple[Team, TeamAccess, Worksheet]:
    """For the POST endpoints: 404 for what the user may not see, then 403 unless they enter data."""
    team, access, measure = _load(team_id, record_no)
    ensure_allowed(can_edit(access, True))
    return team, access, measure


def _point(measure: Worksheet, point_id: int) -> DataPoint:
    point = queries.find_point(db.session, measure.id, point_id)
    ensure_visible(point is not None)
    return point  # type: ignore[return-value]


def _back(team: Team, measure: Worksheet, anchor: str | None = None):  # noqa: ANN202
    return redirect(
        url_for("measurement.measure", team_id=team.id, record_no=measure.record_no, _anchor=anchor), code=303
    )


def _show_problems(form: PointForm, problems: list[tuple[str, str]]) -> None:
    for field_name, message in problems:
        field = getattr(form, field_name, None)
        if field is None:
            form.form_errors.append(message)
        elif not field.errors:
            field.errors = [*field.errors, message]


def _invalid_entry(form: PointForm, scale: str) -> None:
    """When a field cannot be read, the rules still speak for the fields that could."""
    _show_problems(
        form, [(f, m) for f, m in check_entry(scale, form.entry(), user_today()) if not getattr(form, f).errors]
    )


@bp.get("/<int:team_id>/measures")
@require(ACCESS)
def index(team_id: int):
    team, access = load_team(team_id)
    charts = queries.list_measure_charts(db.session, team.id, with_svg=False)
    wtype = find_type(db.session, queries.MEASURES)
    fields = wtype.text(current_locale_code())["fields"] if wtype else {}
    return render_template(
        "measurement/index.html",
        team=team,
        access=access,
        charts=charts,
        choice=lambda field, value: _choice(fields, field, value),
        format_value=describe.format_value,
        format_period=lambda period: describe.format_period(period, period.day == 1),
        new_measure_url=_link("worksheets.new_record", team_id=team.id, slug=queries.MEASURES)
        if can_edit(access, True)
        else None,
        workspace_url=_link("worksheets.workspace", team_id=team.id),
    )


def _page(
    team: Team,
    access: TeamAccess,
    measure: Worksheet,
    *,
    status: int = 200,
    point_form: PointForm | None = None,
    edit_form: PointForm | None = None,
    edit_id: int | None = None,
    settings_form: SettingsForm | None = None,
    import_form: ImportForm | None = None,
    import_problems: list[Problem] | None = None,
    refused_at: str | None = None,
):  # noqa: ANN202
    """The measure page; after a refused POST (status 400) the form concerned shows what is wrong."""
    info = measure_info(measure)
    points = queries.list_points(db.session, measure.id)
    setting = queries.find_setting(db.session, measure.id)
    cycles = queries.list_pdsa_cycles(db.session, team.id)
    chart = queries.measure_chart(info, points, setting, cycles)
    editable = can_edit(access, True)
    if edit_id is None and editable:
        edit_id = query_id(request.args, "edit")
    editing = next((p for p in points if p.id == edit_id), None)
    if editing is not None and edit_form is None:
        edit_form = PointForm(formdata=None, obj=editing)
    if settings_form is None:
        settings_form = SettingsForm(
            formdata=None,
            chart=chart.requested,
            baseline_points=setting.baseline_points if setting else None,
            rules=chart.rules,
        )
    settings_form.chart.choices = [(kind, describe.chart_name(kind)) for kind in chart_choices(info.scale)]
    monthly = describe.is_monthly([p.period for p in points])
    refused = None
    if refused_at:
        refused = {"anchor": refused_at, "message": _("Nothing was saved: please correct what is marked below.")}
    fields = measure.type.text(current_locale_code())["fields"]
    body = render_template(
        "measurement/measure.html",
        team=team,
        access=access,
        measure=measure,
        info=info,
        chart=chart,
        svg=Markup(chart.svg),  # noqa: S704 (built by svg.py, which escapes every text it is given)
        editable=editable,
        editing=editing if editable else None,
        point_form=point_form or PointForm(formdata=None),
        edit_form=edit_form,
        settings_form=settings_form,
        import_form=import_form or ImportForm(formdata=None),
        import_problems=import_problems,
        refused=refused,
        note_max=NOTE_MAX,
        choice=lambda field, value: _choice(fields, field, value),
        format_value=lambda value: describe.format_value(value, info.scale),
        format_period=lambda period: describe.format_period(period, monthly),
        definition_url=_link("worksheets.edit", team_id=team.id, slug=queries.MEASURES, record_no=measure.record_no),
        cycle_url=lambda record_no: _link("worksheets.edit", team_id=team.id, slug=queries.PDSA, record_no=record_no),
        workspace_url=_link("worksheets.workspace", team_id=team.id),
    )
    return body, status


@bp.get(MEASURE)
@require(ACCESS)
def measure(team_id: int, record_no: int):
    team, access, found = _load(team_id, record_no)
    return _page(team, access, found)


@bp.post(MEASURE + "/points")
@require(ACCESS)
def add_point(team_id: int, record_no: int):
    team, access, measure = _load_for_data(team_id, record_no)
    form = PointForm()
    if not form.validate_on_submit():
        _invalid_entry(form, measure_info(measure).scale)
        return _page(team, access, measure, status=400, point_form=form, refused_at="add-point")
    try:
        point = services.add_point(db.session, current_user, team, measure, form.entry(), today=user_today())
    except ServiceError as error:
        db.session.rollback()
        _show_problems(form, getattr(error, "problems", None) or [(error.field or "", error.message)])
        return _page(team, access, measure, status=400, point_form=form, refused_at="add-point")
    db.session.commit()
    flash(
        _("Data point added for %(period)s.", period=describe.format_period(point.period, point.period.day == 1)),
        "success",
    )
    return _back(team, measure, "data")


@bp.post(MEASURE + "/points/<int:point_id>")
@require(ACCESS)
def update_point(team_id: int, record_no: int, point_id: int):
    team, access, measure = _load_for_data(team_id, record_no)
    point = _point(measure, point_id)
    if "is_astronomical" in request.form:
        toggle = AstronomicalForm()
        ensure_allowed(toggle.validate_on_submit())
        services.set_astronomical(db.session, current_user, team, measure, point, toggle.flagged)
        db.session.commit()
        message = _("Point marked as astronomical.") if toggle.flagged else _("Astronomical flag removed.")
        flash(message, "success")
        return _back(team, measure, "data")
    form = PointForm()
    if not form.validate_on_submit():
        _invalid_entry(form, measure_info(measure).scale)
        return _page(team, access, measure, status=400, edit_form=form, edit_id=point.id, refused_at="edit-point")
    try:
        services.update_point(db.session, current_user, team, measure, point, form.entry(), today=user_today())
    except ServiceError as error:
        db.session.rollback()
        _show_problems(form, getattr(error, "problems", None) or [(error.field or "", error.message)])
        return _page(team, access, measure, status=400, edit_form=form, edit_id=point_id, refused_at="edit-point")
    db.session.commit()
    flash(_("Data point changed."), "success")
    return _back(team, measure, "data")


@bp.post(MEASURE + "/points/<int:point_id>/delete")
@require(ACCESS)
def delete_point(team_id: int, record_no: int, point_id: int):
    team, access, measure = _load_for_data(team_id, record_no)
    point = _point(measure, point_id)
    ensure_allowed(DeleteForm().validate_on_submit())
    services.delete_point(db.session, current_user, team, measure, point)
    db.session.commit()
    flash(_("Data point deleted."), "success")
    return _back(team, measure, "data")


@bp.post(MEASURE + "/import")
@require(ACCESS)
def import_csv(team_id: int, record_no: int):
    team, access, measure = _load_for_data(team_id, record_no)
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(team, access, measure, status=400, import_form=form, refused_at="import")
    data = form.file.data.stream.read(MAX_BYTES + 1)
    try:
        outcome = services.import_points(db.session, current_user, team, measure, data, today=user_today())
    except ImportRefused as refused:
        db.session.rollback()
        form.file.errors = [refused.message]
        return _page(
            team, access, measure, status=400, import_form=form, import_problems=refused.problems, refused_at="import"
        )
    except ServiceError as error:
        db.session.rollback()
        form.file.errors = [error.message]
        return _page(team, access, measure, status=400, import_form=form, refused_at="import")
    db.session.commit()
    if outcome.queued:
        message = ngettext(
            "%(num)s data point is being imported; it appears in a minute.",
            "%(num)s data points are being imported; they appear in a minute.",
            outcome.count,
        )
    else:
        message = ngettext("%(num)s data point imported.", "%(num)s data points imported.", outcome.count)
    flash(message, "success")
    return _back(team, measure, "data")


@bp.post(MEASURE + "/settings")
@require(ACCESS)
def save_settings(team_id: int, record_no: int):
    team, access, measure = _load_for_data(team_id, record_no)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            services.save_chart_setting(
                db.session,
                current_user,
                team,
                measure,
                form.chart.data or "",
                form.baseline_points.data,
                form.rules.data or "ihi",
            )
        except ServiceError as error:
            db.session.rollback()
            _show_problems(form, [(error.field or "", error.message)])  # type: ignore[arg-type]
        else:
            db.session.commit()
            flash(_("Chart settings saved."), "success")
            return _back(team, measure, "measure-chart")
    return _page(team, access, measure, status=400, settings_form=form, refused_at="settings")
