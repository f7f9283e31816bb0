"""Measurement analysis and charts: run-chart rules, control charts and SVG rendering (pure, no I/O)."""

from qtp.measurement.control_chart import ControlChart, ControlSignal, c_chart, p_chart, u_chart, xmr_chart
from qtp.measurement.run_chart import AnhoejAnalysis, RunChartAnalysis, Signal, analyze, anhoej
from qtp.measurement.svg import Annotation, ChartLabels, Point, control_chart_svg, pareto_svg, run_chart_svg

__all__ = [
    "AnhoejAnalysis",
    "Annotation",
    "ChartLabels",
    "ControlChart",
    "ControlSignal",
    "Point",
    "RunChartAnalysis",
    "Signal",
    "analyze",
    "anhoej",
    "c_chart",
    "control_chart_svg",
    "p_chart",
    "pareto_svg",
    "run_chart_svg",
    "u_chart",
    "xmr_chart",
]
