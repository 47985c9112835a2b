"""Call windows: when a call falls due under the drawdown mode, and which period it covers.

In arrears every N months from 1 January of the phase's first year, in advance within a
horizon, on the day of need per month or week; the call day is a working day.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from foerdermittel.calendar import HolidayCalendar
from foerdermittel.forecasting import month_end, months_of
from foerdermittel.model.grant import Phase
from foerdermittel.rules.model import DrawdownMode, DrawdownRule

__all__: list[str] = []


def _windows(
    rule: DrawdownRule, phase: Phase, last: date, calendar: HolidayCalendar
) -> list[tuple[date, date, date]]:
    """(call day, covers from, covers to) for each call of the phase, in order."""
    windows: list[tuple[date, date, date]] = []
    if rule.mode is DrawdownMode.IN_ARREARS:
        step = rule.interval_months or 6
        start = date(phase.start.year, 1, 1)
        while start <= last:
            end = start + relativedelta(months=step) - timedelta(days=1)
            if end >= phase.start:
                windows.append((calendar.next_working_day(end + timedelta(days=1)), start, end))
            start = start + relativedelta(months=step)
        return windows
    if rule.mode is DrawdownMode.IN_ADVANCE:
        horizon = rule.horizon.delta if rule.horizon else relativedelta(months=2)
        index = 0
        while (start := phase.start + horizon * index) <= last:
            end = phase.start + horizon * (index + 1) - timedelta(days=1)
            windows.append((calendar.next_working_day(start), start, end))
            index += 1
        return windows
    for month in months_of(phase.start, last):
        end = min(month_end(month), last)
        month = max(month, phase.start)
        if rule.pooling == "weekly":
            day = month
            while day <= end:
                week_end = min(end, day + timedelta(days=6 - day.weekday()))
                windows.append((calendar.next_working_day(day), day, week_end))
                day = week_end + timedelta(days=1)
        else:
            windows.append((calendar.next_working_day(month), month, end))
    return windows


def _paid_for(rule: DrawdownRule, phase: Phase, day: date) -> date:
    """The last day of the period a payout on ``day`` was paid for.

    In arrears: the end of the last complete interval before the day (intervals counted from
    1 January of the phase's first year, as the plan's windows). In advance and on the day of
    need: the end of the horizon, month or week the call is for.
    """
    if rule.mode is not DrawdownMode.IN_ARREARS:
        return _coverage_end(rule, day)
    step = relativedelta(months=rule.interval_months or 6)
    start = date(phase.start.year, 1, 1)
    end = day - timedelta(days=1)
    index = 1
    while (boundary := start + step * index - timedelta(days=1)) < day:
        end = boundary
        index += 1
    return end


def _coverage_end(rule: DrawdownRule, day: date) -> date:
    """The last day of expenditure a call on ``day`` may cover under the rule."""
    if rule.mode is DrawdownMode.IN_ADVANCE and rule.horizon is not None:
        return day + rule.horizon.delta - timedelta(days=1)
    if rule.mode is DrawdownMode.DAY_OF_NEED:
        return month_end(day) if rule.pooling != "weekly" else day + timedelta(days=6)
    return day
