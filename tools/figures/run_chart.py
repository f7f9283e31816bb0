"""09-run-charts: the anatomy of a run chart, on illustrative weekly data: axes, data points, the median, two
points on the median, a trend, a shift and the changes tested, each named where it is."""

from __future__ import annotations

from statistics import median

from tools.figures.draw import (
    ACCENT,
    ANNOTATION,
    BRAND,
    BRAND_DARK,
    GRID,
    INK,
    LINE,
    MUTED,
    PAPER,
    TEAL_TINT,
    WIDTH,
    arrow_marker,
    backdrop,
    label,
    line,
    svg,
    text_width,
    wrap,
)

VALUES = [47, 52, 45, 50, 48, 44, 49, 52, 46, 45, 49, 53, 57, 61, 59, 63, 60, 64, 62, 65]
MEDIAN = median(VALUES)  # 52: weeks 2 and 8 lie on it
TREND = range(9, 14)  # weeks 10-14 (0-based indexes), five rising points
SHIFT = range(11, 20)  # weeks 12-20, nine points above the median
CHANGES = {9: "PDSA 1", 14: "PDSA 2"}  # index -> label

TEXTS = {
    "en": {
        "y": "Symptom calls returned within 2 hours (%)",
        "x": "Week",
        "median": "Median|52%",
        "point": "Each point is one week",
        "on": "Week 8 is on the median: not a useful observation",
        "trend": "Trend: 5 points in a row going up",
        "shift": "Shift: 9 points in a row above the median",
        "changes": "Dashed lines: the changes tested, at their dates",
    },
    "es": {
        "y": "Llamadas por síntomas devueltas en menos de 2 horas (%)",
        "x": "Semana",
        "median": "Mediana|52\u00a0%",
        "point": "Cada punto es una semana",
        "on": "La semana 8 está en la mediana: no es una observación útil",
        "trend": "Tendencia: 5 puntos seguidos en ascenso",
        "shift": "Desplazamiento: 9 puntos seguidos por encima de la mediana",
        "changes": "Líneas discontinuas: los cambios probados, en su fecha",
    },
    "pt_BR": {
        "y": "Ligações sobre sintomas retornadas em até 2 horas (%)",
        "x": "Semana",
        "median": "Mediana|52%",
        "point": "Cada ponto é uma semana",
        "on": "A semana 8 está na mediana: não é uma observação útil",
        "trend": "Tendência: 5 pontos seguidos subindo",
        "shift": "Deslocamento: 9 pontos seguidos acima da mediana",
        "changes": "Linhas tracejadas: as mudanças testadas, na data de cada uma",
    },
}

LEFT, RIGHT, TOP, BOTTOM = 58, 548, 96, 416  # the plot area
LOW, HIGH = 30, 84  # value axis


def _x(index: int) -> float:
    return LEFT + 12 + index * (RIGHT - LEFT - 24) / (len(VALUES) - 1)


def _y(value: float) -> float:
    return BOTTOM - (value - LOW) * (BOTTOM - TOP) / (HIGH - LOW)


def _percent(value: int, locale: str) -> str:
    """As the language writes it (courses/glossary.<locale>.yaml): "40 %" in Spanish, "40%" elsewhere."""
    return f"{value}\u00a0%" if locale == "es" else f"{value}%"


