"""Writes a small, valid course tree for tests: one program, two phases, three modules, three languages.

Tests then break one file at a time to prove each kind of problem is reported with its file and line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

LOCALES = ("en", "es", "pt_BR")
WORDS = (
    "The team measured the share of patients on oral chemotherapy who signed a written consent before the first "
    "dose and found that none did so during the baseline month at the clinic. "
)
MODULES = {
    "01-basics": {"phase": "first", "prerequisites": []},
    "02-aims": {"phase": "first", "prerequisites": ["01-basics"]},
    "03-tests": {"phase": "second", "prerequisites": ["02-aims"]},
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _titles(text: str) -> dict[str, str]:
    return {"en": text, "es": f"{text} (es)", "pt_BR": f"{text} (pt)"}


def write_program(root: Path, slug: str = "test-program", pass_mark: int = 75) -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    program = {
        "slug": slug,
        "format": "six_month",
        "titles": _titles("Test Program"),
        "summaries": _titles("A program for tests."),
        "pass_mark": pass_mark,
        "phases": [
            {"id": "first", "starts_day": 0, "titles": _titles("First phase"), "summaries": _titles("First.")},
            {"id": "second", "starts_day": 30, "titles": _titles("Second phase"), "summaries": _titles("Second.")},
        ],
        "modules": list(MODULES),
        "learning_sessions": [
            {"id": "ls1", "day": 10, "days": 2, "mode": "in_person", "titles": _titles("Learning session 1")}
        ],
        "coaching_calls": {"first_day": 20, "every_days": 30, "until_day": 80, "minutes": 60, "mode": "virtual"},
        "required_worksheets": [{"type": "aim", "due_day": 40}, {"type": "charter", "due_day": 50}],
        "certificate": {"signatories": [{"name": "Dr. Test Signer", "titles": _titles("Program Director")}]},
        "countries": ["MX", "BR"],
        "self_assessment": {
            "scale": 10,
            "topics": [
                {"id": "aims", "titles": _titles("Aims")},
                {"id": "measures", "titles": _titles("Measures")},
            ],
        },
    }
    (folder / "program.yaml").write_text(yaml.safe_dump(program, allow_unicode=True, sort_keys=False))
    for slug_, spec in MODULES.items():
        write_module(folder / slug_, **spec)
    for locale in LOCALES:
        write_faculty_guide(folder, locale)
        write_about_page(folder, locale)
    for locale in LOCALES[1:]:
        write_glossary(root, locale)
    return folder


GLOSSARY_STYLE = {
    "es": {"thousands": "point from 5 digits (11.800)", "percent": "52 %", "dates": "7 de diciembre de 2026"},
    "pt_BR": {"thousands": "point from 4 digits (1.180)", "percent": "52%", "dates": "7 de dezembro de 2026"},
}


WRONG_LANGUAGE = {
    "es": {"pattern": r"\bnão\b", "note": "Portuguese word"},
    "pt_BR": {"pattern": r"\bniño\b", "note": "Spanish word"},
}


def write_glossary(root: Path, locale: str, **changes) -> Path:
    """courses/glossary.<locale>.yaml: the style of the language, one term and one wrong-language pattern."""
    style = {"decimal_separator": ",", "quotes": ["“", "”"], **GLOSSARY_STYLE[locale]}
    glossary = {
        "locale": locale,
        "register": "Readers are oncology clinicians.",
        "style": style,
        "number_exceptions": ["3.0"],
        "terms": [{"en": "run chart", "use": "gráfico de tendencia", "avoid": ["gráfico de corridas"]}],
        "wrong_language": [WRONG_LANGUAGE[locale]],
    } | changes
    path = root / f"glossary.{locale}.yaml"
    path.write_text(yaml.safe_dump(glossary, allow_unicode=True, sort_keys=False))
    return path


ABOUT_SECTIONS = ["format", "audience", "team", "schedule", "licensing", "countries"]


def write_about_page(folder: Path, locale: str, body: str | None = None, **meta_changes) -> None:
    """about.<locale>.md: the program's public page, one ## section per id (translations after English)."""
    tag = "" if locale == "en" else f" [{locale}]"
    meta: dict = {
        "title": f"The test program{tag}",
        "description": f"A test program for oncology teams{tag}.",
        "sections": ABOUT_SECTIONS,
    }
    if locale != "en":
        meta.update({"translation_of": "en", "source_sha": sha(folder / "about.en.md")})
    meta.update(meta_changes)
    meta = {key: value for key, value in meta.items() if value is not None}
    text = (
        body
        if body is not None
        else "".join(f"## The *{section}* section{tag}\n\n" + WORDS * 3 + "\n\n" for section in ABOUT_SECTIONS)
    )
    (folder / f"about.{locale}.md").write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + text)


