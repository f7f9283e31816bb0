"""Faculty manual layout cost: the CPU time of a 50-page manual against a 20-page one (goal <= 3, quality.md:
no super-linear layout; 2.5 would be exactly linear).

Both are real manuals of the one-day program in Spanish (guide, agenda, modules with every slide's notes and the
knowledge-check answers, worksheet templates); their length is set by how many modules and worksheet templates
they hold (the program's modules, repeated when more are needed), chosen as near to 20 and 50 pages as these
steps allow. Interleaved pairs, median of per-pair ratios.

Run: .venv/bin/python bench/manual.py [--pairs 9]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import bench_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUILT = datetime(2026, 12, 1, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=9, help="interleaved measurements (median reported)")
    args = parser.parse_args()

    from flask_babel import force_locale
    from weasyprint import HTML

    from qtp.catalog.content import load_content
    from qtp.core import pdf
    from qtp.licensing.bundles.manual import manual_of

    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(folder)
        with app.app_context(), app.test_request_context():
            content = load_content(ROOT / "courses", ("en", "es", "pt_BR"))
            program = next(p for p in content.programs if p.slug == "one-day")

            def html_of(size: tuple[int, int]) -> str:
                modules, worksheets = size
                chosen = list(islice(cycle(program.modules), modules))
                sized = dataclasses.replace(program, modules=chosen)
                with force_locale("es"):
                    manual = manual_of(sized, content.worksheet_types, "es", BUILT, "bench")
                    manual = dataclasses.replace(manual, worksheets=manual.worksheets[:worksheets])
                    return pdf.render_html("licensing/pdf/manual.html", manual=manual, lang=manual.lang)

            def pages(html: str) -> int:
                font_config, fetcher, stylesheet = pdf._resources()
                document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher)
                return len(document.render(stylesheets=[stylesheet], font_config=font_config).pages)

            sizes = {(n, w): pages(html_of((n, w))) for n in range(1, 8) for w in range(0, 5)}
            small = min(sizes, key=lambda n: abs(sizes[n] - 20))
            large = min(sizes, key=lambda n: abs(sizes[n] - 50))
            documents = {small: html_of(small), large: html_of(large)}

            def cost(modules: int) -> float:
                start = time.process_time()
                pdf.html_to_pdf(documents[modules])
                return time.process_time() - start

            cost(small)  # warm the fonts and the stylesheet
            ratios, smalls, larges = [], [], []
            for _ in range(args.pairs):
                smalls.append(cost(small))
                larges.append(cost(large))
                ratios.append(larges[-1] / smalls[-1])
    print(f"faculty manual: one-day program in Spanish, {args.pairs} interleaved pairs (CPU time, median)")
    for size, times in ((small, smalls), (large, larges)):
        label = f"({size[0]} modules, {size[1]} worksheets)"
        print(f"  {sizes[size]:3d} pages {label:28s} {statistics.median(times):6.2f} s")
    per_page = statistics.median(ratios) * sizes[small] / sizes[large]
    print(
        f"  time({sizes[large]} pages) / time({sizes[small]} pages): {statistics.median(ratios):.2f}  (goal <= 3; "
        f"per page {per_page:.2f}, 1.00 is linear)"
    )


if __name__ == "__main__":
    main()
