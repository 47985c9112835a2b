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
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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
    forecast, the drawdown plan, the late-use interest and the proof of use share one pass.

    Returns:
        The vouchers that count (in date order), those that do not (each with its check), and
            the number and sum of vouchers paid after the key date.
    """
    checked = _checked(case)
    counted = checked.counted[: bisect_right(checked.counted_days, as_of)]
    excluded = checked.excluded[: bisect_right(checked.excluded_days, as_of)]
    cut = bisect_right(checked.days, as_of)
    later = (len(checked.days) - cut, _euros(checked.sums[-1] - checked.sums[cut]))
    return counted, excluded, later


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
    checked = _checked(case)
    days = checked.phase_days.get(phase)
    paid = _euros(checked.phase_sums[phase][bisect_right(days, day)]) if days else ZERO
    for rate, base_lines in _flat_rates_of(case).get(phase, ()):
        base = ZERO
        for line in base_lines:
            line_days = checked.line_days.get(line)
            if line_days:
                base += _euros(checked.line_sums[line][bisect_right(line_days, day)])
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


def _cents(amount: Decimal) -> int:
    """An amount of two places as integer cents (exact)."""
    return int(amount.scaleb(2))


def _euros(cents: int) -> Decimal:
    """Integer cents as an amount with two places."""
    return Decimal(cents).scaleb(-2)


@dataclass(frozen=True)
class _Checked:
    """Every voucher of a ledger checked, in date order, with prefix sums for the key date.

    The sums are integer cents in arrays (eight bytes a voucher, not a ``Decimal`` each): every
    amount has two places, so the cents are exact and turn back into the same ``Decimal``.
    """

    counted: list[Expenditure]
    counted_days: list[date]
    excluded: list[ExcludedVoucher]
    excluded_days: list[date]
    days: list[date]
    sums: array[int]
    phase_days: dict[str, list[date]]
    phase_sums: dict[str, array[int]]
    line_days: dict[str, list[date]]
    line_sums: dict[str, array[int]]


_MEMO: dict[tuple[int, tuple[Any, ...]], tuple[tuple[Expenditure, ...], _Checked]] = {}
_MEMO_SIZE = 4


def _checked(case: Case) -> _Checked:
    """The checked ledger of ``case``, computed once per ledger and plan.

    Remembered by the identity of the (immutable) voucher tuple together with everything else
    the checks read (phases, the lines' phases, input-tax deduction), for the last few
    ledgers and plans: a scenario or an amended case with the same vouchers and periods reuses
    it, one with moved periods gets its own.
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
    """What the checks find in a ledger whatever the plan: order, repeats, signs, running sums."""

    ordered: list[Expenditure]
    days: list[date]
    sums: array[int]
    static: list[tuple[str, Message] | None]


_SORTED: dict[int, tuple[tuple[Expenditure, ...], _Sorted]] = {}


def _sorted(vouchers: tuple[Expenditure, ...]) -> _Sorted:
    """The ledger in date order with what does not depend on the plan, once per voucher tuple."""
    found = _SORTED.get(id(vouchers))
    if found is not None and found[0] is vouchers:
        return found[1]
    ordered = sorted(vouchers, key=_by_day_and_number)
    seen: set[str] = set()
    static: list[tuple[str, Message] | None] = []
    sums = array("q", [0])
    running = 0
    for item in ordered:
        running += _cents(item.amount)
        sums.append(running)
        if item.id in seen:
            static.append(("duplicate-voucher", _DUPLICATE))
            continue
        seen.add(item.id)
        static.append(sign_contradiction(item))
    result = _Sorted(ordered, [item.paid_on for item in ordered], sums, static)
    if len(_SORTED) >= _MEMO_SIZE:
        del _SORTED[next(iter(_SORTED))]
    _SORTED[id(vouchers)] = (vouchers, result)
    return result


def _by_day_and_number(item: Expenditure) -> tuple[date, str]:
    return item.paid_on, item.id


def _check_all(case: Case) -> _Checked:
    line_phase = {line.id: line.phase for line in case.plan.lines}
    flat_lines = {line.id for line in case.plan.lines if line.flat_rate is not None}
    net = case.settings.input_tax_deduction
    # per line: the first and last day a voucher may be paid, and why one outside does not count
    windows: dict[str, tuple[date, date, tuple[str, Message]]] = {}
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
        windows[phase.id] = (first, phase.end, ("outside-period", outside))
    window = {line: windows[phase] for line, phase in line_phase.items()}
    base = _sorted(case.expenditures)
    counted: list[Expenditure] = []
    excluded: list[ExcludedVoucher] = []
    phase_days: dict[str, list[date]] = {p.id: [] for p in case.grant.phases}
    phase_sums: dict[str, array[int]] = {p.id: array("q", [0]) for p in case.grant.phases}
    line_days: dict[str, list[date]] = {}
    line_sums: dict[str, array[int]] = {}
    for item, why in zip(base.ordered, base.static, strict=True):
        if why is None or why[0] != "duplicate-voucher":
            first_day, last_day, not_in_period = window[item.line]
            if item.line in flat_lines:
                why = ("flat-rate", _FLAT_RATE)
            elif not first_day <= item.paid_on <= last_day:
                why = not_in_period
            elif why is None and net and item.net_amount is None:
                why = ("net-missing", _NET_MISSING)
        if why is None:
            counted.append(item)
            phase_id = line_phase[item.line]
            phase_days[phase_id].append(item.paid_on)
            running = phase_sums[phase_id]
            amount = _cents(eligible_amount(item, net=net))
            running.append(running[-1] + amount)
            line_days.setdefault(item.line, []).append(item.paid_on)
            by_line = line_sums.setdefault(item.line, array("q", [0]))
            by_line.append(by_line[-1] + amount)
            continue
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
    return _Checked(
        counted=counted,
        counted_days=[item.paid_on for item in counted],
        excluded=excluded,
        excluded_days=[item.paid_on for item in excluded],
        days=base.days,
        sums=base.sums,
        phase_days=phase_days,
        phase_sums=phase_sums,
        line_days=line_days,
        line_sums=line_sums,
    )
