"""The faculty instruction manual of a program, as one PDF in one language: how to run the program (the
program's faculty guide, and for the one-day workshop its agenda with timings), then per module its
objectives, each slide with its facilitator notes and the knowledge-check answers with their explanations, and
last the worksheet templates with their rubrics.

Everything comes from the content files; templates get plain values (dataclasses below). The guide's HTML was
rendered from Markdown and sanitized by the content loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import Markup

from qtp.catalog.content_base import ModuleContent, ProgramContent
from qtp.catalog.content_worksheets import WorksheetTypeContent
from qtp.catalog.figures import figure_refs
from qtp.catalog.files import sanitize_html
from qtp.core import pdf
from qtp.core.i18n import html_lang

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class AgendaRow:
    start: str
    end: str
    title: str
    module_number: int | None


@dataclass(frozen=True)
class Option:
    letter: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Answer:
    prompt: str
    multiple: bool
    options: list[Option]


@dataclass(frozen=True)
class ManualSlide:
    title: str
    bullets: list[str]
    notes: str


@dataclass(frozen=True)
class ManualModule:
    anchor: str
    number: int
    title: str
    phase: str
    minutes: int
    summary: str
    objectives: list[str]
    worksheets: list[str]
    slides: list[ManualSlide]
    answers: list[Answer]


@dataclass(frozen=True)
class TemplateField:
    label: str
    help: str
    kind: str  # line | box | choices | table | from
    choices: list[str]
    columns: list[str]
    source: str  # for "from": which worksheet the value comes from


@dataclass(frozen=True)
class RubricRow:
    label: str
    levels: list[str]


@dataclass(frozen=True)
class WorksheetTemplate:
    anchor: str
    title: str
    description: str
    fields: list[TemplateField]
    rubric: list[RubricRow]


@dataclass(frozen=True)
class Manual:
    lang: str
    program_title: str
    guide_title: str
    guide_html: Markup
    agenda: list[AgendaRow]
    pass_mark: int
    modules: list[ManualModule]
    worksheets: list[WorksheetTemplate]
    built_on: str
    content_version: str


def _text_of(module: ModuleContent, locale: str):  # type: ignore[no-untyped-def]
    return module.texts.get(locale) or module.texts["en"]


def _module(program: ProgramContent, module: ModuleContent, locale: str, titles: dict[str, str]) -> ManualModule:
    text = _text_of(module, locale)
    phases = {p["id"]: p["titles"].get(locale) or p["titles"]["en"] for p in program.config["phases"]}
    answers = []
    for question in module.questions:
        texts = text.questions.get(question["id"])
        if texts is None:
            continue
        options = [
            Option(
                LETTERS[index] if index < len(LETTERS) else option_id,
                texts["options"][option_id]["text"],
                option_id in question["answer"],
                texts["options"][option_id]["feedback"],
            )
            for index, option_id in enumerate(question["options"])
        ]
        answers.append(Answer(texts["prompt"], question["kind"] == "multiple", options))
    return ManualModule(
        anchor=f"module-{module.position}",
        number=module.position,
        title=text.title,
        phase=phases.get(module.phase, module.phase),
        minutes=module.minutes,
        summary=text.summary,
        objectives=[text.objectives[key] for key in module.objectives if key in text.objectives],
        worksheets=[titles[slug] for slug in module.worksheets if slug in titles],
        # a `[figure: slug]` line of a slide is drawn by the deck, not listed as a bullet in the manual
        slides=[
            ManualSlide(slide.title, [b for b in slide.bullets if not figure_refs(b)], slide.notes)
            for slide in text.slides
        ],
        answers=answers,
    )


def _field(spec: dict, texts: dict, titles: dict[str, str]) -> TemplateField:
    own = texts.get(spec["id"], {})
    label, help_text = own.get("label", spec["id"]), own.get("help", "")
    kind = spec["kind"]
    if kind in ("select", "multiselect"):
        choices = own.get("choices", {})
        return TemplateField(label, help_text, "choices", [choices.get(c, c) for c in spec.get("choices", [])], [], "")
    if kind == "boolean":
        return TemplateField(label, help_text, "choices", [_("Yes"), _("No")], [], "")
    if kind == "group":
        sub_texts = own.get("fields", {})
        columns = [sub_texts.get(sub["id"], {}).get("label", sub["id"]) for sub in spec.get("fields", [])]
        return TemplateField(label, help_text, "table", [], columns, "")
    if kind in ("ref", "link", "records"):
        source = titles.get(str(spec.get("from", "")).split(".")[0], "")
        return TemplateField(label, help_text, "from", [], [], source)
    return TemplateField(label, help_text, "box" if kind == "textarea" else "line", [], [], "")


def _worksheet(worksheet: WorksheetTypeContent, locale: str, titles: dict[str, str]) -> WorksheetTemplate:
    texts = worksheet.texts.get(locale) or worksheet.texts["en"]
    field_texts = texts.get("fields", {})
    rubric_texts = texts.get("rubric", {})
    rubric = []
    for criterion in worksheet.rubric:
        own = rubric_texts.get(criterion["id"], {})
        levels = own.get("levels", {})
        rubric.append(
            RubricRow(
                own.get("label", criterion["id"]),
                [str(levels.get(level, levels.get(str(level), ""))) for level in range(1, criterion["levels"] + 1)],
            )
        )
    return WorksheetTemplate(
        anchor=f"worksheet-{worksheet.slug}",
        title=texts.get("title", worksheet.slug),
        description=texts.get("description", ""),
        fields=[_field(spec, field_texts, titles) for spec in worksheet.fields],
        rubric=rubric,
    )


def manual_of(
    program: ProgramContent,
    worksheet_types: list[WorksheetTypeContent],
    locale: str,
    built: datetime,
    content_version: str,
) -> Manual:
    """The manual's contents in `locale` (call inside force_locale)."""
    titles = {w.slug: (w.texts.get(locale) or w.texts["en"]).get("title", w.slug) for w in worksheet_types}
    used = {slug for module in program.modules for slug in module.worksheets}
    used |= {item["type"] for item in program.config["required_worksheets"]}
    by_number = {module.slug: module.position for module in program.modules}
    module_titles = {module.slug: _text_of(module, locale).title for module in program.modules}
    agenda = [
        AgendaRow(
            item["start"],
            item["end"],
            module_titles.get(item["module"], "")
            if item.get("module")
            else (item["titles"].get(locale) or item["titles"]["en"]),
            by_number.get(item["module"]) if item.get("module") else None,
        )
        for item in program.config.get("agenda") or []
    ]
    guide = program.faculty.get(locale) or program.faculty["en"]
    return Manual(
        lang=html_lang(locale),
        program_title=program.config["titles"].get(locale) or program.config["titles"]["en"],
        guide_title=guide.title,
        guide_html=Markup(sanitize_html(guide.body_html)),  # noqa: S704 (the allow-list sanitizer has just run)
        agenda=agenda,
        pass_mark=program.config["pass_mark"],
        modules=[_module(program, module, locale, titles) for module in program.modules],
        worksheets=[_worksheet(w, locale, titles) for w in worksheet_types if w.slug in used],
        built_on=format_date(built.date(), "long"),
        content_version=content_version[:12],
    )


def manual_pdf(
    program: ProgramContent,
    worksheet_types: list[WorksheetTypeContent],
    locale: str,
    built: datetime,
    content_version: str,
) -> bytes:
    with force_locale(locale):
        manual = manual_of(program, worksheet_types, locale, built, content_version)
        html = pdf.render_html("licensing/pdf/manual.html", manual=manual, lang=manual.lang)
    return pdf.html_to_pdf(html)
