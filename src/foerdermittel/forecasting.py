"""Spending forecast (Ausgabenprognose): planned and actual expenditure per line and month.

Each budget line's planned amount for a budget year is spread over the months of that year
that lie in the line's phase: evenly by default, by a named monthly profile, or by explicit
monthly amounts. Every spread uses [`allocate`][foerdermittel.money.allocate], so the months add up
to the year to the cent.

Where expenditures are recorded, the vouchers that count
([`foerdermittel.vouchers`][foerdermittel.vouchers]: inside the approval period, each once, net
where input tax is deductible) replace the plan for
the past: months that ended on or
before the cut-off (``settings.ledger_complete_until``, by default the key date once any
expenditure is recorded) show what was actually paid. What the plan still holds for the line
is then spread over the months that remain, in proportion to their planned amounts (or evenly
where none are planned); with ``settings.forecast_catch_up = false`` the remaining months keep
their planned amounts instead. Planned money that no month of the phase can take any more is
reported as ``unplaced``.

A flat-rate line (Pauschale, ``BudgetLine.flat_rate``) has no vouchers: what it has spent is
its rate times what its base lines have spent, rounded down to the cent
([`foerdermittel.flat_rates`][foerdermittel.flat_rates]), the same figure the proof of use
settles.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from foerdermittel.errors import NotFoundError
from foerdermittel.flat_rates import flat_rate_lines, flat_rate_split
from foerdermittel.frozen import (
    LaterTuple,
    WeakMemo,
    _new,
    _set_dict,
    _set_extra,
    _set_fields_set,
    _set_private,
    built,
)
from foerdermittel.model.case import Case
from foerdermittel.model.grant import Phase
from foerdermittel.model.plan import BudgetLine
from foerdermittel.money import ZERO, allocate_valid
from foerdermittel.vouchers import eligible_by_month

__all__ = [
    "Forecast",
    "LineForecast",
    "MonthAmount",
    "MonthAmounts",
    "forecast",
    "month_end",
    "months_of",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


@lru_cache(maxsize=4096)
def month_end(month: date) -> date:
    """The last day of ``month``'s month.

    Examples:
        >>> month_end(date(2024, 2, 1))
        datetime.date(2024, 2, 29)
    """
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def months_of(start: date, end: date) -> Iterator[date]:
    """The first days of the months from ``start``'s month to ``end``'s month."""
    return iter(_months(start, end))


@lru_cache(maxsize=256)
def _months(start: date, end: date) -> tuple[date, ...]:
    """[`months_of`][foerdermittel.forecasting.months_of] as a tuple, once per span."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return tuple(months)


@lru_cache(maxsize=4096)
def _key_month(key: str) -> date:
    """The first day of the month of a monthly amount's key ``YYYY-MM``."""
    return date(int(key[:4]), int(key[5:]), 1)


def _last_past_month(cut: date) -> date:
    """The last month that has ended on or before ``cut`` (``month_end(m) <= cut``)."""
    first = cut.replace(day=1)
    return first if month_end(first) == cut else (first - timedelta(days=1)).replace(day=1)


_ONE = Decimal(1)


@lru_cache(maxsize=1024)
def _even(amount: Decimal, count: int) -> tuple[Decimal, ...]:
    """``amount`` split evenly over ``count`` months to the cent (``allocate`` by equal weights)."""
    return allocate_valid(amount, (_ONE,) * count)


class MonthAmount(_Frozen):
    """One month of a line: planned, actually paid, and the forecast.

    Attributes:
        month: the first day of the month.
        planned: the planned amount.
        actual: the expenditures recorded for the month (``None`` where the month is not past).
        forecast: the expected expenditure: ``actual`` for past months, the spread remainder
            for the others.
    """

    month: date
    planned: Decimal
    actual: Decimal | None
    forecast: Decimal


_MONTH_FIELDS = set(MonthAmount.model_fields)
"""The fields of a month, every one of which a forecast's months set (shared, as ``built``)."""


class MonthAmounts(LaterTuple[MonthAmount]):
    """The months of a line's forecast, in order; read it like a tuple of its months.

    It behaves as the tuple of its months does (a
    [`LaterTuple`][foerdermittel.frozen.LaterTuple]); pydantic dumps and validates it as
    ``tuple[MonthAmount, ...]``. A forecast built by
    [`forecast`][foerdermittel.forecasting.forecast] builds a line's months when they are first
    read: the calculators read the forecast's month sums, most callers only the totals.

    Examples:
        >>> from foerdermittel import load_case
        >>> f = forecast(load_case("examples/bochum-mpsc.toml").amended(), date(2021, 1, 1))
        >>> months = f.line("A-1").months
        >>> len(months), months[0].month, months == tuple(months)
        (19, datetime.date(2021, 12, 1), True)
    """

    __slots__ = ()

    items_type = tuple[MonthAmount, ...]


