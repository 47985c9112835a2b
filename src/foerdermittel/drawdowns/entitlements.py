"""Anspruch — how much of a phase's grant may have been called for the expenditure covered.

Pro rata for Anteil-, Festbetrags- and Vollfinanzierung (``Z × X / A`` rounded down to the
cent), after the planned own and third-party funds for Fehlbedarfsfinanzierung
(ANBest-Gk Nr. 1.3 / ANBest-P Nr. 1.4); and the expenditure covered by a day, from the
forecast or from the vouchers paid by then.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from itertools import repeat
from operator import floordiv, mod, mul, sub

from foerdermittel._arguments import check_enum, check_money
from foerdermittel.financing import PhaseFinancing
from foerdermittel.forecasting import month_end
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType
from foerdermittel.money import ZERO, floor_cents
from foerdermittel.vouchers import eligible_paid

__all__ = ["entitlement", "phase_entitlement"]


def entitlement(
    financing_type: FinancingType,
    *,
    grant: Decimal,
    eligible: Decimal,
    covered: Decimal,
    own_and_cover: Decimal,
) -> Decimal:
    """How much of a phase's grant may have been called for ``covered`` expenditure.

    References:
        ANBest-Gk Nr. 1.3.1 / ANBest-P Nr. 1.4.1 (pro rata), Nr. 1.3.2 / 1.4.2 (Fehlbedarf:
        own and other funds first).

    Examples:
        >>> entitlement(FinancingType.ANTEIL, grant=Decimal("715000.00"),
        ...             eligible=Decimal("1100000.00"), covered=Decimal("100000.00"),
        ...             own_and_cover=Decimal("0.00"))
        Decimal('65000.00')

    Raises:
        ArgumentError: (a ``ValueError``) for an amount with more than two places, NaN or an
            infinity; ``ArgumentTypeError`` (also a ``TypeError``) for floats, ``None`` or an
            unknown financing type.
    """
    name = "entitlement"
    return _entitlement(
        check_enum(name, "financing_type", financing_type, FinancingType),
        grant=check_money(name, "grant", grant),
        eligible=check_money(name, "eligible", eligible),
        covered=check_money(name, "covered", covered),
        own_and_cover=check_money(name, "own_and_cover", own_and_cover),
    )


def _entitlement(
    financing_type: FinancingType,
    *,
    grant: Decimal,
    eligible: Decimal,
    covered: Decimal,
    own_and_cover: Decimal,
) -> Decimal:
    """[`entitlement`][foerdermittel.drawdowns.entitlement] without the argument checks."""
    if covered <= 0 or grant <= 0:
        return ZERO
    if financing_type is FinancingType.FEHLBEDARF:
        return min(grant, max(ZERO, covered - own_and_cover))
    if eligible <= 0:
        return ZERO
    return min(grant, floor_cents(grant * covered / eligible))


def phase_entitlement(case: Case, pf: PhaseFinancing) -> Callable[[Decimal], Decimal]:
    """The entitlement of one phase as a function of the expenditure covered.

    See [`entitlement`][foerdermittel.drawdowns.entitlement].
    """
    own_and_cover = pf.own_funds_planned + pf.third_party + pf.other_public
    grant, eligible = pf.grant, pf.eligible_expenditure
    fehlbedarf = case.grant.financing_type is FinancingType.FEHLBEDARF
    # _entitlement, with what does not change between the calls decided once
    if grant <= 0 or (not fehlbedarf and eligible <= 0):
        return _nothing
    if fehlbedarf:

        def after_own(covered: Decimal) -> Decimal:
            return ZERO if covered <= 0 else min(grant, max(ZERO, covered - own_and_cover))

        return after_own

    def pro_rata(covered: Decimal) -> Decimal:
        return ZERO if covered <= 0 else min(grant, floor_cents(grant * covered / eligible))

    return pro_rata


def _nothing(covered: Decimal) -> Decimal:
    return ZERO


def phase_entitlement_cents(case: Case, pf: PhaseFinancing) -> Callable[[int], int]:
    """[`phase_entitlement`][foerdermittel.drawdowns.phase_entitlement] in integer cents.

    The same figure to the cent: pro rata ``floor(Z × X / A)`` is computed exactly on the
    cents, and where the decimal context (28 digits) would have rounded ``Z × X / A`` up to
    the next cent before rounding down — a quotient within a rounding step below a whole
    cent, or a product of more than 28 digits — the ``Decimal`` function gives the figure.
    """
    grant = _cents_of(pf.grant)
    eligible = _cents_of(pf.eligible_expenditure)
    own_and_cover = _cents_of(pf.own_funds_planned + pf.third_party + pf.other_public)
    shortfall = case.grant.financing_type is FinancingType.FEHLBEDARF
    exact = phase_entitlement(case, pf)

    def of(covered: int) -> int:
        if covered <= 0 or grant <= 0:
            return 0
        if shortfall:
            return min(grant, max(0, covered - own_and_cover))
        if eligible <= 0:
            return 0
        product = grant * covered
        if product >= _PRODUCT_LIMIT:
            return _cents_of(exact(Decimal(covered).scaleb(-2)))
        quotient, rest = divmod(product, eligible)
        step = 10 ** (_DIGITS - len(str(quotient)))  # the context's rounding step, inverted
        if rest and (eligible - rest) * 2 * step <= eligible:
            return _cents_of(exact(Decimal(covered).scaleb(-2)))
        return min(grant, quotient)

    return of


def phase_entitlements_cents(
    case: Case, pf: PhaseFinancing
) -> Callable[[Sequence[int]], list[int]]:
    """The entitlement for many expenditures covered at once (integer cents).

    The same figures as ``phase_entitlement_cents`` gives one by one. Pro rata, every
    quotient is computed at once; only one that the decimal context could have rounded up
    (see there) is computed alone.
    """
    grant = _cents_of(pf.grant)
    eligible = _cents_of(pf.eligible_expenditure)
    own_and_cover = _cents_of(pf.own_funds_planned + pf.third_party + pf.other_public)
    shortfall = case.grant.financing_type is FinancingType.FEHLBEDARF
    one = phase_entitlement_cents(case, pf)

    def of(covered: Sequence[int]) -> list[int]:
        if grant <= 0 or (eligible <= 0 and not shortfall):
            return [0] * len(covered)
        if shortfall:  # own and other funds first; nothing for nothing covered
            over = map(sub, covered, repeat(own_and_cover))
            return list(map(min, map(max, over, repeat(0)), repeat(grant)))
        products = list(map(mul, covered, repeat(grant)))
        if not products:
            return []
        if max(products) >= _PRODUCT_LIMIT or min(products) <= -_PRODUCT_LIMIT:
            return list(map(one, covered))
        quotients = list(map(floordiv, products, repeat(eligible)))
        funded = list(map(min, map(max, quotients, repeat(0)), repeat(grant)))
        step = _STEPS[max(max(quotients), 0).bit_length()]
        near = eligible - eligible // step if step else 0  # a rest from here on: alone
        rests = list(map(mod, products, repeat(eligible)))
        if max(rests) >= max(near, 1):
            for k, rest in enumerate(rests):
                if rest and rest >= near:
                    funded[k] = one(covered[k])
        return funded

    return of


_DIGITS = 28  # the decimal context's precision
_PRODUCT_LIMIT = 10**_DIGITS


def _step(bits: int) -> int:
    """The inverted rounding step, doubled, for a quotient of ``bits`` bits (0: always alone).

    Counted with at least as many digits as such a quotient can have, so that the step is
    never larger than the one ``phase_entitlement_cents`` works out for the quotient itself.
    """
    digits = (bits * 1233 >> 12) + 2  # 1233 / 4096 is just below log10(2)
    return 2 * 10 ** (_DIGITS - digits) if digits < _DIGITS else 0


_STEPS = [_step(bits) for bits in range(_DIGITS * 4)]


def _cents_of(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def _covered(spending: dict[date, Decimal], start: date, end: date) -> Callable[[date], Decimal]:
    """Cumulative forecast expenditure up to a day.

    A month's amount is spread evenly over its days within ``start``..``end`` (the phase), so a
    phase that begins or ends mid-month spends that month's money on its own days.
    """
    spans = []
    for month, amount in sorted(spending.items()):
        first = max(month, start) if month <= start <= month_end(month) else month
        last = min(month_end(month), end) if month <= end <= month_end(month) else month_end(month)
        spans.append((first, last, amount))
    # the months follow each other: those ended by a day are a run from the first, summed once
    lasts = [last for _, last, _ in spans]
    running = [ZERO]
    for _, _, amount in spans:
        running.append(running[-1] + amount)

    def upto(day: date) -> Decimal:
        ended = bisect_right(lasts, day)
        total = running[ended]
        if ended < len(spans):
            first, last, amount = spans[ended]
            if first <= day:
                days = (last - first).days + 1
                total += floor_cents(amount * ((day - first).days + 1) / days)
        return total

    return upto


def _paid_by(
    case: Case, phase: str, months: dict[date, Decimal], cut: date
) -> Callable[[date], Decimal]:
    """Expenditure of a phase paid on or before a day: vouchers, then months once ended.

    Up to the ledger's cut-off the vouchers that count are summed by their payment day (the
    same running sums the payouts' reimbursement reads,
    [`eligible_paid`][foerdermittel.vouchers.eligible_paid]); after it a forecast month counts
    only when it has ended before the day (no day-by-day spread).
    """
    ahead = sorted((month_end(m), a) for m, a in months.items() if m > cut)
    ends = [end for end, _ in ahead]
    running = [ZERO]
    for _, amount in ahead:
        running.append(running[-1] + amount)

    def upto(day: date) -> Decimal:
        total = eligible_paid(case, phase, min(day, cut))
        return total + running[bisect_left(ends, day)]

    return upto
