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
| Art                 | ``kind``: Ausgabe, Gutschrift, Erstattung, Einnahme | no (empty: Ausgabe) |
| Bezug               | ``reference``                                       | no                  |
| Finanzierungsquelle | ``source`` (income only)                            | no                  |

Reading is strict: amounts and dates are read by [`foerdermittel.parse`][foerdermittel.parse],
the same rules as on the command line and in the case file: ``1.234,56``, ``1234,56``,
``-1234,56`` or ``1234.56``, at most two places and never rounded; ``1.000`` (thousands dot or
decimal point?) and ``1,234.56`` are errors, never a guess. Dates are ``TT.MM.JJJJ`` (or
``JJJJ-MM-TT``). A workbook is read from the sheet named by ``sheet``, else from its only
visible sheet; with several visible sheets and none named, reading is refused. Every row that
cannot be read is reported with its row number, column and cell text (and the sheet), all of
them in one [`LedgerError`][foerdermittel.io.ledger.LedgerError]. A control sum over the raw
amount cells guards against rows lost on the way.

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

import codecs
import csv
import importlib
import io
import os
import unicodedata
import warnings
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foerdermittel._files import not_a_regular_file
from foerdermittel.errors import CaseError, Problem, german_message
from foerdermittel.io.atomic import write_atomic
from foerdermittel.model.records import DEFAULT_LEDGER_COLUMNS, Expenditure, Income
from foerdermittel.money import CENT, ZERO
from foerdermittel.parse import ParseError, parse_amount, parse_date

__all__ = ["Ledger", "LedgerError", "read_ledger", "write_ledger_csv"]

_REQUIRED = ("id", "paid_on", "amount")
_XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
_MAX_DIGITS = 15  # as foerdermittel.money: up to 999 999 999 999 999.99 €
_MAX_RATIO = 100  # largest compression ratio accepted for a member of an XLSX archive
_MAX_UNPACKED = 5  # the unpacked archive may be at most this many times max_bytes
_LISTED_IDS = 20  # valid ids named in a message
_FORMULA_START = frozenset("=+-@\t\r'")  # a CSV text cell starting so gets a leading "'"
_BLANK: frozenset[object] = frozenset({None, ""})

_KINDS: dict[str, Literal["expenditure", "credit", "income"]] = {
    "": "expenditure",
    "ausgabe": "expenditure",
    "gutschrift": "credit",
    "erstattung": "credit",
    "einnahme": "income",
}
_KIND_NAMES = {"expenditure": "Ausgabe", "credit": "Gutschrift"}
_MODEL_FIELDS = {"received_on": "paid_on", "payer": "payee"}  # Income field -> ledger field
_DELIMITER_NAMES = {";": "Semikolon", ",": "Komma", "\t": "Tabulator", "|": "senkrechter Strich"}


class _Titled(Protocol):
    """A worksheet as far as choosing one goes."""

    @property
    def title(self) -> str: ...

    @property
    def sheet_state(self) -> str: ...


_Sheet = TypeVar("_Sheet", bound=_Titled)


class LedgerError(CaseError):
    """Belegbuch nicht lesbar — a ledger file, or a row of it, that cannot be used.

    Every problem names where it is: ``Zeile 7, Spalte Betrag`` for a cell, ``Zeile 7`` for a
    whole row, ``Kopfzeile`` for the header and an empty path for the file as a whole; the
    value is the cell text as it stands in the file.
    """

    @classmethod
    def single(
        cls, path: str, value: object, message: str, *, file: str | None = None
    ) -> LedgerError:
        """Build an error from a single problem."""
        return cls([Problem(path, value, message)], file=file)


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
        control_sum: the sum of all amount cells, taken in a separate pass over the raw cells;
            it equals the sum of the expenditure and income amounts.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str = Field(description="Datei")
    sheet: str | None = Field(default=None, description="gelesenes Tabellenblatt (nur XLSX)")
    encoding: str | None = Field(description="Zeichenkodierung (nur CSV)")
    rows: int = Field(ge=0, description="gelesene Datenzeilen (ohne Leerzeilen)")
    expenditures: tuple[Expenditure, ...] = Field(description="Ausgaben und Gutschriften")
    income: tuple[Income, ...] = Field(description="Einnahmen")
    control_sum: Decimal = Field(description="Kontrollsumme aller Beträge")


