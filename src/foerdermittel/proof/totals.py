"""Summen der Belegliste: the voucher totals on the key date, for a reconciliation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.model.case import Case
from foerdermittel.money import ZERO
from foerdermittel.proof.results import VoucherTotals
from foerdermittel.voucher_sums import CheckedVouchers
from foerdermittel.vouchers import checked_vouchers

__all__ = ["voucher_totals"]


def _voucher_totals(
    case: Case, checked: CheckedVouchers, as_of: date, control_sum: Decimal | None
) -> VoucherTotals:
    """The totals from the checked ledger's running sums, cut at the key date."""
    left_out = [e for e in checked.excluded_until(as_of) if not e.counted]
    count = checked.count(as_of)
    gross, eligible = checked.counted_sums(as_of)
    counted_sum = _euros(gross)
    excluded_sum = sum((e.amount for e in left_out), ZERO)
    later_count, later_sum = checked.later(as_of)
    return VoucherTotals(
        listed=counted_sum + excluded_sum,
        listed_count=count + len(left_out),
        counted=counted_sum,
        counted_count=count,
        counted_eligible=_euros(eligible),
        excluded=excluded_sum,
        excluded_count=len(left_out),
        after_key_date=later_sum,
        after_key_date_count=later_count,
        recorded=_euros(checked.total),
        income_recorded=sum((i.amount for i in case.income), ZERO),
        control_sum=control_sum,
    )


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def voucher_totals(case: Case, as_of: date, *, control_sum: Decimal | None = None) -> VoucherTotals:
    """The totals of the Belegliste on the key date, for a reconciliation.

    The same checks as the proof of use ([`check_vouchers`][foerdermittel.vouchers.check_vouchers],
    ANBest Nr. 6 with Nr. 1.1): a voucher counts, is excluded, or was paid after the key date.
    The approval periods are those the amendments leave (``case.amended()``, as
    [`evaluate`][foerdermittel.evaluation.evaluate] applies them).

    Args:
        case: the case (amended or not).
        as_of: the key date.
        control_sum: the control sum of the case's ledger, if known
            ([`Ledger.control_sum`][foerdermittel.io.ledger.Ledger]).

    Examples:
        >>> from decimal import Decimal
        >>> from foerdermittel.model.case import Case
        >>> case = Case.from_data({
        ...     "grant": {"id": "T", "funder": "Bund", "recipient": "Stadt", "land": "NW",
        ...               "rulebook": "anbest-gk-2019", "decision_date": "2023-12-01",
        ...               "financing_type": "vollfinanzierung",
        ...               "phases": [{"id": "P", "title": "Projekt", "start": "2024-01-01",
        ...                           "end": "2024-12-31", "eligible_expenditure": "1000.00"}]},
        ...     "plan": {"lines": [{"id": "L", "title": "Ansatz", "phase": "P",
        ...                         "category": "material", "amounts": {"2024": "1000.00"}}]},
        ...     "expenditures": [
        ...         {"id": "B1", "line": "L", "paid_on": "2024-03-01", "amount": "300.00",
        ...          "origin": "belege.csv:2"},
        ...         {"id": "B1", "line": "L", "paid_on": "2024-03-01", "amount": "300.00",
        ...          "origin": "belege.csv:3"},
        ...         {"id": "B2", "line": "L", "paid_on": "2024-09-01", "amount": "200.00",
        ...          "origin": "belege.csv:4"}]})
        >>> t = voucher_totals(case, date(2024, 6, 30))
        >>> t.listed, t.counted, t.excluded, t.after_key_date
        (Decimal('600.00'), Decimal('300.00'), Decimal('300.00'), Decimal('200.00'))
    """
    amended = case.amended()
    return _voucher_totals(amended, checked_vouchers(amended), as_of, control_sum)