def _planned_items(plan: dict[date, Decimal]) -> tuple[MonthAmount, ...]:
    """The months of a line forecast as planned: each month's plan is its forecast."""
    items = []
    every = _MONTH_FIELDS
    for month, planned in plan.items():
        item = _new(MonthAmount)
        _set_dict(item, {"month": month, "planned": planned, "actual": None, "forecast": planned})
        _set_fields_set(item, every)
        _set_extra(item, None)
        _set_private(item, None)
        items.append(item)
    return tuple(items)


def _month_items(
    months: list[date],
    planned: list[Decimal],
    expected: list[Decimal],
    actual: dict[date, Decimal],
    first_future: int,
) -> tuple[MonthAmount, ...]:
    """The months of a line forecast: planned, recorded up to ``first_future``, expected."""
    items = []
    every = _MONTH_FIELDS
    for index, month in enumerate(months):
        item = _new(MonthAmount)
        _set_dict(
            item,
            {
                "month": month,
                "planned": planned[index],
                "actual": actual.get(month, ZERO) if index < first_future else None,
                "forecast": expected[index],
            },
        )
        _set_fields_set(item, every)
        _set_extra(item, None)
        _set_private(item, None)
        items.append(item)
    return tuple(items)


class LineForecast(_Frozen):
    """The forecast of one budget line.

    Attributes:
        line: the line's id.
        phase: its phase.
        months: month by month, in order.
        planned: the line's planned total.
        actual: expenditures recorded up to the cut-off.
        forecast: the total expected expenditure.
        unplaced: planned money no remaining month of the phase can take.
    """

    line: str
    phase: str
    months: MonthAmounts
    planned: Decimal
    actual: Decimal
    forecast: Decimal
    unplaced: Decimal


class Forecast(_Frozen):
    """Ausgabenprognose — the forecast of every line.

    Attributes:
        cut_off: the day up to which recorded expenditures replace the plan (``None``: none do).
        lines: the forecast of each line.
    """

    cut_off: date | None
    lines: tuple[LineForecast, ...]

    def phase_months(self, phase_id: str) -> dict[date, Decimal]:
        """The forecast expenditure of one phase per month."""
        return dict(_month_totals(self).phases.get(phase_id, {}))

    def line(self, line_id: str) -> LineForecast:
        """The forecast of one line.

        Raises:
            NotFoundError: no such line (a ``KeyError``).
        """
        for item in self.lines:
            if item.line == line_id:
                return item
        raise NotFoundError("Einzelansatz", line_id, known=(i.line for i in self.lines))


@dataclass(frozen=True)
class _Totals:
    """What the calculators sum from a forecast's months, summed once per forecast.

    Attributes:
        phases: per phase, the forecast expenditure per month (by month).
        planned: the planned expenditure of all lines per month.
        expected: the forecast expenditure of all lines per month.
        recorded: the months whose expenditure is recorded (past the cut-off) in some line.
        lines: per phase, each of its lines (in the forecast's order) as its months and its
            forecast expenditure in them.
    """

    phases: dict[str, dict[date, Decimal]]
    planned: dict[date, Decimal]
    expected: dict[date, Decimal]
    recorded: set[date]
    lines: dict[str, list[tuple[list[date], list[Decimal]]]]


_TOTALS: WeakMemo[_Totals] = WeakMemo()


def _month_totals(spending: Forecast) -> _Totals:
    """The sums of ``spending``'s months, summed once per forecast.

    [`forecast`][foerdermittel.forecasting.forecast] sums them while it builds the months;
    for a forecast built otherwise they are summed from its lines. Several calculators read
    them from the same forecast: they are remembered with the forecast (which is immutable) as
    long as it lives. The sums must not be changed.
    """
    found = _TOTALS.get(spending)
    if found is not None:
        return found
    phases: dict[str, dict[date, Decimal]] = {}
    planned: dict[date, Decimal] = {}
    recorded: set[date] = set()
    lines: dict[str, list[tuple[list[date], list[Decimal]]]] = {}
    for line in spending.lines:
        phase = phases.setdefault(line.phase, {})
        for item in line.months:
            month = item.month
            phase[month] = phase.get(month, ZERO) + item.forecast
            planned[month] = planned.get(month, ZERO) + item.planned
            if item.actual is not None:
                recorded.add(month)
        lines.setdefault(line.phase, []).append(
            ([i.month for i in line.months], [i.forecast for i in line.months])
        )
    return _remember(spending, phases, planned, recorded, lines)


