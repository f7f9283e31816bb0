"""Loading and validating `courses/`: every problem is reported as `file:line: message`.

Errors (schema, ids, answer keys, Markdown) block a sync; translation warnings (missing or stale) do not:
the page then shows the English text with a notice. `content check` fails on both.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from qtp.catalog.content_about import load_program_pages, read_countries
from qtp.catalog.content_base import (
    FORMATS,
    ID_PATTERN,
    MIN_SLIDES,
    MODES,
    TIME_PATTERN,
    ContentSet,
    LocaleText,
    ModuleContent,
    ProgramContent,
    Reporter,
    folder_hash,
    id_list,
    read_yaml,
    texts_by_locale,
    whole_number,
)
from qtp.catalog.content_faculty import load_faculty_guides
from qtp.catalog.content_highlights import load_highlights
from qtp.catalog.content_modules import load_module
from qtp.catalog.content_worksheets import load_worksheet_types
from qtp.catalog.files import LineDict

__all__ = ["MIN_SLIDES", "ContentSet", "LocaleText", "ModuleContent", "ProgramContent", "folder_hash", "load_content"]


def load_content(root: Path, locales: tuple[str, ...]) -> ContentSet:
    content = ContentSet()
    report = Reporter(root, content)
    content.highlights = load_highlights(root / "symposium", locales, report)
    for program_file in sorted(root.glob("*/program.yaml")):
        program = _load_program(program_file, locales, report)
        if program is not None:
            content.programs.append(program)
    if not content.programs and not content.errors:
        report.error(root, 1, "no program found (expected <program>/program.yaml)")
    worksheets = root / "worksheets"
    content.worksheet_types = load_worksheet_types(worksheets, locales, report)
    if worksheets.is_dir():
        defined = {t.slug for t in content.worksheet_types}
        for program in content.programs:
            for module in program.modules:
                for kind in module.worksheets:
                    if kind not in defined:
                        path = root / program.slug / module.slug / "module.yaml"
                        report.error(path, 1, f"worksheet type {kind!r} has no definition in worksheets/")
            for item in program.config["required_worksheets"]:
                if item["type"] not in defined:
                    path = root / program.slug / "program.yaml"
                    report.error(path, 1, f"required worksheet {item['type']!r} has no definition in worksheets/")
    return content


# --- programs ------------------------------------------------------------------------------------------


def _load_program(path: Path, locales: tuple[str, ...], report: Reporter) -> ProgramContent | None:
    data = read_yaml(path, report)
    if data is None:
        return None
    if not isinstance(data, LineDict):
        report.error(path, 1, "program.yaml must be a mapping")
        return None
    folder = path.parent
    if data.get("slug") != folder.name:
        report.error(path, data.line_of("slug"), f"slug must be the folder name {folder.name!r}")
    if data.get("format") not in FORMATS:
        report.error(path, data.line_of("format"), f"format must be one of {', '.join(FORMATS)}")
    titles = texts_by_locale(data.get("titles"), locales, path, data.line_of("titles"), "titles", report)
    summaries = texts_by_locale(data.get("summaries"), locales, path, data.line_of("summaries"), "summaries", report)
    pass_mark = whole_number(data, "pass_mark", path, report, 0, 100)

    phases = []
    last_day = -1
    for item in data.get("phases") or []:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            report.error(path, getattr(item, "line", data.line_of("phases")), "each phase needs an id")
            continue
        day = whole_number(item, "starts_day", path, report)
        if day <= last_day:
            report.error(path, item.line_of("starts_day"), "phases must start in order, each after the previous")
        last_day = day
        phases.append(
            {
                "id": item["id"],
                "starts_day": day,
                "titles": texts_by_locale(item.get("titles"), locales, path, item.line, f"phase {item['id']}", report),
                "summaries": texts_by_locale(
                    item.get("summaries"), locales, path, item.line, f"phase {item['id']}", report
                ),
            }
        )
    if not phases:
        report.error(path, data.line_of("phases"), "a program needs at least one phase")
    phase_ids = [p["id"] for p in phases]

    module_slugs = id_list(data, "modules", path, report)
    module_slugs = [s for s in module_slugs if re.match(r"^\d\d-[a-z0-9-]+$", s)] if module_slugs else []
    on_disk = sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "module.yaml").exists())
    for slug in module_slugs:
        if slug not in on_disk:
            report.error(path, data.line_of("modules"), f"module {slug!r} has no folder with a module.yaml")
    for slug in on_disk:
        if slug not in module_slugs:
            report.error(folder / slug / "module.yaml", 1, "this module is not listed in program.yaml modules")

    sessions = []
    for item in data.get("learning_sessions") or []:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            report.error(path, data.line_of("learning_sessions"), "each learning session needs an id")
            continue
        if item.get("mode") not in MODES:
            report.error(path, item.line_of("mode"), f"mode must be one of {', '.join(MODES)}")
        sessions.append(
            {
                "id": item["id"],
                "day": whole_number(item, "day", path, report),
                "days": whole_number(item, "days", path, report, 1, 10),
                "mode": item.get("mode"),
                "titles": texts_by_locale(
                    item.get("titles"), locales, path, item.line, f"session {item['id']}", report
                ),
            }
        )
    calls = data.get("coaching_calls")
    coaching = None
    if calls is not None:
        if not isinstance(calls, LineDict):
            report.error(path, data.line_of("coaching_calls"), "coaching_calls must be a mapping")
        else:
            coaching = {
                k: whole_number(calls, k, path, report) for k in ("first_day", "every_days", "until_day", "minutes")
            }
            coaching["mode"] = calls.get("mode", "virtual")
    assessment = _self_assessment(data, locales, path, report)
    agenda = _agenda(data, module_slugs, locales, path, report)
    required = _required_worksheets(data, path, report)
    completion = _completion(data, path, report)
    certificate = _certificate(data, locales, path, report)
    countries = read_countries(data, path, report)

    config = {
        "titles": titles,
        "summaries": summaries,
        "pass_mark": pass_mark,
        "phases": phases,
        "modules": module_slugs,
        "learning_sessions": sessions,
        "coaching_calls": coaching,
        "self_assessment": assessment,
        "agenda": agenda,
        "required_worksheets": required,
        "completion": completion,
        "certificate": certificate,
        "countries": countries,
    }
    program = ProgramContent(slug=folder.name, format=str(data.get("format")), config=config)
    for position, slug in enumerate(module_slugs, start=1):
        if slug in on_disk:
            module = load_module(folder / slug, position, phase_ids, module_slugs[: position - 1], locales, report)
            if module is not None:
                program.modules.append(module)
    program.faculty = load_faculty_guides(folder, locales, report)
    program.pages = load_program_pages(folder, locales, report)
    digest = hashlib.sha256(path.read_bytes())
    for document in sorted([*folder.glob("faculty.*.md"), *folder.glob("about.*.md")]):
        digest.update(document.name.encode() + b"\0" + document.read_bytes())
    for module in program.modules:
        digest.update(module.content_hash.encode())
    program.content_hash = digest.hexdigest()[:32]
    return program


def _self_assessment(data: LineDict, locales, path: Path, report: Reporter) -> dict | None:
    value = data.get("self_assessment")
    if value is None:
        return None
    if not isinstance(value, LineDict):
        report.error(path, data.line_of("self_assessment"), "self_assessment must be a mapping")
        return None
    topics = []
    for item in value.get("topics") or []:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str) or not ID_PATTERN.match(item["id"]):
            report.error(path, value.line_of("topics"), "each self-assessment topic needs a valid id")
            continue
        topics.append(
            {"id": item["id"], "titles": texts_by_locale(item.get("titles"), locales, path, item.line, "topic", report)}
        )
    if len({t["id"] for t in topics}) != len(topics):
        report.error(path, value.line_of("topics"), "self-assessment topic ids must be unique")
    if not topics:
        report.error(path, value.line_of("topics"), "the self-assessment needs at least one topic")
    return {"scale": whole_number(value, "scale", path, report, 2, 100), "topics": topics}


def _required_worksheets(data: LineDict, path: Path, report: Reporter) -> list[dict]:
    """The worksheets each team submits for review, with default due days from the cohort's start."""
    required: list[dict] = []
    for item in data.get("required_worksheets") or []:
        if not isinstance(item, LineDict) or not isinstance(item.get("type"), str):
            report.error(path, data.line_of("required_worksheets"), "each required worksheet needs a type")
            continue
        if any(r["type"] == item["type"] for r in required):
            report.error(path, item.line, f"required worksheet {item['type']!r} is listed twice")
        required.append({"type": item["type"], "due_day": whole_number(item, "due_day", path, report)})
    return required


