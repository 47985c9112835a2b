r"""Belegbuch: vouchers (expenditures, credit notes, income) from CSV or XLSX in German formats.

A ledger is a table with a header row and one voucher per row. The German default column
names are [`DEFAULT_LEDGER_COLUMNS`][foerdermittel.model.records.DEFAULT_LEDGER_COLUMNS];
``columns`` overrides them per field:

| column              | field                                               | required            |
|---------------------|-----------------------------------------------------|---------------------|
| Belegnummer         | ``id``                                              | yes                 |
| Zahlungsdatum       | ``paid_on`` / ``received_on``                       | yes, ``TT.MM.JJJJ`` |
| Betrag              | ``amount``                                          | yes, ``1.234,56``   |
| Netto               | ``net_amount``                                      | no                  |
| Einzelansatz        | ``line``                                            | for expenditures    |
| Zahlungsempfänger   | ``payee`` / ``payer``                               | no                  |
| Verwendungszweck    | ``purpose``                                         | no                  |
| Art                 | ``kind``: Ausgabe, Gutschrift, Erstattung,          | no (empty: Ausgabe) |
|                     | Einnahme, Eigenmittel (own funds booked)            |                     |
| Bezug               | ``reference``                                       | no                  |
| Finanzierungsquelle | ``source`` (income only)                            | no                  |
| Rechnungsnummer     | ``invoice_number`` (expenditures)                   | no                  |
| Rechnungsdatum      | ``invoice_date`` (expenditures)                     | no, ``TT.MM.JJJJ``  |

Reading is strict: amounts and dates are read by [`foerdermittel.parse`][foerdermittel.parse],
the same rules as on the command line and in the case file: ``1.234,56``, ``1234,56``,
``-1234,56`` or ``1234.56``, at most two places and never rounded; ``1.000`` (thousands dot or
decimal point?) and ``1,234.56`` are errors, never a guess. Dates are ``TT.MM.JJJJ`` (or
``JJJJ-MM-TT``). A workbook is read from the sheet named by ``sheet``, else from its only
visible sheet; with several visible sheets and none named, reading is refused. Every row that
cannot be read is reported with its row number, column and cell text (and the sheet), all of
them in one [`LedgerError`][foerdermittel.io.ledger.LedgerError]. A control sum over the
amount cells of all rows, kept apart from the entries, guards against rows lost on the way.

Each cell is read once, by the ledger's own parsers; the entries are built from the values
read without the models validating them a second time, except where the model checks more
than the parsers (an amount of 10¹² € or more, a date outside the supported years): such an
entry is validated, and refused with the model's message at its row and column. The
expenditures are held as columns
([`VoucherColumns`][foerdermittel.model.voucher_columns.VoucherColumns]); a block of CSV rows
whose every cell is plain goes into the columns at once, column by column, without an
``Expenditure`` per row (``blocks``), any other block row by row as described here.

This module turns rows into entries and holds ``read_ledger``; the parts it reads with are
modules of their own: ``cells`` (amounts, dates, text), ``columns`` (column names, header,
delimiter), ``limits`` (file size, unpacked size, compression, digits), ``csv_file`` (bytes,
encoding, rows), ``workbook`` (defusedxml, sheet choice), ``blocks`` (plain blocks of rows
read column by column), ``entries`` (entries built without validating again), ``errors``
(``LedgerError``) and ``writer`` (``write_ledger_csv``).

Examples:
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "belege.csv"
    ...     _ = path.write_text(
    ...         "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz;Art\n"
    ...         "B-1;03.02.2025;1.234,56;1.1;\n"
    ...         "B-2;10.02.2025;-34,56;1.1;Gutschrift\n",
    ...         encoding="utf-8",
    ...     )
    ...     ledger = read_ledger(path)
    >>> [(e.id, e.amount, e.kind) for e in ledger.expenditures]
    [('B-1', Decimal('1234.56'), 'expenditure'), ('B-2', Decimal('-34.56'), 'credit')]
    >>> ledger.control_sum, ledger.encoding
    (Decimal('1200.00'), 'utf-8')
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foerdermittel._collector import collector_paused
from foerdermittel.errors import Problem, german_message
from foerdermittel.io.ledger.blocks import BLOCK_ROWS, _BlockReader
from foerdermittel.io.ledger.cells import (
    _KINDS,
    _CellError,
    _csv_text,
    _is_blank,
    _Memo,
    _parse_amount,
    _parse_date,
    _shown_cell,
    _xlsx_text,
)
from foerdermittel.io.ledger.cells import _parse_amount_text as _parse_amount_text
from foerdermittel.io.ledger.columns import (
    _check_delimiter,
    _column_names,
    _delimiter_name,
    _Layout,
)
from foerdermittel.io.ledger.csv_file import _CsvTable
from foerdermittel.io.ledger.entries import _Entries
from foerdermittel.io.ledger.errors import LedgerError
from foerdermittel.io.ledger.limits import _size_checked
from foerdermittel.io.ledger.workbook import _XLSX_SUFFIXES, _workbook_rows
from foerdermittel.io.ledger.writer import write_ledger_csv
from foerdermittel.model.records import Expenditure, Income
from foerdermittel.model.voucher_builder import VoucherColumnsBuilder
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.money import ZERO

__all__ = ["Ledger", "LedgerError", "read_ledger", "write_ledger_csv"]

_LISTED_IDS = 20  # valid ids named in a message


_MODEL_FIELDS = {"received_on": "paid_on", "payer": "payee"}  # Income field -> ledger field


_ROW_FIELDS = (  # the ledger fields, in the order the row reader takes their cells
    "id",
    "paid_on",
    "amount",
    "net_amount",
    "line",
    "payee",
    "purpose",
    "kind",
    "reference",
    "source",
)
_INVOICE_FIELDS = ("invoice_number", "invoice_date")  # optional; most ledgers have neither


_NONE = (None,)


class Ledger(BaseModel):
    """A ledger as read from its file.

    Attributes:
        file: the path it was read from.
        sheet: the worksheet read, for a workbook; ``None`` for CSV.
        encoding: the text encoding of a CSV file (``utf-8-sig`` with byte order mark,
            ``utf-8`` or ``windows-1252``); ``None`` for a workbook.
        rows: the number of data rows read (blank rows not counted).
        expenditures: the expenditures and credit notes, in file order.
        income: the income entries (Art ``Einnahme``), in file order.
        control_sum: the sum of all amount cells that can be read, blank rows and rows with
            problems included, taken as each row is read and apart from the entries; it
            equals the sum of the expenditure and income amounts.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str = Field(description="Datei")
    sheet: str | None = Field(default=None, description="gelesenes Tabellenblatt (nur XLSX)")
    encoding: str | None = Field(description="Zeichenkodierung (nur CSV)")
    rows: int = Field(ge=0, description="gelesene Datenzeilen (ohne Leerzeilen)")
    expenditures: VoucherColumns = Field(description="Ausgaben und Gutschriften")
    income: tuple[Income, ...] = Field(description="Einnahmen")
    control_sum: Decimal = Field(description="Kontrollsumme aller Beträge")


