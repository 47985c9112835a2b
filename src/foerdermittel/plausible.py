"""Plausible ranges: the bounds a case's figures are checked against when it is loaded.

A value outside its range is almost always a typing error (a rate in percent written as a
fraction, a missing decimal point, an exponent such as ``1e400``). It is refused with the range
in the message, never clamped. Each bound is chosen wide enough for every real grant and says
why:

* [`AMOUNT_LIMIT`][foerdermittel.plausible.AMOUNT_LIMIT] — amounts below 10¹² € (one
  trillion, "eine Billion"). The whole federal budget of 2024 was about 0.48 · 10¹² €; no
  single grant, payout or voucher of a municipality comes near it.
* [`BASE_RATE_RANGE`][foerdermittel.plausible.BASE_RATE_RANGE] — an assumed Basiszinssatz
  (§ 247 BGB) between −5 % and 15 %, with at most two decimal places as the Bundesbank publishes
  it. Since its introduction in 2002 it ranged from −0.88 % (2016–2022) to 3.62 % (2023/24);
  the bounds leave room for far more extreme times without admitting ``-100`` or ``99999``.
* [`YEAR_RANGE`][foerdermittel.plausible.YEAR_RANGE] — budget years 1990 to 2100.
* [`DUE_SOON_DAYS_MAX`][foerdermittel.plausible.DUE_SOON_DAYS_MAX] — a warning period of at
  most 365 days: a deadline a year away is not "due soon".
* [`UNITS_MAX`][foerdermittel.plausible.UNITS_MAX] — at most 10⁹ units for a fixed amount per
  unit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from foerdermittel.money import Money, NonNegativeMoney

__all__ = [
    "AMOUNT_LIMIT",
    "BASE_RATE_PLACES",
    "BASE_RATE_RANGE",
    "DUE_SOON_DAYS_MAX",
    "UNITS_MAX",
    "YEAR_RANGE",
    "PlausibleMoney",
    "PlausibleNonNegativeMoney",
    "amount_problem",
    "base_rate_problem",
    "check_amount",
    "year_problem",
]

AMOUNT_LIMIT = Decimal("1000000000000")
"""Every amount lies below this (10¹² €); see the module text for why."""

BASE_RATE_RANGE = (Decimal(-5), Decimal(15))
"""The plausible range of a Basiszinssatz in percent, both ends included."""

BASE_RATE_PLACES = 2
"""The Basiszinssatz is published with two decimal places."""

YEAR_RANGE = (1990, 2100)
"""The plausible budget years (Haushaltsjahre), both ends included."""

DUE_SOON_DAYS_MAX = 365
"""The longest warning period for a deadline, in days."""

UNITS_MAX = 1_000_000_000
"""The most units a fixed amount per unit may count."""


def amount_problem(amount: Decimal) -> str | None:
    """Why ``amount`` is implausible (its magnitude reaches 10¹² €), or ``None``.

    Examples:
        >>> amount_problem(Decimal("9880000.00")) is None
        True
        >>> print(amount_problem(Decimal("-1000000000000.00")))
        Betrag unplausibel groß: erwartet ist weniger als 1.000.000.000.000 € (eine Billion Euro) dem Betrag nach
    """  # noqa: E501
    if abs(amount) < AMOUNT_LIMIT:
        return None
    return (
        "Betrag unplausibel groß: erwartet ist weniger als 1.000.000.000.000 € "
        "(eine Billion Euro) dem Betrag nach"
    )


def check_amount(amount: Decimal) -> Decimal:
    """``amount`` unchanged if plausible; else a pydantic error naming the range."""
    problem = amount_problem(amount)
    if problem is not None:
        raise PydanticCustomError("foerdermittel_amount_range", "{problem}", {"problem": problem})
    return amount


def base_rate_problem(rate: Decimal) -> str | None:
    """Why ``rate`` (percent) is no plausible Basiszinssatz, or ``None``.

    Examples:
        >>> base_rate_problem(Decimal("1.27")) is None
        True
        >>> print(base_rate_problem(Decimal("99999")))
        Basiszinssatz liegt außerhalb des plausiblen Bereichs von -5 % bis 15 % (seit 2002 zwischen -0,88 % und 3,62 %); anzugeben in Prozent, z. B. 1.27 für 1,27 %
    """  # noqa: E501
    low, high = BASE_RATE_RANGE
    if not rate.is_finite():
        return "Basiszinssatz ist keine endliche Zahl"
    if not low <= rate <= high:
        return (
            f"Basiszinssatz liegt außerhalb des plausiblen Bereichs von {low} % bis "
            f"{high} % (seit 2002 zwischen -0,88 % und 3,62 %); anzugeben in Prozent, z. B. "
            "1.27 für 1,27 %"
        )
    if rate.quantize(Decimal(1).scaleb(-BASE_RATE_PLACES)) != rate:
        return (
            f"Basiszinssatz hat mehr als {BASE_RATE_PLACES} Nachkommastellen; die "
            "Bundesbank veröffentlicht ihn mit zwei (z. B. 1.27)"
        )
    return None


def year_problem(year: int) -> str | None:
    """Why ``year`` is no plausible budget year, or ``None``."""
    low, high = YEAR_RANGE
    if low <= year <= high:
        return None
    return f"Haushaltsjahr {year} ist unplausibel (erwartet {low}–{high})"


PlausibleMoney = Annotated[Money, AfterValidator(check_amount)]
"""An amount in euros (any sign), two places, its magnitude below 10¹² €."""

PlausibleNonNegativeMoney = Annotated[NonNegativeMoney, AfterValidator(check_amount)]
"""An amount in euros ≥ 0, two places, below 10¹² €."""
