"""What the other three teams of the international cohort have written in their worksheets, each in its own
language (Valencia in Spanish; Cleveland and Athens in English). Where each worksheet stands in review, and
when it was saved and sent, is in qtp.demo.cohort_progress."""

from __future__ import annotations

SMART = {"specific": True, "measurable": True, "achievable": True, "relevant": True, "time-bound": True}

# Hospital General Universitario del Turia (Valencia): a strong team, on schedule.
TURIA: dict[tuple[str, int], dict] = {
    ("charter", 1): {
        "title": "Antibiótico en menos de 60 minutos en la neutropenia febril",
        "sponsor": "Dra. Pilar Navarro Gil, jefa del Servicio de Oncología Médica",
        "team-leader": "Dr. Javier Morales Puig",
        "coach": "Dr. Daniel Whitfield",
        "members": [
            {"name": "Dr. Javier Morales Puig", "role": "leader"},
            {"name": "Elena Sanz Ferrer, enfermera del hospital de día", "role": "core"},
            {"name": "Marta Ibáñez Soler, farmacéutica", "role": "core"},
            {"name": "Dr. Andrés Llorens Vidal, Urgencias", "role": "extended"},
            {"name": "Dra. Pilar Navarro Gil", "role": "sponsor"},
        ],
        "background": (
            "Los pacientes en quimioterapia con fiebre acuden al hospital de día (de 8 a 20 h) o a Urgencias. La "
            "guía del centro recomienda el antibiótico empírico en los 60 minutos siguientes a la llegada, pero hoy "
            "se espera el hemograma antes de prescribirlo y el antibiótico se pide a Farmacia en cada caso."
        ),
        "problem-statement": (
            "Entre marzo y junio de 2026, solo 21 de 58 pacientes (36%) con sospecha de neutropenia febril "
            "atendidos en el hospital de día recibieron la primera dosis de antibiótico en los 60 minutos "
            "siguientes a su llegada; la mediana fue de 104 minutos."
        ),
        "baseline-data": "Revisión de 58 historias clínicas (marzo a junio de 2026): mediana de 104 minutos.",
        "patient-input": (
            "Dos pacientes de la asociación local contaron esperas de más de dos horas con fiebre en la sala común; "
            "piden saber a quién llamar antes de venir."
        ),
        "scope-first-step": "El paciente en tratamiento llega con fiebre al hospital de día.",
        "scope-last-step": "La enfermera administra la primera dosis de antibiótico empírico.",
        "in-scope": "Adultos en quimioterapia activa con fiebre de 38 °C o más, de lunes a viernes de 8 a 20 h.",
        "out-of-scope": "Pacientes atendidos directamente en Urgencias o fuera del horario del hospital de día.",
        "measures": [
            {"name": "Pacientes con neutropenia febril con antibiótico en 60 minutos o menos", "type": "outcome"},
            {"name": "Pacientes con fiebre clasificados con el protocolo en 10 minutos", "type": "process"},
            {"name": "Antibiótico empírico sin neutropenia confirmada", "type": "balancing"},
        ],
        "risks": "Rotación de enfermería en verano; la dispensación urgente de Farmacia cierra a las 15 h.",
        "milestones": [
            {"date": "2026-10-20", "milestone": "Mapa del proceso validado con Urgencias y Farmacia"},
            {"date": "2026-12-14", "milestone": "Primer ciclo PDSA del kit de antibiótico en el hospital de día"},
            {"date": "2027-03-31", "milestone": "Resultados presentados en la sesión clínica del servicio"},
        ],
        "communication-plan": (
            "Gráfico de tendencia semanal en el control de enfermería; informe mensual a la jefa de servicio y a la "
            "Comisión de Infecciones."
        ),
        "sponsor-sign-off-name": "Dra. Pilar Navarro Gil",
        "sponsor-sign-off-date": "2026-09-08",
    },
    ("aim", 1): {
        "statement": (
            "Aumentar del 36% al 85% el porcentaje de pacientes con sospecha de neutropenia febril que reciben la "
            "primera dosis de antibiótico en los 60 minutos siguientes a su llegada al hospital de día oncológico, "
            "antes del 31 de marzo de 2027."
        ),
        "direction": "increase",
        "measure": "Pacientes con neutropenia febril con antibiótico en 60 minutos o menos",
        "baseline": 36.0,
        "target": 85.0,
        "unit": "%",
        "target-date": "2027-03-31",
        "population": "Adultos en quimioterapia activa que acuden con fiebre al hospital de día oncológico.",
        **SMART,
    },
    ("roster", 1): {
        "members": [
            {"name": "Dr. Javier Morales Puig", "discipline": "Oncología médica", "role": "leader",
             "attends-sessions": True, "hours-per-week": 4.0},
            {"name": "Elena Sanz Ferrer", "discipline": "Enfermería del hospital de día", "role": "core",
             "attends-sessions": True, "hours-per-week": 4.0},
            {"name": "Marta Ibáñez Soler", "discipline": "Farmacia hospitalaria", "role": "core",
             "attends-sessions": False, "hours-per-week": 2.0},
            {"name": "Dr. Andrés Llorens Vidal", "discipline": "Urgencias", "role": "extended",
             "attends-sessions": False, "hours-per-week": 1.0},
            {"name": "Dra. Pilar Navarro Gil", "discipline": "Jefatura de Oncología Médica", "role": "sponsor",
             "attends-sessions": False, "hours-per-week": 1.0},
        ],
        "stakeholders": [
            {"name": "Supervisión de enfermería del hospital de día", "raci": "accountable",
             "needs": "Que el nuevo circuito no retrase las infusiones programadas."},
            {"name": "Servicio de Urgencias", "raci": "consulted",
             "needs": "Saber qué pacientes se derivan desde el hospital de día y con qué información."},
            {"name": "Comisión de Infecciones", "raci": "consulted",
             "needs": "Un uso adecuado de los antibióticos de amplio espectro."},
            {"name": "Pacientes y familiares", "raci": "informed",
             "needs": "Instrucciones claras sobre cuándo llamar y adónde acudir con fiebre."},
        ],
    },
    ("process-map", 1): {
        "process-name": "De la llegada con fiebre a la primera dosis de antibiótico",
        "start": "El paciente con fiebre llega al mostrador del hospital de día",
        "end": "La enfermera administra la primera dosis de antibiótico",
        "current-state": [
            {"actor": "Administrativo", "action": "Registra la llegada y asigna un sillón", "kind": "step",
             "notes": "Sin prioridad: el paciente con fiebre espera con los demás (mediana de 18 minutos)."},
            {"actor": "Enfermera", "action": "Toma las constantes y confirma la fiebre", "kind": "step"},
            {"actor": "Enfermera", "action": "¿Hay un oncólogo libre?", "kind": "decision",
             "yes-branch": "Valoración médica", "no-branch": "Espera al oncólogo"},
            {"actor": "Paciente", "action": "Espera la valoración médica", "kind": "delay",
             "notes": "Los oncólogos están en consulta: 25 minutos de media."},
            {"actor": "Oncólogo", "action": "Valora al paciente y pide hemograma y hemocultivos", "kind": "step"},
            {"actor": "Laboratorio", "action": "Procesa el hemograma", "kind": "delay",
             "notes": "De 40 a 60 minutos; el antibiótico no se prescribe hasta tener el resultado."},
            {"actor": "Oncólogo", "action": "Prescribe el antibiótico empírico", "kind": "step"},
            {"actor": "Farmacia", "action": "Prepara y envía el antibiótico", "kind": "hand-off",
             "notes": "Por tubo neumático; por la tarde, desde la farmacia central."},
            {"actor": "Enfermera", "action": "Administra la primera dosis", "kind": "step"},
        ],
        "future-state": [
            {"actor": "Administrativo", "action": "Pregunta por la fiebre en el mostrador y avisa a enfermería",
             "kind": "step"},
            {"actor": "Enfermera", "action": "Clasifica al paciente con el protocolo en 10 minutos", "kind": "step"},
            {"actor": "Enfermera", "action": "Extrae hemocultivos y analítica", "kind": "step"},
            {"actor": "Enfermera", "action": "Administra el antibiótico del kit según la orden preautorizada",
             "kind": "step", "notes": "Sin esperar el hemograma."},
            {"actor": "Oncólogo", "action": "Valora al paciente y ajusta el tratamiento con los resultados",
             "kind": "step"},
        ],
    },
    ("fishbone", 1): {
        "effect": (
            "El antibiótico se administra más de 60 minutos después de la llegada del paciente con fiebre "
            "(mediana de 104 minutos, marzo a junio de 2026)"
        ),
        "category-preset": "classic",
        "causes": [
            {"category": "people", "cause": "Los oncólogos están en consulta y tardan en valorar al paciente",
             "sub-causes": "No hay un oncólogo asignado al hospital de día\nLa enfermera no puede empezar sin orden"},
            {"category": "methods", "cause": "Se espera el hemograma antes de prescribir el antibiótico",
             "sub-causes": "La guía interna pide confirmar neutrófilos por debajo de 500"},
            {"category": "methods", "cause": "No hay triaje de la fiebre en el mostrador"},
            {"category": "materials", "cause": "El antibiótico no está disponible en el hospital de día",
             "sub-causes": "Se pide a Farmacia en cada caso\nPor la tarde llega de la farmacia central"},
            {"category": "equipment", "cause": "El laboratorio tarda de 40 a 60 minutos en dar el hemograma"},
            {"category": "environment", "cause": "Los pacientes con fiebre esperan en la sala común"},
            {"category": "materials", "cause": "Los pacientes no tienen instrucciones escritas para la fiebre"},
        ],
        "key-causes": (
            "Esperar el hemograma para prescribir y no tener el antibiótico en el hospital de día: según el Pareto, "
            "explican dos tercios de los retrasos."
        ),
    },
    ("pareto", 1): {
        "data-source": "Historias clínicas: pacientes con el antibiótico después de 60 minutos",
        "period": "Marzo a junio de 2026",
        "unit": "pacientes",
        "categories": [
            {"name": "Espera del hemograma antes de prescribir", "count": 15.0},
            {"name": "Antibiótico pedido a Farmacia", "count": 9.0},
            {"name": "Oncólogo no disponible", "count": 7.0},
            {"name": "Fiebre no detectada en el mostrador", "count": 4.0},
            {"name": "Otros", "count": 2.0},
        ],
        "interpretation": (
            "Dos causas, esperar el hemograma y pedir el antibiótico a Farmacia, explican el 65% de los retrasos."
        ),
    },
    ("measures", 1): {
        "name": "Pacientes con neutropenia febril con antibiótico en 60 minutos o menos",
        "type": "outcome",
        "rationale": "Es la medida del objetivo: cada hora de retraso aumenta la mortalidad.",
        "numerator": "Pacientes con la primera dosis de antibiótico en 60 minutos o menos desde el registro",
        "denominator": "Pacientes en quimioterapia activa que llegan con fiebre de 38 °C o más al hospital de día",
        "exclusions": "Pacientes que ya recibieron antibiótico en otro centro; pacientes que rechazan el tratamiento.",
        "time-window": "Semana (de lunes a viernes)",
        "scale": "proportion",
        "unit": "%",
        "direction": "increase",
        "baseline": 36.0,
        "target": 85.0,
        "who-collects": "Elena Sanz Ferrer",
        "source": "Registro de enfermería: hora de registro en el mostrador y hora de administración",
        "frequency": "Semanal, cada lunes",
        "sampling": "all-cases",
        "stratifiers": "Turno (mañana o tarde); día de la semana.",
        "who-receives-results": "Equipo del proyecto los lunes; jefa de servicio cada mes",
    },
    ("measures", 2): {
        "name": "Pacientes con fiebre clasificados con el protocolo en 10 minutos",
        "type": "process",
        "numerator": "Pacientes con fiebre clasificados con el protocolo en 10 minutos o menos desde el registro",
        "denominator": "Pacientes que llegan con fiebre al hospital de día",
        "scale": "proportion",
        "unit": "%",
        "direction": "increase",
        "who-collects": "Elena Sanz Ferrer",
        "source": "Hoja de triaje del hospital de día",
        "frequency": "Semanal",
        "sampling": "all-cases",
    },
    ("measures", 3): {
        "name": "Antibiótico empírico sin neutropenia confirmada",
        "type": "balancing",
        "numerator": "Pacientes con antibiótico empírico cuyo hemograma no mostró neutropenia",
        "denominator": "Pacientes con antibiótico empírico en el hospital de día",
        "scale": "proportion",
        "unit": "%",
        "direction": "decrease",
        "who-collects": "Marta Ibáñez Soler",
        "source": "Registro de dispensación de Farmacia y resultados del laboratorio",
    },
    ("driver-diagram", 1): {
        "primary-drivers": [
            {"code": "P1", "description": "El paciente con fiebre se identifica en cuanto llega"},
            {"code": "P2", "description": "El antibiótico se prescribe sin esperar la analítica"},
            {"code": "P3", "description": "El antibiótico está disponible en el hospital de día"},
        ],
        "secondary-drivers": [
            {"code": "S1", "description": "Triaje de la fiebre en el mostrador", "primary-codes": ["P1"]},
            {"code": "S2", "description": "Pacientes que avisan antes de venir", "primary-codes": ["P1"]},
            {"code": "S3", "description": "Orden médica preautorizada en el protocolo", "primary-codes": ["P2"]},
            {"code": "S4", "description": "Antibiótico almacenado en el hospital de día", "primary-codes": ["P3"]},
        ],
        "change-ideas": [
            {"code": "C1", "description": "Pregunta por la fiebre en el mostrador y aviso inmediato a enfermería",
             "secondary-codes": ["S1"]},
            {"code": "C2", "description": "Tarjeta de fiebre con el teléfono directo del hospital de día",
             "secondary-codes": ["S2"]},
            {"code": "C3", "description": "Protocolo de enfermería con orden preautorizada de piperacilina-tazobactam",
             "secondary-codes": ["S3"]},
            {"code": "C4", "description": "Kit con dos dosis en la nevera del hospital de día, repuesto por Farmacia",
             "secondary-codes": ["S4"]},
        ],
    },
    ("pdsa", 1): {
        "cycle-number": 1.0,
        "change-idea": "C4",
        "measures": ["1"],
        "purpose": "test",
        "start-date": "2026-12-14",
        "end-date": "2026-12-18",
        "objective": "Probar durante una semana, en el turno de mañana, el kit de antibiótico en la nevera.",
        "predictions": "Al menos 4 de cada 5 pacientes con fiebre recibirán el antibiótico en 60 minutos o menos.",
        "tasks": [
            {"who": "Marta Ibáñez Soler", "what": "Preparar el kit y la hoja de reposición", "when": "2026-12-11"},
            {"who": "Elena Sanz Ferrer", "what": "Explicar el kit al turno de mañana", "when": "2026-12-14"},
        ],
        "data-plan": "Hora de registro y de administración de cada paciente con fiebre, en el registro de enfermería.",
    },
}

# Lakeshore Community Oncology (Cleveland): the planning worksheets approved, then falling behind.
LAKESHORE: dict[tuple[str, int], dict] = {
    ("charter", 1): {
        "title": "Financial counselling and prior authorization before the first infusion",
        "sponsor": "Robert Hayes, practice administrator",
        "team-leader": "Dr Sarah Mitchell",
        "coach": "Dr Daniel Whitfield",
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
        "coach": "Dr Daniel Whitfield",
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