def _id_list(ids: Collection[str]) -> str:
    """The first valid ids for a message, sorted."""
    ordered = sorted(ids)
    shown = ", ".join(ordered[:_LISTED_IDS])
    more = len(ordered) - _LISTED_IDS
    return shown + (f" (und {more} weitere)" if more > 0 else "") if ordered else "(keine)"


class _Rows:
    """Turns data rows into entries, collecting every problem.

    Each cell is read once, by the parsers of ``cells``; the entries are then built from the
    values read without validating them again (``entries``). The amount cell of every row,
    blank or not, is added to the control sum as it is read, apart from the entries.
    """

    def __init__(
        self,
        layout: _Layout,
        *,
        file_name: str,
        is_csv: bool,
        width: int,
        delimiter: str,
        line_ids: Collection[str] | None,
        source_ids: Collection[str] | None,
    ) -> None:
        self.layout = layout
        self.file_name = file_name
        self.is_csv = is_csv
        self.width = width
        self.delimiter = delimiter
        self.line_ids = None if line_ids is None else frozenset(line_ids)
        self.source_ids = None if source_ids is None else frozenset(source_ids)
        text = self.text = _csv_text if is_csv else _xlsx_text

        def optional(value: object) -> str | None:
            return None if value is None else text(value) or None

        def kind(value: object) -> Literal["expenditure", "credit", "income", "own_funds"] | None:
            return _KINDS.get((text(value) if value is not None else "").casefold())

        # Cells that repeat (kinds, dates, lines, payees, ...) are read once, then shared.
        self.kinds = _Memo(kind)
        self.days = _Memo(_parse_date)
        self.lines = _Memo(optional)
        self.payees = _Memo(optional)
        self.purposes = _Memo(optional)
        self.references = _Memo(optional)
        self.sources = _Memo(optional)
        self.invoice_number = optional  # mostly one per voucher: not worth remembering

        def optional_day(value: object) -> date | None:
            if value is None or (isinstance(value, str) and not value.strip()):
                return None
            return _parse_date(value)

        self.invoice_days = _Memo(optional_day)
        self.entries = _Entries()
        self.problems: list[Problem] = []
        self.expenditures = VoucherColumnsBuilder()
        self.income: list[Income] = []
        self.control = ZERO
        self.amount_read: Decimal | str = "Betrag fehlt"  # the amount, or why it is none
        self.rows = 0
        self.missing_line_rows = 0
        index = layout.index
        self.i_amount = index["amount"]
        self.i_line = index.get("line")
        # Every field's cell in one call; a missing column reads the None past the row's end.
        self.cells = itemgetter(*(index.get(field, width) for field in _ROW_FIELDS))
        # The invoice columns apart: a ledger without them reads its rows as it did before.
        self.invoiced = any(field in index for field in _INVOICE_FIELDS)
        self.invoice_cells = itemgetter(*(index.get(field, width) for field in _INVOICE_FIELDS))
        read = _ROW_FIELDS + _INVOICE_FIELDS if self.invoiced else _ROW_FIELDS
        self.every_column = all(field in index for field in read)
        self.blocks = (
            _BlockReader(
                layout,
                width=width,
                file_name=file_name,
                line_ids=self.line_ids,
                builder=self.expenditures,
            )
            if is_csv
            else None
        )

    def add_block(self, first: int, rows: list[list[str]]) -> None:
        """Read data rows numbered from ``first`` on: a plain block at once, else row by row."""
        if self.blocks is not None:
            read = self.blocks.read(first, rows, self.add)
            if read is not None:
                count, cents = read
                self.rows += count
                self.control += Decimal(cents).scaleb(-2)
                return
        for number, row in enumerate(rows, start=first):
            self.add(number, row)

    def bad(self, number: int, field: str, value: object, message: str) -> None:
        """Record a problem with a cell."""
        where = f"Zeile {number}, Spalte {self.layout.names[field]}"
        self.problems.append(Problem(where, _shown_cell(value), message))

    def add(self, number: int, row: Sequence[object]) -> None:
        """Read one data row (``number`` as in the file)."""
        amount_index = self.i_amount
        try:
            amount = _parse_amount(row[amount_index] if amount_index < len(row) else None)
        except _CellError as exc:
            self.amount_read = str(exc)
        else:
            self.amount_read = amount
            self.control += amount
        if _is_blank(row):
            return
        self.rows += 1
        if self.is_csv and len(row) > self.width and not _is_blank(row[self.width :]):
            self.problems.append(
                Problem(
                    f"Zeile {number}",
                    None,
                    f"{len(row)} Felder, die Kopfzeile hat nur {self.width}; steht das "
                    f"Trennzeichen {_delimiter_name(self.delimiter)} ohne Anführungszeichen "
                    "in einem Text?",
                )
            )
            return
        entry = self.entry(number, row)
        if isinstance(entry, Expenditure):
            self.expenditures.append(entry)
        elif isinstance(entry, Income):
            self.income.append(entry)

    def entry(self, number: int, row: Sequence[object]) -> Expenditure | Income | None:
        """The entry of one non-blank row, or ``None`` after recording its problems.

        The amount is the one ``add`` read for the row (``amount_read``).
        """
        before = len(self.problems)
        width = self.width
        if len(row) == width:
            cells = row if self.every_column else [*row, None]
        else:
            cells = [*row[:width], *_NONE * (width + 1 - min(len(row), width))]
        (
            raw_id,
            raw_date,
            raw_amount,
            raw_net,
            raw_line,
            raw_payee,
            raw_purpose,
            raw_kind,
            raw_reference,
            raw_source,
        ) = self.cells(cells)
        raw_invoice_number, raw_invoice_date = (
            self.invoice_cells(cells) if self.invoiced else (None, None)
        )
        kind = self.kinds[raw_kind]
        voucher = self.text(raw_id) if raw_id is not None else ""
        if not voucher:
            self.bad(number, "id", raw_id, "Belegnummer fehlt")
        try:
            paid_on: date | None = self.days[raw_date]
        except _CellError as exc:
            self.bad(number, "paid_on", raw_date, str(exc))
            paid_on = None
        read = self.amount_read
        amount: Decimal | None = None
        if isinstance(read, str):
            self.bad(number, "amount", raw_amount, read)
        else:
            amount = read
        if kind is None:
            self.bad(
                number,
                "kind",
                raw_kind,
                "unbekannte Art; erlaubt: leer, Ausgabe, Gutschrift, Erstattung, Einnahme, "
                "Eigenmittel",
            )
        elif kind in ("income", "own_funds"):
            for field, raw in (
                ("invoice_number", raw_invoice_number),
                ("invoice_date", raw_invoice_date),
            ):
                if not _is_blank((raw,)):
                    self.bad(
                        number,
                        field,
                        raw,
                        "nur für Ausgaben und Gutschriften; eine Einnahme hat keine Rechnung "
                        "(Zelle leeren oder Art ändern)",
                    )
            return self.income_entry(
                number,
                voucher,
                paid_on,
                amount,
                before,
                raw_payee,
                raw_purpose,
                raw_source,
                own_funds=kind == "own_funds",
            )
        net: Decimal | None = None
        if raw_net is not None and not (isinstance(raw_net, str) and not raw_net.strip()):
            try:
                net = _parse_amount(raw_net)
            except _CellError as exc:
                self.bad(number, "net_amount", raw_net, str(exc))
        invoice_date: date | None = None
        if raw_invoice_date is not None:
            try:
                invoice_date = self.invoice_days[raw_invoice_date]
            except _CellError as exc:
                self.bad(number, "invoice_date", raw_invoice_date, str(exc))
        line = self.lines[raw_line]
        if line is None:
            if self.i_line is None:
                self.missing_line_rows += 1
            else:
                self.bad(number, "line", None, "Einzelansatz fehlt (für Ausgaben erforderlich)")
        elif self.line_ids is not None and line not in self.line_ids:
            self.bad(
                number,
                "line",
                raw_line,
                f"unbekannter Einzelansatz; gültig: {_id_list(self.line_ids)}",
            )
        if len(self.problems) != before or line is None:
            return None
        if paid_on is None or amount is None or kind is None:  # pragma: no cover - reported
            return None
        values = {  # the fields of Expenditure, in order
            "id": voucher,
            "line": line,
            "paid_on": paid_on,
            "amount": amount,
            "net_amount": net,
            "payee": self.payees[raw_payee],
            "purpose": self.purposes[raw_purpose],
            "kind": kind,
            "reference": self.references[raw_reference],
            "origin": f"{self.file_name}:{number}",
            "invoice_number": (
                None if raw_invoice_number is None else self.invoice_number(raw_invoice_number)
            ),
            "invoice_date": invoice_date,
        }
        try:
            return self.entries.expenditure(values)
        except ValidationError as exc:
            self.invalid(number, exc)
            return None

    def income_entry(
        self,
        number: int,
        voucher: str,
        received_on: date | None,
        amount: Decimal | None,
        before: int,
        raw_payer: object,
        raw_purpose: object,
        raw_source: object,
        *,
        own_funds: bool = False,
    ) -> Income | None:
        """The income entry of a row of kind ``Einnahme`` (``Eigenmittel``: own funds)."""
        source = self.sources[raw_source]
        if source is not None and self.source_ids is not None and source not in self.source_ids:
            self.bad(
                number,
                "source",
                raw_source,
                f"unbekannte Finanzierungsquelle; gültig: {_id_list(self.source_ids)}",
            )
        if len(self.problems) != before or received_on is None or amount is None:
            return None
        values = {  # the fields of Income, in order
            "id": voucher,
            "received_on": received_on,
            "amount": amount,
            "source": source,
            "kind": "own_funds" if own_funds else "third_party",
            "phase": None,
            "payer": self.payees[raw_payer],
            "purpose": self.purposes[raw_purpose],
            "origin": f"{self.file_name}:{number}",
        }
        try:
            return self.entries.income(values)
        except ValidationError as exc:
            self.invalid(number, exc)
            return None

    def invalid(self, number: int, exc: ValidationError) -> None:
        """Record the problems of an entry the model refuses.

        The cell parsers do not check what only the model does (an amount of 10¹² € or more,
        a date outside the supported years); such an entry is validated by the model, and
        its message placed at the row and the column of the field.
        """
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            field = _MODEL_FIELDS.get(field, field)
            column = self.layout.names.get(field)
            where = f"Zeile {number}" + (f", Spalte {column}" if column else "")
            message = german_message(error["type"], error["msg"], error.get("ctx"))
            self.problems.append(Problem(where, _shown_cell(error.get("input")), message))

    def ledger(self, file: str, encoding: str | None, *, sheet: str | None = None) -> Ledger:
        """The ledger read, after the control sum; raises with every problem found."""
        if self.missing_line_rows:
            self.problems.insert(
                0,
                Problem(
                    "Kopfzeile",
                    None,
                    f"Spalte {self.layout.names['line']!r} fehlt; sie ist für Ausgaben "
                    f"erforderlich ({self.missing_line_rows} Ausgaben ohne Einzelansatz)",
                ),
            )
        if self.problems:
            raise LedgerError(self.problems, file=file)
        control = self.control
        entered = Decimal(sum(self.expenditures.amounts)).scaleb(-2) + sum(
            (i.amount for i in self.income), ZERO
        )
        count = len(self.expenditures) + len(self.income)
        if control != entered:
            raise LedgerError.single(
                "",
                None,
                f"Kontrollsumme der Spalte {self.layout.names['amount']!r} ({control}) weicht "
                f"von der Summe der gelesenen Belege ({entered}) ab; der Import wurde "
                "abgebrochen",
                file=file,
            )
        if count != self.rows:
            raise LedgerError.single(
                "",
                None,
                f"nur {count} von {self.rows} Datenzeilen als Belege gelesen; der Import wurde "
                "abgebrochen",
                file=file,
            )
        expenditures = VoucherColumns.built(self.expenditures)
        income = tuple(self.income)
        self.expenditures = VoucherColumnsBuilder()
        self.income.clear()
        return Ledger(
            file=file,
            sheet=sheet,
            encoding=encoding,
            rows=self.rows,
            expenditures=expenditures,
            income=income,
            control_sum=control,
        )