class _CellError(Exception):
    """A cell that cannot be read; the argument is the German reason."""


# --------------------------------------------------------------------------- cells


def _de_number(value: int) -> str:
    """A whole number with German thousands separators, e.g. ``1.048.576``."""
    return f"{value:,}".replace(",", ".")


@lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> date:
    """A date from text, read by [`parse_date`][foerdermittel.parse.parse_date].

    >>> _parse_date_text("1.2.2025"), _parse_date_text("2025-02-01")
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 1))
    >>> _parse_date_text("31.02.2024")
    Traceback (most recent call last):
    ...
    foerdermittel.io.ledger._CellError: kein Datum: der Februar 2024 hat 29 Tage
    """
    try:
        return parse_date(text)
    except ParseError as exc:
        raise _CellError(f"kein Datum: {exc}") from None


def _parse_date(value: object) -> date:
    """A date from a cell: text (see ``_parse_date_text``) or a workbook date cell."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise _CellError("Datum fehlt")
        return _parse_date_text(text)
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise _CellError("Datum mit Uhrzeit; erwartet ist ein Datum ohne Uhrzeit")
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        raise _CellError("Datum fehlt")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _CellError("Zahl statt Datum; ist die Zelle nicht als Datum formatiert?")
    raise _CellError("kein Datum; erwartet TT.MM.JJJJ")


def _checked_size(amount: Decimal) -> Decimal:
    """``amount`` if it has at most fifteen digits before the decimal separator."""
    if amount != 0 and amount.adjusted() >= _MAX_DIGITS:
        raise _CellError(f"Betrag zu groß (höchstens {_MAX_DIGITS} Stellen vor dem Komma)")
    return amount


def _parse_amount_text(text: str) -> Decimal:
    """An amount from text, read by [`parse_amount`][foerdermittel.parse.parse_amount].

    >>> _parse_amount_text("1.234,56"), _parse_amount_text("-1234,5"), _parse_amount_text("7")
    (Decimal('1234.56'), Decimal('-1234.50'), Decimal('7.00'))
    >>> _parse_amount_text("1.000")
    Traceback (most recent call last):
    ...
    foerdermittel.io.ledger._CellError: kein Betrag: mehrdeutig: mit Punkt als ...
    """
    if not text.strip().rstrip("€").strip():
        raise _CellError("Betrag fehlt")
    try:
        return parse_amount(text)
    except ParseError as exc:
        raise _CellError(f"kein Betrag: {exc}") from None


def _parse_amount(value: object) -> Decimal:
    """An amount from a cell: German text, or a workbook number with at most two places."""
    if isinstance(value, str):
        return _parse_amount_text(value)
    if value is None:
        raise _CellError("Betrag fehlt")
    if isinstance(value, bool):
        raise _CellError("Wahrheitswert statt Betrag")
    if isinstance(value, int):
        return _checked_size(Decimal(value)).quantize(CENT)
    if isinstance(value, float | Decimal):
        try:
            number = Decimal(str(value))  # the shortest text that gives the float back
        except InvalidOperation:  # pragma: no cover - str(float) is always a number
            raise _CellError("keine Zahl") from None
        if not number.is_finite():
            raise _CellError("keine endliche Zahl")
        _checked_size(number)
        amount = number.quantize(CENT)
        if amount != number:
            raise _CellError(
                f"Zellwert {number} hat mehr als zwei Nachkommastellen; Beträge werden nicht "
                "gerundet"
            )
        return amount
    if isinstance(value, date | time):
        raise _CellError("Datum statt Betrag")
    raise _CellError("kein Betrag")


def _nfc(text: str) -> str:
    """``text`` stripped and in Unicode normal form C."""
    text = text.strip()
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _csv_text(value: object) -> str:
    """A CSV text cell: stripped, NFC, without the "'" that guards against formulas."""
    text = _nfc(value if isinstance(value, str) else str(value))
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text


def _xlsx_text(value: object) -> str:
    """A workbook cell as text: stripped, NFC; whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return _nfc(str(value))


