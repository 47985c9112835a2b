"""One reading of numbers and dates typed by people, for every place that takes text.

The command line, the case file and the ledger all read amounts, rates and dates through the
functions here, so the same text gives the same value — or the same refusal — everywhere.

Numbers (German context):

| text          | read as     | why                                                       |
|---------------|-------------|-----------------------------------------------------------|
| ``1234,56``   | 1234.56     | comma as decimal separator                                |
| ``1.234,56``  | 1234.56     | dots group thousands when a decimal comma follows         |
| ``1.234.567`` | 1234567     | two or more dot groups can only be thousands              |
| ``1234.56``   | 1234.56     | a point with one, two or four and more places is decimal  |
| ``1,5``       | 1.5         | (as an amount 1,50 €)                                     |
| ``1.000``     | refused     | thousands dot (1.000,00) or decimal point (1,00)?         |
| ``100,000``   | refused     | decimal comma (100,00) or English thousands (100.000,00)? |
| ``1,234.56``  | refused     | English format; write ``1.234,56`` or ``1234.56``         |

A dot or a comma followed by exactly three digits, after one to three digits, is ambiguous;
the message shows both readings and how to write the number unambiguously. Signs ``+`` and
``-`` are allowed; spaces inside a number, exponents, ``NaN`` and infinities are not.
Amounts have at most two places (never rounded) and fifteen digits before the separator, and
may end in ``€``. Dates are ``TT.MM.JJJJ`` (also ``T.M.JJJJ``) or ``JJJJ-MM-TT``; two-digit
years and dates with slashes (``06/07/2025``: 6 July or 7 June?) are refused.

Every refusal is a [`ParseError`][foerdermittel.parse.ParseError] whose text is the German
reason; the caller adds what was read (``'1.000' ist kein Betrag: …``).

Examples:
    >>> parse_amount("1.234,56"), parse_amount("1234.5"), parse_amount("7 €")
    (Decimal('1234.56'), Decimal('1234.50'), Decimal('7.00'))
    >>> parse_amount("100.000")
    Traceback (most recent call last):
    ...
    foerdermittel.parse.ParseError: mehrdeutig: mit Punkt als Tausendertrennzeichen 100.000,00 ...
    >>> parse_date("30.06.2025"), parse_date("2025-06-30")
    (datetime.date(2025, 6, 30), datetime.date(2025, 6, 30))
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from foerdermittel.errors import FoerdermittelError

__all__ = [
    "DATE_FORMS",
    "ParseError",
    "Percent",
    "ambiguous_decimal",
    "parse_amount",
    "parse_date",
    "parse_number",
    "parse_percent",
    "to_date",
    "to_number",
    "to_percent",
]

MAX_DIGITS = 15
"""Digits allowed before the decimal separator (up to 999 999 999 999 999,99 €)."""

MAX_PLACES = 10
"""Places allowed after the decimal separator of a rate or percentage."""

DATE_FORMS = "TT.MM.JJJJ oder JJJJ-MM-TT (z. B. 30.06.2025 oder 2025-06-30)"
"""The date forms accepted, for messages."""

_CENT = Decimal("0.01")
_AMBIGUOUS = re.compile(r"([+-]?)([1-9][0-9]{0,2})([.,])([0-9]{3})", re.ASCII)
_PLAIN = re.compile(r"([+-]?)([0-9]+)", re.ASCII)
_COMMA = re.compile(r"([+-]?)([0-9]+),([0-9]+)", re.ASCII)
_GROUPED_COMMA = re.compile(r"([+-]?)([1-9][0-9]{0,2}(?:\.[0-9]{3})+),([0-9]+)", re.ASCII)
_GROUPED = re.compile(r"([+-]?)([1-9][0-9]{0,2}(?:\.[0-9]{3}){2,})", re.ASCII)
_POINT = re.compile(r"([+-]?)([0-9]+)\.([0-9]+)", re.ASCII)
_ENGLISH = re.compile(r"([+-]?)([1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.([0-9]+))?", re.ASCII)
_DATE_DE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", re.ASCII)
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_DATE_SHORT_YEAR = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{2}", re.ASCII)
_DATE_SLASH = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", re.ASCII)
_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
_AMOUNT_FORMS = "erlaubt sind z. B. 1.234,56, 1234,56 oder 1234.56"
_NUMBER_FORMS = "erlaubt sind z. B. 1,27, 1.27 oder 65 %"


class ParseError(FoerdermittelError, ValueError):
    """Text that is not a number, amount or date as this library reads them.

    The message is the German reason without the text itself; callers put the text and the
    field in front of it.
    """


# --------------------------------------------------------------------------- numbers


def _german(value: Decimal) -> str:
    """An amount in German notation with thousands dots, e.g. ``-1.500,00``."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    return sign + f"{int(whole):,}".replace(",", ".") + "," + fraction


