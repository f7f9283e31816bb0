"""A program's completion rule, evaluated against what a participant has done (pure: facts come in).

The rule is the list of conditions in program.yaml `completion`; each condition reports how far along the
participant is, so the home page can say which are met and what is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Facts:
    modules: list[str]  # the program's active modules
    completed: set[str]  # modules the participant completed
    checked_modules: list[str]  # modules that have a knowledge check
    best_scores: dict[str, int]  # module -> best knowledge-check score
    pass_mark: int
    required_worksheets: list[str]  # worksheet types the team must have approved
    approved_worksheets: set[str]
    sessions: list[str]  # the cohort's learning sessions (keys)
    attended: set[str]  # sessions where the participant was present or excused


@dataclass(frozen=True)
class Condition:
    key: str  # modules | knowledge_checks | worksheets | learning_sessions
    done: int
    total: int
    missing: list[str] = field(default_factory=list)  # what is left (module slugs, worksheet types, sessions)

    @property
    def met(self) -> bool:
        return self.done >= self.total


def _condition(key: str, required: list[str], satisfied: set[str]) -> Condition:
    missing = [item for item in required if item not in satisfied]
    return Condition(key, len(required) - len(missing), len(required), missing)


def evaluate(rule: list[str], facts: Facts) -> list[Condition]:
    conditions = []
    for key in rule:
        if key == "modules":
            conditions.append(_condition(key, facts.modules, facts.completed))
        elif key == "knowledge_checks":
            passed = {m for m, score in facts.best_scores.items() if score >= facts.pass_mark}
            conditions.append(_condition(key, facts.checked_modules, passed))
        elif key == "worksheets":
            conditions.append(_condition(key, facts.required_worksheets, facts.approved_worksheets))
        elif key == "learning_sessions":
            conditions.append(_condition(key, facts.sessions, facts.attended))
        else:
            raise ValueError(f"unknown completion condition {key!r}")
    return conditions


def is_complete(conditions: list[Condition]) -> bool:
    return bool(conditions) and all(condition.met for condition in conditions)