def _shown_cell(value: object) -> object:
    """A cell value for a message: text stripped, empty as ``None``, other values unchanged."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _is_blank(row: Sequence[object]) -> bool:
    """Whether every cell of the row is empty."""
    for value in row:
        if value not in _BLANK and not (isinstance(value, str) and not value.strip()):
            return False
    return True


def _id_list(ids: Collection[str]) -> str:
    """The first valid ids for a message, sorted."""
    ordered = sorted(ids)
    shown = ", ".join(ordered[:_LISTED_IDS])
    more = len(ordered) - _LISTED_IDS
    return shown + (f" (und {more} weitere)" if more > 0 else "") if ordered else "(keine)"


def _delimiter_name(delimiter: str) -> str:
    """A delimiter for a message, e.g. ``';' (Semikolon)``."""
    name = _DELIMITER_NAMES.get(delimiter)
    return f"{delimiter!r} ({name})" if name else repr(delimiter)


# --------------------------------------------------------------------------- layout


def _column_names(columns: Mapping[str, str] | None, file: str) -> dict[str, str]:
    """The column name per field: the German defaults with ``columns`` applied."""
    names = dict(DEFAULT_LEDGER_COLUMNS)
    problems: list[Problem] = []
    for field, name in (columns or {}).items():
        if field not in names:
            problems.append(
                Problem(
                    f"columns[{field!r}]",
                    field,
                    f"unbekanntes Feld; erlaubt: {', '.join(DEFAULT_LEDGER_COLUMNS)}",
                )
            )
        elif not isinstance(name, str) or not _nfc(name):
            problems.append(Problem(f"columns[{field!r}]", name, "Spaltenname fehlt"))
        else:
            names[field] = _nfc(name)
    seen: dict[str, str] = {}
    for field, name in names.items():
        other = seen.setdefault(name.casefold(), field)
        if other != field:
            problems.append(
                Problem(
                    f"columns[{field!r}]",
                    name,
                    f"derselbe Spaltenname ist schon dem Feld {other!r} zugeordnet",
                )
            )
    if problems:
        raise LedgerError(problems, file=file)
    return names


def _check_delimiter(delimiter: str, file: str) -> None:
    """Refuse a delimiter that is not one character or that csv cannot use."""
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise LedgerError.single(
            "delimiter",
            delimiter,
            "Trennzeichen muss genau ein Zeichen sein (nicht Anführungszeichen oder Zeilenumbruch)",
            file=file,
        )


class _Layout:
    """Where each field's column is in the header row."""

    def __init__(self, names: dict[str, str], index: dict[str, int]) -> None:
        self.names = names
        self.index = index

    @classmethod
    def from_header(
        cls,
        header: Sequence[str],
        names: dict[str, str],
        file: str,
        *,
        csv_line: str | None = None,
        delimiter: str = ";",
    ) -> _Layout:
        """Find the columns; a missing required column (or a wrong delimiter) is an error."""
        position: dict[str, int] = {}
        duplicates: set[str] = set()
        for number, text in enumerate(header):
            key = text.casefold()
            if key in position:
                duplicates.add(key)
            else:
                position[key] = number
        index = {f: position[n.casefold()] for f, n in names.items() if n.casefold() in position}
        problems: list[Problem] = []
        missing = [names[f] for f in _REQUIRED if f not in index]
        if missing:
            problems.append(_missing_columns(missing, header, names, csv_line, delimiter))
        for field, name in names.items():
            if name.casefold() in duplicates:
                problems.append(
                    Problem("Kopfzeile", name, "Spalte kommt mehrfach vor; welche gilt?")
                )
                index.pop(field, None)
        if problems:
            raise LedgerError(problems, file=file)
        return cls(names, index)


