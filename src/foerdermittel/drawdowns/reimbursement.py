"""Erstattung — how much of each payout reimburses expenditure already paid.

Where the rule reimburses costs already paid (MPSC: in arrears for costs incurred), the part of
a payout above the grant's share of the expenditure paid on or before its day is paid ahead.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.drawdowns.entitlements import phase_entitlement
from foerdermittel.drawdowns.results import _Frozen
from foerdermittel.financing import Financing
from foerdermittel.model.case import Case
from foerdermittel.money import ZERO
from foerdermittel.vouchers import eligible_paid

__all__ = ["PayoutCover", "payout_cover"]


class PayoutCover(_Frozen):
    """Erstattung — how much of a payout reimburses expenditure paid before it.

    Attributes:
        payout: the payout's id.
        phase: its phase.
        paid_on: its value date.
        amount: the amount paid out.
        reimbursed: the part that reimburses the grant's share of expenditure paid on or
            before ``paid_on`` and not reimbursed by an earlier payout.
        advance: the rest (``amount − reimbursed``): money paid before the expenditure it is
            for, which must still be used "alsbald".
    """

    payout: str
    phase: str
    paid_on: date
    amount: Decimal
    reimbursed: Decimal
    advance: Decimal


def payout_cover(
    case: Case, financing: Financing, *, until: date | None = None
) -> tuple[PayoutCover, ...]:
    """Split each payout into what reimburses expenditure already paid and what is paid ahead.

    A programme that pays in arrears for costs already incurred (MPSC: "alle sechs Monate
    Mittel für angefallene Kosten") reimburses money the recipient has paid: that part is used
    on the day it arrives. Payouts are taken in date order and expenditure is matched to the
    oldest payout first (as in [`late_use`][foerdermittel.late_use]), so payout *k* reimburses
    ``max(C(k−1), min(C(k), F(d(k)))) − C(k−1)``: ``C`` the phase's payouts cumulated, ``F``
    the entitlement ([`entitlement`][foerdermittel.drawdowns.entitlement]) for the expenditure
    paid on or before its day ``d(k)`` — the vouchers that count, by their payment day.

    Returns nothing where no expenditure is recorded (nothing to judge by).

    Args:
        case: the (amended) case with its vouchers.
        financing: the case's financing (phase grants).
        until: only payouts and vouchers up to this day (the ledger's cut-off); all if ``None``.

    References:
        MPSC-Förderrichtlinie as quoted in BT-Drs. 20/13972 (Abruf für angefallene Kosten);
        § 49a Abs. 4 VwVfG (only money not used "alsbald" bears interest).

    Examples:
        Rate 50 %: 10,000 € paid on 10.01., a payout of 8,000 € on 20.01. reimburses
        5,000 € (50 % of 10,000 €) and pays 3,000 € ahead.
    """
    if not case.expenditures:
        return ()
    payouts = sorted(
        (p for p in case.payouts if until is None or p.paid_on <= until),
        key=lambda p: (p.paid_on, p.id),
    )
    if not payouts:
        return ()
    out: list[PayoutCover] = []
    for phase in case.grant.phases:
        share = phase_entitlement(case, financing.phase(phase.id))
        called = ZERO
        for payout in (p for p in payouts if p.phase == phase.id):
            paid = eligible_paid(case, phase.id, payout.paid_on)
            before = called
            called += payout.amount
            reimbursed = max(before, min(called, share(paid))) - before
            out.append(
                PayoutCover(
                    payout=payout.id,
                    phase=phase.id,
                    paid_on=payout.paid_on,
                    amount=payout.amount,
                    reimbursed=reimbursed,
                    advance=payout.amount - reimbursed,
                )
            )
    return tuple(out)
