"""Reading the cells of a ledger: amounts, dates and text, from CSV text or workbook values.

Amounts and dates in text are read by [`foerdermittel.parse`][foerdermittel.parse], the same
rules as on the command line and in the case file; workbook numbers must have at most two
places, workbook dates no time of day. A cell that cannot be read raises ``_CellError`` with
the German reason, which the row reader places at its row and column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal, TypeVar

from foerdermittel.io.ledger.limits import _MAX_DIGITS
from foerdermittel.money import CENT, ZERO
from foerdermittel.parse import ParseError, parse_amount, parse_date

__all__: list[str] = []

_FORMULA_START = frozenset("=+-@\t\r'")  # a CSV text cell starting so gets a leading "'"


_BLANK: frozenset[object] = frozenset({None, ""})

_MEMO_SIZE = 65_536  # cells a column remembers (see _Memo)

_Value = TypeVar("_Value")


# The forms almost every export writes, with exactly two places: ``1234,56``, ``1.234,56`` and
# ``1234.56``. ``parse_amount`` reads each of them as the digits without the thousands dots,
# so they are read here without its chain of forms (and with the same result, sign of zero
# included); every other text goes through ``parse_amount``.
_COMMA_AMOUNT = re.compile(r"-?[0-9]{1,15},[0-9]{2}", re.ASCII)
_GROUPED_AMOUNT = re.compile(r"-?[1-9][0-9]{0,2}(?:\.[0-9]{3}){1,4},[0-9]{2}", re.ASCII)
_POINT_AMOUNT = re.compile(r"-?[0-9]{1,15}\.[0-9]{2}", re.ASCII)


_KINDS: dict[str, Literal["expenditure", "credit", "income", "own_funds"]] = {
    "": "expenditure",
    "ausgabe": "expenditure",
    "gutschrift": "credit",
    "erstattung": "credit",
    "einnahme": "income",
    "eigenmittel": "own_funds",  # own funds booked to the project: an income entry of that kind
}
"""The kinds of the column Art (compared without regard to case)."""


class _CellError(Exception):
    """A cell that cannot be read; the argument is the German reason."""


@lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> date:
    """A date from text, read by [`parse_date`][foerdermittel.parse.parse_date].

    >>> _parse_date_text("1.2.2025"), _parse_date_text("2025-02-01")
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 1))
    >>> _parse_date_text("31.02.2024")
    Traceback (most recent call last):
    ...
    foerdermittel.io.ledger.cells._CellError: kein Datum: der Februar 2024 hat 29 Tage
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
    foerdermittel.io.ledger.cells._CellError: kein Betrag: mehrdeutig: mit Punkt als ...
    """
    if _COMMA_AMOUNT.fullmatch(text):
        amount = Decimal(text.replace(",", "."))
    elif _GROUPED_AMOUNT.fullmatch(text):
        amount = Decimal(text.replace(".", "").replace(",", "."))
    elif _POINT_AMOUNT.fullmatch(text):
        amount = Decimal(text)
    else:
        return _parsed_amount_text(text)
    return amount if amount else ZERO  # -0,00 is 0.00, as parse_amount reads it


def _parsed_amount_text(text: str) -> Decimal:
    """An amount from text in any form ``parse_amount`` reads, or its refusal."""
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
    """A CSV text cell: stripped, NFC (as ``_nfc``), without the "'" that guards formulas."""
    text = (value if isinstance(value, str) else str(value)).strip()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
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


class _Memo(dict[object, _Value]):
    """Cells read once: ``memo[cell]`` is ``read(cell)``, remembered for text and empty cells.

    A ledger repeats its kinds, budget lines, payees, dates and often its purposes row after
    row; each is read once, and the entries share the value read. At most ``_MEMO_SIZE``
    cells are remembered, the first ones met; the rest are read each time. Other cells
    (workbook numbers, dates) are read each time too: ``1``, ``1.0`` and ``True`` are equal
    keys but not equal texts. An error ``read`` raises is raised again on the next lookup.

    >>> texts = _Memo(_csv_text)
    >>> texts[" A-1 "] is texts[" A-1 "], texts[7], len(texts)
    (True, '7', 1)
    """

    def __init__(self, read: Callable[[object], _Value]) -> None:
        super().__init__()
        self.read = read

    def __missing__(self, cell: object) -> _Value:
        value = self.read(cell)
        if (cell is None or type(cell) is str) and len(self) < _MEMO_SIZE:
            self[cell] = value
        return value


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