def draw(locale: str) -> str:
    t = TEXTS[locale]
    body: list[str] = []
    late: list[str] = []  # drawn last, over lines and points
    height = BOTTOM + 62
    # title of the value axis, above the plot
    body.append(label(LEFT - 50, 24, wrap(t["y"], WIDTH - 24, bold=True), anchor="start", bold=True, middle=False))
    # shift band and trend highlight, under the points
    x0, x1 = _x(SHIFT[0]) - 10, _x(SHIFT[-1]) + 10
    body.append(
        f'<rect x="{x0:g}" y="{_y(81) - 4:.1f}" width="{x1 - x0:.1f}" height="{_y(MEDIAN) - _y(81):.1f}" '
        f'rx="8" fill="{TEAL_TINT}"/>'
    )
    shift_lines = wrap(t["shift"], x1 - x0 - 16)
    shift_y = _y(81) + len(shift_lines) * LINE / 2 + 6
    late.append(backdrop((x0 + x1) / 2, shift_y, shift_lines, fill=TEAL_TINT))
    late.append(label((x0 + x1) / 2, shift_y, shift_lines, fill=BRAND_DARK))
    trend = " ".join(f"{_x(i):.1f},{_y(VALUES[i]):.1f}" for i in TREND)
    body.append(
        f'<polyline points="{trend}" fill="none" stroke="{ACCENT}" stroke-opacity="0.45" stroke-width="16" '
        f'stroke-linecap="round" stroke-linejoin="round"/>'
    )
    # changes tested: dashed lines, labels above the plot
    for index, name in CHANGES.items():
        x = (_x(index - 1) + _x(index)) / 2
        body.append(line(x, TOP - 22, x, BOTTOM, stroke=ANNOTATION, width=1.5, arrow=None, dash="6 4"))
        body.append(label(x, TOP - 30, [name], fill=ANNOTATION, bold=True, middle=False))
    # axes and grid
    for value in (40, 50, 60, 70, 80):
        y = _y(value)
        body.append(line(LEFT, y, RIGHT, y, stroke=GRID, width=1, arrow=None))
        body.append(label(LEFT - 8, y, [_percent(value, locale)], anchor="end", fill=MUTED))
    body.append(line(LEFT, BOTTOM, RIGHT, BOTTOM, stroke=INK, width=1.5, arrow=None))
    body.append(line(LEFT, TOP - 4, LEFT, BOTTOM, stroke=INK, width=1.5, arrow=None))
    for week in (1, 5, 10, 15, 20):
        x = _x(week - 1)
        body.append(line(x, BOTTOM, x, BOTTOM + 6, stroke=INK, width=1.5, arrow=None))
        body.append(label(x, BOTTOM + 24, [str(week)], fill=MUTED, middle=False))
    body.append(label((LEFT + RIGHT) / 2, BOTTOM + 50, [t["x"]], bold=True, middle=False))
    # median
    my = _y(MEDIAN)
    body.append(line(LEFT, my, RIGHT, my, stroke=BRAND, width=2.5, arrow=None))
    body.append(
        label(RIGHT + 10, my, wrap(t["median"], WIDTH - RIGHT - 14, bold=True), anchor="start", fill=BRAND, bold=True)
    )
    # data
    points = " ".join(f"{_x(i):.1f},{_y(v):.1f}" for i, v in enumerate(VALUES))
    body.append(f'<polyline points="{points}" fill="none" stroke="{BRAND}" stroke-width="2"/>')
    for i, value in enumerate(VALUES):
        on_median = value == MEDIAN
        fill = PAPER if on_median else BRAND
        body.append(
            f'<circle cx="{_x(i):.1f}" cy="{_y(value):.1f}" r="5" fill="{fill}" stroke="{BRAND_DARK}" '
            'stroke-width="2"/>'
        )
    # callouts
    trend_lines = wrap(t["trend"], RIGHT - _x(TREND[0]) - 10)
    ty = BOTTOM - 10 - len(trend_lines) * LINE / 2
    late.append(backdrop(_x(TREND[0]) - 4, ty, trend_lines, anchor="start", bold=True))
    late.append(label(_x(TREND[0]) - 4, ty, trend_lines, anchor="start", fill=ANNOTATION, bold=True))
    body.append(
        line(
            _x(TREND[1]) + 6,
            ty - len(trend_lines) * LINE / 2 - 2,
            _x(TREND[1]) + 2,
            _y(VALUES[TREND[1]]) + 14,
            stroke=ANNOTATION,
            width=1.5,
            arrow="callout",
        )
    )
    on_lines = wrap(t["on"], _x(8) - LEFT - 8)
    oy = BOTTOM - 10 - len(on_lines) * LINE / 2
    body.append(label(LEFT + 8, oy, on_lines, anchor="start", fill=INK))
    body.append(
        line(_x(7) - 2, oy - len(on_lines) * LINE / 2 - 4, _x(7), my + 9, stroke=MUTED, width=1.5, arrow="pointer")
    )
    point_lines = wrap(t["point"], _x(9) - LEFT - 16)
    py = _y(70)
    body.append(label(LEFT + 10, py, point_lines, anchor="start", fill=INK))
    px = LEFT + 10 + min(text_width(point_lines[-1]), 150) / 2
    body.append(
        line(
            px,
            py + len(point_lines) * LINE / 2 + 2,
            _x(3) - 2,
            _y(VALUES[3]) - 10,
            stroke=MUTED,
            width=1.5,
            arrow="pointer",
        )
    )
    change_lines = wrap(t["changes"], _x(8) - LEFT - 8)
    cy = _y(61)
    body.append(label(LEFT + 10, cy, change_lines, anchor="start", fill=ANNOTATION))
    body.append(line(_x(7) + 6, cy, (_x(8) + _x(9)) / 2 - 4, cy, stroke=ANNOTATION, width=1.5, arrow="callout"))
    defs = arrow_marker("pointer", MUTED) + arrow_marker("callout", ANNOTATION)
    return svg(height, body + late, defs)
