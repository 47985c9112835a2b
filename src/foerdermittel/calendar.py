"""Working days and public holidays per Land.

Public holidays come from the ``holidays`` package (``holidays.Germany(subdiv=…)``) with German
names (``language="de"``, so the names do not follow the machine's ``LANG``). They are loaded
once per Land and year. Saturdays and Sundays are never working days (§ 193 BGB names
"Sonnabend, Sonntag oder ein am Erklärungs- oder Leistungsort staatlich anerkannter allgemeiner
Feiertag").

Office closing days (24 and 31 December, Rosenmontag) are not public holidays and do not move a
deadline.

Some holidays hold in part of a Land only. A calendar may name such a part (a *region*, see
[`REGIONS`][foerdermittel.calendar.REGIONS]); its holidays are the Land's plus those of the part:

* ``BY-katholisch`` — Mariä Himmelfahrt (15.08.) in the Bavarian communities with a
  predominantly Catholic population (Art. 1 Abs. 1 Nr. 2, Abs. 3 BayFTG; the Landesamt für
  Statistik lists them); ``holidays`` category ``catholic``.
* ``Augsburg`` — the city of Augsburg: Mariä Himmelfahrt and the Augsburger Hohes Friedensfest
  (08.08., Art. 1 Abs. 2 BayFTG); ``holidays`` subdivision ``Augsburg``.
* ``SN-katholisch`` — Fronleichnam in the Catholic communities of the Sorbian area that the
  Saxon ordinance names (§ 1 Abs. 1 SächsSFG); category ``catholic``.
* ``TH-katholisch`` — Fronleichnam in the communities with a predominantly Catholic population
  (Eichsfeld, parts of the Unstrut-Hainich-Kreis and the Wartburgkreis) that the Thuringian
  ordinance names (§ 2 Abs. 2 ThürFGtG); category ``catholic``.

The Saarland keeps Mariä Himmelfahrt Land-wide; it needs no region.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from foerdermittel.errors import FoerdermittelError
from foerdermittel.message_types import NOTHING, Message, words

if TYPE_CHECKING:
    from holidays.holiday_base import HolidayBase

__all__ = [
    "REGIONS",
    "CalendarError",
    "HolidayCalendar",
    "Region",
    "covered_years",
    "region_problem",
]

_WEEKEND = {5: "calendar.saturday", 6: "calendar.sunday"}
"""The message keys of the days that are never working days, by ``date.weekday()``."""


class CalendarError(FoerdermittelError, ValueError):
    """A date outside the years for which holiday data exists, or an unknown Land."""


_GERMANY = "holidays.countries.germany"
_OWN_GERMANY = "foerdermittel._holidays_germany"


@cache
def _germany() -> type[HolidayBase]:
    """The ``holidays`` class of the German public holidays, loaded without other countries.

    ``holidays.country_holidays("DE")`` and ``from holidays.countries.germany import Germany``
    both import the package ``holidays.countries``, whose ``__init__`` imports the modules of
    all countries (250 in ``holidays`` 0.109, about 0.1–0.3 s). The module of Germany needs
    only the core of ``holidays`` (``holiday_base``, ``groups``, ``calendars``), so its file is
    loaded by itself, under a name of its own. Where ``holidays.countries`` is imported
    already, or the file cannot be loaded so, the usual import is used.
    """
    module = sys.modules.get(_GERMANY) or sys.modules.get(_OWN_GERMANY)
    if module is None:
        module = _load_germany_alone()
    if module is None:
        module = importlib.import_module(_GERMANY)
    germany: type[HolidayBase] = module.Germany
    return germany


def _load_germany_alone() -> ModuleType | None:
    """The module ``holidays/countries/germany.py``, loaded without ``holidays.countries``."""
    package = importlib.util.find_spec("holidays")
    places = package.submodule_search_locations if package is not None else None
    if not places:
        return None
    path = Path(next(iter(places))) / "countries" / "germany.py"
    spec = importlib.util.spec_from_file_location(_OWN_GERMANY, path)
    if spec is None or spec.loader is None or not path.is_file():
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[_OWN_GERMANY] = module
    try:
        spec.loader.exec_module(module)
    except Exception:  # another layout of holidays: the usual import below
        del sys.modules[_OWN_GERMANY]
        return None
    if not hasattr(module, "Germany"):
        del sys.modules[_OWN_GERMANY]
        return None
    return module


def covered_years() -> range:
    """The years the holiday data covers (``holidays``: 1991, German unity, to 2100)."""
    germany = _germany()
    return range(germany.start_year, germany.end_year + 1)


@dataclass(frozen=True)
class Region:
    """Teil eines Landes — a part of a Land with public holidays of its own.

    Attributes:
        name: the region's name as a case file writes it, e.g. ``BY-katholisch``.
        land: the Land it belongs to.
        title: what it is, in German.
        subdivision: the ``holidays`` subdivision whose holidays apply.
        categories: the ``holidays`` categories that apply.
        source: the legal basis of its extra holidays.
    """

    name: str
    land: str
    title: str
    subdivision: str
    categories: tuple[str, ...]
    source: str


REGIONS: dict[str, Region] = {
    r.name: r
    for r in (
        Region(
            "BY-katholisch",
            "BY",
            "bayerische Gemeinde mit überwiegend katholischer Bevölkerung (Mariä Himmelfahrt)",
            "BY",
            ("public", "catholic"),
            "Art. 1 Abs. 1 Nr. 2, Abs. 3 BayFTG",
        ),
        Region(
            "Augsburg",
            "BY",
            "Stadt Augsburg (Mariä Himmelfahrt, Augsburger Hohes Friedensfest)",
            "Augsburg",
            ("public",),
            "Art. 1 Abs. 1 Nr. 2, Abs. 2 BayFTG",
        ),
        Region(
            "SN-katholisch",
            "SN",
            "sächsische Gemeinde, in der Fronleichnam gesetzlicher Feiertag ist",
            "SN",
            ("public", "catholic"),
            "§ 1 Abs. 1 SächsSFG mit der Fronleichnamsverordnung",
        ),
        Region(
            "TH-katholisch",
            "TH",
            "thüringische Gemeinde, in der Fronleichnam gesetzlicher Feiertag ist",
            "TH",
            ("public", "catholic"),
            "§ 2 Abs. 2 ThürFGtG mit der Fronleichnamsverordnung",
        ),
    )
}
"""The parts of a Land with holidays of their own, by name (checked against ``holidays`` 0.109:
``Germany.subdivisions`` holds ``Augsburg``, ``Germany.supported_categories`` ``catholic``)."""


def region_problem(region: str, land: str | None) -> str | None:
    """Why ``region`` cannot narrow ``land``, in German, or ``None`` if it can.

    Examples:
        >>> region_problem("Augsburg", "BY") is None
        True
        >>> region_problem("Augsburg", "NW")
        "Region 'Augsburg' gehört zu BY, nicht zu NW; für NW gibt es keine Region"
    """
    known = REGIONS.get(region)
    if known is None:
        valid = ", ".join(f"{r.name} ({r.land})" for r in REGIONS.values())
        return f"unbekannte Feiertagsregion {region!r}; gültig sind: {valid}"
    if land is not None and known.land != land:
        fitting = [r.name for r in REGIONS.values() if r.land == land]
        valid = (
            f"für {land} gültig: {', '.join(fitting)}"
            if fitting
            else f"für {land} gibt es keine Region"
        )
        return f"Region {region!r} gehört zu {known.land}, nicht zu {land}; {valid}"
    return None


@lru_cache(maxsize=512)
def _holidays(land: str, region: str | None, year: int) -> dict[date, str]:
    """The public holidays of ``land`` (narrowed to ``region``) in ``year``, German names."""
    germany = _germany()
    if land not in germany.subdivisions or len(land) != 2:
        valid = ", ".join(s for s in germany.subdivisions if len(s) == 2)
        raise CalendarError(f"unbekanntes Land {land!r}; gültig sind: {valid}")
    years = covered_years()
    if year not in years:
        raise CalendarError(
            f"Für das Jahr {year} liegen keine Feiertagsdaten vor (abgedeckt: "
            f"{years.start}–{years.stop - 1}); Fristen in diesem Jahr können nicht berechnet werden"
        )
    subdivision: str = land
    categories: tuple[str, ...] = ("public",)
    if region is not None:
        subdivision, categories = REGIONS[region].subdivision, REGIONS[region].categories
    calendar = germany(subdiv=subdivision, years=year, language="de", categories=categories)
    return {day: str(name) for day, name in sorted(calendar.items())}


class HolidayCalendar:
    """Arbeitstage eines Landes — the working-day calendar of one Land or a part of it.

    § 193 BGB counts the holidays "am Erklärungs- oder Leistungsort"; ``region`` narrows the
    Land to the part where that place lies (see [`REGIONS`][foerdermittel.calendar.REGIONS]).

    Args:
        land: the Land (ISO 3166-2:DE code without ``DE-``, e.g. ``NW``).
        region: a part of the Land with holidays of its own, e.g. ``Augsburg``.

    Raises:
        CalendarError: ``region`` is unknown or lies in another Land (an unknown Land is
            reported when the first holiday is looked up).

    Examples:
        >>> nw = HolidayCalendar("NW")
        >>> nw.holiday_name(date(2028, 6, 15))
        'Fronleichnam'
        >>> nw.next_working_day(date(2028, 4, 30))
        datetime.date(2028, 5, 2)
        >>> HolidayCalendar("BE").is_working_day(date(2028, 6, 15))
        True
        >>> HolidayCalendar("BY", "Augsburg").holiday_name(date(2024, 8, 8))
        'Augsburger Hohes Friedensfest'
        >>> HolidayCalendar("BY").holiday_name(date(2024, 8, 8)) is None
        True
    """

    __slots__ = ("land", "region")

    def __init__(self, land: str, region: str | None = None) -> None:
        if region is not None and (problem := region_problem(region, land)) is not None:
            raise CalendarError(problem)
        self.land = land
        self.region = region

    def __repr__(self) -> str:
        if self.region is None:
            return f"HolidayCalendar({self.land!r})"
        return f"HolidayCalendar({self.land!r}, {self.region!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, HolidayCalendar)
            and other.land == self.land
            and other.region == self.region
        )

    def __hash__(self) -> int:
        return hash((self.land, self.region))

    @property
    def place(self) -> Message:
        """Where its holidays hold, as a message: the Land, and the region where one is set.

        Examples:
            >>> from foerdermittel.messages import render
            >>> render(HolidayCalendar("BY", "Augsburg").place), render(HolidayCalendar("NW").place)
            ('BY (Augsburg)', 'NW')
        """
        region = (
            NOTHING if self.region is None else Message.of("calendar.region", region=self.region)
        )
        return Message.of("calendar.place", land=self.land, region=region)

    @property
    def label(self) -> str:
        """The Land, and the region in brackets, in German words: ``BY (Augsburg)``.

        Renderers use foerdermittel.messages with
        [`place`][foerdermittel.calendar.HolidayCalendar.place].
        """
        return words(self.place)

    def holiday_name(self, day: date) -> str | None:
        """The name of the public holiday on ``day`` in this Land (or region), or ``None``.

        Raises:
            CalendarError: the year is not covered by the holiday data.
        """
        return _holidays(self.land, self.region, day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is neither a Saturday, a Sunday nor a public holiday here."""
        return day.weekday() < 5 and self.holiday_name(day) is None

    def non_working(self, day: date) -> Message | None:
        """Why ``day`` is not a working day, as a message; ``None`` for a working day.

        A public holiday (key ``calendar.holiday``, with the holiday's name as the ``holidays``
        package gives it in German) or a Saturday or Sunday (``calendar.saturday``,
        ``calendar.sunday``); the day is the parameter ``day``.

        Raises:
            CalendarError: the year is not covered by the holiday data.

        Examples:
            >>> HolidayCalendar("NW").non_working(date(2026, 2, 28))
            Message.of('calendar.saturday', day=datetime.date(2026, 2, 28))
        """
        name = self.holiday_name(day)
        if name is not None:
            return Message.of("calendar.holiday", day=day, name=name)
        if day.weekday() in _WEEKEND:
            return Message.of(_WEEKEND[day.weekday()], day=day)
        return None

    def non_working_reason(self, day: date) -> str | None:
        """Why ``day`` is not a working day, in German ("28.02.2026 ist ein Samstag").

        Renderers use foerdermittel.messages with
        [`non_working`][foerdermittel.calendar.HolidayCalendar.non_working].
        """
        reason = self.non_working(day)
        return None if reason is None else words(reason)

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
