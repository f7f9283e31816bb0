"""Licences (admins): create and change a licence's terms, give a named seat to someone (inviting them when
they have no account yet), free a seat. Every change is audited. A licence never has more seats taken, held
or promised by a pending invitation, than it grants."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qtp.accounts.models import Invitation, Organization, OrganizationKind, User, UserRole
from qtp.accounts.services import find_or_invite
from qtp.core import audit, jobs
from qtp.core.db import utcnow
from qtp.core.i18n import country_choices, supported_locales
from qtp.core.permissions import Role
from qtp.core.service import ServiceError, authorize, flush_or_refuse
from qtp.licensing.bundles.build import MANIFEST
from qtp.licensing.bundles.lock import claim_queued_build
from qtp.licensing.models import Bundle, License, LicenseSeat, LicenseStatus, Product

WRITE = "admin:licenses:write"
BUILD = "admin:bundles:write"
BUILD_JOB = "qtp.licensing.jobs:build"
MAX_SEATS = 500
NOTES_MAX = 2000


@dataclass(frozen=True)
class LicenseTerms:
    organization_id: int | None
    product: str
    locales: list[str]
    territory: list[str]
    starts_on: date | None
    ends_on: date | None
    seats: int | None
    status: str = LicenseStatus.ACTIVE
    notes: str = ""


def _check_terms(session: Session, terms: LicenseTerms) -> Organization:
    organization = session.get(Organization, terms.organization_id) if terms.organization_id else None
    if organization is None or not organization.is_active or organization.kind != OrganizationKind.LICENSEE:
        raise ServiceError(_("Choose an active licensee institution."), field="organization_id")
    if terms.product not in set(Product):
        raise ServiceError(_("Choose a product from the list."), field="product")
    if not terms.locales or any(locale not in supported_locales() for locale in terms.locales):
        raise ServiceError(_("Choose at least one language of the content."), field="locales")
    countries = {code for code, _name in country_choices("en")}
    if not terms.territory or any(code not in countries for code in terms.territory):
        raise ServiceError(_("Choose at least one country where the content may be used."), field="territory")
    if terms.starts_on is None or terms.ends_on is None:
        raise ServiceError(_("Please enter the first and the last day of the licence."), field="ends_on")
    if terms.ends_on < terms.starts_on:
        raise ServiceError(_("The licence cannot end before it starts."), field="ends_on")
    if terms.seats is None or not 1 <= terms.seats <= MAX_SEATS:
        raise ServiceError(_("A licence has from 1 to %(max)s named seats.", max=MAX_SEATS), field="seats")
    if terms.status not in set(LicenseStatus):
        raise ServiceError(_("Choose a status from the list."), field="status")
    if len(terms.notes) > NOTES_MAX:
        raise ServiceError(_("Keep the notes under %(max)s characters.", max=NOTES_MAX), field="notes")
    return organization


def _next_number(session: Session, year: int) -> str:
    prefix = f"QTP-L-{year}-"
    count = session.scalar(select(func.count(License.id)).where(License.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{count + 1:04d}"


def create_license(session: Session, actor: User, terms: LicenseTerms) -> License:
    authorize(actor, WRITE)
    organization = _check_terms(session, terms)
    year = utcnow().year
    for _attempt in range(5):  # two admins creating licences at once: the second takes the next number
        license_ = License(
            number=_next_number(session, year),
            organization_id=organization.id,
            product=terms.product,
            locales=sorted(set(terms.locales)),
            territory=sorted(set(terms.territory)),
            starts_on=terms.starts_on,
            ends_on=terms.ends_on,
            seats=terms.seats,
            status=terms.status,
            notes=terms.notes.strip(),
        )
        try:
            with session.begin_nested():
                session.add(license_)
        except IntegrityError:
            continue
        audit.record(
            session,
            actor,
            "license.created",
            license_,
            summary=f"{license_.number} · {organization.name} · {terms.product}",
            details=_terms_details(license_),
        )
        return license_
    raise ServiceError(_("The licence could not be numbered. Please try again."))


def _terms_details(license_: License) -> dict:
    return {
        "product": license_.product,
        "locales": license_.locales,
        "territory": license_.territory,
        "starts_on": license_.starts_on.isoformat(),
        "ends_on": license_.ends_on.isoformat(),
        "seats": license_.seats,
        "status": license_.status,
    }


def update_license(session: Session, actor: User, license_: License, terms: LicenseTerms) -> list[str]:
    """Change the terms; returns the names of what changed (for the audit log and the message)."""
    authorize(actor, WRITE)
    organization = _check_terms(session, terms)
    taken = seats_taken(session, license_)
    if terms.seats is not None and terms.seats < taken:
        raise ServiceError(
            _(
                "%(taken)s seats are taken or promised by an invitation: free some before lowering the number.",
                taken=taken,
            ),
            field="seats",
        )
    before = _terms_details(license_) | {"organization_id": license_.organization_id, "notes": license_.notes}
    license_.organization_id = organization.id
    license_.product = terms.product
    license_.locales = sorted(set(terms.locales))
    license_.territory = sorted(set(terms.territory))
    license_.starts_on, license_.ends_on = terms.starts_on, terms.ends_on  # type: ignore[assignment]
    license_.seats = terms.seats  # type: ignore[assignment]
    license_.status = terms.status
    license_.notes = terms.notes.strip()
    after = _terms_details(license_) | {"organization_id": license_.organization_id, "notes": license_.notes}
    changed = [key for key in after if after[key] != before[key]]
    if changed:
        session.flush()
        audit.record(
            session,
            actor,
            "license.updated",
            license_,
            summary=f"{license_.number}: {', '.join(changed)}",
            details={key: {"from": before[key], "to": after[key]} for key in changed},
        )
    return changed


def pending_invitations(session: Session, license_id: int) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(
                Invitation.license_id == license_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at)
        )
    )


def seats_taken(session: Session, license_: License, pending: list[Invitation] | None = None) -> int:
    """Seats held, and promised by a pending invitation (`pending`, when the caller has them already)."""
    held = session.scalar(
        select(func.count(LicenseSeat.id)).where(LicenseSeat.license_id == license_.id, LicenseSeat.freed_at.is_(None))
    )
    return (held or 0) + len(pending if pending is not None else pending_invitations(session, license_.id))


def _check_room(session: Session, license_: License) -> None:
    if seats_taken(session, license_) >= license_.seats:
        raise ServiceError(
            _("Every seat of this licence is taken. Free a seat or raise the number of seats first."), field="email"
        )


def give_seat(session: Session, actor: User, license_: License, *, email: str, name: str, locale: str) -> str:
    """Someone with an account takes a seat at once; anyone else is invited to create an account, which
    takes the seat. Returns "added" or "invited"."""
    authorize(actor, WRITE)
    _check_room(session, license_)
    user = find_or_invite(
        session,
        actor,
        email=email,
        name=name,
        role=Role.LICENSEE,
        organization_id=license_.organization_id,
        locale=locale,
        license_id=license_.id,
    )
    if user is None:
        audit.record(session, actor, "license.seat_invited", license_, summary=f"{license_.number} · {email}")
        return "invited"
    _seat(session, license_, user, actor)
    audit.record(session, actor, "license.seat_given", license_, summary=f"{license_.number} · {user.email}")
    return "added"


def _seat(session: Session, license_: License, user: User, actor: User | None) -> LicenseSeat:
    if not user.has_role(Role.LICENSEE):
        user.roles.append(UserRole(role=Role.LICENSEE))
    seat = LicenseSeat(license_id=license_.id, user_id=user.id, assigned_by_id=actor.id if actor else None)
    session.add(seat)
    flush_or_refuse(session, _("%(name)s already holds a seat of this licence.", name=user.name), field="email")
    return seat


def free_seat(session: Session, actor: User, seat: LicenseSeat) -> None:
    authorize(actor, WRITE)
    if seat.freed_at is not None:
        raise ServiceError(_("This seat was already freed."))
    seat.freed_at = utcnow()
    seat.freed_by_id = actor.id
    audit.record(
        session, actor, "license.seat_freed", seat.license, summary=f"{seat.license.number} · {seat.user.email}"
    )


def record_bundles(session: Session, out: Path) -> int:
    """Record what the bundle folders under `out` hold, from their manifests (one row per product and
    language, replaced when rebuilt); returns how many rows changed."""
    changed = 0
    existing = {(b.product, b.locale): b for b in session.scalars(select(Bundle))}
    for path in sorted(out.glob(f"*/*/{MANIFEST}")):
        try:
            manifest = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        key = (manifest.get("product"), manifest.get("locale"))
        if key[0] not in set(Product) or path.parent.name != key[1]:
            continue
        bundle = existing.get(key)
        if bundle is not None and bundle.content_version == manifest["content_version"]:
            continue
        if bundle is None:
            bundle = Bundle(product=key[0], locale=key[1])
            session.add(bundle)
        bundle.content_version = manifest["content_version"]
        bundle.manifest = manifest
        bundle.size = sum(entry["size"] for entry in manifest.get("files", []))
        bundle.built_at = datetime.strptime(manifest["built_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        changed += 1
    session.flush()
    return changed


def start_bundle_build(session: Session, actor: User) -> dict | None:
    """Build the bundles whose content changed: at once (inline jobs; returns what was built) or on the queue
    once the caller commits (None). Refused (BuildRunning) while another build runs or waits on the queue."""
    authorize(actor, BUILD)
    # Redis configured but down: refused with a message (claim_queued_build), not run inline as lighter jobs
    # are: a build of every bundle may outlast a request.
    queued = jobs.uses_queue()
    if queued:
        claim_queued_build(session)
    audit.record(session, actor, "bundles.build_started", ("bundles", "build"), details={"queued": queued})
    return jobs.enqueue(session, BUILD_JOB, actor.id)
