"""Printable PDFs of worksheets and the storyboard (routes on the worksheets blueprint)."""

from __future__ import annotations