def _missing_columns(
    missing: list[str],
    header: Sequence[str],
    names: dict[str, str],
    csv_line: str | None,
    delimiter: str,
) -> Problem:
    """The problem for a header without the required columns; detects a wrong delimiter."""
    if csv_line is not None:
        required = {names[f].casefold() for f in _REQUIRED}
        for candidate in (";", ",", "\t", "|"):
            if candidate == delimiter:
                continue
            try:
                cells = next(csv.reader([csv_line], delimiter=candidate), [])
            except csv.Error:  # pragma: no cover - a single line with lenient parsing
                continue
            if required <= {_nfc(c).casefold() for c in cells}:
                return Problem(
                    "Kopfzeile",
                    csv_line[:200],
                    f"falsches Trennzeichen: erwartet {_delimiter_name(delimiter)}, die Datei "
                    f"ist aber mit {_delimiter_name(candidate)} getrennt (Trennzeichen "
                    f"{candidate!r} angeben)",
                )
    # What was expected, never what the file holds: a file that is no ledger (a case naming
    # /etc/passwd) must not have its first line echoed.
    expected = ", ".join(repr(names[f]) for f in _REQUIRED)
    separated = f", getrennt durch {_delimiter_name(delimiter)}" if csv_line is not None else ""
    return Problem(
        "Kopfzeile",
        None,
        f"Pflichtspalte fehlt: {', '.join(repr(m) for m in missing)}; erwartet wird in der "
        f"ersten Zeile eine Kopfzeile mit mindestens den Spalten {expected}{separated} — "
        "ist das ein Belegbuch?",
    )


# --------------------------------------------------------------------------- rows


