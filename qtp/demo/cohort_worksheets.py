"""What two more teams of the international cohort have written in their worksheets, in English (the Valencia
team's, in Spanish, are in qtp.demo.turia_worksheets). Where each worksheet stands in review, and when it was
saved and sent, is in qtp.demo.cohort_progress."""

from __future__ import annotations

SMART = {"specific": True, "measurable": True, "achievable": True, "relevant": True, "time-bound": True}

# Lakeshore Community Oncology (Cleveland): the planning worksheets approved, then falling behind.
LAKESHORE: dict[tuple[str, int], dict] = {
    ("charter", 1): {
        "title": "Financial counselling and prior authorization before the first infusion",
        "sponsor": "Robert Hayes, practice administrator",
        "team-leader": "Dr Sarah Mitchell",
        "coach": "Dr Nadia Haddad",
        "members": [
            {"name": "Dr Sarah Mitchell", "role": "leader"},
            {"name": "Kevin Tran, financial counselor", "role": "core"},
            {"name": "Angela Brooks, prior authorization specialist", "role": "core"},
            {"name": "Maria Gonzalez, RN, infusion charge nurse", "role": "extended"},
            {"name": "Robert Hayes", "role": "sponsor"},
        ],
        "background": (
            "New patients starting intravenous treatment meet the financial counselor only if a nurse refers them. "
            "The billing office requests prior authorization after the first infusion is booked, and first "
            "infusions are postponed when the payer has not answered."
        ),
        "problem-statement": (
            "From April to June 2026, only 41 of 96 patients (43%) starting intravenous chemotherapy or "
            "immunotherapy had both a financial counselling visit and an approved prior authorization before their "
            "first infusion; 14 first infusions were postponed for authorization."
        ),
        "baseline-data": (
            "Scheduling and billing records, April to June 2026: 96 new starts, 41 cleared (43%), 14 postponed "
            "first infusions, median 6 days from the order to the authorization request."
        ),
        "patient-input": "Our patient advisory council named surprise bills as new patients' first worry after the "
        "diagnosis itself.",
        "scope-first-step": "The oncologist signs the first treatment order.",
        "scope-last-step": "The patient receives the first infusion.",
        "in-scope": "Adults starting a new intravenous regimen at the Cleveland infusion center, all payers.",
        "out-of-scope": "Oral therapies (specialty pharmacy); clinical-trial patients; regimen changes.",
        "measures": [
            {"name": "New starts cleared before the first infusion", "type": "outcome"},
            {"name": "Authorization requests sent within 2 working days of the order", "type": "process"},
            {"name": "Days from the treatment order to the first infusion", "type": "balancing"},
        ],
        "risks": "One financial counselor for two sites; payers' portals change without notice.",
        "milestones": [
            {"date": "2026-10-15", "milestone": "Current-state map walked with billing and scheduling"},
            {"date": "2027-01-11", "milestone": "First PDSA cycle: authorization requested on the day of the order"},
        ],
        "communication-plan": "Monthly huddle with billing, scheduling and infusion nurses; run chart in the staff "
        "room.",
        "sponsor-sign-off-name": "Robert Hayes",
        "sponsor-sign-off-date": "2026-09-09",
    },
    ("aim", 1): {
        "statement": (
            "Increase the share of new intravenous treatment starts with a financial counselling visit and an "
            "approved prior authorization before the first infusion from 43% to 90% by 31 March 2027, at the "
            "Cleveland infusion center."
        ),
        "direction": "increase",
        "measure": "New starts cleared before the first infusion",
        "baseline": 43.0,
        "target": 90.0,
        "unit": "%",
        "target-date": "2027-03-31",
        "population": "Adults starting a new intravenous regimen at the Cleveland infusion center.",
        **SMART,
    },
    ("roster", 1): {
        "members": [
            {"name": "Dr Sarah Mitchell", "discipline": "Medical oncology", "role": "leader",
             "attends-sessions": True, "hours-per-week": 3.0},
            {"name": "Kevin Tran", "discipline": "Financial counselling", "role": "core",
             "attends-sessions": True, "hours-per-week": 6.0},
            {"name": "Angela Brooks", "discipline": "Billing and prior authorization", "role": "core",
             "attends-sessions": False, "hours-per-week": 3.0},
            {"name": "Maria Gonzalez", "discipline": "Infusion nursing", "role": "extended",
             "attends-sessions": True, "hours-per-week": 2.0},
            {"name": "Robert Hayes", "discipline": "Practice administration", "role": "sponsor",
             "attends-sessions": False, "hours-per-week": 1.0},
        ],
        "stakeholders": [
            {"name": "Billing office", "raci": "responsible",
             "needs": "Orders that reach the work queue the day they are signed."},
            {"name": "Scheduling", "raci": "consulted",
             "needs": "A clear rule on when a first infusion can be booked."},
            {"name": "Patient advisory council", "raci": "consulted", "needs": "Cost estimates before treatment."},
            {"name": "Payer relations", "raci": "informed"},
        ],
    },
    ("process-map", 1): {
        "process-name": "From the treatment order to the first infusion",
        "start": "The oncologist signs the first treatment order",
        "end": "The patient receives the first infusion",
        "current-state": [
            {"actor": "Oncologist", "action": "Signs the treatment order in the health record", "kind": "step"},
            {"actor": "Scheduler", "action": "Books the first infusion", "kind": "step",
             "notes": "Booked before anyone checks coverage."},
            {"actor": "Billing", "action": "Picks the order up from the shared work queue", "kind": "delay",
             "notes": "Median 6 days: the queue is checked twice a week."},
            {"actor": "Billing", "action": "Requests prior authorization on the payer's portal", "kind": "step"},
            {"actor": "Payer", "action": "Authorization approved?", "kind": "decision",
             "yes-branch": "Infusion goes ahead", "no-branch": "Peer-to-peer review, infusion rescheduled"},
            {"actor": "Infusion nurse", "action": "Refers the patient to the financial counselor", "kind": "hand-off",
             "notes": "Only when the patient asks about costs."},
            {"actor": "Financial counselor", "action": "Meets the patient", "kind": "step",
             "notes": "Often on the day of the first infusion, in the chair."},
            {"actor": "Infusion nurse", "action": "Gives the first infusion", "kind": "step"},
        ],
        "future-state": [
            {"actor": "Oncologist", "action": "Signs the order; billing and the counselor are notified",
             "kind": "step"},
            {"actor": "Billing", "action": "Requests authorization within 2 working days", "kind": "step"},
            {"actor": "Financial counselor", "action": "Calls the patient before the infusion is booked",
             "kind": "step"},
            {"actor": "Scheduler", "action": "Books the infusion once authorization is approved", "kind": "step"},
        ],
    },
    ("fishbone", 1): {
        "effect": (
            "New patients reach their first infusion without financial counselling or an approved prior "
            "authorization (57% of new starts, April to June 2026)"
        ),
        "category-preset": "6m",
        "causes": [
            {"category": "methods", "cause": "Authorization is requested only after the infusion is booked"},
            {"category": "methods", "cause": "Counselling depends on a nurse's referral",
             "sub-causes": "No rule says that every new start sees the counselor"},
            {"category": "people", "cause": "One financial counselor covers two sites"},
            {"category": "machines", "cause": "The health record does not flag new treatment orders to billing",
             "sub-causes": "Orders wait in a shared work queue checked twice a week"},
            {"category": "materials", "cause": "Payers' authorization forms differ and change often"},
            {"category": "environment", "cause": "The counselor's office is in another building"},
            {"category": "measurement", "cause": "Nobody counts how many new starts are cleared"},
        ],
        "key-causes": "The order does not reach billing when it is signed, and counselling has no trigger.",
    },
    ("pareto", 1): {
        "data-source": "Billing and scheduling records: new starts not cleared before the first infusion",
        "period": "April to June 2026",
        "unit": "patients",
        "categories": [
            {"name": "Authorization requested after booking", "count": 21.0},
            {"name": "No counselling referral", "count": 17.0},
            {"name": "Payer asked for more documents", "count": 8.0},
            {"name": "Patient could not be reached", "count": 5.0},
            {"name": "Other", "count": 4.0},
        ],
    },
}

