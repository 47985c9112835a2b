"""The Eigenanteil: the own share per budget year against the council's budget."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import _Formula, _page, _Sheet, _Value
from foerdermittel.messages import Words
from foerdermittel.report import Report


def _own_share(ws: Worksheet, report: Report, w: Words) -> None:
    years = report.own_share.years
    s = _Sheet(ws, w, [14, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18])
    s.title(w("workbook.own-share.title"))
    header = s.header(
        [
            w("workbook.own-share.year"),
            w("workbook.own-share.expenditure"),
            w("workbook.own-share.grant-share"),
            w("workbook.own-share.third-party-share"),
            w("workbook.word.own-share"),
            w("text.own-share.head.in-kind"),
            w("workbook.own-share.cash"),
            w("workbook.own-share.ineligible"),
            w("workbook.own-share.prefinanced"),
            w("workbook.own-share.budgeted"),
            w("workbook.own-share.gap"),
        ]
    )
    for year in years:
        r = s.row
        s.add(
            [
                year.year,
                year.expenditure,
                year.grant_share,
                year.third_party_share,
                year.own_share,
                year.in_kind,
                year.cash,
                year.ineligible,
                year.max_prefinanced,
                year.budgeted,
                _Formula(f"E{r}+H{r}-J{r}") if year.budgeted is not None else None,
            ]
        )
    last = s.row - 1
    ws.auto_filter.ref = f"A{header}:K{max(last, header)}"
    if years:
        budgeted = any(y.budgeted is not None for y in years)
        sums: list[_Value] = [w("text.sum")]
        for column in range(2, 12):
            letter = get_column_letter(column)
            if column == 9 or (column > 9 and not budgeted):
                sums.append(None)  # the highest pre-financing of a year does not add up
            else:
                sums.append(_Formula(f"SUM({letter}{header + 1}:{letter}{last})"))
        s.total(sums)
    s.skip()
    s.add([w("workbook.own-share.gap-note")])
    s.add([w("workbook.own-share.prefinanced-note")])
    _page(s, report, title_rows="1:2", freeze="B3")
