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
same rules as on the command line and in the ledger. The public functions raise
[`ArgumentError`][foerdermittel.errors.ArgumentError] (a ``ValueError``; for a value of the
wrong type [`ArgumentTypeError`][foerdermittel.errors.ArgumentTypeError], also a ``TypeError``)
naming the argument and the value.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from foerdermittel._arguments import check_decimal
from foerdermittel.errors import ArgumentError, ArgumentTypeError, shown
from foerdermittel.parse import (
    MAX_DIGITS,
    ParseError,
    parse_number,
    parse_percent,
    to_number,
)

__all__ = [
    "CENT",
    "ZERO",
    "Money",
    "NonNegativeMoney",
    "Rate",
    "allocate",
    "allocate_valid",
    "cents",
    "floor_cents",
    "from_cents",
    "to_cents",
    "to_money",
    "to_rate",
]


CENT = Decimal("0.01")
"""One cent, the quantum of every amount."""

ZERO = Decimal("0.00")
"""Zero euros, with two places."""


def _rounded(function: str, value: object, rounding: str) -> Decimal:
    number = value if type(value) is Decimal else check_decimal(function, "value", value)
    try:
        result = number.quantize(CENT, rounding=rounding)
    except InvalidOperation:
        result = Decimal("NaN")
    if not result.is_finite():
        reason = "keine endliche Zahl" if not number.is_finite() else "zu groß zum Runden"
        raise ArgumentError(function, "value", value, reason)
    return result


def cents(value: Decimal) -> Decimal:
    """Round half up (kaufmännisch) to the cent.

    Raises:
        ArgumentError: for a float, NaN, an infinity, or a number too large to hold to the
            cent in the decimal context (28 digits by default).

    Examples:
        >>> cents(Decimal("1234.565"))
        Decimal('1234.57')
        >>> cents(Decimal("-0.005"))
        Decimal('-0.01')
    """
    return _rounded("cents", value, ROUND_HALF_UP)


def floor_cents(value: Decimal) -> Decimal:
    """Round down (towards minus infinity) to the cent; used for ceilings.

    Raises:
        ArgumentError: as [`cents`][foerdermittel.money.cents].

    Examples:
        >>> floor_cents(Decimal("0.65") * Decimal("1000.01"))
        Decimal('650.00')
    """
    return _rounded("floor_cents", value, ROUND_FLOOR)


def _reject(value: object, what: str, reason: str) -> PydanticCustomError:
    return PydanticCustomError(
        "foerdermittel_" + what,
        "{reason}",
        {"reason": reason},
    )


def _parse_decimal(value: object, *, what: Literal["money", "rate"]) -> Decimal:
    return to_number(value, kind=what)


def _public(function: str, value: object, error: PydanticCustomError) -> ArgumentError:
    """The argument error of a public function for a value its field validator refused."""
    wrong_type = isinstance(value, bool | float) or not isinstance(value, Decimal | int | str)
    kind = ArgumentTypeError if wrong_type else ArgumentError
    return kind(function, "value", value, error.message())


def to_money(value: object) -> Decimal:
    """Read an amount in euros: Decimal, int or text; exactly two places returned.

    Text is read by [`parse_amount`][foerdermittel.parse.parse_amount] (``"1.234,56"``,
    ``"1234.56"``; ``"1.000"`` is ambiguous and refused), the same rules as on the command line
    and in the ledger. A Decimal such as ``100.000`` from a TOML or JSON number is refused like
    the text ``"100.000"``.

    Raises [`ArgumentError`][foerdermittel.errors.ArgumentError] (a ``ValueError``) for NaN,
    infinities, text that is not a plain decimal number, and amounts with more than two
    places — those are never rounded silently — and
    [`ArgumentTypeError`][foerdermittel.errors.ArgumentTypeError] (also a ``TypeError``) for
    floats and values that are not numbers.

    Examples:
        >>> to_money("9880000"), to_money("1.234,56")
        (Decimal('9880000.00'), Decimal('1234.56'))
        >>> to_money(Decimal("1.005"))
        Traceback (most recent call last):
        ...
        foerdermittel.errors.ArgumentError: to_money: Argument value: 1.005 ist kein Betrag: ...
    """
    try:
        return _to_money(value)
    except PydanticCustomError as exc:
        raise _public("to_money", value, exc) from None


def _to_money(value: object) -> Decimal:
    """[`to_money`][foerdermittel.money.to_money] for field validators: raises pydantic's error."""
    number = _parse_decimal(value, what="money")
    quantized = number.quantize(CENT)
    if quantized != number:
        raise _reject(
            value,
            "money_places",
            f"{shown(value)} hat mehr als zwei Nachkommastellen; Beträge werden nicht "
            "stillschweigend gerundet",
        )
    return quantized