def _ambiguity(sign: str, head: str, separator: str, tail: str, *, amount: bool) -> str:
    """The reason for ``head`` ``separator`` ``tail``, naming both readings."""
    thousands = Decimal(f"{sign}{head}{tail}")
    decimal = Decimal(f"{sign}{head}.{tail}")
    mark = "Punkt" if separator == "." else "Komma"
    as_thousands = f"mit {mark} als Tausendertrennzeichen"
    as_decimal = f"mit {mark} als Dezimaltrenner"
    places = len(tail.rstrip("0"))
    if amount:
        first = f"{_german(thousands)} €"
        writings = f"{_german(thousands)} oder {thousands}.00"
        if places <= 2:
            second = f"{_german(decimal)} €"
            writings += f" bzw. {_german(decimal)}"
        else:
            second = f"{sign}{head},{tail} (mehr als zwei Nachkommastellen, kein Betrag in Euro)"
    else:
        first = str(thousands)
        second = f"{sign}{head},{tail.rstrip('0')}".rstrip(",")
        # three places are written with a fourth so that they cannot be read as thousands
        writings = f"{thousands} bzw. {second}" + ("0" if places == 3 else "")
    readings = (
        f"{as_thousands} {first}, {as_decimal} {second}"
        if separator == "."
        else f"{as_decimal} {second}, {as_thousands} {first}"
    )
    return f"mehrdeutig: {readings}; eindeutig geschrieben: {writings}"


def _number(text: str, *, amount: bool) -> Decimal:
    """The number in ``text`` (already stripped) by the rules of this module."""
    forms = _AMOUNT_FORMS if amount else _NUMBER_FORMS
    if not text:
        raise ParseError("leer")
    if match := _AMBIGUOUS.fullmatch(text):
        raise ParseError(_ambiguity(*match.groups(), amount=amount))
    if match := _PLAIN.fullmatch(text):
        sign, whole, fraction = *match.groups(), ""
    elif match := _COMMA.fullmatch(text) or _GROUPED_COMMA.fullmatch(text):
        sign, whole, fraction = match.groups()
    elif match := _GROUPED.fullmatch(text):
        sign, whole, fraction = *match.groups(), ""
    elif match := _POINT.fullmatch(text):
        sign, whole, fraction = match.groups()
    elif match := _ENGLISH.fullmatch(text):
        sign, whole, fraction = match.groups()
        german = whole.replace(",", ".") + ("," + fraction if fraction else "")
        plain = whole.replace(",", "") + ("." + fraction if fraction else "")
        raise ParseError(
            "englisches Zahlenformat (Komma als Tausendertrennzeichen, Punkt als "
            f"Dezimaltrenner); bitte {sign}{german} oder {sign}{plain} schreiben"
        )
    else:
        raise ParseError(
            f"keine Zahl; {forms} (Komma oder Punkt als Dezimaltrenner, Tausenderpunkte nur "
            "vor einem Dezimalkomma; ohne Leerzeichen und Exponent)"
        )
    digits = whole.replace(".", "").lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise ParseError(f"zu groß (höchstens {MAX_DIGITS} Stellen vor dem Komma)")
    if amount and len(fraction) > 2:
        raise ParseError("mehr als zwei Nachkommastellen; Beträge werden nicht gerundet")
    if len(fraction) > MAX_PLACES:
        raise ParseError(f"zu viele Nachkommastellen (höchstens {MAX_PLACES})")
    number = Decimal(f"{sign}{digits or '0'}" + (f".{fraction}" if fraction else ""))
    return abs(number) if number == 0 else number


def parse_number(text: str) -> Decimal:
    """A decimal number (a rate, a percentage) from text; any number of places up to ten.

    Examples:
        >>> parse_number("1,27"), parse_number("-0.88"), parse_number("0,655")
        (Decimal('1.27'), Decimal('-0.88'), Decimal('0.655'))
        >>> parse_number("1,250")
        Traceback (most recent call last):
        ...
        foerdermittel.parse.ParseError: mehrdeutig: mit Komma als Dezimaltrenner 1,25, mit ...

    Raises:
        ParseError: the text is no number, is ambiguous, or has too many digits.
    """
    return _number(text.strip(), amount=False)


def parse_amount(text: str) -> Decimal:
    """An amount in euros from text, with exactly two places; a trailing ``€`` is allowed.

    Examples:
        >>> parse_amount("-1234,5"), parse_amount("1.234.567"), parse_amount("+0,01 €")
        (Decimal('-1234.50'), Decimal('1234567.00'), Decimal('0.01'))

    Raises:
        ParseError: the text is no amount, is ambiguous, has more than two places or more
            than fifteen digits before the separator.
    """
    stripped = text.strip()
    if stripped.endswith("€"):
        stripped = stripped[:-1].rstrip()
    return _number(stripped, amount=True).quantize(_CENT)


def parse_percent(text: str) -> Decimal:
    """A percentage from text, in percent: ``1,27``, ``1.27`` and ``1,27 %`` are all 1.27.

    Raises:
        ParseError: the text is no number or is ambiguous.
    """
    stripped = text.strip()
    if stripped.endswith("%"):
        stripped = stripped[:-1].rstrip()
    return parse_number(stripped)


def ambiguous_decimal(value: Decimal, *, amount: bool) -> str | None:
    """The reason a number read from a file (TOML, JSON) is ambiguous, or ``None``.

    ``amount = 100.000`` in a TOML file is the number 100.000, but its writer most likely
    meant 100.000,00 €; such a number is refused like the text ``"100.000"``.
    """
    if not value.is_finite():
        return None
    match = _AMBIGUOUS.fullmatch(f"{value:f}")
    if match is None:
        return None
    return _ambiguity(*match.groups(), amount=amount)


# --------------------------------------------------------------------------- dates


def parse_date(text: str) -> date:
    """A date from ``TT.MM.JJJJ``, ``T.M.JJJJ`` or ``JJJJ-MM-TT``.

    Examples:
        >>> parse_date(" 1.2.2025 ")
        datetime.date(2025, 2, 1)
        >>> parse_date("31.02.2025")
        Traceback (most recent call last):
        ...
        foerdermittel.parse.ParseError: der Februar 2025 hat 28 Tage

    Raises:
        ParseError: another form, a two-digit year, slashes, or a day that does not exist.
    """
    value = text.strip()
    if not value:
        raise ParseError(f"leer; erwartet {DATE_FORMS}")
    if german := _DATE_DE.fullmatch(value):
        day, month, year = (int(part) for part in german.groups())
    elif iso := _DATE_ISO.fullmatch(value):
        year, month, day = (int(part) for part in iso.groups())
    elif _DATE_SHORT_YEAR.fullmatch(value):
        raise ParseError(f"zweistellige Jahreszahl; erwartet {DATE_FORMS}")
    elif slash := _DATE_SLASH.fullmatch(value):
        raise ParseError(_slash_reason(*(int(part) for part in slash.groups())))
    else:
        raise ParseError(f"erwartet {DATE_FORMS}")
    if not 1 <= month <= 12:
        raise ParseError(f"einen Monat {month} gibt es nicht")
    if year < 1:
        raise ParseError(f"ein Jahr {year} gibt es nicht")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ParseError(f"der {_MONTHS[month - 1]} {year} hat {last} Tage")
    return date(year, month, day)


def _slash_reason(first: int, second: int, year: int) -> str:
    """Why ``first/second/year`` is refused, with both readings where both exist."""
    readings = []
    for day, month in ((first, second), (second, first)):
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(max(year, 1), month)[1]:
            readings.append(date(max(year, 1), month, day))
    if len(readings) == 2 and readings[0] != readings[1]:
        a, b = readings
        return (
            f"mehrdeutig: Tag/Monat ergibt den {a.day}. {_MONTHS[a.month - 1]} {year}, "
            f"Monat/Tag den {b.day}. {_MONTHS[b.month - 1]} {year}; eindeutig geschrieben: "
            f"{a:%d.%m.%Y} bzw. {b:%d.%m.%Y} (oder {a.isoformat()} bzw. {b.isoformat()})"
        )
    return f"Datum mit Schrägstrichen (Tag/Monat oder Monat/Tag?); erwartet {DATE_FORMS}"


# --------------------------------------------------------------------------- model types


def _reject(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("foerdermittel_" + kind, "{message}", {"message": message})


def to_date(value: object) -> date:
    """Read a date of the case: a date, or text as ``parse_date``.

    Numbers are refused (a Unix timestamp is no date a person writes), and so is a date with
    a time, even midnight: a day is meant, not a moment.

    Examples:
        >>> to_date("30.06.2025"), to_date(date(2025, 6, 30))
        (datetime.date(2025, 6, 30), datetime.date(2025, 6, 30))
    """
    if isinstance(value, datetime):
        raise _reject("date", f"Datum mit Uhrzeit; erwartet ein Datum, {DATE_FORMS}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ParseError as exc:
            raise _reject("date", f"{value!r} ist kein Datum: {exc}") from None
    if isinstance(value, bool | int | float | Decimal):
        raise _reject("date", f"Zahl statt Datum; erwartet {DATE_FORMS}")
    raise _reject("date", f"kein Datum (Typ {type(value).__name__}); erwartet {DATE_FORMS}")


def to_number(value: object, *, kind: Literal["money", "rate", "percent"]) -> Decimal:
    """Read a number of the case — an amount, a rate or a percentage — without rounding it.

    Decimal and int are taken as they are (a Decimal whose written form is ambiguous, such as
    ``1.000`` from a TOML number, is refused like the text ``"1.000"``); text is read by
    ``parse_amount``, ``parse_number`` or ``parse_percent``. Floats, booleans, NaN,
    infinities and numbers of more than ``MAX_DIGITS`` digits before the point are refused
    with a pydantic error whose type is ``foerdermittel_<kind>``.

    Examples:
        >>> to_number("1.234,56", kind="money"), to_number(2, kind="percent")
        (Decimal('1234.56'), Decimal('2'))
    """
    noun = _NOUN[kind]
    if isinstance(value, bool):
        raise _reject(kind, f"{value!r} ist ein Wahrheitswert, {noun}")
    if isinstance(value, float):
        raise _reject(
            kind,
            f"{value!r} ist eine Gleitkommazahl (float); bitte als Decimal oder Text angeben, "
            f"z. B. Decimal({str(value)!r}), damit nichts verloren geht",
        )
    if isinstance(value, int):
        number = Decimal(value)  # held to the digit limit below
    elif isinstance(value, Decimal):
        number = value
        reason = ambiguous_decimal(value, amount=kind == "money")
        if reason is not None:
            raise _reject(kind, f"{value} ist {noun}: {reason}")
    elif isinstance(value, str):
        read = {"money": parse_amount, "rate": parse_number, "percent": parse_percent}[kind]
        try:
            return read(value)
        except ParseError as exc:
            raise _reject(kind, f"{value!r} ist {noun}: {exc}") from None
    else:
        raise _reject(kind, f"{value!r} ist {noun} (Typ {type(value).__name__})")
    if not number.is_finite():
        raise _reject(kind, f"{value!r} ist keine endliche Zahl")
    if number != 0 and number.adjusted() >= MAX_DIGITS:
        raise _reject(kind, f"{value!r} ist zu groß (höchstens {MAX_DIGITS} Stellen vor dem Komma)")
    return number


_NOUN = {"money": "kein Betrag", "rate": "keine Quote", "percent": "kein Prozentsatz"}


def to_percent(value: object) -> Decimal:
    """Read a percentage of the case: Decimal, int, or text as ``parse_percent``; no floats.

    Examples:
        >>> to_percent("1,27 %"), to_percent(Decimal("-0.88")), to_percent(2)
        (Decimal('1.27'), Decimal('-0.88'), Decimal('2'))
    """
    return to_number(value, kind="percent")


Percent = Annotated[
    Decimal,
    BeforeValidator(to_percent),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "number"}],
            "description": 'Prozentsatz, z. B. 1.27, "1,27" oder "-0,88 %"',
            "examples": ["1.27", "-0,88 %"],
        }
    ),
]
"""A percentage in percent (``1.27`` is 1,27 %), any sign."""
