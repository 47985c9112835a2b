"""Periods of time: inclusive date ranges and budget years (Haushaltsjahre).

Built directly in Python, a [`Period`][foerdermittel.periods.Period] or
[`Span`][foerdermittel.periods.Span] with an unusable value raises
[`ArgumentError`][foerdermittel.errors.ArgumentError] (a ``ValueError``) with a German message;
inside a case file the same checks become field problems of the file's ``CaseError``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from foerdermittel._arguments import check_date, check_instance, check_int
from foerdermittel.errors import ArgumentError, german_message
from foerdermittel.message_types import Message, words

__all__ = ["MAX_SPAN", "Period", "Span", "budget_year"]

MAX_SPAN = {"days": 365250, "weeks": 52179, "months": 12000, "years": 1000}
"""The longest span per unit: a thousand years. Longer periods are no deadline of any grant."""

_PLURAL = {"days": "Tage", "weeks": "Wochen", "months": "Monate", "years": "Jahre"}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _argument_error(function: str, exc: ValidationError) -> ArgumentError:
    """The first problem of a model built in Python, as an argument error in German."""
    first = exc.errors(include_url=False)[0]
    argument = ".".join(map(str, first["loc"])) or "(zusammen)"
    message = german_message(first["type"], first["msg"], first.get("ctx"))
    return ArgumentError(function, argument, first.get("input"), message)


def _strict_date(value: Any) -> Any:
    """A date as a ``date`` or ISO text (JJJJ-MM-TT) — no datetime, no timestamp number."""
    if isinstance(value, datetime):
        raise PydanticCustomError(
            "foerdermittel_datetime",
            "Datum ohne Uhrzeit erwartet (datetime.date, nicht datetime)",
        )
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise PydanticCustomError("foerdermittel_date", "Datum erwartet (JJJJ-MM-TT)")


class Period(BaseModel):
    """Zeitraum — a range of days, both ends included.

    Attributes:
        start: the first day.
        end: the last day (inclusive); never before ``start``.

    Examples:
        >>> p = Period(start=date(2021, 12, 1), end=date(2022, 11, 30))
        >>> p.days, p.budget_years()
        (365, (2021, 2022))
        >>> p.fits_within(Span(amount=12, unit="months"))
        True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    end: date

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _argument_error("Period", exc) from None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        return _strict_date(value)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise PydanticCustomError(
                "foerdermittel_period_order",
                "Ende {end} liegt vor dem Beginn {start}",
                {"end": self.end.isoformat(), "start": self.start.isoformat()},
            )
        return self

    @property
    def days(self) -> int:
        """Number of days, both ends counted."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in the period."""
        check_date("Period.contains", "day", day)
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        check_instance("Period.overlaps", "other", other, Period)
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or ``None``."""
        check_instance("Period.intersection", "other", other, Period)
        if not self.overlaps(other):
            return None
        return Period(start=max(self.start, other.start), end=min(self.end, other.end))

    def budget_years(self) -> tuple[int, ...]:
        """The budget years (Haushaltsjahre = calendar years, § 4 BHO) the period touches."""
        return tuple(range(self.start.year, self.end.year + 1))

    def latest_end_within(self, span: Span) -> date:
        """The last day of a period of length ``span`` that begins on ``start``.

        A period that begins with the start of a day ends on the day before the day that
        carries the start's number one span later (§ 187 Abs. 2, § 188 Abs. 2 BGB); month
        lengths come from the anchor through ``relativedelta``, never by chaining months.

        Examples:
            >>> p = Period(start=date(2021, 12, 1), end=date(2021, 12, 1))
            >>> p.latest_end_within(Span(amount=12, unit="months"))
            datetime.date(2022, 11, 30)
        """
        check_instance("Period.latest_end_within", "span", span, Span)
        return span.end_from(self.start, "Period.latest_end_within") - timedelta(days=1)

    def fits_within(self, span: Span) -> bool:
        """Whether the period lasts at most ``span``.

        See [`latest_end_within`][foerdermittel.periods.Period.latest_end_within].
        """
        return self.end <= self.latest_end_within(span)


def budget_year(year: int) -> Period:
    """Haushaltsjahr — the budget year ``year``: the calendar year (§ 4 BHO).

    Raises:
        ArgumentError: for a year that is not a whole number from 1 to 9999.

    Examples:
        >>> budget_year(2024).days
        366
    """
    check_int("budget_year", "year", year, minimum=1, maximum=9999)
    return Period(start=date(year, 1, 1), end=date(year, 12, 31))


class Span(BaseModel):
    """Fristlänge — a length of time as the law states it: n days, weeks, months or years.

    Kept as written ("6 Wochen", "2 Monate") rather than converted to days, because
    §§ 187–188 BGB count months and years by the calendar.

    Attributes:
        amount: how many units (≥ 0).
        unit: ``days``, ``weeks``, ``months`` or ``years``.

    Examples:
        >>> str(Span(amount=6, unit="weeks"))
        '6 Wochen'
        >>> date(2025, 8, 31) + Span(amount=6, unit="months").delta
        datetime.date(2026, 2, 28)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: int
    unit: Literal["days", "weeks", "months", "years"]

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _argument_error("Span", exc) from None

    @field_validator("amount", mode="before")
    @classmethod
    def _whole(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PydanticCustomError("foerdermittel_span_amount", "ganze Zahl erwartet")
        return value

    @model_validator(mode="after")
    def _non_negative(self) -> Self:
        if self.amount < 0:
            raise PydanticCustomError(
                "foerdermittel_span_negative",
                "Fristlänge {amount} ist negativ",
                {"amount": self.amount},
            )
        if self.amount > MAX_SPAN[self.unit]:
            raise PydanticCustomError(
                "foerdermittel_span_long",
                "Fristlänge {amount} {unit} ist länger als tausend Jahre (höchstens {limit})",
                {"amount": self.amount, "unit": _PLURAL[self.unit], "limit": MAX_SPAN[self.unit]},
            )
        return self

    def end_from(self, anchor: date, function: str = "Span.end_from") -> date:
        """``anchor`` plus the span; an error, not an overflow, past the year 9999.

        Examples:
            >>> Span(amount=1, unit="months").end_from(date(2024, 1, 31))
            datetime.date(2024, 2, 29)
        """
        check_date(function, "anchor", anchor)
        try:
            return _shifted(anchor, self.amount, self.unit)
        except (ValueError, OverflowError):
            raise ArgumentError(
                function,
                "span",
                str(self),
                f"ab {anchor.isoformat()} endet die Frist nach dem 31.12.9999",
            ) from None

    @property
    def delta(self) -> relativedelta:
        """The span as a ``relativedelta`` to add to an anchor date."""
        return _delta(self.amount, self.unit)

    @property
    def message(self) -> Message:
        """The span as message data (catalogue ``span.<unit>``), for a text in any language.

        Examples:
            >>> from foerdermittel.message_types import words
            >>> span = Span(amount=2, unit="months")
            >>> words(span.message), words(span.message, "en")
            ('2 Monate', '2 months')
        """
        return Message.of(f"span.{self.unit}", count=self.amount)

    def __str__(self) -> str:
        return words(self.message)


def _delta(amount: int, unit: str) -> relativedelta:
    """``amount`` of ``unit`` (days, weeks, months or years) as a ``relativedelta``."""
    if unit == "days":
        return relativedelta(days=amount)
    if unit == "weeks":
        return relativedelta(weeks=amount)
    if unit == "months":
        return relativedelta(months=amount)
    return relativedelta(years=amount)


@lru_cache(maxsize=4096)
def _shifted(anchor: date, amount: int, unit: str) -> date:
    """``anchor`` plus ``amount`` of ``unit``, remembered.

    The same deadlines and approval periods are measured again and again (every scenario
    checks its phases' durations); a date past the year 9999 raises, and is not remembered.
    """
    return anchor + _delta(amount, unit)
