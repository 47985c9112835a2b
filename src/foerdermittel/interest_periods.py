"""Zinstage nach Basiszinssatz — the interest days split at every change of the base rate.

[`compute_interest`][foerdermittel.interest.compute_interest] reads two things from here:

* [`pieces`][foerdermittel.interest_periods.pieces] — the days of an interest period as
  pieces of one base rate and origin (and of one year for act/act), found by bisection in the
  table's periods ([`BaseRateTable.periods`][foerdermittel.rules.base_rate.BaseRateTable.periods]);
  the segments of a result are built from them.
* [`rate_sums`][foerdermittel.interest_periods.rate_sums] — for one table, day count and number
  of points above the base rate, the running sum of rate × days over the table's days, in
  hundredths of a percent (exact integers). The sum over any span of days is then the
  difference of two running sums, each found by bisection: principal × that sum / (10,000 ×
  year basis) is the interest of the span, the same rational number the segments add up to.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation

from foerdermittel.rules.base_rate import (
    BaseRateTable,
    DayCount,
    InterestError,
    RateOrigin,
    RatePeriods,
    half_year_end,
    half_year_start,
)

__all__ = ["Piece", "RateSums", "days_30e_360", "no_rate", "pieces", "rate_sums"]

_ONE_DAY = timedelta(days=1)


def days_30e_360(day: date) -> int:
    """Day number under 30E/360: 360·year + 30·month + min(day, 30).

    The 30E/360 days from ``first`` to ``last`` are ``days_30e_360(last) -
    days_30e_360(first - 1 day)``.

    Examples:
        >>> days_30e_360(date(2024, 8, 31)) - days_30e_360(date(2024, 3, 1))
        179
    """
    return 360 * day.year + 30 * day.month + min(day.day, 30)


Piece = tuple[date, date, Decimal, RateOrigin]


def _continues(piece: Piece, day: date, base: Decimal, origin: RateOrigin, *, split: bool) -> bool:
    """Whether the days from ``day`` on extend ``piece``: same rate, same origin, same year."""
    first, _, piece_base, piece_origin = piece
    same_year = not split or first.year == day.year
    return piece_base == base and piece_origin is origin and same_year


def _add(
    pieces: list[Piece],
    first: date,
    last: date,
    base: Decimal,
    origin: RateOrigin,
    *,
    split: bool,
) -> None:
    """Append the days ``first`` to ``last`` at ``base``, or extend the last piece by them."""
    if pieces and _continues(pieces[-1], first, base, origin, split=split):
        pieces[-1] = (pieces[-1][0], last, base, origin)
    else:
        pieces.append((first, last, base, origin))


def pieces(
    first: date,
    last: date,
    *,
    assumed: Decimal | None,
    split_years: bool,
    table: BaseRateTable,
) -> list[Piece]:
    """Split the interest days at every change of the base rate (and, if asked, at year ends).

    Half-years with the same rate are merged; days whose rates have different origins (shipped
    table, user's file, assumption) are never merged. The table's periods of one rate
    ([`BaseRateTable.periods`][foerdermittel.rules.base_rate.BaseRateTable.periods]) are
    found by bisection; the days after the table take the assumed rate.
    """
    if first < table.first:
        raise InterestError(
            f"Für den {first} ist kein Basiszinssatz hinterlegt; die Tabelle (§ 247 BGB) reicht "
            f"vom {table.first} bis zum {table.end}"
        )
    periods = table.periods_by_year if split_years else table.periods
    if periods is None:
        return _half_years(first, last, assumed=assumed, split_years=split_years, table=table)
    pieces: list[Piece] = []
    day = first
    if day <= table.end:
        firsts, lasts, rates, origins = (
            periods.firsts,
            periods.lasts,
            periods.rates,
            periods.origins,
        )
        index = bisect_right(firsts, day) - 1
        while True:
            piece_last = min(last, lasts[index])
            base, origin = rates[index], origins[index]
            if pieces and _continues(pieces[-1], day, base, origin, split=split_years):
                pieces[-1] = (pieces[-1][0], piece_last, base, origin)
            else:
                pieces.append((day, piece_last, base, origin))
            if piece_last == last:
                return pieces
            day = piece_last + _ONE_DAY
            index += 1
            if index == len(firsts):
                break
    if assumed is None:
        raise no_rate(day, last, table)
    while True:
        piece_last = min(last, date(day.year, 12, 31)) if split_years else last
        _add(pieces, day, piece_last, assumed, RateOrigin.ASSUMED, split=split_years)
        if piece_last == last:
            return pieces
        day = piece_last + _ONE_DAY


def no_rate(day: date, last: date, table: BaseRateTable) -> InterestError:
    """The error for days from ``day`` on that neither the table nor an assumed rate covers."""
    return InterestError(
        f"Kein Basiszinssatz für den {day} und später: die Tabelle (§ 247 BGB) reicht "
        f"nur bis {table.end}, der Zinszeitraum bis {last}. Neuere Sätze können aus "
        "einer Datei der Bundesbank gelesen werden (base_rate_file); sonst kann für "
        "die Zeit danach ein angenommener Basiszinssatz übergeben werden "
        "(assumed_base_rate)."
    )


def _half_years(
    first: date,
    last: date,
    *,
    assumed: Decimal | None,
    split_years: bool,
    table: BaseRateTable,
) -> list[Piece]:
    """Like [`pieces`][foerdermittel.interest_periods.pieces], half-year by half-year.

    For a table built by hand that does not cover whole half-years without gaps.
    """
    pieces: list[Piece] = []
    day = first
    while True:
        half_start = half_year_start(day)
        piece_last = min(last, half_year_end(day))
        row = table.by_start.get(half_start) if day <= table.end else None
        if row is not None:
            base, origin = row.rate, row.origin
        elif assumed is None:
            raise no_rate(day, last, table)
        else:
            base, origin = assumed, RateOrigin.ASSUMED
        _add(pieces, day, piece_last, base, origin, split=split_years)
        if piece_last == last:
            return pieces
        day = piece_last + _ONE_DAY


_LEAP_BASIS = 133_590
"""The least common multiple of 365 and 366: act/act weighs each year's days by
133,590 / (days of the year), so that one denominator serves leap years and others."""

_EXACT = Context(prec=50, rounding=ROUND_HALF_UP, traps=[Inexact, InvalidOperation])


@dataclass(frozen=True, slots=True)
class RateSums:
    """Running sums of rate × days over a table's days, for one day count and number of points.

    The periods are the table's periods of one rate (for act/act also of one year). For the
    period ``i`` and a day ``x`` in it, the sum of the weighted rates of the days from the
    table's first day up to and including ``x`` is ``offsets[i] + weights[i] × key(x)``, where
    ``key`` is the day's ordinal (30E/360: its 30E/360 day number). The sum over the days
    after ``start`` up to and including ``end`` is the difference of the sums at ``end`` and
    at ``start``.

    Attributes:
        starts: the ordinal of each period's first day, for bisection.
        offsets: the constant part of the running sum in each period.
        weights: each period's rate (base rate plus points) in hundredths of a percent, for
            act/act multiplied by 133,590 / days of the period's year.
        files: for each period, how many periods up to and including it take their rate from
            the user's file; ``None`` when none does.
        first: the ordinal of the first day the table covers.
        end: the ordinal of the last day the table covers.
        basis: the year basis of the sums (365, 360, or 133,590 for act/act).
        thirty: whether the keys are 30E/360 day numbers instead of ordinals.
    """

    starts: list[int]
    offsets: list[int]
    weights: list[int]
    files: list[int] | None
    first: int
    end: int
    basis: int
    thirty: bool

    def over(self, start: date, end: date) -> tuple[int, bool] | None:
        """The weighted rate sum over the days after ``start`` up to and including ``end``.

        With it, whether a rate of the user's file is among those days; ``None`` if the table
        does not cover them.
        """
        first_key, last_key = start.toordinal(), end.toordinal()
        if first_key < self.first - 1 or last_key > self.end:
            return None
        starts = self.starts
        at_end = bisect_right(starts, last_key) - 1
        at_start = bisect_right(starts, first_key) - 1
        if at_start < 0:  # the day before the table's first day: the sum there is 0
            at_start = 0
        files = self.files
        from_file = False
        if files is not None:
            before = bisect_right(starts, first_key + 1) - 2
            from_file = files[at_end] > (files[before] if before >= 0 else 0)
        if self.thirty:
            first_key, last_key = days_30e_360(start), days_30e_360(end)
        weights, offsets = self.weights, self.offsets
        total = (
            offsets[at_end]
            + weights[at_end] * last_key
            - offsets[at_start]
            - weights[at_start] * first_key
        )
        return total, from_file


def _hundredths(base: Decimal, points: Decimal) -> int | None:
    """``base + points`` in hundredths of a percent, if that is a whole number."""
    try:
        rate = _EXACT.add(base, points)
        scaled = rate.scaleb(2, _EXACT)
        whole = scaled.to_integral_exact(context=_EXACT)
    except (Inexact, InvalidOperation):
        return None
    return int(whole)


def _build_sums(
    periods: RatePeriods, convention: DayCount, points: Decimal, table: BaseRateTable
) -> RateSums | None:
    thirty = convention is DayCount.THIRTY_E_360
    leap = convention is DayCount.ACT_ACT
    basis = {DayCount.ACT_365: 365, DayCount.ACT_360: 360}.get(convention, 360)
    if leap:
        basis = _LEAP_BASIS
    starts: list[int] = []
    offsets: list[int] = []
    weights: list[int] = []
    files: list[int] = []
    running = 0
    file_count = 0
    for first, last, base, origin in zip(
        periods.firsts, periods.lasts, periods.rates, periods.origins, strict=True
    ):
        weight = _hundredths(base, points)
        if weight is None:
            return None
        if leap:
            weight *= _LEAP_BASIS // (366 if calendar.isleap(first.year) else 365)
        day_before = first - _ONE_DAY
        key_before = days_30e_360(day_before) if thirty else day_before.toordinal()
        key_last = days_30e_360(last) if thirty else last.toordinal()
        starts.append(first.toordinal())
        offsets.append(running - weight * key_before)
        weights.append(weight)
        running += weight * (key_last - key_before)
        file_count += origin is RateOrigin.FILE
        files.append(file_count)
    return RateSums(
        starts=starts,
        offsets=offsets,
        weights=weights,
        files=files if file_count else None,
        first=table.first.toordinal(),
        end=table.end.toordinal(),
        basis=basis,
        thirty=thirty,
    )


_MEMO = "_interest_rate_sums"  # where a table keeps its sums, in its instance dictionary
_MEMO_SIZE = 64


def rate_sums(table: BaseRateTable, convention: DayCount, points: Decimal) -> RateSums | None:
    """The running rate sums of ``table`` for ``convention`` and ``points``, built once.

    ``None`` where they cannot serve: a table without periods (one built by hand with gaps),
    or a rate plus points that is no whole number of hundredths of a percent. The table keeps
    them (up to 64 combinations of day count and points).
    """
    memo: dict[tuple[DayCount, Decimal], RateSums | None] | None = table.__dict__.get(_MEMO)
    if memo is None:
        memo = table.__dict__[_MEMO] = {}
    key = (convention, points)
    try:
        return memo[key]
    except KeyError:
        pass
    periods = table.periods_by_year if convention is DayCount.ACT_ACT else table.periods
    sums = None if periods is None else _build_sums(periods, convention, points, table)
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = sums
    return sums
