"""Zinsen nach § 49a VwVfG — interest on refunds and on grant money not used in time.

The rules, with their sources:

* § 49a Abs. 3 VwVfG, ANBest Nr. 8.4 — a refund bears interest from the day the grant
  decision became ineffective, at **five percentage points above the Basiszinssatz per year**.
* § 49a Abs. 4 VwVfG, ANBest Nr. 8.5 — money not used "alsbald" after payout may bear
  interest at the same rate for the time until it is used.
* § 247 BGB — the Basiszinssatz changes on 1 January and 1 July; the Bundesbank publishes it.
  The values ship as package data (``data/basiszinssatz.csv``), every row with its source.
* § 187 Abs. 1 BGB — the event day (payout, or the day the grant became ineffective) is not
  counted; KfW counts MPSC interest from the day after payout. The end day (day of use or
  repayment) is counted.
* Simple interest, no compounding (cf. the ban on compound interest in § 248 and § 289 BGB,
  marked unverified in grant-law §3.1).

No source fixes the day-count convention for § 49a interest (grant-law §3.1 and open question
§9.5). The default is actual days / 365
([`DayCount.ACT_365`][foerdermittel.interest.DayCount]); act/act, act/360 and 30E/360 can be
chosen.

Examples:
    >>> result = compute_interest(Decimal("100000.00"), date(2024, 3, 1), date(2024, 8, 31))
    >>> result.interest
    Decimal('4279.34')
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum
from importlib import resources

from pydantic import BaseModel, ConfigDict

from foerdermittel.errors import FoerdermittelError
from foerdermittel.money import Money, NonNegativeMoney, cents, to_money

__all__ = [
    "LEGAL_REFERENCE",
    "BaseRate",
    "DayCount",
    "InterestError",
    "InterestResult",
    "InterestSegment",
    "base_rate_on",
    "base_rates",
    "compute_interest",
    "parse_day_count",
    "table_end",
]

LEGAL_REFERENCE = "§ 49a Abs. 3 VwVfG; § 247 BGB"
"""The rules every interest result rests on."""

_DATA_FILE = "basiszinssatz.csv"
_HEADER = "valid_from;rate;source"
_RATE_TEXT = re.compile(r"-?\d+\.\d+")
_PRECISION = 50
_ONE_DAY = timedelta(days=1)


def _context(*, exact: bool = False) -> Context:
    """A decimal context of 50 digits with explicit rounding, independent of the caller's.

    ``localcontext`` works on a copy, so the two module-level contexts are never changed.
    """
    traps = [InvalidOperation, DivisionByZero, Overflow]
    if exact:
        traps.append(Inexact)
    return Context(prec=_PRECISION, rounding=ROUND_HALF_UP, traps=traps)


_CONTEXT = _context()
_EXACT_CONTEXT = _context(exact=True)


class InterestError(FoerdermittelError, ValueError):
    """Zinsberechnung nicht möglich — interest cannot be computed as asked.

    Raised for days the Basiszinssatz table does not cover (and no assumed rate was given),
    an end before the start, a negative or inexact principal, and an unknown day count.
    """


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BaseRate(_Frozen):
    """Basiszinssatz — the base rate of § 247 BGB for one half-year.

    Attributes:
        valid_from: the first day it applies (a 1 January or 1 July); it applies until the day
            before the next 1 January or 1 July.
        rate: the rate in percent, e.g. ``Decimal('-0.88')``.
        source: where the value was checked.
    """

    valid_from: date
    rate: Decimal
    source: str


def _half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def _half_year_end(day: date) -> date:
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
            expected = _half_year_end(rows[-1].valid_from) + _ONE_DAY
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
class _Table:
    by_start: dict[date, BaseRate]
    first: date
    end: date


@functools.cache
def _table() -> _Table:
    rows = base_rates()
    return _Table(
        by_start={row.valid_from: row for row in rows},
        first=rows[0].valid_from,
        end=_half_year_end(rows[-1].valid_from),
    )


def table_end() -> date:
    """The last day the Basiszinssatz table covers (§ 247 BGB: a row holds for its half-year).

    Examples:
        >>> table_end()
        datetime.date(2026, 6, 30)
    """
    return _table().end


def _check_day(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InterestError(f"{what}: {value!r} ist kein Datum (datetime.date erwartet)")
    return value


def base_rate_on(day: date) -> BaseRate:
    """Basiszinssatz am Tag — the rate of § 247 BGB that applies on ``day``.

    Raises:
        InterestError: if ``day`` lies before the first row or after
            [`table_end`][foerdermittel.interest.table_end]; the message names the day and the
            range the table covers.

    Examples:
        >>> base_rate_on(date(2024, 7, 15)).rate
        Decimal('3.37')
        >>> base_rate_on(date(2026, 7, 1))
        Traceback (most recent call last):
        ...
        foerdermittel.interest.InterestError: Für den 2026-07-01 ist kein Basiszinssatz ...
    """
    table = _table()
    day = _check_day(day, "Tag")
    if not table.first <= day <= table.end:
        raise InterestError(
            f"Für den {day} ist kein Basiszinssatz hinterlegt; die Tabelle (§ 247 BGB) reicht "
            f"vom {table.first} bis zum {table.end}"
        )
    return table.by_start[_half_year_start(day)]


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
        foerdermittel.interest.InterestError: Unbekannte Zinstagekonvention '30/360'; ...
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


class InterestSegment(_Frozen):
    """Zinsabschnitt — days with one rate (§ 247 BGB half-years, § 49a Abs. 3 VwVfG rate).

    Attributes:
        first_day: the first interest day of the segment.
        last_day: the last interest day (inclusive).
        days: the days counted under the day-count convention (actual days, or 30E/360 days).
        year_basis: the days of the year divided by (365, 366 or 360).
        base_rate: the Basiszinssatz in percent.
        rate: the interest rate in percent per year: base rate plus the points.
        amount: principal × rate / 100 × days / year_basis, unrounded (50 significant digits).
        assumed: whether the base rate is an assumed one (days after the table ends).
    """

    first_day: date
    last_day: date
    days: int
    year_basis: int
    base_rate: Decimal
    rate: Decimal
    amount: Decimal
    assumed: bool


class InterestResult(_Frozen):
    """Zinsen nach § 49a Abs. 3 VwVfG — interest on an amount for a period, with its segments.

    Attributes:
        principal: the amount that bears interest (refund or money not used in time).
        start: the event day (payout, or the day the grant became ineffective); not counted.
        end: the day of use or repayment; counted.
        day_count: the day-count convention used.
        points_above_base: percentage points above the Basiszinssatz (5 under § 49a VwVfG).
        segments: the periods with one rate each, in order; empty when no day is counted.
        interest: the total, rounded once, half up, to the cent.
        assumed_base_rate: the assumed Basiszinssatz, if any segment used it; otherwise None.
        legal_reference: the rules the result rests on.
    """

    principal: NonNegativeMoney
    start: date
    end: date
    day_count: DayCount
    points_above_base: Decimal
    segments: tuple[InterestSegment, ...]
    interest: Money
    assumed_base_rate: Decimal | None
    legal_reference: str


def _principal(value: object) -> Decimal:
    try:
        amount = to_money(value)
    except ValueError as exc:
        raise InterestError(f"Kapitalbetrag: {exc}") from exc
    if amount < 0:
        raise InterestError(f"Kapitalbetrag {amount} ist negativ; erwartet ist ein Betrag ≥ 0")
    return amount


def _percent(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InterestError(
            f"{what}: {value!r} ist kein Prozentsatz; erwartet ist ein Decimal wie Decimal('5')"
        )
    number = Decimal(value)
    if not number.is_finite():
        raise InterestError(f"{what}: {value!r} ist keine endliche Zahl")
    return number


def _days_30e_360(day: date) -> int:
    """Day number under 30E/360: 360·year + 30·month + min(day, 30)."""
    return 360 * day.year + 30 * day.month + min(day.day, 30)


def _continues(
    piece: tuple[date, date, Decimal, bool],
    day: date,
    base: Decimal,
    *,
    assumed: bool,
    split_years: bool,
) -> bool:
    """Whether the days from ``day`` on extend ``piece``: same rate, same kind, same year."""
    first, _, piece_base, piece_assumed = piece
    same_year = not split_years or first.year == day.year
    return piece_base == base and piece_assumed == assumed and same_year


def _pieces(
    first: date, last: date, *, assumed: Decimal | None, split_years: bool
) -> list[tuple[date, date, Decimal, bool]]:
    """Split the interest days at every change of the base rate (and, if asked, at year ends).

    Half-years with the same rate are merged; days from the table and days with the assumed
    rate are never merged.
    """
    table = _table()
    if first < table.first:
        raise InterestError(
            f"Für den {first} ist kein Basiszinssatz hinterlegt; die Tabelle (§ 247 BGB) reicht "
            f"vom {table.first} bis zum {table.end}"
        )
    pieces: list[tuple[date, date, Decimal, bool]] = []
    day = first
    while True:
        half_start = _half_year_start(day)
        piece_last = min(last, _half_year_end(day))
        row = table.by_start.get(half_start) if day <= table.end else None
        if row is not None:
            base, is_assumed = row.rate, False
        elif assumed is None:
            raise InterestError(
                f"Kein Basiszinssatz für den {day} und später: die Tabelle (§ 247 BGB) reicht "
                f"nur bis {table.end}, der Zinszeitraum bis {last}. Für die Zeit danach kann "
                "ein angenommener Basiszinssatz übergeben werden (assumed_base_rate)."
            )
        else:
            base, is_assumed = assumed, True
        if pieces and _continues(
            pieces[-1], day, base, assumed=is_assumed, split_years=split_years
        ):
            pieces[-1] = (pieces[-1][0], piece_last, base, is_assumed)
        else:
            pieces.append((day, piece_last, base, is_assumed))
        if piece_last == last:
            return pieces
        day = piece_last + _ONE_DAY


def compute_interest(
    principal: Decimal,
    start: date,
    end: date,
    *,
    day_count: DayCount = DayCount.ACT_365,
    points_above_base: Decimal = Decimal(5),
    assumed_base_rate: Decimal | None = None,
) -> InterestResult:
    """Zinsen nach § 49a Abs. 3 und 4 VwVfG (ANBest Nr. 8.4, 8.5) on ``principal``.

    Interest runs from the day after ``start`` (§ 187 Abs. 1 BGB: the event day is not
    counted) up to and including ``end``, at the Basiszinssatz (§ 247 BGB) plus
    ``points_above_base`` per year, simple interest. The period is split wherever the base
    rate changes (1 January, 1 July) and, for act/act, at year ends; each segment's amount is
    kept unrounded and the total is rounded once, half up, to the cent. A negative base rate
    lowers the rate (−0.88 + 5 = 4.12 %); a negative total rate gives negative interest.

    Args:
        principal: the amount, ≥ 0 with at most two places.
        start: the event day: payout, or the day the grant decision became ineffective.
        end: the day of use or repayment; ``end == start`` gives no interest.
        day_count: the day-count convention (open question, grant-law §9.5); default act/365.
        points_above_base: percentage points above the base rate; 5 under § 49a Abs. 3 VwVfG.
        assumed_base_rate: base rate in percent for days after
            [`table_end`][foerdermittel.interest.table_end]; without it such days raise.

    Returns:
        The result with its segments and the total.

    Raises:
        InterestError: for an end before the start, a negative principal or one with more
            than two places, an unknown day count, or days the table does not cover.

    Examples:
        The worked example of grant-law §3.1: 100,000.00 € paid out on 01.03.2024 and used on
        31.08.2024, 121 days at 3.62 + 5 = 8.62 % and 62 days at 3.37 + 5 = 8.37 %:

        >>> result = compute_interest(Decimal("100000.00"), date(2024, 3, 1), date(2024, 8, 31))
        >>> for s in result.segments:
        ...     print(s.first_day, s.last_day, s.days, s.year_basis, s.rate)
        2024-03-02 2024-06-30 121 365 8.62
        2024-07-01 2024-08-31 62 365 8.37
        >>> result.interest
        Decimal('4279.34')
        >>> for convention in (DayCount.ACT_ACT, DayCount.ACT_360, DayCount.THIRTY_E_360):
        ...     print(convention, compute_interest(
        ...         Decimal("100000.00"), date(2024, 3, 1), date(2024, 8, 31), day_count=convention
        ...     ).interest)
        act/act 4267.65
        act/360 4338.78
        30E/360 4244.39
    """
    amount = _principal(principal)
    convention = parse_day_count(day_count)
    points = _percent(points_above_base, "points_above_base")
    assumed = (
        None if assumed_base_rate is None else _percent(assumed_base_rate, "assumed_base_rate")
    )
    start = _check_day(start, "Beginn")
    end = _check_day(end, "Ende")
    if end < start:
        raise InterestError(f"Ende {end} liegt vor dem Beginn {start}")

    segments: list[InterestSegment] = []
    if end > start:
        pieces = _pieces(
            start + _ONE_DAY,
            end,
            assumed=assumed,
            split_years=convention is DayCount.ACT_ACT,
        )
        with localcontext(_CONTEXT):
            for first, last, base, is_assumed in pieces:
                if convention is DayCount.THIRTY_E_360:
                    days = _days_30e_360(last) - _days_30e_360(first - _ONE_DAY)
                    basis = 360
                else:
                    days = (last - first).days + 1
                    if convention is DayCount.ACT_365:
                        basis = 365
                    elif convention is DayCount.ACT_360:
                        basis = 360
                    else:
                        basis = 366 if calendar.isleap(first.year) else 365
                rate = base + points
                segments.append(
                    InterestSegment(
                        first_day=first,
                        last_day=last,
                        days=days,
                        year_basis=basis,
                        base_rate=base,
                        rate=rate,
                        amount=amount * rate * days / (100 * basis),
                        assumed=is_assumed,
                    )
                )
    used_assumed = assumed if any(s.assumed for s in segments) else None
    return InterestResult(
        principal=amount,
        start=start,
        end=end,
        day_count=convention,
        points_above_base=points,
        segments=tuple(segments),
        interest=_total(amount, segments),
        assumed_base_rate=used_assumed,
        legal_reference=LEGAL_REFERENCE,
    )


def _total(principal: Decimal, segments: list[InterestSegment]) -> Decimal:
    """Sum of the segments, rounded once, half up, to the cent.

    The sum is formed over one common denominator: the numerator is exact (checked by the
    Inexact trap), so a single division decides the rounding; a total that lies exactly on
    half a cent is represented exactly and rounds up.
    """
    if not segments:
        return cents(Decimal(0))
    common = math.lcm(*(s.year_basis for s in segments))
    try:
        with localcontext(_EXACT_CONTEXT):
            numerator = sum(
                (principal * s.rate * s.days * (common // s.year_basis) for s in segments),
                Decimal(0),
            )
    except Inexact as exc:
        raise InterestError(
            "Zinssatz oder Betrag hat zu viele Stellen für eine exakte Berechnung"
        ) from exc
    with localcontext(_CONTEXT):
        return cents(numerator / (100 * common))
