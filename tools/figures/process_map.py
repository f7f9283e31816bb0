"""06-process-mapping-sipoc: a swimlane current-state map of oral chemotherapy, prescription to first dose,
with a decision, two delays, hand-offs between lanes and the patient's wait beside it all."""

from __future__ import annotations

from tools.figures.draw import (
    AMBER_TINT,
    ANNOTATION,
    BRAND,
    BRAND_DARK,
    INK,
    LINE,
    LINE_COLOUR,
    MUTED,
    PAPER,
    TEAL_TINT,
    TEXT,
    WASH,
    WIDTH,
    arrow_marker,
    box_height,
    label,
    line,
    path,
    rect,
    svg,
    text_width,
    wrap,
)

TEXTS = {
    "en": {
        "lanes": ["Oncologist", "Clinic nurse and clerk", "Pharmacy", "Patient"],
        "start": "Start: prescribes (day\u00a00)",
        "fax": "Nurse faxes the prescription",
        "decision": ["Prior", "authorisation", "needed?"],
        "yes": "Yes",
        "no": "No",
        "inbox": "Waits in the shared inbox: 2\u00a0days",
        "form": "Clerk completes the form",
        "insurer": "Insurer reviews: 2 to 5\u00a0days",
        "dose": "Pharmacist checks the dose",
        "deliver": "Courier delivers the drug",
        "end": "End: first dose at home",
        "wait": "Waiting at home: median 9\u00a0days",
        "legend": ["Start or end", "Step", "Decision", "Delay", "Hand-off: the arrow crosses a lane"],
    },
    "es": {
        "lanes": ["Oncólogo", "Enfermera y administrativo", "Farmacia", "Paciente"],
        "start": "Inicio: prescribe (día\u00a00)",
        "fax": "La enfermera envía la receta por fax",
        "decision": ["¿Requiere", "autorización", "previa?"],
        "yes": "Sí",
        "no": "No",
        "inbox": "Espera en el buzón compartido: 2\u00a0días",
        "form": "El administrativo completa el formulario",
        "insurer": "La aseguradora revisa: de 2 a 5\u00a0días",
        "dose": "El farmacéutico comprueba la dosis",
        "deliver": "El mensajero entrega el medicamento",
        "end": "Final: primera dosis en casa",
        "wait": "Espera en casa: mediana de 9\u00a0días",
        "legend": ["Inicio o final", "Paso", "Decisión", "Demora", "Traspaso: la flecha cruza un carril"],
    },
    "pt_BR": {
        "lanes": ["Oncologista", "Enfermeira e administrativo", "Farmácia", "Paciente"],
        "start": "Início: prescreve (dia\u00a00)",
        "fax": "A enfermeira envia a receita por fax",
        "decision": ["Precisa de", "autorização", "prévia?"],
        "yes": "Sim",
        "no": "Não",
        "inbox": "Espera na caixa compartilhada: 2\u00a0dias",
        "form": "O administrativo preenche o formulário",
        "insurer": "A operadora analisa: de 2 a 5\u00a0dias",
        "dose": "O farmacêutico confere a dose",
        "deliver": "O entregador leva o medicamento",
        "end": "Fim: primeira dose em casa",
        "wait": "Espera em casa: mediana de 9\u00a0dias",
        "legend": ["Início ou fim", "Etapa", "Decisão", "Espera", "Passagem: a seta cruza uma raia"],
    },
}

MARGIN, LANE_W, HEADER = 8, 156, 58
BOX_W = 136
DIAMOND_W, DIAMOND_H = 152, 136
GAP = 26  # vertical space between rows


def _centre(lane: int) -> float:
    return MARGIN + LANE_W * lane + LANE_W / 2


def _delay(cx: float, y: float, h: float) -> str:
    """The delay symbol: a D, flat on the left, round on the right."""
    x0, x1 = cx - BOX_W / 2, cx + BOX_W / 2
    r = h / 2
    d = f"M{x0:g},{y:g} H{x1 - r:g} A{r:g},{r:g} 0 0 1 {x1 - r:g},{y + h:g} H{x0:g} Z"
    return f'<path d="{d}" fill="{AMBER_TINT}" stroke="{ANNOTATION}" stroke-width="1.5"/>'


