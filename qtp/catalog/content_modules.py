"""Validating one module folder: structure, lessons, questions and slides in every language."""

from __future__ import annotations

from pathlib import Path

from qtp.catalog.content_base import (
    ID_PATTERN,
    MIN_LESSON_WORDS,
    MIN_QUESTIONS,
    MIN_SLIDES,
    SOURCE_LOCALE,
    WORKSHEET_TYPES,
    LocaleText,
    ModuleContent,
    Reporter,
    folder_hash,
    id_list,
    read_yaml,
    whole_number,
)
from qtp.catalog.content_examples import load_examples
from qtp.catalog.content_figures import check_module_figures
from qtp.catalog.figures import ref_lines
from qtp.catalog.files import (
    ContentError,
    LineDict,
    MarkdownFile,
    Slide,
    asset_problems,
    parse_front_matter,
    parse_slides,
    read_text,
    render_markdown,
    sha_of,
    word_count,
)

# --- modules ---------------------------------------------------------------------------------------------


def load_module(
    folder: Path, position: int, phase_ids: list[str], earlier: list[str], locales, report: Reporter
) -> ModuleContent | None:
    path = folder / "module.yaml"
    data = read_yaml(path, report)
    if not isinstance(data, LineDict):
        if data is not None:
            report.error(path, 1, "module.yaml must be a mapping")
        return None
    if data.get("phase") not in phase_ids:
        report.error(path, data.line_of("phase"), f"phase must be one of {', '.join(phase_ids)}")
    prerequisites = id_list(data, "prerequisites", path, report, required=False)
    for slug in prerequisites:
        if slug not in earlier:
            report.error(path, data.line_of("prerequisites"), f"prerequisite {slug!r} is not an earlier module")
    worksheets = id_list(data, "worksheets", path, report, required=False)
    for kind in worksheets:
        if kind not in WORKSHEET_TYPES:
            report.error(path, data.line_of("worksheets"), f"unknown worksheet type {kind!r}")
    objectives = id_list(data, "objectives", path, report)
    if not objectives:
        report.error(path, data.line_of("objectives"), "a module needs at least one objective")
    questions = _questions(data, path, report)
    module = ModuleContent(
        slug=folder.name,
        position=position,
        phase=str(data.get("phase")),
        minutes=whole_number(data, "minutes", path, report, 1, 600),
        prerequisites=prerequisites,
        worksheets=worksheets,
        objectives=objectives,
        questions=questions,
        content_hash=folder_hash(folder),
        examples=load_examples(folder, tuple(locales), report),
        folder=folder,
    )
    source = _load_locale(folder, SOURCE_LOCALE, module, None, report)
    if source is not None:
        module.texts[SOURCE_LOCALE] = source
        for locale in locales:
            if locale != SOURCE_LOCALE:
                module.texts[locale] = _load_locale(folder, locale, module, source, report) or source
    check_module_figures(folder, module, tuple(locales), report)  # also when the English texts have errors
    return module


def _questions(data: LineDict, path: Path, report: Reporter) -> list[dict]:
    questions = []
    items = data.get("questions")
    if not isinstance(items, list):
        report.error(path, data.line_of("questions"), "questions must be a list")
        return []
    for item in items:
        if not isinstance(item, LineDict) or not isinstance(item.get("id"), str) or not ID_PATTERN.match(item["id"]):
            report.error(path, getattr(item, "line", data.line_of("questions")), "each question needs a valid id")
            continue
        qid, line = item["id"], item.line
        kind = item.get("kind")
        if kind not in ("single", "multiple"):
            report.error(path, item.line_of("kind"), f"question {qid}: kind must be single or multiple")
        options = id_list(item, "options", path, report)
        answer = id_list(item, "answer", path, report)
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


def stale_or_current(meta: LineDict, source_file: Path, path: Path, report: Reporter) -> str:
    if meta.get("translation_of") != SOURCE_LOCALE:
        report.error(path, meta.line_of("translation_of"), f"a translation must say translation_of: {SOURCE_LOCALE}")
    expected = sha_of(source_file.read_bytes())
    if "source_sha" in meta and not isinstance(meta["source_sha"], str):
        report.error(path, meta.line_of("source_sha"), 'write source_sha in quotes, e.g. source_sha: "0123abcd..."')
        return "stale"
    if meta.get("source_sha") != expected:
        report.warn(
            path,
            meta.line_of("source_sha"),
            f"stale translation: {source_file.name} has changed (source_sha should be {expected} once updated)",
        )
        return "stale"
    return "current"


