"""The Fristen: every deadline with its rule, source, shift and status."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel import fmt
from foerdermittel.export.excel.cells import WEEKDAY_FORMAT, _Day, _page, _Sheet, _yes
from foerdermittel.report import Report


def _deadlines(ws: Worksheet, report: Report) -> None:
    s = _Sheet(
        ws,
        [19, 14, 14, 14, 40, 18, 32, 36, 12, 34, 12, 11, 34],
        wrap={5, 6, 7, 8, 10, 13},
    )
    s.title(f"Fristen (Stichtag {fmt.date(report.as_of)})")
    header = s.header(
        [
            "Fristende",
            "rechnerisches Ende",
            "Fristende nach Verschiebung",
            "ursprüngliches Ende",
            "Frist",
            "betrifft",
            "Regel",
            "Rechtsgrundlage",
            "Status",
            "Grund der Verschiebung",
            "erledigt am",
            "Handlung nötig",
            "Hinweis",
        ]
    )
    for d in report.deadlines:
        s.add(
            [
                _Day(d.end, WEEKDAY_FORMAT),
                d.raw_end,
                d.end,
                d.original_end,
                d.title,
                d.subject,
                d.rule,
                d.legal_source,
                d.status.german,
                d.shift_reason,
                d.submitted_on,
                _yes(d.action_required),
                d.note,
            ]
        )
    ws.auto_filter.ref = f"A{header}:M{max(s.row - 1, header)}"
    _page(ws, report, title_rows="1:2", freeze="B3")