def _diamond_fits(lines: list[str]) -> None:
    half_w, half_h = DIAMOND_W / 2, DIAMOND_H / 2
    for i, text in enumerate(lines):
        centre = (i - (len(lines) - 1) / 2) * LINE
        edge = abs(centre) + TEXT * 0.55  # the line's far edge from the centre, ascenders included
        room = 2 * half_w * (1 - edge / half_h) - 8
        if text_width(text) > room:
            raise ValueError(f"{text!r} does not fit the decision diamond ({room:.0f} units)")


def draw(locale: str) -> str:
    t = TEXTS[locale]
    body: list[str] = []
    inner = BOX_W - 16
    rows = [
        ("start", 0, "pill"),
        ("fax", 1, "box"),
        ("decision", 2, "diamond"),
        ("form", 1, "box"),
        ("insurer", 1, "delay"),
        ("dose", 2, "box"),
        ("deliver", 2, "box"),
    ]
    lines = {key: (t[key] if kind == "diamond" else wrap(t[key], inner)) for key, _lane, kind in rows}
    lines["inbox"] = wrap(t["inbox"], inner)
    lines["end"] = wrap(t["end"], inner)
    _diamond_fits(lines["decision"])

    # rows: start and fax side by side, then the decision level with the inbox delay, then one step a row
    y = HEADER + 22
    place: dict[str, tuple[float, float]] = {}  # key -> (top, height)
    h = max(box_height(lines["start"]), box_height(lines["fax"]))
    place["start"] = place["fax"] = (y, h)
    y += h + GAP
    place["decision"] = (y, DIAMOND_H)
    place["inbox"] = (y + DIAMOND_H / 2 + 34, box_height(lines["inbox"]))
    y = max(y + DIAMOND_H, place["inbox"][0] + place["inbox"][1]) + GAP
    for key in ("form", "insurer", "dose"):
        place[key] = (y, box_height(lines[key]))
        y += place[key][1] + GAP
    h = max(box_height(lines["deliver"]), box_height(lines["end"]))
    place["deliver"] = place["end"] = (y, h)
    lanes_bottom = y + h + 22
    height = lanes_bottom + 118

    # lanes
    for lane, name in enumerate(t["lanes"]):
        x = MARGIN + lane * LANE_W
        body.append(
            rect(
                x,
                MARGIN,
                LANE_W,
                lanes_bottom - MARGIN,
                fill=WASH if lane % 2 else PAPER,
                stroke=LINE_COLOUR,
                rx=0,
                width=1,
            )
        )
        body.append(rect(x, MARGIN, LANE_W, HEADER - MARGIN, fill=TEAL_TINT, stroke=LINE_COLOUR, rx=0, width=1))
        body.append(
            label(_centre(lane), (MARGIN + HEADER) / 2, wrap(name, LANE_W - 12, bold=True), bold=True, fill=BRAND_DARK)
        )

    def top(key):
        return place[key][0]

    def bottom(key):
        return place[key][0] + place[key][1]

    def mid(key):
        return place[key][0] + place[key][1] / 2

    c0, c1, c2, c3 = (_centre(i) for i in range(4))
    half = BOX_W / 2
    # shapes
    body.append(rect(c0 - half, top("start"), BOX_W, place["start"][1], fill=TEAL_TINT, rx=place["start"][1] / 2))
    body.append(label(c0, mid("start"), lines["start"]))
    for key, cx in (("fax", c1), ("form", c1), ("dose", c2), ("deliver", c2)):
        body.append(rect(cx - half, top(key), BOX_W, place[key][1]))
        body.append(label(cx, mid(key), lines[key]))
    for key in ("inbox", "insurer"):
        body.append(_delay(c1, top(key), place[key][1]))
        body.append(label(c1 - 8, mid(key), lines[key]))
    dt, dm = top("decision"), mid("decision")
    body.append(
        f'<polygon points="{c2:g},{dt:g} {c2 + DIAMOND_W / 2:g},{dm:g} {c2:g},{dt + DIAMOND_H:g} '
        f'{c2 - DIAMOND_W / 2:g},{dm:g}" fill="{PAPER}" stroke="{BRAND}" stroke-width="1.5"/>'
    )
    body.append(label(c2, dm, lines["decision"]))
    body.append(rect(c3 - half, top("end"), BOX_W, place["end"][1], fill=TEAL_TINT, rx=place["end"][1] / 2))
    body.append(label(c3, mid("end"), lines["end"]))

    # the patient waits from the first step to the last
    wait_lines = wrap(t["wait"], inner - 8)
    wait_top, wait_bottom = top("start") + 6, top("end") - 10
    body.append(line(c3, wait_top, c3, wait_bottom, stroke=ANNOTATION, width=2, dash="5 5", arrow="wait-arrow"))
    wh = box_height(wait_lines)
    wy = (wait_top + wait_bottom) / 2 - wh / 2
    body.append(rect(c3 - half + 4, wy, BOX_W - 8, wh, fill=AMBER_TINT, stroke=ANNOTATION))
    body.append(label(c3, wy + wh / 2, wait_lines, fill=INK))

    # flow
    body.append(line(c0 + half, mid("start"), c1 - half - 2, mid("fax"), stroke=BRAND_DARK, width=2))
    body.append(path(f"M{c1 + half:g},{mid('fax'):g} H{c2:g} V{dt - 2:g}", stroke=BRAND_DARK, width=2))
    body.append(path(f"M{c2 - DIAMOND_W / 2:g},{dm:g} H{c1:g} V{top('inbox') - 2:g}", stroke=BRAND_DARK, width=2))
    body.append(label((c1 + c2 - DIAMOND_W / 2) / 2, dm - 12, [t["yes"]], fill=BRAND_DARK, bold=True))
    body.append(line(c2, dt + DIAMOND_H, c2, top("dose") - 2, stroke=BRAND_DARK, width=2))
    body.append(label(c2 + 8, dt + DIAMOND_H + 16, [t["no"]], anchor="start", fill=BRAND_DARK, bold=True))
    body.append(line(c1, bottom("inbox"), c1, top("form") - 2, stroke=BRAND_DARK, width=2))
    body.append(line(c1, bottom("form"), c1, top("insurer") - 2, stroke=BRAND_DARK, width=2))
    body.append(path(f"M{c1:g},{bottom('insurer'):g} V{mid('dose'):g} H{c2 - half - 2:g}", stroke=BRAND_DARK, width=2))
    body.append(line(c2, bottom("dose"), c2, top("deliver") - 2, stroke=BRAND_DARK, width=2))
    body.append(line(c2 + half, mid("deliver"), c3 - half - 2, mid("end"), stroke=BRAND_DARK, width=2))

    # legend
    ly = lanes_bottom + 20
    names = t["legend"]
    sx = MARGIN + 4
    items = [
        rect(sx, ly, 40, 24, fill=TEAL_TINT, rx=12),
        rect(sx + 160, ly, 40, 24),
        f'<polygon points="{sx + 340:g},{ly - 2:g} {sx + 362:g},{ly + 12:g} {sx + 340:g},{ly + 26:g} '
        f'{sx + 318:g},{ly + 12:g}" fill="{PAPER}" stroke="{BRAND}" stroke-width="1.5"/>',
        f'<path d="M{sx + 468:g},{ly:g} H{sx + 486:g} A12,12 0 0 1 {sx + 486:g},{ly + 24:g} H{sx + 468:g} Z" '
        f'fill="{AMBER_TINT}" stroke="{ANNOTATION}" stroke-width="1.5"/>',
    ]
    body.extend(items)
    for i, x in enumerate((sx + 48, sx + 208, sx + 370, sx + 506)):
        body.append(label(x, ly + 12, [names[i]], anchor="start", fill=MUTED))
    hy = ly + 56
    body.append(line(sx, hy, sx + 60, hy, stroke=BRAND_DARK, width=2))
    body.append(label(sx + 70, hy, wrap(names[4], WIDTH - sx - 90), anchor="start", fill=MUTED))
    defs = arrow_marker("arrow", BRAND_DARK) + arrow_marker("wait-arrow", ANNOTATION)
    return svg(height, body, defs)
