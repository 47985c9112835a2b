"""Working days and public holidays per Land.

Public holidays come from the ``holidays`` package (``holidays.Germany(subdiv=…)``) with German
names (``language="de"``, so the names do not follow the machine's ``LANG``). They are loaded
once per Land and year. Saturdays and Sundays are never working days (§ 193 BGB names
"Sonnabend, Sonntag oder ein am Erklärungs- oder Leistungsort staatlich anerkannter allgemeiner
Feiertag").

Office closing days (24 and 31 December, Rosenmontag) are not public holidays and do not move a
deadline.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from foerdermittel.errors import FoerdermittelError

__all__ = ["CalendarError", "HolidayCalendar", "covered_years"]

_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


class CalendarError(FoerdermittelError, ValueError):
    """A date outside the years for which holiday data exists, or an unknown Land."""


def covered_years() -> range:
    """The years the holiday data covers (``holidays``: 1991, German unity, to 2100)."""
    from holidays.countries.germany import Germany

    return range(Germany.start_year, Germany.end_year + 1)


@lru_cache(maxsize=512)
def _holidays(land: str, year: int) -> dict[date, str]:
    """The public holidays of ``land`` in ``year``, with German names."""
    from holidays.countries.germany import Germany

    if land not in Germany.subdivisions:
        valid = ", ".join(s for s in Germany.subdivisions if len(s) == 2)
        raise CalendarError(f"unbekanntes Land {land!r}; gültig sind: {valid}")
    years = covered_years()
    if year not in years:
        raise CalendarError(
            f"Für das Jahr {year} liegen keine Feiertagsdaten vor (abgedeckt: "
            f"{years.start}–{years.stop - 1}); Fristen in diesem Jahr können nicht berechnet werden"
        )
    calendar = Germany(subdiv=land, years=year, language="de")
    return {day: str(name) for day, name in sorted(calendar.items())}


class HolidayCalendar:
    """Arbeitstage eines Landes — the working-day calendar of one Land.

    Examples:
        >>> nw = HolidayCalendar("NW")
        >>> nw.holiday_name(date(2028, 6, 15))
        'Fronleichnam'
        >>> nw.next_working_day(date(2028, 4, 30))
        datetime.date(2028, 5, 2)
        >>> HolidayCalendar("BE").is_working_day(date(2028, 6, 15))
        True
    """

    __slots__ = ("land",)

    def __init__(self, land: str) -> None:
        self.land = land

    def __repr__(self) -> str:
        return f"HolidayCalendar({self.land!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HolidayCalendar) and other.land == self.land

    def __hash__(self) -> int:
        return hash(self.land)

    def holiday_name(self, day: date) -> str | None:
        """The name of the public holiday on ``day`` in this Land, or ``None``.

        Raises:
            CalendarError: the year is not covered by the holiday data.
        """
        return _holidays(self.land, day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is neither a Saturday, a Sunday nor a public holiday here."""
        return day.weekday() < 5 and self.holiday_name(day) is None

    def non_working_reason(self, day: date) -> str | None:
        """Why ``day`` is not a working day, in German ("28.02.2026 ist ein Samstag")."""
        shown = day.strftime("%d.%m.%Y")
        name = self.holiday_name(day)
        if name is not None:
            return f"{shown} ist ein Feiertag ({name})"
        if day.weekday() >= 5:
            return f"{shown} ist ein {_WEEKDAYS[day.weekday()]}"
        return None

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next working day."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day