def _remember(
    spending: Forecast,
    phases: dict[str, dict[date, Decimal]],
    planned: dict[date, Decimal],
    recorded: set[date],
    lines: dict[str, list[tuple[list[date], list[Decimal]]]],
) -> _Totals:
    expected: dict[date, Decimal] = {}
    for months in phases.values():
        for month, amount in months.items():
            # exact sums of amounts to the cent: the order of the phases does not matter
            expected[month] = expected.get(month, ZERO) + amount
    result = _Totals(
        phases={phase: dict(sorted(months.items())) for phase, months in phases.items()},
        planned=planned,
        expected=expected,
        recorded=recorded,
        lines=lines,
    )
    return _TOTALS.put(spending, result)


def planned_months(case: Case, line: BudgetLine, phase: Phase) -> dict[date, Decimal]:
    """The line's planned amounts spread over the months of its phase (to the cent)."""
    months = _months(phase.start, phase.end)
    result = dict.fromkeys(months, ZERO)
    if line.monthly is not None:
        for key, amount in line.monthly.items():
            result[_key_month(key)] = amount
        return result
    weights12 = case.profiles.get(line.profile) if line.profile is not None else None
    for year, amount in line.amounts.items():
        in_year = [m for m in months if m.year == year]
        if not in_year or amount == 0:
            continue
        if weights12:
            parts = allocate_valid(amount, [weights12[m.month - 1] for m in in_year])
        else:
            parts = _even(amount, len(in_year))
        result.update(zip(in_year, parts, strict=True))
    return result


def cut_off_date(case: Case, as_of: date) -> date | None:
    """The day up to which recorded expenditures replace the plan."""
    if case.settings.ledger_complete_until is not None:
        return min(case.settings.ledger_complete_until, as_of)
    return as_of if case.expenditures else None


def _flat_rate_months(case: Case, spent: dict[str, dict[date, Decimal]]) -> None:
    """Book each flat-rate line's actual by month: rate × its base's, cumulated, floored.

    A flat-rate line has no vouchers (``check_vouchers`` leaves any out); what it has spent is
    its rate times what its base lines have spent. Each month gets the growth of
    ``floor(rate × base spent up to that month)``, so the months add up to the proof of use's
    figure for the line to the cent.
    """
    rulebook, _ = case.rulebook()
    for flat in flat_rate_lines(case.plan, rulebook):
        months = {m for b in flat.base_lines for m in spent.get(b, {})}
        base = {
            m: sum((spent.get(b, {}).get(m, ZERO) for b in flat.base_lines), ZERO) for m in months
        }
        spent[flat.line] = flat_rate_split(flat.rate, base)


def forecast(case: Case, as_of: date) -> Forecast:
    """Forecast every line's expenditure month by month on the key date ``as_of``.

    ``case`` should be the amended case
    ([`Case.amended`][foerdermittel.model.case.Case.amended]), so that extended phases and
    re-planned lines are forecast as decided.

    Examples:
        >>> from foerdermittel import load_case
        >>> f = forecast(load_case("examples/bochum-mpsc.toml").amended(), date(2021, 1, 1))
        >>> f.line("A-1").months[0].forecast, f.line("A-1").forecast
        (Decimal('20000.00'), Decimal('250000.00'))
    """
    cut = cut_off_date(case, as_of)
    phases = {p.id: p for p in case.grant.phases}
    spent = eligible_by_month(case, cut) if cut is not None else {}
    if any(line.flat_rate is not None for line in case.plan.lines):
        _flat_rate_months(case, spent)
    last_past = _last_past_month(cut) if cut is not None else None
    catch_up = case.settings.forecast_catch_up
    lines: list[LineForecast] = []
    columns: dict[str, list[_Column]] = {}
    recorded: set[date] = set()
    for line in case.plan.lines:
        plan = planned_months(case, line, phases[line.phase])
        actual = spent.get(line.id, {})
        forecast_line, column, past = _line_forecast(
            line, plan, actual, last_past, catch_up=catch_up
        )
        lines.append(forecast_line)
        columns.setdefault(line.phase, []).append(column)
        recorded.update(past)
    result = built(Forecast, {"cut_off": cut, "lines": tuple(lines)})
    expected = {phase: [(c[0], c[2]) for c in of] for phase, of in columns.items()}
    by_phase = {phase: _summed(of) for phase, of in expected.items()}
    planned: dict[date, Decimal] = {}
    for of in columns.values():
        for month, amount in _summed([(c[0], c[1]) for c in of]).items():
            # exact sums of amounts to the cent: the order of the phases does not matter
            planned[month] = planned.get(month, ZERO) + amount
    _remember(result, by_phase, planned, recorded, expected)
    return result


