"""10-driver-diagrams: the worked example's driver diagram, aim -> primary drivers -> secondary drivers ->
change ideas, with the two ways to read it ("how?" left to right, "why?" right to left)."""

from __future__ import annotations

from tools.figures.draw import (
    AMBER_TINT,
    ANNOTATION,
    BRAND,
    BRAND_DARK,
    LINE,
    MUTED,
    PAPER,
    TEAL_TINT,
    WIDTH,
    arrow_marker,
    box_height,
    label,
    line,
    rect,
    svg,
    wrap,
)

LINKS = {"P1": ["S1", "S2"], "P2": ["S2", "S3"], "P3": ["S4", "S5"], "P4": ["S6"]}

TEXTS = {
    "en": {
        "heads": ["Aim", "Primary drivers", "Secondary drivers", "Change ideas"],
        "aim": "Reduce ED visits from 15 to 6 per 100 patients a month by 30 June",
        "P1": "Symptoms detected early at home",
        "P2": "Rapid access to same-day assessment",
        "P3": "Patients know when and whom to call",
        "P4": "Predictable toxicities prevented",
        "S1": "Proactive contact at the riskiest moments",
        "S2": "Standard symptom triage by phone",
        "S3": "Protected same-day capacity",
        "S4": "Teach-back education at treatment start",
        "S5": "The 24-hour number always at hand",
        "S6": "Supportive prescriptions matched to guidelines",
        "C1": "Nurse call on day 3 after cycle 1",
        "C2": "Nurse-led triage script",
        "C3": "Two same-day symptom slots, morning and afternoon",
        "C4": "Teach-back with a “when to call” sheet",
        "C5": "Wallet card and fridge magnet",
        "C6": "Antiemetic order set by emetogenic risk",
        "how": "How? Read from left to right",
        "why": "Why? Read from right to left",
    },
    "es": {
        "heads": ["Objetivo", "Impulsores primarios", "Impulsores secundarios", "Ideas de cambio"],
        "aim": "Reducir las visitas a urgencias de 15 a 6 por 100 pacientes al mes antes del 30 de junio",
        "P1": "Síntomas detectados precozmente en casa",
        "P2": "Acceso rápido a una valoración el mismo día",
        "P3": "Los pacientes saben cuándo y a quién llamar",
        "P4": "Toxicidades previsibles prevenidas",
        "S1": "Contacto proactivo en los momentos de mayor riesgo",
        "S2": "Triaje telefónico estandarizado",
        "S3": "Capacidad protegida para el mismo día",
        "S4": "Educación con teach-back al inicio",
        "S5": "El número de 24 horas siempre a mano",
        "S6": "Prescripciones de soporte según las guías",
        "C1": "Llamada de enfermería el día 3 tras el ciclo 1",
        "C2": "Guion de triaje de enfermería",
        "C3": "Dos citas de síntomas el mismo día, mañana y tarde",
        "C4": "Teach-back con la hoja “cuándo llamar”",
        "C5": "Tarjeta de bolsillo e imán para el refrigerador",
        "C6": "Orden de antieméticos según el riesgo emetógeno",
        "how": "¿Cómo? Lea de izquierda a derecha",
        "why": "¿Por qué? Lea de derecha a izquierda",
    },
    "pt_BR": {
        "heads": ["Objetivo", "Direcionadores primários", "Direcionadores secundários", "Ideias de mudança"],
        "aim": "Reduzir as idas ao pronto-socorro de 15 para 6 por 100 pacientes ao mês até 30 de junho",
        "P1": "Sintomas detectados precocemente em casa",
        "P2": "Acesso rápido a uma avaliação no mesmo dia",
        "P3": "Os pacientes sabem quando e para quem ligar",
        "P4": "Toxicidades previsíveis prevenidas",
        "S1": "Contato proativo nos momentos de maior risco",
        "S2": "Triagem telefônica padronizada",
        "S3": "Capacidade reservada para o mesmo dia",
        "S4": "Educação com teach-back no início",
        "S5": "O número de 24 horas sempre à mão",
        "S6": "Prescrições de suporte conforme as diretrizes",
        "C1": "Ligação da enfermagem no dia 3 após o ciclo 1",
        "C2": "Roteiro de triagem da enfermagem",
        "C3": "Dois horários para sintomas no mesmo dia, manhã e tarde",
        "C4": "Teach-back com a folha “quando ligar”",
        "C5": "Cartão de bolso e ímã de geladeira",
        "C6": "Prescrição padronizada de antieméticos por risco emetogênico",
        "how": "Como? Leia da esquerda para a direita",
        "why": "Por quê? Leia da direita para a esquerda",
    },
}

