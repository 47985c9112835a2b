"""Doppelförderung — the same voucher claimed under two grants of the portfolio.

Two vouchers of different grants are the same payment when

* their invoice (Rechnungsnummer) and payee agree, where the ledgers carry invoice numbers —
  the same invoice booked twice, under whatever voucher numbers; or
* their voucher number (Belegnummer), payee, payment date and amount agree — the city's cash
  office numbers its vouchers across all of its budget, so one payment booked to two grants
  carries one number.

Numbers and payees are compared without regard to case and to runs of blanks (``"Müller  GmbH"``
is ``"müller gmbh"``); dates and amounts exactly. Credit notes are not compared: they correct a
voucher, they claim nothing.

One invoice in two grants with different amounts may be a cost split between two projects
(each grant carries its part) — or the same cost claimed more than once. The ledgers do not say
what the invoice came to, so such a pair is not called a double claim but a warning
(``invoice-split``) to check that the parts add up to no more than the invoice.

References:
    ANBest-Gk/-P Nr. 5.1 (further grants for the same purpose are to be notified), Nr. 8.2.1;
    for EU money Art. 63 Abs. 9 VO (EU) 2021/1060 (no expenditure declared twice).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import compress

from foerdermittel.errors import Finding, Severity
from foerdermittel.message_types import Param, Subject
from foerdermittel.model.records import Expenditure
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.portfolio.loading import PortfolioGrant
from foerdermittel.portfolio.results import DoubleClaim, MatchedOn

__all__ = [
    "DOUBLE_CLAIM_RULE",
    "KEY_KINDS",
    "KeyKind",
    "double_claim_findings",
    "double_claims",
    "invoice_key",
    "voucher_key",
]

DOUBLE_CLAIM_RULE = (
    "ANBest Nr. 5.1, Nr. 8.2.1 (Doppelförderung); bei EU-Mitteln Art. 63 Abs. 9 VO (EU) 2021/1060"
)

ClaimKey = tuple[object, ...]
"""What identifies a payment across ledgers, for one kind of key."""


def _plain(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def voucher_key(voucher: Expenditure) -> tuple[str, str, date, Decimal]:
    """What makes two vouchers the same: voucher number, payee, payment date and amount.

    Examples:
        >>> a = Expenditure(id="BO-7", line="B-1", paid_on=date(2025, 3, 3),
        ...                 amount=Decimal("100.00"), payee="Müller  GmbH")
        >>> b = a.model_copy(update={"line": "G-1", "payee": "müller gmbh"})
        >>> voucher_key(a) == voucher_key(b)
        True
    """
    return (_plain(voucher.id), _plain(voucher.payee), voucher.paid_on, voucher.amount)


def invoice_key(voucher: Expenditure) -> tuple[str, str] | None:
    """What makes two vouchers one invoice: invoice number and payee; ``None`` without a number.

    Examples:
        >>> a = Expenditure(id="BO-7", line="B-1", paid_on=date(2025, 3, 3),
        ...                 amount=Decimal("100.00"), payee="Müller GmbH", invoice_number="R 17")
        >>> b = a.model_copy(update={"id": "SF-9", "payee": "MÜLLER GMBH",
        ...                          "invoice_number": "r 17"})
        >>> invoice_key(a) == invoice_key(b)
        True
    """
    if not voucher.invoice_number or not voucher.invoice_number.strip():
        return None
    return (_plain(voucher.invoice_number), _plain(voucher.payee))


def _day_and_amount(voucher: Expenditure) -> Hashable:
    return (voucher.paid_on, voucher.amount)


def _invoice_number(voucher: Expenditure) -> Hashable:
    return _invoice_number_of(voucher.invoice_number)


def _invoice_number_of(number: str | None) -> Hashable:
    return _plain(number) or None


@dataclass(frozen=True)
class KeyKind:
    """One kind of key two vouchers of different grants can agree on.

    Attributes:
        name: the kind, as ``DoubleClaim.matched_on`` names it.
        rough: a cheap value equal for any two vouchers whose keys are equal (the vouchers
            that share none are not compared further: most of a ledger).
        key: the key itself.
    """

    name: MatchedOn
    rough: Callable[[Expenditure], Hashable]
    key: Callable[[Expenditure], ClaimKey | None]


KEY_KINDS: tuple[KeyKind, ...] = (
    KeyKind("invoice", _invoice_number, invoice_key),
    KeyKind("voucher", _day_and_amount, voucher_key),
)
"""The kinds of key vouchers are compared by, in order: the invoice
([`invoice_key`][foerdermittel.portfolio.claims.invoice_key], where the ledgers carry invoice
numbers), then the voucher ([`voucher_key`][foerdermittel.portfolio.claims.voucher_key]). Two
vouchers that agree on both are one claim, matched on the invoice."""


def double_claims(grants: Sequence[PortfolioGrant]) -> tuple[DoubleClaim, ...]:
    """Every voucher of a grant that an earlier grant's ledger already holds, in order.

    Each claim pairs the grant that holds the voucher first (in the portfolio's order) with
    one that holds it again: a voucher in three grants gives two claims, the first grant with
    each of the others — every grant involved is named, and a ledger copied into many case
    files gives one claim per copy, not one per two copies. A voucher booked twice in one
    grant's own ledger is that grant's matter (its Belegliste), not a double claim. Two
    vouchers that agree on keys of several kinds are one claim, matched on the first kind.
    """
    claims: list[DoubleClaim] = []
    paired: set[tuple[str, str, str, str]] = set()
    for kind in KEY_KINDS:
        for claim in _claims_of_kind(grants, kind):
            pair = (claim.grant, claim.voucher.id, claim.other_grant, claim.other_voucher.id)
            if pair not in paired:
                paired.add(pair)
                claims.append(claim)
    return tuple(claims)


def _roughs(vouchers: VoucherColumns, kind: KeyKind) -> list[Hashable]:
    """Each expenditure's rough value (``None`` for a credit note or where it has none).

    For the kinds of ``KEY_KINDS`` read from the columns — values that are equal where the
    kind's own are, which is all a rough value is compared for: the invoice number as
    ``_invoice_number`` gives it, the payment day and amount as ordinal and cents — for any
    other kind from each voucher.
    """
    if kind.rough is _invoice_number:
        numbers = vouchers.invoice_numbers
        if numbers is None:
            return [None] * len(vouchers)
        plain = {number: _invoice_number_of(number) for number in set(numbers)}
        values: list[Hashable] = list(map(plain.__getitem__, numbers))
    elif kind.rough is _day_and_amount:
        values = list(zip(vouchers.days, vouchers.amounts, strict=True))
    else:
        values = [kind.rough(v) if v.kind == "expenditure" else None for v in vouchers]
    kinds = vouchers.kinds
    if any(kinds):  # credit notes are not compared
        values = [None if credit else value for value, credit in zip(values, kinds, strict=True)]
    return values


def _shared_rough(
    grants: Sequence[PortfolioGrant], roughs: Sequence[list[Hashable]]
) -> set[Hashable]:
    """The rough values that vouchers of more than one grant have."""
    owner: dict[Hashable, str] = {}
    shared: set[Hashable] = set()
    for grant, values in zip(grants, roughs, strict=True):
        for rough in set(values):
            if rough is None:
                continue
            first = owner.setdefault(rough, grant.key)
            if first != grant.key:
                shared.add(rough)
    return shared


def _claims_of_kind(grants: Sequence[PortfolioGrant], kind: KeyKind) -> list[DoubleClaim]:
    stores = [VoucherColumns.of(grant.case.expenditures) for grant in grants]
    roughs = [_roughs(store, kind) for store in stores]
    shared = _shared_rough(grants, roughs)
    if not shared:
        return []
    first: dict[ClaimKey, tuple[str, Expenditure]] = {}
    last_grant: dict[ClaimKey, str] = {}
    claims: list[DoubleClaim] = []
    for grant, store, values in zip(grants, stores, roughs, strict=True):
        for position in compress(range(len(store)), map(shared.__contains__, values)):
            voucher = store[position]
            key = kind.key(voucher)
            if key is None:
                continue
            holder = first.get(key)
            if holder is None:
                first[key] = (grant.key, voucher)
                last_grant[key] = grant.key
                continue
            if last_grant[key] == grant.key:
                continue  # twice in this grant's own ledger: its Belegliste's matter
            last_grant[key] = grant.key
            claims.append(
                DoubleClaim(
                    grant=holder[0],
                    voucher=holder[1],
                    other_grant=grant.key,
                    other_voucher=voucher,
                    matched_on=(
                        "invoice-split"
                        if kind.name == "invoice" and voucher.amount != holder[1].amount
                        else kind.name
                    ),
                )
            )
    return claims


def double_claim_findings(claims: Sequence[DoubleClaim]) -> tuple[Finding, ...]:
    """A finding for each pair: both grants, both vouchers, payee, day, amount.

    An error ``double-claim`` where the same voucher or the same invoice for the same amount is
    in both ledgers; a warning ``invoice-split`` where one invoice is in both with different
    amounts (a split to check: the parts together, ``together``, may not exceed the invoice).
    """
    findings = []
    for claim in claims:
        split = claim.matched_on == "invoice-split"
        extra: dict[str, Param] = (
            {
                "invoice": claim.voucher.invoice_number or "",
                "other_amount": claim.other_voucher.amount,
                "together": claim.voucher.amount + claim.other_voucher.amount,
            }
            if split
            else {}
        )
        findings.append(
            Finding.of(
                "invoice-split" if split else "double-claim",
                Severity.WARNING if split else Severity.ERROR,
                Subject("grant", claim.grant),
                DOUBLE_CLAIM_RULE,
                voucher=claim.voucher.id,
                line=claim.voucher.line,
                other_grant=claim.other_grant,
                other_voucher=claim.other_voucher.id,
                other_line=claim.other_voucher.line,
                payee=claim.voucher.payee or "",
                paid_on=claim.voucher.paid_on,
                amount=claim.voucher.amount,
                **extra,
            )
        )
    return tuple(findings)