class _Options:
    """The reading options shared by CSV and XLSX."""

    def __init__(
        self,
        *,
        name: str,
        names: dict[str, str],
        max_bytes: int,
        line_ids: Collection[str] | None,
        source_ids: Collection[str] | None,
    ) -> None:
        self.name = name
        self.names = names
        self.max_bytes = max_bytes
        self.line_ids = line_ids
        self.source_ids = source_ids


def _read_csv(file: Path, options: _Options, delimiter: str) -> Ledger:
    """Read a CSV ledger."""
    name = options.name
    table = _CsvTable(file, name, options.max_bytes, delimiter)
    layout = _Layout.from_header(
        table.header, options.names, name, csv_line=table.first_line, delimiter=delimiter
    )
    rows = _Rows(
        layout,
        file_name=file.name,
        is_csv=True,
        width=len(table.header),
        delimiter=delimiter,
        line_ids=options.line_ids,
        source_ids=options.source_ids,
    )
    with collector_paused():
        for first, block in table.blocks(BLOCK_ROWS):
            rows.add_block(first, block)
    if table.broken is not None:
        rows.problems.append(table.broken)
    return rows.ledger(name, table.encoding)


def _read_xlsx(file: Path, options: _Options, sheet: str | None) -> Ledger:
    """Read an XLSX ledger."""
    name = options.name
    with _workbook_rows(file, name, options.max_bytes, sheet) as (title, rows):
        where = f"Blatt {title!r}, "
        first = next(rows, None)
        if first is None or _is_blank(first):
            raise LedgerError.single(
                where + "Kopfzeile",
                None,
                "Kopfzeile fehlt (erste Zeile des Blatts leer)",
                file=name,
            )
        header = [_xlsx_text(cell) for cell in first]
        try:
            layout = _Layout.from_header(header, options.names, name)
        except LedgerError as exc:
            raise _in_sheet(exc, where) from None
        entries = _Rows(
            layout,
            file_name=f"{file.name}[{title}]",
            is_csv=False,
            width=len(header),
            delimiter="",
            line_ids=options.line_ids,
            source_ids=options.source_ids,
        )
        for number, row in enumerate(rows, start=2):
            entries.add(number, row)
        try:
            return entries.ledger(name, None, sheet=title)
        except LedgerError as exc:
            raise _in_sheet(exc, where) from None


