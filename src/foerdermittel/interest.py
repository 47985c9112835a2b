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
([`DayCount.ACT_365`][foerdermittel.rules.base_rate.DayCount]); act/act, act/360 and 30E/360 can be
chosen.

Examples:
    >>> result = compute_interest(Decimal("100000.00"), date(2024, 3, 1), date(2024, 8, 31))
    >>> result.interest
    Decimal('4279.34')
"""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from foerdermittel.errors import ArgumentError
from foerdermittel.frozen import LaterTuple
from foerdermittel.frozen import built as _built
from foerdermittel.interest_periods import Piece, days_30e_360, pieces, rate_sums
from foerdermittel.money import CENT, Money, NonNegativeMoney, to_money
from foerdermittel.parse import MAX_DIGITS
from foerdermittel.plausible import base_rate_problem
from foerdermittel.rules.base_rate import (
    BaseRate,
    BaseRateTable,
    DayCount,
    InterestError,
    RateOrigin,
    RatePeriods,
    base_rate_on,
    base_rates,
    checked_day,
    load_base_rate_file,
    parse_base_rate_file,
    parse_day_count,
    rate_table,
    read_base_rate_file,
    shipped_table,
    table_end,
)
from foerdermittel.rules.base_rate import _parse_table as _parse_table  # reachable from here too

__all__ = [
    "LEGAL_REFERENCE",
    "POINTS_ABOVE_BASE",
    "BaseRate",
    "BaseRateTable",
    "DayCount",
    "InterestError",
    "InterestResult",
    "InterestSegment",
    "InterestSegments",
    "RateOrigin",
    "RatePeriods",
    "base_rate_on",
    "base_rates",
    "compute_interest",
    "load_base_rate_file",
    "parse_base_rate_file",
    "parse_day_count",
    "rate_table",
    "read_base_rate_file",
    "table_end",
]

LEGAL_REFERENCE = "§ 49a Abs. 3 VwVfG; § 247 BGB"
"""The rules every interest result rests on."""

POINTS_ABOVE_BASE = Decimal(5)
"""Percentage points above the Basiszinssatz a year (§ 49a Abs. 3 Satz 1 VwVfG): the default
of [`compute_interest`][foerdermittel.interest.compute_interest]; a rulebook states its own."""

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

# Enum members looked up once (an enum class attribute costs more than a global name).
_ACT_365, _ACT_ACT, _ACT_360, _THIRTY_E_360 = (
    DayCount.ACT_365,
    DayCount.ACT_ACT,
    DayCount.ACT_360,
    DayCount.THIRTY_E_360,
)
_TABLE, _FILE, _ASSUMED = RateOrigin.TABLE, RateOrigin.FILE, RateOrigin.ASSUMED


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
        origin: where the base rate comes from: the shipped table, the user's file or the
            assumption; without it, it follows from ``assumed``.
    """

    first_day: date
    last_day: date
    days: int
    year_basis: int
    base_rate: Decimal
    rate: Decimal
    amount: Decimal
    assumed: bool
    origin: RateOrigin

    @model_validator(mode="before")
    @classmethod
    def _origin_from_assumed(cls, data: Any) -> Any:
        if isinstance(data, dict) and "origin" not in data:
            assumed = bool(data.get("assumed"))
            return {**data, "origin": RateOrigin.ASSUMED if assumed else RateOrigin.TABLE}
        return data

    @model_validator(mode="after")
    def _origin_matches_assumed(self) -> InterestSegment:
        if self.assumed != (self.origin is RateOrigin.ASSUMED):
            raise PydanticCustomError(
                "foerdermittel_rate_origin",
                "assumed={assumed} passt nicht zu origin={origin}",
                {"assumed": str(self.assumed), "origin": self.origin.value},
            )
        return self


class InterestSegments(LaterTuple[InterestSegment]):
    """Zinsabschnitte — the segments of an interest result, in order; read it like a tuple.

    It behaves as the tuple of its segments does (a
    [`LaterTuple`][foerdermittel.frozen.LaterTuple]); pydantic dumps and validates it as
    ``tuple[InterestSegment, ...]``. A result of
    [`compute_interest`][foerdermittel.interest.compute_interest] builds its segments when
    they are first read: most callers read only the total.

    Examples:
        >>> result = compute_interest(Decimal("100000.00"), date(2024, 3, 1), date(2024, 8, 31))
        >>> len(result.segments), result.segments[-1].days
        (2, 62)
        >>> result.segments == tuple(result.segments)
        True
    """

    __slots__ = ()

    items_type = tuple[InterestSegment, ...]


_NO_SEGMENTS = InterestSegments()


