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
* A voucher booked to a flat-rate line (``BudgetLine.flat_rate``, a Pauschale) does not
  count: the line is settled as its rate times its base, without vouchers of its own
  (Regulation (EU) 2021/1060 Art. 53 Abs. 1 Buchst. d); counting it would pay the costs twice.
* Vouchers paid after the key date are left out and counted.

The forecast, the drawdown plan and the proof of use all use the same checks. Why a voucher
does not count is data, a [`Message`][foerdermittel.message_types.Message] (keys
``voucher.reason.<check>``); the catalogues give it words.
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Sequence
from datetime import date
from decimal import Decimal
from itertools import compress, filterfalse
from typing import Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
)

from foerdermittel import voucher_sums
from foerdermittel._moved import deprecated
from foerdermittel.flat_rates import flat_rate_amount, flat_rate_lines
from foerdermittel.frozen import IdentityMemo, WeakMemo
from foerdermittel.message_types import (
    NOTHING,
    Message,
    MessageField,
    Param,
    Subject,
    Worded,
    words,
)
from foerdermittel.model.case import Case
from foerdermittel.model.records import Expenditure
from foerdermittel.model.voucher_columns import NO_NET, VoucherColumns
from foerdermittel.voucher_sums import CheckedVouchers, LineSums, euros, values_at

__all__ = [
    "ExcludedVoucher",
    "check_vouchers",
    "eligible_amount",
    "eligible_paid",
    "sign_contradiction",
    "sign_problem",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExcludedVoucher(Worded):
    """A voucher that does not count (or counts with a reservation), and why.

    Attributes:
        voucher: the voucher number.
        origin: where it was read from.
        paid_on: its payment date.
        amount: its amount.
        line: its budget line.
        code: the check: ``outside-period``, ``duplicate-voucher``, ``net-missing``,
            ``flat-rate`` (booked to a flat-rate line, which needs no vouchers); the
            contradictions ``sign`` (an expenditure with a negative amount), ``credit-sign``
            (a credit note with a positive amount), ``net-above-gross`` (the net amount larger
            than the gross), ``net-sign`` (net and gross of different signs).
        counted: whether it still counts; always false since a voucher with a contradictory
            sign no longer counts with a warning (kept so that readers of the field go on
            working).
        why: the reason as data: the key ``voucher.reason.<code>`` with the figures (the
            phase and its approval period, the net and gross amounts); its words come from
            the catalogues.
        net_amount: its net amount, where the ledger gives one.

    The German words of ``why`` are the property ``reason``, those of another language
    [`reason_in`][foerdermittel.vouchers.ExcludedVoucher.reason_in]; a dump carries them
    under the name ``reason`` too.
    """

    voucher: str
    origin: str | None
    paid_on: date
    amount: Decimal
    line: str
    code: str
    counted: bool
    why: MessageField
    net_amount: Decimal | None = None

    @property
    def reason(self) -> str:
        """The reason in German; renderers use foerdermittel.messages (``why``)."""
        return words(self.why)

    def reason_in(self, lang: str) -> str:
        """The reason in a language of the catalogues (``de``, ``en``)."""
        return words(self.why, lang)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"reason": self.reason_in(lang)}


def eligible_amount(item: Expenditure, *, net: bool) -> Decimal:
    """The voucher's eligible amount: net where input tax is deductible (and given)."""
    if net and item.net_amount is not None:
        return item.net_amount
    return item.amount


def _reason(code: str, /, **params: Param) -> Message:
    return Message(f"voucher.reason.{code}", params)


_DUPLICATE = _reason("duplicate-voucher")
_NET_MISSING = _reason("net-missing")
_FLAT_RATE = _reason("flat-rate")


