"""Certificates: one per participant and cohort while it stands; a revoked one points to the one that replaced
it. The recipient's name is frozen at issue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qtp.accounts.models import User
from qtp.cohorts.models import Cohort, Team
from qtp.core.db import Base, utcnow


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (
        # One certificate in force per participant and cohort: parallel attempts to issue give one row.
        Index(
            "uq_certificates_in_force",
            "user_id",
            "cohort_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)  # qtp.certificates.serials, the only public key
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="RESTRICT"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    recipient_name: Mapped[str] = mapped_column(String(200))  # as it was at issue
    locale: Mapped[str] = mapped_column(String(10))  # the recipient's language at issue
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: automatic
    # the stored PDF (qtp.core.storage) and its SHA-256, once rendered
    storage_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    cohort: Mapped[Cohort] = relationship()
    team: Mapped[Team | None] = relationship()
    replaced_by: Mapped[Certificate | None] = relationship(remote_side=[id], foreign_keys=[replaced_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_ready(self) -> bool:
        """The PDF has been rendered and stored."""
        return self.sha256 is not None
