"""Validating worksheet definitions in `courses/worksheets/`: structure, references and texts per language."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qtp.catalog.content_base import (
    ID_PATTERN,
    SOURCE_LOCALE,
    WORKSHEET_TYPES,
    Reporter,
    id_list,
    read_yaml,
    whole_number,
)
from qtp.catalog.content_modules import stale_or_current
from qtp.catalog.files import LineDict

# ref: a value shown from another worksheet; link: a row (by code) of another worksheet's group;
# records: records of a repeatable worksheet (by number); codes (in a group): codes of the rows of another
# group of the same worksheet, ticked. Links are chosen from the team's own data.
FIELD_KINDS = (
    "text",
    "textarea",
    "number",
    "date",
    "select",
    "multiselect",
    "boolean",
    "group",
    "ref",
    "link",
    "records",
    "codes",
)
SUB_FIELD_KINDS = tuple(k for k in FIELD_KINDS if k not in ("group", "ref", "link", "records"))
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 5000}


@dataclass
class WorksheetTypeContent:
    slug: str
    position: int
    repeatable: bool
    fields: list[dict[str, Any]]
    rubric: list[dict[str, Any]]
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    content_hash: str = ""


def load_worksheet_types(folder: Path, locales: tuple[str, ...], report: Reporter) -> list[WorksheetTypeContent]:
    if not folder.is_dir():
        return []
    for path in sorted(folder.glob("*.yaml")):
        stem = path.name.split(".")[0]
        if stem not in WORKSHEET_TYPES:
            report.error(path, 1, f"unknown worksheet type {stem!r} (known: {', '.join(WORKSHEET_TYPES)})")
    types = []
    for slug in WORKSHEET_TYPES:
        path = folder / f"{slug}.yaml"
        if path.is_file():
            loaded = _load_type(path, slug, locales, report)
            if loaded is not None:
                types.append(loaded)
    _check_references(types, folder, report)
    positions = [t.position for t in types]
    if len(set(positions)) != len(positions):
        report.error(folder, 1, "worksheet positions must be unique")
    return sorted(types, key=lambda t: t.position)


def _load_type(path: Path, slug: str, locales: tuple[str, ...], report: Reporter) -> WorksheetTypeContent | None:
    data = read_yaml(path, report)
    if not isinstance(data, LineDict):
        if data is not None:
            report.error(path, 1, "a worksheet definition must be a mapping")
        return None
    repeatable = data.get("repeatable", False)
    if not isinstance(repeatable, bool):
        report.error(path, data.line_of("repeatable"), "repeatable must be true or false")
    fields = _fields(data.get("fields"), path, data.line_of("fields"), report, nested=False)
    rubric = []
    for item in data.get("rubric") or []:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str) or not ID_PATTERN.match(item["id"]):
            report.error(path, getattr(item, "line", data.line_of("rubric")), "each rubric criterion needs a valid id")
            continue
        rubric.append({"id": item["id"], "levels": whole_number(item, "levels", path, report, 2, 10)})
    if not rubric:
        report.error(path, data.line_of("rubric"), "a worksheet needs a rubric with at least one criterion")
    if len({c["id"] for c in rubric}) != len(rubric):
        report.error(path, data.line_of("rubric"), "rubric criterion ids must be unique")
    worksheet = WorksheetTypeContent(
        slug=slug,
        position=whole_number(data, "position", path, report, 1, 100),
        repeatable=bool(repeatable),
        fields=fields,
        rubric=rubric,
    )
    for locale in locales:
        text_path = path.with_name(f"{slug}.{locale}.yaml")
        if not text_path.is_file():
            (report.error if locale == SOURCE_LOCALE else report.warn)(text_path, 1, f"missing {locale} file")
            worksheet.statuses[locale] = "missing"
            continue
        texts = _texts(text_path, worksheet, locale, report)
        if texts is not None:
            worksheet.texts[locale] = texts
    worksheet.content_hash = worksheet_type_hash(path.parent, slug)
    return worksheet


def worksheet_type_hash(folder: Path, slug: str) -> str:
    """Hash of a worksheet type's files (definition and every language), from the raw bytes."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob(f"{slug}.*yaml")):
        if path.name.split(".")[0] == slug:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _fields(items: Any, path: Path, line: int, report: Reporter, nested: bool) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not items:
        report.error(path, line, "fields must be a non-empty list")
        return []
    fields = []
    for item in items:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str) or not ID_PATTERN.match(item["id"]):
            report.error(path, getattr(item, "line", line), "each field needs a valid id (lowercase, digits, hyphens)")
            continue
        fid, kind = item["id"], item.get("kind")
        allowed = SUB_FIELD_KINDS if nested else FIELD_KINDS
        if kind not in allowed:
            report.error(path, item.line_of("kind"), f"field {fid}: kind must be one of {', '.join(allowed)}")
            continue
        spec: dict[str, Any] = {"id": fid, "kind": kind, "required": item.get("required", False) is True}
        if kind in DEFAULT_MAX_LENGTH:
            spec["max_length"] = (
                whole_number(item, "max_length", path, report, 1, 100_000)
                if "max_length" in item
                else (DEFAULT_MAX_LENGTH[kind])
            )
        if kind in ("select", "multiselect"):
            spec["choices"] = id_list(item, "choices", path, report)
            if not spec["choices"]:
                report.error(path, item.line_of("choices"), f"field {fid}: a {kind} needs choices")
        if kind == "number":
            for bound in ("min", "max"):
                if bound in item:
                    value = item[bound]
                    if not isinstance(value, int | float) or isinstance(value, bool):
                        report.error(path, item.line_of(bound), f"field {fid}: {bound} must be a number")
                    else:
                        spec[bound] = value
        if kind == "ref":
            target = item.get("from")
            if not isinstance(target, str) or target.count(".") != 1:
                report.error(path, item.line_of("from"), f"field {fid}: from must be <worksheet type>.<field id>")
            spec["from"] = target
            spec["required"] = False
            spec["line"] = item.line_of("from")
        if kind == "codes":
            target = item.get("from")
            if not isinstance(target, str) or not ID_PATTERN.match(target):
                report.error(path, item.line_of("from"), f"field {fid}: from must be the id of a group with codes")
            spec["from"] = target
            spec["line"] = item.line_of("from")
        if kind in ("link", "records"):
            target = item.get("from")
            dots = 1 if kind == "link" else 0
            if not isinstance(target, str) or target.count(".") != dots:
                shape = "<worksheet type>.<group id>" if kind == "link" else "<worksheet type>"
                report.error(path, item.line_of("from"), f"field {fid}: from must be {shape}")
            spec["from"] = target
            spec["line"] = item.line_of("from")
        if kind == "group":
            spec["fields"] = _fields(item.get("fields"), path, item.line_of("fields"), report, nested=True)
            spec["min"] = whole_number(item, "min", path, report, 0, 500) if "min" in item else 0
            spec["max"] = whole_number(item, "max", path, report, 1, 500) if "max" in item else 50
            if spec["min"] > spec["max"]:
                report.error(path, item.line_of("min"), f"field {fid}: min is above max")
        fields.append(spec)
    ids = [f["id"] for f in fields]
    if len(set(ids)) != len(ids):
        report.error(path, line, "field ids must be unique")
    if not nested:
        _check_codes(fields, path, report)
    return fields


