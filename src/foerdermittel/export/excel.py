"""Excel export of a report: one workbook (.xlsx) for the grant manager and the funder.

Sheets, all labelled in German:

* **Übersicht** — the decision (recipient, funder, programme, file number, phases, rate,
  Höchstbetrag, rulebook, overrides, amendments), the key figures and the findings;
* **Finanzierungsplan** — budget lines × budget years, per phase, with subtotals;
* **Mittelabrufplan** — every call, paid out or planned, with the running sum per phase;
* **Verlauf** — planned and actual/forecast expenditure and the calls, cumulated per month,
  with a line chart;
* **Eigenanteil** — the own share per budget year against the council's budget;
* **Fristen** — every deadline with its rule, source, shift and status;
* **Zahlenmäßiger Nachweis** — income, expenditure and payment blocks of the proof of use and
  the interim proof per budget year in the federal layout (columns 2, 3, 5, 6; rows 14–20);
* **Abstimmung** — every reconciliation check with both figures and the difference;
* **Belegliste** — the vouchers that count, then those excluded, with the reason.

The figures are the library's: the exporter only lays them out. Amounts are written as numbers
with the format ``#,##0.00 "€"`` and dates as dates (``DD.MM.YYYY``); Excel and LibreOffice
show them the German way. Totals a funder checks are live formulas (``=SUM(...)``) with the
library's figure beside them, headed ``laut Berechnung``. User text (names, titles, purposes)
is always stored as text: a recipient called ``=HYPERLINK(...)`` stays those characters.

The same report gives the same bytes: the document's dates are the key date, every zip entry
carries the same timestamp, and nothing depends on the clock. The Belegliste is streamed into
the package row by row (inline strings, the styles openpyxl registered for the same formats),
so a ledger of 100,000 vouchers needs no workbook model in memory.
[`write`][foerdermittel.export.excel.write] builds the file in memory and renames it into place,
so an error never leaves half a workbook.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import DateAxis
from openpyxl.chart.legend import Legend
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from foerdermittel import fmt
from foerdermittel.drawdowns import monthly_flows
from foerdermittel.errors import FoerdermittelError
from foerdermittel.export.written import WrittenWorkbook
from foerdermittel.io.atomic import write_atomic
from foerdermittel.model.grant import LAENDER
from foerdermittel.model.records import Expenditure
from foerdermittel.proof_of_use import ProofOfUse
from foerdermittel.report import Report
from foerdermittel.rules.model import CapBasis
from foerdermittel.vouchers import ExcludedVoucher

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

__all__ = [
    "CHECK",
    "DATE_FORMAT",
    "DAYS_FORMAT",
    "MONEY_FORMAT",
    "PERCENT_FORMAT",
    "SHEETS",
    "VOUCHER_COLUMNS",
    "WEEKDAY_FORMAT",
    "WorkbookTooLargeError",
    "to_bytes",
    "write",
]


class WorkbookTooLargeError(FoerdermittelError, ValueError):
    """The Belegliste has more rows than a worksheet holds (1.048.576): the input's size."""


MONEY_FORMAT = '#,##0.00 "€"'
"""Number format of amounts (en-US code syntax; Excel shows ``1.234,56 €`` in German)."""

DATE_FORMAT = "DD.MM.YYYY"
"""Number format of dates."""

WEEKDAY_FORMAT = "[$-407]DDD, DD.MM.YYYY"
"""Number format of a deadline's day with its German weekday (``Mo, 02.03.2026``)."""

MONTH_FORMAT = "MM.YYYY"
"""Number format of months."""

PERCENT_FORMAT = "0.00%"
"""Number format of percentages (0.1 shows as ``10,00 %``)."""

DAYS_FORMAT = '0 "Tage"'
"""Number format of day counts (the Abstimmung of call periods)."""

CHECK = "laut Berechnung"
"""Heading of the library's figure beside a formula (column header or row label)."""

SHEETS = (
    "Übersicht",
    "Finanzierungsplan",
    "Mittelabrufplan",
    "Verlauf",
    "Eigenanteil",
    "Fristen",
    "Zahlenmäßiger Nachweis",
    "Abstimmung",
    "Belegliste",
)
"""The sheets, in order."""