def sign_contradiction(item: Expenditure) -> tuple[str, Message] | None:
    """The contradiction in a voucher's sign or net amount, as ``(code, reason)``, or ``None``.

    The reason is a [`Message`][foerdermittel.message_types.Message] (key
    ``voucher.reason.<code>``) with the amounts involved.

    Examples:
        >>> from datetime import date
        >>> voucher = Expenditure(id="1", line="L", paid_on=date(2024, 3, 1), amount="100.00",
        ...                       net_amount="119.00")
        >>> code, reason = sign_contradiction(voucher)
        >>> code, reason.params["net"], reason.params["gross"]
        ('net-above-gross', Decimal('119.00'), Decimal('100.00'))
        >>> words(reason, "en")
        'net amount €119.00 larger than the gross amount €100.00'
    """
    gross, net_amount = item.amount, item.net_amount
    if item.kind == "expenditure" and gross < 0:
        return "sign", _reason("sign")
    if item.kind == "credit" and gross > 0:
        return "credit-sign", _reason("credit-sign")
    if net_amount is None:
        return None
    if (net_amount < 0 < gross) or (gross < 0 < net_amount) or ((net_amount == 0) != (gross == 0)):
        return "net-sign", _reason("net-sign", net=net_amount, gross=gross)
    if abs(net_amount) > abs(gross):
        return "net-above-gross", _reason("net-above-gross", net=net_amount, gross=gross)
    return None


def sign_problem(item: Expenditure) -> tuple[str, str] | None:
    r"""Deprecated: the contradiction, its reason in German; renderers use foerdermittel.messages.

    The same as [`sign_contradiction`][foerdermittel.vouchers.sign_contradiction], with the
    reason's German words instead of the message.

    Examples:
        >>> from datetime import date
        >>> voucher = Expenditure(id="1", line="L", paid_on=date(2024, 3, 1), amount="100.00",
        ...                       net_amount="119.00")
        >>> code, message = sign_contradiction(voucher)
        >>> code, words(message)
        ('net-above-gross', 'Nettobetrag 119,00\xa0€ größer als der Bruttobetrag 100,00\xa0€')
    """
    deprecated("sign_problem", "sign_contradiction")
    found = sign_contradiction(item)
    return None if found is None else (found[0], words(found[1]))


def check_vouchers(
    case: Case, as_of: date
) -> tuple[list[Expenditure], list[ExcludedVoucher], tuple[int, Decimal]]:
    """Check every voucher paid up to ``as_of``.

    The checks run once per ledger (in date order, over every voucher: whether a voucher
    counts does not depend on the key date, since the first of two vouchers with the same
    number is also the earlier one); a key date then only cuts the sorted lists. So the
    forecast, the drawdown plan, the late-use interest and the proof of use share one pass
    ([`checked_vouchers`][foerdermittel.vouchers.checked_vouchers], whose columns the
    calculators read).

    Returns:
        The vouchers that count (in date order), those that do not (each with its check), and
            the number and sum of vouchers paid after the key date.
    """
    checked = checked_vouchers(case)
    return list(checked.counted_until(as_of)), checked.excluded_until(as_of), checked.later(as_of)


def eligible_paid(case: Case, phase: str, day: date) -> Decimal:
    """The eligible amount of a phase's vouchers that count, paid on or before ``day``.

    The same vouchers as [`check_vouchers`][foerdermittel.vouchers.check_vouchers] counts on
    the key date ``day``, summed by their eligible amount (net where input tax is deductible):
    the expenditure a payout in arrears reimburses, and what a call may cover. Read from
    running sums of the checked ledger, so a plan with many calls stays linear. A flat-rate
    line of the phase (Pauschale) adds its rate × what its base lines have paid by ``day``,
    rounded down to the cent ([`flat_rate_amount`][foerdermittel.flat_rates.flat_rate_amount]).

    Examples:
        >>> from foerdermittel import attach_ledger, load_case
        >>> case = attach_ledger(load_case("examples/bochum-mpsc.toml"), base_dir="examples")
        >>> eligible_paid(case, "A", date(2022, 6, 30))
        Decimal('578911.34')
    """
    checked = checked_vouchers(case)
    ordinal = day.toordinal()
    lines = [line.id for line in case.plan.lines if line.phase == phase]
    paid = euros(checked.phase_paid(lines, ordinal))
    for rate, base_lines in _flat_rates_of(case).get(phase, ()):
        paid += flat_rate_amount(rate, euros(checked.phase_paid(base_lines, ordinal)))
    return paid