class _Rows:
    """Turns data rows into entries, collecting every problem."""

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
        self.text = _csv_text if is_csv else _xlsx_text
        self.problems: list[Problem] = []
        self.expenditures: list[Expenditure] = []
        self.income: list[Income] = []
        self.amount_cells: list[object] = []
        self.rows = 0
        self.missing_line_rows = 0
        index = layout.index
        self.i_id = index["id"]
        self.i_date = index["paid_on"]
        self.i_amount = index["amount"]
        self.i_net = index.get("net_amount")
        self.i_line = index.get("line")
        self.i_payee = index.get("payee")
        self.i_purpose = index.get("purpose")
        self.i_kind = index.get("kind")
        self.i_reference = index.get("reference")
        self.i_source = index.get("source")

    def bad(self, number: int, field: str, value: object, message: str) -> None:
        """Record a problem with a cell."""
        where = f"Zeile {number}, Spalte {self.layout.names[field]}"
        self.problems.append(Problem(where, _shown_cell(value), message))

    def add(self, number: int, row: Sequence[object]) -> None:
        """Read one data row (``number`` as in the file)."""
        amount_index = self.i_amount
        self.amount_cells.append(row[amount_index] if amount_index < len(row) else None)
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

    def cell(self, row: Sequence[object], index: int | None) -> object:
        """The raw cell at ``index`` (``None`` when the column or cell is missing)."""
        if index is None or index >= len(row):
            return None
        return row[index]

    def optional_text(self, row: Sequence[object], index: int | None) -> str | None:
        """A text cell, ``None`` when empty."""
        value = self.cell(row, index)
        if value is None:
            return None
        return self.text(value) or None

    def entry(self, number: int, row: Sequence[object]) -> Expenditure | Income | None:
        """The entry of one non-blank row, or ``None`` after recording its problems."""
        before = len(self.problems)
        cell = self.cell
        raw_kind = cell(row, self.i_kind)
        kind_text = self.text(raw_kind) if raw_kind is not None else ""
        kind = _KINDS.get(kind_text.casefold())
        raw_id = cell(row, self.i_id)
        voucher = self.text(raw_id) if raw_id is not None else ""
        if not voucher:
            self.bad(number, "id", raw_id, "Belegnummer fehlt")
        raw_date = cell(row, self.i_date)
        try:
            paid_on: date | None = _parse_date(raw_date)
        except _CellError as exc:
            self.bad(number, "paid_on", raw_date, str(exc))
            paid_on = None
        raw_amount = cell(row, self.i_amount)
        try:
            amount: Decimal | None = _parse_amount(raw_amount)
        except _CellError as exc:
            self.bad(number, "amount", raw_amount, str(exc))
            amount = None
        if kind is None:
            self.bad(
                number,
                "kind",
                raw_kind,
                "unbekannte Art; erlaubt: leer, Ausgabe, Gutschrift, Erstattung, Einnahme",
            )
        elif kind == "income":
            return self.income_entry(number, row, voucher, paid_on, amount, before)
        net: Decimal | None = None
        raw_net = cell(row, self.i_net)
        if raw_net is not None and not (isinstance(raw_net, str) and not raw_net.strip()):
            try:
                net = _parse_amount(raw_net)
            except _CellError as exc:
                self.bad(number, "net_amount", raw_net, str(exc))
        line = self.optional_text(row, self.i_line)
        if line is None:
            if self.i_line is None:
                self.missing_line_rows += 1
            else:
                self.bad(number, "line", None, "Einzelansatz fehlt (für Ausgaben erforderlich)")
        elif self.line_ids is not None and line not in self.line_ids:
            self.bad(
                number,
                "line",
                cell(row, self.i_line),
                f"unbekannter Einzelansatz; gültig: {_id_list(self.line_ids)}",
            )
        if len(self.problems) != before or line is None:
            return None
        if paid_on is None or amount is None or kind is None:  # pragma: no cover - reported
            return None
        data = {
            "id": voucher,
            "line": line,
            "paid_on": paid_on,
            "amount": amount,
            "net_amount": net,
            "payee": self.optional_text(row, self.i_payee),
            "purpose": self.optional_text(row, self.i_purpose),
            "kind": kind,
            "reference": self.optional_text(row, self.i_reference),
            "origin": f"{self.file_name}:{number}",
        }
        try:
            return Expenditure.model_validate(data)
        except ValidationError as exc:
            self.invalid(number, exc)
            return None

    def income_entry(
        self,
        number: int,
        row: Sequence[object],
        voucher: str,
        received_on: date | None,
        amount: Decimal | None,
        before: int,
    ) -> Income | None:
        """The income entry of a row of kind ``Einnahme``."""
        source = self.optional_text(row, self.i_source)
        if source is not None and self.source_ids is not None and source not in self.source_ids:
            self.bad(
                number,
                "source",
                self.cell(row, self.i_source),
                f"unbekannte Finanzierungsquelle; gültig: {_id_list(self.source_ids)}",
            )
        if len(self.problems) != before or received_on is None or amount is None:
            return None
        data = {
            "id": voucher,
            "received_on": received_on,
            "amount": amount,
            "source": source,
            "kind": "third_party",
            "phase": None,
            "payer": self.optional_text(row, self.i_payee),
            "purpose": self.optional_text(row, self.i_purpose),
            "origin": f"{self.file_name}:{number}",
        }
        try:
            return Income.model_validate(data)
        except ValidationError as exc:
            self.invalid(number, exc)
            return None

    def invalid(self, number: int, exc: ValidationError) -> None:
        """Record the problems of an entry the model refuses.

        The checks above should let no such entry through; this keeps the import safe if the
        models grow stricter.
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
        control = _control_sum(self.amount_cells)
        entered = sum((e.amount for e in self.expenditures), ZERO) + sum(
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
        return Ledger(
            file=file,
            sheet=sheet,
            encoding=encoding,
            rows=self.rows,
            expenditures=tuple(self.expenditures),
            income=tuple(self.income),
            control_sum=control,
        )


def _control_sum(cells: Iterable[object]) -> Decimal:
    """The sum of every amount cell that can be read, ignoring the rest."""
    total = ZERO
    for value in cells:
        try:
            total += _parse_amount(value)
        except _CellError:
            continue
    return total


# --------------------------------------------------------------------------- files


def _size_checked(file: Path, name: str, max_bytes: int) -> int:
    """The file's size; missing, unreadable or too large files raise."""
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise LedgerError.single("", None, "Datei nicht gefunden", file=name) from None
    except OSError as exc:
        raise LedgerError.single("", None, f"nicht lesbar: {exc.strerror}", file=name) from None
    if file.is_dir():
        raise LedgerError.single("", None, "ist ein Verzeichnis, keine Datei", file=name)
    _refuse_size(size, max_bytes, name)
    return size


