"""What the Valencia team of the international cohort has written in its worksheets, in Spanish (see
qtp.demo.cohort_progress for where each stands in review)."""

from __future__ import annotations

from qtp.demo.cohort_worksheets import SMART

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