# Athens Metropolitan Cancer Centre: a late start; drafts of most planning worksheets.
ATHENS: dict[tuple[str, int], dict] = {
    ("charter", 1): {
        "title": "Written consent before the first oral chemotherapy prescription",
        "sponsor": "Dr Dimitris Alexiou, medical director",
        "team-leader": "Dr Eleni Papadopoulou",
        "coach": "Dr Nadia Haddad",
        "members": [
            {"name": "Dr Eleni Papadopoulou", "role": "leader"},
            {"name": "Nikos Georgiou, oncology pharmacist", "role": "core"},
            {"name": "Katerina Vlachou, RN, outpatient clinic", "role": "core"},
            {"name": "Dr Dimitris Alexiou", "role": "sponsor"},
        ],
        "background": (
            "Oral chemotherapy (capecitabine, temozolomide and others) is prescribed in the outpatient clinic and "
            "dispensed by the hospital pharmacy. The consent form used for intravenous treatment is not used for "
            "oral agents: patients are informed verbally during a 10-minute visit."
        ),
        "problem-statement": (
            "In an audit of 60 first prescriptions of oral chemotherapy from January to June 2026, only 19 (32%) "
            "had a signed written consent in the record before the prescription, as national guidance and our "
            "accreditation require."
        ),
        "baseline-data": "Record audit, January to June 2026: 60 first prescriptions, 19 with prior consent, 11 "
        "signed after dispensing.",
        "scope-first-step": "The oncologist decides with the patient to start oral chemotherapy.",
        "scope-last-step": "The signed consent form is scanned into the record before the prescription.",
        "in-scope": "Adults starting any oral anticancer agent in the outpatient clinic.",
        "out-of-scope": "Hormonal therapies; clinical-trial patients (consented under the trial protocol).",
        "measures": [
            {"name": "First oral chemotherapy prescriptions with prior signed consent", "type": "outcome"},
            {"name": "Consent discussions using the oral chemotherapy checklist", "type": "process"},
            {"name": "Days from the decision to the first dispensing", "type": "balancing"},
        ],
        "risks": "Overbooked clinic sessions; the new form needs the legal office's approval.",
        "milestones": [
            {"date": "2026-11-30", "milestone": "Consent form for oral agents approved by the legal office"},
        ],
        "communication-plan": "Monthly update at the department meeting.",
    },
    ("aim", 1): {
        "statement": (
            "Increase the share of first oral chemotherapy prescriptions with a signed written consent in the "
            "record beforehand from 32% to 95% by 28 February 2027, in the outpatient oncology clinic."
        ),
        "direction": "increase",
        "measure": "First oral chemotherapy prescriptions with prior signed consent",
        "baseline": 32.0,
        "target": 95.0,
        "unit": "%",
        "target-date": "2027-02-28",
        "population": "Adults starting an oral anticancer agent in the outpatient clinic, hormonal therapies excluded.",
        **SMART,
    },
    ("roster", 1): {
        "members": [
            {"name": "Dr Eleni Papadopoulou", "discipline": "Medical oncology", "role": "leader",
             "attends-sessions": True, "hours-per-week": 2.0},
            {"name": "Nikos Georgiou", "discipline": "Oncology pharmacy", "role": "core", "attends-sessions": True,
             "hours-per-week": 2.0},
            {"name": "Katerina Vlachou", "discipline": "Outpatient nursing", "role": "core"},
            {"name": "Dr Dimitris Alexiou", "discipline": "Medical direction", "role": "sponsor"},
        ],
        "stakeholders": [{"name": "Legal office", "raci": "consulted", "needs": "To approve the new consent form."}],
    },
    ("process-map", 1): {
        "process-name": "From the decision to start oral chemotherapy to the first dispensing",
        "current-state": [
            {"actor": "Oncologist", "action": "Explains the treatment during the clinic visit", "kind": "step",
             "notes": "10-minute slots; no written information."},
            {"actor": "Oncologist", "action": "Writes the prescription in the e-prescribing system", "kind": "step"},
            {"actor": "Pharmacist", "action": "Checks the prescription and dispenses the first cycle", "kind": "step",
             "notes": "Consent is not checked."},
        ],
    },
    ("fishbone", 1): {
        "effect": "First oral chemotherapy prescriptions without a signed written consent",
        "category-preset": "classic",
        "causes": [
            {"category": "methods", "cause": "There is no consent form for oral agents"},
            {"category": "people", "cause": "Oral agents are seen as lower risk than infusions"},
            {"category": "environment", "cause": "Clinic visits are booked every 10 minutes"},
            {"category": "materials", "cause": "No written patient information in Greek for most oral agents"},
        ],
    },
    ("pareto", 1): {
        "data-source": "Record audit: first prescriptions without prior signed consent",
        "period": "January to June 2026",
        "unit": "prescriptions",
        "categories": [
            {"name": "No form for the agent", "count": 22.0},
            {"name": "Consent given verbally only", "count": 12.0},
            {"name": "Form signed after dispensing", "count": 7.0},
        ],
    },
    ("measures", 1): {
        "name": "First oral chemotherapy prescriptions with prior signed consent",
        "type": "outcome",
        "numerator": "First prescriptions of an oral anticancer agent with a consent form signed on or before the day",
        "denominator": "First prescriptions of an oral anticancer agent in the outpatient clinic",
        "scale": "proportion",
        "unit": "%",
        "direction": "increase",
        "baseline": 32.0,
        "target": 95.0,
        "who-collects": "Nikos Georgiou",
    },
}
