"""The review queue and the review page (faculty and coaches of the team's cohort, the team's coach)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from qtp.core.forms import show_service_error
from qtp.core.i18n import current_locale_code
from qtp.core.ids import parse_id
from qtp.core.permissions import ensure_visible, require
from qtp.core.service import ServiceError
from qtp.extensions import db
from qtp.measurement.queries import list_measure_charts
from qtp.review import forms, policy, queries, services
from qtp.review.models import Decision
from qtp.worksheets import data as worksheet_data
from qtp.worksheets import page
from qtp.worksheets import queries as worksheet_queries
from qtp.worksheets.diagrams import diagram_for, process_map_for
from qtp.worksheets.models import STATUS_LABELS, Worksheet, WorksheetStatus

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")
PERMISSION = services.PERMISSION


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


@bp.get("/")
@require(PERMISSION)
def queue():
    locale = current_locale_code()
    status = request.args.get("status", WorksheetStatus.SUBMITTED)
    if status not in queries.QUEUE_STATUSES:
        status = WorksheetStatus.SUBMITTED
    options = queries.list_queue_options(db.session, current_user, locale)
    type_slug = request.args.get("type", "")
    filters = queries.QueueFilters(
        cohort_id=_int_arg("cohort"),
        team_id=_int_arg("team"),
        type_slug=type_slug if any(c.value == type_slug for c in options.types) else None,
        status=status,
    )
    items = queries.list_queue(db.session, current_user, locale, filters)
    decided = _int_arg("decided")
    return render_template(
        "review/queue.html",
        items=items,
        next_item=queries.next_waiting(db.session, current_user, locale, decided) if decided else None,
        options=options,
        filters=filters,
        statuses=[queries.Choice(s.value, str(STATUS_LABELS[s])) for s in queries.QUEUE_STATUSES],
    )


def _charts(worksheet: Worksheet) -> list:
    """The run charts that belong with the submission: the measure's own, or every measure for the storyboard."""
    slug = worksheet.type.slug
    if slug not in ("measures", "storyboard"):
        return []
    charts = list_measure_charts(db.session, worksheet.team_id)
    return [
        (chart, Markup(chart.chart_svg))  # noqa: S704 (built by measurement.svg, which escapes every text)
        for chart in charts
        if slug == "storyboard" or chart.record_no == worksheet.record_no
    ]


def _render(worksheet: Worksheet, form, status: int = 200, **extra):
    locale = current_locale_code()
    wtype = worksheet.type
    texts = wtype.text(locale)
    latest, previous = queries.submitted_revisions(worksheet)
    data = latest.data if latest else worksheet.data
    refs = worksheet_queries.ref_values(db.session, worksheet.team_id, wtype.definition)
    links = worksheet_queries.link_choices(db.session, worksheet.team_id, wtype.definition)
    svg = diagram_for(wtype.slug, data, refs, texts)
    rubric = wtype.definition.get("rubric") or []
    context = dict(
        worksheet=worksheet,
        team=worksheet.team,
        wtype=wtype,
        texts=texts,
        record=queries.record_label(wtype.slug, worksheet.record_no, worksheet.data, wtype.is_repeatable),
        latest=latest,
        previous=previous,
        changes=worksheet_data.diff(wtype.definition, texts, previous.data, data) if previous else [],
        shown=page.shown_values(wtype, locale, data, refs, links),
        diagram=Markup(svg) if svg else None,  # noqa: S704 (our SVG code escapes every text)
        process_map=process_map_for(data, texts, narrow=True) if wtype.slug == "process-map" else None,
        charts=_charts(worksheet),
        reviews=queries.list_reviews(db.session, worksheet.id),
        form=form,
        rubric=rubric,
        scored=sum(1 for c in rubric if form["score-" + c["id"]].data),
        next_item=queries.next_waiting(db.session, current_user, locale, worksheet.id),
        can_decide=policy.is_waiting(worksheet.status),
        already=None,
    )
    context.update(extra)
    return render_template("review/review.html", **context), status


def _load(worksheet_id: int) -> Worksheet:
    found = queries.find_reviewable(db.session, current_user, worksheet_id)
    ensure_visible(found is not None)
    return found[0]  # type: ignore[index]


@bp.get("/<int:worksheet_id>")
@require(PERMISSION)
def show(worksheet_id: int):
    worksheet = _load(worksheet_id)
    cls = forms.build_review_form(worksheet.type.definition, worksheet.type.text(current_locale_code()))
    form = cls(formdata=None)
    form.base_version.data = str(worksheet.version)
    return _render(worksheet, form)


@bp.post("/<int:worksheet_id>")
@require(PERMISSION)
def decide(worksheet_id: int):
    worksheet = _load(worksheet_id)
    form = forms.build_review_form(worksheet.type.definition, worksheet.type.text(current_locale_code()))()
    version = (form.base_version.data or "").strip()
    base_version = parse_id(version, -1)
    if not policy.decision_is_open(worksheet.status, base_version, worksheet.version):
        return _already_decided(worksheet, form)
    decision = request.form.get("decision", "")
    if decision not in (Decision.APPROVE, Decision.RETURN):
        form.form_errors.append(_("Choose whether to approve the worksheet or return it for revision."))
        return _render(worksheet, form, 400)
    if not form.validate():
        return _render(worksheet, form, 400)
    decision_request = services.DecisionRequest(
        decision=decision,
        base_version=base_version,
        scores=forms.scores(form),
        criterion_comments=forms.prefixed(form, forms.CRITERION_COMMENT),
        field_comments=forms.prefixed(form, forms.FIELD_COMMENT),
        comment=form.comment.data or "",
    )
    try:
        services.decide(db.session, current_user, worksheet, decision_request)
    except services.AlreadyDecided:
        db.session.rollback()
        return _already_decided(_load(worksheet_id), form)
    except ServiceError as error:
        db.session.rollback()
        show_service_error(form, error)
        return _render(_load(worksheet_id), form, 400)
    db.session.commit()
    if decision == Decision.APPROVE:
        flash(_("Approved. The team has been told by e-mail; the worksheet is now locked."), "success")
    else:
        flash(_("Returned for revision. The team has been told by e-mail and can edit the worksheet again."), "success")
    return redirect(url_for("review.queue", decided=worksheet_id), 303)


def _already_decided(worksheet: Worksheet, form):
    """Someone else decided first (or the submission changed): say who and what, and show this reviewer's
    form again exactly as typed, so that nothing is lost."""
    already = queries.find_latest_review(db.session, worksheet.id)
    form.base_version.data = str(worksheet.version)  # a new submission since then can be reviewed from here
    return _render(worksheet, form, 409, already=already or True)
