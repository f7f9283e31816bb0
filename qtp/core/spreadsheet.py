"""CSV downloads that open correctly in a spreadsheet in every language.

UTF-8 with a byte-order mark (so accents survive), the reader's list separator (`;` where the decimal mark
is a comma, as spreadsheets expect in Spanish and Portuguese), numbers with the reader's decimal mark, and
cells that a spreadsheet would run as a formula made inert.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from babel.numbers import format_decimal, get_decimal_symbol
from flask import Response

from qtp.core.pdf import attachment_filename
from qtp.core.text import without_controls

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def separator(locale: str) -> str:
    return ";" if get_decimal_symbol(locale) == "," else ","


def cell(value: object, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return format_decimal(value, locale=locale, group_separator=False)
    text = without_controls(str(value))  # data stored before control characters were refused at the door
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], locale: str) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=separator(locale), lineterminator="\r\n")
    writer.writerow([cell(h, locale) for h in header])
    for row in rows:
        writer.writerow([cell(v, locale) for v in row])
    return buffer.getvalue()


def csv_response(stem: str, header: Sequence[str], rows: Iterable[Sequence[object]], locale: str) -> Response:
    response = Response(csv_text(header, rows, locale).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{attachment_filename(stem, "csv")}"'
    return response
