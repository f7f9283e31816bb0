"""A team's project with every worksheet filled in (the demo project plus the remaining tools), for exports."""

from __future__ import annotations

from datetime import timedelta

from qtp.demo.worksheets import CALLS, FIRST_WEEK, WORKSHEETS
from qtp.measurement.models import DataPoint
from qtp.worksheets import data as worksheet_data
from qtp.worksheets.models import Worksheet

MORE: dict[tuple[str, int], dict] = {
    ("roster", 1): {
        "members": [
            {
                "name": "Dra. Ana Beatriz Ribeiro",
                "discipline": "Oncologia clínica",
                "role": "leader",
                "attends-sessions": True,
                "hours-per-week": 4.0,
            },
            {
                "name": "Rafael Souza Lima",
                "discipline": "Enfermagem",
                "role": "core",
                "attends-sessions": True,
                "hours-per-week": 3.0,
            },
            {"name": "Juliana Costa", "discipline": "Agendamento", "role": "extended", "hours-per-week": 1.0},
        ],
        "stakeholders": [
            {"name": "Patients on chemotherapy", "needs": "Fast, competent advice about symptoms", "raci": "informed"},
            {"name": "Clinical director", "needs": "Fewer emergency visits", "raci": "accountable"},
        ],
    },
    ("sipoc", 1): {
        "process-name": "Symptom-management call",
        "start-trigger": "The patient calls the clinic",
        "end-point": "The patient has advice or an appointment",
        "suppliers": [{"name": "Patients and caregivers"}, {"name": "Switchboard"}],
        "inputs": [{"name": "Call with the symptom"}, {"name": "Chemotherapy regimen"}],
        "steps": [
            {"name": "Call received"},
            {"name": "Call triaged"},
            {"name": "Nurse assesses"},
            {"name": "Advice or appointment given"},
        ],
        "outputs": [{"name": "Documented advice"}],
        "customers": [{"name": "Patients"}, {"name": "Oncologists"}],
    },
    ("process-map", 1): {
        "process-name": "Symptom call, current state",
        "start": "Patient calls",
        "end": "Advice given",
        "current-state": [
            {"actor": "Patient", "action": "Calls the clinic number", "kind": "step"},
            {"actor": "Switchboard", "action": "Transfers to the shared voicemail", "kind": "hand-off"},
            {
                "actor": "Nurse",
                "action": "Listens to voicemail between infusions",
                "kind": "delay",
                "notes": "Often after 2 hours",
            },
            {
                "actor": "Nurse",
                "action": "Is it urgent?",
                "kind": "decision",
                "yes-branch": "Call back now",
                "no-branch": "Call back before 5 pm",
            },
        ],
        "future-state": [],
    },
    ("sustainability", 1): {
        "process-owner": "Rafael Souza Lima, nurse manager",
        "standard-work": ["training", "checklists"],
        "standard-work-how": "The rota is part of the unit's monthly schedule; new nurses learn the triage script.",
        "measures-kept": [{"measure": "Calls answered within 2 hours", "frequency": "Monthly"}],
        "who-informed": "Clinical director, nursing board",
        "action-trigger": "Two months below 70%",
        "spread-plan": "The radiotherapy unit in 2027.",
    },
    ("storyboard", 1): {
        "team-and-setting": "Um time de 4 pessoas no ambulatório de quimioterapia (São Paulo).",
        "why-it-mattered": "Late answers sent patients to the emergency department.",
        "process-analysis": "The map showed a shared voicemail with no named nurse.",
        "measures-and-results": "Run chart of calls answered within 2 hours, weekly.",
        "changes-tested": "Two cycles on the call-nurse rota; adopted in cycle 2.",
        "results": "From 48% to 75% of calls answered within 2 hours.",
        "lessons-learned": "Name one person for each task; show the run chart every week.",
        "sustainability-next-steps": "Monthly review by the nurse manager; spread to radiotherapy.",
    },
}

PROJECT = {**WORKSHEETS, **MORE}


def add_project(session, team) -> dict[tuple[str, int], Worksheet]:
    """Every worksheet of PROJECT for the team (as the forms would store it) and measure 1's weekly data."""
    records = {}
    for (slug, record_no), data in PROJECT.items():
        wtype = team.types[slug]
        data = worksheet_data.clean(wtype.definition, data)  # as the form would store it
        worksheet = Worksheet(team_id=team.id, type_id=wtype.id, type=wtype, record_no=record_no, data=data)
        session.add(worksheet)
        records[(slug, record_no)] = worksheet
    session.flush()
    measure = records[("measures", 1)]
    for week, (numerator, denominator) in enumerate(CALLS):
        session.add(
            DataPoint(
                measure_id=measure.id,
                period=FIRST_WEEK + timedelta(weeks=week),
                numerator=float(numerator),
                denominator=float(denominator),
            )
        )
    session.commit()
    return records