def _refuse_size(size: int, max_bytes: int, name: str) -> None:
    """Raise when ``size`` exceeds ``max_bytes``."""
    if size > max_bytes:
        raise LedgerError.single(
            "",
            None,
            f"Datei zu groß: {_de_number(size)} Bytes, erlaubt sind höchstens "
            f"{_de_number(max_bytes)} Bytes (max_bytes)",
            file=name,
        )


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 (with or without BOM), else cp1252."""
    if data.startswith(b"PK\x03\x04"):
        raise LedgerError.single(
            "",
            None,
            "keine CSV-Datei, sondern ein ZIP-Archiv (eine Excel-Arbeitsmappe? dann mit der "
            "Endung .xlsx)",
            file=name,
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LedgerError.single(
            "",
            None,
            "UTF-16-Text wird nicht gelesen; bitte als „CSV UTF-8“ speichern",
            file=name,
        )
    if b"\x00" in data:
        raise LedgerError.single("", None, "keine Textdatei (enthält Null-Bytes)", file=name)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise LedgerError.single(
                "",
                None,
                f"beginnt mit UTF-8-Kennung, ist aber kein gültiges UTF-8 (Byte {exc.start + 3})",
                file=name,
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("windows-1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise LedgerError.single(
            "",
            None,
            f"Zeichenkodierung nicht erkannt: weder UTF-8 noch Windows-1252 (Byte {exc.start})",
            file=name,
        ) from None


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
    if (reason := not_a_regular_file(file)) is not None:
        raise LedgerError.single("", None, reason, file=name)
    try:
        with file.open("rb") as handle:
            data = handle.read(options.max_bytes + 1)
    except OSError as exc:
        raise LedgerError.single("", None, f"nicht lesbar: {exc.strerror}", file=name) from None
    _refuse_size(len(data), options.max_bytes, name)
    text, encoding = _decode(data, name)
    del data
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header_cells = next(records, None)
    except csv.Error as exc:
        raise LedgerError.single(
            "Kopfzeile", None, f"CSV-Format fehlerhaft ({exc})", file=name
        ) from None
    if header_cells is None or _is_blank(header_cells):
        raise LedgerError.single("Kopfzeile", None, "Kopfzeile fehlt (Datei leer?)", file=name)
    header = [_nfc(cell) for cell in header_cells]
    first_line = text.split("\n", 1)[0].rstrip("\r")
    layout = _Layout.from_header(
        header, options.names, name, csv_line=first_line, delimiter=delimiter
    )
    rows = _Rows(
        layout,
        file_name=file.name,
        is_csv=True,
        width=len(header),
        delimiter=delimiter,
        line_ids=options.line_ids,
        source_ids=options.source_ids,
    )
    number = 1
    while True:
        try:
            row = next(records)
        except StopIteration:
            break
        except csv.Error as exc:
            rows.problems.append(
                Problem(
                    f"Zeile {number + 1}",
                    None,
                    f"CSV-Format fehlerhaft ({exc}, Textzeile {records.line_num}); "
                    "Anführungszeichen prüfen; der Rest der Datei wurde nicht gelesen",
                )
            )
            break
        number += 1
        rows.add(number, row)
    return rows.ledger(name, encoding)


def _check_archive(file: Path, options: _Options) -> None:
    """Refuse an archive that is no ZIP file or unpacks to too much (a zip bomb)."""
    name = options.name
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise LedgerError.single(
            "", None, f"keine Excel-Arbeitsmappe (kein gültiges ZIP-Archiv: {exc})", file=name
        ) from None
    except OSError as exc:
        raise LedgerError.single("", None, f"nicht lesbar: {exc.strerror}", file=name) from None
    unpacked = sum(member.file_size for member in members)
    limit = _MAX_UNPACKED * options.max_bytes
    if unpacked > limit:
        raise LedgerError.single(
            "",
            None,
            f"Arbeitsmappe entpackt zu groß: {_de_number(unpacked)} Bytes, erlaubt sind "
            f"höchstens {_de_number(limit)} Bytes ({_MAX_UNPACKED} × max_bytes)",
            file=name,
        )
    for member in members:
        if member.file_size > _MAX_RATIO * member.compress_size:
            raise LedgerError.single(
                "",
                member.filename,
                f"Arbeitsmappe verdächtig stark komprimiert ({_de_number(member.compress_size)} "
                f"Bytes entpackt zu {_de_number(member.file_size)} Bytes, mehr als "
                f"{_MAX_RATIO}-fach); sie wird aus Sicherheitsgründen nicht gelesen",
                file=name,
            )


def _workbook_error(exc: Exception, name: str) -> LedgerError:
    """The error for a workbook openpyxl cannot read."""
    defused: type[Exception] = importlib.import_module("defusedxml").DefusedXmlException
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 20:  # openpyxl wraps the parser's error
        chain.append(current)
        current = current.__cause__ or current.__context__
    bomb = next((e for e in chain if isinstance(e, defused)), None)
    broken = next((e for e in chain if isinstance(e, ParseError)), None)
    no_workbook = next(
        (e for e in chain if isinstance(e, zipfile.BadZipFile | InvalidFileException | KeyError)),
        None,
    )
    if bomb is not None:
        message = (
            "Arbeitsmappe enthält unzulässige XML-Konstrukte (DTD oder Entitäten, z. B. eine "
            f"XML-Bombe) und wird aus Sicherheitsgründen nicht gelesen ({type(bomb).__name__})"
        )
    elif broken is not None:
        message = f"Arbeitsmappe beschädigt: fehlerhaftes XML ({broken})"
    elif no_workbook is not None:
        message = f"keine Excel-Arbeitsmappe ({type(no_workbook).__name__}: {no_workbook})"
    else:
        first_line = str(exc).split("\n", 1)[0]
        message = f"Arbeitsmappe nicht lesbar ({type(exc).__name__}: {first_line})"
    return LedgerError.single("", None, message, file=name)


@contextmanager
def _workbook_rows(
    file: Path, options: _Options, sheet: str | None
) -> Iterator[tuple[str, Iterator[tuple[object, ...]]]]:
    """The title and rows (values only) of the worksheet to read; closed on leaving."""
    name = options.name
    _check_archive(file, options)
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise LedgerError.single(
            "",
            None,
            "Excel-Arbeitsmappen werden nur mit defusedxml gelesen (Schutz vor XML-Bomben); "
            "defusedxml ist nicht installiert oder per OPENPYXL_DEFUSEDXML abgeschaltet",
            file=name,
        )
    if (reason := not_a_regular_file(file)) is not None:
        raise LedgerError.single("", None, reason, file=name)
    with file.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = openpyxl.load_workbook(
                    handle, read_only=True, data_only=True, keep_links=False
                )
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise _workbook_error(exc, name) from None
        try:
            worksheet = _chosen_sheet(workbook.worksheets, sheet, name)
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()  # do not trust the stored dimension
            yield worksheet.title, _guarded(worksheet.iter_rows(values_only=True), name)
        finally:
            workbook.close()


def _sheet_list(titles: Iterable[str]) -> str:
    """Sheet names for a message, e.g. ``'Belege', 'Alt'``."""
    return ", ".join(repr(t) for t in titles) or "(keine)"


def _chosen_sheet(worksheets: Sequence[_Sheet], sheet: str | None, name: str) -> _Sheet:
    """The worksheet to read: the one named, else the only visible one; never a guess."""
    titles = [s.title for s in worksheets]
    hidden = [s.title for s in worksheets if s.sheet_state != "visible"]
    visible = [s for s in worksheets if s.sheet_state == "visible"]
    shown = _sheet_list(t for t in titles if t not in hidden) + (
        f" (ausgeblendet: {_sheet_list(hidden)})" if hidden else ""
    )
    if sheet is not None:
        for candidate in worksheets:
            if candidate.title == sheet:
                return candidate
        raise LedgerError.single(
            "sheet", sheet, f"Tabellenblatt nicht gefunden; vorhanden: {shown}", file=name
        )
    if not worksheets:
        raise LedgerError.single("", None, "Arbeitsmappe ohne Tabellenblatt", file=name)
    if len(visible) == 1:
        return visible[0]
    if not visible:
        message = (
            f"Arbeitsmappe ohne sichtbares Tabellenblatt (ausgeblendet: {_sheet_list(hidden)}); "
            "welches Blatt die Belege enthält, bitte angeben (sheet, in der Falldatei "
            "[ledger] sheet)"
        )
    else:
        message = (
            f"Arbeitsmappe mit {len(visible)} sichtbaren Tabellenblättern: {shown}; welches "
            "die Belege enthält, bitte angeben (sheet, in der Falldatei [ledger] sheet)"
        )
    raise LedgerError.single("sheet", None, message, file=name)


def _guarded(rows: Iterator[tuple[object, ...]], name: str) -> Iterator[tuple[object, ...]]:
    """``rows``, with errors of the XML parser turned into a ``LedgerError``."""
    while True:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds for a broken sheet
            raise _workbook_error(exc, name) from None
        yield row


def _read_xlsx(file: Path, options: _Options, sheet: str | None) -> Ledger:
    """Read an XLSX ledger."""
    name = options.name
    with _workbook_rows(file, options, sheet) as (title, rows):
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


# --------------------------------------------------------------------------- writing


def _format_amount(amount: Decimal) -> str:
    """An amount in the German number format without thousands separators, e.g. ``-1234,50``.

    >>> _format_amount(Decimal("-1234.5"))
    '-1234,50'
    """
    return f"{amount.quantize(CENT):f}".replace(".", ",")


def _csv_cell(text: str | None) -> str:
    """A text for a CSV cell; a leading ``= + - @`` gets a ``'`` so no program runs it."""
    if not text:
        return ""
    return "'" + text if text[0] in _FORMULA_START else text


