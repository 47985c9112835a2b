"""Where a scenario starts on a key date: what is booked, and what is still open.

[`Progress`][foerdermittel.model.scenario.Progress] is what has happened by the key date (built
by [`progress`][foerdermittel.scenarios.progress] from the spending forecast): the vouchers
booked per line and month, and what the forecast still expects. Scenario steps respect it:
what is spent is spent, only what is still open can move, grow or go.

[`Situation`][foerdermittel.model.scenario.Situation] is the working state while a scenario's
steps run: the progress, and what of each line is still open as the steps leave it (a line
scaled first and shifted next shifts the scaled rest). It is the one thing the steps change in
place; the case itself they never change.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, overload

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from foerdermittel.frozen import FrozenMap, ReadOnlyMap, built
from foerdermittel.message_types import Message, message_json, words
from foerdermittel.model.plan import BudgetLine
from foerdermittel.money import ZERO

__all__ = ["Progress", "Situation", "add_months", "month_end", "planned_by_month"]


class Progress(BaseModel):
    """Stand am Stichtag — what has happened by the key date, as scenario steps must respect it.

    Built by [`progress`][foerdermittel.scenarios.progress] from the spending forecast: vouchers
    booked up to the cut-off stay where they are (what is spent is spent; ANBest Nr. 1 with the
    decision counts it in the month it was paid); only what is still open can move, grow or go.

    Attributes:
        as_of: the key date.
        cut_off: the day up to which recorded vouchers replace the plan (``None``: no ledger,
            nothing is booked).
        booked: per line and month (first day), the eligible vouchers booked up to the cut-off.
        remaining: per line and month, what the forecast still expects and is not booked.
        decision_date: the day of the decision (Zuwendungsbescheid), which fixes the rate tier.
        extension_closure: why the programme's extension offer can no longer be taken up on
            the key date, as a message (``None``: it can, or the programme has none).
        extension_ceiling: the latest end the programme allows a phase.
        phase_ends: each phase's end as decided (amendments included) on the key date.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    as_of: date
    cut_off: date | None
    booked: ReadOnlyMap[str, ReadOnlyMap[date, Decimal]]
    remaining: ReadOnlyMap[str, ReadOnlyMap[date, Decimal]]
    decision_date: date
    extension_closure: Annotated[Message, PlainSerializer(message_json)] | None = None
    extension_ceiling: date | None = None
    phase_ends: ReadOnlyMap[str, date] = Field(default_factory=FrozenMap)

    @property
    def extension_closed(self) -> str | None:
        """Why the offer is closed, in German words (``extension_closure`` holds the message)."""
        return None if self.extension_closure is None else words(self.extension_closure)