COMPLETION_CONDITIONS = ("modules", "knowledge_checks", "worksheets", "learning_sessions")


def _completion(data: LineDict, path: Path, report: Reporter) -> list[str]:
    """The conditions a participant meets to complete the program (and receive its certificate)."""
    rule = data.get("completion")
    if rule is None:
        return []
    if not isinstance(rule, list) or not all(isinstance(item, str) for item in rule):
        report.error(path, data.line_of("completion"), "completion must be a list of conditions")
        return []
    for item in rule:
        if item not in COMPLETION_CONDITIONS:
            known = ", ".join(COMPLETION_CONDITIONS)
            report.error(path, data.line_of("completion"), f"unknown completion condition {item!r} (known: {known})")
    return [item for item in rule if item in COMPLETION_CONDITIONS]


def _certificate(data: LineDict, locales, path: Path, report: Reporter) -> dict:
    """Who signs the program's certificates: one to three people, each with a title in every language."""
    value = data.get("certificate")
    if value is None:
        return {"signatories": []}
    if not isinstance(value, LineDict):
        report.error(path, data.line_of("certificate"), "certificate must be a mapping")
        return {"signatories": []}
    signatories = []
    for item in value.get("signatories") or []:
        if not isinstance(item, LineDict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            report.error(path, value.line_of("signatories"), "each signatory needs a name")
            continue
        titles = texts_by_locale(item.get("titles"), locales, path, item.line, f"signatory {item['name']}", report)
        signatories.append({"name": item["name"].strip(), "titles": titles})
    if len(signatories) > 3:
        report.error(path, value.line_of("signatories"), "a certificate has room for at most three signatories")
    return {"signatories": signatories[:3]}


def _agenda(data: LineDict, module_slugs: list[str], locales, path: Path, report: Reporter) -> list[dict]:
    agenda = []
    for item in data.get("agenda") or []:
        if not isinstance(item, LineDict):
            report.error(path, data.line_of("agenda"), "each agenda item must be a mapping")
            continue
        if not all(TIME_PATTERN.match(str(item.get(k, ""))) for k in ("start", "end")) or item["start"] >= item["end"]:
            report.error(path, item.line, "agenda times must be HH:MM with start before end")
        module = item.get("module")
        if module is not None and module not in module_slugs:
            report.error(path, item.line, f"agenda names an unknown module {module!r}")
        titles = (
            texts_by_locale(item.get("titles"), locales, path, item.line, "agenda item", report)
            if module is None
            else {}
        )
        agenda.append(
            {"start": str(item.get("start")), "end": str(item.get("end")), "module": module, "titles": titles}
        )
    return agenda