class InterestResult(_Frozen):
    """Zinsen nach § 49a Abs. 3 VwVfG — interest on an amount for a period, with its segments.

    Attributes:
        principal: the amount that bears interest (refund or money not used in time).
        start: the event day (payout, or the day the grant became ineffective); not counted.
        end: the day of use or repayment; counted.
        day_count: the day-count convention used.
        points_above_base: percentage points above the Basiszinssatz (5 under § 49a VwVfG).
        segments: the periods with one rate each, in order; empty when no day is counted.
            An [`InterestSegments`][foerdermittel.interest.InterestSegments], read like a
            tuple (it was a tuple before).
        interest: the total, rounded once, half up, to the cent.
        assumed_base_rate: the assumed Basiszinssatz, if any segment used it; otherwise None.
        legal_reference: the rules the result rests on.
        base_rate_file: the user's Basiszinssatz file, if any segment used a rate from it.
    """

    principal: NonNegativeMoney
    start: date
    end: date
    day_count: DayCount
    points_above_base: Decimal
    segments: InterestSegments
    interest: Money
    assumed_base_rate: Decimal | None
    legal_reference: str
    base_rate_file: str | None = None


def _principal(value: object) -> Decimal:
    # An amount written with two places is taken as it is: it cannot be ambiguous (1.000),
    # and to_money would return it unchanged; everything else goes through to_money.
    if (
        type(value) is Decimal
        and value.same_quantum(CENT)
        and value >= 0
        and value.adjusted() < MAX_DIGITS
    ):
        return value
    try:
        amount = to_money(value)
    except ArgumentError as exc:
        raise InterestError(f"Kapitalbetrag: {exc.reason}") from exc
    if amount < 0:
        raise InterestError(f"Kapitalbetrag {amount} ist negativ; erwartet ist ein Betrag ≥ 0")
    return amount


_MAX_PERCENT = Decimal(100)
"""Percentages beyond ±100 per year are no interest rate of § 49a VwVfG: refused, not computed."""


_MAX_INTEREST_DIGITS = 15  # the limit of an amount (money.py)


def _percent(value: object, what: str) -> Decimal:
    if type(value) is Decimal and value.is_finite() and -_MAX_PERCENT <= value <= _MAX_PERCENT:
        return value  # as Decimal(value) would give it
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InterestError(
            f"{what}: {value!r} ist kein Prozentsatz; erwartet ist ein Decimal wie Decimal('5')"
        )
    number = Decimal(value)
    if not number.is_finite():
        raise InterestError(f"{what}: {value!r} ist keine endliche Zahl")
    if abs(number) > _MAX_PERCENT:
        raise InterestError(
            f"{what}: {number} Prozentpunkte liegen außerhalb von −{_MAX_PERCENT} bis "
            f"{_MAX_PERCENT}"
        )
    return number


