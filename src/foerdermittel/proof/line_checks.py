"""Plan against actual per budget line (Soll-Ist-Vergleich), with the 20 % rule.

ANBest-Gk / ANBest-P Nr. 1.2: a line may exceed its plan by up to the rulebook's tolerance
(20 %) when other lines save as much; larger overruns only where official conditions require
them; not for Festbetragsfinanzierung unless the rulebook says so.

A flat-rate line (Pauschale, ``BudgetLine.flat_rate``) has no vouchers: its eligible actual is
its rate times the eligible actual of its base lines, rounded down to the cent
([`flat_rate_amounts`][foerdermittel.flat_rates.flat_rate_amounts]; Regulation (EU) 2021/1060
Art. 53 Abs. 1 Buchst. d, Art. 54–56). The 20 % rule then applies to it like to any line.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.flat_rates import flat_rate_amounts
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType
from foerdermittel.money import ZERO, cents
from foerdermittel.proof.results import LineResult
from foerdermittel.rules.model import Rulebook
from foerdermittel.voucher_sums import CheckedVouchers

__all__: list[str] = []


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return cents(part * 100 / whole) if whole else None


def _lines(
    case: Case, rulebook: Rulebook, checked: CheckedVouchers, as_of: date
) -> list[LineResult]:
    """Plan against actual per line, with the 20 % tolerance of ANBest Nr. 1.2.

    "Ist insgesamt" (``actual_total``) is the gross sum of the vouchers that count; those that
    do not count are summed apart (``excluded``), so that the lines add up to the Belegliste:
    Σ actual_total = counted, Σ excluded = not counted. A flat-rate line's ``actual`` is
    computed from its base (its ``actual_total`` stays 0): the lines' eligible actuals are the
    vouchers' plus the flat-rate amounts.
    """
    tolerance = rulebook.line_tolerance
    fixed = case.grant.financing_type is FinancingType.FESTBETRAG
    applies = not fixed or tolerance.applies_to_fixed_amount
    actual: dict[str, Decimal] = {}
    total: dict[str, Decimal] = {}
    left_out: dict[str, Decimal] = {}
    end = as_of.toordinal()
    for ident, booked in checked.lines.items():  # in the order of their first voucher
        count = booked.count(end)
        if count:
            actual[ident] = _euros(booked.eligible[count])
            total[ident] = _euros(booked.gross[count])
    for voucher in checked.excluded_until(as_of):
        if not voucher.counted:
            left_out[voucher.line] = left_out.get(voucher.line, ZERO) + voucher.amount
    flats = {f.flat.line: f for f in flat_rate_amounts(case.plan, rulebook, actual)}
    for flat in flats.values():
        actual[flat.flat.line] = flat.amount
    results = []
    for line in case.plan.lines:
        planned = line.total
        spent = actual.get(line.id, ZERO)
        allowed: Decimal | None
        if not applies:
            allowed, status = None, "not_applicable"
        elif line.official_condition:
            allowed, status = None, "official_condition" if spent > planned else "within_plan"
        else:
            allowed = planned + cents(planned * tolerance.overrun)
            if spent <= planned:
                status = "within_plan"
            elif spent <= allowed:
                status = "within_tolerance"
            else:
                status = "beyond_tolerance"
        results.append(
            LineResult(
                line=line.id,
                title=line.title,
                phase=line.phase,
                planned=planned,
                actual_total=total.get(line.id, ZERO),
                actual=spent,
                difference=spent - planned,
                difference_pct=_pct(spent - planned, planned),
                allowed=allowed,
                recognised=min(spent, allowed) if allowed is not None else spent,
                status=status,
                excluded=left_out.get(line.id, ZERO),
                flat_rate=flats.get(line.id),
            )
        )
    return results
