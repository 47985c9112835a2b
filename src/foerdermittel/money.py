"""Money and rates: exact Decimal amounts in euros, with named rounding rules.

Every amount in this library is a ``decimal.Decimal`` with exactly two places. Nothing
is rounded by the decimal context's default (half-even): each rounding has a name.

* [`cents`][foerdermittel.money.cents] — kaufmännische Rundung (round half up) to the cent, for
  computed shares and interest.
* [`floor_cents`][foerdermittel.money.floor_cents] — round down to the cent, for ceilings such as
  the grant (rate × eligible expenditure, Höchstbetrag) so that a ceiling is never exceeded.
* [`allocate`][foerdermittel.money.allocate] — split a total over parts by weight (largest
  remainder) so that the parts add up to the total to the cent.

Input is strict: floats, NaN, infinities and amounts with more than two places raise
instead of being rounded. Text is read by [`foerdermittel.parse`][foerdermittel.parse], the
same rules as on the command line and in the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from foerdermittel.parse import (
    ParseError,
    ambiguous_decimal,
    parse_amount,
    parse_number,
    parse_percent,
)

__all__ = [
    "CENT",
    "ZERO",
    "Money",
    "NonNegativeMoney",
    "Rate",
    "allocate",
    "cents",
    "floor_cents",
    "to_money",
    "to_rate",
]

_MAX_DIGITS = 15  # up to 999 999 999 999 999.99 €, well inside Decimal's 28 digits
_WHAT = {"money": "kein Betrag", "rate": "keine Quote"}

CENT = Decimal("0.01")
"""One cent, the quantum of every amount."""

ZERO = Decimal("0.00")
"""Zero euros, with two places."""


def cents(value: Decimal) -> Decimal:
    """Round half up (kaufmännisch) to the cent.

    Examples:
        >>> cents(Decimal("1234.565"))
        Decimal('1234.57')
        >>> cents(Decimal("-0.005"))
        Decimal('-0.01')
    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def floor_cents(value: Decimal) -> Decimal:
    """Round down (towards minus infinity) to the cent; used for ceilings.

    Examples:
        >>> floor_cents(Decimal("0.65") * Decimal("1000.01"))
        Decimal('650.00')
    """
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def _reject(value: object, what: str, reason: str) -> PydanticCustomError:
    return PydanticCustomError(
        "foerdermittel_" + what,
        "{reason}",
        {"reason": reason},
    )


