"""The repeated cells of the dashboard grids, rendered once per distinct value instead of once per cell.

A cohort of 100 teams has over a thousand worksheet cells but only a dozen different ones (status x late),
and a members grid has thousands of module cells drawn from a few hundred values. Rendering each distinct
cell once and joining them keeps the dashboards cheap (bench/cohort_dashboard.py). Every text that reaches
the markup goes through `escape`; the cells hold no user text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from markupsafe import Markup, escape

from qtp.progress.tracking import Cell


def worksheet_cells(
    rows: Iterable, column_keys: list[str], status_labels: dict[str, str], not_started: str, late: str
) -> dict[int, Markup]:
    """{team id: the team's worksheet cells as <td> elements}."""

    @cache
    def render(status: str | None, is_late: bool) -> str:
        if status:
            body = f'<span class="badge status-{escape(status)}">{escape(status_labels.get(status, status))}</span>'
        else:
            body = f'<span class="muted">{escape(not_started)}</span>'
        if is_late:
            body += f'<br><strong class="late-flag">{escape(late)}</strong>'
        return f'<td class="ws{" late" if is_late else ""}">{body}</td>'

    def cell_html(cell: Cell) -> str:
        return render(cell.status, cell.is_late)

    return {row.id: Markup("".join(cell_html(row.cells[key]) for key in column_keys)) for row in rows}  # noqa: S704


def member_cells(
    rows: Iterable, module_ids: list[int], pass_mark: int, event_ids: list[int], labels: dict[str, str], completed: str
) -> tuple[dict[int, Markup], dict[int, Markup]]:
    """({user id: module cells}, {user id: attendance cells}) as <td> elements."""

    @cache
    def module_cell(done: bool, best: int | None) -> str:
        body = f'<span aria-label="{escape(completed)}">✓</span>' if done else ""
        if best is not None:
            body += f' <span class="{"pass" if best >= pass_mark else "below"}">{int(best)}</span>'
        return f'<td class="mod">{body}</td>'

    @cache
    def attendance_cell(status: str | None) -> str:
        if status is None:
            return '<td class="ws"><span class="muted">–</span></td>'
        return f'<td class="ws">{escape(labels.get(status, status))}</td>'

    modules: dict[int, Markup] = {}
    attendance: dict[int, Markup] = {}
    for row in rows:
        modules[row.user_id] = Markup(  # noqa: S704 (built from escaped labels and numbers only)
            "".join(module_cell(m in row.completed, row.best.get(m)) for m in module_ids)
        )
        attendance[row.user_id] = Markup(  # noqa: S704
            "".join(attendance_cell(row.attendance.get(e)) for e in event_ids)
        )
    return modules, attendance