def _in_sheet(exc: LedgerError, where: str) -> LedgerError:
    """``exc`` with every problem placed in the worksheet ``where`` names."""
    problems = [
        Problem(where + p.path if p.path else where.rstrip(", "), p.value, p.message)
        for p in exc.problems
    ]
    return LedgerError(problems, file=exc.file)


def read_ledger(
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str = ";",
    sheet: str | None = None,
    max_bytes: int = 200_000_000,
    line_ids: Collection[str] | None = None,
    source_ids: Collection[str] | None = None,
) -> Ledger:
    """Read a ledger (Belegbuch) from a CSV or XLSX file.

    The suffix decides the format: ``.xlsx``/``.xlsm`` (and templates) are workbooks, anything
    else is read as CSV. The first row is the header; blank rows are skipped; a row of kind
    ``Einnahme`` becomes an [`Income`][foerdermittel.model.records.Income], every other row an
    [`Expenditure`][foerdermittel.model.records.Expenditure]. For income rows the columns Netto,
    Einzelansatz and Bezug are not used, for expenditures not the Finanzierungsquelle. The
    same voucher number twice and amounts whose sign does not fit the kind are no import
    errors; the proof-of-use checks report them.

    Args:
        path: the CSV or XLSX file.
        columns: column names by field (see ``DEFAULT_LEDGER_COLUMNS``), where they differ.
        delimiter: the CSV delimiter.
        sheet: the worksheet of a workbook; without it the only visible sheet is read, and a
            workbook with several visible sheets (or none) is refused, naming them. Hidden
            sheets are read only when named. Not used for CSV.
        max_bytes: larger files are refused before reading; a workbook may unpack to at most
            five times as much.
        line_ids: the budget lines' ids; an expenditure charged to another line is an error.
        source_ids: the funding sources' ids; income from another source is an error.

    Returns:
        The entries, each with ``origin`` ``"<file name>:<row>"`` (for a workbook
        ``"<file name>[<sheet>]:<row>"``), the sheet read and the control sum.

    Raises:
        LedgerError: the file is missing, too large, not a CSV file or workbook, lacks a
            required column, or has rows that cannot be read — all of them in one error, each
            with row number, column and cell text.
    """
    name = str(path)
    file = Path(path)
    names = _column_names(columns, name)
    _check_delimiter(delimiter, name)
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise LedgerError.single(
            "max_bytes", max_bytes, "größte Dateigröße muss mindestens 1 sein", file=name
        )
    _size_checked(file, name, max_bytes)
    options = _Options(
        name=name, names=names, max_bytes=max_bytes, line_ids=line_ids, source_ids=source_ids
    )
    suffix = file.suffix.lower()
    if suffix in _XLSX_SUFFIXES:
        return _read_xlsx(file, options, sheet)
    if suffix in {".xls", ".ods", ".numbers"}:
        raise LedgerError.single(
            "",
            suffix,
            "Dateiformat wird nicht gelesen; bitte als .xlsx oder CSV speichern",
            file=name,
        )
    return _read_csv(file, options, delimiter)
