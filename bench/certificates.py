"""Certificate rendering cost, as ratios measured in one run (CPU time, interleaved pairs, median).

1. Bulk issue: the cost per certificate of a cohort laid out in one WeasyPrint pass and split into one file
   each, against rendering one certificate on its own (goal <= 0.2, quality.md).
2. One certificate against a minimal one-page WeasyPrint document (goal <= 2).

Run: .venv/bin/python bench/certificates.py [--cohort 30] [--pairs 9]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import bench_app  # noqa: E402

MINIMAL = '<!doctype html><html lang="en"><head><title>x</title></head><body><p>Hello.</p></body></html>'
# The floor: a page of fourteen plain paragraphs (as many text blocks as a certificate has), no stylesheet of
# its own. Its layout alone, in a pass of many pages, against the whole of rendering it as its own document:
# what one pass could save at best, however the pages were written and split.
PLAIN_PAGE = "<section style='break-before: page'>" + "".join(f"<p>Line {n} of the page</p>" for n in range(14))
PLAIN_PAGE += "</section>"


def _plain(pages: int) -> str:
    return f'<!doctype html><html lang="en"><head><title>x</title></head><body>{PLAIN_PAGE * pages}</body></html>'


def _cohort(session, size: int):
    """A synced one-day program and a cohort of `size` participants holding certificates not yet rendered."""
    from qtp.accounts.models import Organization, User
    from qtp.catalog.models import Program
    from qtp.certificates import services
    from qtp.cohorts.models import Cohort, Membership, Team
    from qtp.progress.models import ModuleProgress

    program = session.query(Program).filter_by(slug="one-day").one()
    program.config = {**program.config, "completion": ["modules"]}
    cohort = Cohort(
        program=program, slug="bench", name="Oficina QTP São Paulo, maio de 2026", locale="pt_BR", status="finished"
    )
    from datetime import date

    cohort.starts_on = cohort.ends_on = date(2026, 5, 16)
    session.add(cohort)
    certificates = []
    team = None
    for n in range(size):
        if n % 3 == 0:  # teams of three, each from its own practice
            organization = Organization(name=f"Instituto Paulista de Oncologia Clínica {n}", country="BR")
            team = Team(cohort=cohort, organization=organization, project_title=f"Do encaminhamento à consulta {n}")
        user = User(email=f"p{n}@bench.example.org", name=f"Maria da Conceição Gonçalves {n:03d}", password_hash="!")  # noqa: S106 (no login)
        session.add_all([team, user])
        session.flush()
        session.add(Membership(team=team, user=user, role="core"))
        for module in program.modules:
            session.add(ModuleProgress(user_id=user.id, module_id=module.id, content_version="x"))
        session.flush()
        certificates.append(services.issue_certificate(session, None, user, cohort, render=False))
    session.commit()
    return certificates


def _layout_only(pdf, html: str) -> None:  # type: ignore[no-untyped-def]
    from weasyprint import HTML

    font_config, fetcher, stylesheet = pdf._resources()
    HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=font_config, pdf_variant=pdf.PDF_VARIANT, pdf_tags=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cohort", type=int, default=30, help="certificates rendered in one bulk pass")
    parser.add_argument("--pairs", type=int, default=9, help="interleaved measurements (median reported)")
    args = parser.parse_args()

    from weasyprint import HTML

    from qtp.catalog.sync import sync_content
    from qtp.certificates import document
    from qtp.core import pdf
    from qtp.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(folder)
        with app.test_request_context():
            sync_content(db.session, Path(app.config["QTP_CONTENT_ROOT"]), tuple(app.config["QTP_LOCALES"]))
            certificates = _cohort(db.session, args.cohort)
            document.render_one(certificates[0])  # warm up: fonts, stylesheets, templates
            document.render_many(certificates[:2])
            HTML(string=MINIMAL).write_pdf()

            def cpu(action) -> float:
                start = time.process_time()
                action()
                return time.process_time() - start

            bulk, versus_minimal, plain_bulk = [], [], []
            singles, per_bulk, minimals = [], [], []
            plain_one, plain_many = _plain(1), _plain(len(certificates))
            for _ in range(args.pairs):
                single = cpu(lambda: document.render_one(certificates[0]))
                each = cpu(lambda: document.render_many(certificates)) / len(certificates)
                minimal = cpu(lambda: HTML(string=MINIMAL).write_pdf())
                single_again = cpu(lambda: document.render_one(certificates[1]))
                plain_single = cpu(lambda: pdf.html_to_pdf(plain_one))
                plain_layout = cpu(lambda: _layout_only(pdf, plain_many)) / len(certificates)
                plain_bulk.append(plain_layout / plain_single)
                bulk.append(each / single)
                versus_minimal.append(single_again / minimal)
                singles.append(single)
                per_bulk.append(each)
                minimals.append(minimal)

    print(f"certificates: {args.cohort} per bulk pass, {args.pairs} interleaved pairs (CPU time, median)")
    print(
        f"  one certificate alone        {statistics.median(singles) * 1000:7.1f} ms\n"
        f"  per certificate in bulk      {statistics.median(per_bulk) * 1000:7.1f} ms\n"
        f"  minimal one-page document    {statistics.median(minimals) * 1000:7.1f} ms"
    )
    print(f"  bulk per certificate / single certificate: {statistics.median(bulk):.2f}  (goal <= 0.2)")
    print(f"  single certificate / minimal document:     {statistics.median(versus_minimal):.2f}  (goal <= 2)")
    print(
        f"  floor: layout of a plain 14-paragraph page in one pass / the same page alone: "
        f"{statistics.median(plain_bulk):.2f}  (a bulk certificate cannot cost less than its own layout)"
    )


if __name__ == "__main__":
    main()
