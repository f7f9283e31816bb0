"""Progress pages: a cohort's dashboard for its faculty, coaches and admins (teams, members, self-assessment;
sortable; CSV), and a team's progress page with its IHI score (routes on the cohorts blueprint)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from babel.numbers import format_decimal
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from qtp.catalog.schedule import phase_dates
from qtp.cohorts import policy
from qtp.cohorts.models import ATTENDANCE_LABELS, AttendanceStatus, Cohort
from qtp.cohorts.queries import staff_roles
from qtp.cohorts.views import bp
from qtp.core.forms import commit_or_flash
from qtp.core.i18n import current_locale_code, user_today
from qtp.core.permissions import Role, ensure_allowed, ensure_visible, require
from qtp.core.spreadsheet import csv_response
from qtp.extensions import db
from qtp.progress import dashboards, grid, scores, team_page
from qtp.progress.models import PROGRESS_SCORES, ProgressScore
from qtp.worksheets.models import STATUS_LABELS, WorksheetStatus
from qtp.worksheets.policy import can_view
from qtp.worksheets.queries import find_visible_team, team_access

VIEWS = ("teams", "members", "self-assessment")


def _cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)  # with its program; events and due dates load when a view reads them
    ensure_visible(cohort is not None)
    roles = staff_roles(db.session, current_user.id, cohort.id)
    ensure_visible(policy.can_view_cohort(current_user.has_role(Role.ADMIN), roles))  # another cohort's: 404
    return cohort  # type: ignore[return-value]


def _sorted(rows: list, keys: dict[str, Callable[[Any], Any]], default: str) -> tuple[list, str, str]:
    sort = request.args.get("sort", default)
    sort = sort if sort in keys else default
    direction = "desc" if request.args.get("dir") == "desc" else "asc"
    return sorted(rows, key=keys[sort], reverse=direction == "desc"), sort, direction


def _status_text(cell) -> str:
    text = str(STATUS_LABELS[WorksheetStatus(cell.status)]) if cell.status else _("Not started")
    return _("%(status)s (late)", status=text) if cell.is_late else text


def _teams(cohort: Cohort, locale: str, as_csv: bool):
    columns, rows = dashboards.teams_dashboard(db.session, cohort, locale, user_today())
    keys = {
        "team": lambda r: r.project_title.casefold(),
        "coach": lambda r: r.coach.casefold(),
        "approved": lambda r: r.approved,
        "late": lambda r: r.late,
        "score": lambda r: _score_number(r.score.confirmed) or -1.0,
    }
    rows, sort, direction = _sorted(rows, keys, "team")
    if as_csv:
        header = [_("Team"), _("Practice"), _("Improvement coach"), *[c.title for c in columns]]
        header += [_("Approved"), _("Late"), _("Progress score"), _("Proposed score")]
        body = [
            [r.project_title, r.organization, r.coach, *[_status_text(r.cells[c.key]) for c in columns]]
            + [r.approved, r.late, _score_number(r.score.confirmed), _score_number(r.score.pending)]
            for r in rows
        ]
        return csv_response(f"{cohort.slug}-teams", header, body, locale)
    labels = {status.value: str(label) for status, label in STATUS_LABELS.items()}
    cells = grid.worksheet_cells(rows, [c.key for c in columns], labels, _("Not started"), _("Late"))
    due_dates = {d.worksheet_type: d.due_on for d in cohort.due_dates}

    @cache  # ten possible scores: each formatted once
    def score_text(score: str | None) -> str:
        return format_decimal(float(score), locale=locale) if score else ""

    return dict(
        columns=columns,
        rows=rows,
        sort=sort,
        direction=direction,
        cells=cells,
        due_dates=due_dates,
        score_text=score_text,
        proposed=_("proposed: %(score)s", score="{score}"),  # translated once for every row
    )


def _score_number(score: str | None) -> float | None:
    return float(score) if score else None


def _members(cohort: Cohort, locale: str, as_csv: bool):
    modules, sessions, rows = dashboards.members_dashboard(db.session, cohort, locale)
    keys = {
        "name": lambda r: r.name.casefold(),
        "team": lambda r: (r.team.casefold(), r.name.casefold()),
        "modules": lambda r: len(r.completed),
        "attendance": lambda r: r.attended,
    }
    rows, sort, direction = _sorted(rows, keys, "team")
    session_titles = cohort.program.session_titles(locale)
    if as_csv:
        header = [_("Participant"), _("Team"), _("Role in the team"), _("Modules completed")]
        header += [m.title for m in modules] + [s.title_in(locale, session_titles) for s in sessions]
        body = []
        for r in rows:
            line: list[object] = [r.name, r.team, r.role, len(r.completed)]
            for m in modules:
                module_id = int(m.key)
                done = _("Completed") if module_id in r.completed else ""
                best = r.best.get(module_id)
                line.append(f"{done} ({best}%)".strip() if best is not None else done)
            line += [
                str(ATTENDANCE_LABELS[AttendanceStatus(r.attendance[s.id])]) if s.id in r.attendance else ""
                for s in sessions
            ]
            body.append(line)
        return csv_response(f"{cohort.slug}-members", header, body, locale)
    module_cells, attendance_cells = grid.member_cells(
        rows,
        [int(m.key) for m in modules],
        cohort.program.pass_mark,
        [e.id for e in sessions],
        {status.value: str(label) for status, label in ATTENDANCE_LABELS.items()},
        _("completed"),
    )
    return dict(
        modules=modules,
        sessions=sessions,
        session_titles=session_titles,
        rows=rows,
        sort=sort,
        direction=direction,
        module_cells=module_cells,
        attendance_cells=attendance_cells,
        pass_mark=cohort.program.pass_mark,
    )


def _self_assessment(cohort: Cohort, locale: str, as_csv: bool):
    topics, gains, scale = dashboards.self_assessment_dashboard(db.session, cohort, locale)
    titles = {t.key: t.title for t in topics}
    keys = {
        "topic": lambda g: titles.get(g.topic, g.topic).casefold(),
        "knowledge": lambda g: g.knowledge if g.knowledge is not None else -99.0,
        "confidence": lambda g: g.confidence if g.confidence is not None else -99.0,
        "pairs": lambda g: g.pairs,
    }
    gains, sort, direction = _sorted(gains, keys, "topic")
    if as_csv:
        header = [_("Topic"), _("Participants with both"), _("Change in knowledge"), _("Change in confidence")]
        body = [
            [
                titles.get(g.topic, g.topic),
                g.pairs,
                round(g.knowledge, 2) if g.knowledge is not None else None,
                round(g.confidence, 2) if g.confidence is not None else None,
            ]
            for g in gains
        ]
        return csv_response(f"{cohort.slug}-self-assessment", header, body, locale)

    def signed(value: float) -> str:
        return format_decimal(value, format="+0.0;-0.0", locale=locale)

    dates = phase_dates(cohort.program.config, cohort.starts_on, cohort.ends_on, cohort.phase_starts)
    return dict(
        gains=gains,
        titles=titles,
        scale=scale,
        sort=sort,
        direction=direction,
        signed=signed,
        any_pairs=any(g.pairs for g in gains),
        post_opens_on=dates[-1].starts_on if dates else cohort.ends_on,
        today=user_today(),
    )


BUILDERS = {"teams": _teams, "members": _members, "self-assessment": _self_assessment}


@bp.get("/cohorts/<int:cohort_id>/dashboard", defaults={"view": "teams"})
@bp.get("/cohorts/<int:cohort_id>/dashboard/<view>")
@require("cohorts:dashboard")
def dashboard(cohort_id: int, view: str):
    ensure_visible(view in VIEWS)
    cohort = _cohort(cohort_id)
    context = BUILDERS[view](cohort, current_locale_code(), False)
    return render_template(f"cohorts/dashboard_{view.replace('-', '_')}.html", cohort=cohort, view=view, **context)


@bp.get("/cohorts/<int:cohort_id>/dashboard/<view>.csv")
@require("cohorts:dashboard")
def dashboard_csv(cohort_id: int, view: str):
    ensure_visible(view in VIEWS)
    cohort = _cohort(cohort_id)
    return BUILDERS[view](cohort, current_locale_code(), True)


# --- the team's progress page --------------------------------------------------------------------------


@bp.get("/teams/<int:team_id>/progress")
@require("worksheets:access")
def team_progress(team_id: int):
    team = team_page.find_team(db.session, team_id)  # with what the page shows of it, in one statement
    ensure_visible(team is not None)
    access = team_access(db.session, current_user, team)
    ensure_visible(can_view(access))
    page = team_page.team_page(db.session, team, current_locale_code(), user_today())
    return render_template(
        "cohorts/team_progress.html",
        team=team,
        page=page,
        can_propose=scores.can_propose(access),
        can_confirm=scores.can_confirm(access),
        score_labels=PROGRESS_SCORES,
        status_label_of=lambda status: STATUS_LABELS[WorksheetStatus(status)],
        charts=[(c, Markup(c.chart_svg)) for c in page.charts],  # noqa: S704 (measurement.svg escapes every text)
    )


@bp.post("/teams/<int:team_id>/progress/score")
@require("worksheets:access")
def propose_score(team_id: int):
    found = find_visible_team(db.session, current_user, team_id)
    ensure_visible(found is not None)
    team, access = found  # type: ignore[misc]
    ensure_allowed(scores.can_propose(access))
    score, note = request.form.get("score", ""), request.form.get("note", "")
    if commit_or_flash(lambda: scores.propose_score(db.session, current_user, team, score, note)):
        flash(_("Score proposed. Your coach will confirm it."), "success")
    return redirect(url_for("cohorts.team_progress", team_id=team.id, _anchor="score"), 303)


@bp.post("/teams/<int:team_id>/progress/score/<int:score_id>/confirm")
@require("worksheets:access")
def confirm_score(team_id: int, score_id: int):
    found = find_visible_team(db.session, current_user, team_id)
    ensure_visible(found is not None)
    team, access = found  # type: ignore[misc]
    proposal = db.session.get(ProgressScore, score_id)
    ensure_visible(proposal is not None and proposal.team_id == team.id)
    ensure_allowed(scores.can_confirm(access))
    score = request.form.get("score", "")
    if commit_or_flash(lambda: scores.confirm_score(db.session, current_user, team, proposal, score)):
        flash(_("Progress score confirmed."), "success")
    return redirect(url_for("cohorts.team_progress", team_id=team.id, _anchor="score"), 303)