def _parse_decimal(value: object, *, what: str) -> Decimal:
    if isinstance(value, bool):
        raise _reject(value, what, f"{value!r} ist ein Wahrheitswert, kein Betrag")
    if isinstance(value, float):
        raise _reject(
            value,
            what,
            f"{value!r} ist eine Gleitkommazahl (float); bitte als Decimal oder Text angeben, "
            f"z. B. Decimal({str(value)!r}), damit kein Cent verloren geht",
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        number = value
        reason = ambiguous_decimal(value, amount=what == "money")
        if reason is not None:
            raise _reject(value, what, f"{value} ist {_WHAT[what]}: {reason}")
    elif isinstance(value, str):
        try:
            return parse_amount(value) if what == "money" else parse_number(value)
        except ParseError as exc:
            raise _reject(value, what, f"{value!r} ist {_WHAT[what]}: {exc}") from None
    else:
        raise _reject(value, what, f"{value!r} ist keine Zahl (Typ {type(value).__name__})")
    if not number.is_finite():
        raise _reject(value, what, f"{value!r} ist keine endliche Zahl")
    if number != 0 and number.adjusted() >= _MAX_DIGITS:
        raise _reject(
            value,
            what,
            f"{value!r} ist zu groß (höchstens {_MAX_DIGITS} Stellen vor dem Komma)",
        )
    return number


def to_money(value: object) -> Decimal:
    """Read an amount in euros: Decimal, int or text; exactly two places returned.

    Text is read by [`parse_amount`][foerdermittel.parse.parse_amount] (``"1.234,56"``,
    ``"1234.56"``; ``"1.000"`` is ambiguous and refused), the same rules as on the command line
    and in the ledger. A Decimal such as ``100.000`` from a TOML or JSON number is refused like
    the text ``"100.000"``.

    Raises a ``PydanticCustomError`` (a ``ValueError``) for floats, NaN, infinities, text
    that is no amount, and amounts with more than two places — those are never rounded
    silently.

    Examples:
        >>> to_money("9880000"), to_money("1.234,56")
        (Decimal('9880000.00'), Decimal('1234.56'))
        >>> to_money(Decimal("1.005"))
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.PydanticCustomError: 1.005 ist kein Betrag: mehrdeutig: ...
    """
    number = _parse_decimal(value, what="money")
    quantized = number.quantize(CENT)
    if quantized != number:
        raise _reject(
            value,
            "money_places",
            f"{value!r} hat mehr als zwei Nachkommastellen; Beträge werden nicht "
            "stillschweigend gerundet",
        )
    return quantized


def _non_negative(value: object) -> Decimal:
    amount = to_money(value)
    if amount < 0:
        raise _reject(value, "money_negative", f"{amount} ist negativ; erwartet ist ein Betrag ≥ 0")
    return amount


def to_rate(value: object) -> Decimal:
    """Read a rate (Förderquote) in (0, 1]; text such as ``"65 %"`` is read as 0.65.

    Text is read by [`parse_number`][foerdermittel.parse.parse_number] (``"0,65"`` and
    ``"0.65"`` alike; ``"1.000"`` is ambiguous and refused).

    Examples:
        >>> to_rate("65 %")
        Decimal('0.65')
        >>> to_rate(Decimal("0.9"))
        Decimal('0.9')
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            number = parse_percent(text) / 100 if text.endswith("%") else parse_number(text)
        except ParseError as exc:
            raise _reject(value, "rate", f"{value!r} ist keine Quote: {exc}") from None
    else:
        number = _parse_decimal(value, what="rate")
    if not Decimal(0) < number <= Decimal(1):
        raise _reject(
            value,
            "rate_range",
            f'Quote {value!r} liegt nicht im Bereich über 0 bis 1 (z. B. 0.65 oder "65 %")',
        )
    return number


def _as_string(value: Decimal) -> str:
    return str(value)


_MONEY_SCHEMA = {
    "type": "string",
    "pattern": r"^-?\d+(\.\d{1,2})?$",
    "examples": ["9880000.00"],
}

Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(_as_string, return_type=str, when_used="json"),
    WithJsonSchema(
        {**_MONEY_SCHEMA, "description": "Betrag in Euro, höchstens zwei Nachkommastellen"}
    ),
]
"""An amount in euros (any sign), exactly two places; written to JSON as a string."""

NonNegativeMoney = Annotated[
    Decimal,
    BeforeValidator(_non_negative),
    PlainSerializer(_as_string, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            **_MONEY_SCHEMA,
            "pattern": r"^\d+(\.\d{1,2})?$",
            "description": "Betrag in Euro ≥ 0, höchstens zwei Nachkommastellen",
        }
    ),
]
"""An amount in euros that may not be negative."""

Rate = Annotated[
    Decimal,
    BeforeValidator(to_rate),
    PlainSerializer(_as_string, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "description": 'Quote als Dezimalzahl in (0, 1], z. B. "0.65", oder "65 %"',
            "examples": ["0.65", "65 %"],
        }
    ),
]
"""A rate in (0, 1], e.g. the Förderquote 0.65."""


def allocate(total: Decimal, weights: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """Split ``total`` over ``weights`` to the cent, the parts adding up exactly.

    Largest-remainder method: every part first gets its share rounded down to the cent;
    the cents left over go one each to the parts with the largest remainders, ties to the
    earlier part. A zero weight always gets zero. A negative total is split like its
    absolute value and the parts negated.

    Args:
        total: the amount to split, with at most two places.
        weights: non-negative weights, at least one of them positive.

    Returns:
        One amount per weight, each with two places, summing to ``total``.

    Raises:
        ValueError: if the total has more than two places or the weights are unusable.

    Examples:
        >>> allocate(Decimal("100.00"), [Decimal(1), Decimal(1), Decimal(1)])
        (Decimal('33.34'), Decimal('33.33'), Decimal('33.33'))
        >>> allocate(Decimal("-0.05"), [Decimal(2), Decimal(3)])
        (Decimal('-0.02'), Decimal('-0.03'))
    """
    if total.quantize(CENT) != total:
        raise ValueError(f"allocate: Betrag {total} hat mehr als zwei Nachkommastellen")
    if not weights:
        raise ValueError("allocate: keine Gewichte angegeben")
    if any(not w.is_finite() or w < 0 for w in weights):
        raise ValueError(f"allocate: Gewichte müssen endlich und ≥ 0 sein: {list(weights)}")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise ValueError("allocate: die Summe der Gewichte ist 0")
    sign = -1 if total < 0 else 1
    total_cents = int(abs(total) / CENT)
    shares = [Decimal(total_cents) * w / weight_sum for w in weights]
    floors = [int(s) for s in shares]
    left = total_cents - sum(floors)
    order = sorted(
        (i for i, w in enumerate(weights) if w > 0),
        key=lambda i: (-(shares[i] - floors[i]), i),
    )
    for step in range(left):
        floors[order[step % len(order)]] += 1
    return tuple((Decimal(sign * c) * CENT).quantize(CENT) for c in floors)
