"""A cohort's calendar computed from program.yaml and the cohort's start date (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class PhaseDates:
    id: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Event:
    kind: str  # learning_session | coaching_call
    id: str
    starts_on: date
    ends_on: date
    mode: str
    titles: dict[str, str]
    place: str = ""


def phase_dates(
    config: dict[str, Any], starts_on: date, ends_on: date, overrides: dict[str, str] | None = None
) -> list[PhaseDates]:
    """Each phase's first and last day: program.yaml's days from the cohort's start, or the dates an admin
    set for this cohort (`overrides`: {phase id: ISO date})."""
    phases = config.get("phases") or []
    overrides = overrides or {}

    def start_of(phase: dict[str, Any]) -> date:
        if phase["id"] in overrides:
            return date.fromisoformat(overrides[phase["id"]])
        return starts_on + timedelta(days=phase["starts_day"])

    starts = [start_of(phase) for phase in phases]
    result = []
    for index, phase in enumerate(phases):
        start = starts[index]
        end = starts[index + 1] - timedelta(days=1) if index + 1 < len(phases) else max(ends_on, start)
        result.append(PhaseDates(phase["id"], start, max(end, start)))
    return result


def default_due_dates(config: dict[str, Any], starts_on: date) -> dict[str, date]:
    """{worksheet type: due date} of the program's required worksheets for a cohort starting on `starts_on`."""
    return {
        item["type"]: starts_on + timedelta(days=item["due_day"]) for item in config.get("required_worksheets") or []
    }


def events(config: dict[str, Any], starts_on: date) -> list[Event]:
    found = [
        Event(
            "learning_session",
            session["id"],
            starts_on + timedelta(days=session["day"]),
            starts_on + timedelta(days=session["day"] + session["days"] - 1),
            session["mode"],
            session["titles"],
        )
        for session in config.get("learning_sessions") or []
    ]
    calls = config.get("coaching_calls")
    if calls and calls.get("every_days"):
        day, number = calls["first_day"], 1
        while day <= calls["until_day"]:
            when = starts_on + timedelta(days=day)
            found.append(Event("coaching_call", f"call-{number}", when, when, calls.get("mode", "virtual"), {}))
            day += calls["every_days"]
            number += 1
    return sorted(found, key=lambda e: (e.starts_on, e.kind))
