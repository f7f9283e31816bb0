"""Files attached to worksheets: what is accepted (PNG, JPEG, PDF by their first bytes), adding and deleting.

The type is decided by the file's magic bytes, never by its name or the browser's content type: an SVG or an
HTML page named `map.png` is refused. The name the uploader gave is kept for display only, sanitized; the
bytes are stored under a random key.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.core import audit, storage
from qtp.core.service import PermissionDenied, ServiceError
from qtp.worksheets import policy
from qtp.worksheets.attachment_queries import count_attachments
from qtp.worksheets.models import Attachment, Worksheet
from qtp.worksheets.queries import team_access

MAX_ATTACHMENTS = 20
MAX_FILENAME = 120
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FALLBACK_NAME = "attachment"
_UNSAFE = set("\"'`<>:*?|;\\/")


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]  # the first one is added to a name that has none of them
    magic: bytes


KINDS = (
    FileKind("image/png", (".png",), b"\x89PNG\r\n\x1a\n"),
    FileKind("image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
    FileKind("application/pdf", (".pdf",), b"%PDF-"),
)
HEAD_BYTES = max(len(kind.magic) for kind in KINDS)


class AttachmentRefused(ServiceError):
    """The file itself is refused; `status` is the HTTP status the page answers with (413: too large)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message, field="file")
        self.status = status


def sniff(head: bytes) -> FileKind | None:
    """The accepted kind whose signature starts the file, or None."""
    return next((kind for kind in KINDS if head.startswith(kind.magic)), None)


def sanitize_filename(name: str | None) -> str:
    """A name safe to show and to put in a Content-Disposition header: the last path part only (`/` and `\\`
    both separate), no control or format characters, no quotes or shell/header specials, spaces collapsed,
    no leading dots, at most 120 characters with the extension kept. Letters of every script stay."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(" " if ch.isspace() else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and ch not in _UNSAFE)
    text = " ".join(text.split()).lstrip(". ").rstrip(" ")
    if len(text) > MAX_FILENAME:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10 and stem:
            text = stem[: MAX_FILENAME - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            text = text[:MAX_FILENAME].rstrip(" .")
    return text or FALLBACK_NAME


def display_name(name: str | None, kind: FileKind) -> str:
    """The sanitized name, with the extension of what the file really is when its name says otherwise."""
    clean = sanitize_filename(name)
    if clean.lower().endswith(kind.extensions):
        return clean
    extension = kind.extensions[0]
    return clean[: MAX_FILENAME - len(extension)].rstrip(" .") + extension


def max_bytes() -> int:
    return int(current_app.config.get("QTP_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return format_decimal(round(size / (1024 * 1024), 1))


def _read_head(stream: storage.Readable) -> bytes:
    head = b""
    while len(head) < HEAD_BYTES:
        chunk = stream.read(HEAD_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    return head


class _Rejoined:
    """The bytes already read for sniffing, followed by the rest of the stream."""

    def __init__(self, head: bytes, rest: storage.Readable) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1, /) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data


def _ensure_can_change(session: Session, actor: User, worksheet: Worksheet) -> None:
    access = team_access(session, actor, worksheet.team)
    if policy.can_edit(access, worksheet.is_editable):
        return
    if access.team_role in policy.EDITING_ROLES:
        raise ServiceError(_("This worksheet is under review or approved, so its attachments cannot be changed now."))
    raise PermissionDenied("worksheets:edit")


def add_attachment(
    session: Session, actor: User, worksheet: Worksheet, upload_stream: storage.Readable, filename: str | None
) -> Attachment:
    """Store an uploaded file and attach it to the worksheet (team members who may edit it, while it is a
    draft or returned). Refusals raise AttachmentRefused with a message for the uploader."""
    _ensure_can_change(session, actor, worksheet)
    if count_attachments(session, worksheet.id) >= MAX_ATTACHMENTS:
        raise ServiceError(
            _("A worksheet can have at most %(count)s attachments. Delete one to add another.", count=MAX_ATTACHMENTS)
        )
    head = _read_head(upload_stream)
    if not head:
        raise AttachmentRefused(_("The file is empty. Please choose another file."))
    kind = sniff(head)
    if kind is None:
        raise AttachmentRefused(
            _(
                "Only PNG or JPEG images and PDF documents can be attached, and this file is none of them. "
                "What the file contains decides, not its name."
            )
        )
    limit = max_bytes()
    files = storage.get_storage()
    try:
        stored = files.save(_Rejoined(head, upload_stream), limit)
    except storage.FileTooLarge as error:
        raise AttachmentRefused(
            _("The file is larger than %(size)s MB. Please send a smaller file.", size=_megabytes(limit)), status=413
        ) from error
    except storage.StorageFull as error:
        raise AttachmentRefused(
            _(
                "There is no room left to store files right now, so your file was not attached. "
                "Please try again later; if it happens again, tell your program's administrator."
            ),
            status=507,
        ) from error
    storage.delete_after_rollback(session, stored.key, files)
    attachment = Attachment(
        public_id=secrets.token_urlsafe(16),
        worksheet_id=worksheet.id,
        storage_key=stored.key,
        filename=display_name(filename, kind),
        content_type=kind.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=actor.id,
    )
    session.add(attachment)
    audit.record(
        session,
        actor,
        "attachment.added",
        attachment,
        summary=f"{worksheet.type.slug} #{worksheet.record_no}: {attachment.filename}",
        details=_details(worksheet, attachment),
    )
    session.flush()
    return attachment


def delete_attachment(session: Session, actor: User, attachment: Attachment) -> None:
    """Remove the attachment; its stored file goes once the deletion commits (an orphan file, should the
    deletion of the file fail, is harmless; a row without its file would not be)."""
    worksheet = attachment.worksheet
    _ensure_can_change(session, actor, worksheet)
    audit.record(
        session,
        actor,
        "attachment.deleted",
        ("attachments", attachment.id),
        summary=f"{worksheet.type.slug} #{worksheet.record_no}: {attachment.filename}",
        details=_details(worksheet, attachment),
    )
    session.delete(attachment)
    session.flush()
    storage.delete_after_commit(session, attachment.storage_key)


def _details(worksheet: Worksheet, attachment: Attachment) -> dict[str, object]:
    return {
        "team_id": worksheet.team_id,
        "worksheet_id": worksheet.id,
        "public_id": attachment.public_id,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }
