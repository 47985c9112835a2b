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
            following = _add_months(start, step)
            end = following - _DAY
            if end >= phase.start:
                windows.append((calendar.next_working_day(following), start, end))
            start = following
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
    step = rule.interval_months or 6
    # the intervals end the day before 1 January + k·step months; the last such day before
    # ``day`` closes the last interval that is complete
    elapsed = (day.year - phase.start.year) * 12 + day.month - 1
    complete = elapsed // step
    if complete < 1:
        return day - _DAY
    return _add_months(date(phase.start.year, 1, 1), complete * step) - _DAY


_DAY = timedelta(days=1)


def _add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``first`` (a first day)."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _coverage_end(rule: DrawdownRule, day: date) -> date:
    """The last day of expenditure a call on ``day`` may cover under the rule."""
    if rule.mode is DrawdownMode.IN_ADVANCE and rule.horizon is not None:
        return day + rule.horizon.delta - timedelta(days=1)
    if rule.mode is DrawdownMode.DAY_OF_NEED:
        return month_end(day) if rule.pooling != "weekly" else day + timedelta(days=6)
    return day