def read_titled_markdown(path: Path, source: Path | None, report: Reporter) -> tuple[MarkdownFile, str] | None:
    """A Markdown document with front matter and a title (a faculty guide, an abstract): reports a missing
    title, raw HTML or images and, for a translation of `source`, whether it is stale. Returns the parsed file
    and its status (source | current | stale), or None when it cannot be read at all."""
    try:
        parsed = parse_front_matter(read_text(path))
    except ContentError as error:
        report.error(path, error.line, error.message)
        return None
    title = parsed.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        report.error(path, parsed.meta.line_of("title"), "front matter needs a title")
    for line, message in asset_problems(parsed.body, parsed.body_line, path.parent):
        report.error(path, line, message)
    for offset, _slug, _line in ref_lines(parsed.body):
        report.error(path, parsed.body_line + offset, "figures are shown in lessons and slides only")
    status = "source" if source is None else stale_or_current(parsed.meta, source, path, report)
    return parsed, status


def _load_locale(
    folder: Path, locale: str, module: ModuleContent, source: LocaleText | None, report: Reporter
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
        lesson = parse_front_matter(read_text(lesson_path))
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
        statuses.append(stale_or_current(meta, folder / f"{SOURCE_LOCALE}.md", lesson_path, report))

    questions = _questiontexts_by_locale(questions_path, module, source, report, statuses)
    slides = _slidetexts_by_locale(slides_path, source, report, statuses)
    _visual_problems(slides_path, slides, module, source, report)
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


def _questiontexts_by_locale(path: Path, module: ModuleContent, source, report: Reporter, statuses: list[str]) -> dict:
    data = read_yaml(path, report)
    if not isinstance(data, LineDict) or not isinstance(data.get("questions"), LineDict):
        if data is not None:
            report.error(path, 1, "expected a mapping with a 'questions' mapping")
        return {}
    if source is not None:
        statuses.append(stale_or_current(data, path.parent / f"questions.{SOURCE_LOCALE}.yaml", path, report))
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


def _slidetexts_by_locale(path: Path, source, report: Reporter, statuses: list[str]) -> list[Slide]:
    try:
        text = read_text(path)
        parsed = parse_front_matter(text) if text.startswith("---\n") else None
    except ContentError as error:
        report.error(path, error.line, error.message)
        return []
    body, first_line = (parsed.body, parsed.body_line) if parsed else (text, 1)
    if source is not None:
        if parsed is None:
            report.error(path, 1, "a translated slide outline needs front matter with translation_of and source_sha")
        else:
            statuses.append(stale_or_current(parsed.meta, path.parent / f"slides.{SOURCE_LOCALE}.md", path, report))
    outline = parse_slides(body, first_line)
    for line, message in outline.problems:
        report.error(path, line, message)
    if len(outline.slides) < MIN_SLIDES:
        report.error(path, first_line, f"{len(outline.slides)} slides; a module needs at least {MIN_SLIDES}")
    if source is not None and source.slides and len(outline.slides) != len(source.slides):
        report.error(path, first_line, f"{len(outline.slides)} slides but the English outline has {len(source.slides)}")
    return outline.slides


def _visual_problems(path: Path, slides: list[Slide], module: ModuleContent, source, report: Reporter) -> None:
    """Each `[chart: slug]` names an example of the module; a translation draws the same charts and figures on
    the same slides as the English outline."""
    for slide in slides:
        for visual in slide.visuals:  # figures are checked with the module's figures (content_figures)
            if visual.kind == "chart" and visual.slug not in module.examples:
                report.error(path, visual.line, f"[chart: {visual.slug}]: no examples/{visual.slug}.yaml in the module")
    if source is None or len(slides) != len(source.slides):
        return
    for slide, english in zip(slides, source.slides, strict=True):
        mine = [(v.kind, v.slug) for v in slide.visuals]
        theirs = [(v.kind, v.slug) for v in english.visuals]
        if mine != theirs:
            line = slide.visuals[0].line if slide.visuals else slide.line
            report.error(path, line, f"slide {slide.title!r} must draw the same chart or figure as the English slide")
