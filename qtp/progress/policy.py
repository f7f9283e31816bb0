"""Pure rules about what a participant may open and take; everything they need is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Access:
    is_open: bool
    opens_on: date | None = None  # set when the module's phase has not started yet
    missing: tuple[str, ...] = ()  # prerequisites not yet completed


def module_access(phase_start: date, prerequisites: list[str], completed: set[str], today: date) -> Access:
    """A module opens when its phase has started and its prerequisites are complete."""
    missing = tuple(slug for slug in prerequisites if slug not in completed)
    if today < phase_start:
        return Access(False, opens_on=phase_start, missing=missing)
    if missing:
        return Access(False, missing=missing)
    return Access(True)


def can_take_self_assessment(kind: str, taken: set[str], last_phase_start: date, today: date) -> bool:
    """Pre once, before anything else; post once, after the pre, from the start of the last phase."""
    if kind in taken:
        return False
    if kind == "pre":
        return True
    return "pre" in taken and today >= last_phase_start


def score(questions: list[dict], answers: dict[str, list[str]]) -> tuple[int, int, dict[str, bool]]:
    """(correct, total, per-question result); a multiple-choice question counts only when exactly right."""
    results = {q["id"]: sorted(answers.get(q["id"], [])) == sorted(q["answer"]) for q in questions}
    return sum(results.values()), len(questions), results
