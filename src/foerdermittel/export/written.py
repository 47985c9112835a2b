"""What an export wrote: where, how many bytes, and what the file holds.

The writers return these records (``foerdermittel.export.excel.write``,
``foerdermittel.export.ical.write``), so that a caller can confirm a file in one line
without opening it again or counting on its own. ``path`` is ``None`` when the bytes went to a
stream such as standard output.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WrittenCalendar", "WrittenPortfolioWorkbook", "WrittenWorkbook"]


@dataclass(frozen=True)
class WrittenWorkbook:
    """A workbook written: the target, its size in bytes, its sheets and its vouchers."""

    path: str | None
    size: int
    sheets: int
    vouchers: int
    """Vouchers listed in the Belegliste: those that count and those excluded."""


@dataclass(frozen=True)
class WrittenCalendar:
    """A calendar written: the target, its size in bytes and its events."""

    path: str | None
    size: int
    events: int

    @classmethod
    def of(cls, path: str | None, data: bytes) -> WrittenCalendar:
        r"""The record of ``data`` (an iCalendar file) written to ``path``.

        The events are counted in the bytes themselves: a ``BEGIN:VEVENT`` line. Text values
        are escaped and folded lines start with a space, so user text cannot add to the count.

        >>> WrittenCalendar.of(None, b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n")
        WrittenCalendar(path=None, size=43, events=1)
        """
        events = sum(1 for line in data.splitlines() if line == b"BEGIN:VEVENT")
        return cls(path=path, size=len(data), events=events)


@dataclass(frozen=True)
class WrittenPortfolioWorkbook:
    """A portfolio's workbook written: the target, its size in bytes, its sheets and grants."""

    path: str | None
    size: int
    sheets: int
    grants: int
