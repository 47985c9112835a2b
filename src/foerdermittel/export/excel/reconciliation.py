"""The Abstimmung: every reconciliation check with both figures and the difference."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import (
    MONEY_FORMAT,
    _Formula,
    _Number,
    _page,
    _Sheet,
    _Value,
    _yes,
)
from foerdermittel.messages import Message, Words
from foerdermittel.reconciliation import NO_RULE, Reconciliation
from foerdermittel.report import Report


def _verdict(result: Reconciliation) -> Message:
    """All checks agree, or how many of how many failed: the sheet title's verdict."""
    if result.ok:
        return Message.of("workbook.reconciliation.all-agree")
    return Message.of(
        "workbook.reconciliation.failed", count=len(result.failures), total=len(result.checks)
    )


def _reconciliation(ws: Worksheet, report: Report, w: Words) -> None:
    result = report.reconciliation
    s = _Sheet(ws, w, [22, 24, 50, 18, 18, 18, 18, 11, 9, 36, 44], wrap={3, 10, 11})
    days_format = s.formats.days
    s.title(w("workbook.reconciliation.title", day=report.as_of, verdict=_verdict(result)))
    header = s.header(
        [
            w("workbook.reconciliation.check"),
            w("workbook.word.concerns"),
            w("workbook.reconciliation.what"),
            w("workbook.reconciliation.expected"),
            w("workbook.reconciliation.actual"),
            w("workbook.word.difference"),
            s.check,
            w("workbook.reconciliation.relation"),
            w("workbook.reconciliation.ok"),
            w("workbook.reconciliation.basis"),
            w("workbook.word.note"),
        ]
    )
    relations = {relation: w(f"workbook.reconciliation.{relation}") for relation in ("eq", "le")}
    no_rule = w("workbook.reconciliation.no-rule")  # the check follows no rule but itself
    for check in result.checks:
        r = s.row
        days = check.unit == "days"

        def figure(value: Decimal, *, days: bool = days) -> _Value:
            return _Number(int(value), days_format) if days else value

        s.add(
            [
                check.name,
                w.of(check.place),
                w.of(check.what),
                figure(check.expected),
                figure(check.actual),
                _Formula(
                    f"E{r}-D{r}",
                    days_format if days else MONEY_FORMAT,
                    value=int(check.difference) if days else check.difference,
                ),
                figure(check.difference),
                relations[check.relation],
                _yes(w, check.ok),
                no_rule if check.legal_reference == NO_RULE else check.legal_reference,
                w.of(check.how) if check.how.key else None,
            ]
        )
    ws.auto_filter.ref = f"A{header}:K{max(s.row - 1, header)}"
    s.skip()
    s.add([w("workbook.reconciliation.difference-note")])
    _page(s, report, title_rows="1:2", freeze="D3")