@dataclass
class Situation:
    """The working state while a scenario's steps run: the progress and what is still open.

    ``remaining`` starts as ``progress.remaining`` and follows the steps (a line scaled first and
    shifted next shifts the scaled rest). A step that replans a line updates it through
    [`write`][foerdermittel.model.scenario.Situation.write]; it is the steps' working state, not
    part of the case, so a fresh situation is made for each run of a scenario.
    """

    progress: Progress
    remaining: dict[str, dict[date, Decimal]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.remaining:
            self.remaining = {k: dict(v) for k, v in self.progress.remaining.items()}

    def booked(self, line_id: str) -> dict[date, Decimal]:
        """The months booked on a line."""
        return dict(self.progress.booked.get(line_id, {}))

    def rest(self, line_id: str) -> dict[date, Decimal]:
        """What of a line is still open, per month."""
        months = self.remaining.get(line_id)
        if not months:
            return {}
        if all(months.values()):  # the usual case: every open month holds an amount
            return dict(months)
        return {m: a for m, a in months.items() if a}

    @overload
    def write(self, line: BudgetLine, rest: Mapping[date, Decimal], first: date) -> BudgetLine: ...

    @overload
    def write(self, line: dict[str, Any], rest: Mapping[date, Decimal], first: date) -> None: ...

    def write(
        self, line: BudgetLine | dict[str, Any], rest: Mapping[date, Decimal], first: date
    ) -> BudgetLine | None:
        """The line planned as its booked months plus ``rest``; ``rest`` is now what is open.

        What was booked in the running month (the cut-off's month, not yet ended) is planned in
        the month before it where that month lies in the phase (``first`` is the phase's first
        month), so that the forecast spreads exactly ``rest`` over the open months, whether or
        not it catches up.

        A line given as a dict (a dumped [`BudgetLine`][foerdermittel.model.plan.BudgetLine], as
        the steps passed it before they worked on the case) is deprecated: it is changed in
        place as before, ``None`` is returned, and a ``DeprecationWarning`` says so.

        Returns:
            A new line with these monthly amounts and the yearly amounts they add up to (no
            profile, no stated total); ``line`` stays as it is.
        """
        line_id = line["id"] if isinstance(line, dict) else line.id
        self.remaining[line_id] = dict(rest)
        monthly = self._planned(line_id, rest, first)
        if isinstance(line, dict):
            warnings.warn(
                "Situation.write with a line as dict is deprecated; pass the BudgetLine and use "
                "the line it returns",
                DeprecationWarning,
                stacklevel=2,
            )
            line["monthly"] = {f"{m:%Y-%m}": a for m, a in sorted(monthly.items())}
            line["amounts"] = _yearly(monthly)
            line["profile"] = None
            line["stated_total"] = None
            return None
        return planned_by_month(line, monthly)

    def _written(self, line: BudgetLine, rest: dict[date, Decimal], first: date) -> BudgetLine:
        """``write`` for a step that hands over ``rest``: built for this, used no more by it.

        ``rest`` becomes the line's open rest as it is, not copied, and its amounts are taken
        as they are: the step has added each to ``ZERO`` already (as ``write`` does), so on a
        line without booked months the open rest is also the plan.
        """
        self.remaining[line.id] = rest
        if not self.progress.booked.get(line.id):
            return planned_by_month(line, rest)
        return planned_by_month(line, self._planned(line.id, rest, first))

    def _planned(
        self, line_id: str, rest: Mapping[date, Decimal], first: date
    ) -> dict[date, Decimal]:
        """A line's months: the booked ones (see ``write``) and ``rest``, each added to ZERO."""
        booked = self.progress.booked.get(line_id)
        if not booked:
            return {month: ZERO + amount for month, amount in rest.items()}
        cut = self.progress.cut_off
        monthly: dict[date, Decimal] = {}
        for month, amount in booked.items():
            target = month
            if cut is not None and month_end(month) > cut and add_months(month, -1) >= first:
                target = add_months(month, -1)
            monthly[target] = monthly.get(target, ZERO) + amount
        for month, amount in rest.items():
            monthly[month] = monthly.get(month, ZERO) + amount
        return monthly


def planned_by_month(line: BudgetLine, monthly: Mapping[date, Decimal]) -> BudgetLine:
    """``line`` planned month by month: these monthly amounts and the years they add up to.

    A profile and a stated total no longer apply (the months say it all). The amounts are
    taken as they are, not validated again.
    """
    months = list(monthly)
    amounts = list(monthly.values())
    if months != sorted(months):  # the steps mostly build their months in order already
        pairs = sorted(monthly.items())
        months, amounts = [m for m, _ in pairs], [a for _, a in pairs]
    values = line.__dict__.copy()
    values["monthly"] = FrozenMap(zip(map(_MONTH_KEYS.__getitem__, months), amounts, strict=True))
    values["amounts"] = FrozenMap(_yearly_run(months, amounts))
    values["profile"] = None
    values["stated_total"] = None
    # what model_copy(update=...) leaves: the line's fields set and the four given here
    return built(BudgetLine, values, line.model_fields_set | _PLANNED)


_PLANNED = frozenset(("monthly", "amounts", "profile", "stated_total"))


class _MonthKeys(dict[date, str]):
    """The key of a monthly amount, ``YYYY-MM``, by the month's first day; made when first asked."""

    def __missing__(self, month: date) -> str:
        if len(self) >= 8192:  # months a scenario builds lie in a few decades; this is a bound
            self.clear()
        key = self[month] = f"{month:%Y-%m}"
        return key


_MONTH_KEYS = _MonthKeys()


def _yearly_run(months: list[date], amounts: list[Decimal]) -> dict[int, Decimal]:
    """The amounts of months in order added up per year (a year's months follow each other)."""
    if not months:
        return {}
    yearly: dict[int, Decimal] = {}
    start = 0
    for year in range(months[0].year, months[-1].year + 1):
        end = bisect_left(months, date(year + 1, 1, 1), start)
        if end > start:
            yearly[year] = sum(amounts[start:end], ZERO)
        start = end
    return yearly


def _yearly(monthly: Mapping[date, Decimal]) -> dict[int, Decimal]:
    """The monthly amounts added up per year, by year."""
    amounts: dict[int, Decimal] = {}
    for month, amount in monthly.items():
        year = month.year
        amounts[year] = amounts.get(year, ZERO) + amount
    return dict(sorted(amounts.items()))


def month_end(month: date) -> date:
    """The last day of ``month``'s month.

    Examples:
        >>> month_end(date(2024, 2, 1))
        datetime.date(2024, 2, 29)
    """
    return date.fromordinal(add_months(month, 1).toordinal() - 1)


@lru_cache(maxsize=8192)
def add_months(month: date, months: int) -> date:
    """The first day of the month ``months`` after ``month``'s (before it, if negative).

    Examples:
        >>> add_months(date(2025, 11, 1), 3)
        datetime.date(2026, 2, 1)
    """
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _shifted(
    source: Mapping[date, Decimal], months: int, floor: date, last: date, beyond: dict[int, Decimal]
) -> dict[date, Decimal]:
    """``source``'s amounts moved by ``months``, each added to ``ZERO``.

    A month moved before ``floor`` lands in ``floor``; one moved past ``last`` leaves and is
    added to ``beyond`` (per year, in the order of the months). Amounts landing in one month
    are added up in the order of ``source``.
    """
    keys = tuple(source)
    if keys and floor <= last and keys == _run(keys[0], len(keys)):
        # consecutive months (the usual case) move to consecutive months: those moved before
        # the floor are a head of the run, those moved past the end a tail
        targets = _run(add_months(keys[0], months), len(keys))
        amounts = list(source.values())
        head = bisect_left(targets, floor)
        end = bisect_right(targets, last)
        moved: dict[date, Decimal] = {}
        start = head
        if head:
            if head < end and targets[head] == floor:
                start += 1
            moved[floor] = sum(amounts[:start], ZERO)
        moved.update(zip(targets[start:end], map(ZERO.__add__, amounts[start:end]), strict=True))
        while end < len(targets):  # the tail, a year's months at a time
            year = targets[end].year
            stop = bisect_left(targets, date(year + 1, 1, 1), end)
            beyond[year] = sum(amounts[end:stop], beyond.get(year, ZERO))
            end = stop
        return moved
    moved = {}
    for month, amount in source.items():
        target = add_months(month, months)
        if target < floor:
            target = floor
        if target > last:
            beyond[target.year] = beyond.get(target.year, ZERO) + amount
        elif target in moved:
            moved[target] += amount
        else:
            moved[target] = ZERO + amount
    return moved


@lru_cache(maxsize=1024)
def _run(first: date, count: int) -> tuple[date, ...]:
    """``count`` months from ``first``'s on, each as its first day."""
    return tuple(add_months(first, index) for index in range(count))
