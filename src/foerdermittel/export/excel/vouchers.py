"""The Belegliste, streamed: its head through openpyxl, its rows as sheet XML, a row at a time.

The vouchers that count, then those excluded with the reason. The rows are inline strings
with the styles openpyxl registered for the same formats, so a ledger of 100,000 vouchers
needs no workbook model in memory. The words of the rows (kinds, checks) are looked up once
per workbook, the reason of each excluded voucher per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.errors import FoerdermittelError
from foerdermittel.export.excel.cells import (
    _BOLD,
    _MAX_TEXT,
    MONEY_FORMAT,
    _clean,
    _formula_cell_xml,
    _page,
    _Sheet,
)
from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.model.records import Expenditure
from foerdermittel.report import Report
from foerdermittel.vouchers import ExcludedVoucher


class WorkbookTooLargeError(FoerdermittelError, ValueError):
    """The Belegliste has more rows than a worksheet holds (1.048.576): the input's size."""


_MAX_ROWS = 1_048_576
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()

_VOUCHER_KINDS = ("expenditure", "credit")
_CHECKS = (
    "outside-period",
    "duplicate-voucher",
    "sign",
    "credit-sign",
    "net-above-gross",
    "net-sign",
    "net-missing",
    "flat-rate",
)
_COLUMNS = (
    "voucher",
    "paid-on",
    "amount",
    "net",
    "line",
    "payee",
    "purpose",
    "kind",
    "reference",
    "origin",
)

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
"""The Belegliste's columns in the German workbook (see
[`voucher_columns`][foerdermittel.export.excel.voucher_columns] for another language)."""
_VOUCHER_FIRST_ROW = 3


def voucher_columns(lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """The voucher list's columns in a language (catalogue ``workbook.vouchers.column``).

    Examples:
        >>> voucher_columns() == VOUCHER_COLUMNS
        True
        >>> voucher_columns("en")[:3]
        ('Voucher no.', 'Payment date', 'Amount')
    """
    w = Words(lang)
    return tuple(w(f"workbook.vouchers.column.{name}") for name in _COLUMNS)


@dataclass(frozen=True)
class _Styles:
    """Style ids (cellXfs indexes) openpyxl registered for the streamed cells."""

    date: int
    money: int
    bold: int
    bold_money: int


@dataclass(frozen=True)
class _RowWords:
    """The words the streamed rows repeat, looked up once: kinds, checks, yes and no."""

    w: Words
    kinds: dict[str, str]
    checks: dict[str, str]
    yes: str
    no: str

    @classmethod
    def of(cls, w: Words) -> _RowWords:
        return cls(
            w=w,
            kinds={kind: w(f"workbook.vouchers.kind.{kind}") for kind in _VOUCHER_KINDS},
            checks={code: w(f"workbook.vouchers.check-name.{code}") for code in _CHECKS},
            yes=w("workbook.yes"),
            no=w("workbook.no"),
        )


def _style_id(ws: Worksheet, *, number_format: str | None = None, bold: bool = False) -> int:
    """Register a cell style with the workbook and return its id, without adding a cell."""
    probe = Cell(ws, row=1, column=1)
    if number_format is not None:
        probe.number_format = number_format
    if bold:
        probe.font = _BOLD
    return probe.style_id


def _voucher_sheet(ws: Worksheet, report: Report, w: Words) -> tuple[_Styles, int]:
    """The Belegliste's head (title, header, layout); returns the styles and the last row."""
    proof = report.proof_of_use
    s = _Sheet(ws, w, [18, 16, 16, 16, 13, 34, 60, 16, 18, 24])
    s.title(w("workbook.vouchers.title", day=report.as_of))
    header = s.header(list(voucher_columns(w.lang)))
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
    _page(s, report, title_rows="1:2", freeze="B3")
    styles = _Styles(
        date=_style_id(ws, number_format=s.formats.date),
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


def _voucher_row(r: int, v: Expenditure, st: _Styles, words: _RowWords) -> str:
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
            _text_cell(f"H{r}", words.kinds.get(v.kind, v.kind)),
            _text_cell(f"I{r}", v.reference),
            _text_cell(f"J{r}", v.origin),
            "</row>",
        )
    )


def _excluded_row(r: int, e: ExcludedVoucher, st: _Styles, words: _RowWords) -> str:
    return "".join(
        (
            f'<row r="{r}">',
            _text_cell(f"A{r}", e.voucher),
            _date_cell(f"B{r}", e.paid_on, st.date),
            _number_cell(f"C{r}", e.amount, st.money),
            _text_cell(f"D{r}", words.yes if e.counted else words.no),
            _text_cell(f"E{r}", e.line),
            _text_cell(f"F{r}", words.checks.get(e.code, e.code)),
            _text_cell(f"G{r}", words.w.of(e.why)),
            _text_cell(f"J{r}", e.origin),
            "</row>",
        )
    )


def _voucher_rows(report: Report, st: _Styles, w: Words) -> Iterator[str]:
    """The Belegliste's rows from row 3 on, as XML, a row at a time."""
    proof = report.proof_of_use
    words = _RowWords.of(w)
    r = _VOUCHER_FIRST_ROW
    amounts = nets = Decimal(0)  # what the sum row's formulas give, stored with them
    for voucher in proof.vouchers:
        yield _voucher_row(r, voucher, st, words)
        amounts += voucher.amount
        if voucher.net_amount is not None:
            nets += voucher.net_amount
        r += 1
    if proof.vouchers:
        last = r - 1
        yield (
            f'<row r="{r}">'
            + _text_cell(f"A{r}", w("workbook.vouchers.total", count=len(proof.vouchers)), st.bold)
            + _formula_cell_xml(
                f"C{r}", f"SUM(C{_VOUCHER_FIRST_ROW}:C{last})", amounts, st.bold_money
            )
            + _formula_cell_xml(f"D{r}", f"SUM(D{_VOUCHER_FIRST_ROW}:D{last})", nets, st.bold_money)
            + "</row>"
        )
    else:
        note = w(
            "workbook.vouchers.none-recorded"
            if not proof.evaluated
            else "workbook.vouchers.none-counted"
        )
        yield f'<row r="{r}">' + _text_cell(f"A{r}", note) + "</row>"
    r += 1
    if proof.excluded:
        r += 1
        title = w("workbook.vouchers.excluded")
        yield f'<row r="{r}">' + _text_cell(f"A{r}", title, st.bold) + "</row>"
        r += 1
        column = "workbook.vouchers.column."
        labels = {
            "A": w(column + "voucher"),
            "B": w(column + "paid-on"),
            "C": w(column + "amount"),
            "D": w("workbook.vouchers.counted"),
            "E": w(column + "line"),
            "F": w("workbook.vouchers.check"),
            "G": w("workbook.vouchers.reason"),
            "J": w(column + "origin"),
        }
        yield (
            f'<row r="{r}">'
            + "".join(_text_cell(f"{c}{r}", label, st.bold) for c, label in labels.items())
            + "</row>"
        )
        r += 1
        for excluded in proof.excluded:
            yield _excluded_row(r, excluded, st, words)
            r += 1
        if proof.totals is not None:
            sums = (
                (w("workbook.vouchers.excluded-total"), proof.totals.excluded),
                (w("workbook.vouchers.listed-total"), proof.totals.listed),
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
            + _text_cell(f"A{r}", w("workbook.after-key-date", count=count))
            + _number_cell(f"C{r}", amount, st.money)
            + "</row>"
        )
