"""Worksheet data as plain JSON, driven by the type's definition (pure functions).

Values: text/textarea/select -> str, number -> float, date -> "YYYY-MM-DD", multiselect -> [str],
boolean -> bool, group -> [ {sub-field: value} ] (empty rows dropped), link -> the code of a row of
another worksheet's group, records -> [record numbers as str], codes -> [codes of rows of another group of
the same worksheet] (a string "P1, P2", as stored before codes were ticked, is read as that list).
`ref` fields are never stored: they are read from the worksheet they refer to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from qtp.core.i18n import current_locale_code
from qtp.core.ids import parse_id
from qtp.measurement.diagrams import split_codes

BLANK_ROWS = 2


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def clean_value(spec: dict[str, Any], value: Any) -> Any:
    kind = spec["kind"]
    if kind in ("text", "textarea", "select"):
        return (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))
    if kind == "number":
        return None if value in (None, "") else float(value)
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else (value or None)
    if kind == "multiselect":
        return [v for v in (value or []) if v in spec.get("choices", [])]
    if kind == "boolean":
        return bool(value)
    if kind == "link":
        return value.strip()[:100] if isinstance(value, str) else ""
    if kind == "records":
        return sorted({str(v) for v in (value or []) if parse_id(v) is not None}, key=int)
    if kind == "codes":
        return [code[:10] for code in split_codes(value)][:25]
    if kind == "group":
        rows = []
        for row in value or []:
            cleaned = {sub["id"]: clean_value(sub, (row or {}).get(sub["id"])) for sub in spec["fields"]}
            if not all(is_empty(v) for v in cleaned.values()):
                rows.append(cleaned)
        return rows[: spec.get("max", 50)]
    return None


def clean(definition: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """Only the definition's fields, each normalized; anything else is ignored."""
    return {
        spec["id"]: clean_value(spec, raw.get(spec["id"])) for spec in definition["fields"] if spec["kind"] != "ref"
    }


def form_defaults(definition: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Stored data shaped for a WTForms form (dates as date objects)."""

    def shape(spec, value):
        if spec["kind"] == "date" and isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
        if spec["kind"] == "group":
            return [
                {sub["id"]: shape(sub, (row or {}).get(sub["id"])) for sub in spec["fields"]} for row in value or []
            ]
        if spec["kind"] == "codes":
            return split_codes(value)
        return value

    return {spec["id"]: shape(spec, data.get(spec["id"])) for spec in definition["fields"] if spec["kind"] != "ref"}


@dataclass(frozen=True)
class Missing:
    field: str
    row: int | None = None  # 1-based row of a group, when a required sub-field is empty
    sub_field: str | None = None


def missing_required(definition: dict[str, Any], data: dict[str, Any]) -> list[Missing]:
    """What must still be filled in before the worksheet can be submitted."""
    missing = []
    for spec in definition["fields"]:
        if spec["kind"] == "ref":
            continue
        value = data.get(spec["id"])
        if spec["kind"] == "group":
            rows = value or []
            if spec.get("required") and len(rows) < max(1, spec.get("min", 0)):
                missing.append(Missing(spec["id"]))
            for index, row in enumerate(rows, start=1):
                for sub in spec["fields"]:
                    if sub.get("required") and is_empty(row.get(sub["id"])):
                        missing.append(Missing(spec["id"], index, sub["id"]))
        elif spec.get("required") and is_empty(value):
            missing.append(Missing(spec["id"]))
    return missing


def display(spec: dict[str, Any], value: Any, labels: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """A value as text for pages, history and differences: choices by their label, links and records by the
    `names` of what they point to (their code or number when the name is unknown)."""
    if is_empty(value):
        return ""
    choices = labels.get("choices") or {}
    names = names or {}
    if spec["kind"] == "select":
        return choices.get(value, value)
    if spec["kind"] == "multiselect":
        return ", ".join(choices.get(v, v) for v in value)
    if spec["kind"] == "link":
        return names.get(value, value)
    if spec["kind"] == "records":
        return ", ".join(names.get(v, f"#{v}") for v in value)
    if spec["kind"] == "codes":
        return ", ".join(split_codes(value))
    if spec["kind"] == "boolean":
        return "✓"
    if spec["kind"] == "number":  # 1, not 1.0; 1,5 in Spanish and Portuguese
        return format_decimal(value, locale=current_locale_code())
    if spec["kind"] == "date":  # "Jun 30, 2027", never the stored 2027-06-30
        try:
            return format_date(date.fromisoformat(str(value)), "medium", locale=current_locale_code())
        except ValueError:
            return str(value)
    if spec["kind"] == "group":
        sub_labels = labels.get("fields") or {}
        lines = []
        for row in value:
            parts = [display(sub, row.get(sub["id"]), sub_labels.get(sub["id"], {})) for sub in spec["fields"]]
            lines.append(" · ".join(p for p in parts if p))
        return "\n".join(lines)
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


def diff(
    definition: dict[str, Any], texts: dict[str, Any], before: dict[str, Any], after: dict[str, Any]
) -> list[Change]:
    changes = []
    for spec in definition["fields"]:
        if spec["kind"] == "ref":
            continue
        labels = texts["fields"].get(spec["id"], {})
        old, new = display(spec, before.get(spec["id"]), labels), display(spec, after.get(spec["id"]), labels)
        if old != new:
            changes.append(Change(spec["id"], labels.get("label", spec["id"]), old, new))
    return changes
