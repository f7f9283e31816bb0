"""Where each team of the international cohort stands in December 2026, for qtp.demo.loader: the São Paulo
team (qtp.demo.worksheets) and three others that differ, so the cohort's dashboards show a few cells that need
attention among work done on time.

- Turia (Valencia) is ahead: everything due is approved but the driver diagram, a draft a few days late, and
  it is planning its first PDSA cycle.
- Lakeshore (Cleveland) approved its pre-work and its process map (after one return), sent its fishbone on
  the due date; its Pareto is a late draft and its measures are not started.
- Athens started late: charter and aim approved, roster returned for revision, the rest drafts.

No worksheet of these three teams waits in the review queue (browser tests count the queue).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qtp.demo import cohort_worksheets, turia_worksheets
from qtp.demo import worksheets as sao_paulo

Key = tuple[str, int]


@dataclass(frozen=True)
class TeamWork:
    """One team's worksheets (values by (type, record number)), the review rounds of each, and when the team
    first saved and first sent each one, in days before its due date (default (14, 10); negative: after it)."""

    organization: str
    author: str  # who saves and sends the worksheets: the team leader
    worksheets: dict[Key, dict]
    reviews: dict[Key, list[dict]] = field(default_factory=dict)
    submitted: frozenset[Key] = frozenset()  # sent again after the rounds, waiting in the review queue
    timing: dict[Key, tuple[int, int]] = field(default_factory=dict)
    series: dict[int, list] = field(default_factory=dict)  # measure record number -> weekly (period, num, den)
    cohort: str = "international-2026"
    reviewer: str = "faculty@example.org"


def _round(decision: str, scores: dict[str, int], comment: str, **field_comments: str) -> dict:
    return {"decision": decision, "scores": scores, "comment": comment, "field_comments": field_comments}


TURIA_REVIEWS: dict[Key, list[dict]] = {
    ("charter", 1): [
        _round(
            "approve",
            {"problem-clarity": 4, "scope": 4, "measures": 4, "team-and-plan": 3},
            "Un problema bien medido y un alcance claro. Incluyan a Urgencias en las reuniones mensuales.",
        )
    ],
    ("aim", 1): [
        _round(
            "approve",
            {"smart-elements": 4, "ambition": 4, "alignment": 4, "consistency": 4},
            "Objetivo ambicioso y coherente con el acta: del 36% al 85% en seis meses.",
        )
    ],
    ("roster", 1): [
        _round(
            "approve",
            {"team-composition": 4, "roles-and-time": 3, "stakeholders": 4},
            "Buen equipo: Farmacia y Urgencias están dentro. Confirmen las horas de la Dra. Navarro.",
        )
    ],
    ("process-map", 1): [
        _round(
            "approve",
            {"completeness": 4, "scope-fit": 4, "waste-variation": 4, "future-state": 3},
            "Las dos esperas (oncólogo y hemograma) se ven con claridad. El estado futuro es un buen punto de partida.",
        )
    ],
    ("fishbone", 1): [
        _round(
            "approve",
            {"effect": 4, "breadth": 3, "depth": 3, "prioritization": 4},
            "Causas concretas y priorizadas con datos. Añadan subcausas a la espera del laboratorio cuando puedan.",
        )
    ],
    ("pareto", 1): [
        _round(
            "approve",
            {"data-quality": 4, "categories": 4, "interpretation": 4},
            "Datos de 58 historias y una lectura correcta: dos causas, el 65% de los retrasos.",
        )
    ],
    ("measures", 1): [
        _round(
            "return",
            {"operational-definition": 2, "fit-with-aim": 4, "data-collection": 3, "baseline-and-target": 4},
            "La medida es la del objetivo, pero falta fijar la hora cero y decir de dónde sale cada hora.",
            numerator="¿Desde el registro en el mostrador o desde el triaje? Escríbanlo en la definición.",
        ),
        _round(
            "approve",
            {"operational-definition": 4, "fit-with-aim": 4, "data-collection": 4, "baseline-and-target": 4},
            "Definición clara: la hora de registro como hora cero. Pueden empezar la recogida semanal.",
        ),
    ],
    ("measures", 2): [
        _round(
            "approve",
            {"operational-definition": 4, "fit-with-aim": 3, "data-collection": 4, "baseline-and-target": 2},
            "Buena medida de proceso. Añadan la línea de base cuando tengan las primeras semanas.",
        )
    ],
}

LAKESHORE_REVIEWS: dict[Key, list[dict]] = {
    ("charter", 1): [
        _round(
            "approve",
            {"problem-clarity": 4, "scope": 3, "measures": 4, "team-and-plan": 3},
            "A problem patients feel, with a solid baseline. Good to have billing on the core team.",
        )
    ],
    ("aim", 1): [
        _round(
            "approve",
            {"smart-elements": 4, "ambition": 3, "alignment": 4, "consistency": 4},
            "Clear and measurable. 90% is ambitious with one counselor: check the staffing with Robert.",
        )
    ],
    ("roster", 1): [
        _round(
            "approve",
            {"team-composition": 4, "roles-and-time": 4, "stakeholders": 3},
            "The right people, with their hours. Say what payer relations needs to be told, and when.",
        )
    ],
    ("process-map", 1): [
        _round(
            "return",
            {"completeness": 2, "scope-fit": 3, "waste-variation": 3, "future-state": 2},
            "Please walk the map with the schedulers and the billing office before we approve it, and confirm the "
            "order of steps 2 to 4 and the 6-day wait with their records.",
            **{"future-state": "Who tells the patient when a first infusion is moved?"},
        ),
        _round(
            "approve",
            {"completeness": 4, "scope-fit": 4, "waste-variation": 4, "future-state": 3},
            "Confirmed with billing: booking before the request is the key hand-off. Good basis for the fishbone.",
        ),
    ],
    ("fishbone", 1): [
        _round(
            "approve",
            {"effect": 4, "breadth": 4, "depth": 2, "prioritization": 3},
            "Broad and specific. Ask why twice more for the work queue, and let the Pareto confirm the key causes.",
        )
    ],
}

ATHENS_REVIEWS: dict[Key, list[dict]] = {
    ("charter", 1): [
        _round(
            "return",
            {"problem-clarity": 4, "scope": 2, "measures": 3, "team-and-plan": 2},
            "A clear problem and a good audit. Make the last step something you can see in the record, and add "
            "milestones with dates.",
            **{"scope-last-step": "The signed form, or the dispensing? Pick the one your audit can check."},
        ),
        _round(
            "approve",
            {"problem-clarity": 4, "scope": 4, "measures": 3, "team-and-plan": 3},
            "Thank you: the scope ends at the scanned form now. Ask Dr Alexiou to sign the charter off.",
        ),
    ],
    ("aim", 1): [
        _round(
            "approve",
            {"smart-elements": 4, "ambition": 4, "alignment": 4, "consistency": 3},
            "A strong aim. Use the same wording for the measure in the charter and in the aim.",
        )
    ],
    ("roster", 1): [
        _round(
            "return",
            {"team-composition": 3, "roles-and-time": 2, "stakeholders": 2},
            "The core team is right, but add Katerina's hours, and list the people whose work will change: the "
            "prescribing oncologists, the clinic secretaries, the patients.",
            stakeholders="Who else must agree to a new consent step? The oncologists who prescribe, at least.",
        )
    ],
}

TEAM_WORK = [
    TeamWork(
        sao_paulo.TEAM_ORGANIZATION,
        sao_paulo.AUTHOR,
        sao_paulo.WORKSHEETS,
        sao_paulo.REVIEWS,
        frozenset(sao_paulo.SUBMITTED),
        # the measures defined before their weekly data begins, the PDSA cycles before they start (not in the
        # weeks before their due dates)
        timing={("measures", 1): (145, 10), ("measures", 2): (145, 10), ("pdsa", 1): (131, 10), ("pdsa", 2): (117, 10)},
        series={1: sao_paulo.weekly(sao_paulo.CALLS), 2: sao_paulo.weekly(sao_paulo.ED_VISITS)},
        reviewer=sao_paulo.REVIEWER,
    ),
    TeamWork(
        "Hospital General Universitario del Turia",
        "javier.morales@example.org",
        turia_worksheets.TURIA,
        TURIA_REVIEWS,
        # measures 3 drafted after the others; the driver diagram started a few days before its due date and
        # still a draft; the first PDSA cycle planned for next week (due in January)
        timing={("measures", 3): (-5, 0), ("driver-diagram", 1): (2, 0), ("pdsa", 1): (38, 0)},
    ),
    TeamWork(
        "Lakeshore Community Oncology",
        "sarah.mitchell@example.org",
        cohort_worksheets.LAKESHORE,
        LAKESHORE_REVIEWS,
        # the fishbone written in the last days and sent on its due date; the Pareto begun after it
        timing={("fishbone", 1): (3, 0), ("pareto", 1): (-4, 0)},
    ),
    TeamWork(
        "Athens Metropolitan Cancer Centre",
        "eleni.papadopoulou@example.org",
        cohort_worksheets.ATHENS,
        ATHENS_REVIEWS,
        # the charter begun late and approved after one return; the drafts begun around or after their due dates
        timing={
            ("charter", 1): (8, 6),
            ("process-map", 1): (4, 0),
            ("fishbone", 1): (-6, 0),
            ("pareto", 1): (-10, 0),
            ("measures", 1): (-9, 0),
        },
    ),
]

# Modules completed in order (one knowledge-check attempt each) and the starting self-assessment (knowledge,
# confidence on the 10-point scale) of the other teams' members; javier.morales@example.org's first three
# modules are in qtp.demo.data.PROGRESS.
_MODULES = [
    "01-why-quality",
    "02-model-for-improvement",
    "03-charter",
    "04-smart-aims",
    "05-teams-roles-sponsors",
    "06-process-mapping-sipoc",
    "07-cause-effect-pareto",
    "08-measurement",
    "09-run-charts",
    "10-driver-diagrams",
]
PROGRESS: dict[str, tuple[list[str], tuple[int, int]]] = {
    "javier.morales@example.org": (_MODULES[:10], (5, 4)),
    "elena.sanz@example.org": (_MODULES[:9], (4, 3)),
    "sarah.mitchell@example.org": (_MODULES[:7], (5, 5)),
    "kevin.tran@example.org": (_MODULES[:6], (2, 3)),
    "maria.gonzalez@example.org": (_MODULES[:3], (3, 4)),
    "eleni.papadopoulou@example.org": (_MODULES[:5], (4, 4)),
    "nikos.georgiou@example.org": (_MODULES[:4], (3, 2)),
}
# Answers wrong in a knowledge check (5 questions: one wrong scores 80, the pass mark; two, 60, below it)
WRONG = {
    ("javier.morales@example.org", "07-cause-effect-pareto"): 1,
    ("elena.sanz@example.org", "04-smart-aims"): 1,
    ("elena.sanz@example.org", "08-measurement"): 1,
    ("sarah.mitchell@example.org", "02-model-for-improvement"): 1,
    ("sarah.mitchell@example.org", "06-process-mapping-sipoc"): 1,
    ("kevin.tran@example.org", "03-charter"): 1,
    ("kevin.tran@example.org", "05-teams-roles-sponsors"): 2,
    ("eleni.papadopoulou@example.org", "01-why-quality"): 1,
    ("eleni.papadopoulou@example.org", "04-smart-aims"): 1,
    ("nikos.georgiou@example.org", "03-charter"): 2,
}


def wrong_answers(email: str, slug: str) -> int:
    return WRONG.get((email, slug), 0)


# Learning session 1 (the Turia team's is in qtp.demo.data.ATTENDANCE)
ATTENDANCE = [
    ("international-2026", "ls1", "sarah.mitchell@example.org", "present"),
    ("international-2026", "ls1", "kevin.tran@example.org", "present"),
    ("international-2026", "ls1", "maria.gonzalez@example.org", "absent"),
    ("international-2026", "ls1", "eleni.papadopoulou@example.org", "present"),
    ("international-2026", "ls1", "nikos.georgiou@example.org", "excused"),
]
