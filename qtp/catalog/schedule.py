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


def phase_dates(config: dict[str, Any], starts_on: date, ends_on: date) -> list[PhaseDates]:
    phases = config.get("phases") or []
    result = []
    for index, phase in enumerate(phases):
        start = starts_on + timedelta(days=phase["starts_day"])
        if index + 1 < len(phases):
            end = starts_on + timedelta(days=phases[index + 1]["starts_day"] - 1)
        else:
            end = max(ends_on, start)
        result.append(PhaseDates(phase["id"], start, end))
    return result


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
