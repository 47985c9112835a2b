"""The Mittelabrufplan: every call, paid out or planned, with the running sum per phase."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import _Formula, _page, _Sheet, _yes
from foerdermittel.export.text import drawdown_mode_text
from foerdermittel.messages import Words
from foerdermittel.report import Report


def _drawdowns(ws: Worksheet, report: Report, w: Words) -> None:
    plan = report.drawdowns
    rule = plan.rule
    mode = drawdown_mode_text(rule, lang=w.lang)
    s = _Sheet(ws, w, [13, 16, 16, 16, 18, 12, 11, 18, 18, 18, 18, 48], wrap={12})
    s.title(w("workbook.drawdown-plan.title", mode=mode, source=w.of(report.drawdown_basis)))
    header = s.header(
        [
            w("workbook.word.date"),
            w("workbook.word.phase"),
            w("workbook.drawdown-plan.from"),
            w("workbook.drawdown-plan.to"),
            w("workbook.word.amount"),
            w("workbook.word.kind"),
            w("workbook.drawdown-plan.final"),
            w("text.drawdown.head.cumulative"),
            s.check,
            w("workbook.drawdown-plan.entitlement"),
            w("workbook.drawdown-plan.phase-grant"),
            w("workbook.word.note"),
        ]
    )
    kinds = {kind: w(f"text.replan.kind.{kind}") for kind in ("recorded", "planned")}
    grants = {p.phase: p.grant for p in plan.phases}
    previous: dict[str, int] = {}
    first = s.row
    for call in plan.calls:
        r = s.row
        before = previous.get(call.phase)
        running = f"H{before}+E{r}" if before is not None else f"E{r}"
        previous[call.phase] = r
        s.add(
            [
                call.on,
                call.phase,
                call.covers_from,
                call.covers_to,
                call.amount,
                kinds[call.kind],
                _yes(w, call.withheld),
                _Formula(running, value=call.cumulative),
                call.cumulative,
                call.entitlement,
                grants.get(call.phase),
                w.of(call.remark) if call.remark.key else None,
            ]
        )
    last = s.row - 1
    ws.auto_filter.ref = f"A{header}:L{max(last, header)}"
    s.skip()
    s.section(w("workbook.drawdown-plan.per-phase"))
    s.header(
        [
            w("workbook.word.phase"),
            w("workbook.word.grant"),
            w("workbook.drawdown-plan.called"),
            s.check,
            w("workbook.drawdown-plan.not-called"),
        ]
    )
    for phase in plan.phases:
        end = previous.get(phase.phase)
        s.add(
            [
                phase.phase,
                phase.grant,
                _Formula(f"H{end}", value=phase.called) if end is not None else phase.called,
                phase.called,
                phase.not_called,
            ]
        )
    if plan.calls:
        s.total(
            [
                w("workbook.drawdown-plan.all-calls"),
                None,
                _Formula(f"SUM(E{first}:E{last})", value=plan.total),
                plan.total,
            ]
        )
    _page(s, report, title_rows="1:2", freeze="A3")
