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

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate, compress
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
)

from foerdermittel._moved import deprecated
from foerdermittel.flat_rates import flat_rate_amount, flat_rate_lines
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
from foerdermittel.money import ZERO

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
    days = checked.phase_days.get(phase)
    paid = _euros(checked.phase_sums[phase][bisect_right(days, ordinal)]) if days else ZERO
    for rate, base_lines in _flat_rates_of(case).get(phase, ()):
        base = ZERO
        for line in base_lines:
            line_days = checked.line_days.get(line)
            if line_days:
                base += _euros(checked.line_sums[line][bisect_right(line_days, ordinal)])
        paid += flat_rate_amount(rate, base)
    return paid


_FLATS: dict[int, tuple[Case, dict[str, list[tuple[Decimal, tuple[str, ...]]]]]] = {}


def _flat_rates_of(case: Case) -> dict[str, list[tuple[Decimal, tuple[str, ...]]]]:
    """Per phase, each flat-rate line's rate and base lines (once per case; none: empty)."""
    if all(line.flat_rate is None for line in case.plan.lines):
        return {}
    found = _FLATS.get(id(case))
    if found is not None and found[0] is case:
        return found[1]
    rulebook, _ = case.rulebook()
    result: dict[str, list[tuple[Decimal, tuple[str, ...]]]] = {}
    for flat in flat_rate_lines(case.plan, rulebook):
        result.setdefault(flat.phase, []).append((flat.rate, flat.base_lines))
    if len(_FLATS) >= _MEMO_SIZE:
        del _FLATS[next(iter(_FLATS))]
    _FLATS[id(case)] = (case, result)
    return result


def _euros(cents: int) -> Decimal:
    """Integer cents as an amount with two places."""
    return Decimal(cents).scaleb(-2)


def _prefix(values: Iterable[int]) -> array[int]:
    """Running sums of integer cents, starting with 0 (eight bytes a voucher)."""
    return array("q", accumulate(values, initial=0))


class CheckedVouchers:
    """Every voucher of a ledger checked, in date order, with running sums for a key date.

    Computed once per ledger and plan by
    [`checked_vouchers`][foerdermittel.vouchers.checked_vouchers] and shared by the
    calculators. The vouchers are
    [`VoucherColumns`][foerdermittel.model.voucher_columns.VoucherColumns]; days are ordinals
    and the sums integer cents in arrays (every amount has two places, so the cents are exact
    and turn back into the same ``Decimal``). A running sum ``s`` holds ``s[k]`` = the sum of
    the first ``k`` vouchers, so the sum up to a day is ``s[bisect_right(days, day)]``.

    Attributes:
        ordered: every voucher, by payment day and number.
        days: their payment days.
        sums: their gross amounts, running.
        counted: the vouchers that count, in the same order.
        counted_days: their payment days.
        counted_gross: their gross amounts, running.
        counted_eligible: their eligible amounts (net where input tax is deductible), running.
        excluded: the vouchers that do not count, each with its check.
        excluded_days: their payment days.
        phase_days: per phase, the payment days of its vouchers that count.
        phase_sums: per phase, their eligible amounts, running.
        line_days: per budget line, the payment days of its vouchers that count.
        line_sums: per budget line, their eligible amounts, running.
        line_gross: per budget line, their gross amounts, running.
        line_first: per budget line, the position in ``counted`` of its first voucher.
    """

    __slots__ = (
        "counted",
        "counted_days",
        "counted_eligible",
        "counted_gross",
        "days",
        "excluded",
        "excluded_days",
        "line_days",
        "line_first",
        "line_gross",
        "line_sums",
        "ordered",
        "phase_days",
        "phase_sums",
        "sums",
    )

    def __init__(
        self,
        base: _Sorted,
        counted: VoucherColumns,
        excluded: list[ExcludedVoucher],
        excluded_days: list[int],
        *,
        net: bool,
        phase_of_line: dict[str, str],
    ) -> None:
        self.ordered = base.ordered
        self.days = base.ordered.days
        self.sums = base.sums
        self.counted = counted
        self.counted_days = counted.days
        eligible = counted.eligible_cents(net=net)
        self.counted_gross = _prefix(counted.amounts)
        self.counted_eligible = _prefix(eligible)
        self.excluded = excluded
        self.excluded_days = excluded_days
        self.line_days: dict[str, array[int]] = {}
        self.line_sums: dict[str, array[int]] = {}
        self.line_gross: dict[str, array[int]] = {}
        self.line_first: dict[str, int] = {}
        table = counted.line_table
        for k, positions in _groups(counted.lines, range(len(table))):
            line = table[k]
            self.line_first[line] = positions[0]
            self.line_days[line] = _taken(counted.days, positions, "i")
            self.line_sums[line] = _prefix(map(eligible.__getitem__, positions))
            self.line_gross[line] = _prefix(map(counted.amounts.__getitem__, positions))
        phases = list(dict.fromkeys(phase_of_line.values()))
        code = {phase: n for n, phase in enumerate(phases)}
        line_code = [code.get(phase_of_line.get(line, ""), -1) for line in table]
        self.phase_days: dict[str, array[int]] = {}
        self.phase_sums: dict[str, array[int]] = {}
        for n, positions in _groups(
            array("i", map(line_code.__getitem__, counted.lines)), code.values()
        ):
            self.phase_days[phases[n]] = _taken(counted.days, positions, "i")
            self.phase_sums[phases[n]] = _prefix(map(eligible.__getitem__, positions))

    def counted_until(self, as_of: date) -> VoucherColumns:
        """The vouchers that count, paid on or before ``as_of``."""
        return self.counted[: bisect_right(self.counted_days, as_of.toordinal())]

    def excluded_until(self, as_of: date) -> list[ExcludedVoucher]:
        """The vouchers that do not count, paid on or before ``as_of``."""
        return self.excluded[: bisect_right(self.excluded_days, as_of.toordinal())]

    def later(self, as_of: date) -> tuple[int, Decimal]:
        """The number and sum of the vouchers paid after ``as_of``."""
        cut = bisect_right(self.days, as_of.toordinal())
        return len(self.days) - cut, _euros(self.sums[-1] - self.sums[cut])


