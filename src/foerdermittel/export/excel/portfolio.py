"""The portfolio's workbook: all of a city's grants on one key date, deterministic bytes.

Six sheets lay out a [`PortfolioReport`][foerdermittel.portfolio.PortfolioReport]:

* **Übersicht** (Overview) — the city, the key date, and per grant its controlling figures
  (approved, eligible, spent, received, calls planned, not called, the rates, pre-financed,
  lapsed and carried annual instalments, refund and interest, the refund at risk, errors,
  warnings, whether it reconciles), its owner and its place in the budget, with a total row;
* **Eigenanteil** (Own share) — per budget year and per product: the own share (cash, in kind,
  consumptive, investive), the figure compared, the appropriation and its basis, the headroom
  and the excess; and the own share per grant and year;
* **Vorfinanzierung** (Pre-financing) — per month, the total and each grant's part, with a
  line chart (`portfolio_sheets`);
* **Fristen** (Deadlines), **Feststellungen** (Findings, with the double claims) and
  **Abstimmung** (Reconciliation) (`portfolio_sheets`).

Sums and differences are live formulas — ``SUM`` of a range, ``+``/``−`` of cells, nothing
else (`formulas`) — with the library's figure beside them (headed ``laut Berechnung``) where
the report has one; the package stores every formula's value, so a reader that does not
calculate sees the totals. The same report gives the same bytes: the zip entries and the
document's dates carry the key date. User text is stored as text.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import (
    _BOLD,
    _Formula,
    _page_on,
    _properties,
    _rate,
    _Sheet,
    _Value,
    _yes,
)
from foerdermittel.export.excel.package import _save
from foerdermittel.export.excel.portfolio_sheets import (
    _findings,
    _portfolio_deadlines,
    _portfolio_reconciliation,
    _prefinancing,
)
from foerdermittel.export.written import WrittenPortfolioWorkbook
from foerdermittel.io.atomic import write_atomic
from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.portfolio import PortfolioReport

__all__ = ["PORTFOLIO_SHEETS", "portfolio_sheet_names", "portfolio_to_bytes", "write_portfolio"]

_SHEET_KEYS = ("overview", "own-share", "prefinancing", "deadlines", "findings", "reconciliation")

PORTFOLIO_SHEETS = (
    "Übersicht",
    "Eigenanteil",
    "Vorfinanzierung",
    "Fristen",
    "Feststellungen",
    "Abstimmung",
)
"""The sheets of the German portfolio workbook, in order."""


def portfolio_sheet_names(lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """The portfolio workbook's sheets in a language, in order.

    Examples:
        >>> portfolio_sheet_names() == PORTFOLIO_SHEETS, portfolio_sheet_names("en")[2]
        (True, 'Pre-financing')
    """
    w = Words(lang)
    return tuple(w(f"portfolio.workbook.sheet.{key}") for key in _SHEET_KEYS)


_CONTROLLING = (
    "approved",
    "eligible",
    "spent",
    "called",
    "planned-calls",
    "uncalled",
    "not-called-forecast",
    "called-rate",
    "spent-rate",
    "prefinanced",
    "lapsed",
    "carried",
    "refund",
    "refund-interest",
    "late-use-interest",
    "refund-at-risk",
)
_INFO = ("grant", "title", "programme", "office", "person", "product", "cost-centre", "kind")
_TAIL = ("errors", "warnings", "reconciled")


def _column(name: str) -> str:
    """The letter of a column of the overview's grant table, by its heading key."""
    order = (*_INFO, *_CONTROLLING, *_TAIL)
    return get_column_letter(order.index(name) + 1)


