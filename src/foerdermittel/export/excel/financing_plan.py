"""The Finanzierungsplan: budget lines × budget years per phase, with subtotals and sources."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import _Formula, _page, _Sheet, _Value
from foerdermittel.messages import Words
from foerdermittel.report import Report


def _financing_plan(ws: Worksheet, report: Report, w: Words) -> None:
    plan = report.plan
    years = sorted({year for line in plan.lines for year in line.amounts})
    first_year = 5
    total_col = first_year + len(years)
    widths = [10, 46, 18, 28, *([16] * len(years)), 18, 18]
    s = _Sheet(ws, w, widths, wrap={2, 4})
    s.title(w("workbook.financing-plan.title"))
    s.header(
        [
            w("workbook.word.line"),
            w("workbook.word.title"),
            w("workbook.financing-plan.category"),
            w("workbook.financing-plan.group"),
            *map(str, years),
            w("text.sum"),
            s.check,
        ]
    )
    totals: list[int] = []
    flats = {flat.line: flat for flat in report.flat_rates}
    last_year_col = get_column_letter(total_col - 1)
    for phase in report.grant.phases:
        lines = [line for line in plan.lines if line.phase == phase.id]
        s.section(w("workbook.financing-plan.phase", phase=phase.id, title=phase.title))
        top = s.row
        for line in lines:
            r = s.row
            amounts: list[_Value] = [line.amounts.get(year) for year in years]
            category = w(f"cost-category.{line.category.value}")
            flat = flats.get(line.id)
            if flat is not None:  # a flat rate shows its rate and base beside its category
                category = w("flat-rate.category", category=category, shown=flat.shown)
            s.add(
                [
                    line.id,
                    line.title,
                    category,
                    line.group,
                    *amounts,
                    _Formula(
                        f"SUM({get_column_letter(first_year)}{r}:{last_year_col}{r})",
                        value=line.total,
                    ),
                    line.total,
                ]
            )
        bottom = s.row - 1
        sums: list[_Value] = [w("workbook.financing-plan.phase-total", phase=phase.id)]
        sums += [None, None, None]
        eligible = report.financing.phase(phase.id).eligible_expenditure
        for column in range(first_year, total_col + 1):
            letter = get_column_letter(column)
            figure = eligible if column == total_col else None
            sums.append(
                _Formula(f"SUM({letter}{top}:{letter}{bottom})", value=figure)
                if lines
                else Decimal(0)
            )
        sums.append(eligible)
        totals.append(s.total(sums))
    grand: list[_Value] = [w("workbook.financing-plan.total"), None, None, None]
    for column in range(first_year, total_col + 1):
        letter = get_column_letter(column)
        figure = report.financing.eligible_expenditure if column == total_col else None
        grand.append(_Formula("+".join(f"{letter}{r}" for r in totals), value=figure))
    grand.append(report.financing.eligible_expenditure)
    s.total(grand)
    if plan.sources:
        s.skip()
        s.section(w("workbook.financing-plan.sources"))
        s.header(
            [
                w("workbook.word.id"),
                w("workbook.financing-plan.source"),
                w("workbook.word.kind"),
                w("workbook.word.phase"),
                w("workbook.word.amount"),
            ]
        )
        top = s.row
        for source in plan.sources:
            kind = w(f"source-kind.{source.kind.value}")
            s.add([source.id, source.title, kind, source.phase, source.amount])
        s.total([w("text.sum"), None, None, None, _Formula(f"SUM(E{top}:E{s.row - 1})")])
    _page(s, report, title_rows="1:2", freeze="C3")