def compute_interest(
    principal: Decimal,
    start: date,
    end: date,
    *,
    day_count: DayCount = DayCount.ACT_365,
    points_above_base: Decimal = POINTS_ABOVE_BASE,
    assumed_base_rate: Decimal | None = None,
    base_rate_table: BaseRateTable | None = None,
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
            [`table_end`][foerdermittel.rules.base_rate.table_end] (or the end of
            ``base_rate_table``); without it such days raise.
        base_rate_table: the Basiszinssätze to use, e.g. the shipped table extended by a
            user's file
            ([`load_base_rate_file`][foerdermittel.rules.base_rate.load_base_rate_file]);
            default the shipped table.

    Returns:
        The result with its segments and the total.

    Raises:
        InterestError: for an end before the start, a negative principal or one with more
            than two places, an unknown day count, days the table does not cover, or an
            assumed base rate outside −5 to 15 % or with more than two places.

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
    convention = day_count if type(day_count) is DayCount else parse_day_count(day_count)
    points = (
        points_above_base
        if points_above_base is POINTS_ABOVE_BASE
        else _percent(points_above_base, "points_above_base")
    )
    if (
        isinstance(assumed_base_rate, Decimal)
        and assumed_base_rate.is_finite()
        and (problem := base_rate_problem(assumed_base_rate)) is not None
    ):
        raise InterestError(f"assumed_base_rate {assumed_base_rate}: {problem}")
    assumed = (
        None if assumed_base_rate is None else _percent(assumed_base_rate, "assumed_base_rate")
    )
    if base_rate_table is not None and not isinstance(base_rate_table, BaseRateTable):
        raise InterestError(
            f"base_rate_table: {type(base_rate_table).__name__} ist keine Basiszinstabelle "
            "(BaseRateTable erwartet, z. B. aus load_base_rate_file)"
        )
    if type(start) is not date:
        start = checked_day(start, "Beginn")
    if type(end) is not date:
        end = checked_day(end, "Ende")
    if end < start:
        raise InterestError(f"Ende {end} liegt vor dem Beginn {start}")

    total = _ZERO_CENTS
    used_assumed: Decimal | None = None
    used_file = False
    segments = _NO_SEGMENTS
    if end > start:
        table = base_rate_table or shipped_table()
        sums = rate_sums(table, convention, points)
        found = None if sums is None else sums.over(start, end)
        if sums is not None and found is not None:
            # The days lie in the table and every rate is a whole number of hundredths of a
            # percent: the total is principal × Σ(rate × days) / year basis from the running
            # sums, the same rational number as the sum of the segments, rounded the same way;
            # the segments are built when first read.
            weighted, used_file = found
            if weighted and amount:
                total = _rounded(amount, weighted, 10_000 * sums.basis)
            segments = InterestSegments.later(
                _segments_of, (amount, points, convention, start + _ONE_DAY, end, table)
            )
        else:
            found_pieces = pieces(
                start + _ONE_DAY,
                end,
                assumed=assumed,
                split_years=convention is _ACT_ACT,
                table=table,
            )
            built, total = _segments(amount, points, convention, found_pieces)
            segments = InterestSegments(built)
            if found_pieces[0][3] is not _TABLE or len(found_pieces) > 1:
                origins = {piece[3] for piece in found_pieces}
                used_assumed = assumed if _ASSUMED in origins else None
                used_file = _FILE in origins
    if total and total.adjusted() >= _MAX_INTEREST_DIGITS:
        raise InterestError(
            f"Zinsen von {total} € auf {amount} € übersteigen 15 Stellen vor dem Komma; "
            "Zeitraum oder Zinssatz prüfen"
        )
    return _built(
        InterestResult,
        {
            "principal": amount,
            "start": start,
            "end": end,
            "day_count": convention,
            "points_above_base": points,
            "segments": segments,
            "interest": total,
            "assumed_base_rate": used_assumed,
            "legal_reference": LEGAL_REFERENCE,
            "base_rate_file": base_rate_table.file if used_file and base_rate_table else None,
        },
    )


def _segments(
    principal: Decimal, points: Decimal, convention: DayCount, pieces: list[Piece]
) -> tuple[list[InterestSegment], Decimal]:
    """The segments of ``pieces`` and their total, rounded once, half up, to the cent.

    Each segment's amount is kept unrounded (50 digits). The total is formed over one common
    denominator: the numerator principal × rate × days is exact (checked by the Inexact trap),
    so a single division decides the rounding; a total that lies exactly on half a cent is
    represented exactly and rounds up.

    Raises:
        InterestError: principal × rate × days needs more than 50 digits.
    """
    add, divide = _CONTEXT.add, _CONTEXT.divide
    multiply, exact_add = _EXACT_CONTEXT.multiply, _EXACT_CONTEXT.add
    segments: list[InterestSegment] = []
    products: list[Decimal] = []
    bases: list[int] = []
    numerator = _ZERO  # the sum of the products, for one year basis throughout
    share = _ZERO
    try:
        for first, last, base, origin in pieces:
            if convention is _ACT_365:
                days, basis = (last - first).days + 1, 365
            elif convention is _THIRTY_E_360:
                days = days_30e_360(last) - days_30e_360(first - _ONE_DAY)
                basis = 360
            elif convention is _ACT_360:
                days, basis = (last - first).days + 1, 360
            else:
                days = (last - first).days + 1
                basis = 366 if calendar.isleap(first.year) else 365
            rate = add(base, points)
            product = multiply(multiply(principal, rate), days)
            numerator = exact_add(numerator, product)
            products.append(product)
            bases.append(basis)
            share = divide(product, 100 * basis)
            segment = _built(
                InterestSegment,
                {
                    "first_day": first,
                    "last_day": last,
                    "days": days,
                    "year_basis": basis,
                    "base_rate": base,
                    "rate": rate,
                    "amount": share,
                    "assumed": origin is _ASSUMED,
                    "origin": origin,
                },
            )
            segments.append(segment)
        common = bases[0]
        if len(bases) == 1 and share:  # one product (not −0): its share is the quotient
            return segments, _CONTEXT.quantize(share, CENT)
        if bases.count(common) != len(bases):  # act/act over a leap year and another
            common = math.lcm(*bases)
            numerator = _ZERO
            for product, basis in zip(products, bases, strict=True):
                numerator = exact_add(numerator, multiply(product, common // basis))
    except Inexact as exc:
        raise InterestError(
            "Zinssatz oder Betrag hat zu viele Stellen für eine exakte Berechnung"
        ) from exc
    return segments, _CONTEXT.quantize(divide(numerator, 100 * common), CENT)


_ZERO = Decimal(0)
_ZERO_CENTS = Decimal("0.00")


def _rounded(principal: Decimal, weighted: int, denominator: int) -> Decimal:
    """The principal × weighted / denominator, rounded to 50 digits, then half up to the cent.

    What ``_segments`` gives for the same rational number: one division decides the rounding.
    """
    try:
        numerator = _EXACT_CONTEXT.multiply(principal, weighted)
    except Inexact as exc:  # pragma: no cover - the table's days keep it below 30 digits
        raise InterestError(
            "Zinssatz oder Betrag hat zu viele Stellen für eine exakte Berechnung"
        ) from exc
    return _CONTEXT.quantize(_CONTEXT.divide(numerator, denominator), CENT)


def _segments_of(
    principal: Decimal,
    points: Decimal,
    convention: DayCount,
    first: date,
    last: date,
    table: BaseRateTable,
) -> tuple[InterestSegment, ...]:
    """The segments of the days ``first`` to ``last``, which the table covers."""
    found = pieces(first, last, assumed=None, split_years=convention is _ACT_ACT, table=table)
    return tuple(_segments(principal, points, convention, found)[0])
