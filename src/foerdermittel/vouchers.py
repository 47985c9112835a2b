"""Eligibility of vouchers (Belege): which recorded expenditures count, and why others do not.

* A voucher counts only if it was paid inside the approved period of its line's phase
  (Bewilligungszeitraum); before it only from an approved early start (vorzeitiger
  Maßnahmebeginn) — ANBest Nr. 1 with the decision.
* The same voucher number counts once (a second entry is excluded).
* An expenditure is positive and a credit note negative; the net amount, where given, has the
  gross amount's sign and is not larger than it. A voucher that breaks this does not count: one
  of its figures is wrong, and counting it would give a wrong expenditure (a credit note with a
  positive sign would count as expenditure, a negative expenditure would lower the own share
  below what the city paid). It is listed, with an error finding saying what to correct in the
  ledger, until the ledger is corrected.
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

__all__ = ["ExcludedVoucher", "check_vouchers", "eligible_amount", "sign_problem"]


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
        code: the check: ``outside-period``, ``duplicate-voucher``, ``net-missing``; the
            contradictions ``sign`` (an expenditure with a negative amount), ``credit-sign``
            (a credit note with a positive amount), ``net-above-gross`` (the net amount larger
            than the gross), ``net-sign`` (net and gross of different signs).
        counted: whether it still counts; always false since a voucher with a contradictory
            sign no longer counts with a warning (kept so that readers of the field go on
            working).
        reason: the reason in German.
        net_amount: its net amount, where the ledger gives one.
    """

    voucher: str
    origin: str | None
    paid_on: date
    amount: Decimal
    line: str
    code: str
    counted: bool
    reason: str
    net_amount: Decimal | None = None


def eligible_amount(item: Expenditure, *, net: bool) -> Decimal:
    """The voucher's eligible amount: net where input tax is deductible (and given)."""
    if net and item.net_amount is not None:
        return item.net_amount
    return item.amount


def sign_problem(item: Expenditure) -> tuple[str, str] | None:
    """The contradiction in a voucher's sign or net amount, as ``(code, reason)``, or ``None``.

    Examples:
        >>> from datetime import date
        >>> voucher = Expenditure(id="1", line="L", paid_on=date(2024, 3, 1), amount="100.00",
        ...                       net_amount="119.00")
        >>> sign_problem(voucher)[0]
        'net-above-gross'
    """
    gross, net_amount = item.amount, item.net_amount
    if item.kind == "expenditure" and gross < 0:
        return "sign", "Ausgabe mit negativem Betrag"
    if item.kind == "credit" and gross > 0:
        return "credit-sign", "Gutschrift mit positivem Betrag"
    if net_amount is None:
        return None
    if (net_amount < 0 < gross) or (gross < 0 < net_amount) or ((net_amount == 0) != (gross == 0)):
        return "net-sign", (
            f"Nettobetrag {fmt.money(net_amount)} mit anderem Vorzeichen als der Bruttobetrag "
            f"{fmt.money(gross)}"
        )
    if abs(net_amount) > abs(gross):
        return "net-above-gross", (
            f"Nettobetrag {fmt.money(net_amount)} größer als der Bruttobetrag {fmt.money(gross)}"
        )
    return None


def check_vouchers(
    case: Case, as_of: date
) -> tuple[list[Expenditure], list[ExcludedVoucher], tuple[int, Decimal]]:
    """Check every voucher paid up to ``as_of``.

    Returns:
        The vouchers that count (in date order), those that do not (each with its check), and
            the number and sum of vouchers paid after the key date.
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

        def exclude(code: str, reason: str, *, _item: Expenditure = item) -> None:
            excluded.append(
                ExcludedVoucher(
                    voucher=_item.id,
                    origin=_item.origin,
                    paid_on=_item.paid_on,
                    amount=_item.amount,
                    line=_item.line,
                    code=code,
                    counted=False,
                    reason=reason,
                    net_amount=_item.net_amount,
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
        contradiction = sign_problem(item)
        if contradiction is not None:
            exclude(*contradiction)
            continue
        if net and item.net_amount is None:
            exclude("net-missing", "vorsteuerabzugsberechtigt, aber ohne Nettobetrag")
            continue
        counted.append(item)
    return counted, excluded, (later_count, later_sum)
