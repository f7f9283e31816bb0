"""The demo data set: practices in Brazil, Mexico, Spain, Greece and the US; two cohorts; six teams.

Fictional people and organizations; project themes from real QTP results (shared/domain.md section 6).
"""

from __future__ import annotations

from datetime import date

DEMO_PASSWORD = "qtp-demo-2026"  # noqa: S105 (development-only demo accounts)

DEMO_ACCOUNTS = [
    ("admin@example.org", "administrator"),
    ("faculty@example.org", "faculty member and coach of the demo teams"),
    ("coach@example.org", "coach of the six-month international cohort only"),
    ("workshop.faculty@example.org", "faculty member of the one-day workshop in Guadalajara only (prefers Spanish)"),
    ("leader@example.org", "team leader (São Paulo team, six-month cohort)"),
    ("member@example.org", "member of the same team"),
    ("other@example.org", "member of another team, in the one-day cohort (Spanish)"),
    ("licensee@example.org", "licensee with seats on two active licences (six-month content; symposium highlights)"),
    ("expired@example.org", "licensee whose licence has expired (one-day content, Spanish)"),
]

PROGRAMS = [
    (
        "six-month",
        "six_month",
        {
            "en": "QTP Six-Month Program",
            "es": "Programa QTP de seis meses",
            "pt_BR": "Programa QTP de seis meses",
        },
    ),
    (
        "one-day",
        "one_day",
        {
            "en": "QTP One-Day Workshop",
            "es": "Taller QTP de un día",
            "pt_BR": "Oficina QTP de um dia",
        },
    ),
]

# slug, program, name, locale, starts, ends, status
COHORTS = [
    (
        "international-2026",
        "six-month",
        "QTP International Cohort 2026–2027",
        "en",
        date(2026, 7, 6),
        date(2027, 3, 19),
        "active",
    ),
    (
        "sao-paulo-2026",
        "one-day",
        "Oficina QTP São Paulo, maio de 2026",
        "pt_BR",
        date(2026, 5, 16),
        date(2026, 5, 16),
        "finished",
    ),
    (
        "guadalajara-2026",
        "one-day",
        "Taller QTP Guadalajara, octubre de 2026",
        "es",
        date(2026, 10, 17),
        date(2026, 10, 17),
        "finished",
    ),
    # planned, without teams yet: the landing and program pages show them as the next cohorts
    (
        "bogota-2027",
        "one-day",
        "Taller QTP Bogotá, marzo de 2027",
        "es",
        date(2027, 3, 13),
        date(2027, 3, 13),
        "planned",
    ),
    (
        "international-2027",
        "six-month",
        "QTP International Cohort 2027–2028",
        "en",
        date(2027, 9, 6),
        date(2028, 5, 19),
        "planned",
    ),
]

# cohort, organization, project title, coach, members [(email, role)]
TEAMS = [
    (
        "international-2026",
        "Instituto Paulista de Oncologia Clínica",
        "Answering symptom-management calls within 2 hours for patients on chemotherapy",
        "faculty@example.org",
        [
            ("leader@example.org", "leader"),
            ("member@example.org", "core"),
            ("juliana.costa@example.org", "extended"),
            ("paulo.martins@example.org", "sponsor"),
        ],
    ),
    (
        "international-2026",
        "Hospital General Universitario del Turia",
        "Antibiotics within 60 minutes for febrile neutropenia in the oncology day hospital",
        "faculty@example.org",
        [
            ("javier.morales@example.org", "leader"),
            ("elena.sanz@example.org", "core"),
            ("pilar.navarro@example.org", "sponsor"),
        ],
    ),
    (
        "international-2026",
        "Athens Metropolitan Cancer Centre",
        "Written informed consent before every first prescription of oral chemotherapy",
        "coach@example.org",
        [
            ("eleni.papadopoulou@example.org", "leader"),
            ("nikos.georgiou@example.org", "core"),
            ("dimitris.alexiou@example.org", "sponsor"),
        ],
    ),
    (
        "international-2026",
        "Lakeshore Community Oncology",
        "Financial counselling and prior authorization before the first infusion",
        "coach@example.org",
        [
            ("sarah.mitchell@example.org", "leader"),
            ("kevin.tran@example.org", "core"),
            ("maria.gonzalez@example.org", "extended"),
            ("robert.hayes@example.org", "sponsor"),
        ],
    ),
    (
        "sao-paulo-2026",
        "Instituto Paulista de Oncologia Clínica",
        "Do encaminhamento à primeira consulta em até 14 dias",
        "faculty@example.org",
        [("leader@example.org", "leader"), ("member@example.org", "core")],
    ),
    (
        "guadalajara-2026",
        "Centro Oncológico de Occidente",
        "Menos visitas a urgencias de pacientes en tratamiento activo",
        "faculty@example.org",
        [
            ("alejandro.ruiz@example.org", "leader"),
            ("other@example.org", "core"),
            ("sofia.ramirez@example.org", "extended"),
        ],
    ),
    (
        "guadalajara-2026",
        "Clínica de Oncología Integral del Bajío",
        "Registro del tabaquismo y derivación a cesación en la primera consulta",
        "faculty@example.org",
        [("gabriela.torres@example.org", "leader"), ("luis.aguilar@example.org", "core")],
    ),
]