def _overview(ws: Worksheet, report: PortfolioReport, w: Words) -> None:
    widths = [30, 36, 22, 30, 26, 12, 12, 12, *([17] * len(_CONTROLLING)), 8, 10, 10]
    s = _Sheet(ws, w, widths, wrap={2, 4, 5})
    s.title(report.title or report.city.name)
    s.skip()
    s.add([w("portfolio.workbook.city"), f"{report.city.name} ({report.city.land})"], font=None)
    s.add([w("portfolio.workbook.as-of"), report.as_of])
    s.add([w("portfolio.workbook.grants"), len(report.grants)])
    compared = w(f"portfolio.compared.{report.appropriations_cover}")
    s.add([w("portfolio.workbook.compared"), compared])
    for row in range(3, s.row):
        ws.cell(row=row, column=1).font = _BOLD
    s.skip()
    s.section(w("portfolio.workbook.controlling"))
    header = s.header([w(f"portfolio.workbook.head.{c}") for c in (*_INFO, *_CONTROLLING, *_TAIL)])
    infos = {g.key: g for g in report.grants}
    money = {
        name: _column(name) for name in _CONTROLLING if name not in {"called-rate", "spent-rate"}
    }
    for c in report.controlling:
        info = infos[c.grant]
        r = s.row
        approved, called = f"{money['approved']}{r}", f"{money['called']}{r}"
        risk = "+".join(
            f"{money[k]}{r}" for k in ("refund", "refund-interest", "late-use-interest")
        )
        s.add(
            [
                c.grant,
                info.title,
                info.programme,
                info.owner.office,
                info.owner.person,
                info.budget.product,
                info.budget.cost_centre,
                w(f"portfolio.workbook.kind.{info.budget.kind.value}"),
                c.approved,
                c.eligible_expenditure,
                c.spent,
                c.called,
                c.planned_calls,
                _Formula(f"{approved}-{called}", value=c.uncalled),
                c.not_called_forecast,
                _rate(c.called_rate),
                _rate(c.spent_rate),
                c.prefinanced,
                c.lapsed,
                c.carried,
                c.refund,
                c.refund_interest,
                c.late_use_interest,
                _Formula(risk, value=c.refund_at_risk),
                c.errors,
                c.warnings,
                _yes(w, c.reconciled),
            ]
        )
    last = s.row - 1
    if last > header:
        totals: list[_Value] = [w("text.total"), *([None] * (len(_INFO) - 1))]
        for name in _CONTROLLING:
            if name in money:
                letter = money[name]
                totals.append(_Formula(f"SUM({letter}{header + 1}:{letter}{last})"))
            else:
                totals.append(None)
        for name in ("errors", "warnings"):
            letter = _column(name)
            totals.append(_Formula(f"SUM({letter}{header + 1}:{letter}{last})", "0"))
        s.total(totals)
    ws.auto_filter.ref = f"A{header}:{_column('reconciled')}{max(last, header)}"
    _page_on(s, report.as_of, title_rows=f"{header}:{header}", freeze=f"B{header + 1}")


def _headroom(r: int, appropriation: Decimal | None, excess: Decimal) -> _Value:
    """Appropriation − compared (columns J and H of the own-share tables); empty without one."""
    if appropriation is None:
        return None
    return _Formula(f"J{r}-H{r}", value=-excess if excess else None)


def _own_share(ws: Worksheet, report: PortfolioReport, w: Words) -> None:
    s = _Sheet(ws, w, [14, 12, 18, 18, 18, 18, 18, 18, 18, 18, 22, 18, 18, 18], wrap={11})
    s.title(w("portfolio.workbook.years"))
    columns = (
        "year",
        "product",
        "own-share",
        "cash",
        "in-kind",
        "consumptive",
        "investive",
        "compared",
        "ineligible",
        "appropriation",
        "basis",
        "headroom",
        "excess",
    )
    header = s.header([w(f"portfolio.workbook.head.{c}") for c in columns])
    for y in report.years:
        r = s.row
        basis = w(f"portfolio.basis-short.{y.basis.value}") if y.basis is not None else None
        s.add(
            [
                y.year,
                None,
                _Formula(f"D{r}+E{r}", value=y.own_share),
                y.cash,
                y.in_kind,
                y.consumptive,
                y.investive,
                y.compared,
                y.ineligible,
                y.appropriation,
                basis,
                _headroom(r, y.appropriation, y.excess),
                y.excess,
            ]
        )
    last = s.row - 1
    if last > header:
        s.total(
            [
                w("text.sum"),
                None,
                *(_Formula(f"SUM({c}{header + 1}:{c}{last})") for c in "CDEFGHIJ"),
            ]
        )
    s.skip()
    s.add([w("portfolio.workbook.headroom-note")])
    s.skip()
    s.section(w("portfolio.workbook.products"))
    top = s.header([w(f"portfolio.workbook.head.{c}") for c in columns])
    for p in report.products:
        r = s.row
        basis = w(f"portfolio.basis-short.{p.basis.value}") if p.basis is not None else None
        s.add(
            [
                p.year,
                p.product,
                _Formula(f"D{r}+E{r}", value=p.own_share),
                p.cash,
                p.in_kind,
                p.consumptive,
                p.investive,
                p.compared,
                p.ineligible,
                p.appropriation,
                basis,
                _headroom(r, p.appropriation, p.excess),
                p.excess,
            ]
        )
    ws.auto_filter.ref = f"A{top}:M{max(s.row - 1, top)}"
    s.skip()
    _grant_years(s, report, w)
    _page_on(s, report.as_of, title_rows="1:2", freeze="C3")


