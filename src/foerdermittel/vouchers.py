"""Eligibility of vouchers (Belege): which recorded expenditures count, and why others do not.

* A voucher counts only if it was paid inside the approved period of its line's phase
  (Bewilligungszeitraum); before it only from an approved early start (vorzeitiger
  Maßnahmebeginn) — ANBest Nr. 1 with the decision.
* The same voucher number counts once (a second entry is excluded).
* An expenditure is positive and a credit note negative; a voucher that breaks this counts,
  with a warning.
* Where the recipient may deduct input tax, only net amounts are eligible (ANBest-Gk Nr. 6.4);
  a voucher without a net amount is excluded.
* Vouchers paid after the key date are left out and counted.

The forecast, the drawdown plan and the proof of use all use the same checks.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from foerdermittel import fmt
from foerdermittel.model.case import Case
from foerdermittel.model.records import Expenditure
from foerdermittel.money import ZERO

__all__ = ["ExcludedVoucher", "check_vouchers", "eligible_amount"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExcludedVoucher(_Frozen):
    """A voucher that does not count (or counts with a reservation), and why.

    Attributes:
        voucher: the voucher number.
        origin: where it was read from.
        paid_on: its payment date.
        amount: its amount.
        line: its budget line.
        code: the check (``outside-period``, ``duplicate-voucher``, ``sign``, ``net-missing``).
        counted: whether it still counts (``sign`` only warns).
        reason: the reason in German.
    """

    voucher: str
    origin: str | None
    paid_on: date
    amount: Decimal
    line: str
    code: str
    counted: bool
    reason: str


def eligible_amount(item: Expenditure, *, net: bool) -> Decimal:
    """The voucher's eligible amount: net where input tax is deductible (and given)."""
    if net and item.net_amount is not None:
        return item.net_amount
    return item.amount


def check_vouchers(
    case: Case, as_of: date
) -> tuple[list[Expenditure], list[ExcludedVoucher], tuple[int, Decimal]]:
    """Check every voucher paid up to ``as_of``.

    Returns:
        The vouchers that count (in date order), those excluded or counted with a
            reservation, and the number and sum of vouchers paid after the key date.
    """
    phases = {p.id: p for p in case.grant.phases}
    line_phase = {line.id: line.phase for line in case.plan.lines}
    net = case.settings.input_tax_deduction
    seen: Counter[str] = Counter()
    counted: list[Expenditure] = []
    excluded: list[ExcludedVoucher] = []
    later_count, later_sum = 0, ZERO
    for item in sorted(case.expenditures, key=lambda e: (e.paid_on, e.id)):
        if item.paid_on > as_of:
            later_count += 1
            later_sum += item.amount
            continue

        def exclude(
            code: str, reason: str, *, keep: bool = False, _item: Expenditure = item
        ) -> None:
            excluded.append(
                ExcludedVoucher(
                    voucher=_item.id,
                    origin=_item.origin,
                    paid_on=_item.paid_on,
                    amount=_item.amount,
                    line=_item.line,
                    code=code,
                    counted=keep,
                    reason=reason,
                )
            )

        seen[item.id] += 1
        if seen[item.id] > 1:
            exclude("duplicate-voucher", "Belegnummer doppelt erfasst; nur einmal gezählt")
            continue
        phase = phases[line_phase[item.line]]
        first_day = min(phase.start, phase.early_start) if phase.early_start else phase.start
        if not first_day <= item.paid_on <= phase.end:
            exclude(
                "outside-period",
                f"gezahlt außerhalb des Bewilligungszeitraums der Phase {phase.id} "
                f"({fmt.date(phase.start)}–{fmt.date(phase.end)}"
                + (
                    f", vorzeitiger Beginn ab {fmt.date(phase.early_start)}"
                    if phase.early_start
                    else ""
                )
                + ")",
            )
            continue
        if net and item.net_amount is None:
            exclude("net-missing", "vorsteuerabzugsberechtigt, aber ohne Nettobetrag")
            continue
        if (item.kind == "expenditure" and item.amount < 0) or (
            item.kind == "credit" and item.amount > 0
        ):
            exclude(
                "sign",
                "Vorzeichen passt nicht zur Art (Ausgabe positiv, Gutschrift negativ)",
                keep=True,
            )
        counted.append(item)
    return counted, excluded, (later_count, later_sum)
