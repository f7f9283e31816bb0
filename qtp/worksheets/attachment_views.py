"""Attachments of worksheets: upload, download, delete (routes on the worksheets blueprint)."""

from __future__ import annotations
