"""Reading licences: the admins' list and licence page, and the licences of a seat holder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from qtp.accounts.models import Invitation, Organization, OrganizationKind
from qtp.catalog.models import Module, ModuleText, Program
from qtp.core.db import utcnow
from qtp.core.i18n import country_name
from qtp.licensing import policy
from qtp.licensing.models import PRODUCT_USES, Bundle, Download, License, LicenseSeat, LicenseState, Product


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


def load_license_terms(session: Session, license_id: int) -> License | None:
    """A licence with its institution (no seats): what a seat holder's pages show."""
    return session.scalar(select(License).options(joinedload(License.organization)).where(License.id == license_id))


def downloads_of(session: Session, license_id: int | None, limit: int | None = 200) -> list[Download]:
    """Downloads of one licence (of every licence when None), newest first, with their licence and institution."""
    query = (
        select(Download)
        .options(joinedload(Download.license).joinedload(License.organization))
        .order_by(Download.at.desc(), Download.id.desc())
    )
    if license_id is not None:
        query = query.where(Download.license_id == license_id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


# The folders of a bundle, in the order its page lists them.
BUNDLE_FOLDERS = ("manual", "slides", "abstracts", "original-slides", "logo")


def bundle_groups(manifest: dict) -> list[tuple[str, list[dict]]]:
    """The manifest's files by folder: [(folder, [file entries])], folders in BUNDLE_FOLDERS order."""
    groups: dict[str, list[dict]] = {}
    for entry in manifest.get("files", []):
        folder = entry["path"].split("/", 1)[0] if "/" in entry["path"] else ""
        groups.setdefault(folder, []).append(entry)
    order = {name: index for index, name in enumerate(BUNDLE_FOLDERS)}
    return sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


@dataclass(frozen=True)
class DeckRow:
    """One module's deck in a bundle: its number and title, and the PowerPoint and PDF files (either may be
    missing from an older bundle)."""

    number: int | None
    title: str
    pptx: dict | None
    pdf: dict | None


def module_titles(session: Session, program_slug: str, locale: str) -> dict[str, tuple[int, str]]:
    """{module slug: (position, title in `locale`)} of a program (one statement)."""
    rows = session.execute(
        select(Module.slug, Module.position, ModuleText.title)
        .join(Program, Module.program_id == Program.id)
        .join(ModuleText, ModuleText.module_id == Module.id)
        .where(Program.slug == program_slug, ModuleText.locale == locale)
    ).all()
    return {slug: (position, title) for slug, position, title in rows}


def deck_rows(entries: list[dict], titles: dict[str, tuple[int, str]]) -> list[DeckRow]:
    """The slide folder's files as one row per module, in the program's order, titled in the reader's
    language (a deck whose module is unknown keeps its file name, after the others)."""
    by_stem: dict[str, dict[str, dict]] = {}
    for entry in entries:
        name = entry["path"].rsplit("/", 1)[-1]
        stem, _dot, extension = name.rpartition(".")
        by_stem.setdefault(stem or name, {})[extension.lower()] = entry
    rows = []
    for stem, files in by_stem.items():
        position, title = titles.get(stem, (None, stem))
        rows.append(DeckRow(position, title, files.get("pptx"), files.get("pdf")))
    return sorted(rows, key=lambda row: (row.number is None, row.number or 0, row.title))