_MEMO_SIZE = 4
_FLATS: WeakMemo[dict[str, list[tuple[Decimal, tuple[str, ...]]]]] = WeakMemo()
"""Per case, as long as it lives: its flat-rate lines' rates and base lines."""


def _flat_rates_of(case: Case) -> dict[str, list[tuple[Decimal, tuple[str, ...]]]]:
    """Per phase, each flat-rate line's rate and base lines (once per case; none: empty)."""
    if all(line.flat_rate is None for line in case.plan.lines):
        return {}
    found = _FLATS.get(case)
    if found is not None:
        return found
    rulebook, _ = case.rulebook()
    result: dict[str, list[tuple[Decimal, tuple[str, ...]]]] = {}
    for flat in flat_rate_lines(case.plan, rulebook):
        result.setdefault(flat.phase, []).append((flat.rate, flat.base_lines))
    return _FLATS.put(case, result)


def eligible_by_month(case: Case, cut: date) -> dict[str, dict[date, Decimal]]:
    """Per budget line, the eligible amount of its vouchers that count, per month up to ``cut``.

    Only months with a voucher are given, in order; the lines in the order of their first
    voucher. The amounts are net where input tax is deductible
    ([`eligible_amount`][foerdermittel.vouchers.eligible_amount]).
    """
    return voucher_sums.eligible_by_month(checked_vouchers(case), cut)


def checked_vouchers(case: Case) -> CheckedVouchers:
    """The checked ledger of ``case`` with its running sums, computed once per ledger and plan.

    What [`check_vouchers`][foerdermittel.vouchers.check_vouchers] returns, as columns and
    running sums of integer cents per budget line
    ([`CheckedVouchers`][foerdermittel.voucher_sums.CheckedVouchers]), which the calculators
    read. Remembered by the identity of the (immutable) vouchers together with everything
    else the checks read (phases, the lines' phases, input-tax deduction), for the last few
    ledgers and plans: a scenario or an amended case with the same vouchers and periods reuses
    it, one with moved periods gets its own (the sorting is shared by both).
    """
    vouchers = case.expenditures
    periods = (
        tuple((p.id, p.start, p.end, p.early_start) for p in case.grant.phases),
        tuple((line.id, line.phase, line.flat_rate is not None) for line in case.plan.lines),
        case.settings.input_tax_deduction,
    )
    return _derived(vouchers, ("checked", periods), lambda: _check_all(case))


class _Sorted:
    """What the checks find in a ledger whatever the plan: order, repeats, signs, line sums.

    ``ordered`` holds the vouchers by payment day and number (its ``k``-th voucher is the
    ``k``-th in that order: its rank); ``lines`` each budget line's vouchers by rank with their
    running sums (by index into the table of lines; eligible: net where a net amount is given,
    for a plan with input-tax deduction); ``static`` a second entry of a voucher
    number and a contradiction in a voucher's sign or net amount, by rank.
    """

    __slots__ = ("_eligible", "lines", "ordered", "static", "store")

    def __init__(self, store: VoucherColumns) -> None:
        self.store = store
        order, days = _by_day_and_number(store)
        ordered = self.ordered = store.take(order, days=days)
        ranks: list[list[int]] = [[] for _ in store.line_table]
        add = [line.append for line in ranks]
        for rank, k in enumerate(ordered.lines):
            add[k](rank)
        self._eligible: dict[bool, Sequence[int]] = {False: ordered.amounts}
        eligible = self.eligible(net=True)
        self.lines = {
            k: LineSums.of(ordered, line, eligible) for k, line in enumerate(ranks) if line
        }
        self.static: dict[int, tuple[str, Message]] = {}
        if len(set(store.ids)) != len(store):
            seen: set[str] = set()
            for rank, number in enumerate(ordered.ids):
                if number in seen:
                    self.static[rank] = ("duplicate-voucher", _DUPLICATE)
                else:
                    seen.add(number)
        suspects = set(_sign_suspects(store))
        if suspects:
            for rank in [r for r, position in enumerate(order) if position in suspects]:
                if rank not in self.static:
                    found = sign_contradiction(ordered[rank])
                    if found is not None:
                        self.static[rank] = found

    def eligible(self, *, net: bool) -> Sequence[int]:
        """Each voucher's eligible amount in cents by rank (net where ``net`` and one is given)."""
        found = self._eligible.get(net)
        if found is None:
            found = self._eligible[net] = self.ordered.eligible_cents(net=net)
        return found


