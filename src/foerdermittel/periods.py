"""Periods of time: inclusive date ranges and budget years (Haushaltsjahre)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["Period", "Span", "budget_year"]


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
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or ``None``."""
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
        return self.start + span.delta - timedelta(days=1)

    def fits_within(self, span: Span) -> bool:
        """Whether the period lasts at most ``span``.

        See [`latest_end_within`][foerdermittel.periods.Period.latest_end_within].
        """
        return self.end <= self.latest_end_within(span)


def budget_year(year: int) -> Period:
    """Haushaltsjahr — the budget year ``year``: the calendar year (§ 4 BHO).

    Examples:
        >>> budget_year(2024).days
        366
    """
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

    @model_validator(mode="after")
    def _non_negative(self) -> Self:
        if self.amount < 0:
            raise PydanticCustomError(
                "foerdermittel_span_negative",
                "Fristlänge {amount} ist negativ",
                {"amount": self.amount},
            )
        return self

    @property
    def delta(self) -> relativedelta:
        """The span as a ``relativedelta`` to add to an anchor date."""
        if self.unit == "days":
            return relativedelta(days=self.amount)
        if self.unit == "weeks":
            return relativedelta(weeks=self.amount)
        if self.unit == "months":
            return relativedelta(months=self.amount)
        return relativedelta(years=self.amount)

    def __str__(self) -> str:
        singular = {"days": "Tag", "weeks": "Woche", "months": "Monat", "years": "Jahr"}
        plural = {"days": "Tage", "weeks": "Wochen", "months": "Monate", "years": "Jahre"}
        word = singular[self.unit] if self.amount == 1 else plural[self.unit]
        return f"{self.amount} {word}"
