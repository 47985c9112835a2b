"""The Finanzierungsplan: budget lines × budget years per phase, with subtotals and sources."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import CHECK, _Formula, _page, _Sheet, _Value
from foerdermittel.report import Report


def _financing_plan(ws: Worksheet, report: Report) -> None:
    plan = report.plan
    years = sorted({year for line in plan.lines for year in line.amounts})
    first_year = 5
    total_col = first_year + len(years)
    widths = [10, 46, 18, 28, *([16] * len(years)), 18, 18]
    s = _Sheet(ws, widths, wrap={2, 4})
    s.title("Finanzierungsplan — zuwendungsfähige Ausgaben je Einzelansatz und Haushaltsjahr")
    s.header(["Ansatz", "Bezeichnung", "Kostenart", "Gruppe", *map(str, years), "Summe", CHECK])
    totals: list[int] = []
    last_year_col = get_column_letter(total_col - 1)
    for phase in report.grant.phases:
        lines = [line for line in plan.lines if line.phase == phase.id]
        s.section(f"Phase {phase.id} — {phase.title}")
        top = s.row
        for line in lines:
            r = s.row
            amounts: list[_Value] = [line.amounts.get(year) for year in years]
            s.add(
                [
                    line.id,
                    line.title,
                    line.category.german,
                    line.group,
                    *amounts,
                    _Formula(f"SUM({get_column_letter(first_year)}{r}:{last_year_col}{r})"),
                    line.total,
                ]
            )
        bottom = s.row - 1
        sums: list[_Value] = [f"Summe Phase {phase.id}", None, None, None]
        for column in range(first_year, total_col + 1):
            letter = get_column_letter(column)
            sums.append(_Formula(f"SUM({letter}{top}:{letter}{bottom})") if lines else Decimal(0))
        sums.append(report.financing.phase(phase.id).eligible_expenditure)
        totals.append(s.total(sums))
    grand: list[_Value] = ["Summe gesamt", None, None, None]
    for column in range(first_year, total_col + 1):
        letter = get_column_letter(column)
        grand.append(_Formula("+".join(f"{letter}{r}" for r in totals)))
    grand.append(report.financing.eligible_expenditure)
    s.total(grand)
    if plan.sources:
        s.skip()
        s.section("Deckungsmittel außer dieser Zuwendung")
        s.header(["Kennung", "Geber / Bezeichnung", "Art", "Phase", "Betrag"])
        top = s.row
        for source in plan.sources:
            s.add([source.id, source.title, source.kind.german, source.phase, source.amount])
        s.total(["Summe", None, None, None, _Formula(f"SUM(E{top}:E{s.row - 1})")])
    _page(ws, report, title_rows="1:2", freeze="C3")
