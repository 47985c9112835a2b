"""Basiszinssatz — the base rate of § 247 BGB, its table and the day-count conventions.

The base rate changes on 1 January and 1 July; the Bundesbank publishes it. The values ship as
package data (``data/basiszinssatz.csv``), every row with its source; a user's file of the
Bundesbank series extends them ([`rate_table`][foerdermittel.rules.base_rate.rate_table]).
The case model reads its settings with these (day count, rates of a file), and
[`foerdermittel.interest`][foerdermittel.interest] computes with them; every name here stays
importable from ``foerdermittel.interest``.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import (
    Decimal,
)
from enum import StrEnum
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from foerdermittel._files import not_a_regular_file
from foerdermittel._moved import german_label
from foerdermittel.errors import CaseError, FoerdermittelError, Problem
from foerdermittel.plausible import base_rate_problem

__all__ = [
    "BaseRate",
    "BaseRateTable",
    "DayCount",
    "InterestError",
    "RateOrigin",
    "RatePeriods",
    "base_rate_on",
    "base_rates",
    "load_base_rate_file",
    "parse_base_rate_file",
    "parse_day_count",
    "rate_table",
    "read_base_rate_file",
    "table_end",
]

_DATA_FILE = "basiszinssatz.csv"
_HEADER = "valid_from;rate;source"
_RATE_TEXT = re.compile(r"-?\d+\.\d+")
_ONE_DAY = timedelta(days=1)


class InterestError(FoerdermittelError, ValueError):
    """Zinsberechnung nicht möglich — interest cannot be computed as asked.

    Raised for days the Basiszinssatz table does not cover (and no assumed rate was given),
    an end before the start, a negative or inexact principal, and an unknown day count.
    """


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RateOrigin(StrEnum):
    """Herkunft des Basiszinssatzes — where the base rate of a half-year comes from.

    * ``table`` — the table shipped with the package (``data/basiszinssatz.csv``).
    * ``file`` — a file the user named (``settings.base_rate_file``, ``--base-rate-file``).
    * ``assumed`` — an assumed rate for days no table covers (``settings.assumed_base_rate``).
    """

    TABLE = "table"
    FILE = "file"
    ASSUMED = "assumed"

    @property
    def german(self) -> str:
        """Deprecated: the German label shown to users; renderers use foerdermittel.messages.

        The words are the catalogue's ``rate-origin.<value>``.

        Examples:
            >>> from foerdermittel.message_types import Message, words
            >>> words(Message.of(f"rate-origin.{RateOrigin.ASSUMED.value}"))
            'angenommen'
        """
        return german_label(self, "rate-origin")


class BaseRate(_Frozen):
    """Basiszinssatz — the base rate of § 247 BGB for one half-year.

    Attributes:
        valid_from: the first day it applies (a 1 January or 1 July); it applies until the day
            before the next 1 January or 1 July.
        rate: the rate in percent, e.g. ``Decimal('-0.88')``.
        source: where the value was checked, or the file and line it was read from.
        origin: the shipped table (default) or a user's file.
    """

    valid_from: date = Field(description="gilt ab (1. Januar oder 1. Juli)")
    rate: Decimal = Field(description="Basiszinssatz in Prozent")
    source: str = Field(description="Quelle bzw. Datei und Zeile")
    origin: RateOrigin = Field(
        default=RateOrigin.TABLE,
        description="Herkunft: mitgelieferte Tabelle (table) oder Datei (file)",
    )


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def half_year_end(day: date) -> date:
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def _parse_table(text: str, name: str) -> tuple[BaseRate, ...]:
    """Read the Basiszinssatz table; every defect names the file and the line."""
    rows: list[BaseRate] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{name}, Zeile {number}"
        if not header_seen:
            if line != _HEADER:
                raise InterestError(f"{where}: Kopfzeile {_HEADER!r} erwartet, gefunden {line!r}")
            header_seen = True
            continue
        fields = line.split(";", 2)
        if len(fields) != 3:
            raise InterestError(f"{where}: drei Felder (valid_from;rate;source) erwartet")
        day_text, rate_text, source = (field.strip() for field in fields)
        try:
            valid_from = date.fromisoformat(day_text)
        except ValueError as exc:
            raise InterestError(f"{where}: {day_text!r} ist kein Datum JJJJ-MM-TT") from exc
        if valid_from.day != 1 or valid_from.month not in (1, 7):
            raise InterestError(f"{where}: {valid_from} ist kein 1. Januar oder 1. Juli")
        if not _RATE_TEXT.fullmatch(rate_text):
            raise InterestError(f"{where}: {rate_text!r} ist kein Prozentsatz wie -0.88")
        if not source:
            raise InterestError(f"{where}: Quelle fehlt")
        if rows:
            expected = half_year_end(rows[-1].valid_from) + _ONE_DAY
            if valid_from != expected:
                raise InterestError(
                    f"{where}: {valid_from} folgt nicht lückenlos auf {rows[-1].valid_from} "
                    f"(erwartet {expected})"
                )
        rows.append(BaseRate(valid_from=valid_from, rate=Decimal(rate_text), source=source))
    if not rows:
        raise InterestError(f"{name}: keine Basiszinssätze gefunden")
    return tuple(rows)


@functools.cache
def base_rates() -> tuple[BaseRate, ...]:
    """Basiszinssätze (§ 247 BGB) — every half-year in the table, oldest first.

    Loaded once from the package data ``data/basiszinssatz.csv``; rates are read from their
    text as ``Decimal``. The rows have no gaps: one per half-year.

    Examples:
        >>> rows = base_rates()
        >>> rows[0].valid_from, rows[-1].valid_from, rows[-1].rate
        (datetime.date(2002, 1, 1), datetime.date(2026, 1, 1), Decimal('1.27'))
    """
    text = resources.files("foerdermittel.data").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    return _parse_table(text, _DATA_FILE)


@dataclass(frozen=True)
class BaseRateTable:
    """Basiszinssätze für die Berechnung — the shipped table, perhaps extended by a user's file.

    Build it with [`rate_table`][foerdermittel.rules.base_rate.rate_table] or
    [`load_base_rate_file`][foerdermittel.rules.base_rate.load_base_rate_file]; pass it to
    [`compute_interest`][foerdermittel.interest.compute_interest] as ``base_rate_table``.

    Attributes:
        by_start: the row of every half-year covered, keyed by its first day.
        first: the first day covered (01.01.2002).
        end: the last day covered.
        file: the user's file the extra rows came from, if any.
    """

    by_start: dict[date, BaseRate]
    first: date
    end: date
    file: str | None = None

    @property
    def rows(self) -> tuple[BaseRate, ...]:
        """Every half-year covered, oldest first."""
        return tuple(self.by_start[start] for start in sorted(self.by_start))

    @functools.cached_property
    def periods(self) -> RatePeriods | None:
        """The days covered as periods of one rate and origin, oldest first, built once.

        Half-years in a row with the same rate from the same origin are one period, so that
        the periods a span of days covers are found by bisection. ``None`` for a table that
        does not cover whole half-years without gaps from ``first`` to ``end`` (every table
        [`rate_table`][foerdermittel.rules.base_rate.rate_table] builds does).

        Examples:
            >>> periods = shipped_table().periods
            >>> periods.firsts[-3:], periods.rates[-3:]
            ((datetime.date(2024, 7, 1), datetime.date(2025, 1, 1), datetime.date(2025, 7, 1)), \
(Decimal('3.37'), Decimal('2.27'), Decimal('1.27')))
            >>> periods.lasts[-1]
            datetime.date(2026, 6, 30)
        """
        return _merged(self, split_years=False)

    @functools.cached_property
    def periods_by_year(self) -> RatePeriods | None:
        """The periods of one rate, also split at every year end, built once.

        Like [`periods`][foerdermittel.rules.base_rate.BaseRateTable.periods]; act/act counts
        each calendar year with its own length.
        """
        return _merged(self, split_years=True)


@dataclass(frozen=True)
class RatePeriods:
    """Zeiträume eines Basiszinssatzes — a table's days as periods of one rate and origin.

    The four tuples are parallel, oldest period first; the periods follow each other without
    gaps. Half-years are merged only when their rates are written alike (``1.2`` and ``1.20``
    are equal, but stay two periods).

    Attributes:
        firsts: the first day of every period (a 1 January or 1 July).
        lasts: the last day of every period (a 30 June or 31 December).
        rates: the Basiszinssatz of every period, in percent.
        origins: where every period's rate comes from (shipped table or user's file).
    """

    firsts: tuple[date, ...]
    lasts: tuple[date, ...]
    rates: tuple[Decimal, ...]
    origins: tuple[RateOrigin, ...]


def _merged(table: BaseRateTable, *, split_years: bool) -> RatePeriods | None:
    """The periods of one rate and origin of ``table`` (and of one year, if asked)."""
    if table.first != half_year_start(table.first) or table.end != half_year_end(table.end):
        return None
    firsts: list[date] = []
    lasts: list[date] = []
    rates: list[Decimal] = []
    origins: list[RateOrigin] = []
    start = table.first
    while start <= table.end:
        row = table.by_start.get(start)
        if row is None:
            return None
        last = half_year_end(start)
        same_year = not split_years or start.month == 7
        same_rate = bool(rates) and str(rates[-1]) == str(row.rate)  # 1.2 and 1.20 stay apart
        if same_rate and origins[-1] is row.origin and same_year:
            lasts[-1] = last
        else:
            firsts.append(start)
            lasts.append(last)
            rates.append(row.rate)
            origins.append(row.origin)
        start = last + _ONE_DAY
    return RatePeriods(tuple(firsts), tuple(lasts), tuple(rates), tuple(origins))


@functools.cache
def shipped_table() -> BaseRateTable:
    rows = base_rates()
    return BaseRateTable(
        by_start={row.valid_from: row for row in rows},
        first=rows[0].valid_from,
        end=half_year_end(rows[-1].valid_from),
    )


def table_end() -> date:
    """The last day the Basiszinssatz table covers (§ 247 BGB: a row holds for its half-year).

    Examples:
        >>> table_end()
        datetime.date(2026, 6, 30)
    """
    return shipped_table().end


def checked_day(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InterestError(f"{what}: {value!r} ist kein Datum (datetime.date erwartet)")
    return value


def base_rate_on(day: date, *, table: BaseRateTable | None = None) -> BaseRate:
    """Basiszinssatz am Tag — the rate of § 247 BGB that applies on ``day``.

    ``table`` is the shipped table unless given (see
    [`rate_table`][foerdermittel.rules.base_rate.rate_table]).

    Raises:
        InterestError: if ``day`` lies before the first row or after
            [`table_end`][foerdermittel.rules.base_rate.table_end]; the message names the day
            and the range the table covers.

    Examples:
        >>> base_rate_on(date(2024, 7, 15)).rate
        Decimal('3.37')
        >>> base_rate_on(date(2026, 7, 1))
        Traceback (most recent call last):
        ...
        foerdermittel.rules.base_rate.InterestError: Für den 2026-07-01 ist kein Basiszinssatz ...
    """
    table = table or shipped_table()
    day = checked_day(day, "Tag")
    if not table.first <= day <= table.end:
        raise InterestError(
            f"Für den {day} ist kein Basiszinssatz hinterlegt; die Tabelle (§ 247 BGB) reicht "
            f"vom {table.first} bis zum {table.end}"
        )
    return table.by_start[half_year_start(day)]


# The Bundesbank's time-series download (series BBK01.SU0115, "Basiszinssatz gemäß § 247 BGB";
# in the SDMX web service BBIN1 / M.DE.BBK.BBKBAS2.EUR.ME): a few header lines (series key,
# title, unit, "Stand vom", source), then one line per period ``2026-01;1,27;`` with the
# value and a flag column, and possibly a closing comment line whose first field is empty.
# The German download separates with ";" and uses the decimal comma, the English one
# separates with "," and uses the decimal point; a missing value is written ".".
_PERIOD_MONTH = re.compile(r"(\d{4})-(\d{2})")
_PERIOD_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PERIOD_GERMAN = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
_LOOKS_LIKE_PERIOD = re.compile(r"\d{1,4}[-./]\d")
_FILE_RATE = re.compile(r"[-+−]?\d{1,3}(?:[.,]\d+)?")
_SERIES_KEY = re.compile(r"\b(?:BBK01\.[A-Z]{2}\d{4}|BBIN1\.[A-Z0-9._]+)")
_BASE_RATE_KEYS = ("BBK01.SU0115", "BBKBAS2")
_MISSING = {"", ".", "-"}
_FIRST_RULE_DAY = date(2002, 1, 1)


def _file_error(name: str, line: int | None, value: object, message: str) -> CaseError:
    where = f"Zeile {line}" if line is not None else ""
    return CaseError([Problem(where, value, message)], file=name)


def _cells(line: str, separator: str) -> list[str]:
    """The fields of one line; quoted fields may contain the separator."""
    fields = next(csv.reader([line], delimiter=separator), [])
    return [cell.strip() for cell in fields] or [""]


def _period(text: str, name: str, number: int) -> tuple[date, bool] | None:
    """The first day of the period a label names, and whether it names a month only."""
    month_match = _PERIOD_MONTH.fullmatch(text)
    iso_match = _PERIOD_ISO.fullmatch(text)
    german_match = _PERIOD_GERMAN.fullmatch(text)
    try:
        if month_match:
            return date(int(month_match[1]), int(month_match[2]), 1), True
        if iso_match:
            return date(int(iso_match[1]), int(iso_match[2]), int(iso_match[3])), False
        if german_match:
            return date(int(german_match[3]), int(german_match[2]), int(german_match[1])), False
    except ValueError:
        raise _file_error(name, number, text, "kein gültiger Zeitpunkt") from None
    return None


def _file_rate(text: str, separator: str, name: str, number: int) -> Decimal:
    if not _FILE_RATE.fullmatch(text) or (separator == "," and "," in text):
        raise _file_error(
            name,
            number,
            text,
            "kein Prozentsatz wie 1,27 oder 1.27 (ohne Tausenderpunkt und ohne %-Zeichen)",
        )
    return Decimal(text.replace("−", "-").replace(",", "."))


def parse_base_rate_file(text: str, name: str) -> tuple[BaseRate, ...]:
    r"""Basiszinssätze aus einer Bundesbank-Datei — the rows of a user's rate file.

    Reads the Bundesbank's CSV download of the series BBK01.SU0115 ("Basiszinssatz gemäß
    § 247 BGB"): header lines, then one line per period, ``JJJJ-MM;Wert`` (monthly values),
    ``JJJJ-MM-TT;Wert`` or ``TT.MM.JJJJ;Wert``, perhaps followed by a flag or comment column.
    Both the decimal comma and the decimal point are read; with "," as the separator only the
    point. A value "." (no value) is skipped. A day must be a 1 January or 1 July; monthly
    values are mapped to their half-year (§ 247 Abs. 1 BGB: the rate changes only on those
    days), and all months of a half-year must agree. Periods before 01.01.2002, when § 247 BGB
    did not yet apply (Art. 229 § 7 EGBGB), are skipped.

    Returns:
        One row per half-year, oldest first, with origin ``file`` and the file and line as
        source.

    Raises:
        CaseError: for a line that cannot be read or is ambiguous, naming file, line and value.

    Examples:
        >>> text = "BBK01.SU0115;Basiszinssatz\n2026-01;1,27;\n"
        >>> rows = parse_base_rate_file(text, "b.csv")
        >>> rows[0].valid_from, rows[0].rate, rows[0].source, rows[0].origin.value
        (datetime.date(2026, 1, 1), Decimal('1.27'), 'b.csv, Zeile 2', 'file')
    """
    lines = text.splitlines()
    separator = ";" if any(";" in line for line in lines) else ","
    header: list[str] = []
    found: dict[date, tuple[Decimal, int, str]] = {}
    seen: dict[date, int] = {}
    data_started = False
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        cells = _cells(raw, separator)
        label = cells[0]
        period = _period(label, name, number)
        if period is None:
            if data_started and label:
                raise _file_error(
                    name,
                    number,
                    label,
                    "kein Zeitpunkt wie 2026-07, 2026-07-01 oder 01.07.2026",
                )
            if not data_started and _LOOKS_LIKE_PERIOD.match(label):
                raise _file_error(
                    name,
                    number,
                    label,
                    "kein Zeitpunkt wie 2026-07, 2026-07-01 oder 01.07.2026",
                )
            header.append(raw)
            continue
        data_started = True
        day, monthly = period
        if day in seen:
            raise _file_error(
                name,
                number,
                label,
                f"Zeitpunkt steht doppelt in der Datei (auch Zeile {seen[day]})",
            )
        seen[day] = number
        if not monthly and (day.day != 1 or day.month not in (1, 7)):
            raise _file_error(
                name,
                number,
                label,
                "ein Basiszinssatz gilt ab einem 1. Januar oder 1. Juli (§ 247 Abs. 1 BGB); "
                "für einen anderen Tag ist unklar, welches Halbjahr gemeint ist",
            )
        value_text = cells[1] if len(cells) > 1 else ""
        if value_text in _MISSING:
            continue
        rate = _file_rate(value_text, separator, name, number)
        if day < _FIRST_RULE_DAY:
            continue
        start = half_year_start(day)
        earlier = found.get(start)
        if earlier is not None and earlier[0] != rate:
            raise _file_error(
                name,
                number,
                value_text,
                f"widerspricht Zeile {earlier[1]} ({earlier[2]}) im selben Halbjahr ab {start}; "
                "der Basiszinssatz ändert sich nur zum 1. Januar und 1. Juli",
            )
        if earlier is None or day == start:
            found[start] = (rate, number, value_text)
    keys = set(_SERIES_KEY.findall("\n".join(header)))
    if keys and not any(k in key for key in keys for k in _BASE_RATE_KEYS):
        raise _file_error(
            name,
            None,
            ", ".join(sorted(keys)),
            "die Datei enthält eine andere Zeitreihe als den Basiszinssatz (BBK01.SU0115)",
        )
    if not found:
        raise _file_error(name, None, None, "keine Basiszinssätze ab 01.01.2002 gefunden")
    return tuple(
        BaseRate(
            valid_from=start,
            rate=rate,
            source=f"{name}, Zeile {line}",
            origin=RateOrigin.FILE,
        )
        for start, (rate, line, _) in sorted(found.items())
    )


def rate_table(rows: tuple[BaseRate, ...] = (), *, file: str | None = None) -> BaseRateTable:
    """The shipped Basiszinssatz table, extended by ``rows`` (e.g. from a user's file).

    A row for a half-year the shipped table has must agree with it; rows after the table's end
    extend it without gaps. Disagreement and gaps are errors, never resolved silently.

    Raises:
        CaseError: naming the file, the row's source (line), the date and both values.

    Examples:
        >>> extra = BaseRate(valid_from=date(2026, 7, 1), rate=Decimal("9.99"),
        ...                  source="Zeile 9", origin=RateOrigin.FILE)
        >>> rate_table((extra,), file="b.csv").end
        datetime.date(2026, 12, 31)
    """
    shipped = shipped_table()
    if not rows:
        return shipped
    name = file or "Basiszinssätze"
    by_start = dict(shipped.by_start)
    newer: list[BaseRate] = []
    for row in sorted(rows, key=lambda r: r.valid_from):
        if row.valid_from.day != 1 or row.valid_from.month not in (1, 7):
            raise CaseError.single(
                row.source, row.valid_from, "kein 1. Januar oder 1. Juli", file=name
            )
        known = shipped.by_start.get(row.valid_from)
        if known is not None:
            if known.rate != row.rate:
                raise CaseError.single(
                    row.source,
                    row.rate,
                    f"Basiszinssatz ab {row.valid_from}: die Datei nennt {row.rate} %, die "
                    f"mitgelieferte Tabelle {known.rate} % ({known.source})",
                    file=name,
                )
        elif row.valid_from > shipped.end:
            problem = base_rate_problem(row.rate)
            if problem is not None:
                raise CaseError.single(
                    row.source, row.rate, f"ab {row.valid_from}: {problem}", file=name
                )
            newer.append(row.model_copy(update={"origin": RateOrigin.FILE}))
    end = shipped.end
    for row in newer:
        expected = end + _ONE_DAY
        if row.valid_from != expected:
            raise CaseError.single(
                row.source,
                row.valid_from,
                f"Lücke: für das Halbjahr ab {expected} fehlt ein Basiszinssatz",
                file=name,
            )
        by_start[row.valid_from] = row
        end = half_year_end(row.valid_from)
    return BaseRateTable(by_start=by_start, first=shipped.first, end=end, file=file)


def load_base_rate_file(path: str | Path) -> BaseRateTable:
    """Read a user's Basiszinssatz file into a table: the shipped one, extended by the file.

    Raises:
        CaseError: the file is missing or unreadable, a line cannot be read, or a value
            disagrees with the shipped table.
    """
    return rate_table(read_base_rate_file(path), file=str(path))


def read_base_rate_file(path: str | Path) -> tuple[BaseRate, ...]:
    """The rows of a user's Basiszinssatz file, read and parsed.

    See [`parse_base_rate_file`][foerdermittel.rules.base_rate.parse_base_rate_file] for the format.
    The rows are not yet checked against the shipped table
    ([`rate_table`][foerdermittel.rules.base_rate.rate_table] does that).

    The file is read as UTF-8 (with or without byte order mark), else as Windows-1252.

    Raises:
        CaseError: the file is missing or unreadable, or a line cannot be read.
    """
    name = str(path)
    if (reason := not_a_regular_file(path)) is not None:
        raise _file_error(name, None, None, reason)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise _file_error(name, None, None, "Datei nicht gefunden") from None
    except IsADirectoryError:
        raise _file_error(name, None, None, "ist ein Verzeichnis, keine Datei") from None
    except OSError as exc:
        raise _file_error(name, None, None, f"nicht lesbar: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("windows-1252")
        except UnicodeDecodeError as exc:
            raise _file_error(name, None, None, f"keine Textdatei (Byte {exc.start})") from None
    return parse_base_rate_file(text, name)


class DayCount(StrEnum):
    """Zinstagekonvention — how days and the year are counted (open question, grant-law §9.5).

    * ``act/365`` — Kalendermethode with a 365-day year: actual days / 365 (default).
    * ``act/act`` — actual days / days of the calendar year the segment lies in (365 or 366).
    * ``act/360`` — Euro-Methode: actual days / 360.
    * ``30E/360`` — Bankenmethode (30E/360): every month has 30 days, the year 360.
    """

    ACT_365 = "act/365"
    ACT_ACT = "act/act"
    ACT_360 = "act/360"
    THIRTY_E_360 = "30E/360"


def parse_day_count(name: str) -> DayCount:
    """Read a day-count name such as ``"act/365"`` or ``"30E/360"`` (case does not matter).

    Raises:
        InterestError: for an unknown name; the message lists the valid names.

    Examples:
        >>> parse_day_count("ACT/ACT")
        <DayCount.ACT_ACT: 'act/act'>
        >>> parse_day_count("30/360")
        Traceback (most recent call last):
        ...
        foerdermittel.rules.base_rate.InterestError: Unbekannte Zinstagekonvention '30/360'; ...
    """
    if isinstance(name, DayCount):
        return name
    if isinstance(name, str):
        wanted = name.strip().casefold()
        for member in DayCount:
            if member.value.casefold() == wanted:
                return member
    valid = ", ".join(member.value for member in DayCount)
    raise InterestError(f"Unbekannte Zinstagekonvention {name!r}; gültig sind: {valid}")
