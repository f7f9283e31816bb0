"""Where a team stands against the cohort's schedule (pure functions: everything comes in as arguments)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

# How far along a worksheet is: a repeatable tool (measures, PDSA cycles) counts its most advanced record.
STATUS_RANK = {None: 0, "draft": 1, "returned": 2, "submitted": 3, "approved": 4}


@dataclass(frozen=True)
class Record:
    status: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class Cell:
    status: str | None  # None: not started
    due_on: date | None
    is_late: bool  # not sent by its due date (still unsent after it, or sent after it)
    records: int = 0

    @property
    def is_done(self) -> bool:
        return self.status == "approved"


def most_advanced(records: Iterable[Record]) -> Record | None:
    best: Record | None = None
    for record in records:
        if best is None or STATUS_RANK.get(record.status, 0) > STATUS_RANK.get(best.status, 0):
            best = record
    return best


def worksheet_cell(records: list[Record], due_on: date | None, today: date) -> Cell:
    """A team's status on one required worksheet, and whether it is late: a worksheet is on time when it was
    sent for review by its due date (a returned one counts again once it is sent back)."""
    best = most_advanced(records)
    status = best.status if best else None
    if due_on is None:
        return Cell(status, None, False, len(records))
    if status in ("submitted", "approved"):
        sent = best.submitted_at.date() if best and best.submitted_at else None
        late = sent is not None and sent > due_on
    else:
        late = today > due_on
    return Cell(status, due_on, late, len(records))


@dataclass(frozen=True)
class Gain:
    topic: str
    pairs: int  # participants with both a pre and a post rating
    knowledge: float | None  # mean change (post - pre), in points of the scale
    confidence: float | None


def self_assessment_gains(topics: list[str], pre: dict[int, dict], post: dict[int, dict]) -> list[Gain]:
    """Mean change per topic over the participants who answered both, for knowledge and for confidence."""
    sums = {topic: {"knowledge": [0.0, 0], "confidence": [0.0, 0]} for topic in topics}
    for user_id in set(pre) & set(post):
        before_all, after_all = pre[user_id], post[user_id]
        for topic, totals in sums.items():
            before, after = before_all.get(topic), after_all.get(topic)
            if not before or not after:
                continue
            for key, total in totals.items():
                old, new = before.get(key), after.get(key)
                if old is not None and new is not None:
                    total[0] += float(new) - float(old)
                    total[1] += 1
    gains = []
    for topic in topics:
        knowledge, confidence = sums[topic]["knowledge"], sums[topic]["confidence"]
        gains.append(
            Gain(
                topic,
                max(knowledge[1], confidence[1]),
                knowledge[0] / knowledge[1] if knowledge[1] else None,
                confidence[0] / confidence[1] if confidence[1] else None,
            )
        )
    return gains
