"""Building a ledger's entries from cells already read, without validating them a second time.

The row reader reads every cell once, with the ledger's own parsers (``cells``), which check
form, range and places and name the row and column of every problem. The models
[`Expenditure`][foerdermittel.model.records.Expenditure] and
[`Income`][foerdermittel.model.records.Income] would then check the same values again. Here
an entry is built as ``model_construct`` builds it, from exactly the values validation would
have produced, but only where validation could not refuse them or change them:

* an amount is a ``Decimal`` with exactly two places whose magnitude is below
  [`AMOUNT_LIMIT`][foerdermittel.plausible.AMOUNT_LIMIT] (10¹² €): ``Money`` takes such an
  amount as it is, and ``check_amount`` lets it pass;
* a date (payment or invoice date) is a ``datetime.date`` (not a ``datetime``) within
  [`date_range`][foerdermittel.model.dates.date_range]: ``CaseDate`` takes it as it is;
* the voucher number is not empty, the texts are ``str`` or ``None`` and the kind is one of
  the model's literals — the row reader makes them so.

Any other value (an amount of 10¹² € or more, a date outside the years of the holiday data)
leaves the entry to the model's validation, whose German message the row reader places at
its row and column; that keeps every refusal exactly as the model words it.

An entry built here equals the one ``model_validate`` builds from the same values: the same
field values and the same set of fields given (every field). The entries built here share
one such set per model, a few hundred bytes less per entry; pydantic copies the set before
changing it (``model_copy``, ``copy``), and the models are frozen.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from foerdermittel.model.dates import date_range
from foerdermittel.model.records import Expenditure, Income
from foerdermittel.model.voucher_builder import built_without_validation
from foerdermittel.money import CENT
from foerdermittel.plausible import AMOUNT_LIMIT

__all__: list[str] = []

_LOWEST = -AMOUNT_LIMIT


def _plain_amount(amount: object) -> bool:
    """Whether the models take ``amount`` as it is: two places, below 10¹² € in magnitude.

    >>> _plain_amount(Decimal("-1234.50")), _plain_amount(Decimal("1.5"))
    (True, False)
    >>> _plain_amount(Decimal("1000000000000.00"))
    False
    """
    return (
        type(amount) is Decimal
        and amount.same_quantum(CENT)  # NaN and infinities have no quantum of their own
        and _LOWEST < amount < AMOUNT_LIMIT
    )


_expenditure = built_without_validation(Expenditure)
_income = built_without_validation(Income)


class _Entries:
    """Builds entries; validates with the model only what it might refuse or change.

    A date is taken as it is when it is a ``date`` (no ``datetime``) within ``date_range``.
    """

    def __init__(self) -> None:
        self.first, self.last = date_range()

    def expenditure(self, values: dict[str, Any]) -> Expenditure:
        """The expenditure of ``values`` (the fields of ``Expenditure``, in order).

        Raises:
            pydantic.ValidationError: the model refuses a value.
        """
        day = values["paid_on"]
        net = values["net_amount"]
        invoiced = values["invoice_date"]
        first, last = self.first, self.last
        if (
            type(day) is date
            and first <= day <= last
            and _plain_amount(values["amount"])
            and (net is None or _plain_amount(net))
            and (invoiced is None or (type(invoiced) is date and first <= invoiced <= last))
        ):
            return _expenditure(values)
        return Expenditure.model_validate(values)

    def income(self, values: dict[str, Any]) -> Income:
        """The income of ``values`` (the fields of ``Income``, in order).

        Raises:
            pydantic.ValidationError: the model refuses a value.
        """
        day = values["received_on"]
        if type(day) is date and self.first <= day <= self.last and _plain_amount(values["amount"]):
            return _income(values)
        return Income.model_validate(values)
