"""A measure's data points and chart settings. A measure is a record of the `measures` worksheet (9)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qtp.accounts.models import User
from qtp.core.db import Base, TimestampMixin
from qtp.worksheets.models import Worksheet


class DataPoint(TimestampMixin, Base):
    """One period of a measure: numerator and denominator (proportion, rate) or a value (count,
    continuous), an optional note, and the team's manual astronomical-point flag."""

    __tablename__ = "data_points"
    __table_args__ = (UniqueConstraint("measure_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("worksheets.id", ondelete="CASCADE"), index=True)
    period: Mapped[date]
    numerator: Mapped[float | None]
    denominator: Mapped[float | None]
    value: Mapped[float | None]
    note: Mapped[str] = mapped_column(String(500), default="")
    is_astronomical: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    measure: Mapped[Worksheet] = relationship()
    created_by: Mapped[User | None] = relationship()


class ChartSetting(Base):
    """How the team wants a measure charted: run chart or a control chart, median frozen on the first
    `baseline_points` points or not, and which run-chart rules mark the signals."""

    __tablename__ = "chart_settings"

    measure_id: Mapped[int] = mapped_column(ForeignKey("worksheets.id", ondelete="CASCADE"), primary_key=True)
    chart: Mapped[str] = mapped_column(String(10), default="run")  # run | p | u | c | xmr
    baseline_points: Mapped[int | None]
    # the run-chart rules the team reads its chart by: ihi (shift, trend, runs) or anhoej (long run, crossings)
    rules: Mapped[str] = mapped_column(String(10), default="ihi", server_default="ihi")
    updated_at: Mapped[datetime | None]
