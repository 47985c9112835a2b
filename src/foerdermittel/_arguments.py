"""Argument checks for the public functions: one place, German messages.

Each check takes the function's and the argument's name so that the
[`ArgumentError`][foerdermittel.errors.ArgumentError] says where the value went in. The checks
run where a call enters the library; internal callers pass known-good values and are not
checked again.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from foerdermittel.errors import ArgumentError, ArgumentTypeError

__all__ = [
    "check_date",
    "check_decimal",
    "check_enum",
    "check_instance",
    "check_int",
    "check_money",
]

_CENT = Decimal("0.01")
_MAX_DIGITS = 15  # as money.py: up to 999 999 999 999 999.99 €

E = TypeVar("E", bound=Enum)
T = TypeVar("T")


def _type_name(value: object) -> str:
    return type(value).__name__


def check_date(function: str, argument: str, value: object) -> date:
    """A ``datetime.date`` — not a ``datetime``, whose time of day would be carried along."""
    if isinstance(value, datetime):
        raise ArgumentTypeError(
            function,
            argument,
            value,
            "datetime ist kein Datum; bitte datetime.date übergeben (z. B. mit .date())",
        )
    if not isinstance(value, date):
        raise ArgumentTypeError(
            function, argument, value, f"Datum (datetime.date) erwartet, nicht {_type_name(value)}"
        )
    return value


def check_decimal(function: str, argument: str, value: object) -> Decimal:
    """A finite ``Decimal`` or an ``int`` (not a bool, not a float)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ArgumentError(function, argument, value, "keine endliche Zahl")
        return value
    if isinstance(value, bool):
        raise ArgumentTypeError(
            function, argument, value, "Wahrheitswert statt Zahl; Decimal erwartet"
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise ArgumentTypeError(
            function,
            argument,
            value,
            f"Gleitkommazahl (float); bitte Decimal({str(value)!r}) übergeben, damit kein Cent "
            "verloren geht",
        )
    raise ArgumentTypeError(
        function, argument, value, f"Zahl (Decimal) erwartet, nicht {_type_name(value)}"
    )


def check_money(function: str, argument: str, value: object) -> Decimal:
    """An amount: a finite ``Decimal`` or ``int`` with at most two places and 15 digits."""
    number = check_decimal(function, argument, value)
    if number != 0 and number.adjusted() >= _MAX_DIGITS:
        raise ArgumentError(
            function, argument, value, f"zu groß (höchstens {_MAX_DIGITS} Stellen vor dem Komma)"
        )
    if number.quantize(_CENT) != number:
        raise ArgumentError(
            function,
            argument,
            value,
            "mehr als zwei Nachkommastellen; Beträge werden nicht stillschweigend gerundet",
        )
    return number


def check_int(
    function: str,
    argument: str,
    value: object,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """A whole number (``int``, not a bool) within ``minimum``..``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(
            function, argument, value, f"ganze Zahl (int) erwartet, nicht {_type_name(value)}"
        )
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = "" if minimum is None else f"{minimum}"
        high = "" if maximum is None else f"{maximum}"
        raise ArgumentError(function, argument, value, f"außerhalb des Bereichs {low}…{high}")
    return value


def check_enum(function: str, argument: str, value: object, kind: type[E]) -> E:
    """A member of ``kind``, or the text of one of its values (``"forward"``)."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        for member in kind:
            if member.value == value:
                return member
    valid = ", ".join(repr(member.value) for member in kind)
    if not isinstance(value, str):
        raise ArgumentTypeError(
            function, argument, value, f"{kind.__name__} erwartet; gültig sind: {valid}"
        )
    raise ArgumentError(function, argument, value, f"ungültiger Wert; gültig sind: {valid}")


def check_instance(function: str, argument: str, value: object, kind: type[T]) -> T:
    """An instance of ``kind``."""
    if not isinstance(value, kind):
        raise ArgumentTypeError(
            function, argument, value, f"{kind.__name__} erwartet, nicht {_type_name(value)}"
        )
    return value