def _taken(column: array[int], positions: list[int], typecode: str) -> array[int]:
    return array(typecode, map(column.__getitem__, positions))


def _groups(keys: Sequence[int], wanted: Iterable[int]) -> Iterator[tuple[int, list[int]]]:
    """The positions of each key of ``keys`` (in order), for each of ``wanted`` that occurs."""
    count = len(keys)
    by_key = sorted(range(count), key=keys.__getitem__)  # stable: each key's positions in order
    sorted_keys = list(map(keys.__getitem__, by_key))
    for key in wanted:
        first = bisect_left(sorted_keys, key)
        last = bisect_right(sorted_keys, key, first)
        if last > first:
            yield key, by_key[first:last]


_MEMO: dict[tuple[int, tuple[Any, ...]], tuple[Sequence[Expenditure], CheckedVouchers]] = {}
_MEMO_SIZE = 4


def checked_vouchers(case: Case) -> CheckedVouchers:
    """The checked ledger of ``case``, computed once per ledger and plan.

    Remembered by the identity of the (immutable) vouchers together with everything else the
    checks read (phases, the lines' phases, input-tax deduction), for the last few ledgers and
    plans: a scenario or an amended case with the same vouchers and periods reuses it, one
    with moved periods gets its own.
    """
    vouchers = case.expenditures
    key = (
        id(vouchers),
        (
            tuple((p.id, p.start, p.end, p.early_start) for p in case.grant.phases),
            tuple((line.id, line.phase, line.flat_rate is not None) for line in case.plan.lines),
            case.settings.input_tax_deduction,
        ),
    )
    found = _MEMO.get(key)
    if found is not None and found[0] is vouchers:
        return found[1]
    result = _check_all(case)
    if len(_MEMO) >= _MEMO_SIZE:
        del _MEMO[next(iter(_MEMO))]
    _MEMO[key] = (vouchers, result)
    return result


@dataclass(frozen=True)
class _Sorted:
    """What the checks find in a ledger whatever the plan: order, repeats, signs, running sums.

    ``static`` holds, by position in ``ordered``, a second entry of a voucher number and a
    contradiction in a voucher's sign or net amount.
    """

    ordered: VoucherColumns
    sums: array[int]
    static: dict[int, tuple[str, Message]]


