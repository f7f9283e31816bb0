"""Write every course figure drawn by this package, in every language, and check each with the content
sanitizer: `.venv/bin/python -m tools.figures`."""

from __future__ import annotations

import sys
from pathlib import Path

from qtp.catalog.figures import sanitize_svg
from tools.figures import driver_diagram, pdsa_ramp, process_map, run_chart

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("en", "es", "pt_BR")
FIGURES = {
    ("six-month/06-process-mapping-sipoc", "current-state-map"): process_map.draw,
    ("six-month/09-run-charts", "run-chart-anatomy"): run_chart.draw,
    ("six-month/10-driver-diagrams", "driver-diagram"): driver_diagram.draw,
    ("six-month/11-pdsa-cycles", "pdsa-ramp"): pdsa_ramp.draw,
}


def main() -> int:
    for (module, slug), draw in FIGURES.items():
        folder = ROOT / "courses" / module / "figures"
        folder.mkdir(exist_ok=True)
        for locale in LOCALES:
            markup = draw(locale)
            sanitize_svg(markup.encode(), "check", "check")
            path = folder / f"{slug}.{locale}.svg"
            path.write_text(markup, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(markup.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
