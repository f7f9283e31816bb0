"""Loading and validating `courses/`: every problem is reported as `file:line: message`.

Errors (schema, ids, answer keys, Markdown) block a sync; translation warnings (missing or stale) do not:
the page then shows the English text with a notice. `content check` fails on both.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qtp.catalog.files import (
    ContentError,
    LineDict,
    Problem,
    Slide,
    asset_problems,
    parse_front_matter,
    parse_slides,
    parse_yaml,
    render_markdown,
    sha_of,
    word_count,
)

SOURCE_LOCALE = "en"
FORMATS = ("six_month", "one_day")
MODES = ("in_person", "virtual")
WORKSHEET_TYPES = (
    "charter", "aim", "roster", "sipoc", "process-map", "fishbone", "pareto", "driver-diagram", "measures",
    "pdsa", "sustainability", "storyboard",
)  # fmt: skip
MIN_LESSON_WORDS = 600
MIN_QUESTIONS = 4
MIN_SLIDES = 8
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass
class LocaleText:
    locale: str
    status: str  # source | current | stale | missing
    title: str
    summary: str
    objectives: dict[str, str]
    body_html: str
    questions: dict[str, Any]
    slides: list[Slide]


@dataclass
class ModuleContent:
    slug: str
    position: int
    phase: str
    minutes: int
    prerequisites: list[str]
    worksheets: list[str]
    objectives: list[str]
    questions: list[dict[str, Any]]
    texts: dict[str, LocaleText] = field(default_factory=dict)
    content_hash: str = ""


@dataclass
class ProgramContent:
    slug: str
    format: str
    config: dict[str, Any]
    modules: list[ModuleContent] = field(default_factory=list)
    content_hash: str = ""


@dataclass
class ContentSet:
    programs: list[ProgramContent] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return sorted(self.errors + self.warnings, key=lambda p: (p.path, p.line))


class _Reporter:
    def __init__(self, root: Path, content: ContentSet) -> None:
        self.root = root
        self.content = content

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def error(self, path: Path, line: int, message: str) -> None:
        self.content.errors.append(Problem(self.rel(path), line, message))

    def warn(self, path: Path, line: int, message: str) -> None:
        self.content.warnings.append(Problem(self.rel(path), line, message))


def folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def load_content(root: Path, locales: tuple[str, ...]) -> ContentSet:
    content = ContentSet()
    report = _Reporter(root, content)
    for program_file in sorted(root.glob("*/program.yaml")):
        program = _load_program(program_file, locales, report)
        if program is not None:
            content.programs.append(program)
    if not content.programs and not content.errors:
        report.error(root, 1, "no program found (expected <program>/program.yaml)")
    return content


# --- helpers -----------------------------------------------------------------------------------------


def _read_yaml(path: Path, report: _Reporter) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        report.error(path, 1, "not UTF-8 text")
    except ContentError as error:
        report.error(path, error.line, error.message)
    return None


def _texts(value: Any, locales: tuple[str, ...], path: Path, line: int, what: str, report: _Reporter) -> dict:
    if not isinstance(value, dict):
        report.error(path, line, f"{what} must give a text for each language ({', '.join(locales)})")
        return {}
    for locale in locales:
        if not isinstance(value.get(locale), str) or not value[locale].strip():
            report.error(path, line, f"{what} has no {locale} text")
    return {k: v for k, v in value.items() if isinstance(v, str)}


def _int(mapping: LineDict, key: str, path: Path, report: _Reporter, minimum: int = 0, maximum: int = 10**6) -> int:
    value = mapping.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        report.error(path, mapping.line_of(key), f"{key} must be a whole number from {minimum} to {maximum}")
        return minimum
    return value


def _id_list(mapping: LineDict, key: str, path: Path, report: _Reporter, required: bool = True) -> list[str]:
    value = mapping.get(key, [] if not required else None)
    line = mapping.line_of(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report.error(path, line, f"{key} must be a list of ids")
        return []
    if len(set(value)) != len(value):
        report.error(path, line, f"{key} has a repeated id")
    for item in value:
        if not _ID.match(item):
            report.error(path, line, f"{key}: {item!r} is not a valid id (lowercase letters, digits, hyphens)")
    return value


# --- programs ------------------------------------------------------------------------------------------


def _load_program(path: Path, locales: tuple[str, ...], report: _Reporter) -> ProgramContent | None:
    data = _read_yaml(path, report)
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
    titles = _texts(data.get("titles"), locales, path, data.line_of("titles"), "titles", report)
    summaries = _texts(data.get("summaries"), locales, path, data.line_of("summaries"), "summaries", report)
    pass_mark = _int(data, "pass_mark", path, report, 0, 100)

    phases = []
    last_day = -1
    for item in data.get("phases") or []:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
            report.error(path, getattr(item, "line", data.line_of("phases")), "each phase needs an id")
            continue
        day = _int(item, "starts_day", path, report)
        if day <= last_day:
            report.error(path, item.line_of("starts_day"), "phases must start in order, each after the previous")
        last_day = day
        phases.append(
            {
                "id": item["id"],
                "starts_day": day,
                "titles": _texts(item.get("titles"), locales, path, item.line, f"phase {item['id']}", report),
                "summaries": _texts(item.get("summaries"), locales, path, item.line, f"phase {item['id']}", report),
            }
        )
    if not phases:
        report.error(path, data.line_of("phases"), "a program needs at least one phase")
    phase_ids = [p["id"] for p in phases]

    module_slugs = _id_list(data, "modules", path, report)
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
                "day": _int(item, "day", path, report),
                "days": _int(item, "days", path, report, 1, 10),
                "mode": item.get("mode"),
                "titles": _texts(item.get("titles"), locales, path, item.line, f"session {item['id']}", report),
            }
        )
    calls = data.get("coaching_calls")
    coaching = None
    if calls is not None:
        if not isinstance(calls, LineDict):
            report.error(path, data.line_of("coaching_calls"), "coaching_calls must be a mapping")
        else:
            coaching = {k: _int(calls, k, path, report) for k in ("first_day", "every_days", "until_day", "minutes")}
            coaching["mode"] = calls.get("mode", "virtual")
    assessment = _self_assessment(data, locales, path, report)
    agenda = _agenda(data, module_slugs, locales, path, report)

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
    }
    program = ProgramContent(slug=folder.name, format=str(data.get("format")), config=config)
    for position, slug in enumerate(module_slugs, start=1):
        if slug in on_disk:
            module = _load_module(folder / slug, position, phase_ids, module_slugs[: position - 1], locales, report)
            if module is not None:
                program.modules.append(module)
    digest = hashlib.sha256(path.read_bytes())
    for module in program.modules:
        digest.update(module.content_hash.encode())
    program.content_hash = digest.hexdigest()[:32]
    return program


def _self_assessment(data: LineDict, locales, path: Path, report: _Reporter) -> dict | None:
    value = data.get("self_assessment")
    if value is None:
        return None
    if not isinstance(value, LineDict):
        report.error(path, data.line_of("self_assessment"), "self_assessment must be a mapping")
        return None
    topics = []
    for item in value.get("topics") or []:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str) or not _ID.match(item["id"]):
            report.error(path, value.line_of("topics"), "each self-assessment topic needs a valid id")
            continue
        topics.append(
            {"id": item["id"], "titles": _texts(item.get("titles"), locales, path, item.line, "topic", report)}
        )
    if len({t["id"] for t in topics}) != len(topics):
        report.error(path, value.line_of("topics"), "self-assessment topic ids must be unique")
    if not topics:
        report.error(path, value.line_of("topics"), "the self-assessment needs at least one topic")
    return {"scale": _int(value, "scale", path, report, 2, 100), "topics": topics}


def _agenda(data: LineDict, module_slugs: list[str], locales, path: Path, report: _Reporter) -> list[dict]:
    agenda = []
    for item in data.get("agenda") or []:
        if not isinstance(item, LineDict):
            report.error(path, data.line_of("agenda"), "each agenda item must be a mapping")
            continue
        if not all(_TIME.match(str(item.get(k, ""))) for k in ("start", "end")) or item["start"] >= item["end"]:
            report.error(path, item.line, "agenda times must be HH:MM with start before end")
        module = item.get("module")
        if module is not None and module not in module_slugs:
            report.error(path, item.line, f"agenda names an unknown module {module!r}")
        titles = _texts(item.get("titles"), locales, path, item.line, "agenda item", report) if module is None else {}
        agenda.append(
            {"start": str(item.get("start")), "end": str(item.get("end")), "module": module, "titles": titles}
        )
    return agenda


# --- modules ---------------------------------------------------------------------------------------------


def _load_module(
    folder: Path, position: int, phase_ids: list[str], earlier: list[str], locales, report: _Reporter
) -> ModuleContent | None:
    path = folder / "module.yaml"
    data = _read_yaml(path, report)
    if not isinstance(data, LineDict):
        if data is not None:
            report.error(path, 1, "module.yaml must be a mapping")
        return None
    if data.get("phase") not in phase_ids:
        report.error(path, data.line_of("phase"), f"phase must be one of {', '.join(phase_ids)}")
    prerequisites = _id_list(data, "prerequisites", path, report, required=False)
    for slug in prerequisites:
        if slug not in earlier:
            report.error(path, data.line_of("prerequisites"), f"prerequisite {slug!r} is not an earlier module")
    worksheets = _id_list(data, "worksheets", path, report, required=False)
    for kind in worksheets:
        if kind not in WORKSHEET_TYPES:
            report.error(path, data.line_of("worksheets"), f"unknown worksheet type {kind!r}")
    objectives = _id_list(data, "objectives", path, report)
    if not objectives:
        report.error(path, data.line_of("objectives"), "a module needs at least one objective")
    questions = _questions(data, path, report)
    module = ModuleContent(
        slug=folder.name,
        position=position,
        phase=str(data.get("phase")),
        minutes=_int(data, "minutes", path, report, 1, 600),
        prerequisites=prerequisites,
        worksheets=worksheets,
        objectives=objectives,
        questions=questions,
        content_hash=folder_hash(folder),
    )
    source = _load_locale(folder, SOURCE_LOCALE, module, None, report)
    if source is None:
        return module
    module.texts[SOURCE_LOCALE] = source
    for locale in locales:
        if locale != SOURCE_LOCALE:
            module.texts[locale] = _load_locale(folder, locale, module, source, report) or source
    return module


def _questions(data: LineDict, path: Path, report: _Reporter) -> list[dict]:
    questions = []
    items = data.get("questions")
    if not isinstance(items, list):
        report.error(path, data.line_of("questions"), "questions must be a list")
        return []
    for item in items:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str) or not _ID.match(item["id"]):
            report.error(path, getattr(item, "line", data.line_of("questions")), "each question needs a valid id")
            continue
        qid, line = item["id"], item.line
        kind = item.get("kind")
        if kind not in ("single", "multiple"):
            report.error(path, item.line_of("kind"), f"question {qid}: kind must be single or multiple")
        options = _id_list(item, "options", path, report)
        answer = _id_list(item, "answer", path, report)
        if len(options) < 2:
            report.error(path, item.line_of("options"), f"question {qid}: needs at least two options")
        if not answer or any(a not in options for a in answer):
            report.error(path, item.line_of("answer"), f"question {qid}: the answer must name options of the question")
        if kind == "single" and len(answer) != 1:
            report.error(path, item.line_of("answer"), f"question {qid}: a single-choice question has one answer")
        questions.append({"id": qid, "kind": kind, "options": options, "answer": sorted(answer), "line": line})
    ids = [q["id"] for q in questions]
    if len(set(ids)) != len(ids):
        report.error(path, data.line_of("questions"), "question ids must be unique")
    if len(questions) < MIN_QUESTIONS:
        report.error(path, data.line_of("questions"), f"a knowledge check needs at least {MIN_QUESTIONS} questions")
    kinds = {q["kind"] for q in questions}
    if questions and not {"single", "multiple"} <= kinds:
        report.error(path, data.line_of("questions"), "use both single- and multiple-choice questions")
    return [{k: v for k, v in q.items() if k != "line"} for q in questions]


def _stale_or_current(meta: LineDict, source_file: Path, path: Path, report: _Reporter) -> str:
    if meta.get("translation_of") != SOURCE_LOCALE:
        report.error(path, meta.line_of("translation_of"), f"a translation must say translation_of: {SOURCE_LOCALE}")
    expected = sha_of(source_file.read_bytes())
    if meta.get("source_sha") != expected:
        report.warn(
            path,
            meta.line_of("source_sha"),
            f"stale translation: {source_file.name} has changed (source_sha should be {expected} once updated)",
        )
        return "stale"
    return "current"


def _load_locale(
    folder: Path, locale: str, module: ModuleContent, source: LocaleText | None, report: _Reporter
) -> LocaleText | None:
    lesson_path = folder / f"{locale}.md"
    questions_path = folder / f"questions.{locale}.yaml"
    slides_path = folder / f"slides.{locale}.md"
    missing = [p for p in (lesson_path, questions_path, slides_path) if not p.is_file()]
    if missing:
        for p in missing:
            (report.warn if source is not None else report.error)(p, 1, f"missing {locale} file")
        if source is not None:
            return LocaleText(**{**source.__dict__, "locale": locale, "status": "missing"})
        return None
    errors_before = len(report.content.errors)
    statuses = []
    try:
        lesson = parse_front_matter(lesson_path.read_text(encoding="utf-8"))
    except ContentError as error:
        report.error(lesson_path, error.line, error.message)
        return None
    meta = lesson.meta
    for key in ("title", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            report.error(lesson_path, meta.line_of(key), f"front matter needs a {key}")
    objectives = meta.get("objectives")
    if not isinstance(objectives, dict) or set(objectives) != set(module.objectives):
        report.error(
            lesson_path, meta.line_of("objectives"), "objectives must give a text for exactly the ids of module.yaml"
        )
        objectives = {}
    for problem_line, message in asset_problems(lesson.body, lesson.body_line, folder):
        report.error(lesson_path, problem_line, message)
    if source is None and word_count(lesson.body) < MIN_LESSON_WORDS:
        report.error(
            lesson_path,
            lesson.body_line,
            f"the lesson has {word_count(lesson.body)} words; at least {MIN_LESSON_WORDS}",
        )
    if source is not None:
        statuses.append(_stale_or_current(meta, folder / f"{SOURCE_LOCALE}.md", lesson_path, report))

    questions = _question_texts(questions_path, module, source, report, statuses)
    slides = _slide_texts(slides_path, source, report, statuses)
    if len(report.content.errors) != errors_before:
        return None
    return LocaleText(
        locale=locale,
        status="source" if source is None else ("stale" if "stale" in statuses else "current"),
        title=str(meta.get("title", "")).strip(),
        summary=str(meta.get("summary", "")).strip(),
        objectives={k: str(objectives[k]) for k in module.objectives if k in objectives},
        body_html=render_markdown(lesson.body),
        questions=questions,
        slides=slides,
    )


def _question_texts(path: Path, module: ModuleContent, source, report: _Reporter, statuses: list[str]) -> dict:
    data = _read_yaml(path, report)
    if not isinstance(data, LineDict) or not isinstance(data.get("questions"), LineDict):
        if data is not None:
            report.error(path, 1, "expected a mapping with a 'questions' mapping")
        return {}
    if source is not None:
        statuses.append(_stale_or_current(data, path.parent / f"questions.{SOURCE_LOCALE}.yaml", path, report))
    texts = data["questions"]
    expected = {q["id"]: q["options"] for q in module.questions}
    for qid in texts:
        if qid not in expected:
            report.error(path, texts.line_of(qid), f"question {qid!r} is not in module.yaml")
    result = {}
    for qid, option_ids in expected.items():
        item = texts.get(qid)
        if not isinstance(item, LineDict) or not isinstance(item.get("prompt"), str):
            report.error(path, texts.line_of(qid) if qid in texts else texts.line, f"question {qid!r} needs a prompt")
            continue
        options = item.get("options")
        if not isinstance(options, LineDict) or set(options) != set(option_ids):
            report.error(
                path, item.line_of("options"), f"question {qid!r}: options must be exactly {', '.join(option_ids)}"
            )
            continue
        parsed = {}
        for oid in option_ids:
            option = options[oid]
            if not isinstance(option, dict) or not all(
                isinstance(option.get(k), str) and option[k].strip() for k in ("text", "feedback")
            ):
                report.error(path, options.line_of(oid), f"question {qid!r} option {oid!r} needs a text and a feedback")
                continue
            parsed[oid] = {"text": option["text"].strip(), "feedback": option["feedback"].strip()}
        result[qid] = {"prompt": item["prompt"].strip(), "options": parsed}
    return result


def _slide_texts(path: Path, source, report: _Reporter, statuses: list[str]) -> list[Slide]:
    text = path.read_text(encoding="utf-8")
    try:
        parsed = parse_front_matter(text) if text.startswith("---\n") else None
    except ContentError as error:
        report.error(path, error.line, error.message)
        return []
    body, first_line = (parsed.body, parsed.body_line) if parsed else (text, 1)
    if source is not None:
        if parsed is None:
            report.error(path, 1, "a translated slide outline needs front matter with translation_of and source_sha")
        else:
            statuses.append(_stale_or_current(parsed.meta, path.parent / f"slides.{SOURCE_LOCALE}.md", path, report))
    outline = parse_slides(body, first_line)
    for line, message in outline.problems:
        report.error(path, line, message)
    if len(outline.slides) < MIN_SLIDES:
        report.error(path, first_line, f"{len(outline.slides)} slides; a module needs at least {MIN_SLIDES}")
    if source is not None and source.slides and len(outline.slides) != len(source.slides):
        report.error(path, first_line, f"{len(outline.slides)} slides but the English outline has {len(source.slides)}")
    return outline.slides
