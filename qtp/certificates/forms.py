"""Forms: checking a PDF on the public verification page, and the admins' revoke or re-issue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from qtp.certificates.services import REASON_MAX


class LookupForm(FlaskForm):
    """The serial typed or pasted from a certificate (GET: no CSRF token needed to look something up)."""

    class Meta:
        csrf = False

    serial = StringField(
        _l("Certificate number"),
        validators=[DataRequired(_l("Enter the certificate number printed on the certificate."))],
        description=_l("32 letters and digits, printed under “Certificate number”; hyphens and spaces are ignored."),
    )


class CheckFileForm(FlaskForm):
    file = FileField(
        _l("Certificate PDF"),
        validators=[FileRequired(_l("Choose the PDF file of the certificate."))],
        description=_l("The file is compared with the one we issued and is not kept."),
    )


class ChangeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Give the reason: it is kept in the audit log.")),
            Length(max=REASON_MAX, message=_l("Keep the reason under %(max)s characters.", max=REASON_MAX)),
        ],
        description=_l("For a name correction, correct the name on the person's account first, then re-issue."),
    )
    reissue = SubmitField(_l("Re-issue with the current name"))
    revoke = SubmitField(_l("Revoke"))


def change_form(certificate_id: int) -> ChangeForm:
    """One form per certificate on the cohort's page, its fields named apart (`c12-reason`)."""
    return ChangeForm(prefix=f"c{certificate_id}")
