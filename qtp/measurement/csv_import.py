"""Data points from a CSV file: a pure parser that reports every bad row, or returns every good one.

The file: UTF-8 with or without a byte-order mark (Latin-1 when it is not UTF-8), at most 1 MB and 1000
rows; `,` or `;` between cells (spreadsheets set to Spanish or Portuguese write `;` and decimal commas, so
`12,5` is read as 12.5 in a `;` file); a header row naming the columns in any case, in English, Spanish or
Portuguese: period (periodo, período), numerator (numerador) and denominator (denominador) for proportions
and rates, value (valor) for counts and continuous measures, and an optional note (nota). Periods are
YYYY-MM-DD, YYYY-MM (the first of the month) or DD/MM/YYYY.

Nothing is imported from a file with any bad row: `parse_csv` raises `ImportRefused` with every problem
(line, column, what is wrong, in the user's language), and nothing else, whatever the bytes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from qtp.core.service import ServiceError
from qtp.core.text import fold, without_controls
from qtp.measurement.rules import Entry, check_entry, uses_fraction

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000
HEADER_NAMES = {
    "period": "period",
    "periodo": "period",  # also "período": names are compared without accents
    "numerator": "numerator",
    "numerador": "numerator",
    "denominator": "denominator",
    "denominador": "denominator",
    "value": "value",
    "valor": "value",
    "note": "note",
    "nota": "note",
    "notes": "note",
    "notas": "note",
}
ACCEPTED = {  # shown in messages: every name a column may have
    "period": "period (periodo, período)",
    "numerator": "numerator (numerador)",
    "denominator": "denominator (denominador)",
    "value": "value (valor)",
    "note": "note (nota)",
}
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


@dataclass(frozen=True)
class Problem:
    line: int | None  # 1-based line of the file; None for the file as a whole
    column: str | None  # the column as the file names it
    message: str


def _unreadable() -> str:
    return _("This line cannot be read as CSV (check the quotation marks). Nothing after it was checked.")


class ImportRefused(ServiceError):
    """The file was not imported; `problems` says everything that is wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            ngettext(
                "The file was not imported: %(num)s problem was found. Nothing was changed; correct the file and "
                "upload it again.",
                "The file was not imported: %(num)s problems were found. Nothing was changed; correct the file "
                "and upload it again.",
                len(problems),
            ),
            field="file",
        )
        self.problems = problems