def _by_day_and_number(store: VoucherColumns) -> tuple[list[int], array[int]]:
    """The positions of the vouchers by payment day, then number (stable), and their days."""
    days, ids = store.days, store.ids
    order = sorted(range(len(store)), key=days.__getitem__)
    sorted_days = array("i", values_at(days, order))
    start = 0
    for day in sorted(set(days)):
        stop = bisect_right(sorted_days, day, start)
        if stop - start > 1:  # vouchers of one day: by number, those with one number as read
            run = order[start:stop]
            numbers = values_at(ids, run)
            if not all(map(operator.le, numbers, numbers[1:])):
                run.sort(key=ids.__getitem__)
                order[start:stop] = run
        start = stop
    return order, sorted_days


def _sorted(vouchers: Sequence[Expenditure]) -> _Sorted:
    """The ledger in date order with what does not depend on the plan, once per ledger."""
    return _derived(vouchers, "sorted", lambda: _Sorted(VoucherColumns.of(vouchers)))


_T = TypeVar("_T")


def _derived(vouchers: Sequence[Expenditure], key: Hashable, make: Callable[[], _T]) -> _T:
    """``make()`` once per ledger and ``key``: kept with the store, as long as it lives.

    A case holds its vouchers as a ``VoucherColumns``; what is derived from them lives with
    them, so a ledger the caller lets go is freed with it. Vouchers held otherwise (a tuple
    put in with ``model_copy``) are remembered here, the last few.
    """
    if isinstance(vouchers, VoucherColumns):
        return vouchers._remembered(key, make)
    found = _OTHER_LEDGERS.get((vouchers,), (key,))
    if found is not None:
        return found  # type: ignore[no-any-return]
    return _OTHER_LEDGERS.put((vouchers,), make(), (key,))  # type: ignore[no-any-return]


_OTHER_LEDGERS: IdentityMemo[Any] = IdentityMemo(_MEMO_SIZE)


def _sign_suspects(store: VoucherColumns) -> list[int]:
    """The positions whose sign or net amount may contradict (``sign_contradiction`` decides).

    Every voucher with a contradiction is among them: an expenditure below zero, a credit note
    above zero, or a net amount whose sign or size does not fit the gross amount.
    """
    kinds, amounts, nets = store.kinds, store.amounts, store.nets
    every = range(len(store))
    suspects = {p for p in compress(every, map((0).__gt__, amounts)) if kinds[p] == 0}
    suspects.update(p for p in compress(every, kinds) if amounts[p] > 0)
    if nets is not None:
        for p in compress(every, map(NO_NET.__ne__, nets)):
            net, gross = nets[p], amounts[p]
            if (
                (net < 0 < gross)
                or (gross < 0 < net)
                or ((net == 0) != (gross == 0))
                or abs(net) > abs(gross)
            ):
                suspects.add(p)
    return sorted(suspects)