def write_ledger_csv(
    expenditures: Iterable[Expenditure],
    income: Iterable[Income],
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str = ";",
) -> None:
    """Write entries as a German CSV ledger, the format ``read_ledger`` reads.

    The file is UTF-8 with byte order mark (so that Excel shows umlauts), amounts ``1234,56``,
    dates ``TT.MM.JJJJ``, written atomically. A text starting with ``=``, ``+``, ``-``, ``@``
    or ``'`` gets a leading ``'`` so that a spreadsheet program does not run it as a formula;
    [`read_ledger`][foerdermittel.io.ledger.read_ledger] removes it again. Reading the file back
    gives equal entries (apart from ``origin``) as long as texts are stripped and in NFC, as
    [`read_ledger`][foerdermittel.io.ledger.read_ledger] returns them.

    Args:
        expenditures: expenditures and credit notes (Art ``Ausgabe`` / ``Gutschrift``).
        income: income entries (Art ``Einnahme``).
        path: the file to write.
        columns: column names by field, where they differ from the German defaults.
        delimiter: the CSV delimiter.

    Raises:
        LedgerError: an income entry the format cannot hold (other public funding, a phase),
            or unusable column names or delimiter.
        OSError: the file cannot be written.
    """
    name = str(path)
    names = _column_names(columns, name)
    _check_delimiter(delimiter, name)
    fields = list(DEFAULT_LEDGER_COLUMNS)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([names[f] for f in fields])
    for item in expenditures:
        writer.writerow(
            [
                _csv_cell(item.id),
                item.paid_on.strftime("%d.%m.%Y"),
                _format_amount(item.amount),
                "" if item.net_amount is None else _format_amount(item.net_amount),
                _csv_cell(item.line),
                _csv_cell(item.payee),
                _csv_cell(item.purpose),
                _KIND_NAMES[item.kind],
                _csv_cell(item.reference),
                "",
            ]
        )
    problems: list[Problem] = []
    for entry in income:
        if entry.kind != "third_party" or entry.phase is not None:
            problems.append(
                Problem(
                    f"Einnahme {entry.id}",
                    entry.kind if entry.phase is None else entry.phase,
                    "im Belegbuch nicht darstellbar: nur Drittmittel (third_party) ohne Phase",
                )
            )
            continue
        writer.writerow(
            [
                _csv_cell(entry.id),
                entry.received_on.strftime("%d.%m.%Y"),
                _format_amount(entry.amount),
                "",
                "",
                _csv_cell(entry.payer),
                _csv_cell(entry.purpose),
                "Einnahme",
                "",
                _csv_cell(entry.source),
            ]
        )
    if problems:
        raise LedgerError(problems, file=name)
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"))