_SORTED: dict[int, tuple[Sequence[Expenditure], _Sorted]] = {}


def _sorted(vouchers: Sequence[Expenditure]) -> _Sorted:
    """The ledger in date order with what does not depend on the plan, once per ledger."""
    found = _SORTED.get(id(vouchers))
    if found is not None and found[0] is vouchers:
        return found[1]
    store = VoucherColumns.of(vouchers)
    count = len(store)
    order = sorted(range(count), key=store.ids.__getitem__)
    order.sort(key=store.days.__getitem__)  # stable: by day, then number
    ordered = store.take(order)
    static: dict[int, tuple[str, Message]] = {}
    ids = ordered.ids
    if len(set(ids)) != count:
        seen: set[str] = set()
        for position, number in enumerate(ids):
            if number in seen:
                static[position] = ("duplicate-voucher", _DUPLICATE)
            else:
                seen.add(number)
    for position in _sign_suspects(ordered):
        if position not in static:
            found_sign = sign_contradiction(ordered[position])
            if found_sign is not None:
                static[position] = found_sign
    result = _Sorted(ordered, _prefix(ordered.amounts), static)
    if len(_SORTED) >= _MEMO_SIZE:
        del _SORTED[next(iter(_SORTED))]
    _SORTED[id(vouchers)] = (vouchers, result)
    return result


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
    # per line of the ledger's table: its window, or why none of its vouchers counts (a line
    # outside the plan has none: a case holds no voucher of it, a voucher of it fails below)
    flat = (1, 0, ("flat-rate", _FLAT_RATE))  # no day lies in it
    table = [
        flat if line in flat_lines else windows.get(line_phase.get(line, ""))
        for line in ordered.line_table
    ]
    static = base.static
    nets = ordered.nets
    without_net = nets if net and nets is not None else None  # else: none has one
    net_missing = ("net-missing", _NET_MISSING)
    counted: list[int] = []
    excluded: list[ExcludedVoucher] = []
    excluded_days: list[int] = []
    for position, (k, day) in enumerate(zip(ordered.lines, ordered.days, strict=True)):
        why = static.get(position)
        if why is None or why[0] != "duplicate-voucher":
            window = table[k]
            if window is None:
                window = windows[line_phase[ordered.line_table[k]]]
            first_day, last_day, not_in_period = window
            if not first_day <= day <= last_day:
                why = not_in_period
            elif why is None and net and (without_net is None or without_net[position] == NO_NET):
                why = net_missing
        if why is None:
            counted.append(position)
            continue
        item = ordered[position]
        excluded.append(
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
        excluded_days.append(day)
    kept = ordered.take(counted) if excluded else ordered
    return CheckedVouchers(base, kept, excluded, excluded_days, net=net, phase_of_line=line_phase)


def eligible_by_month(case: Case, cut: date) -> dict[str, dict[date, Decimal]]:
    """Per budget line, the eligible amount of its vouchers that count, per month up to ``cut``.

    Only months with a voucher are given, in order; the lines in the order of their first
    voucher. The amounts are net where input tax is deductible
    ([`eligible_amount`][foerdermittel.vouchers.eligible_amount]).
    """
    checked = checked_vouchers(case)
    end = cut.toordinal()
    found: list[tuple[int, str]] = []
    for line, days in checked.line_days.items():
        if days[0] <= end:
            found.append((checked.line_first[line], line))
    spent: dict[str, dict[date, Decimal]] = {}
    for _, line in sorted(found):
        days, sums = checked.line_days[line], checked.line_sums[line]
        last = bisect_right(days, end)
        by_month: dict[date, Decimal] = {}
        start = 0
        while start < last:
            month = _fromordinal(days[start]).replace(day=1)
            following = (month + timedelta(days=32)).replace(day=1).toordinal()
            stop = bisect_left(days, following, start, last)
            by_month[month] = _euros(sums[stop] - sums[start])
            start = stop
        spent[line] = by_month
    return spent


_fromordinal = date.fromordinal
