"""Cell helpers and styles shared by the sheets.

The number formats, the heading of the library's figure beside a formula (``CHECK``), the
fonts, fills and borders, the cell values with an explicit format (formula, number, day),
``_Sheet`` that fills a worksheet row by row with every string stored as text, and the
print setup every sheet shares.

The constants are the German workbook's (public API since the workbook was German only);
[`cell_formats`][foerdermittel.export.excel.cell_formats] and
[`check_heading`][foerdermittel.export.excel.check_heading] give them for any language of the
catalogues (``workbook.format.…``, ``workbook.check``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.proof import ProofOfUse
from foerdermittel.report import Report

MONEY_FORMAT = '#,##0.00 "€"'
"""Number format of amounts (en-US code syntax; Excel shows ``1.234,56 €`` in German)."""

DATE_FORMAT = "DD.MM.YYYY"
"""Number format of dates in the German workbook (English: ``YYYY-MM-DD``)."""

WEEKDAY_FORMAT = "[$-407]DDD, DD.MM.YYYY"
"""Number format of a deadline's day with its German weekday (``Mo, 02.03.2026``).

The English workbook uses ``[$-809]DDD, YYYY-MM-DD`` (``Mon, 2026-03-02``, en-GB).
"""

MONTH_FORMAT = "MM.YYYY"
"""Number format of months in the German workbook (English: ``YYYY-MM``)."""

PERCENT_FORMAT = "0.00%"
"""Number format of percentages (0.1 shows as ``10,00 %``)."""

DAYS_FORMAT = '0 "Tage"'
"""Number format of day counts (the Abstimmung of call periods; English: ``0 "days"``)."""

CHECK = "laut Berechnung"
"""Heading of the library's figure beside a formula (column header or row label), German.

[`check_heading`][foerdermittel.export.excel.check_heading] gives it in another language.
"""


@dataclass(frozen=True)
class CellFormats:
    """The number formats of one language's workbook (Excel format codes).

    Amounts and percentages are written the same in every language: Excel shows their
    separators the way the reader's system does. Dates, months, weekdays and day counts
    follow the language.

    Attributes:
        money: amounts (``#,##0.00 "€"``).
        percent: percentages with two places (``0.00%``).
        date: dates (``DD.MM.YYYY``; English ``YYYY-MM-DD``).
        weekday: a date with its weekday (``[$-407]DDD, DD.MM.YYYY``; English
            ``[$-809]DDD, YYYY-MM-DD``).
        month: months (``MM.YYYY``; English ``YYYY-MM``).
        days: day counts (``0 "Tage"``; English ``0 "days"``).
    """

    money: str
    percent: str
    date: str
    weekday: str
    month: str
    days: str


def cell_formats(lang: str = DEFAULT_LANGUAGE) -> CellFormats:
    """The number formats of the workbook in a language (from the catalogue ``workbook.format``).

    Raises:
        NotFoundError: for a language without a catalogue.

    Examples:
        >>> cell_formats().date == DATE_FORMAT, cell_formats("de").days == DAYS_FORMAT
        (True, True)
        >>> cell_formats("en").date, cell_formats("en").weekday
        ('YYYY-MM-DD', '[$-809]DDD, YYYY-MM-DD')
    """
    w = Words(lang)
    return CellFormats(
        money=MONEY_FORMAT,
        percent=PERCENT_FORMAT,
        date=w("workbook.format.date"),
        weekday=w("workbook.format.weekday"),
        month=w("workbook.format.month"),
        days=w("workbook.format.days"),
    )


def check_heading(lang: str = DEFAULT_LANGUAGE) -> str:
    """The heading of the library's figure beside a formula in a language.

    Examples:
        >>> check_heading() == CHECK, check_heading("en")
        (True, 'as computed')
    """
    return Words(lang)("workbook.check")


_MAX_TEXT = 32_767  # Excel's limit for the text of one cell
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_TITLE = Font(name="Calibri", family=2, size=14, bold=True)
_BOLD = Font(name="Calibri", family=2, size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_RULE = Border(top=Side(style="thin"), bottom=Side(style="thin"))
_TOTAL = Border(top=Side(style="thin"))


# --- cell values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Formula:
    """A formula (English function names, comma separators), without the leading ``=``.

    ``value`` is the library's figure for it where the renderer has one (a sum it wrote, the
    figure in the ``laut Berechnung`` cell beside it). The value stored with the formula is
    always the formula's own result over the sheet's cells (`formulas`); the figure is what it
    must come to, compared by the tests (``formulas._mismatches``).
    """

    text: str
    number_format: str = MONEY_FORMAT
    value: Decimal | int | None = None


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


_FIGURES: WeakKeyDictionary[Worksheet, dict[tuple[int, int], Decimal | int]] = WeakKeyDictionary()
"""The library's figure of each formula cell that has one, per worksheet, by (row, column)."""


