"""Zwischennachweis: the interim proof per budget year in the federal (profi) layout.

Own funds (15) and third-party money (16) come from the income the ledger books where it has
any: own funds booked as income of kind ``own_funds``, third-party money received from the
plan's funding sources, each in the year received. Where the case books none, the plan's share
in proportion to the year's expenditure is the fallback, and ``own_funds_basis`` /
``third_party_basis`` say ``computed``.

A flat-rate line (Pauschale) has no vouchers: its row per year is its rate times its base
lines' eligible expenditure, rounded down on the running total
([`flat_rate_split`][foerdermittel.flat_rates.flat_rate_split]), so its years add up to what the
proof of use settles.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from decimal import Decimal

from foerdermittel.financing import Financing
from foerdermittel.flat_rates import FlatRateLine, flat_rate_split
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType
from foerdermittel.money import ZERO, cents, floor_cents
from foerdermittel.proof.results import InterimProof, InterimRow
from foerdermittel.voucher_sums import CheckedVouchers

__all__: list[str] = []


def _by_line_year(
    checked: CheckedVouchers, years: range, end: int
) -> dict[tuple[str, int], Decimal]:
    """The eligible amount of each line's vouchers that count, per year, up to day ``end``.

    Only a line and year with a voucher is given.
    """
    found: dict[tuple[str, int], Decimal] = {}
    for line, booked in checked.lines.items():
        days, sums = booked.days, booked.eligible
        last = bisect_right(days, end)
        start = 0
        for year in years:
            if start >= last:
                break
            stop = bisect_left(days, date(year + 1, 1, 1).toordinal(), start, last)
            if stop > start:
                found[(line, year)] = _euros(sums[stop] - sums[start])
            start = stop
    return found


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _interim(
    case: Case,
    financing: Financing,
    checked: CheckedVouchers,
    as_of: date,
    flats: tuple[FlatRateLine, ...] = (),
) -> tuple[InterimProof, ...]:
    """Zwischennachweise per budget year in the federal (profi) layout."""
    end = as_of.toordinal()
    first = checked.first_day()
    if first is None or first > end:
        return ()
    years = range(date.fromordinal(first).year, as_of.year + 1)
    eligible = financing.eligible_expenditure
    own_plan = sum((p.own_funds_planned for p in financing.phases), ZERO)
    cover_plan = financing.third_party + financing.other_public
    planned_ids = {s.id for s in case.plan.sources}
    own_entries = [i for i in case.income if i.kind == "own_funds"]
    planned_cover = [
        i
        for i in case.income
        if i.kind != "own_funds" and i.source is not None and i.source in planned_ids
    ]
    results: list[InterimProof] = []
    balance = ZERO
    by_line_year = _by_line_year(checked, years, end)
    for flat in flats:
        base: dict[int, Decimal] = {}
        for (ident, in_year), amount in by_line_year.items():
            if ident in flat.base_lines:
                base[in_year] = base.get(in_year, ZERO) + amount
        for in_year, amount in flat_rate_split(flat.rate, base).items():
            by_line_year[(flat.line, in_year)] = amount
    before_by_line = {line.id: ZERO for line in case.plan.lines}
    for year in years:
        rows = []
        for line in case.plan.lines:
            before = before_by_line[line.id]
            this = by_line_year.get((line.id, year), ZERO)
            before_by_line[line.id] = before + this
            rows.append(
                InterimRow(
                    line=line.id,
                    title=line.title,
                    before=before,
                    year=this,
                    cumulative=before + this,
                    plan=line.total,
                )
            )
        spent = sum((r.year for r in rows), ZERO)
        if own_entries:
            own = sum((i.amount for i in own_entries if i.received_on.year == year), ZERO)
        else:
            own = cents(own_plan * spent / eligible) if eligible else ZERO
        if planned_cover:
            third = sum((i.amount for i in planned_cover if i.received_on.year == year), ZERO)
        else:
            third = cents(cover_plan * spent / eligible) if eligible else ZERO
        extra = sum(
            (
                i.amount
                for i in case.income
                if i.received_on.year == year
                and i.kind != "own_funds"
                and (i.source is None or i.source not in planned_ids)
            ),
            ZERO,
        )
        if case.grant.financing_type is FinancingType.ANTEIL and eligible:
            extra_share = floor_cents(financing.grant * extra / eligible)
        else:
            extra_share = extra
        federal = spent - own - third - extra_share
        payments = sum((p.amount for p in case.payouts if p.paid_on.year == year), ZERO)
        received = payments + balance
        balance = received - federal
        results.append(
            InterimProof(
                year=year,
                rows=tuple(rows),
                expenditure=spent,
                own_funds=own,
                third_party=third,
                additional_third_party=extra,
                additional_federal_share=extra_share,
                federal_share=federal,
                federal_payments=received,
                cash_balance=balance,
                own_funds_basis="booked" if own_entries else "computed",
                third_party_basis="booked" if planned_cover else "computed",
            )
        )
    return tuple(results)
