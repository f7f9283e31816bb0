"""Reading licences: the admins' list and licence page, and the licences of a seat holder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from qtp.accounts.models import Invitation, Organization, OrganizationKind
from qtp.core.db import utcnow
from qtp.core.i18n import country_name
from qtp.licensing import policy
from qtp.licensing.models import PRODUCT_USES, Bundle, License, LicenseSeat, LicenseState, Product


@dataclass(frozen=True)
class LicenseRow:
    license: License
    state: LicenseState
    held: int
    pending: int


def list_licenses(session: Session, today: date, state: str | None = None) -> list[LicenseRow]:
    """Every licence with its state and seats in use (three statements), newest first."""
    licenses = list(
        session.scalars(
            select(License).options(joinedload(License.organization)).order_by(License.starts_on.desc(), License.id)
        )
    )
    held = dict(
        session.execute(
            select(LicenseSeat.license_id, func.count(LicenseSeat.id))
            .where(LicenseSeat.freed_at.is_(None))
            .group_by(LicenseSeat.license_id)
        ).all()
    )
    pending = dict(
        session.execute(
            select(Invitation.license_id, func.count(Invitation.id))
            .where(
                Invitation.license_id.is_not(None),
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .group_by(Invitation.license_id)
        ).all()
    )
    rows = [LicenseRow(lic, lic.state(today), held.get(lic.id, 0), pending.get(lic.id, 0)) for lic in licenses]
    return [row for row in rows if state is None or row.state == state]


def licensee_organizations(session: Session) -> list[Organization]:
    return list(
        session.scalars(
            select(Organization)
            .where(Organization.kind == OrganizationKind.LICENSEE, Organization.is_active)
            .order_by(Organization.name)
        )
    )


def load_license(session: Session, license_id: int) -> License | None:
    return session.scalar(
        select(License)
        .options(
            joinedload(License.organization),
            selectinload(License.seat_rows).joinedload(LicenseSeat.user),
        )
        .where(License.id == license_id)
    )


def licenses_of_holder(session: Session, user_id: int) -> list[License]:
    """The licences in which the user holds a seat now (one statement)."""
    return list(
        session.scalars(
            select(License)
            .join(LicenseSeat, LicenseSeat.license_id == License.id)
            .where(LicenseSeat.user_id == user_id, LicenseSeat.freed_at.is_(None))
            .options(joinedload(License.organization))
            .order_by(License.ends_on.desc())
        ).unique()
    )


def bundles_of(session: Session, licenses: list[License]) -> dict[tuple[str, str], Bundle]:
    """{(product, locale): the built bundle} for what these licences cover (one statement)."""
    products = {lic.product for lic in licenses}
    if not products:
        return {}
    return {(b.product, b.locale): b for b in session.scalars(select(Bundle).where(Bundle.product.in_(products)))}


def country_names(codes: list[str], locale: str) -> list[str]:
    return sorted(country_name(code, locale) for code in codes)


@dataclass(frozen=True)
class HeldLicense:
    """A licence as its seat holder reads it."""

    license: License
    state: LicenseState
    days_left: int
    countries: list[str]
    uses: tuple


def held_licenses(session: Session, user_id: int, today: date, locale: str) -> list[HeldLicense]:
    return [
        HeldLicense(
            lic,
            lic.state(today),
            policy.days_left(lic, today),
            country_names(lic.territory, locale),
            PRODUCT_USES[Product(lic.product)],
        )
        for lic in licenses_of_holder(session, user_id)
    ]
