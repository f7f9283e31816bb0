"""What a worksheet page needs: the form built from the type, read-only values, ref values and link choices.

Used by the views only; no writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from qtp.catalog.models import WorksheetType
from qtp.core.ids import parse_id
from qtp.worksheets import data as worksheet_data
from qtp.worksheets import queries
from qtp.worksheets.forms import build_form_class
from qtp.worksheets.models import Worksheet

FORM_ONLY = ("csrf_token", "base_version", "confirm_no_patient_data")


@dataclass(frozen=True)
class ShownValue:
    """One field as read-only text: its label, help and value (groups as rows of cells)."""

    id: str
    kind: str
    label: str
    help: str
    text: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    source: str | None = None  # slug of the worksheet a ref value comes from


def group_rows(data: dict[str, Any], definition: dict[str, Any]) -> dict[str, int]:
    return {spec["id"]: len(data.get(spec["id"]) or []) for spec in definition["fields"] if spec["kind"] == "group"}


def form_class(
    wtype: WorksheetType,
    locale: str,
    data: dict[str, Any],
    links: dict[str, list[queries.LinkChoice]],
    stored_data: dict[str, Any] | None = None,
) -> type[FlaskForm]:
    """The form class of this type; `links` come from queries.link_choices (read once per request).

    `data` sizes the groups (what is stored, when showing it); `stored_data` (by default `data`) is what the
    worksheet holds now: a link or record it names stays a valid choice even after its row was removed, so a save
    that leaves it alone still passes, while any other value is refused."""
    links = {key: list(values) for key, values in links.items()}
    for spec in wtype.definition["fields"]:  # a stored link whose row was since removed stays visible
        stored = (data if stored_data is None else stored_data).get(spec["id"])
        if spec["kind"] == "link" and stored and all(c.value != stored for c in links.get(spec["id"], [])):
            links.setdefault(spec["id"], []).append(queries.LinkChoice(stored, stored))
        if spec["kind"] == "records":
            known = {c.value for c in links.get(spec["id"], [])}
            for value in stored or []:
                if value not in known:
                    links.setdefault(spec["id"], []).append(queries.LinkChoice(value, f"#{value}"))
        for sub in spec.get("fields") or []:
            if sub["kind"] == "codes":
                links[sub["id"]] = code_choices(data.get(sub["from"]))
    return build_form_class(wtype.definition, wtype.text(locale), group_rows(data, wtype.definition), links)


def code_choices(rows: Any) -> list[queries.LinkChoice]:
    """The rows of a group as choices of a `codes` field: "P1 · Patients know when to call", once per code."""
    choices, seen = [], set()
    for row in rows if isinstance(rows, list) else []:
        code = str((row or {}).get("code") or "").strip().upper()
        if code and code not in seen:
            seen.add(code)
            description = " ".join(str(row.get("description") or "").split())
            short = description[:40].rsplit(" ", 1)[0].rstrip(" ,;:·-") + "…" if len(description) > 40 else description
            label = f"{code} · {short}" if description else code
            choices.append(queries.LinkChoice(code, label))
    return choices


def stored_form(cls: type[FlaskForm], wtype: WorksheetType, worksheet: Worksheet | None) -> FlaskForm:
    """The form filled from what is stored (GET): no request data is read."""
    data = worksheet.data if worksheet else {}
    form = cls(formdata=None, data=worksheet_data.form_defaults(wtype.definition, data))
    form.base_version.data = str(worksheet.version) if worksheet else ""
    return form


def raw_data(form: FlaskForm) -> dict[str, Any]:
    return {name: value for name, value in form.data.items() if name not in FORM_ONLY}


def base_version(form: FlaskForm) -> int | None:
    value = (form.base_version.data or "").strip()
    return parse_id(value)


def shown_values(
    wtype: WorksheetType, locale: str, data: dict[str, Any], refs: dict[str, Any], links: dict[str, list] | None = None
) -> list[ShownValue]:
    texts = wtype.text(locale)["fields"]
    names = queries.link_names(links or {})
    shown = []
    for spec in wtype.definition["fields"]:
        labels = texts.get(spec["id"], {})
        label, help_text = labels.get("label", spec["id"]), labels.get("help", "")
        if spec["kind"] == "ref":
            value = refs.get(spec["id"])
            shown.append(
                ShownValue(
                    spec["id"], "ref", label, help_text, "" if value is None else str(value), source=spec["from"]
                )
            )
            continue
        value = data.get(spec["id"])
        if spec["kind"] == "group":
            sub_labels = labels.get("fields") or {}
            headers = [sub_labels.get(sub["id"], {}).get("label", sub["id"]) for sub in spec["fields"]]
            rows = [
                [
                    worksheet_data.display(sub, row.get(sub["id"]), sub_labels.get(sub["id"], {}))
                    for sub in spec["fields"]
                ]
                for row in value or []
            ]
            shown.append(ShownValue(spec["id"], "group", label, help_text, "", headers, rows))
            continue
        text = worksheet_data.display(spec, value, labels, names.get(spec["id"]))
        shown.append(ShownValue(spec["id"], spec["kind"], label, help_text, text))
    return shown


def missing_messages(wtype: WorksheetType, locale: str, missing: list[worksheet_data.Missing]) -> dict[str, list[str]]:
    """Per-field messages for what submission still needs, keyed by field id."""
    texts = wtype.text(locale)["fields"]
    messages: dict[str, list[str]] = {}
    for item in missing:
        labels = texts.get(item.field, {})
        if item.row is None:
            message = _("Required before submitting: %(field)s.", field=labels.get("label", item.field))
        else:
            sub = (labels.get("fields") or {}).get(item.sub_field, {})
            message = _(
                "Row %(row)s: %(field)s is required before submitting.",
                row=item.row,
                field=sub.get("label", item.sub_field),
            )
        messages.setdefault(item.field, []).append(message)
    return messages