def write_faculty_guide(folder: Path, locale: str, body: str | None = None) -> None:
    """faculty.<locale>.md: the manual's first part, with an agenda table (translations after English)."""
    tag = "" if locale == "en" else f" [{locale}]"
    meta: dict = {"title": f"How to run the test program{tag}"}
    if locale != "en":
        meta.update({"translation_of": "en", "source_sha": sha(folder / "faculty.en.md")})
    text = (
        body
        if body is not None
        else (
            f"## Learning session 1{tag}\n\n| Time | Activity |\n|---|---|\n| 09:00–10:30 | Aims workshop{tag} |\n\n"
            f"## Coaching between sessions{tag}\n\n" + WORDS * 60
        )
    )
    (folder / f"faculty.{locale}.md").write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + text)


def write_module(folder: Path, phase: str, prerequisites: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    module = {
        "phase": phase,
        "minutes": 30,
        "prerequisites": prerequisites,
        "worksheets": ["aim"],
        "objectives": ["explain", "apply"],
        "questions": [
            {"id": "q1", "kind": "single", "options": ["a", "b", "c"], "answer": ["b"]},
            {"id": "q2", "kind": "single", "options": ["a", "b"], "answer": ["a"]},
            {"id": "q3", "kind": "multiple", "options": ["a", "b", "c", "d"], "answer": ["a", "c"]},
            {"id": "q4", "kind": "multiple", "options": ["a", "b", "c"], "answer": ["b", "c"]},
        ],
    }
    (folder / "module.yaml").write_text(yaml.safe_dump(module, sort_keys=False))
    for locale in LOCALES:
        write_locale(folder, locale)


def write_locale(folder: Path, locale: str, body: str | None = None) -> None:
    tag = "" if locale == "en" else f" [{locale}]"
    translation = locale != "en"
    meta = {
        "title": f"Module {folder.name}{tag}",
        "summary": f"Summary of {folder.name}{tag}.",
        "objectives": {"explain": f"Explain the idea{tag}.", "apply": f"Apply it{tag}."},
    }
    if translation:
        meta.update({"translation_of": "en", "source_sha": sha(folder / "en.md")})
    text = body if body is not None else "## What we found\n\n" + WORDS * 25 + "\n\n**Well done.**\n"
    (folder / f"{locale}.md").write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + text)

    questions: dict = {"questions": {}}
    if translation:
        questions.update({"translation_of": "en", "source_sha": sha(folder / "questions.en.yaml")})
    options = {"q1": "abc", "q2": "ab", "q3": "abcd", "q4": "abc"}
    for qid, ids in options.items():
        questions["questions"][qid] = {
            "prompt": f"Question {qid}{tag}?",
            "options": {o: {"text": f"Option {o}{tag}", "feedback": f"Because {o}{tag}."} for o in ids},
        }
    (folder / f"questions.{locale}.yaml").write_text(yaml.safe_dump(questions, allow_unicode=True, sort_keys=False))

    slides = "".join(
        f"## Slide {n}{tag}\n\n- Point {n}\n- Another point\n\nNotes:\nSay this about {n}{tag}.\n\n" for n in range(8)
    )
    front = ""
    if translation:
        front = f'---\ntranslation_of: en\nsource_sha: "{sha(folder / "slides.en.md")}"\n---\n'
    (folder / f"slides.{locale}.md").write_text(front + slides)


# The symposium highlights package: one presentation per permission state.
PRESENTATIONS = {
    "consent-first": {"slides_permission": "granted", "slides_language": "es"},
    "unpublished-data": {"slides_permission": "refused"},
    "awaiting-reply": {"slides_permission": "pending"},
}


