"""Demo project work for the São Paulo team (leader@example.org): worksheets filled in, two measures with
weekly data whose run chart shows a shift after the first PDSA cycles, and the cycles themselves."""

from __future__ import annotations

from datetime import date, timedelta

TEAM_ORGANIZATION = "Instituto Paulista de Oncologia Clínica"
AUTHOR = "leader@example.org"
FIRST_WEEK = date(2026, 7, 6)

# Where the demo worksheets stand in review: the aim waits in the faculty's queue; the charter was returned
# (the team has feedback to act on); the fishbone was returned once and approved on its second submission.
SUBMITTED = {("aim", 1)}
REVIEWER = "faculty@example.org"
REVIEWS: dict[tuple[str, int], list[dict]] = {
    ("charter", 1): [
        {
            "decision": "return",
            "scores": {"problem-clarity": 4, "scope": 3, "measures": 2, "team-and-plan": 3},
            "comment": (
                "A clear problem with good baseline data. Before we approve it: give each measure its operational "
                "definition (numerator, denominator, exclusions) and add dates to your milestones."
            ),
            "field_comments": {"measures": "How will you count calls answered within 2 hours? From the phone log?"},
        },
    ],
    ("fishbone", 1): [
        {
            "decision": "return",
            "scores": {"effect": 3, "breadth": 2, "depth": 2, "prioritization": 2},
            "comment": (
                "A good start. The People and Equipment bones are thin: ask the nurses who return the calls what "
                "slows them down, and mark the two or three causes your data point to."
            ),
            "field_comments": {"effect": "Add the measure and the period, as in your aim statement."},
        },
        {
            "decision": "approve",
            "scores": {"effect": 4, "breadth": 4, "depth": 3, "prioritization": 4},
            "comment": "Much clearer: the voicemail and the missing triage protocol stand out. Well done.",
            "field_comments": {},
        },
    ],
}

