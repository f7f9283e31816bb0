"""The review form, built from the worksheet type's rubric and fields: a level and a comment per criterion,
a comment per field, and an overall comment."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from qtp.review.services import MAX_COMMENT, MAX_FIELD_COMMENT

SCORE = "score-"
CRITERION_COMMENT = "criterion-comment-"
FIELD_COMMENT = "field-comment-"


def build_review_form(definition: dict[str, Any], texts: dict[str, Any]) -> type[FlaskForm]:
    attrs: dict[str, Any] = {}
    rubric_texts = texts.get("rubric") or {}
    for criterion in definition.get("rubric") or []:
        cid = criterion["id"]
        labels = rubric_texts.get(cid) or {}
        levels = labels.get("levels") or {}
        attrs[SCORE + cid] = RadioField(
            labels.get("label", cid),
            choices=[(str(n), levels.get(str(n), str(n))) for n in range(1, int(criterion["levels"]) + 1)],
            validators=[InputRequired(message=_l("Choose a level."))],
        )
        attrs[CRITERION_COMMENT + cid] = TextAreaField(
            _l("Comment on this criterion (optional)"), validators=[Optional(), Length(max=MAX_FIELD_COMMENT)]
        )
    field_texts = texts.get("fields") or {}
    for spec in definition["fields"]:
        if spec["kind"] == "ref":
            continue
        attrs[FIELD_COMMENT + spec["id"]] = TextAreaField(
            _l("Comment on “%(field)s” (optional)", field=field_texts.get(spec["id"], {}).get("label", spec["id"])),
            validators=[Optional(), Length(max=MAX_FIELD_COMMENT)],
        )
    attrs["comment"] = TextAreaField(
        _l("Overall comment"),
        description=_l("What the team did well and what to improve. Required when you return the worksheet."),
        validators=[Optional(), Length(max=MAX_COMMENT)],
    )
    attrs["base_version"] = HiddenField()
    return type("ReviewForm", (FlaskForm,), attrs)


def scores(form: FlaskForm) -> dict[str, int]:
    return {
        name[len(SCORE) :]: int(f.data)
        for name, f in form._fields.items()
        if name.startswith(SCORE) and f.data and str(f.data).isdigit()
    }


def prefixed(form: FlaskForm, prefix: str) -> dict[str, str]:
    return {name[len(prefix) :]: f.data or "" for name, f in form._fields.items() if name.startswith(prefix)}