def _grant_years(s: _Sheet, report: PortfolioReport, w: Words) -> None:
    """The own share per grant (rows) and budget year (columns), with the sums per year."""
    s.section(w("portfolio.workbook.grant-years"))
    years = [y.year for y in report.years]
    s.header([w("portfolio.workbook.head.grant"), *(str(y) for y in years)])
    first = s.row
    for info in report.grants:
        s.add(
            [info.key, *(y.grants.get(info.key) for y in report.years)],
        )
    last = s.row - 1
    if last >= first:
        s.total(
            [
                w("text.sum"),
                *(
                    _Formula(
                        f"SUM({get_column_letter(i)}{first}:{get_column_letter(i)}{last})",
                        value=y.own_share,
                    )
                    for i, y in enumerate(report.years, 2)
                ),
            ]
        )


def _stamp(report: PortfolioReport) -> datetime:
    """The document's date: the key date at 00:00, never the clock."""
    return datetime.combine(max(report.as_of, date(1980, 1, 1)), time(0, 0))


def portfolio_to_bytes(report: PortfolioReport, *, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The portfolio as an .xlsx workbook (bytes); the same report gives the same bytes.

    Raises:
        NotFoundError: for a language without a catalogue.

    Examples:
        >>> from foerdermittel import evaluate_portfolio, load_portfolio
        >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                             date(2025, 6, 30))
        >>> data = portfolio_to_bytes(report)
        >>> data == portfolio_to_bytes(report), data[:2]
        (True, b'PK')
    """
    return _save(_portfolio_workbook(report, Words(lang)), _stamp(report))


def _portfolio_workbook(report: PortfolioReport, w: Words) -> Workbook:
    """The workbook of the portfolio's sheets, before it is saved."""
    lang = w.lang
    wb = Workbook()
    first = wb.active
    assert isinstance(first, Worksheet)
    titles = portfolio_sheet_names(lang)
    first.title = titles[0]
    sheets = [first, *(wb.create_sheet(title) for title in titles[1:])]
    _overview(sheets[0], report, w)
    _own_share(sheets[1], report, w)
    _prefinancing(sheets[2], report, w)
    _portfolio_deadlines(sheets[3], report, w)
    _findings(sheets[4], report, w)
    _portfolio_reconciliation(sheets[5], report, w)
    stamp = _stamp(report)
    title = report.title or report.city.name
    _properties(
        wb,
        stamp,
        w("portfolio.workbook.title", title=title, day=report.as_of),
        w("portfolio.workbook.subject"),
        w,
    )
    wb.active = 0
    return wb


def write_portfolio(
    report: PortfolioReport,
    path: str | os.PathLike[str] | IO[bytes],
    *,
    lang: str = DEFAULT_LANGUAGE,
) -> WrittenPortfolioWorkbook:
    """Write the portfolio's workbook: to a file atomically, or to a binary stream.

    Args:
        report: the evaluated portfolio.
        path: the file to write (temporary name, then renamed), or a binary stream such as
            ``sys.stdout.buffer``.
        lang: the language of the workbook: ``de`` (the default) or ``en``.

    Returns:
        What was written: the file (``None`` for a stream), its size, its sheets, its grants.

    Raises:
        OSError: the folder does not exist or cannot be written.
        NotFoundError: for a language without a catalogue.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from foerdermittel import evaluate_portfolio, load_portfolio
        >>> report = evaluate_portfolio(load_portfolio("examples/portfolio/portfolio.toml"),
        ...                             date(2025, 6, 30))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     written = write_portfolio(report, Path(folder) / "portfolio.xlsx")
        >>> written.sheets, written.grants
        (6, 4)
    """
    data = portfolio_to_bytes(report, lang=lang)
    target: str | None = None
    if isinstance(path, str | os.PathLike):
        target = os.fspath(path)
        write_atomic(target, data)
    else:
        path.write(data)
        path.flush()
    return WrittenPortfolioWorkbook(
        path=target, size=len(data), sheets=len(_SHEET_KEYS), grants=len(report.grants)
    )
