"""iCalendar export of a report's deadlines (RFC 5545).

One all-day event per deadline. Every deadline by which the city still has to act
([`calls_for_action`][foerdermittel.deadlines.Deadline.calls_for_action]) carries a reminder,
14 days before unless the caller chooses another number; a deadline that calls for no action
(the end of an approval period or of voucher retention, one met or passed) carries none, and
its description says so. Each event's UID is derived from the grant's id and the deadline's
id, so importing the file again updates the events instead of duplicating them; ``SEQUENCE``
counts the amendments and ``DTSTAMP`` is the date of the latest decision, so a calendar sees a
moved deadline as a newer version. Nothing depends on the clock: the same report gives the
same bytes. The file is written to a temporary name and renamed, so an error never leaves half
a file.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime, time, timedelta
from typing import Any

from foerdermittel.deadlines import Deadline, DeadlineStatus
from foerdermittel.errors import ArgumentError
from foerdermittel.export.written import WrittenCalendar
from foerdermittel.io.atomic import write_atomic
from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.report import Report

__all__ = ["REMINDER_DAYS", "to_ics", "write"]

REMINDER_DAYS = 14
"""Days before a deadline the calendar reminds."""

_PRODID = "-//foerdermittel//Fristen//DE"


def _uid(report: Report, deadline: Deadline) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", report.grant.id).strip("-").lower() or "grant"
    digest = hashlib.sha256(f"{report.grant.id}\x00{deadline.id}".encode()).hexdigest()[:12]
    return f"{slug}-{deadline.id.replace(':', '-')}-{digest}@foerdermittel"


def _stamp(report: Report) -> datetime:
    decided = [report.grant.decision_date, *(a.decided_on for a in report.amendments)]
    return datetime.combine(max(decided), time(0, 0), tzinfo=UTC)


def _description(deadline: Deadline, reminder_days: int, w: Words) -> str:
    lang = w.lang
    lines = [
        w(
            "ical.rule",
            rule=deadline.rule_in(lang),
            trigger=deadline.trigger_label_in(lang),
            day=deadline.trigger,
        ),
        w("ical.source", source=deadline.legal_source),
        w("ical.raw-end", day=deadline.raw_end),
    ]
    shift_reason = deadline.shift_reason_in(lang)
    if shift_reason:
        lines.append(w("ical.shifted", reason=shift_reason))
    if deadline.original_end is not None:
        lines.append(w("ical.originally", day=deadline.original_end))
    note = deadline.note_in(lang)
    if note:
        lines.append(note)
    lines.append(_reminder_line(deadline, reminder_days, w))
    lines.append(w("ical.id", id=deadline.id))
    return "\n".join(lines)


def _text(value: str) -> Any:
    """User text as an iCalendar TEXT value: line breaks, ``;``, ``,`` and backslashes escaped."""
    from icalendar import vText

    return vText(value.replace("\r\n", "\n").replace("\r", "\n"))


def _reminder_line(deadline: Deadline, reminder_days: int, w: Words) -> str:
    if deadline.calls_for_action:
        return w("ical.reminder", count=reminder_days)
    if deadline.status is DeadlineStatus.MET and deadline.submitted_on is not None:
        return w("ical.done", day=deadline.submitted_on)
    if deadline.status is DeadlineStatus.PASSED:
        return w("ical.passed")
    return w("ical.no-action")


def _event(
    report: Report,
    deadline: Deadline,
    reminder_days: int,
    w: Words,
    *,
    summary: str | None = None,
    first_lines: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
) -> Any:
    """One deadline of a grant as an all-day event, with its reminder where it calls for one.

    ``summary`` replaces the deadline's title as the event's title, ``first_lines`` go before
    its description and ``categories`` after its own (the portfolio's calendar names the grant
    and its owner); the UID, the stamp and the sequence are the grant's either way.
    """
    from icalendar import Alarm, Event

    lang = w.lang
    event = Event()
    event.add("uid", _uid(report, deadline))
    event.add("dtstamp", _stamp(report))
    event.add("sequence", len(report.amendments))
    event.add("dtstart", deadline.end)
    event.add("dtend", deadline.end + timedelta(days=1))
    event.add("summary", _text(summary if summary is not None else deadline.title_in(lang)))
    description = "\n".join((*first_lines, _description(deadline, reminder_days, w)))
    event.add("description", _text(description))
    event.add(
        "categories",
        [_text(w("ical.category")), _text(deadline.subject_in(lang)), *map(_text, categories)],
    )
    event.add("transp", "TRANSPARENT")
    if deadline.calls_for_action:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add(
            "description",
            _text(w("ical.alarm", count=reminder_days, title=deadline.title_in(lang))),
        )
        alarm.add("trigger", timedelta(days=-reminder_days))
        event.add_component(alarm)
    return event


def _calendar(name: str) -> Any:
    """An empty calendar with the library's product id and the name ``name``."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    return calendar


def _check_reminder_days(function: str, reminder_days: int) -> None:
    if reminder_days < 1:
        raise ArgumentError(function, "reminder_days", reminder_days, "muss mindestens 1 sein")


def to_ics(
    report: Report, *, reminder_days: int = REMINDER_DAYS, lang: str = DEFAULT_LANGUAGE
) -> bytes:
    """The report's deadlines as an iCalendar file (bytes, CRLF line ends).

    Args:
        report: the evaluated case.
        reminder_days: how many days before an action deadline the calendar reminds (≥ 1).
        lang: the language of titles and descriptions (``de`` or ``en``); the UIDs do not
            depend on it, so a calendar that switches language updates its events.

    All text (titles, descriptions, the calendar's name) goes out as escaped TEXT values, so
    user text such as a recipient containing a line break or ``END:VEVENT`` cannot change the
    file's structure.

    Raises:
        ArgumentError: ``reminder_days`` below 1 (a ``ValueError``).
    """
    _check_reminder_days("to_ics", reminder_days)
    w = Words(lang)
    name = w("text.deadlines.title", recipient=report.grant.recipient, grant=report.grant.id)
    calendar = _calendar(name)
    for deadline in report.deadlines:
        calendar.add_component(_event(report, deadline, reminder_days, w))
    data: bytes = calendar.to_ical()
    return data


def write(
    report: Report,
    path: str | os.PathLike[str],
    *,
    reminder_days: int = REMINDER_DAYS,
    lang: str = DEFAULT_LANGUAGE,
) -> WrittenCalendar:
    """Write the deadlines as an ``.ics`` file, atomically; returns what was written."""
    data = to_ics(report, reminder_days=reminder_days, lang=lang)
    write_atomic(path, data)
    return WrittenCalendar.of(os.fspath(path), data)
