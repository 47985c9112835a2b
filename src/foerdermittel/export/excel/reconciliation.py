"""The Abstimmung: every reconciliation check with both figures and the difference."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel import fmt
from foerdermittel.export.excel.cells import (
    CHECK,
    DAYS_FORMAT,
    MONEY_FORMAT,
    _Formula,
    _Number,
    _page,
    _Sheet,
    _Value,
    _yes,
)
from foerdermittel.report import Report


def _reconciliation(ws: Worksheet, report: Report) -> None:
    result = report.reconciliation
    s = _Sheet(ws, [22, 24, 50, 18, 18, 18, 18, 11, 9, 36, 44], wrap={3, 10, 11})
    failed = len(result.failures)
    verdict = (
        "alle stimmen"
        if result.ok
        else f"{fmt.number(failed)} von {fmt.number(len(result.checks))} stimmen nicht"
    )
    s.title(f"Abstimmung (Stichtag {fmt.date(report.as_of)}): {verdict}")
    header = s.header(
        [
            "Prüfung",
            "betrifft",
            "Bezeichnung",
            "erwartet",
            "ermittelt",
            "Differenz",
            CHECK,
            "Vergleich",
            "stimmt",
            "Grundlage",
            "Hinweis",
        ]
    )
    for check in result.checks:
        r = s.row
        days = check.unit == "days"

        def figure(value: Decimal, *, days: bool = days) -> _Value:
            return _Number(int(value), DAYS_FORMAT) if days else value

        s.add(
            [
                check.name,
                check.subject,
                check.title,
                figure(check.expected),
                figure(check.actual),
                _Formula(f"E{r}-D{r}", DAYS_FORMAT if days else MONEY_FORMAT),
                figure(check.difference),
                "gleich" if check.relation == "eq" else "höchstens",
                _yes(check.ok),
                check.legal_reference,
                check.note,
            ]
        )
    ws.auto_filter.ref = f"A{header}:K{max(s.row - 1, header)}"
    s.skip()
    s.add(["Differenz: ermittelt − erwartet, auf den Cent; eine Abweichung ist ein Fehler."])
    _page(ws, report, title_rows="1:2", freeze="D3")