def _check_codes(fields: list[dict[str, Any]], path: Path, report: Reporter) -> None:
    """A `codes` field names another group of the same worksheet whose rows have a code."""
    with_codes = {f["id"] for f in fields if f["kind"] == "group" and any(s["id"] == "code" for s in f["fields"])}
    for spec in fields:
        if spec["kind"] == "codes":
            report.error(path, spec.get("line"), f"field {spec['id']}: a codes field belongs in a group")
        for sub in (spec.get("fields") or []) if spec["kind"] == "group" else []:
            if sub["kind"] == "codes":
                line = sub.pop("line", None)
                if sub.get("from") not in with_codes or sub.get("from") == spec["id"]:
                    report.error(path, line, f"field {sub['id']}: {sub.get('from')!r} is not another group with codes")


def _check_references(types: list[WorksheetTypeContent], folder: Path, report: Reporter) -> None:
    by_slug = {t.slug: t for t in types}
    for worksheet in types:
        for spec in worksheet.fields:
            if spec["kind"] in ("link", "records") and isinstance(spec.get("from"), str):
                _check_link(spec, by_slug, folder / f"{worksheet.slug}.yaml", report)
            if spec["kind"] != "ref" or not isinstance(spec.get("from"), str) or "." not in spec["from"]:
                continue
            path = folder / f"{worksheet.slug}.yaml"
            target_slug, target_field = spec["from"].split(".", 1)
            target = by_slug.get(target_slug)
            if target is None:
                report.error(path, spec["line"], f"field {spec['id']}: no worksheet type {target_slug!r}")
            elif target.repeatable:
                report.error(
                    path, spec["line"], f"field {spec['id']}: {target_slug!r} has several records; cannot refer"
                )
            elif not any(f["id"] == target_field and f["kind"] not in ("ref", "group") for f in target.fields):
                report.error(path, spec["line"], f"field {spec['id']}: {target_slug!r} has no field {target_field!r}")
        for spec in worksheet.fields:
            spec.pop("line", None)


