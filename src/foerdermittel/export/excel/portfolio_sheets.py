"""The portfolio workbook's sheets of months, dates and checks.

Vorfinanzierung (pre-financing per month, each grant's part, with a line chart), Fristen
(every grant's deadlines in one list, with the owner), Feststellungen (the portfolio's
findings with their legal basis, and the double claims voucher by voucher) and Abstimmung
(every check of the portfolio's reconciliation). The workbook is put together in
[`portfolio`][foerdermittel.export.excel.portfolio].
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import (
    MONEY_FORMAT,
    _Day,
    _Formula,
    _Number,
    _page_on,
    _Sheet,
    _Value,
    _yes,
)
from foerdermittel.export.excel.history import _month_chart
from foerdermittel.export.excel.reconciliation import _verdict
from foerdermittel.messages import Words
from foerdermittel.money import ZERO
from foerdermittel.portfolio import PortfolioReport
from foerdermittel.reconciliation import NO_RULE

__all__: list[str] = []


def _prefinancing(ws: Worksheet, report: PortfolioReport, w: Words) -> None:
    """Pre-financed money per month's end: the total, each grant's part, and a chart."""
    keys = [g.key for g in report.grants]
    s = _Sheet(ws, w, [11, 18, 18, *([18] * len(keys))], wrap=set())
    s.title(w("portfolio.workbook.prefinancing"))
    header = s.header(
        [
            w("portfolio.workbook.head.month"),
            w("portfolio.workbook.head.total"),
            w("portfolio.workbook.head.continued"),
            *keys,
        ]
    )
    last_letter = get_column_letter(3 + len(keys)) if keys else "C"
    for m in report.prefinancing:
        r = s.row
        continued = sum(m.continued.values(), ZERO)
        parts: list[_Value] = [m.grants.get(key) for key in keys]
        s.add(
            [
                _Day(m.month, s.formats.month),
                _Formula(f"SUM(D{r}:{last_letter}{r})", value=m.total) if keys else m.total,
                continued if continued else None,
                *parts,
            ]
        )
    last = s.row - 1
    ws.auto_filter.ref = f"A{header}:{last_letter}{max(last, header)}"
    s.skip()
    s.add([w("portfolio.workbook.prefinancing-note")])
    if last > header:
        _month_chart(
            ws,
            w,
            w("portfolio.workbook.prefinancing-chart"),
            s.formats.month,
            w("portfolio.workbook.head.month"),
            Reference(ws, min_col=2, max_col=2, min_row=header, max_row=last),
            Reference(ws, min_col=1, min_row=header + 1, max_row=last),
            f"{get_column_letter(5 + len(keys))}3",
        )
    _page_on(s, report.as_of, title_rows="1:2", freeze="B3")


def _portfolio_deadlines(ws: Worksheet, report: PortfolioReport, w: Words) -> None:
    """Every grant's deadlines in one list, by date, with the grant and its owner."""
    lang = w.lang
    s = _Sheet(ws, w, [19, 30, 44, 18, 14, 11, 34, 28, 36], wrap={3, 7, 8, 9})
    s.title(w("portfolio.workbook.deadlines", day=report.as_of))
    columns = (
        "date",
        "grant",
        "deadline",
        "concerns",
        "status",
        "action",
        "office",
        "person",
        "source",
    )
    header = s.header([w(f"portfolio.workbook.head.{c}") for c in columns])
    for item in report.deadlines:
        d = item.deadline
        status = w(f"deadline-status.{d.status.value}")
        if d.submitted_on is not None:
            status += f" ({w.date(d.submitted_on)})"
        s.add(
            [
                _Day(d.end, s.formats.weekday),
                item.grant,
                d.title_in(lang),
                d.subject_in(lang),
                status,
                _yes(w, d.calls_for_action),
                item.owner.office,
                item.owner.person,
                d.legal_source,
            ]
        )
    ws.auto_filter.ref = f"A{header}:I{max(s.row - 1, header)}"
    _page_on(s, report.as_of, title_rows="1:2", freeze="B3")


def _findings(ws: Worksheet, report: PortfolioReport, w: Words) -> None:
    """The portfolio's findings with their legal basis, then the double claims in full."""
    lang = w.lang
    s = _Sheet(ws, w, [12, 30, 70, 50, 18, 18, 18, 30, 18, 12, 18, 30], wrap={2, 3, 4, 12})
    s.title(w("portfolio.workbook.findings"))
    columns = ("severity", "subject", "message", "source")
    s.header([w(f"portfolio.workbook.head.{c}") for c in columns])
    for f in report.findings:
        s.add(
            [
                w(f"severity.{f.severity.value}"),
                f.subject_in(lang),
                f.message_in(lang),
                f.legal_reference,
            ]
        )
    if not report.findings:
        s.add([w("portfolio.workbook.findings-none")])
    s.skip()
    s.add([w("portfolio.workbook.findings-grants")])
    s.skip()
    s.section(w("portfolio.workbook.double-claims"))
    claim_columns = (
        "grant",
        "voucher",
        "line",
        "payee",
        "paid-on",
        "amount",
        "invoice",
        "other-grant",
        "other-voucher",
        "other-line",
        "other-amount",
        "matched-on",
    )
    s.header([w(f"portfolio.workbook.head.{c}") for c in claim_columns])
    for claim in report.double_claims:
        v, o = claim.voucher, claim.other_voucher
        s.add(
            [
                claim.grant,
                v.id,
                v.line,
                v.payee,
                v.paid_on,
                v.amount,
                v.invoice_number,
                claim.other_grant,
                o.id,
                o.line,
                o.amount,
                w(f"portfolio.workbook.matched.{claim.matched_on}"),
            ]
        )
    if not report.double_claims:
        s.add([w("portfolio.workbook.double-claims-none")])
    _page_on(s, report.as_of, title_rows="1:2", freeze="A3")


def _portfolio_reconciliation(ws: Worksheet, report: PortfolioReport, w: Words) -> None:
    """Every check of the portfolio's Abstimmung with both figures and the difference."""
    result = report.reconciliation
    s = _Sheet(ws, w, [30, 30, 50, 18, 18, 18, 18, 9, 24], wrap={3})
    s.title(w("portfolio.workbook.reconciliation", day=report.as_of, verdict=_verdict(result)))
    header = s.header(
        [
            w("workbook.reconciliation.check"),
            w("workbook.word.concerns"),
            w("workbook.reconciliation.what"),
            w("workbook.reconciliation.expected"),
            w("workbook.reconciliation.actual"),
            w("workbook.word.difference"),
            s.check,
            w("workbook.reconciliation.ok"),
            w("workbook.reconciliation.basis"),
        ]
    )
    no_rule = w("workbook.reconciliation.no-rule")
    for check in result.checks:
        r = s.row
        count = check.unit != "EUR"

        def figure(value: Decimal, *, count: bool = count) -> _Value:
            return _Number(int(value), "0") if count else value

        s.add(
            [
                check.name,
                w.of(check.place),
                w.of(check.what),
                figure(check.expected),
                figure(check.actual),
                _Formula(
                    f"E{r}-D{r}",
                    "0" if count else MONEY_FORMAT,
                    value=int(check.difference) if count else check.difference,
                ),
                figure(check.difference),
                _yes(w, check.ok),
                no_rule if check.legal_reference == NO_RULE else check.legal_reference,
            ]
        )
    ws.auto_filter.ref = f"A{header}:I{max(s.row - 1, header)}"
    _page_on(s, report.as_of, title_rows="1:2", freeze="D3")
