"""The personal-data services the pages call: a person's export (audited) and an account's erasure."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.core import audit
from qtp.core.permissions import SELF
from qtp.core.service import authorize
from qtp.core.zipstream import ZipPlan
from qtp.privacy.erasure import erase_account
from qtp.privacy.export import build_archive
from qtp.privacy.sections import SECTIONS

__all__ = ["erase_account", "export_my_data"]


def export_my_data(session: Session, user: User, *, locale: str, now: datetime) -> ZipPlan:
    """The archive of everything held about `user`, for `user` only; the export is audited with its counts."""
    authorize(user, SELF)
    with force_locale(locale):
        readme = render_template("privacy/README.txt", sections=SECTIONS, generated_at=now, user=user)
    plan, counts = build_archive(session, user, locale, readme, now)
    audit.record(
        session,
        user,
        "account.data_exported",
        user,
        summary=user.email,
        details={"records": counts, "files": sum(1 for name in plan.names() if name.startswith("files/"))},
    )
    return plan
