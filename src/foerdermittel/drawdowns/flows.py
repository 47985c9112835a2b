"""Planned and expected expenditure and calls per month, with running totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.drawdowns.results import DrawdownPlan, _Frozen
from foerdermittel.forecasting import Forecast, _month_totals, months_of
from foerdermittel.frozen import built
from foerdermittel.money import ZERO

__all__ = ["FlowMonth", "monthly_flows"]


class FlowMonth(_Frozen):
    """One month of expenditure and calls, with running totals (for charts and the workbook).

    Attributes:
        month: the first day of the month.
        actual: whether the month's expenditure is recorded (else it is forecast).
        planned: planned expenditure in the month.
        expected: actual/forecast expenditure in the month.
        called: calls in the month.
        planned_total: planned expenditure, cumulated.
        expected_total: actual/forecast expenditure, cumulated.
        called_total: calls, cumulated.
    """

    month: date
    actual: bool
    planned: Decimal
    expected: Decimal
    called: Decimal
    planned_total: Decimal
    expected_total: Decimal
    called_total: Decimal


def monthly_flows(spending: Forecast, plan: DrawdownPlan) -> tuple[FlowMonth, ...]:
    """Planned and expected expenditure and calls per month, every month from first to last.

    Examples:
        >>> from foerdermittel import evaluate, load_case
        >>> r = evaluate(load_case("examples/bochum-mpsc.toml"), date(2021, 6, 1))
        >>> flows = monthly_flows(r.forecast, r.drawdowns)
        >>> flows[-1].planned_total, flows[-1].called_total
        (Decimal('15200000.00'), Decimal('9880000.00'))
    """
    sums = _month_totals(spending)
    planned, expected, recorded = sums.planned, sums.expected, sums.recorded
    called: dict[date, Decimal] = {}
    for call in plan.calls:
        month = date(call.on.year, call.on.month, 1)
        called[month] = called.get(month, ZERO) + call.amount
    known = set(planned) | set(called)
    if not known:
        return ()
    rows: list[FlowMonth] = []
    plan_sum = expected_sum = called_sum = ZERO
    for month in months_of(min(known), max(known)):
        month_planned = planned.get(month, ZERO)
        month_expected = expected.get(month, ZERO)
        month_called = called.get(month, ZERO)
        plan_sum += month_planned
        expected_sum += month_expected
        called_sum += month_called
        rows.append(
            built(
                FlowMonth,
                {
                    "month": month,
                    "actual": month in recorded,
                    "planned": month_planned,
                    "expected": month_expected,
                    "called": month_called,
                    "planned_total": plan_sum,
                    "expected_total": expected_sum,
                    "called_total": called_sum,
                },
            )
        )
    return tuple(rows)
