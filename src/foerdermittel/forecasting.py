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

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from foerdermittel.errors import NotFoundError
from foerdermittel.flat_rates import flat_rate_lines, flat_rate_split
from foerdermittel.model.case import Case
from foerdermittel.model.grant import Phase
from foerdermittel.model.plan import BudgetLine
from foerdermittel.money import ZERO, allocate_valid
from foerdermittel.vouchers import eligible_by_month

__all__ = ["Forecast", "LineForecast", "MonthAmount", "forecast", "month_end", "months_of"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


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
    months: tuple[MonthAmount, ...]
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
        totals: dict[date, Decimal] = {}
        for line in self.lines:
            if line.phase != phase_id:
                continue
            for item in line.months:
                totals[item.month] = totals.get(item.month, ZERO) + item.forecast
        return dict(sorted(totals.items()))

    def line(self, line_id: str) -> LineForecast:
        """The forecast of one line.

        Raises:
            NotFoundError: no such line (a ``KeyError``).
        """
        for item in self.lines:
            if item.line == line_id:
                return item
        raise NotFoundError("Einzelansatz", line_id, known=(i.line for i in self.lines))


def planned_months(case: Case, line: BudgetLine, phase: Phase) -> dict[date, Decimal]:
    """The line's planned amounts spread over the months of its phase (to the cent)."""
    months = list(months_of(phase.start, phase.end))
    result = dict.fromkeys(months, ZERO)
    if line.monthly is not None:
        for key, amount in line.monthly.items():
            result[date(int(key[:4]), int(key[5:]), 1)] = amount
        return result
    weights12 = case.profiles.get(line.profile) if line.profile is not None else None
    for year, amount in line.amounts.items():
        in_year = [m for m in months if m.year == year]
        if not in_year or amount == 0:
            continue
        weights = [weights12[m.month - 1] if weights12 else Decimal(1) for m in in_year]
        for month, part in zip(in_year, allocate_valid(amount, weights), strict=True):
            result[month] = part
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
    lines: list[LineForecast] = []
    for line in case.plan.lines:
        phase = phases[line.phase]
        plan = planned_months(case, line, phase)
        actual = spent.get(line.id, {})
        months = sorted(set(plan) | set(actual))
        past = [m for m in months if cut is not None and month_end(m) <= cut]
        future = [m for m in plan if m not in past]
        actual_total = sum(actual.values(), ZERO)
        planned_total = sum(plan.values(), ZERO)
        values: dict[date, Decimal] = {m: actual.get(m, ZERO) for m in past}
        unplaced = ZERO
        if case.settings.forecast_catch_up:
            remaining = max(planned_total - actual_total, ZERO)
            weights = [plan[m] for m in future]
            if remaining and future:
                if sum(weights, ZERO) <= 0:
                    weights = [Decimal(1)] * len(future)
                values.update(zip(future, allocate_valid(remaining, weights), strict=True))
            else:
                unplaced = remaining
                values.update(dict.fromkeys(future, ZERO))
        else:
            values.update({m: plan[m] for m in future})
            unplaced = sum((plan[m] - actual.get(m, ZERO) for m in past), ZERO)
            unplaced = max(unplaced, ZERO)
        for month in future:  # expenditure already paid in the running month
            values[month] += actual.get(month, ZERO) if cut is not None else ZERO
        items = tuple(
            MonthAmount(
                month=m,
                planned=plan.get(m, ZERO),
                actual=actual.get(m, ZERO) if m in past else None,
                forecast=values.get(m, ZERO),
            )
            for m in months
        )
        lines.append(
            LineForecast(
                line=line.id,
                phase=line.phase,
                months=items,
                planned=planned_total,
                actual=actual_total,
                forecast=sum((i.forecast for i in items), ZERO),
                unplaced=unplaced,
            )
        )
    return Forecast(cut_off=cut, lines=tuple(lines))
