"""Downloading a licensed bundle: signed links, the checks, the archive, and the record of every download.

A link is signed with the app's secret, names the account it was made for, the licence, the language and
(optionally) one file of the bundle, and expires (QTP_DOWNLOAD_LINK_MINUTES). Following it, the seat, the
licence's state and its languages are checked again (`policy.refusal`), so a link made before a seat was freed
or a licence suspended no longer works. Bundle files are only ever reached through the manifest of a built
bundle: no path from a request touches the filesystem.

The ZIP archive holds the bundle's files under one folder, plus the licence certificate and terms made for this
download (documents.py). The same licence, person, bundle and day give the same bytes, which the ETag names:
a resumed download (HTTP Range with If-Range) continues the same archive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.core import audit
from qtp.core.service import authorize
from qtp.core.zipstream import ZipPlan, read_range
from qtp.licensing import documents, policy
from qtp.licensing.bundles.build import MANIFEST, is_current
from qtp.licensing.models import Bundle, Download, DownloadStatus, License, LicenseSeat

PERMISSION = "licensing:self"
_SALT = "qtp-bundle-download"


class LinkInvalid(Exception):
    """The link was not made by this site (tampered or truncated)."""


class LinkExpired(Exception):
    """The link was made by this site, but too long ago."""


class DownloadRefused(Exception):
    """The download may not go ahead; `reason` is a policy Refusal, "other_account" or "not_built"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


NOT_BUILT = "not_built"
OTHER_ACCOUNT = "other_account"


# -- links ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    user_id: int
    license_id: int
    locale: str
    file: str = ""  # one file of the bundle (a manifest path); "" for the whole ZIP archive


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def make_token(link: Link) -> str:
    return str(_serializer().dumps([link.user_id, link.license_id, link.locale, link.file]))


def read_token(token: str) -> Link:
    try:
        values = _serializer().loads(token, max_age=current_app.config["QTP_DOWNLOAD_LINK_MINUTES"] * 60)
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error
    if not (isinstance(values, list) and len(values) == 4):
        raise LinkInvalid
    user_id, license_id, locale, file = values
    if not (isinstance(user_id, int) and isinstance(license_id, int) and isinstance(locale, str)):
        raise LinkInvalid
    return Link(user_id, license_id, locale, file if isinstance(file, str) else "")


# -- checks -------------------------------------------------------------------------------------------------


def seat_history(session: Session, user_id: int, license_id: int) -> tuple[bool, bool]:
    """(holds a seat now, has ever held one) of this licence."""
    freed = session.execute(
        select(LicenseSeat.freed_at).where(LicenseSeat.license_id == license_id, LicenseSeat.user_id == user_id)
    ).all()
    return any(row.freed_at is None for row in freed), bool(freed)


def built_bundle(session: Session, product: str, locale: str) -> tuple[Bundle, Path] | None:
    """The recorded bundle and its folder, when the folder holds exactly that build, intact."""
    bundle = session.scalar(select(Bundle).where(Bundle.product == product, Bundle.locale == locale))
    if bundle is None:
        return None
    folder = Path(current_app.config["QTP_BUNDLE_DIR"]) / product / locale
    if not is_current(folder, bundle.content_version):
        return None
    return bundle, folder


# -- what is sent ----------------------------------------------------------------------------------------------