def _check_all(case: Case) -> CheckedVouchers:
    line_phase = {line.id: line.phase for line in case.plan.lines}
    flat_lines = {line.id for line in case.plan.lines if line.flat_rate is not None}
    net = case.settings.input_tax_deduction
    # per phase: the first and last day a voucher may be paid, and why one outside does not count
    windows: dict[str, tuple[int, int, tuple[str, Message]]] = {}
    for phase in case.grant.phases:
        first = min(phase.start, phase.early_start) if phase.early_start else phase.start
        early = _reason("early-start", day=phase.early_start) if phase.early_start else NOTHING
        outside = _reason(
            "outside-period",
            phase=Subject("phase", phase.id),
            start=phase.start,
            end=phase.end,
            early=early,
        )
        windows[phase.id] = (first.toordinal(), phase.end.toordinal(), ("outside-period", outside))
    base = _sorted(case.expenditures)
    ordered = base.ordered
    table = ordered.line_table
    flat = (1, 0, ("flat-rate", _FLAT_RATE))  # no day lies in it
    # per line: the window its vouchers must be paid in (a flat-rate line: none), and the part
    # of its vouchers (by rank, so by day) paid inside it
    window_of: dict[int, tuple[int, int, tuple[str, Message]]] = {}
    inside: dict[int, tuple[int, int]] = {}
    excluded_at: set[int] = set(base.static)
    for k, line in base.lines.items():
        ident = table[k]
        window = flat if ident in flat_lines else windows[line_phase[ident]]
        window_of[k] = window
        start = bisect_left(line.days, window[0])
        stop = max(start, bisect_right(line.days, window[1]))
        inside[k] = (start, stop)
        excluded_at.update(line.positions[:start])
        excluded_at.update(line.positions[stop:])
    nets = ordered.nets
    every = range(len(ordered))
    if net:  # input tax deductible: a voucher without a net amount does not count
        excluded_at.update(every if nets is None else compress(every, map(NO_NET.__eq__, nets)))
    left_out = sorted(excluded_at)

    def excluded() -> list[ExcludedVoucher]:
        """Each voucher that does not count with its check (built when first asked for)."""
        found: list[ExcludedVoucher] = []
        for rank in left_out:
            item = ordered[rank]
            why = base.static.get(rank)
            if why is None or why[0] != "duplicate-voucher":
                first_day, last_day, not_in_period = window_of[ordered.lines[rank]]
                if not first_day <= ordered.days[rank] <= last_day:
                    why = not_in_period
                elif why is None and net and item.net_amount is None:
                    why = ("net-missing", _NET_MISSING)
            assert why is not None
            found.append(
                ExcludedVoucher(
                    voucher=item.id,
                    origin=item.origin,
                    paid_on=item.paid_on,
                    amount=item.amount,
                    line=item.line,
                    code=why[0],
                    counted=False,
                    why=why[1],
                    net_amount=item.net_amount,
                )
            )
        return found

    eligible = base.eligible(net=net)
    lines: dict[str, LineSums] = {}
    for k, line in base.lines.items():
        start, stop = inside[k]
        part = line.part(start, stop)
        if not net and part.eligible is not part.gross:  # the gross amounts are eligible
            part = LineSums(part.positions, part.days, part.gross, part.gross)
        if excluded_at and any(map(excluded_at.__contains__, part.positions)):
            kept = [rank for rank in part.positions if rank not in excluded_at]
            part = LineSums.of(ordered, kept, eligible)
        if part.positions:
            lines[table[k]] = part
    # in the order of their first voucher that counts
    lines = dict(sorted(lines.items(), key=lambda item: item[1].positions[0]))
    counted = ordered
    if excluded_at:
        counted = ordered.take(list(filterfalse(excluded_at.__contains__, every)))
    return CheckedVouchers(
        ordered=ordered,
        counted=counted,
        excluded=excluded,
        excluded_days=list(values_at(ordered.days, left_out)),
        lines=lines,
        recorded=list(base.lines.values()),
        total=sum(base.store.amounts),
        eligible=eligible,
        phase_of_line=line_phase,
    )
