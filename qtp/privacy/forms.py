"""The confirmation an admin types before erasing an account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length


class EraseAccountForm(FlaskForm):
    confirm_email = StringField(
        _l("Type the account's e-mail address to confirm"),
        validators=[InputRequired(_l("Type the account's e-mail address to confirm.")), Length(max=254)],
    )