class FileSource:
    """One file of a bundle, read a chunk at a time (the same interface as ZipPlan)."""

    def __init__(self, path: Path) -> None:
        self._handle: BinaryIO = path.open("rb")
        self.size = self._handle.seek(0, 2)

    def chunks(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        return read_range(self._handle, start, self.size if end is None else min(end, self.size))

    def close(self) -> None:
        self._handle.close()


@dataclass
class Prepared:
    """A download that passed every check, ready to be sent."""

    license: License
    bundle: Bundle
    file: str  # "" for the ZIP archive
    filename: str  # what the browser saves it as
    mimetype: str
    etag: str
    source: ZipPlan | FileSource
    path: Path | None  # the file on disk, for a single file (X-Accel-Redirect)
    relative: str  # the file's place under QTP_BUNDLE_DIR, for a single file

    @property
    def size(self) -> int:
        return self.source.size


def _zip_plan(license_: License, actor: User, bundle: Bundle, folder: Path, today: date) -> ZipPlan:
    facts = documents.licence_facts(license_, actor, bundle, bundle.locale, today)
    top = f"qtp-{bundle.product.replace('_', '-')}-{bundle.locale}/"
    plan = ZipPlan(datetime.combine(today, time(0, 0), UTC))
    try:
        plan.add_file(top + MANIFEST, folder / MANIFEST)
        for entry in bundle.manifest["files"]:
            plan.add_file(top + entry["path"], folder / entry["path"], crc=entry.get("crc32"))
        plan.add_bytes(top + documents.CERTIFICATE, documents.certificate_pdf(facts, bundle.locale))
        plan.add_bytes(top + documents.TERMS, documents.terms_text(facts, bundle.locale).encode("utf-8"))
        return plan.plan()
    except BaseException:
        plan.close()
        raise


def open_download(session: Session, actor: User, link: Link, today: date) -> Prepared:
    """Check everything a download needs and open what it sends (nothing is written). Raises
    DownloadRefused; LookupError when the licence or the file does not exist."""
    authorize(actor, PERMISSION)
    if link.user_id != actor.id:
        raise DownloadRefused(OTHER_ACCOUNT)
    license_ = session.get(License, link.license_id)
    if license_ is None:
        raise LookupError("no such licence")
    holds, _ever = seat_history(session, actor.id, license_.id)
    reason = policy.refusal(license_, holds, link.locale, today)
    if reason is not None:
        raise DownloadRefused(reason)
    found = built_bundle(session, license_.product, link.locale)
    if found is None:
        raise DownloadRefused(NOT_BUILT)
    bundle, folder = found
    identity = "|".join(
        [bundle.content_version, license_.number, str(license_.updated_at), license_.organization.name]
        + [str(actor.id), actor.name, actor.email, today.isoformat(), link.file]
    )
    etag = hashlib.sha256(identity.encode()).hexdigest()[:32]
    stem = f"{license_.number}-{license_.product.replace('_', '-')}-{bundle.locale}"
    if not link.file:
        plan = _zip_plan(license_, actor, bundle, folder, today)
        return Prepared(license_, bundle, "", f"{stem}.zip", "application/zip", etag, plan, None, "")
    listed = {entry["path"] for entry in bundle.manifest["files"]}
    if link.file not in listed:
        raise LookupError("not a file of this bundle")
    path = (folder / link.file).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise LookupError("outside the bundle")
    relative = f"{bundle.product}/{bundle.locale}/{link.file}"
    return Prepared(license_, bundle, link.file, path.name, _mimetype(path), etag, FileSource(path), path, relative)


_MIMETYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


def _mimetype(path: Path) -> str:
    return _MIMETYPES.get(path.suffix.lower(), "application/octet-stream")


# -- the record -----------------------------------------------------------------------------------------------


def record_download(
    session: Session,
    actor: User,
    prepared: Prepared,
    *,
    address: str,
    first_byte: int,
    requested: int,
    by_proxy: bool = False,
) -> Download:
    """Record that a download starts (and audit it); `finish_download` says how it ended. A file the web server
    sends (`by_proxy`) is recorded as handed over: the app does not see its bytes."""
    authorize(actor, PERMISSION)
    download = Download(
        license_id=prepared.license.id,
        user_id=actor.id,
        user_name=actor.name,
        user_email=actor.email,
        product=prepared.bundle.product,
        locale=prepared.bundle.locale,
        content_version=prepared.bundle.content_version,
        file=prepared.file,
        address=(address or "")[:64],
        first_byte=first_byte,
        requested=requested,
        status=DownloadStatus.PROXY if by_proxy else DownloadStatus.STARTED,
    )
    session.add(download)
    session.flush()
    audit.record(
        session,
        actor,
        "license.download",
        prepared.license,
        summary=f"{prepared.license.number} · {download.locale} · {download.file or 'zip'}",
        details={"download": download.id, "first_byte": first_byte, "bytes": requested},
        ip_address=download.address or None,
    )
    return download


def finish_download(session: Session, download_id: int, bytes_sent: int, complete: bool) -> None:
    download = session.get(Download, download_id)
    if download is None:
        return
    download.bytes_sent = bytes_sent
    download.status = DownloadStatus.COMPLETE if complete else DownloadStatus.INTERRUPTED