def _check_link(spec: dict[str, Any], by_slug: dict[str, WorksheetTypeContent], path: Path, report: Reporter) -> None:
    target_slug, _, group_id = spec["from"].partition(".")
    target = by_slug.get(target_slug)
    if target is None:
        report.error(path, spec["line"], f"field {spec['id']}: no worksheet type {target_slug!r}")
    elif spec["kind"] == "records" and not target.repeatable:
        report.error(path, spec["line"], f"field {spec['id']}: {target_slug!r} is not repeatable")
    elif spec["kind"] == "link":
        group = next((f for f in target.fields if f["id"] == group_id and f["kind"] == "group"), None)
        if group is None or not any(sub["id"] == "code" for sub in group["fields"]):
            report.error(
                path, spec["line"], f"field {spec['id']}: {target_slug!r} has no group {group_id!r} with codes"
            )


def _texts(path: Path, worksheet: WorksheetTypeContent, locale: str, report: Reporter) -> dict[str, Any] | None:
    data = read_yaml(path, report)
    if not isinstance(data, LineDict):
        if data is not None:
            report.error(path, 1, "expected a mapping")
        return None
    errors_before = len(report.content.errors)
    if locale == SOURCE_LOCALE:
        worksheet.statuses[locale] = "source"
    else:
        source = path.with_name(f"{worksheet.slug}.{SOURCE_LOCALE}.yaml")
        worksheet.statuses[locale] = stale_or_current(data, source, path, report) if source.is_file() else "stale"
    for key in ("title", "description"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            report.error(path, data.line_of(key), f"needs a {key}")
    fields = _field_texts(data.get("fields"), worksheet.fields, path, data.line_of("fields"), report)
    rubric = {}
    texts = data.get("rubric")
    if not isinstance(texts, LineDict) or set(texts) != {c["id"] for c in worksheet.rubric}:
        report.error(path, data.line_of("rubric"), "rubric must give texts for exactly the criteria of the definition")
    else:
        for criterion in worksheet.rubric:
            item = texts[criterion["id"]]
            levels = item.get("levels") if isinstance(item, dict) else None
            expected = set(range(1, criterion["levels"] + 1))
            if not isinstance(item, LineDict) or not isinstance(item.get("label"), str) or not isinstance(levels, dict):
                report.error(
                    path, texts.line_of(criterion["id"]), f"criterion {criterion['id']} needs a label and levels"
                )
            elif set(levels) != expected or not all(isinstance(v, str) and v.strip() for v in levels.values()):
                report.error(
                    path,
                    item.line_of("levels"),
                    f"criterion {criterion['id']}: give a text for levels 1 to {len(expected)}",
                )
            else:
                rubric[criterion["id"]] = {"label": item["label"], "levels": {str(k): v for k, v in levels.items()}}
    if len(report.content.errors) != errors_before:
        return None
    return {
        "title": data["title"].strip(),
        "description": data["description"].strip(),
        "fields": fields,
        "rubric": rubric,
    }


def _field_texts(texts: Any, specs: list[dict], path: Path, line: int, report: Reporter) -> dict[str, Any]:
    if not isinstance(texts, LineDict):
        report.error(path, line, "fields must be a mapping of field ids to labels")
        return {}
    expected = {s["id"] for s in specs}
    for extra in set(texts) - expected:
        report.error(path, texts.line_of(extra), f"field {extra!r} is not in the definition")
    result = {}
    for spec in specs:
        item = texts.get(spec["id"])
        if not isinstance(item, LineDict) or not isinstance(item.get("label"), str) or not item["label"].strip():
            report.error(
                path, texts.line_of(spec["id"]) if spec["id"] in texts else line, f"field {spec['id']!r} needs a label"
            )
            continue
        entry: dict[str, Any] = {"label": item["label"].strip(), "help": str(item.get("help") or "").strip()}
        if "choices" in spec:
            choices = item.get("choices")
            if not isinstance(choices, dict) or set(choices) != set(spec["choices"]):
                report.error(
                    path,
                    item.line_of("choices"),
                    f"field {spec['id']!r}: label exactly the choices {', '.join(spec['choices'])}",
                )
            else:
                entry["choices"] = {k: str(v) for k, v in choices.items()}
        if spec["kind"] == "group":
            entry["fields"] = _field_texts(item.get("fields"), spec["fields"], path, item.line_of("fields"), report)
        result[spec["id"]] = entry
    return result
