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
    return folder


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
        f"## Slide {n}{tag}\n\n- Point {n}\n- Another point\n\nNotes:\nSay this about {n}.\n\n" for n in range(8)
    )
    front = ""
    if translation:
        front = f'---\ntranslation_of: en\nsource_sha: "{sha(folder / "slides.en.md")}"\n---\n'
    (folder / f"slides.{locale}.md").write_text(front + slides)
