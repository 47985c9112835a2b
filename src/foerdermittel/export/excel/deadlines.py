"""The Fristen: every deadline with its rule, source, shift and status."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import _Day, _page, _Sheet, _yes
from foerdermittel.messages import Words
from foerdermittel.report import Report


def _deadlines(ws: Worksheet, report: Report, w: Words) -> None:
    lang = w.lang
    s = _Sheet(
        ws,
        w,
        [19, 14, 14, 14, 40, 18, 32, 36, 12, 34, 12, 11, 34],
        wrap={5, 6, 7, 8, 10, 13},
    )
    s.title(w("workbook.deadlines.title", day=report.as_of))
    header = s.header(
        [
            w("workbook.deadlines.end"),
            w("workbook.deadlines.raw-end"),
            w("workbook.deadlines.shifted-end"),
            w("workbook.deadlines.original-end"),
            w("workbook.deadlines.deadline"),
            w("workbook.word.concerns"),
            w("workbook.deadlines.rule"),
            w("text.deadlines.head.source"),
            w("text.deadlines.head.status"),
            w("workbook.deadlines.shift-reason"),
            w("workbook.deadlines.done-on"),
            w("workbook.deadlines.action"),
            w("workbook.word.note"),
        ]
    )
    for d in report.deadlines:
        s.add(
            [
                _Day(d.end, s.formats.weekday),
                d.raw_end,
                d.end,
                d.original_end,
                d.title_in(lang),
                d.subject_in(lang),
                d.rule_in(lang),
                d.legal_source,
                w(f"deadline-status.{d.status.value}"),
                d.shift_reason_in(lang),
                d.submitted_on,
                _yes(w, d.action_required),
                d.note_in(lang),
            ]
        )
    ws.auto_filter.ref = f"A{header}:M{max(s.row - 1, header)}"
    _page(s, report, title_rows="1:2", freeze="B3")