WORKSHEETS: dict[tuple[str, int], dict] = {
    ("aim", 1): {
        "statement": (
            "Increase the share of symptom-management calls answered by a nurse within 2 hours from 48% to 75% "
            "by 30 June 2027, for all patients on active chemotherapy at the main clinic."
        ),
        "direction": "increase",
        "measure": "Symptom-management calls answered within 2 hours",
        "baseline": 48.0,
        "target": 75.0,
        "unit": "%",
        "target-date": "2027-06-30",
        "population": "All adults on active intravenous or oral chemotherapy at the main clinic.",
        "specific": True,
        "measurable": True,
        "achievable": True,
        "relevant": True,
        "time-bound": True,
    },
    ("charter", 1): {
        "title": "Symptom calls answered within 2 hours",
        "sponsor": "Dr Paulo Martins, clinical director",
        "team-leader": "Dr Ana Beatriz Ribeiro",
        "coach": "Dr Daniel Whitfield",
        "members": [
            {"name": "Dr Ana Beatriz Ribeiro", "role": "leader"},
            {"name": "Rafael Souza Lima, RN", "role": "core"},
            {"name": "Juliana Costa, scheduler", "role": "extended"},
            {"name": "Dr Paulo Martins", "role": "sponsor"},
        ],
        "background": (
            "Patients on chemotherapy are told to call the clinic about fever, vomiting or pain. Calls wait in a "
            "shared voicemail; nurses return them between infusions."
        ),
        "problem-statement": (
            "Only 48% of symptom-management calls from patients on chemotherapy were answered within 2 hours "
            "in the 8 weeks from July to August 2026; late answers lead to emergency-department visits."
        ),
        "baseline-data": "8 weeks of call logs: 412 calls, 198 answered within 2 hours (48%).",
        "scope-first-step": "The patient calls the clinic.",
        "scope-last-step": "A nurse has assessed the symptom and given advice or an appointment.",
        "in-scope": "Weekday calls from adults on active chemotherapy at the main clinic.",
        "out-of-scope": "Night and weekend calls (handled by the hospital switchboard).",
        "measures": [
            {"name": "Symptom-management calls answered within 2 hours", "type": "outcome"},
            {"name": "Calls triaged with the symptom protocol", "type": "process"},
            {"name": "Unplanned ED visits of patients on chemotherapy", "type": "balancing"},
        ],
        "risks": "Nurse vacancies in the infusion unit; the new phone system arrives in 2027.",
        "milestones": [
            {"date": "2026-09-15", "milestone": "Baseline data and process map reviewed with the sponsor"},
            {"date": "2026-11-30", "milestone": "First PDSA cycles of the triage nurse rota"},
        ],
        "communication-plan": "Run chart on the nurses' board every Monday; monthly summary to the sponsor.",
    },
    ("process-map", 1): {
        "process-name": "A symptom call from a patient on chemotherapy",
        "start": "The patient calls the clinic",
        "end": "A nurse has given advice or an appointment",
        "current-state": [
            {"actor": "Patient", "action": "Calls the clinic's main number about a symptom", "kind": "step"},
            {
                "actor": "Receptionist",
                "action": "Takes a message and transfers the call to the shared voicemail",
                "kind": "hand-off",
                "notes": "About 1 in 5 calls reaches the wrong extension first.",
            },
            {
                "actor": "Receptionist",
                "action": "Voicemail waits until a nurse is free between infusions",
                "kind": "delay",
                "notes": "Median wait 2 h 40 min; up to 5 hours on busy infusion days.",
            },
            {
                "actor": "Infusion nurse",
                "action": "Listens to the message and calls the patient back",
                "kind": "hand-off",
                "notes": "3 in 10 call-backs do not reach the patient on the first attempt.",
            },
            {
                "actor": "Infusion nurse",
                "action": "Red-flag symptom?",
                "kind": "decision",
                "yes-branch": "Sees the patient the same day",
                "no-branch": "Gives self-care advice",
                "notes": "No triage protocol: each nurse decides in their own way.",
            },
            {
                "actor": "On-call oncologist",
                "action": "Sees the patient the same day",
                "kind": "step",
                "notes": "Often after waiting in the emergency department.",
            },
            {"actor": "Infusion nurse", "action": "Gives self-care advice", "kind": "step"},
        ],
        "future-state": [
            {"actor": "Patient", "action": "Calls the call-nurse phone printed on the wallet card", "kind": "step"},
            {
                "actor": "Call nurse",
                "action": "Answers or returns the call within 30 minutes",
                "kind": "step",
                "notes": "A named call nurse on every shift, with a named back-up.",
            },
            {
                "actor": "Call nurse",
                "action": "Triages with the UKONS tool: red flag?",
                "kind": "decision",
                "yes-branch": "Sees the patient in the same-day clinic",
                "no-branch": "Gives advice and books a follow-up call",
            },
            {"actor": "On-call oncologist", "action": "Sees the patient in the same-day clinic", "kind": "step"},
            {"actor": "Call nurse", "action": "Gives advice and books a follow-up call", "kind": "step"},
        ],
    },
    ("fishbone", 1): {
        "effect": "Symptom-management calls are not answered within 2 hours",
        "category-preset": "classic",
        "causes": [
            {"category": "people", "cause": "No nurse is assigned to calls during infusion peaks"},
            {"category": "methods", "cause": "Calls go to a shared voicemail, checked irregularly"},
            {"category": "methods", "cause": "No triage protocol: every call gets the same priority"},
            {"category": "equipment", "cause": "The voicemail does not show the waiting time"},
            {"category": "environment", "cause": "Infusion unit phone is far from the nurses' station"},
            {"category": "materials", "cause": "Patients lack a card saying when and how to call"},
        ],
        "key-causes": "Shared voicemail without a named nurse, and no triage protocol.",
    },
    ("pareto", 1): {
        "data-source": "Call log: calls not answered within 2 hours",
        "period": "July to August 2026",
        "unit": "calls",
        "categories": [
            {"name": "No nurse free during infusion peak", "count": 96.0},
            {"name": "Voicemail not checked", "count": 58.0},
            {"name": "Wrong number given to patient", "count": 21.0},
            {"name": "Nurse could not reach the patient", "count": 18.0},
            {"name": "Other", "count": 21.0},
        ],
        "interpretation": "Two causes explain about 70% of late answers: staffing at peaks and voicemail.",
    },
    ("driver-diagram", 1): {
        "primary-drivers": [
            {"code": "P1", "description": "A nurse is always available for calls"},
            {"code": "P2", "description": "Calls are triaged by urgency"},
        ],
        "secondary-drivers": [
            {"code": "S1", "description": "A named call nurse on every shift", "primary-codes": ["P1"]},
            {"code": "S2", "description": "Voicemail is checked every 30 minutes", "primary-codes": ["P1"]},
            {"code": "S3", "description": "A validated symptom triage protocol", "primary-codes": ["P2"]},
        ],
        "change-ideas": [
            {"code": "C1", "description": "Call-nurse rota with a dedicated phone", "secondary-codes": ["S1", "S2"]},
            {"code": "C2", "description": "Triage script based on the UKONS tool", "secondary-codes": ["S3"]},
            {"code": "C3", "description": "Wallet card for patients: when and how to call", "secondary-codes": ["S3"]},
        ],
    },
    ("measures", 1): {
        "name": "Symptom-management calls answered within 2 hours",
        "type": "outcome",
        "rationale": "The aim's measure: timely advice prevents emergency visits.",
        "numerator": "Calls answered by a nurse within 2 hours of the first attempt",
        "denominator": "Weekday symptom-management calls from patients on active chemotherapy",
        "exclusions": "Calls about appointments only; calls from other hospitals.",
        "time-window": "Week (Monday to Friday)",
        "scale": "proportion",
        "unit": "%",
        "direction": "increase",
        "baseline": 48.0,
        "target": 75.0,
        "who-collects": "Rafael Souza Lima, RN",
        "source": "Call log of the dedicated phone",
        "frequency": "Weekly, every Monday",
        "sampling": "all-cases",
        "who-receives-results": "Core team on Mondays; sponsor monthly",
    },
    ("measures", 2): {
        "name": "Unplanned ED visits of patients on chemotherapy",
        "type": "balancing",
        "numerator": "Emergency-department visits within 7 days of a symptom call",
        "denominator": "Patients on active chemotherapy that week, in hundreds",
        "scale": "rate",
        "unit": "per 100 patients",
        "direction": "decrease",
        "who-collects": "Juliana Costa",
        "source": "Hospital admission system",
        "frequency": "Weekly",
        "sampling": "all-cases",
    },
    ("pdsa", 1): {
        "cycle-number": 1.0,
        "change-idea": "C1",
        "measures": ["1"],
        "purpose": "test",
        "start-date": "2026-09-07",
        "end-date": "2026-09-11",
        "objective": "Test a named call nurse with a dedicated phone on Monday mornings.",
        "predictions": "At least 7 of 10 calls that morning will be answered within 2 hours.",
        "decision": "adapt",
        "learning": "Worked in the morning; the nurse was pulled into infusions after lunch.",
        "next-cycle": "Extend to full days with a back-up nurse named on the rota.",
    },
    ("pdsa", 2): {
        "cycle-number": 2.0,
        "change-idea": "C1",
        "measures": ["1", "2"],
        "purpose": "implement",
        "start-date": "2026-09-21",
        "objective": "Call-nurse rota on every weekday with a named back-up.",
        "predictions": "Two thirds of calls answered within 2 hours within four weeks.",
        "decision": "adopt",
    },
}

# Weekly points of measure 1 (numerator, denominator): 10 baseline weeks near 48%, then the rota.
CALLS = [
    (24, 51),
    (25, 50),
    (22, 49),
    (26, 52),
    (23, 50),
    (25, 53),
    (24, 49),
    (23, 51),
    (25, 50),
    (24, 48),
    (33, 50),
    (35, 52),
    (36, 51),
    (38, 52),
    (37, 50),
    (39, 52),
    (38, 50),
    (40, 53),
]
# Weekly ED visits of measure 2 (visits, hundreds of patients on treatment): a rate per 100 patients.
ED_VISITS = [
    (6, 2.10),
    (5, 2.14),
    (7, 2.08),
    (6, 2.12),
    (5, 2.15),
    (6, 2.09),
    (5, 2.11),
    (6, 2.13),
    (4, 2.10),
    (5, 2.12),
]


def weekly(points: list[tuple[float, float]]) -> list[tuple[date, float, float]]:
    return [(FIRST_WEEK + timedelta(weeks=i), float(n), float(d)) for i, (n, d) in enumerate(points)]
