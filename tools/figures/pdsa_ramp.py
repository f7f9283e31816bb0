"""11-pdsa-cycles: the PDSA ramp of the worked example, four cycles on the triage script climbing from a
hunch tested on three calls to a change adopted by every triage nurse."""

from __future__ import annotations

import math

from tools.figures.draw import (
    ANNOTATION,
    BRAND,
    BRAND_DARK,
    GREEN_TINT,
    INK,
    LINE,
    MUTED,
    PAPER,
    SUCCESS,
    TEAL_TINT,
    WASH,
    WIDTH,
    arrow_marker,
    label,
    line,
    svg,
    wrap,
)

TEXTS = {
    "en": {
        "start": "Hunches, theories and ideas",
        "end": "Changes that result in improvement",
        "cycle": "Cycle {n}",
        "scales": ["1 nurse, 3 calls", "1 nurse, one morning", "2 nurses, one week", "4 nurses, two weeks"],
        "acts": ["Adapt", "Adapt", "Adapt", "Adopt"],
        "legend": "P Plan · D Do · S Study · A Act",
        "axis": "Each cycle larger or more varied than the last",
    },
    "es": {
        "start": "Corazonadas, teorías e ideas",
        "end": "Cambios que producen mejora",
        "cycle": "Ciclo {n}",
        "scales": [
            "1 enfermera, 3 llamadas",
            "1 enfermera, una mañana",
            "2 enfermeras, una semana",
            "4 enfermeras, dos semanas",
        ],
        "acts": ["Adaptar", "Adaptar", "Adaptar", "Adoptar"],
        "legend": "P Planificar · D Hacer · S Estudiar · A Actuar",
        "axis": "Cada ciclo, más grande o más variado que el anterior",
    },
    "pt_BR": {
        "start": "Palpites, teorias e ideias",
        "end": "Mudanças que resultam em melhoria",
        "cycle": "Ciclo {n}",
        "scales": [
            "1 enfermeira, 3 ligações",
            "1 enfermeira, uma manhã",
            "2 enfermeiras, uma semana",
            "4 enfermeiras, duas semanas",
        ],
        "acts": ["Adaptar", "Adaptar", "Adaptar", "Adotar"],
        "legend": "P Planejar · D Fazer · S Estudar · A Agir",
        "axis": "Cada ciclo maior ou mais variado que o anterior",
    },
}

TAIL, TIP = (20, 384), (630, 76)
CENTRES = [(x, TAIL[1] - (x - TAIL[0]) * (TAIL[1] - TIP[1]) / (TIP[0] - TAIL[0])) for x in (92, 240, 392, 548)]
RADII = [30, 36, 42, 48]
COLUMN = 148  # width of the label under each wheel
LABELS_TOP = 396


def _wheel(cx: float, cy: float, r: float, adopted: bool) -> list[str]:
    """A PDSA wheel: Act top left, Plan top right, Do bottom right, Study bottom left (clockwise from Plan)."""
    fills = {"P": TEAL_TINT, "D": PAPER, "S": TEAL_TINT, "A": GREEN_TINT if adopted else PAPER}
    quadrants = {"A": (-1, -1), "P": (1, -1), "D": (1, 1), "S": (-1, 1)}
    out = []
    for letter, (sx, sy) in quadrants.items():
        sweep = 0 if sx * sy < 0 else 1
        d = f"M{cx:g},{cy:g} L{cx + sx * r:g},{cy:g} A{r:g},{r:g} 0 0 {sweep} {cx:g},{cy + sy * r:g} Z"
        out.append(f'<path d="{d}" fill="{fills[letter]}" stroke="{BRAND}" stroke-width="1.5"/>')
        size = 15 if r < 40 else 17
        out.append(label(cx + sx * r * 0.42, cy + sy * r * 0.42, [letter], size=size, fill=BRAND_DARK, bold=True))
    return out


def _ramp(tail: tuple[float, float], tip: tuple[float, float], thickness: float) -> str:
    (x0, y0), (x1, y1) = tail, tip
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length  # along the ramp
    nx, ny = -uy, ux  # across it
    head = 2.2 * thickness
    bx, by = x1 - ux * head, y1 - uy * head  # where the head begins
    half, wing = thickness / 2, thickness * 1.3
    points = [
        (x0 + nx * half, y0 + ny * half),
        (bx + nx * half, by + ny * half),
        (bx + nx * wing, by + ny * wing),
        (x1, y1),
        (bx - nx * wing, by - ny * wing),
        (bx - nx * half, by - ny * half),
        (x0 - nx * half, y0 - ny * half),
    ]
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polygon points="{coords}" fill="{WASH}" stroke="{MUTED}" stroke-width="1"/>'


def draw(locale: str) -> str:
    t = TEXTS[locale]
    body: list[str] = []
    # the ramp: a rising band under the wheels, with an arrow head at the top
    body.append(_ramp(TAIL, TIP, 24))
    start = wrap(t["start"], 180, bold=True)
    body.append(label(20, 228, start, anchor="start", fill=MUTED, bold=True, middle=False))
    end = wrap(t["end"], 300, bold=True)
    body.append(label(WIDTH - 12, 24, end, anchor="end", fill=SUCCESS, bold=True, middle=False))
    for i, ((cx, cy), r) in enumerate(zip(CENTRES, RADII, strict=True)):
        adopted = t["acts"][i] == t["acts"][-1] and i == len(CENTRES) - 1
        # a leader from the wheel down to its label
        body.append(line(cx, cy + r + 2, cx, LABELS_TOP - 6, stroke=MUTED, width=1, arrow=None, dash="2 4"))
        body.extend(_wheel(cx, cy, r, adopted))
        lx = min(max(cx, COLUMN / 2 + 4), WIDTH - COLUMN / 2 - 4)
        scale = wrap(t["scales"][i], COLUMN - 8)
        body.append(label(lx, LABELS_TOP + 14, [t["cycle"].format(n=i + 1)], fill=INK, bold=True, middle=False))
        body.append(label(lx, LABELS_TOP + 14 + LINE, scale, fill=INK, middle=False))
        act_y = LABELS_TOP + 14 + LINE * (1 + len(scale))
        colour = SUCCESS if adopted else ANNOTATION
        body.append(label(lx, act_y, [f"→ {t['acts'][i]}"], fill=colour, bold=True, middle=False))
    bottom = LABELS_TOP + 14 + LINE * 4 + 16
    body.append(line(12, bottom, WIDTH - 12, bottom, stroke=BRAND_DARK, width=2, arrow="grow"))
    axis = wrap(t["axis"], WIDTH - 40)
    body.append(label(WIDTH / 2, bottom + 24, axis, fill=BRAND_DARK, middle=False))
    legend_y = bottom + 24 + LINE * len(axis) + 8
    body.append(label(WIDTH / 2, legend_y, wrap(t["legend"], WIDTH - 40), fill=MUTED, middle=False))
    return svg(legend_y + 16, body, arrow_marker("grow", BRAND_DARK))