def _non_negative(value: object) -> Decimal:
    amount = _to_money(value)
    if amount < 0:
        raise _reject(value, "money_negative", f"{amount} ist negativ; erwartet ist ein Betrag ≥ 0")
    return amount


def to_rate(value: object) -> Decimal:
    """Read a rate (Förderquote) in (0, 1]; text such as ``"65 %"`` is read as 0.65.

    Text is read by [`parse_number`][foerdermittel.parse.parse_number] (``"0,65"`` and
    ``"0.65"`` alike; ``"1.000"`` is ambiguous and refused).

    Raises [`ArgumentError`][foerdermittel.errors.ArgumentError] for a rate outside (0, 1] —
    ``Decimal("65")`` is not read as 65 % — and
    [`ArgumentTypeError`][foerdermittel.errors.ArgumentTypeError] for floats.

    Examples:
        >>> to_rate("65 %")
        Decimal('0.65')
        >>> to_rate(Decimal("0.9"))
        Decimal('0.9')
    """
    try:
        return _to_rate(value)
    except PydanticCustomError as exc:
        raise _public("to_rate", value, exc) from None


def _to_rate(value: object) -> Decimal:
    """[`to_rate`][foerdermittel.money.to_rate] for field validators: raises pydantic's error."""
    if isinstance(value, str):
        text = value.strip()
        try:
            number = parse_percent(text) / 100 if text.endswith("%") else parse_number(text)
        except ParseError as exc:
            raise _reject(value, "rate", f"{shown(value)} ist keine Quote: {exc}") from None
    else:
        number = _parse_decimal(value, what="rate")
    if not Decimal(0) < number <= Decimal(1):
        raise _reject(
            value,
            "rate_range",
            f'Quote {shown(value)} liegt nicht im Bereich über 0 bis 1 (z. B. 0.65 oder "65 %")',
        )
    return number


def _as_string(value: Decimal) -> str:
    return str(value)


def _money_schema(pattern: str, description: str, minimum: int | None = None) -> dict[str, Any]:
    """An amount as JSON writes it (a string) or as a TOML or JSON file may type it (a number).

    The library writes amounts as strings ("9880000.00") so no reader turns them into binary
    floats; a case or rulebook file may type them as numbers (``cap = 2500000.00``), which the
    loaders read as ``Decimal`` (``parse_float=Decimal``). The schema accepts both, so an editor
    that checks a TOML file against it does not flag what the loader reads.
    """
    number: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        number["minimum"] = minimum
    return {
        "anyOf": [{"type": "string", "pattern": pattern}, number],
        "examples": ["9880000.00"],
        "description": description,
    }


Money = Annotated[
    Decimal,
    BeforeValidator(_to_money),
    PlainSerializer(_as_string, return_type=str, when_used="json"),
    WithJsonSchema(
        _money_schema(r"^-?\d+(\.\d{1,2})?$", "Betrag in Euro, höchstens zwei Nachkommastellen")
    ),
]
"""An amount in euros (any sign), exactly two places; written to JSON as a string."""

NonNegativeMoney = Annotated[
    Decimal,
    BeforeValidator(_non_negative),
    PlainSerializer(_as_string, return_type=str, when_used="json"),
    WithJsonSchema(
        _money_schema(
            r"^\d+(\.\d{1,2})?$", "Betrag in Euro ≥ 0, höchstens zwei Nachkommastellen", 0
        )
    ),
]
"""An amount in euros that may not be negative."""

Rate = Annotated[
    Decimal,
    BeforeValidator(_to_rate),
    PlainSerializer(_as_string, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            ],
            "description": 'Quote als Dezimalzahl in (0, 1], z. B. 0.65, "0.65" oder "65 %"',
            "examples": ["0.65", "65 %"],
        }
    ),
]
"""A rate in (0, 1], e.g. the Förderquote 0.65."""


_HUNDRED = Decimal(100)


def to_cents(amount: Decimal) -> int:
    """An amount with at most two places as a whole number of cents (exact).

    For calculations in integer cents inside the library; the amount must not have more than
    two places (every amount the models hold has exactly two).

    Examples:
        >>> to_cents(Decimal("1234.56")), to_cents(Decimal("-0.05"))
        (123456, -5)
    """
    return int(amount * _HUNDRED)


def from_cents(cents: int) -> Decimal:
    """A whole number of cents as an amount in euros with two places.

    Examples:
        >>> from_cents(123456), from_cents(0)
        (Decimal('1234.56'), Decimal('0.00'))
    """
    return Decimal(cents) * CENT


