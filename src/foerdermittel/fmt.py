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
    >>> visible("Titel\x1b[2J")
    'Titel\\x1b[2J'
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from foerdermittel.money import cents

__all__ = [
    "DEFAULT_LOCALE",
    "INVISIBLE",
    "date",
    "money",
    "number",
    "percent",
    "visible",
    "weekday_date",
]

DEFAULT_LOCALE = "de_DE"


def money(amount: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    """An amount in euros, e.g. ``9.880.000,00 €`` (rounded half up to the cent first)."""
    from babel.numbers import format_currency

    return format_currency(cents(amount), "EUR", locale=locale)


def date(day: dt.date, locale: str = DEFAULT_LOCALE, pattern: str = "dd.MM.yyyy") -> str:
    """A date as ``TT.MM.JJJJ`` (or in another CLDR ``pattern``)."""
    from babel.dates import format_date

    return format_date(day, format=pattern, locale=locale)


def weekday_date(
    day: dt.date, locale: str = DEFAULT_LOCALE, pattern: str = "EEE, dd.MM.yyyy"
) -> str:
    """A date with its weekday, e.g. ``Mo., 02.03.2026`` (or in another CLDR ``pattern``)."""
    from babel.dates import format_date

    return format_date(day, format=pattern, locale=locale)


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
    """A rate as a percentage with as many places as it has, e.g. ``65 %`` or ``62,5 %``.

    The sign sits where the locale puts it: after a no-break space in German, directly after
    the figure in English (``62.5%``).

    Examples:
        >>> percent(Decimal("0.625"), "en_GB")
        '62.5%'
    """
    from babel import Locale
    from babel.numbers import format_decimal

    value = rate * 100
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    pattern = "#,##0" + ("." + "0" * places if places else "")
    figure = format_decimal(value, format=pattern, locale=locale)
    sign = str(Locale.parse(locale).percent_formats[None].pattern).replace("#,##0", "")
    return figure + sign


INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal acts on instead of showing: the C0 and C1 control characters with DEL
(an ``ESC`` starts a sequence that moves the cursor, clears the screen or sets the window
title), the line and paragraph separators, and the marks that change the direction of text
(which can make a line read otherwise than it is stored)."""


def visible(text: str, *, newlines: bool = False) -> str:
    r"""User text made safe to print on a terminal: every control character shown, not executed.

    Each character of [`INVISIBLE`][foerdermittel.fmt.INVISIBLE] becomes its escape as Python
    writes it — ``\x1b`` for ESC, ``\n`` for a line break, ``\u202e`` for a right-to-left
    override — so the text shows what the user typed and the terminal does nothing with it.
    Everything else stays as it is: letters, ``€``, umlauts, a backslash. With
    ``newlines=True`` a line break is kept (for text of several lines such as an error
    message); a carriage return is escaped even then, since it lets a line overwrite itself.

    Examples:
        >>> visible("Stadt\x1b]0;pwned\x07Bochum")
        'Stadt\\x1b]0;pwned\\x07Bochum'
        >>> visible("zwei\nZeilen"), visible("zwei\nZeilen", newlines=True)
        ('zwei\\nZeilen', 'zwei\nZeilen')
        >>> visible("Tab\tCR\r\u202eLRO")
        'Tab\\tCR\\r\\u202eLRO'
        >>> visible("Müller & Söhne: 1.234,56\xa0€")
        'Müller & Söhne: 1.234,56\xa0€'
    """
    if not INVISIBLE.search(text):
        return text
    if newlines:
        return "\n".join(INVISIBLE.sub(_escape, part) for part in text.split("\n"))
    return INVISIBLE.sub(_escape, text)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