# cohort, email, role
STAFF = [
    ("sao-paulo-2026", "faculty@example.org", "faculty"),
    ("sao-paulo-2026", "faculty@example.org", "coach"),
    ("international-2026", "faculty@example.org", "faculty"),
    ("international-2026", "faculty@example.org", "coach"),
    ("guadalajara-2026", "faculty@example.org", "faculty"),
    ("guadalajara-2026", "faculty@example.org", "coach"),
    ("international-2026", "coach@example.org", "coach"),
    ("guadalajara-2026", "workshop.faculty@example.org", "faculty"),
    ("bogota-2027", "faculty@example.org", "faculty"),
    ("international-2027", "faculty@example.org", "faculty"),
]

# Progress in the six-month cohort (modules completed with one knowledge-check attempt each; one answer
# wrong where a score is below 100) and the starting self-assessment: email -> (modules, pre ratings)
PROGRESS = {
    "leader@example.org": (
        [
            "01-why-quality",
            "02-model-for-improvement",
            "03-charter",
            "04-smart-aims",
            "05-teams-roles-sponsors",
            "06-process-mapping-sipoc",
            "07-cause-effect-pareto",
            "08-measurement",
        ],
        (4, 5),
    ),
    "member@example.org": (
        ["01-why-quality", "02-model-for-improvement", "03-charter", "05-teams-roles-sponsors"],
        (3, 3),
    ),
    "javier.morales@example.org": (["01-why-quality", "02-model-for-improvement", "03-charter"], (5, 4)),
}
MISSED_ONE = {"03-charter", "07-cause-effect-pareto"}

# Attendance recorded by the faculty: cohort, learning session, participant, status (the others: not recorded)
ATTENDANCE = [
    ("international-2026", "ls1", "leader@example.org", "present"),
    ("international-2026", "ls1", "member@example.org", "present"),
    ("international-2026", "ls1", "juliana.costa@example.org", "absent"),
    ("international-2026", "ls1", "javier.morales@example.org", "present"),
    ("international-2026", "ls1", "elena.sanz@example.org", "present"),
    ("guadalajara-2026", "workshop", "other@example.org", "present"),
    ("sao-paulo-2026", "workshop", "leader@example.org", "present"),
    ("sao-paulo-2026", "workshop", "member@example.org", "present"),
]

# Participants who finished a cohort (every module, every check passed) and hold its certificate, issued the
# day after the workshop: cohort -> emails
COMPLETED = {"sao-paulo-2026": ["leader@example.org", "member@example.org"]}
# Teams of finished cohorts shown on the public graduates page: (cohort, practice) -> the result line
GRADUATES = {
    ("sao-paulo-2026", "Instituto Paulista de Oncologia Clínica"): (
        "Mediana do encaminhamento à primeira consulta caiu de 31 para 12 dias em quatro meses"
    ),
}

# Answers to the International Interest Survey, so the admin's list and chart have something to show:
# (days ago, country, organization, role, program, team size, language, e-mail, message, answered in)
INTEREST = [
    (41, "MX", "Hospital Civil de Guadalajara", "physician", "six_month", 6, "es", "r.ibarra@example.org",
     "Queremos reducir el tiempo hasta el primer tratamiento.", "es"),
    (37, "BR", "Hospital de Câncer de Pernambuco", "nurse", "six_month", 5, "pt_BR", "enf.lima@example.org",
     "Nossa equipe de enfermagem quer melhorar a avaliação de sintomas.", "pt_BR"),
    (30, "RO", "Institutul Oncologic Cluj", "physician", "one_day", 12, "en", "a.pop@example.org", "", "en"),
    (26, "SA", "King Faisal Oncology Centre", "quality", "licensing", None, "en", "quality.kfoc@example.org",
     "We would like to run the program in Arabic for our network.", "en"),
    (21, "GR", "Thessaloniki Oncology Clinic", "physician", "six_month", 4, "en", "n.pap@example.org", "", "en"),
    (17, "CO", "Clínica del Country", "administrator", "one_day", 20, "es", "calidad@example.org", "", "es"),
    (12, "BR", "Oncoclínica do Paraná", "pharmacist", "six_month", 5, "pt_BR", "farm.souza@example.org",
     "Interesse em um projeto sobre prescrição de antieméticos.", "pt_BR"),
    (8, "ES", "Hospital Universitario de Navarra", "educator", "licensing", None, "es", "formacion@example.org",
     "Somos una sociedad científica y queremos ofrecer el taller de un día.", "es"),
    (3, "MX", "Instituto Estatal de Cancerología de Colima", "nurse", "six_month", 7, "es", "m.cruz@example.org",
     "", "es"),
]
