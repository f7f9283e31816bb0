"""The storage disk full during an upload: the uploader reads that the file was not kept (507, in their language),
no partial file is left on disk and no row is written. Simulated (the write fails with ENOSPC half-way), and on
a real full disk (a 64 KB tmpfs; skipped where mounting is not permitted, i.e. not root). Elsewhere (certificate
PDFs rendered in a request) a full disk is the 507 error page."""

from __future__ import annotations

import errno
import html
import os
import subprocess
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from qtp.core import storage
from qtp.core.audit import AuditEvent
from qtp.core.storage import LocalStorage
from qtp.worksheets.models import Attachment
from tests.content.builder import write_program
from tests.factories import make_user
from tests.helpers import login, post_form, text_of
from tests.integration.certificates.conftest import _synced, cohort_of, complete_every_module, participant
from tests.integration.worksheets.test_attachments import PDF, files, leader, page_url, sheet, stored_files, upload

__all__ = ["files", "leader", "sheet"]  # fixtures

MESSAGE = (
    "There is no room left to store files right now, so your file was not attached. "
    "Please try again later; if it happens again, tell your program's administrator."
)


def _nothing_kept(session, files: LocalStorage) -> None:
    assert stored_files(files) == [], "no partial or temporary file is left"
    assert session.query(Attachment).count() == 0
    assert session.query(AuditEvent).filter_by(action="attachment.added").count() == 0


class _FillsUp:
    """A file whose disk fills up: the first write keeps half of its bytes, then ENOSPC."""

    def __init__(self, real) -> None:  # type: ignore[no-untyped-def]
        self.real = real

    def write(self, data: bytes) -> int:
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self.real, name)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.real.close()


def test_a_disk_full_during_an_upload_is_a_clear_507_and_keeps_nothing(
    app, leader, real_team, sheet, session, files, monkeypatch
):
    real_fdopen = os.fdopen
    monkeypatch.setattr(storage.os, "fdopen", lambda fd, mode: _FillsUp(real_fdopen(fd, mode)))
    leader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es-ES,es;q=0.9"
    response = upload(leader, real_team, "map.pdf", PDF * 50)
    assert response.status_code == 507
    with app.test_request_context(), force_locale("es"):
        expected = gettext(MESSAGE)
    page = html.unescape(text_of(response))
    assert expected in page and page_url(real_team) in page
    _nothing_kept(session, files)


def test_a_disk_full_while_a_pdf_is_stored_leaves_no_partial_file(tmp_path, monkeypatch):
    local = LocalStorage(tmp_path / "files")
    real_open = open
    monkeypatch.setattr(storage, "open", lambda *args, **kwargs: _FillsUp(real_open(*args, **kwargs)), raising=False)
    with pytest.raises(storage.StorageFull):
        local.put("ab" * 16, b"%PDF-1.7 " + b"x" * 4096)
    assert [p for p in local.root.rglob("*") if p.is_file()] == []


@pytest.fixture
def tiny_disk(tmp_path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_a_really_full_disk(app, leader, real_team, sheet, session, tiny_disk: Path, monkeypatch):
    local = LocalStorage(tiny_disk / "files")
    monkeypatch.setitem(app.extensions, "qtp_storage", local)
    big = PDF + b"%" + b"0" * (200 * 1024)  # larger than the disk, under the upload limit
    response = upload(leader, real_team, "scan.pdf", big)
    assert response.status_code == 507 and MESSAGE in html.unescape(text_of(response))
    _nothing_kept(session, local)
    small = upload(leader, real_team, "map.pdf", PDF)
    assert small.status_code == 303, "the space is free again: a small file fits"
    assert session.query(Attachment).count() == 1


def test_a_disk_full_while_certificates_are_rendered_is_a_507_page(app, client, session, files, monkeypatch):
    root = files.root.parent / "courses"
    write_program(root)
    program = _synced(session, root)
    cohort = cohort_of(session, program, slug="full-2026")
    complete_every_module(session, program, participant(session, cohort, name="Finished 0"))
    login(client, make_user(session, roles=["admin"]).email)
    real_open = open
    monkeypatch.setattr(storage, "open", lambda *args, **kwargs: _FillsUp(real_open(*args, **kwargs)), raising=False)
    page = f"/admin/cohorts/{cohort.id}/certificates"
    response = post_form(client, f"{page}/issue", token_from=page)
    assert response.status_code == 507
    assert "No room to store files" in html.unescape(text_of(response))
    assert stored_files(files) == [], "no partial PDF"
