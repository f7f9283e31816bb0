"""The participant's program: overview, modules, knowledge checks, self-assessment."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qtp.catalog.files import outline
from qtp.cohorts.calendar_feed import due_dates, feed_token
from qtp.core.forms import commit_or_show
from qtp.core.i18n import current_locale_code, user_today
from qtp.core.permissions import ensure_visible, require
from qtp.core.urls import external_url
from qtp.extensions import db
from qtp.progress import policy, queries, services
from qtp.progress.forms import SubmitForm

bp = Blueprint("progress", __name__, url_prefix="/learning", template_folder="templates")
PARTICIPATE = "learning:participate"


def _cohort(cohort_id: int):
    cohort = queries.find_member_cohort(db.session, current_user.id, cohort_id)
    ensure_visible(cohort is not None)
    return cohort


def _module(cohort, slug: str):
    module = queries.find_module(db.session, cohort.program_id, slug)
    ensure_visible(module is not None)
    return module


def _locked(cohort, module, access: policy.Access):
    locale = current_locale_code()
    titles = {}
    for slug in access.missing:
        required = queries.find_module(db.session, cohort.program_id, slug)
        titles[slug] = queries.text_for(required, locale).title if required else slug
    text = queries.text_for(module, locale)
    return render_template(
        "progress/locked.html", cohort=cohort, module=module, text=text, access=access, titles=titles
    ), 403


def _open_module(cohort_id: int, slug: str):
    """The cohort, the module (404 when not theirs), the member's completed modules, and the locked page
    to show instead when the module is closed."""
    cohort = _cohort(cohort_id)
    module = _module(cohort, slug)
    completed = queries.completed_slugs(db.session, current_user.id, cohort.program_id)
    access = queries.module_access(db.session, current_user.id, cohort, module, user_today(), completed)
    return cohort, module, completed, None if access.is_open else _locked(cohort, module, access)


@bp.route("/")
@require(PARTICIPATE)
def index():
    cohorts = queries.list_learning_cohorts(db.session, current_user.id)
    if len(cohorts) == 1:
        return redirect(url_for("progress.overview", cohort_id=cohorts[0].id))
    return render_template("progress/cohorts.html", cohorts=cohorts)


@bp.route("/<int:cohort_id>")
@require(PARTICIPATE)
def overview(cohort_id: int):
    cohort = _cohort(cohort_id)
    today = user_today()
    locale = current_locale_code()
    data = queries.program_overview(db.session, current_user.id, cohort, locale, today)
    feed = external_url("calendar.feed", token=feed_token(current_user.id, cohort.id))
    return render_template(
        "progress/overview.html",
        cohort=cohort,
        overview=data,
        today=today,
        due=due_dates(db.session, cohort, locale),
        feed_url=feed,
        webcal_url="webcal://" + feed.split("://", 1)[1],
    )


@bp.route("/<int:cohort_id>/modules/<slug>")
@require(PARTICIPATE)
def module(cohort_id: int, slug: str):
    cohort, module, completed_slugs, locked = _open_module(cohort_id, slug)
    if locked is not None:
        return locked
    text = queries.text_for(module, current_locale_code())
    completed = module.slug in completed_slugs
    best = queries.best_scores(db.session, current_user.id, cohort.program_id).get(module.id)
    team_id, practice = queries.module_practice(db.session, current_user.id, cohort.id, module, current_locale_code())
    return render_template(
        "progress/module.html",
        place=queries.module_place(db.session, module, current_locale_code()),
        sections=outline(text.body_html),
        team_id=team_id,
        practice=practice,
        cohort=cohort,
        module=module,
        text=text,
        completed=completed,
        best=best,
        form=SubmitForm(),
        requested_locale=current_locale_code(),
    )


@bp.route("/<int:cohort_id>/modules/<slug>/complete", methods=["POST"])
@require(PARTICIPATE)
def complete(cohort_id: int, slug: str):
    cohort = _cohort(cohort_id)
    module = _module(cohort, slug)
    form = SubmitForm()
    if form.validate_on_submit():
        outcome = commit_or_show(
            form, lambda: services.complete_module(db.session, current_user, cohort, module, user_today())
        )
        if outcome.ok:
            flash(_("Module marked as complete."), "success")
        else:
            flash(" ".join(form.form_errors), "error")
    return redirect(url_for("progress.module", cohort_id=cohort.id, slug=module.slug))


@bp.route("/<int:cohort_id>/modules/<slug>/check", methods=["GET", "POST"])
@require(PARTICIPATE)
def check(cohort_id: int, slug: str):
    cohort, module, _completed, locked = _open_module(cohort_id, slug)
    if locked is not None:
        return locked
    text = queries.text_for(module, current_locale_code())
    form = SubmitForm()
    answers = {q["id"]: request.form.getlist(f"q-{q['id']}") for q in module.questions}
    if form.validate_on_submit():
        outcome = commit_or_show(
            form,
            lambda: services.submit_knowledge_check(db.session, current_user, cohort, module, answers, user_today()),
        )
        if outcome.ok:
            return redirect(
                url_for("progress.attempt", cohort_id=cohort.id, slug=module.slug, attempt_id=outcome.result.id)
            )
    submitted = form.is_submitted()
    unanswered = {q["id"] for q in module.questions if not answers[q["id"]]} if submitted else set()
    return render_template(
        "progress/check.html",
        cohort=cohort,
        module=module,
        text=text,
        form=form,
        answers=answers,
        unanswered=unanswered,
        place=queries.module_place(db.session, module, current_locale_code()),
    ), 400 if submitted else 200


@bp.route("/<int:cohort_id>/modules/<slug>/attempts/<int:attempt_id>")
@require(PARTICIPATE)
def attempt(cohort_id: int, slug: str, attempt_id: int):
    cohort = _cohort(cohort_id)
    module = _module(cohort, slug)
    found = queries.find_attempt(db.session, current_user.id, attempt_id)
    ensure_visible(found is not None and found.module_id == module.id)
    _correct, _total, results = policy.score(module.questions, found.answers)
    best = queries.best_scores(db.session, current_user.id, cohort.program_id).get(module.id)
    return render_template(
        "progress/attempt.html",
        cohort=cohort,
        module=module,
        text=queries.text_for(module, current_locale_code()),
        attempt=found,
        results=results,
        best=best,
        pass_mark=cohort.program.pass_mark,
        same_version=found.content_version == module.content_hash,
        place=queries.module_place(db.session, module, current_locale_code()),
    )


@bp.route("/<int:cohort_id>/self-assessment")
@require(PARTICIPATE)
def self_assessment_results(cohort_id: int):
    cohort = _cohort(cohort_id)
    config = cohort.program.config.get("self_assessment")
    ensure_visible(bool(config))
    responses = queries.self_assessments(db.session, current_user.id, cohort.id)
    data = queries.program_overview(db.session, current_user.id, cohort, current_locale_code(), user_today())
    return render_template(
        "progress/self_assessment_results.html", cohort=cohort, config=config, responses=responses, overview=data
    )


@bp.route("/<int:cohort_id>/self-assessment/<any(pre, post):kind>", methods=["GET", "POST"])
@require(PARTICIPATE)
def self_assessment(cohort_id: int, kind: str):
    cohort = _cohort(cohort_id)
    config = cohort.program.config.get("self_assessment")
    ensure_visible(bool(config))
    form = SubmitForm()
    ratings: dict[str, dict[str, int | None]] = {}
    for topic in config["topics"]:
        ratings[topic["id"]] = {
            aspect: request.form.get(f"{aspect}-{topic['id']}", type=int) for aspect in ("knowledge", "confidence")
        }
    if form.validate_on_submit():
        outcome = commit_or_show(
            form, lambda: services.submit_self_assessment(db.session, current_user, cohort, kind, ratings, user_today())
        )
        if outcome.ok:
            flash(_("Thank you: your self-assessment has been saved."), "success")
            return redirect(url_for("progress.self_assessment_results", cohort_id=cohort.id))
    elif request.method == "GET":
        data = queries.program_overview(db.session, current_user.id, cohort, current_locale_code(), user_today())
        if not data.can_take.get(kind):
            flash(_("This self-assessment is not open to you, or you have already taken it."), "info")
            return redirect(url_for("progress.self_assessment_results", cohort_id=cohort.id))
    return render_template(
        "progress/self_assessment.html", cohort=cohort, config=config, kind=kind, form=form, ratings=ratings
    ), 400 if form.is_submitted() else 200