# columns: x and width of aim, primary, secondary, change ideas
COLUMNS = [(6, 112), (146, 140), (318, 150), (494, 140)]
TOP, GAP = 64, 12


def draw(locale: str) -> str:
    t = TEXTS[locale]
    body: list[str] = []
    heads = [wrap(head, w - 4, bold=True) for head, (_x, w) in zip(t["heads"], COLUMNS, strict=True)]
    head_h = max(len(h) for h in heads) * LINE
    for head, (x, w) in zip(heads, COLUMNS, strict=True):
        body.append(label(x + w / 2, 14 + head_h / 2, head, fill=BRAND_DARK, bold=True))
    top = 14 + head_h + 16

    # rows of the secondary drivers and their change ideas
    secondary = [f"S{i}" for i in range(1, 7)]
    texts = {key: wrap(t[key], COLUMNS[2][1] - 16) for key in secondary}
    ideas = {f"C{i}": wrap(t[f"C{i}"], COLUMNS[3][1] - 16) for i in range(1, 7)}
    rows = []
    y = top
    for i, key in enumerate(secondary, start=1):
        h = max(box_height(texts[key]), box_height(ideas[f"C{i}"]))
        rows.append((y, h))
        y += h + GAP
    bottom = y - GAP
    mid = {key: rows[i][0] + rows[i][1] / 2 for i, key in enumerate(secondary)}

    # primary drivers, centred on the secondaries they lead to
    primary = {key: wrap(t[key], COLUMNS[1][1] - 16) for key in LINKS}
    placed = {}
    last_bottom = top - GAP
    for key, links in LINKS.items():
        h = box_height(primary[key])
        centre = sum(mid[s] for s in links) / len(links)
        y0 = max(centre - h / 2, last_bottom + GAP)
        placed[key] = (y0, h)
        last_bottom = y0 + h

    # aim: the full height of the drivers
    aim_lines = wrap(t["aim"], COLUMNS[0][1] - 12, bold=True)
    aim_h = max(box_height(aim_lines), 200)
    aim_y = (top + bottom) / 2 - aim_h / 2
    ax, aw = COLUMNS[0]
    px, pw = COLUMNS[1]
    sx, sw = COLUMNS[2]
    cx, cw = COLUMNS[3]

    # connectors first, under the boxes
    for key, (y0, h) in placed.items():
        pm = y0 + h / 2
        body.append(line(ax + aw, (top + bottom) / 2, px - 2, pm, stroke=MUTED, width=1.5, arrow=None))
        for s in LINKS[key]:
            body.append(line(px + pw, pm, sx - 2, mid[s], stroke=MUTED, width=1.5, arrow=None))
    for key in secondary:
        body.append(line(sx + sw, mid[key], cx - 2, mid[key], stroke=MUTED, width=1.5, arrow=None))

    body.append(rect(ax, aim_y, aw, aim_h, fill=BRAND, stroke=BRAND_DARK))
    body.append(label(ax + aw / 2, aim_y + aim_h / 2, aim_lines, fill=PAPER, bold=True))
    for key, (y0, h) in placed.items():
        body.append(rect(px, y0, pw, h, fill=TEAL_TINT))
        body.append(label(px + pw / 2, y0 + h / 2, primary[key]))
    for i, key in enumerate(secondary):
        y0, h = rows[i]
        body.append(rect(sx, y0, sw, h))
        body.append(label(sx + sw / 2, y0 + h / 2, texts[key]))
        idea = f"C{i + 1}"
        body.append(rect(cx, y0, cw, h, fill=AMBER_TINT, stroke=ANNOTATION))
        body.append(label(cx + cw / 2, y0 + h / 2, ideas[idea]))

    # how to read it
    y = bottom + 36
    body.append(line(ax + 4, y, WIDTH - 10, y, stroke=BRAND_DARK, width=2, arrow="how"))
    body.append(label(ax + 4, y - 14, [t["how"]], anchor="start", fill=BRAND_DARK, bold=True))
    y += 44
    body.append(line(WIDTH - 10, y, ax + 6, y, stroke=ANNOTATION, width=2, arrow="why"))
    body.append(label(WIDTH - 10, y - 14, [t["why"]], anchor="end", fill=ANNOTATION, bold=True))
    defs = arrow_marker("how", BRAND_DARK) + arrow_marker("why", ANNOTATION)
    return svg(y + 16, body, defs)
