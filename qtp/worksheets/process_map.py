"""The process-map worksheet as swimlane flowcharts: the current and the future state, one map each.

`diagrams.process_map_for(data, texts)` reads the worksheet's data and the type's texts in the reader's language and
gets a `ProcessMap` built here: per state its steps in order (with their lane, and the step a decision's
branch leads to), the numbered notes, and the SVG laid out by Graphviz (process_map_dot.py), or None when
`dot` is missing or failed (the page then lists the steps in order with a notice). Pages and PDFs use the
same values; the SVG escapes every user text.

Lanes are the actors in the order they first appear (names compared without case or extra spaces); steps
without an actor share a lane with a translated name. A decision's branch that names a later step's action
(or its number, e.g. "5" or "step 5"), or the end, links to it; any other branch text is drawn as a small
note node at the end of that branch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext as _

from qtp.measurement.svg_base import _clean

STATES = ("current-state", "future-state")
KINDS = ("step", "decision", "delay", "hand-off")
_STEP_NUMBER = re.compile(r"^(?:#\s*|[^\W\d]+\.?\s*)?(\d{1,3})$")  # "5", "#5", "step 5", "paso 5"


@dataclass(frozen=True)
class MapLabels:
    """The words on a map, in the reader's language."""

    title: str = "Process map"
    start: str = "Start"
    end: str = "End"
    yes: str = "Yes"
    no: str = "No"
    no_actor: str = "Role not given"
    lanes: str = "Lanes"
    kinds: Mapping[str, str] = field(
        default_factory=lambda: {"step": "Step", "decision": "Decision", "delay": "Delay", "hand-off": "Hand-off"}
    )
    hand_off_to: str = "Hand-off to %(lane)s"
    note: str = "Note %(number)s"


@dataclass(frozen=True)
class MapStep:
    number: int  # 1-based position in the state
    lane: int  # index into StateMap.lanes
    action: str
    kind: str  # one of KINDS
    yes: str = ""
    no: str = ""
    yes_to: int | None = None  # the step number a branch links to; 0 for the end
    no_to: int | None = None
    notes: str = ""
    note_no: int | None = None  # the callout number of its notes
    flows_to: int | None = None  # where a step that is not a decision goes: a step number, 0 for the end

    @property
    def is_decision(self) -> bool:
        return self.kind == "decision"


@dataclass(frozen=True)
class StateMap:
    key: str  # "current-state" or "future-state"
    heading: str
    lanes: list[str]
    steps: list[MapStep]
    svg: str | None = None
    notes_heading: str = "Notes"
    svg_narrow: str | None = None  # the same map top to bottom, for narrow screens (pages only)

    @property
    def notes(self) -> list[MapStep]:
        return [s for s in self.steps if s.note_no]


@dataclass(frozen=True)
class ProcessMap:
    name: str
    start: str
    end: str
    labels: MapLabels
    states: list[StateMap]
    is_drawn: bool  # False when Graphviz was missing or failed: the steps are listed instead

    @property
    def has_steps(self) -> bool:
        return any(s.steps for s in self.states)


def one_line(text: object) -> str:
    return " ".join(_clean(text or "").split())


def _key(text: str) -> str:
    return one_line(text).casefold().rstrip(".!?:;, ")


def _target(text: str, number: int, steps: list[dict[str, Any]], end: str) -> int | None:
    """The later step (number) a branch text names, 0 for the end, None for a text that names neither."""
    key = _key(text)
    if not key:
        return None
    match = _STEP_NUMBER.match(key)
    if match and number < int(match.group(1)) <= len(steps):
        return int(match.group(1))
    for later in range(number, len(steps)):
        if _key(steps[later]["action"]) == key:
            return later + 1
    if key == _key(end):
        return 0
    return None


def build_state(
    key: str, heading: str, rows: list[Any], labels: MapLabels, end: str = "", first_note: int = 1
) -> StateMap:
    """The steps of one state with their lanes and branch links (no drawing)."""
    raw = []
    for row in rows or []:
        if not isinstance(row, dict):
            continue
        action = one_line(row.get("action"))
        if not action:
            continue
        kind = row.get("kind") if row.get("kind") in KINDS else "step"
        raw.append({**row, "action": action, "kind": kind})
    lanes: list[str] = []
    lane_keys: dict[str, int] = {}
    steps = []
    note_no = first_note
    for number, row in enumerate(raw, 1):
        actor = one_line(row.get("actor"))
        lane_key = actor.casefold() if actor else "\x00"
        if lane_key not in lane_keys:
            lane_keys[lane_key] = len(lanes)
            lanes.append(actor or labels.no_actor)
        notes = str(_clean(row.get("notes") or "")).strip()
        decision = row["kind"] == "decision"
        yes, no = (one_line(row.get("yes-branch")), one_line(row.get("no-branch"))) if decision else ("", "")
        steps.append(
            MapStep(
                number=number,
                lane=lane_keys[lane_key],
                action=row["action"],
                kind=row["kind"],
                yes=yes,
                no=no,
                yes_to=_target(yes, number, raw, end),
                no_to=_target(no, number, raw, end),
                notes=notes,
                note_no=note_no if notes else None,
            )
        )
        note_no += 1 if notes else 0
    return StateMap(key, heading, lanes, _flows(steps))


def _flows(steps: list[MapStep]) -> list[MapStep]:
    """Each step goes to the next one, except the last step of a decision's first branch when the other branch
    starts right after it: that path ends there (it goes to the end) rather than running into the other one."""
    count = len(steps)
    flows = {s.number: (s.number + 1 if s.number < count else 0) for s in steps}
    for step in steps:
        targets = sorted(t for t in (step.yes_to, step.no_to) if t)
        if step.is_decision and len(targets) == 2 and targets[0] < targets[1] and targets[1] - 1 > step.number:
            flows[targets[1] - 1] = 0
    return [replace(s, flows_to=None if s.is_decision else flows[s.number]) for s in steps]


def _field(texts: dict[str, Any], field_id: str, default: str) -> dict[str, Any]:
    labels = (texts.get("fields") or {}).get(field_id) or {}
    return {"label": str(labels.get("label") or default), "fields": labels.get("fields") or {}}


def state_heading(texts: dict[str, Any], key: str) -> str:
    return _field(texts, key, _("Current state") if key == STATES[0] else _("Future state"))["label"]


def notes_heading(texts: dict[str, Any], key: str) -> str:
    notes = _field(texts, key, "")["fields"].get("notes") or {}
    return str(notes.get("label") or _("Notes"))


def labels_for(texts: dict[str, Any]) -> MapLabels:
    kind_texts = (_field(texts, "current-state", "")["fields"].get("kind") or {}).get("choices") or {}
    defaults = {"step": _("Step"), "decision": _("Decision"), "delay": _("Delay"), "hand-off": _("Hand-off")}
    return MapLabels(
        title=str(texts.get("title") or _("Process map")),
        start=_("Start"),
        end=_("End"),
        yes=_("Yes"),
        no=_("No"),
        no_actor=_("Role not given"),
        lanes=_("Lanes"),
        kinds={kind: str(kind_texts.get(kind) or default) for kind, default in defaults.items()},
        hand_off_to=_("Hand-off to %(lane)s"),
        note=_("Note %(number)s"),
    )
