"""The public graduates page (`/graduates`, filterable by year and country) and the form on which a team's
leader (or an admin) shows the team there with one result line."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length

from qtp.cohorts.models import Team
from qtp.core.forms import commit_or_show
from qtp.core.i18n import country_name, current_locale_code
from qtp.core.permissions import SELF, ensure_allowed, ensure_visible, public, require
from qtp.core.text import fold
from qtp.extensions import db
from qtp.graduates import queries, services
from qtp.worksheets.queries import find_visible_team

bp = Blueprint("graduates", __name__, template_folder="templates")


class ListingForm(FlaskForm):
    listed = BooleanField(_l("Show our team on the public graduates page"))
    result = StringField(
        _l("Our result, in one line"),
        validators=[Length(max=services.RESULT_MAX)],
        description=_l(
            "For example: written consent before oral chemotherapy went from none of 40 patients to 29 of 40 in "
            "five months."
        ),
    )


@bp.get("/graduates")
@public
def index():
    locale = current_locale_code()
    everyone = queries.list_graduates(db.session)
    year = request.args.get("year", type=int)
    country = request.args.get("country") or None
    shown = [g for g in everyone if (year is None or g.year == year) and (country is None or g.country == country)]
    countries = sorted({g.country for g in everyone if g.country}, key=lambda code: fold(country_name(code, locale)))
    return render_template(
        "graduates/index.html",
        graduates=shown,
        years=sorted({g.year for g in everyone}, reverse=True),
        countries=[(code, country_name(code, locale)) for code in countries],
        year=year,
        country=country,
    )


def _team_for_listing(team_id: int) -> Team:
    """The team, for its leader and admins; 404 for whoever may not see the team, 403 for its other readers."""
    found = find_visible_team(db.session, current_user, team_id)
    ensure_visible(found is not None)
    team = found[0]  # type: ignore[index]
    ensure_allowed(services.may_manage(db.session, current_user, team))
    return team


@bp.route("/teams/<int:team_id>/graduate-listing", methods=["GET", "POST"])
@require(SELF)
def listing(team_id: int):
    team = _team_for_listing(team_id)
    form = ListingForm(data={"listed": team.graduate_listed, "result": team.graduate_result})
    if form.validate_on_submit():
        listed, result = bool(form.listed.data), form.result.data or ""
        outcome = commit_or_show(
            form, lambda: services.set_listing(db.session, current_user, team, listed=listed, result=result)
        )
        if outcome.ok:
            if not outcome.result:
                flash(_("Nothing was changed."), "success")
            elif listed:
                flash(_("Your team now appears on the graduates page."), "success")
            else:
                flash(_("Your team no longer appears on the graduates page."), "success")
            return redirect(url_for("graduates.listing", team_id=team.id), 303)
    status = 400 if form.is_submitted() else 200
    completed = services.has_completed(db.session, team)
    return render_template("graduates/listing.html", team=team, form=form, completed=completed), status