_Value = str | Decimal | int | date | _Formula | _Number | _Day | None


def _number_text(value: Decimal | int | float) -> str:
    """A stored formula value as the sheet XML holds it: the shortest text of its double.

    Excel reads every number as a double; the text is the shortest that gives the same
    double back (as Python's ``repr`` of a float), so an amount to the cent reads as that
    amount (``98181.82``, where openpyxl's ``%.16g`` for a plain number cell writes
    ``98181.81999999999``, the same double). Whole numbers have no ``.0``.

    Examples:
        >>> _number_text(Decimal("98181.82")), _number_text(Decimal("0.6500")), _number_text(-3)
        ('98181.82', '0.65', '-3')
        >>> _number_text(Decimal("15200000.00")), _number_text(Decimal("-0.00"))
        ('15200000', '0')
    """
    if value == 0:
        return "0"
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _formula_cell_xml(ref: str, formula: str, value: Decimal | int, style: int = 0) -> str:
    """A formula cell of a streamed sheet with its stored value (``<f>`` and ``<v>``).

    For sheets written as XML (the Belegliste): ``value`` is what the formula comes to over
    the cells the stream wrote (the stream adds them up as it writes them), so a reader that
    does not calculate sees it; Excel and LibreOffice calculate it again.

    Examples:
        >>> _formula_cell_xml("C9", "SUM(C3:C8)", Decimal("100.10"), 4)
        '<c r="C9" s="4"><f>SUM(C3:C8)</f><v>100.1</v></c>'
    """
    text = formula.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><f>{text}</f><v>{_number_text(value)}</v></c>'


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


_NOT_COMPUTABLE = "late-use.not-computable"
"""The catalogue key of the cell text for an interest figure that could not be computed
("nicht berechenbar", never 0,00 €)."""


def _refund_interest(proof: ProofOfUse, w: Words) -> Decimal | str:
    """The refund interest, or "nicht berechenbar" where a phase's could not be computed."""
    return proof.refund_interest if proof.refund_interest_complete else w(_NOT_COMPUTABLE)


def _late_use_interest(report: Report, w: Words) -> Decimal | str:
    """The late-use interest, or "nicht berechenbar" where some could not be computed."""
    return report.interest.total if report.interest.complete else w(_NOT_COMPUTABLE)


def _yes(w: Words, flag: bool) -> str:  # noqa: FBT001 - a plain mapping
    return w("workbook.yes") if flag else w("workbook.no")


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

    def __init__(
        self, ws: Worksheet, w: Words, widths: Sequence[float], wrap: Iterable[int] = ()
    ) -> None:
        self.ws = ws
        self.w = w
        self.formats = cell_formats(w.lang)
        self.check = w("workbook.check")
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
            if value.value is not None:
                _FIGURES.setdefault(self.ws, {})[(row, column)] = value.value
        elif isinstance(value, _Number | _Day):
            cell.value = value.value
            cell.number_format = value.number_format
        elif isinstance(value, Decimal):
            cell.value = value
            cell.number_format = MONEY_FORMAT
        elif isinstance(value, date):
            cell.value = value
            cell.number_format = self.formats.date
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


def _properties(wb: Workbook, stamp: datetime, title: str, subject: str, w: Words) -> None:
    """The document properties every workbook carries: one stamp (never the clock), no user."""
    props = wb.properties
    props.created = stamp
    props.modified = stamp
    props.creator = "foerdermittel"
    props.lastModifiedBy = None
    props.title = _clean(title)
    props.subject = subject
    props.language = w.language.locale.replace("_", "-")  # de-DE, en-GB


def _page(
    s: _Sheet,
    report: Report,
    *,
    title_rows: str,
    freeze: str,
) -> None:
    """Print setup (A4 landscape, fit to width, repeated header rows, footer) and frozen panes."""
    _page_on(s, report.as_of, title_rows=title_rows, freeze=freeze)


def _page_on(s: _Sheet, as_of: date, *, title_rows: str, freeze: str) -> None:
    """The print setup of `_page` for a sheet of any result, with ``as_of`` in the footer."""
    ws, w = s.ws, s.w
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
    footer.center.text = w("workbook.page.as-of", day=as_of)
    footer.right.text = w("workbook.page.pages")