_Column = tuple[list[date], list[Decimal], list[Decimal]]
"""A line's months, its planned and its forecast expenditure in them."""


def _summed(columns: list[tuple[list[date], list[Decimal]]]) -> dict[date, Decimal]:
    """The lines' amounts (each line's months and its amounts in them) added up per month.

    Each month's sum runs over the lines in order, from zero, as the lines' months would be
    added one by one; lines with the same months are added a month at a time.
    """
    months = columns[0][0]
    if all(line_months == months for line_months, _ in columns):
        values = [amounts for _, amounts in columns]
        return dict(
            zip(months, [sum(month, ZERO) for month in zip(*values, strict=True)], strict=True)
        )
    totals: dict[date, Decimal] = {}
    for line_months, amounts in columns:
        for month, amount in zip(line_months, amounts, strict=True):
            totals[month] = totals.get(month, ZERO) + amount
    return totals


def _as_planned(
    line: BudgetLine, plan: dict[date, Decimal], total: Decimal
) -> tuple[LineForecast, _Column, list[date]]:
    """The forecast of a line with nothing booked and no month past: its plan, month by month.

    What [`_line_forecast`][foerdermittel.forecasting._line_forecast] gives then, where the
    plan's ``total`` is above zero or the rest does not catch up: the rest to spread is the
    whole plan, spread over the months in proportion to the plan, which gives the plan.
    """
    forecast_line = built(
        LineForecast,
        {
            "line": line.id,
            "phase": line.phase,
            "months": MonthAmounts.later(_planned_items, (plan,)),
            "planned": total,
            "actual": ZERO,
            "forecast": total,
            "unplaced": ZERO,
        },
    )
    planned_values = list(plan.values())
    return forecast_line, (list(plan), planned_values, planned_values), []


def _line_forecast(
    line: BudgetLine,
    plan: dict[date, Decimal],
    actual: dict[date, Decimal],
    last_past: date | None,
    *,
    catch_up: bool,
) -> tuple[LineForecast, _Column, list[date]]:
    """One line's forecast: actuals for the months ended by the cut-off, the plan after.

    ``last_past`` is the last month that ended on or before the cut-off (``None``: no cut-off).
    Returns the forecast, its months with their planned and forecast expenditure (for the
    sums), and the months recorded.
    """
    if plan and not actual and (last_past is None or next(iter(plan)) > last_past):
        planned_total = sum(plan.values(), ZERO)
        if planned_total > 0 or not catch_up:
            return _as_planned(line, plan, planned_total)
    months = sorted(set(plan) | set(actual)) if actual else list(plan)
    if last_past is None or not months or months[0] > last_past:
        past: list[date] = []
    else:
        past = months[: bisect_right(months, last_past)]
    if past:
        done = set(past)
        future = [m for m in plan if m not in done]
    else:
        future = list(plan)
    actual_total = sum(actual.values(), ZERO)
    planned_total = sum(plan.values(), ZERO)
    values: dict[date, Decimal] = {m: actual.get(m, ZERO) for m in past}
    unplaced = ZERO
    if catch_up:
        remaining = max(planned_total - actual_total, ZERO)
        weights = [plan[m] for m in future]
        if remaining and future:
            weight_sum = sum(weights, ZERO)
            if weight_sum == remaining:  # the plan as it is (allocate would give it back)
                values.update(zip(future, weights, strict=True))
            else:
                if weight_sum <= 0:
                    weights = [_ONE] * len(future)
                values.update(zip(future, allocate_valid(remaining, weights), strict=True))
        else:
            unplaced = remaining
            values.update(dict.fromkeys(future, ZERO))
    else:
        values.update({m: plan[m] for m in future})
        unplaced = sum((plan[m] - actual.get(m, ZERO) for m in past), ZERO)
        unplaced = max(unplaced, ZERO)
    if actual and last_past is not None:
        for month in future:  # expenditure already paid in the running month
            values[month] += actual.get(month, ZERO)
    total = ZERO
    planned_values = []
    expected_values = []
    for month in months:
        expected = values.get(month, ZERO)
        total += expected
        planned_values.append(plan.get(month, ZERO))
        expected_values.append(expected)
    forecast_line = built(
        LineForecast,
        {
            "line": line.id,
            "phase": line.phase,
            "months": MonthAmounts.later(
                _month_items, (months, planned_values, expected_values, actual, len(past))
            ),
            "planned": planned_total,
            "actual": actual_total,
            "forecast": total,
            "unplaced": unplaced,
        },
    )
    return forecast_line, (months, planned_values, expected_values), past
