"""Licences: an agreement with a licensee institution for one product, in some languages and countries, for
a term, with a number of named seats. Seats keep their history: a freed seat stays as a row with `freed_at`.
Bundles: the content built for each product and language."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qtp.accounts.models import Organization, User
from qtp.core.db import Base, TimestampMixin, utcnow


class Product(StrEnum):
    SIX_MONTH = "six_month"
    ONE_DAY = "one_day"
    SYMPOSIUM = "symposium_highlights"


PRODUCT_LABELS = {
    Product.SIX_MONTH: _l("Six-month QTP content"),
    Product.ONE_DAY: _l("One-day QTP content"),
    Product.SYMPOSIUM: _l("Quality of Care Symposium highlights package"),
}

# What each product lets the licensee do (domain.md section 2); shown with the licence's terms.
PRODUCT_USES = {
    Product.SIX_MONTH: (
        _l("Run the six-month program with your own faculty, using every presentation slide of its modules."),
        _l("Train your faculty with the faculty instruction manual."),
        _l("Display the program logo, following its usage guidelines."),
    ),
    Product.ONE_DAY: (
        _l("Run the one-day workshop with your own faculty, using every presentation slide of its sessions."),
        _l("Train your faculty with the faculty instruction manual."),
        _l("Display the program logo, following its usage guidelines."),
    ),
    Product.SYMPOSIUM: (
        _l("Use the selected abstracts in up to two days of program content."),
        _l("Customize the program for your local educational goals."),
        _l("Use the original slides of the presentations whose presenters granted permission."),
        _l("Use the package's name and logo, with defined marketing assistance."),
    ),
}


class LicenseStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class LicenseState(StrEnum):
    """What a licence is on a given day: the stored status and its term together."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_STARTED = "not_started"


STATE_LABELS = {
    LicenseState.ACTIVE: _l("Active"),
    LicenseState.SUSPENDED: _l("Suspended"),
    LicenseState.EXPIRED: lazy_pgettext("licence", "Expired"),  # a licence (feminine in es and pt_BR)
    LicenseState.NOT_STARTED: _l("Not started yet"),
}
STATUS_LABELS = {LicenseStatus.ACTIVE: _l("Active"), LicenseStatus.SUSPENDED: _l("Suspended")}


class License(TimestampMixin, Base):
    __tablename__ = "licenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # QTP-L-2026-0007: printed on documents
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    product: Mapped[str] = mapped_column(String(30))
    locales: Mapped[list[str]] = mapped_column(JSON, default=list)  # languages of the content licensed
    territory: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 3166 country codes
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    seats: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=LicenseStatus.ACTIVE)
    notes: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship()
    seat_rows: Mapped[list[LicenseSeat]] = relationship(back_populates="license", order_by="LicenseSeat.id")

    def state(self, today: date) -> LicenseState:
        if self.status == LicenseStatus.SUSPENDED:
            return LicenseState.SUSPENDED
        if today > self.ends_on:
            return LicenseState.EXPIRED
        if today < self.starts_on:
            return LicenseState.NOT_STARTED
        return LicenseState.ACTIVE

    @property
    def product_label(self) -> str:
        return str(PRODUCT_LABELS.get(Product(self.product), self.product))

    @property
    def held_seats(self) -> list[LicenseSeat]:
        return [seat for seat in self.seat_rows if seat.freed_at is None]


class LicenseSeat(Base):
    """A named seat: one user holds it until an admin frees it."""

    __tablename__ = "license_seats"
    __table_args__ = (
        # A person holds at most one seat of a licence at a time.
        Index(
            "uq_license_seats_held",
            "license_id",
            "user_id",
            unique=True,
            sqlite_where=text("freed_at IS NULL"),
            postgresql_where=text("freed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    license_id: Mapped[int] = mapped_column(ForeignKey("licenses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    freed_at: Mapped[datetime | None]
    freed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    license: Mapped[License] = relationship(back_populates="seat_rows")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Bundle(Base):
    """A built bundle of one product in one language (`flask qtp bundles build` records it): what its folder
    under QTP_BUNDLE_DIR holds, as its manifest lists it."""

    __tablename__ = "bundles"
    __table_args__ = (UniqueConstraint("product", "locale", name="uq_bundles_product_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product: Mapped[str] = mapped_column(String(30))
    locale: Mapped[str] = mapped_column(String(10))
    content_version: Mapped[str] = mapped_column(String(64))
    manifest: Mapped[dict] = mapped_column(JSON, default=dict)
    size: Mapped[int] = mapped_column(BigInteger, default=0)  # bytes, every file together
    built_at: Mapped[datetime]

    @property
    def file_count(self) -> int:
        return len(self.manifest.get("files", []))


class DownloadStatus(StrEnum):
    STARTED = "started"  # being sent (or the server stopped before it could say how it ended)
    COMPLETE = "complete"  # every byte asked for was sent
    INTERRUPTED = "interrupted"  # the connection closed first
    PROXY = "proxy"  # handed to the web server (X-Accel-Redirect), which sends the file


class Download(Base):
    """One download of a bundle (its ZIP archive, or one of its files): who, under which licence, what, when,
    from which address, and how many bytes were sent. The person's name and address are frozen, so the record
    stays readable after their account changes."""

    __tablename__ = "downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    license_id: Mapped[int] = mapped_column(ForeignKey("licenses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    user_email: Mapped[str] = mapped_column(String(320))
    product: Mapped[str] = mapped_column(String(30))
    locale: Mapped[str] = mapped_column(String(10))
    content_version: Mapped[str] = mapped_column(String(64))
    file: Mapped[str] = mapped_column(String(300), default="")  # a file of the bundle; "" for the whole ZIP
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    first_byte: Mapped[int] = mapped_column(BigInteger, default=0)  # > 0 for a resumed download (HTTP Range)
    requested: Mapped[int] = mapped_column(BigInteger, default=0)  # bytes asked for
    bytes_sent: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(20), default=DownloadStatus.STARTED)

    license: Mapped[License] = relationship()


DOWNLOAD_STATUS_LABELS = {
    DownloadStatus.STARTED: _l("In progress"),
    DownloadStatus.COMPLETE: _l("Complete"),
    DownloadStatus.INTERRUPTED: _l("Interrupted"),
    DownloadStatus.PROXY: _l("Sent by the web server"),
}