def write_highlights(root: Path) -> Path:
    folder = root / "symposium"
    folder.mkdir(parents=True, exist_ok=True)
    presentations = []
    for pid, permission in PRESENTATIONS.items():
        item = {
            "id": pid,
            "presenter": f"Dr. Presenter {pid}",
            "institution": "Hospital de Pruebas, Rosario",
            "country": "AR",
            "track": "patient-safety",
            **permission,
        }
        if permission["slides_permission"] != "pending":
            item |= {"permission_recorded_on": "2026-05-14", "permission_note": "Form signed on 14 May 2026."}
        presentations.append(item)
        for locale in LOCALES:
            write_abstract(folder / pid, locale)
        if permission["slides_permission"] == "granted":
            (folder / pid / f"slides.{permission['slides_language']}.md").write_text(
                "".join(
                    f"## Diapositiva {n} de {pid}\n\n- Punto {n}\n- Otro punto\n\nNotes:\nDecir {n}.\n\n"
                    for n in range(4)
                )
            )
    highlights = {
        "slug": "symposium-highlights",
        "edition": 2026,
        "titles": _titles("Symposium highlights"),
        "summaries": _titles("Selected abstracts."),
        "days": [
            {"id": "day-1", "titles": _titles("Day 1"), "presentations": ["consent-first", "unpublished-data"]},
            {"id": "day-2", "titles": _titles("Day 2"), "presentations": ["awaiting-reply"]},
        ],
        "presentations": presentations,
    }
    text = yaml.safe_dump(highlights, allow_unicode=True, sort_keys=False).replace("'2026-05-14'", "2026-05-14")
    (folder / "highlights.yaml").write_text(text)
    return folder


def write_abstract(folder: Path, locale: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tag = "" if locale == "en" else f" [{locale}]"
    meta: dict = {"title": f"Abstract of {folder.name}{tag}", "authors": ["A. Author", "B. Author"]}
    if locale != "en":
        meta.update({"translation_of": "en", "source_sha": sha(folder / "abstract.en.md")})
    body = f"## Background{tag}\n\n{WORDS}\n\n## Results{tag}\n\nThe median rose from 0% to 81%{tag}.\n"
    (folder / f"abstract.{locale}.md").write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body)


def problems(tree: Path) -> list[str]:
    """Every problem `content check` reports for the tree, as `file:line: message`."""
    from qtp.catalog.content import load_content

    return [str(p) for p in load_content(tree, LOCALES).problems]


def only(tree: Path, fragment: str) -> str:
    """The first problem containing `fragment` (the test fails when there is none)."""
    found = problems(tree)
    matching = [p for p in found if fragment in p]
    assert matching, f"expected a problem containing {fragment!r}, got {found}"
    return matching[0]


# A module figure (figures.yaml and one drawing per language), placed in the lesson of every language.
FIGURE_WORDS = {"en": "Median", "es": "Mediana", "pt_BR": "Mediana (pt)"}
FIGURE_YAML = """\
- id: anatomy
  alt: {en: A run chart with its median, es: Un gráfico de tendencia con su mediana, pt_BR: Um gráfico com a mediana}
  caption: {en: The parts of a run chart, es: Las partes de un gráfico de tendencia, pt_BR: As partes do gráfico}
"""
FIGURE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200"><defs><marker id="tip" viewBox="0 0 10 10" '
    'refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
    '<line x1="10" y1="100" x2="600" y2="100" stroke="#0b5d6b" marker-end="url(#tip)"/>'
    '<text x="20" y="50" font-size="16">{word}</text></svg>'
)


def figure_lesson(ref: str = "[figure: anatomy]") -> str:
    return "## What we found\n\n" + WORDS * 13 + "\n\n" + ref + "\n\n" + WORDS * 13 + "\n"


def write_figure(folder: Path) -> None:
    """figures.yaml with one figure, its three drawings, and each lesson placing it."""
    (folder / "figures").mkdir(exist_ok=True)
    (folder / "figures.yaml").write_text(FIGURE_YAML, encoding="utf-8")
    for locale in LOCALES:
        drawing = FIGURE_SVG.format(word=FIGURE_WORDS[locale])
        (folder / "figures" / f"anatomy.{locale}.svg").write_text(drawing, encoding="utf-8")
        write_locale(folder, locale, figure_lesson())
