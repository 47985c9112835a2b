"""Fristberechnung: the end of a legal period, its shift off non-working days, its status.

Period arithmetic follows §§ 187–193 BGB, which § 31 Abs. 1 VwVfG applies to administrative
deadlines:

* § 187 Abs. 1 BGB — a period that starts with an event does not count the event's day; a
  period in weeks, months or years then ends on the day that carries the event day's name or
  number (§ 188 Abs. 2, first case).
* § 187 Abs. 2 BGB — a period that starts with the start of a day counts that day and ends on
  the day before the corresponding day (§ 188 Abs. 2, second case).
* § 188 Abs. 3 BGB — if that day does not exist in the last month, the period ends on the last
  day of that month (31.01. + 1 month -> 28./29.02.).
* § 193 BGB, § 31 Abs. 3 VwVfG — a deadline ending on a Saturday, Sunday or public holiday
  ends on the next working day. The holidays are those "am Erklärungs- oder Leistungsort"; which
  place that is for a grant's deadline decides
  [`deadline_calendar`][foerdermittel.deadline_places.deadline_calendar].
* § 31 Abs. 4 VwVfG — a period for which the authority grants a benefit (the approval period)
  ends on its last day, weekend or not.

Months are added to the anchor with ``relativedelta`` in one step, never month by month, so
the end-of-month rule falls out of the arithmetic and nothing drifts. Where a deadline stands
on a key date (open, due soon, met, missed, passed) is ``status_of``. Why a day moved
(``shifted``) is a message whose words come from the catalogues, like a period's
length ([`Span.message`][foerdermittel.periods.Span.message]). The module knows no grant: it
works on dates, spans and a holiday calendar.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from dateutil.relativedelta import relativedelta

from foerdermittel._arguments import check_date, check_enum, check_instance, check_int
from foerdermittel._moved import german_label
from foerdermittel.calendar import HolidayCalendar
from foerdermittel.errors import ArgumentError
from foerdermittel.message_types import NOTHING, Message, words
from foerdermittel.periods import MAX_SPAN, Span

__all__ = [
    "DeadlineStatus",
    "ShiftPolicy",
    "joined",
    "month_end_after",
    "period_end",
    "shift",
    "shifted",
    "status_of",
]


def period_end(
    anchor: date, span: Span, *, counted_from: Literal["event", "day_start"] = "event"
) -> date:
    """Fristende — the last day of a period of ``span`` from ``anchor`` (§§ 187, 188 BGB).

    Args:
        anchor: the event day (``counted_from="event"``, § 187 Abs. 1 BGB: not counted) or the
            first day of the period (``"day_start"``, § 187 Abs. 2 BGB: counted).
        span: the period's length.
        counted_from: how the period starts.

    Returns:
        The raw last day, before any shift for weekends and holidays.

    Raises:
        ArgumentError: for an anchor that is not a ``date`` (a ``datetime`` is refused), a
            span that is not a ``Span``, an unknown ``counted_from``, or an end after 9999.

    Examples:
        >>> period_end(date(2025, 8, 31), Span(amount=6, unit="months"))
        datetime.date(2026, 2, 28)
        >>> period_end(date(2024, 2, 29), Span(amount=1, unit="years"))
        datetime.date(2025, 2, 28)
        >>> period_end(date(2021, 12, 1), Span(amount=12, unit="months"), counted_from="day_start")
        datetime.date(2022, 11, 30)
        >>> period_end(date(2025, 3, 3), Span(amount=10, unit="days"))
        datetime.date(2025, 3, 13)
    """
    check_instance("period_end", "span", span, Span)
    if counted_from not in ("event", "day_start"):
        raise ArgumentError(
            "period_end", "counted_from", counted_from, "erlaubt sind 'event' und 'day_start'"
        )
    target = span.end_from(anchor, "period_end")
    if counted_from == "event":
        return target
    if span.unit in ("days", "weeks"):
        return target - timedelta(days=1)
    if target.day != anchor.day:
        # § 188 Abs. 3 BGB: the day before the corresponding day does not exist either
        # (the corresponding day was cut to the month's end): the period ends on that last day.
        return target
    return target - timedelta(days=1)


def month_end_after(anchor: date, months: int) -> date:
    """The last day of the ``months``-th month following the month of ``anchor``.

    "Mit Ablauf des sechsten auf den Bewilligungszeitraum folgenden Monats" (ANBest-P Nr. 6.1):
    whole calendar months after the month in which the approval period ends (reading of the
    domain notes, grant-law §9.10).

    Raises:
        ArgumentError: for an anchor that is not a ``date`` (a ``datetime`` is refused), a
            number of months that is not a whole number from 0 to 1200, or an end after 9999.

    Examples:
        >>> month_end_after(date(2025, 12, 31), 6)
        datetime.date(2026, 6, 30)
        >>> month_end_after(date(2026, 3, 15), 6)
        datetime.date(2026, 9, 30)
    """
    check_date("month_end_after", "anchor", anchor)
    check_int("month_end_after", "months", months, minimum=0, maximum=MAX_SPAN["months"])
    try:
        target = anchor.replace(day=1) + relativedelta(months=months)
    except ValueError:
        raise ArgumentError(
            "month_end_after", "months", months, f"ab {anchor.isoformat()} nach dem Jahr 9999"
        ) from None
    return target.replace(day=monthrange(target.year, target.month)[1])


class ShiftPolicy(StrEnum):
    """How a deadline moves when it falls on a non-working day.

    * ``forward`` — to the next working day (§ 193 BGB, § 31 Abs. 3 VwVfG).
    * ``backward`` — to the working day before: things that must happen *before* a day
      (an application before the approval period ends).
    * ``none`` — not at all (§ 31 Abs. 4 VwVfG: the approval period ends on its last day).
    """

    FORWARD = "forward"
    BACKWARD = "backward"
    NONE = "none"


def shifted(raw: date, policy: ShiftPolicy, calendar: HolidayCalendar) -> tuple[date, Message]:
    """Move ``raw`` off weekends and public holidays by ``policy``; the reason as data.

    The reason is a [`Message`][foerdermittel.message_types.Message] (key
    ``deadline.shift.forward`` or ``deadline.shift.backward``) that names each day skipped, or
    [`NOTHING`][foerdermittel.message_types.NOTHING] where the day did not move.

    Examples:
        >>> from foerdermittel.messages import render
        >>> day, reason = shifted(date(2028, 4, 30), ShiftPolicy.FORWARD, HolidayCalendar("NW"))
        >>> day, reason.key
        (datetime.date(2028, 5, 2), 'deadline.shift.forward')
        >>> render(reason, "en")
        '2028-04-30 is a Sunday; 2028-05-01 is a public holiday (Erster Mai) → next working day'

    Raises:
        ArgumentError: for a day that is not a ``date`` (a ``datetime`` is refused), a policy
            that is neither a ``ShiftPolicy`` nor one of its values, or a calendar that is not a
            ``HolidayCalendar``.
        CalendarError: for days outside the holiday data.
    """
    return _shifted("shifted", raw, policy, calendar)


def _shifted(
    function: str, raw: date, policy: ShiftPolicy, calendar: HolidayCalendar
) -> tuple[date, Message]:
    check_date(function, "raw", raw)
    policy = check_enum(function, "policy", policy, ShiftPolicy)
    check_instance(function, "calendar", calendar, HolidayCalendar)
    if policy is ShiftPolicy.NONE:
        return raw, NOTHING
    step = timedelta(days=1 if policy is ShiftPolicy.FORWARD else -1)
    reasons: list[Message] = []
    day = raw
    while (reason := calendar.non_working(day)) is not None:
        reasons.append(reason)
        day += step
    if not reasons:
        return raw, NOTHING
    return day, Message.of(f"deadline.shift.{policy.value}", reasons=joined(reasons))


def shift(raw: date, policy: ShiftPolicy, calendar: HolidayCalendar) -> tuple[date, str | None]:
    """Move ``raw`` off weekends and public holidays by ``policy``; say in German why it moved.

    The same as [`shifted`][foerdermittel.deadline_arithmetic.shifted], with the reason in
    German words (``None`` where the day did not move). Renderers use ``shifted`` and
    ``foerdermittel.messages`` for the words of another language.

    Examples:
        >>> shift(date(2028, 4, 30), ShiftPolicy.FORWARD, HolidayCalendar("NW"))[1]
        '30.04.2028 ist ein Sonntag; 01.05.2028 ist ein Feiertag (Erster Mai) → nächster Arbeitstag'

    Raises:
        ArgumentError: for a day that is not a ``date`` (a ``datetime`` is refused), a policy
            that is neither a ``ShiftPolicy`` nor one of its values, or a calendar that is not a
            ``HolidayCalendar``.
        CalendarError: for days outside the holiday data.
    """
    day, reason = _shifted("shift", raw, policy, calendar)
    return day, (words(reason) if reason.key else None)


def joined(parts: Sequence[Message]) -> Message:
    """Parts of a sentence joined by semicolons, as one message (``NOTHING`` for none).

    Examples:
        >>> from foerdermittel.messages import render
        >>> render(joined([Message.of("deadline-status.met"), Message.of("deadline-status.open")]))
        'erledigt; offen'
    """
    if not parts:
        return NOTHING
    if len(parts) == 1:
        return parts[0]
    return Message.of("deadline.part.joined", head=parts[0], tail=joined(parts[1:]))


class DeadlineStatus(StrEnum):
    """Status of a deadline on the key date.

    ``open``, ``due_soon`` (within the warning period), ``met`` (done in time), ``missed``
    (not done in time, or done late); ``passed`` for dates that call for no action (the end of
    an approval period, the end of voucher retention) once they lie behind the key date.
    """

    OPEN = "open"
    DUE_SOON = "due_soon"
    MET = "met"
    MISSED = "missed"
    PASSED = "passed"

    @property
    def message(self) -> Message:
        """The status as a message (key ``deadline-status.<value>``) for a renderer to word."""
        return Message.of(f"deadline-status.{self.value}")

    @property
    def german(self) -> str:
        """Deprecated: the German label; renderers render the status's ``message``.

        Examples:
            >>> words(DeadlineStatus.DUE_SOON.message)
            'bald fällig'
        """
        return german_label(self, "deadline-status")


def status_of(
    end: date,
    *,
    as_of: date,
    due_soon_days: int,
    submitted_on: date | None,
    action_required: bool,
) -> DeadlineStatus:
    """The status of a deadline ending on ``end`` (inclusive) on the key date ``as_of``.

    Examples:
        >>> status_of(date(2026, 3, 2), as_of=date(2026, 2, 10), due_soon_days=30,
        ...           submitted_on=None, action_required=True)
        <DeadlineStatus.DUE_SOON: 'due_soon'>
    """
    if submitted_on is not None and submitted_on <= as_of:
        return DeadlineStatus.MET if submitted_on <= end else DeadlineStatus.MISSED
    if as_of > end:
        return DeadlineStatus.MISSED if action_required else DeadlineStatus.PASSED
    if (end - as_of).days <= due_soon_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.OPEN