@dataclass(frozen=True)
class Row:
    line: int
    entry: Entry


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped), else Windows-1252 (Excel's "CSV" on Windows), else Latin-1; UTF-16 and
    binary files are refused, and control characters (tab and line breaks aside) dropped."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused(
            [Problem(None, None, _("The file is in UTF-16. Save it as \u201cCSV UTF-8\u201d and upload it again."))]
        )
    if b"\x00" in data:
        raise ImportRefused([Problem(None, None, _("This is not a text CSV file."))])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return without_controls(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return without_controls(data.decode("latin-1"))


def sniff_delimiter(text: str) -> str:
    """`;` when the header line has more semicolons than commas, else `,`."""
    for line in text.splitlines():
        if line.strip():
            return ";" if line.count(";") > line.count(",") else ","
    return ","


def parse_number(raw: str, decimal_comma: bool) -> float | None:
    """A number, or None for an empty cell; a ValueError for anything else. With `decimal_comma`,
    `12,5` and `1.234,5` are read as 12.5 and 1234.5."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if decimal_comma and "," in text:
        text = text.replace(".", "").replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise ValueError(raw)
    return float(text)


def parse_period(raw: str) -> date | None:
    """YYYY-MM-DD, YYYY-MM (the first of the month) or DD/MM/YYYY; None for an empty cell."""
    text = raw.strip()
    if not text:
        return None
    if m := _ISO_DAY.fullmatch(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _ISO_MONTH.fullmatch(text):
        return date(int(m[1]), int(m[2]), 1)
    if m := _DMY.fullmatch(text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(raw)


def _records(text: str, delimiter: str) -> Iterable[tuple[int, list[str] | None]]:
    """(first line, cells) of each record; (line, None) where the file stops being readable CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield reader.line_num, None
            return
        yield line, cells
        line = reader.line_num + 1


def _columns(cells: list[str], line: int, scale: str) -> tuple[dict[str, tuple[int, str]], list[Problem]]:
    """{column: (position, name as written)} from the header, and what is wrong with it."""
    columns: dict[str, tuple[int, str]] = {}
    problems = []
    for position, cell in enumerate(cells):
        name = cell.strip()
        column = HEADER_NAMES.get(fold(name))
        if column is None:
            continue
        if column in columns:
            problems.append(Problem(line, name, _("This column appears twice in the header.")))
        else:
            columns[column] = (position, name)
    required = ["period", "numerator", "denominator"] if uses_fraction(scale) else ["period", "value"]
    missing = [c for c in required if c not in columns]
    if missing and len(missing) == len(required):
        problems.append(
            Problem(
                line,
                None,
                _(
                    "The first row must be a header naming the columns: %(columns)s; optionally %(note)s.",
                    columns=", ".join(ACCEPTED[c] for c in required),
                    note=ACCEPTED["note"],
                ),
            )
        )
    else:
        for column in missing:
            problems.append(Problem(line, None, _("The header has no column %(column)s.", column=ACCEPTED[column])))
    return columns, problems


def _cell(cells: list[str], columns: dict[str, tuple[int, str]], column: str) -> str:
    if column not in columns:
        return ""
    position = columns[column][0]
    return cells[position] if position < len(cells) else ""


def parse_csv(data: bytes, scale: str, *, today: date, existing: Iterable[date] = ()) -> list[Row]:
    """Every row of the file as an entry for a measure of this scale, or ImportRefused with every problem
    (rows whose period is already in `existing`, or repeated in the file, are problems too)."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([Problem(None, None, _("The file is larger than 1 MB. Split it into smaller files."))])
    text = decode(data)
    delimiter = sniff_delimiter(text)
    decimal_comma = delimiter == ";"
    records = iter(_records(text, delimiter))
    header = next(((line, cells) for line, cells in records if cells is None or any(c.strip() for c in cells)), None)
    if header is None:
        raise ImportRefused([Problem(None, None, _("The file is empty."))])
    header_line, header_cells = header
    if header_cells is None:
        raise ImportRefused([Problem(header_line, None, _unreadable())])
    columns, problems = _columns(header_cells, header_line, scale)
    if problems:
        raise ImportRefused(problems)
    names = {column: name for column, (_position, name) in columns.items()}
    known = set(existing)
    seen: dict[date, int] = {}
    rows: list[Row] = []
    relevant = ("numerator", "denominator") if uses_fraction(scale) else ("value",)
    for line, cells in records:
        if cells is None:
            problems.append(Problem(line, None, _unreadable()))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(
                [
                    Problem(
                        line, None, _("The file has more than %(max)s rows. Split it into smaller files.", max=MAX_ROWS)
                    )
                ]
            )
        row_problems: list[Problem] = []
        if len(cells) > len(header_cells) and any(c.strip() for c in cells[len(header_cells) :]):
            row_problems.append(
                Problem(line, None, _("This row has more cells than the header (%(count)s).", count=len(header_cells)))
            )
        unreadable: set[str] = set()
        try:
            period = parse_period(_cell(cells, columns, "period"))
        except ValueError:
            period = None
            unreadable.add("period")
            row_problems.append(
                Problem(line, names["period"], _("This is not a date: write YYYY-MM-DD, YYYY-MM or DD/MM/YYYY."))
            )
        numbers: dict[str, float | None] = {"numerator": None, "denominator": None, "value": None}
        for column in relevant:
            try:
                numbers[column] = parse_number(_cell(cells, columns, column), decimal_comma)
            except ValueError:
                unreadable.add(column)
                if decimal_comma:
                    message = _("This is not a number (write, for example, 12,5).")
                elif "," in _cell(cells, columns, column):
                    message = _("This is not a number: use a point for decimals (12.5), or ; between the cells.")
                else:
                    message = _("This is not a number (write, for example, 12.5).")
                row_problems.append(Problem(line, names[column], message))
        entry = Entry(
            period, numbers["numerator"], numbers["denominator"], numbers["value"], _cell(cells, columns, "note")
        )
        for field, message in check_entry(scale, entry, today):
            if field not in unreadable:
                row_problems.append(Problem(line, names.get(field, field), message))
        if period is not None:
            if period in seen:
                row_problems.append(
                    Problem(
                        line,
                        names["period"],
                        _(
                            "The period %(period)s is also on line %(line)s.",
                            period=format_date(period),
                            line=seen[period],
                        ),
                    )
                )
            elif period in known:
                row_problems.append(
                    Problem(
                        line,
                        names["period"],
                        _("There is already a data point for %(period)s.", period=format_date(period)),
                    )
                )
            seen.setdefault(period, line)
        problems += row_problems
        rows.append(Row(line, entry))
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused([Problem(None, None, _("The file has a header but no data rows."))])
    return rows