_MAX_TEXT = 32_767  # Excel's limit for the text of one cell
_MAX_ROWS = 1_048_576
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_TITLE = Font(name="Calibri", family=2, size=14, bold=True)
_BOLD = Font(name="Calibri", family=2, size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_RULE = Border(top=Side(style="thin"), bottom=Side(style="thin"))
_TOTAL = Border(top=Side(style="thin"))

_CALL_KIND = {"recorded": "ausgezahlt", "planned": "geplant"}
_VOUCHER_KIND = {"expenditure": "Ausgabe", "credit": "Gutschrift"}
_CHECK_NAME = {
    "outside-period": "außerhalb des Bewilligungszeitraums",
    "duplicate-voucher": "doppelt erfasst",
    "sign": "Ausgabe negativ",
    "credit-sign": "Gutschrift positiv",
    "net-above-gross": "netto über brutto",
    "net-sign": "netto mit anderem Vorzeichen",
    "net-missing": "ohne Nettobetrag",
}


# --- cell values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Formula:
    """A formula (English function names, comma separators), without the leading ``=``."""

    text: str
    number_format: str = MONEY_FORMAT


@dataclass(frozen=True)
class _Number:
    """A number with an explicit format (percentages)."""

    value: Decimal | int
    number_format: str


@dataclass(frozen=True)
class _Day:
    """A date with an explicit format (with weekday, month only)."""

    value: date
    number_format: str


_Value = str | Decimal | int | date | _Formula | _Number | _Day | None


def _clean(text: str) -> str:
    """Text as a cell can hold it: characters XML forbids replaced, cut at Excel's limit."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("\ufffd", text)
    return text[:_MAX_TEXT]


def _pct(value: Decimal | None) -> _Number | None:
    """A percentage the library gives in percent (``10.00``) as a fraction for ``0.00%``."""
    return None if value is None else _Number(value / 100, PERCENT_FORMAT)


def _rate(value: Decimal | None) -> _Number | None:
    """A rate (``0.65``): whole percents as ``65 %``, others with two places."""
    if value is None:
        return None
    whole = (value * 100) == (value * 100).to_integral_value()
    return _Number(value, "0%" if whole else PERCENT_FORMAT)


_NOT_COMPUTABLE = "nicht berechenbar"
"""The cell text for an interest figure that could not be computed (never 0,00 €)."""


def _refund_interest(proof: ProofOfUse) -> Decimal | str:
    """The refund interest, or "nicht berechenbar" where a phase's could not be computed."""
    return proof.refund_interest if proof.refund_interest_complete else _NOT_COMPUTABLE


def _late_use_interest(report: Report) -> Decimal | str:
    """The late-use interest, or "nicht berechenbar" where some could not be computed."""
    return report.interest.total if report.interest.complete else _NOT_COMPUTABLE


def _yes(flag: bool) -> str:  # noqa: FBT001 - a plain mapping
    return "ja" if flag else "nein"


def _wrapped_lines(text: str, capacity: int) -> int:
    """How many lines ``text`` takes when wrapped at word boundaries to ``capacity`` characters."""
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split(" "):
            need = len(word) + (1 if used else 0)
            if used and used + need > capacity:
                lines += 1 + (len(word) - 1) // capacity
                used = len(word) % capacity or capacity
            elif not used and len(word) > capacity:
                lines += (len(word) - 1) // capacity
                used = len(word) % capacity or capacity
            else:
                used += need
    return lines


class _Sheet:
    """A worksheet filled row by row.

    Every string goes in as text (``data_type = "s"``): openpyxl would otherwise take a
    leading ``=`` for a formula and ``#N/A`` for an error value. Rows with wrapped text get a
    height for their lines, since neither Excel nor LibreOffice fits rows when opening a file.
    """

    def __init__(self, ws: Worksheet, widths: Sequence[float], wrap: Iterable[int] = ()) -> None:
        self.ws = ws
        self.row = 1
        self.wrap = frozenset(wrap)
        self.widths = tuple(widths)
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width

    def _fit(self, row: int, column: int, text: str, *, bold: bool) -> None:
        """Make the row high enough for ``text`` wrapped in its column (an estimate)."""
        width = self.widths[column - 1] if column <= len(self.widths) else 10
        lines = _wrapped_lines(text, max(int(width * (1.0 if bold else 1.2)), 1))
        if lines > 1:
            dimension = self.ws.row_dimensions[row]
            dimension.height = max(dimension.height or 0, min(15 * lines, 409))

    def put(
        self, row: int, column: int, value: _Value, *, font: Font | None = None, wrap: bool = False
    ) -> None:
        """Write one value (nothing for ``None`` and empty text)."""
        if value is None or value == "":
            return
        cell = self.ws.cell(row=row, column=column)
        if isinstance(value, str):
            text = _clean(value)
            cell.value = text
            cell.data_type = "s"
            if wrap or column in self.wrap:
                cell.alignment = _WRAP
                self._fit(row, column, text, bold=font is not None and bool(font.bold))
            else:
                cell.alignment = _TOP
            if font is not None:
                cell.font = font
            return
        cell.alignment = _TOP
        if isinstance(value, _Formula):
            cell.value = "=" + value.text
            cell.number_format = value.number_format
        elif isinstance(value, _Number | _Day):
            cell.value = value.value
            cell.number_format = value.number_format
        elif isinstance(value, Decimal):
            cell.value = value
            cell.number_format = MONEY_FORMAT
        elif isinstance(value, date):
            cell.value = value
            cell.number_format = DATE_FORMAT
        else:
            cell.value = value
        if font is not None:
            cell.font = font

    def add(self, values: Sequence[_Value], *, font: Font | None = None, wrap: bool = False) -> int:
        """Write a row of values at the next row; return its number."""
        row = self.row
        for column, value in enumerate(values, 1):
            self.put(row, column, value, font=font, wrap=wrap)
        self.row += 1
        return row

    def title(self, text: str) -> int:
        """A sheet title (it runs on over the empty cells to its right)."""
        row = self.row
        self.put(row, 1, text, font=_TITLE)
        self.ws.cell(row=row, column=1).alignment = Alignment(vertical="center")
        self.ws.row_dimensions[row].height = 22
        self.row += 1
        return row

    def section(self, text: str) -> int:
        """A section heading."""
        row = self.row
        self.put(row, 1, text, font=_BOLD)
        self.ws.cell(row=row, column=1).fill = _SECTION_FILL
        self.row += 1
        return row

    def header(self, labels: Sequence[str]) -> int:
        """A header row: bold, shaded, wrapped."""
        row = self.add(list(labels), font=_BOLD, wrap=True)
        for column in range(1, len(labels) + 1):
            cell = self.ws.cell(row=row, column=column)
            cell.fill = _HEADER_FILL
            cell.border = _RULE
        return row

    def total(self, values: Sequence[_Value]) -> int:
        """A total row: bold with a rule above."""
        row = self.add(values, font=_BOLD)
        for column in range(1, len(values) + 1):
            self.ws.cell(row=row, column=column).border = _TOTAL
        return row

    def skip(self, rows: int = 1) -> None:
        """Leave rows empty."""
        self.row += rows


def _page(
    ws: Worksheet,
    report: Report,
    *,
    title_rows: str,
    freeze: str,
) -> None:
    """Print setup (A4 landscape, fit to width, repeated header rows, footer) and frozen panes."""
    ws.freeze_panes = freeze
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    footer = ws.oddFooter
    assert footer is not None  # openpyxl creates it with the sheet
    footer.left.text = "&A"
    footer.center.text = f"Stichtag {fmt.date(report.as_of)}"
    footer.right.text = "Seite &P von &N"


# --- Übersicht ------------------------------------------------------------------------------


def _overview(ws: Worksheet, report: Report) -> dict[str, str]:
    """The decision, the key figures and the findings; returns the cells of the defined names."""
    grant, fin, proof = report.grant, report.financing, report.proof_of_use
    s = _Sheet(
        ws,
        [46, 56, 18, 18, 24, 20, 12, 18, 18, 18, 18, 18, 18],
        wrap={1, 2, 4, 5, 6},
    )
    s.title(report.title or f"Zuwendung {grant.id}")
    s.add(["Stichtag", report.as_of])
    s.skip()
    names: dict[str, str] = {}
    sheet = quote_sheetname(ws.title)

    s.section("Zuwendungsbescheid")
    programme = report.rulebook.programme
    basis = {
        CapBasis.GRANT: "bezogen auf die Zuwendung",
        CapBasis.ELIGIBLE_COST: "bezogen auf die zuwendungsfähigen Ausgaben",
    }[grant.max_amount_basis]
    s.add(["Zuwendungsempfänger", grant.recipient])
    s.add(["Zuwendungsgeber", grant.funder])
    s.add(["Förderprogramm", programme.title if programme else grant.programme or "—"])
    s.add(["Aktenzeichen / Zusage-Nr.", grant.id])
    s.add(["Bescheid vom", grant.decision_date])
    s.add(["Land", LAENDER.get(grant.land, grant.land)])
    s.add(["Finanzierungsart", grant.financing_type.german])
    row = s.add(["Förderquote", _rate(grant.rate) if grant.rate is not None else "—"])
    names["Foerderquote"] = f"{sheet}!$B${row}"
    if grant.max_amount is not None:
        s.add(["Höchstbetrag", grant.max_amount, basis])
    else:
        s.add(["Höchstbetrag", "—"])
    s.add(["Regelwerk", report.rulebook.title])
    if grant.stated_grant is not None:
        s.add(["Zuwendung laut Bescheid", grant.stated_grant])
    if grant.stated_own_share is not None:
        s.add(["Eigenanteil laut Bescheid", grant.stated_own_share])
    s.skip()

    s.header(["Kennzahl", "Betrag", CHECK])
    first = s.add(["zuwendungsfähige Ausgaben", fin.eligible_expenditure])
    row = s.add(["Zuwendung", fin.grant])
    names["Zuwendung"] = f"{sheet}!$B${row}"
    row = s.add(["Eigenanteil", fin.own_share])
    names["Eigenanteil"] = f"{sheet}!$B${row}"
    s.add(["Drittmittel", fin.third_party])
    last = s.add(["andere öffentliche Förderung", fin.other_public])
    s.total(
        [
            "Finanzierung gesamt",
            _Formula("+".join(f"B{r}" for r in range(first + 1, last + 1))),
            fin.total,
        ]
    )
    if proof.evaluated:
        final = s.add(["Zuwendung nach Abrechnung", proof.final])
        paid = s.add(["ausgezahlt", proof.paid])
        s.total(
            [
                "Saldo (+ noch auszuzahlen / − zu erstatten)",
                _Formula(f"B{final}-B{paid}"),
                proof.balance,
            ]
        )
        s.add(["zu erstatten", proof.refund])
        s.add(["Erstattungszinsen (§ 49a Abs. 3 VwVfG)", _refund_interest(proof)])
    else:
        s.add(["Abrechnung", "nicht ermittelt: keine Belege erfasst"])
    if report.interest.evaluated:
        s.add(
            [
                "Zinsen für nicht alsbald verwendete Mittel (§ 49a Abs. 4 VwVfG)",
                _late_use_interest(report),
            ]
        )
    s.add(["Mittelabrufe gesamt (ausgezahlt und geplant)", report.drawdowns.total])
    s.skip()

    s.section("Förderphasen")
    s.header(
        [
            "Phase",
            "Bezeichnung",
            "Beginn",
            "Ende",
            "Ende laut Erstbescheid",
            "zuwendungsfähige Ausgaben",
            "Förderquote",
            "Zuwendung",
            "Eigenanteil",
            "Drittmittel",
            "andere öffentliche Förderung",
            "Summe",
            CHECK,
        ]
    )
    original = {p.id: p for p in report.original_grant.phases} if report.original_grant else {}
    top = s.row
    for phase in grant.phases:
        pf = fin.phase(phase.id)
        before = original.get(phase.id)
        r = s.row
        s.add(
            [
                phase.id,
                phase.title,
                phase.start,
                phase.end,
                before.end if before is not None and before.end != phase.end else None,
                pf.eligible_expenditure,
                _rate(pf.rate),
                pf.grant,
                pf.own_share,
                pf.third_party,
                pf.other_public,
                _Formula(f"H{r}+I{r}+J{r}+K{r}"),
                pf.total,
            ]
        )
    bottom = s.row - 1
    sums: list[_Value] = ["Summe", None, None, None, None]
    for column in range(6, 13):
        letter = get_column_letter(column)
        sums.append(None if column == 7 else _Formula(f"SUM({letter}{top}:{letter}{bottom})"))
    s.total(sums)
    s.add(
        [
            CHECK,
            None,
            None,
            None,
            None,
            fin.eligible_expenditure,
            None,
            fin.grant,
            fin.own_share,
            fin.third_party,
            fin.other_public,
            fin.total,
        ]
    )
    s.skip()

    s.section("Abweichungen vom Regelwerk laut Bescheid")
    if report.overrides:
        s.header(["Regelwerkswert", "Fundstelle im Bescheid", "bisher", "laut Bescheid"])
        for o in report.overrides:
            s.add(
                [
                    o.path,
                    o.reason,
                    "—" if o.original is None else str(o.original),
                    "—" if o.value is None else str(o.value),
                ]
            )
    else:
        s.add(["keine"])
    s.skip()

    s.section("Änderungsbescheide")
    if report.amendments:
        s.header(
            ["Kennung", "Gegenstand", "Bescheid vom", "beantragt am", "Änderungen", "Anmerkung"]
        )
        for a in report.amendments:
            changes = [
                f"Phase {c.phase}: Ende {fmt.date(c.new_end)}"
                + (
                    f", zuwendungsfähig {fmt.money(c.eligible_expenditure)}"
                    if c.eligible_expenditure is not None
                    else " (kostenneutral)"
                )
                for c in a.phases
            ]
            changes += [f"Ansatz {c.line}: neue Jahresbeträge" for c in a.lines]
            s.add([a.id, a.title, a.decided_on, a.applied_on, "; ".join(changes), a.note])
    else:
        s.add(["keine"])
    s.skip()

    s.section(f"Feststellungen ({len(report.findings)})")
    if report.findings:
        s.header(["betrifft", "Feststellung", "Schwere", "Code", "Rechtsgrundlage"])
        for f in report.findings:
            s.add([f.subject, f.message, f.severity.german, f.code, f.legal_reference])
    else:
        s.add(["keine"])
    _page(ws, report, title_rows="1:1", freeze="A2")
    return names


# --- Finanzierungsplan ----------------------------------------------------------------------


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


# --- Mittelabrufplan ------------------------------------------------------------------------


def _drawdowns(ws: Worksheet, report: Report) -> None:
    plan = report.drawdowns
    rule = plan.rule
    pooled = "wöchentlich" if rule.pooling == "weekly" else "monatlich"
    mode = {
        "in_arrears": f"nachschüssig alle {rule.interval_months} Monate",
        "in_advance": f"im Voraus für Zahlungen der nächsten {rule.horizon}",
        "day_of_need": f"am Tag des Bedarfs ({pooled} gebündelt)",
    }[rule.mode.value]
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


# --- Verlauf --------------------------------------------------------------------------------


def _history(ws: Worksheet, report: Report) -> None:
    """Monthly planned, actual/forecast expenditure and calls, cumulated, with a line chart."""
    s = _Sheet(ws, [11, 11, 18, 18, 18, 18, 18, 18])
    s.title("Verlauf — Ausgaben und Mittelabrufe kumuliert (Ist bis zum Stichtag, danach Prognose)")
    header = s.header(
        [
            "Monat",
            "Art",
            "Plan im Monat",
            "Ist/Prognose im Monat",
            "Abrufe im Monat",
            "Plan kumuliert",
            "Ist/Prognose kumuliert",
            "Abrufe kumuliert",
        ]
    )
    for flow in monthly_flows(report.forecast, report.drawdowns):
        s.add(
            [
                _Day(flow.month, MONTH_FORMAT),
                "Ist" if flow.actual else "Prognose",
                flow.planned,
                flow.expected,
                flow.called,
                flow.planned_total,
                flow.expected_total,
                flow.called_total,
            ]
        )
    last = s.row - 1
    ws.auto_filter.ref = f"A{header}:H{max(last, header)}"
    if last > header:
        chart = LineChart()
        chart.title = "Ausgaben und Mittelabrufe kumuliert"
        chart.style = 2
        chart.height = 11
        chart.width = 24
        chart.y_axis.title = "Euro"
        chart.y_axis.number_format = '#,##0 "€"'
        chart.y_axis.crossAx = 500
        chart.x_axis = DateAxis(crossAx=100)
        chart.x_axis.number_format = MONTH_FORMAT
        chart.x_axis.majorTimeUnit = "months"
        chart.x_axis.title = "Monat"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend = Legend(legendPos="b")
        data = Reference(ws, min_col=6, max_col=8, min_row=header, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
        for series in chart.series:
            series.smooth = False
        ws.add_chart(chart, "J3")
    _page(ws, report, title_rows="1:2", freeze="A3")


# --- Eigenanteil ----------------------------------------------------------------------------


def _own_share(ws: Worksheet, report: Report) -> None:
    years = report.own_share.years
    s = _Sheet(ws, [14, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18])
    s.title("Eigenanteil je Haushaltsjahr (Ist bis zum Stichtag, danach Plan)")
    header = s.header(
        [
            "Haushaltsjahr",
            "Ausgaben",
            "Zuwendungsanteil",
            "Drittmittelanteil",
            "Eigenanteil",
            "davon Eigenleistung",
            "davon bar",
            "nicht zuwendungsfähige Ausgaben",
            "Vorfinanzierung höchstens",
            "veranschlagt (Rat)",
            "Lücke (+) / Reserve (−)",
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
        sums: list[_Value] = ["Summe"]
        for column in range(2, 12):
            letter = get_column_letter(column)
            if column == 9 or (column > 9 and not budgeted):
                sums.append(None)  # the highest pre-financing of a year does not add up
            else:
                sums.append(_Formula(f"SUM({letter}{header + 1}:{letter}{last})"))
        s.total(sums)
    s.skip()
    s.add(
        [
            "Lücke: Eigenanteil und nicht zuwendungsfähige Ausgaben, soweit der veranschlagte "
            "Haushalt sie nicht deckt (negativ: Reserve)."
        ]
    )
    s.add(["Vorfinanzierung: verausgabter, aber noch nicht abgerufener Zuwendungsanteil."])
    _page(ws, report, title_rows="1:2", freeze="B3")


# --- Fristen --------------------------------------------------------------------------------


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


# --- Zahlenmäßiger Nachweis -----------------------------------------------------------------


def _proof(ws: Worksheet, report: Report) -> None:
    proof, fin = report.proof_of_use, report.financing
    s = _Sheet(ws, [12, 46, 18, 18, 18, 18, 18, 18, 14, 18, 30, 30, 18], wrap={2, 11, 12})
    s.title(f"Zahlenmäßiger Nachweis (Stichtag {fmt.date(report.as_of)})")
    if not proof.evaluated:
        s.skip()
        s.add(["Keine Belege erfasst: ohne Belegbuch gibt es nichts nachzuweisen."])
        _page(ws, report, title_rows="1:1", freeze="A2")
        return
    s.skip()

    s.section("1. Einnahmen")
    s.header(["Nr.", "Position", "laut Bescheid", "%", "laut Abrechnung", "%"])
    top = s.row
    for index, income in enumerate(proof.income, 1):
        s.add(
            [
                f"1.{index}",
                income.label,
                income.planned,
                _pct(income.planned_pct),
                income.actual,
                _pct(income.actual_pct),
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            "Summe",
            None,
            _Formula(f"SUM(C{top}:C{bottom})"),
            _Formula(f"SUM(D{top}:D{bottom})", PERCENT_FORMAT),
            _Formula(f"SUM(E{top}:E{bottom})"),
            _Formula(f"SUM(F{top}:F{bottom})", PERCENT_FORMAT),
        ]
    )
    covered = proof.totals.counted_eligible if proof.totals is not None else None
    s.add([CHECK, None, fin.total, None, covered])
    s.add(
        [
            "",
            "laut Abrechnung: Finanzierung der gebuchten Ausgaben bis zum Stichtag "
            "(= Summe Ist zuwendungsfähig); Zuwendung: beendete Phasen nach Abrechnung, "
            "laufende ausgezahlt",
        ]
    )
    s.skip()

    s.section("2. Ausgaben")
    s.header(
        [
            "Ansatz",
            "Bezeichnung",
            "Phase",
            "laut Bescheid",
            "Ist insgesamt",
            "Ist zuwendungsfähig",
            "Differenz",
            CHECK,
            "Abweichung",
            "zulässig bis (Plan + Toleranz)",
            "anerkannt",
            "Status",
            "nicht gezählt",
        ]
    )
    top = s.row
    for line in proof.lines:
        r = s.row
        s.add(
            [
                line.line,
                line.title,
                line.phase,
                line.planned,
                line.actual_total,
                line.actual,
                _Formula(f"F{r}-D{r}"),
                line.difference,
                _pct(line.difference_pct),
                line.allowed,
                line.recognised,
                line.status_german,
                line.excluded,
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            "Summe",
            None,
            None,
            *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "DEFG"),
            None,
            None,
            None,
            _Formula(f"SUM(K{top}:K{bottom})"),
            None,
            _Formula(f"SUM(M{top}:M{bottom})"),
        ]
    )
    s.add([CHECK, None, None, fin.eligible_expenditure])
    s.skip()

    s.section("3. Abrechnung je Phase")
    s.header(
        [
            "Phase",
            "Ermäßigung nach ANBest Nr. 2",
            "zuwendungsfähig laut Bescheid",
            "Ist (bei Prognose: mit Restplanung)",
            "anerkannt",
            "Deckungsmittel geplant",
            "Deckungsmittel erhalten",
            "Zuwendung nach Abrechnung",
            "Prognose",
            "Erstattung verzinst ab",
            "Hinweis",
            "Ist gebucht",
        ]
    )
    for phase in proof.phases:
        s.add(
            [
                phase.phase,
                phase.reduction.reason,
                phase.planned,
                phase.actual,
                phase.recognised,
                phase.cover_planned,
                phase.cover_actual,
                phase.reduction.final,
                _yes(phase.projected),
                phase.ineffective_on if phase.refund > 0 else None,
                "; ".join(x for x in (phase.note, phase.interest_problem) if x) or None,
                phase.booked,
            ]
        )
    s.skip()

    s.section("4. Zahlungen")
    s.header(
        [
            "Phase",
            "",
            "bewilligt",
            "nach Abrechnung",
            "ausgezahlt",
            "Saldo",
            CHECK,
            "zu erstatten",
            "Stand",
        ]
    )
    top = s.row
    for phase in proof.phases:
        r = s.row
        s.add(
            [
                phase.phase,
                None,
                phase.reduction.approved,
                phase.reduction.final,
                phase.paid,
                _Formula(f"D{r}-E{r}"),
                phase.balance,
                phase.refund,
                "Prognose" if phase.projected else "Ist",
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            "Summe",
            None,
            *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "CDEF"),
            None,
            _Formula(f"SUM(H{top}:H{bottom})"),
        ]
    )
    s.add([CHECK, None, proof.approved, proof.final, proof.paid, proof.balance, None, proof.refund])
    s.add(["", "Saldo: + noch auszuzahlen (Schlussrate), − zu erstatten"])
    if proof.projected:
        s.add(
            [
                "",
                "Prognose: die Phase läuft noch; nach Abrechnung und Saldo aus dem Ist bis zum "
                "Stichtag plus Restplanung",
            ]
        )
    s.add(["", "Erstattungszinsen (§ 49a Abs. 3 VwVfG)", _refund_interest(proof)])
    if report.interest.evaluated:
        s.add(
            [
                "",
                "Zinsen für nicht alsbald verwendete Mittel (§ 49a Abs. 4 VwVfG)",
                _late_use_interest(report),
            ]
        )
    count, amount = proof.after_key_date
    if count:
        s.add(["", f"{count} Beleg(e) nach dem Stichtag, nicht berücksichtigt", amount])
    s.skip()

    s.section("5. Zwischennachweise je Haushaltsjahr (Bundesmuster, Spalten 2, 3, 5, 6)")
    for interim in proof.interim:
        s.skip()
        s.add([f"Zwischennachweis {interim.year}"], font=_BOLD)
        s.header(
            [
                "Pos.",
                "Bezeichnung",
                "(2) anerkannt bis Vorjahr",
                "(3) Ausgaben im Jahr",
                "(5) kumuliert = (2) + (3)",
                CHECK,
                "(6) Finanzierungsplan gesamt",
            ]
        )
        top = s.row
        for row in interim.rows:
            r = s.row
            s.add(
                [
                    row.line,
                    row.title,
                    row.before,
                    row.year,
                    _Formula(f"C{r}+D{r}"),
                    row.cumulative,
                    row.plan,
                ]
            )
        bottom = s.row - 1
        s.total(
            [
                "Summe",
                None,
                *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "CDE"),
                None,
                _Formula(f"SUM(G{top}:G{bottom})"),
            ]
        )
        s.skip()
        s.header(["Nr.", "Position", "Betrag", CHECK])
        r14 = s.add(
            [
                "(14)",
                "Ausgaben des Jahres (Summe Spalte 3)",
                _Formula(f"SUM(D{top}:D{bottom})"),
                interim.expenditure,
            ]
        )
        r15 = s.add(["(15)", "Eigenmittel laut Finanzierungsplan", interim.own_funds])
        r16 = s.add(["(16)", "Drittmittel / Einnahmen laut Finanzierungsplan", interim.third_party])
        s.add(
            [
                "(17)",
                "zusätzliche Drittmittel / Einnahmen (vgl. Nr. 2 ANBest)",
                interim.additional_third_party,
            ]
        )
        r17b = s.add(
            ["(17b)", "davon Anteil des Zuwendungsgebers", interim.additional_federal_share]
        )
        r18 = s.add(
            [
                "(18)",
                "verbleibender Anteil des Zuwendungsgebers = (14) − (15) − (16) − (17b)",
                _Formula(f"C{r14}-C{r15}-C{r16}-C{r17b}"),
                interim.federal_share,
            ]
        )
        r19 = s.add(
            [
                "(19)",
                "Zahlungen des Zuwendungsgebers einschl. Kassenbestand des Vorjahres",
                interim.federal_payments,
            ]
        )
        s.add(
            [
                "(20)",
                "Kassenbestand am 31.12. = (19) − (18)",
                _Formula(f"C{r19}-C{r18}"),
                interim.cash_balance,
            ]
        )
    _page(ws, report, title_rows="1:1", freeze="A2")


# --- Belegliste -----------------------------------------------------------------------------

VOUCHER_COLUMNS = (
    "Belegnummer",
    "Zahlungsdatum",
    "Betrag",
    "Netto",
    "Einzelansatz",
    "Zahlungsempfänger",
    "Verwendungszweck",
    "Art",
    "Bezug",
    "Herkunft",
)
"""The Belegliste's columns."""
_VOUCHER_FIRST_ROW = 3


@dataclass(frozen=True)
class _Styles:
    """Style ids (cellXfs indexes) openpyxl registered for the streamed cells."""

    date: int
    money: int
    bold: int
    bold_money: int


# --- Abstimmung -----------------------------------------------------------------------------


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


def _style_id(ws: Worksheet, *, number_format: str | None = None, bold: bool = False) -> int:
    """Register a cell style with the workbook and return its id, without adding a cell."""
    probe = Cell(ws, row=1, column=1)
    if number_format is not None:
        probe.number_format = number_format
    if bold:
        probe.font = _BOLD
    return probe.style_id


def _voucher_sheet(ws: Worksheet, report: Report) -> tuple[_Styles, int]:
    """The Belegliste's head (title, header, layout); returns the styles and the last row."""
    proof = report.proof_of_use
    s = _Sheet(ws, [18, 16, 16, 16, 13, 34, 60, 16, 18, 24])
    s.title(f"Belegliste — gezählte Belege in Zahlungsfolge (Stichtag {fmt.date(report.as_of)})")
    header = s.header(list(VOUCHER_COLUMNS))
    count = len(proof.vouchers)
    last = _VOUCHER_FIRST_ROW + count - 1
    ws.auto_filter.ref = f"A{header}:J{max(last, header)}"
    end = last + 1  # the total row, or the note that no voucher counts
    if proof.excluded:
        end += 3 + len(proof.excluded) + (2 if proof.totals is not None else 0)
    if proof.after_key_date[0]:
        end += 2
    if end > _MAX_ROWS:
        raise WorkbookTooLargeError(
            f"Belegliste mit {count} Belegen passt nicht auf ein Arbeitsblatt "
            f"(höchstens {_MAX_ROWS} Zeilen)"
        )
    _page(ws, report, title_rows="1:2", freeze="B3")
    styles = _Styles(
        date=_style_id(ws, number_format=DATE_FORMAT),
        money=_style_id(ws, number_format=MONEY_FORMAT),
        bold=_style_id(ws, bold=True),
        bold_money=_style_id(ws, number_format=MONEY_FORMAT, bold=True),
    )
    return styles, end


_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text_cell(ref: str, text: str | None, style: int = 0) -> str:
    """An inline-string cell (XML-escaped); empty text gives no cell."""
    if not text:
        return ""
    body = text
    if len(text) > _MAX_TEXT or _SPECIAL.search(text):
        text = _clean(text)
        body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body = body.replace("\r", "&#13;")
    space = ' xml:space="preserve"' if text[0] in " \t\n\r" or text[-1] in " \t\n\r" else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{body}</t></is></c>'


def _number_cell(ref: str, value: Decimal | None, style: int) -> str:
    if value is None:
        return ""
    return f'<c r="{ref}" s="{style}"><v>{value:f}</v></c>'


def _date_cell(ref: str, day: date, style: int) -> str:
    return f'<c r="{ref}" s="{style}"><v>{day.toordinal() - _EXCEL_EPOCH}</v></c>'


def _formula_cell(ref: str, formula: str, style: int) -> str:
    return f'<c r="{ref}" s="{style}"><f>{formula}</f></c>'


def _voucher_row(r: int, v: Expenditure, st: _Styles) -> str:
    return "".join(
        (
            f'<row r="{r}">',
            _text_cell(f"A{r}", v.id),
            _date_cell(f"B{r}", v.paid_on, st.date),
            _number_cell(f"C{r}", v.amount, st.money),
            _number_cell(f"D{r}", v.net_amount, st.money),
            _text_cell(f"E{r}", v.line),
            _text_cell(f"F{r}", v.payee),
            _text_cell(f"G{r}", v.purpose),
            _text_cell(f"H{r}", _VOUCHER_KIND.get(v.kind, v.kind)),
            _text_cell(f"I{r}", v.reference),
            _text_cell(f"J{r}", v.origin),
            "</row>",
        )
    )


def _excluded_row(r: int, e: ExcludedVoucher, st: _Styles) -> str:
    return "".join(
        (
            f'<row r="{r}">',
            _text_cell(f"A{r}", e.voucher),
            _date_cell(f"B{r}", e.paid_on, st.date),
            _number_cell(f"C{r}", e.amount, st.money),
            _text_cell(f"D{r}", _yes(e.counted)),
            _text_cell(f"E{r}", e.line),
            _text_cell(f"F{r}", _CHECK_NAME.get(e.code, e.code)),
            _text_cell(f"G{r}", e.reason),
            _text_cell(f"J{r}", e.origin),
            "</row>",
        )
    )


def _voucher_rows(report: Report, st: _Styles) -> Iterator[str]:
    """The Belegliste's rows from row 3 on, as XML, a row at a time."""
    proof = report.proof_of_use
    r = _VOUCHER_FIRST_ROW
    for voucher in proof.vouchers:
        yield _voucher_row(r, voucher, st)
        r += 1
    if proof.vouchers:
        last = r - 1
        yield (
            f'<row r="{r}">'
            + _text_cell(f"A{r}", f"Summe ({len(proof.vouchers)} Belege)", st.bold)
            + _formula_cell(f"C{r}", f"SUM(C{_VOUCHER_FIRST_ROW}:C{last})", st.bold_money)
            + _formula_cell(f"D{r}", f"SUM(D{_VOUCHER_FIRST_ROW}:D{last})", st.bold_money)
            + "</row>"
        )
    else:
        note = "keine Belege erfasst" if not proof.evaluated else "kein Beleg zählt"
        yield f'<row r="{r}">' + _text_cell(f"A{r}", note) + "</row>"
    r += 1
    if proof.excluded:
        r += 1
        title = "Ausgeschlossene oder unter Vorbehalt gezählte Belege"
        yield f'<row r="{r}">' + _text_cell(f"A{r}", title, st.bold) + "</row>"
        r += 1
        labels = {
            "A": "Belegnummer",
            "B": "Zahlungsdatum",
            "C": "Betrag",
            "D": "gezählt",
            "E": "Einzelansatz",
            "F": "Prüfung",
            "G": "Grund",
            "J": "Herkunft",
        }
        yield (
            f'<row r="{r}">'
            + "".join(_text_cell(f"{c}{r}", label, st.bold) for c, label in labels.items())
            + "</row>"
        )
        r += 1
        for excluded in proof.excluded:
            yield _excluded_row(r, excluded, st)
            r += 1
        if proof.totals is not None:
            sums = (
                ("Summe der nicht gezählten Belege", proof.totals.excluded),
                ("Belegliste bis zum Stichtag (gezählt + nicht gezählt)", proof.totals.listed),
            )
            for label, value in sums:
                yield (
                    f'<row r="{r}">'
                    + _text_cell(f"A{r}", label, st.bold)
                    + _number_cell(f"C{r}", value, st.bold_money)
                    + "</row>"
                )
                r += 1
    count, amount = proof.after_key_date
    if count:
        r += 1
        yield (
            f'<row r="{r}">'
            + _text_cell(f"A{r}", f"{count} Beleg(e) nach dem Stichtag, nicht berücksichtigt")
            + _number_cell(f"C{r}", amount, st.money)
            + "</row>"
        )


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _splice(head: bytes, rows: Iterable[str], last_row: int, out: IO[bytes]) -> None:
    """Write the worksheet ``head`` (openpyxl's XML) with ``rows`` appended to its sheetData."""
    head = _DIMENSION.sub(f'<dimension ref="A1:J{last_row}"/>'.encode(), head, count=1)
    if b"</sheetData>" in head:
        before, after = head.split(b"</sheetData>", 1)
    else:
        before, after = head.split(b"<sheetData/>", 1)
        before += b"<sheetData>"
    out.write(before)
    chunk: list[str] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= 2000:
            out.write("".join(chunk).encode())
            chunk.clear()
    out.write("".join(chunk).encode())
    out.write(b"</sheetData>")
    out.write(after)


# --- the package ----------------------------------------------------------------------------


class _Package(zipfile.ZipFile):
    """A zip archive whose entries all carry one timestamp; one worksheet is streamed in.

    openpyxl writes worksheets through temporary files (``write``) and everything else with
    ``writestr``; both are routed here so that no entry takes the clock's time.
    """

    def __init__(
        self,
        file: IO[bytes],
        stamp: tuple[int, int, int, int, int, int],
        splices: dict[str, tuple[Callable[[bytes, IO[bytes]], None], int]],
    ) -> None:
        super().__init__(file, "w", compression=zipfile.ZIP_DEFLATED)
        self._stamp = stamp
        self._splices = splices

    def _info(self, name: str, size: int = 0) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3
        info.external_attr = 0o600 << 16
        info.file_size = size
        return info

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Store ``data`` under the fixed timestamp."""
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        super().writestr(self._info(name), data)

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Store a file openpyxl wrote; the streamed worksheet gets its rows here."""
        name = os.fspath(arcname if arcname is not None else filename)
        try:
            data = Path(filename).read_bytes()
            splice = self._splices.get(name)
            if splice is None:
                self.writestr(name, data)
                return
            write_rows, estimate = splice
            with self.open(self._info(name, len(data) + estimate), "w") as out:
                write_rows(data, out)
        except BaseException:
            Path(filename).unlink(missing_ok=True)  # openpyxl's temporary file
            raise


def _stamp(report: Report) -> datetime:
    """The document's date: the key date at 00:00 (UTC), never the clock."""
    return datetime.combine(max(report.as_of, date(1980, 1, 1)), time(0, 0))


def _workbook(report: Report) -> tuple[Workbook, Worksheet]:
    """Every sheet but the Belegliste's rows; returns the workbook and the Belegliste sheet."""
    wb = Workbook()
    overview = wb.active
    assert isinstance(overview, Worksheet)
    overview.title = SHEETS[0]
    sheets = [overview, *(wb.create_sheet(title) for title in SHEETS[1:])]
    names = _overview(sheets[0], report)
    _financing_plan(sheets[1], report)
    _drawdowns(sheets[2], report)
    _history(sheets[3], report)
    _own_share(sheets[4], report)
    _deadlines(sheets[5], report)
    _proof(sheets[6], report)
    _reconciliation(sheets[7], report)
    for name, target in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    stamp = _stamp(report)
    props = wb.properties
    props.created = stamp
    props.modified = stamp
    props.creator = "foerdermittel"
    props.lastModifiedBy = None
    props.title = _clean(report.title or f"Zuwendung {report.grant.id}")
    props.subject = "Fördermittel: Finanzierung, Mittelabruf, Fristen, Verwendungsnachweis"
    props.language = "de-DE"
    wb.active = 0
    return wb, sheets[8]


def to_bytes(report: Report) -> bytes:
    """The report as an .xlsx workbook (bytes); the same report gives the same bytes."""
    wb, vouchers = _workbook(report)
    styles, last_row = _voucher_sheet(vouchers, report)
    path = f"xl/worksheets/sheet{len(SHEETS)}.xml"  # the Belegliste is the last sheet

    def write_rows(head: bytes, out: IO[bytes]) -> None:
        _splice(head, _voucher_rows(report, styles), last_row, out)

    estimate = 400 * (len(report.proof_of_use.vouchers) + len(report.proof_of_use.excluded))
    buffer = io.BytesIO()
    stamp = _stamp(report)
    date_time = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    archive = _Package(buffer, date_time, {path: (write_rows, estimate)})
    try:
        ExcelWriter(wb, archive).save()
    finally:
        archive.close()
    return buffer.getvalue()


def write(report: Report, path: str | os.PathLike[str] | IO[bytes]) -> WrittenWorkbook:
    """Write the report as an .xlsx workbook: to a file atomically, or to a binary stream.

    Args:
        report: the evaluated case.
        path: the file to write (temporary name, then renamed), or a binary stream such as
            ``sys.stdout.buffer``, which gets the bytes as they are.

    Returns:
        What was written: the file (``None`` for a stream), its size, the number of sheets
        and of vouchers in the Belegliste (counted and excluded).

    Raises:
        OSError: the folder does not exist or cannot be written.
        WorkbookTooLargeError: the Belegliste has more rows than a worksheet can hold.
    """
    data = to_bytes(report)
    target: str | None = None
    if isinstance(path, str | os.PathLike):
        target = os.fspath(path)
        write_atomic(target, data)
    else:  # a binary stream such as standard output: written as it is, no rename
        path.write(data)
        path.flush()
    proof = report.proof_of_use
    return WrittenWorkbook(
        path=target,
        size=len(data),
        sheets=len(SHEETS),
        vouchers=len(proof.vouchers) + len(proof.excluded),
    )
