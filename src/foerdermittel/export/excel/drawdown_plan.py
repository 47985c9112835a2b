"""The Mittelabrufplan: every call, paid out or planned, with the running sum per phase."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import CHECK, _Formula, _page, _Sheet, _yes
from foerdermittel.export.text import drawdown_mode_text
from foerdermittel.report import Report

_CALL_KIND = {"recorded": "ausgezahlt", "planned": "geplant"}


def _drawdowns(ws: Worksheet, report: Report) -> None:
    plan = report.drawdowns
    rule = plan.rule
    mode = drawdown_mode_text(rule)
    s = _Sheet(ws, [13, 16, 16, 16, 18, 12, 11, 18, 18, 18, 18, 48], wrap={12})
    s.title(f"Mittelabrufplan — {mode}; {rule.source}")
    header = s.header(
        [
            "Datum",
            "Phase",
            "Ausgaben von",
            "Ausgaben bis",
            "Betrag",
            "Art",
            "Schlussrate",
            "kumuliert (Phase)",
            CHECK,
            "Anspruch anteilig",
            "Zuwendung der Phase",
            "Hinweis",
        ]
    )
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
                _CALL_KIND[call.kind],
                _yes(call.withheld),
                _Formula(running),
                call.cumulative,
                call.entitlement,
                grants.get(call.phase),
                call.note,
            ]
        )
    last = s.row - 1
    ws.auto_filter.ref = f"A{header}:L{max(last, header)}"
    s.skip()
    s.section("Je Phase")
    s.header(["Phase", "Zuwendung", "abgerufen", CHECK, "nicht abgerufen"])
    for phase in plan.phases:
        end = previous.get(phase.phase)
        s.add(
            [
                phase.phase,
                phase.grant,
                _Formula(f"H{end}") if end is not None else phase.called,
                phase.called,
                phase.not_called,
            ]
        )
    if plan.calls:
        s.total(["alle Abrufe", None, _Formula(f"SUM(E{first}:E{last})"), plan.total])
    _page(ws, report, title_rows="1:2", freeze="A3")