def _weight(index: int, value: object) -> Decimal:
    weight = check_decimal("allocate", f"weights[{index}]", value)
    if weight < 0:
        raise ArgumentError("allocate", f"weights[{index}]", value, "Gewicht ist negativ")
    return weight


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
        ArgumentError: (a ``ValueError``) if the total has more than two places or more than
            15 digits before the point, or the weights are empty, negative, not finite or
            all zero; ``ArgumentTypeError`` (also a ``TypeError``) for floats, ``None``, text
            or a weight that is not a number.

    Examples:
        >>> allocate(Decimal("100.00"), [Decimal(1), Decimal(1), Decimal(1)])
        (Decimal('33.34'), Decimal('33.33'), Decimal('33.33'))
        >>> allocate(Decimal("-0.05"), [Decimal(2), Decimal(3)])
        (Decimal('-0.02'), Decimal('-0.03'))
    """
    total = check_decimal("allocate", "total", total)
    if total != 0 and total.adjusted() >= MAX_DIGITS:
        raise ArgumentError(
            "allocate", "total", total, f"zu groß (höchstens {MAX_DIGITS} Stellen vor dem Komma)"
        )
    if total.quantize(CENT) != total:
        raise ArgumentError("allocate", "total", total, "hat mehr als zwei Nachkommastellen")
    if isinstance(weights, str | bytes) or not isinstance(weights, Sequence):
        raise ArgumentTypeError(
            "allocate", "weights", weights, "Liste von Gewichten (Decimal) erwartet"
        )
    if not weights:
        raise ArgumentError("allocate", "weights", weights, "keine Gewichte angegeben")
    if any(type(w) is not Decimal or not w.is_finite() or w < 0 for w in weights):
        weights = [_weight(i, w) for i, w in enumerate(weights)]  # ints pass, the rest raise
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise ArgumentError("allocate", "weights", weights, "die Summe der Gewichte ist 0")
    return allocate_valid(total, weights, weight_sum)


def allocate_valid(
    total: Decimal, weights: Sequence[Decimal], weight_sum: Decimal | None = None
) -> tuple[Decimal, ...]:
    """[`allocate`][foerdermittel.money.allocate] for values already known to be valid.

    The calculators split amounts they computed themselves (a year's plan over its months, an
    own share over the lines) many times per evaluation; they skip the checks of the arguments
    that ``allocate`` makes where a value enters the library. The result is the same.

    Examples:
        >>> allocate_valid(Decimal("100.00"), [Decimal(1), Decimal(1), Decimal(1)])
        (Decimal('33.34'), Decimal('33.33'), Decimal('33.33'))
    """
    sign = -1 if total < 0 else 1
    total_cents = int(abs(total).scaleb(2))
    scaled = _integer_weights(weights)
    if scaled is not None:
        floors = _largest_remainder(total_cents, scaled)
    else:  # weights with many places: the quotients in Decimal
        if weight_sum is None:
            weight_sum = sum(weights, Decimal(0))
        if weight_sum <= 0:
            raise ArgumentError("allocate", "weights", weights, "die Summe der Gewichte ist 0")
        shares = [Decimal(total_cents) * w / weight_sum for w in weights]
        floors = [int(s) for s in shares]
        left = total_cents - sum(floors)
        order = sorted(
            (i for i, w in enumerate(weights) if w > 0),
            key=lambda i: (-(shares[i] - floors[i]), i),
        )
        for step in range(left):
            floors[order[step % len(order)]] += 1
    return tuple(Decimal(sign * c).scaleb(-2) for c in floors)


_EXACT_DIGITS = 18
"""Weights scaled to integers with a sum below 10**18: their quotients' floors and remainders
are computed exactly in integers, which gives the same parts as the Decimal quotients (28
digits) do, since two remainders k/W differ by at least 1/W."""


def _integer_weights(weights: Sequence[Decimal]) -> list[int] | None:
    """The weights as integers of one scale (``Decimal("0.25")`` → 25 at scale 2), or ``None``."""
    places = 0
    for weight in weights:
        if weight == weight.to_integral_value():
            continue
        exponent = weight.as_tuple().exponent
        if not isinstance(exponent, int):  # pragma: no cover - weights are finite here
            return None
        places = max(places, -exponent)
    if places > 6:
        return None
    scaled = [int(w.scaleb(places)) for w in weights] if places else [int(w) for w in weights]
    if sum(scaled) >= 10**_EXACT_DIGITS:
        return None
    return scaled


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    """``total`` split over integer ``weights`` by the largest-remainder method, ties first."""
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise ArgumentError("allocate", "weights", weights, "die Summe der Gewichte ist 0")
    floors = []
    remainders = []
    for index, weight in enumerate(weights):
        whole, rest = divmod(total * weight, weight_sum)
        floors.append(whole)
        if weight > 0:
            remainders.append((-rest, index))
    left = total - sum(floors)
    if left:
        order = [index for _, index in sorted(remainders)]
        for step in range(left):
            floors[order[step % len(order)]] += 1
    return floors
