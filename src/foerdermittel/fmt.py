r"""German formatting of figures for people (CLI, findings, exports), through babel.

The locale is always explicit (``de_DE`` by default), never taken from the environment, and
numbers are quantised before formatting so that babel's rounding (the decimal context's
half-even) never decides a cent. Separators before ``€`` and ``%`` are no-break spaces
(U+00A0), as CLDR prescribes. babel is imported on first use, so importing the package stays
light.

Examples:
    >>> money(Decimal("9880000"))
    '9.880.000,00\xa0€'
    >>> date(dt.date(2022, 11, 30))
    '30.11.2022'
    >>> percent(Decimal("0.65"))
    '65\xa0%'
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from foerdermittel.money import cents

__all__ = ["DEFAULT_LOCALE", "date", "money", "number", "percent", "weekday_date"]

DEFAULT_LOCALE = "de_DE"


def money(amount: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    """An amount in euros, e.g. ``9.880.000,00 €`` (rounded half up to the cent first)."""
    from babel.numbers import format_currency

    return format_currency(cents(amount), "EUR", locale=locale)


def date(day: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """A date as ``TT.MM.JJJJ``."""
    from babel.dates import format_date

    return format_date(day, format="dd.MM.yyyy", locale=locale)


def weekday_date(day: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """A date with its weekday, e.g. ``Mo., 02.03.2026``."""
    from babel.dates import format_date

    return format_date(day, format="EEE, dd.MM.yyyy", locale=locale)


def number(value: int, locale: str = DEFAULT_LOCALE) -> str:
    """A whole number with thousands separators, e.g. ``3.871`` for a count of vouchers.

    Examples:
        >>> number(3871)
        '3.871'
        >>> number(8)
        '8'
    """
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0", locale=locale)


def percent(rate: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    """A rate as a percentage with as many places as it has, e.g. ``65 %`` or ``62,5 %``."""
    from babel.numbers import format_decimal

    value = rate * 100
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=locale) + "\u00a0%"
