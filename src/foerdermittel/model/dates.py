"""Dates in a case: ISO text or TOML dates, inside the years the holiday data covers.

Every date field of the case model is a [`CaseDate`][foerdermittel.model.dates.CaseDate]:

* It is read from a ``datetime.date`` (a TOML date, or Python) or from text ``JJJJ-MM-TT`` or
  ``TT.MM.JJJJ`` — the one reading of dates the command line and the ledger share
  ([`foerdermittel.parse`][foerdermittel.parse]).
  A number is not a date: pydantic would read ``1632873600`` as a Unix timestamp, and a
  number typed by mistake would silently become a day in another year. A date with a time
  (a TOML date-time, a ``datetime``) is refused too: a day is meant, not a moment.
* It lies in the years the holiday data covers
  ([`covered_years`][foerdermittel.calendar.covered_years]): deadlines are counted in working
  days, so a date outside them could not be worked with, and a date such as 9999-12-31 would
  make the period arithmetic overflow.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from foerdermittel.calendar import covered_years
from foerdermittel.parse import to_date

__all__ = ["CaseDate", "date_range", "supported_dates"]

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")

_NOT_A_DATE = "kein gültiges Datum (erwartet JJJJ-MM-TT)"


@lru_cache(maxsize=1)
def date_range() -> tuple[date, date]:
    """The first and last day a case may name: the years of the holiday data.

    Examples:
        >>> date_range()
        (datetime.date(1991, 1, 1), datetime.date(2100, 12, 31))
    """
    years = covered_years()
    return date(years.start, 1, 1), date(years.stop - 1, 12, 31)


def supported_dates() -> str:
    """The supported range as a German sentence part, e.g. ``01.01.1991–31.12.2100``."""
    first, last = date_range()
    return f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"


def _day(value: object) -> date:
    """Read a date as every date of the case is read ([`to_date`][foerdermittel.parse.to_date]).

    ``JJJJ-MM-TT`` (a TOML date or text) or ``TT.MM.JJJJ``; numbers and dates with a time are
    refused.
    """
    return to_date(value)


def _in_range(day: date) -> date:
    first, last = date_range()
    if not first <= day <= last:
        raise PydanticCustomError(
            "foerdermittel_date_range",
            "liegt außerhalb des unterstützten Zeitraums {range} (die Jahre der "
            "Feiertagsdaten, nach denen Fristen gezählt werden)",
            {"range": supported_dates()},
        )
    return day


CaseDate = Annotated[
    date,
    BeforeValidator(_day),
    AfterValidator(_in_range),
    WithJsonSchema(
        {
            "type": "string",
            "anyOf": [{"format": "date"}, {"pattern": r"^\d{1,2}\.\d{1,2}\.\d{4}$"}],
            "description": "Datum JJJJ-MM-TT (auch TT.MM.JJJJ)",
        }
    ),
]
"""A date of the case: ``JJJJ-MM-TT`` or a date object, within [`date_range`][foerdermittel.model.dates.date_range]."""  # noqa: E501
