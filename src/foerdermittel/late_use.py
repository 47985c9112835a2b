"""Interest on grant money not used in time (§ 49a Abs. 4 VwVfG, ANBest Nr. 8.5).

Money paid out must be used "alsbald": under the federal editions since 2014 within six weeks
of the payout, under the 2006 editions and the NRW variant within two months (the rulebook's
``use_window``). Money used later may bear interest at five points above the Basiszinssatz
for the time *from the payout* to its use (once the window is exceeded the interest runs from
the payout, not from the window's end).

Matching payouts to the expenditures they paid is not regulated (open question, grant-law
§9.5). This module matches **first in, first out**: each expenditure's grant-funded part —
pro rata for Anteil-, Festbetrags- and Vollfinanzierung, after own and third-party funds under
Fehlbedarfsfinanzierung — uses the oldest payout that still has money left. An expenditure paid
before the payout (pre-financed, the money called in arrears) uses it on the day of the payout.
Only vouchers that count ([`foerdermittel.vouchers`][foerdermittel.vouchers]) use money.
A credit note (negative amount) is netted against the next expenditures. Money still unused on
the key date is reported with the interest accrued so far.

Interest is computed only where expenditures are recorded (``Case.expenditures``), up to the
cut-off of the ledger.

**Reimbursement in arrears.** Where the programme pays for costs already paid
([`DrawdownRule.reimburses`][foerdermittel.rules.model.DrawdownRule.reimburses]; MPSC: "alle
sechs Monate Mittel für angefallene Kosten", BT-Drs. 20/13972 quoting the Förderrichtlinie),
the part of a payout that reimburses expenditure paid on or before its day is used when it
arrives ([`payout_cover`][foerdermittel.drawdowns.payout_cover], reported as ``reimbursed``):
no window, no interest. Only the rest — money paid ahead of its expenditure — must be used
within the window, and bears interest if it is not. The matching above gives exactly that: the
oldest money is used first, so a payout's reimbursed part is always used on its day.

**When the interest starts (MPSC).** KfW's page on the proof of use reserves "die Erhebung
eines Verzinsungsanspruches für die Dauer der ungerechtfertigten Inanspruchnahme der
Zuschussmittel, gerechnet vom Tag, der der Auszahlung folgt", at five points above the
Basiszinssatz (smart-cities-made-in.de, "Nachweis der Mittelverwendung"). That sentence is
about reclaimed money; no MPSC text on interest for money paid ahead was found, nor an own use
window. Assumed here: the window of the ANBest edition the decision names (ANBest-Gk 2019:
six weeks) applies to the part paid ahead, and its interest runs, once the window is exceeded,
from the day after the payout (as KfW counts, and § 187 Abs. 1 BGB) to the day of use.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import sub

from pydantic import BaseModel, ConfigDict

from foerdermittel.calendar import HolidayCalendar
from foerdermittel.deadline_arithmetic import ShiftPolicy, period_end, shift
from foerdermittel.drawdowns import payout_cover
from foerdermittel.drawdowns.entitlements import phase_entitlements_cents
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing
from foerdermittel.forecasting import cut_off_date
from foerdermittel.interest import InterestError, InterestResult, compute_interest, parse_day_count
from foerdermittel.message_types import Message, Subject, Worded, words
from foerdermittel.model.case import Case
from foerdermittel.money import ZERO
from foerdermittel.periods import Span
from foerdermittel.rules.model import Rulebook
from foerdermittel.vouchers import checked_vouchers

__all__ = ["LateUse", "LateUseInterest", "PayoutUse", "late_use_interest"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LateUse(_Frozen):
    """A part of a payout used after the window.

    Attributes:
        amount: the part used late.
        used_on: the day it was used (the expenditure's payment day).
        interest: the interest from the payout to that day, where it could be computed.
    """

    amount: Decimal
    used_on: date
    interest: InterestResult | None


class PayoutUse(_Frozen):
    """How one payout was used.

    Attributes:
        payout: the payout's id.
        phase: its phase.
        paid_on: its value date.
        amount: the amount paid out.
        window_end: the last day to use it "alsbald" (shifted past weekends and holidays).
        used_in_time: the part used by ``window_end``.
        late: the parts used later, each with its interest.
        unused: the part not used by the key date.
        unused_interest: interest accrued on the unused part up to the key date (still running),
            where the window has passed.
        problem: why an interest figure could not be computed (e.g. no Basiszinssatz yet); the
            figure is then missing (``LateUse.interest`` or ``unused_interest`` is ``None``),
            never zero, and an error finding ``interest-not-computed`` says so.
        reimbursed: under a rule that reimburses costs already paid, the part that reimburses
            expenditure paid on or before ``paid_on`` (used on arrival: no window, no
            interest); zero under the other rules, where the window applies to all of it.
    """

    payout: str
    phase: str
    paid_on: date
    amount: Decimal
    window_end: date
    used_in_time: Decimal
    late: tuple[LateUse, ...]
    unused: Decimal
    unused_interest: InterestResult | None
    problem: str | None = None
    reimbursed: Decimal = ZERO

    @property
    def advance(self) -> Decimal:
        """The part the window applies to: all of it, or what was paid ahead of expenditure."""
        return self.amount - self.reimbursed

    @property
    def interest(self) -> Decimal:
        """All interest on this payout (late uses and the unused part so far)."""
        total = sum((u.interest.interest for u in self.late if u.interest), ZERO)
        return total + (self.unused_interest.interest if self.unused_interest else ZERO)


class LateUseInterest(Worded):
    """Zinsen für nicht alsbald verwendete Mittel — the result for all payouts.

    Attributes:
        evaluated: whether expenditures were recorded so the use could be checked.
        matching: the matching method (``fifo``).
        use_window: the use window applied, as the rulebook states it (six weeks:
            ``Span(amount=6, unit="weeks")``). Its German words are the property ``window``
            ("6 Wochen"; a dump carries them under that name too).
        day_count: the day-count convention.
        payouts: per payout.
        total: all interest that could be computed.
        legal_reference: the rules.
        complete: every interest figure could be computed; when false, ``total`` lacks some
            (the payouts' ``problem`` say which and why) and renderers show "nicht
            berechenbar" instead of an amount.
    """

    evaluated: bool
    matching: str
    use_window: Span
    day_count: str
    payouts: tuple[PayoutUse, ...]
    total: Decimal
    legal_reference: str
    complete: bool = True

    @property
    def window(self) -> str:
        """The use window in German words ("6 Wochen"); use ``use_window``."""
        return str(self.use_window)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"window": words(self.use_window.message, lang)}


@dataclass
class _Open:
    """A payout with money left to use."""

    id: str
    paid_on: date
    window_end: date
    left: Decimal
    in_time: Decimal
    late: list[tuple[Decimal, date]]


def _match(
    queue: list[_Open],
    days: array[int],
    covered: array[int],
    shares: Callable[[Sequence[int]], list[int]],
) -> None:
    """Match the grant-funded part of each voucher to the oldest payout with money left (FIFO).

    ``days`` are the payment days of the phase's vouchers that count, in order, and
    ``covered[k]`` the eligible expenditure of the first ``k`` of them (cents); ``shares``
    gives the phase's entitlement for each of many expenditures covered. A credit note lowers
    what is funded: the next vouchers are matched only once it is made up. Each payout's
    ``in_time``, ``late`` and ``left`` are set. Once every payout is used up, the rest of the
    vouchers change nothing and are not looked at.
    """
    lefts = [_cents(p.left) for p in queue]
    in_time = [0] * len(queue)
    late: list[list[tuple[int, int]]] = [[] for _ in queue]
    paid = [p.paid_on.toordinal() for p in queue]
    ends = [p.window_end.toordinal() for p in queue]
    first = 0  # the first payout with money left
    carry = 0  # grant-funded parts not yet matched (credits make it negative)
    count = len(queue)
    funded_before = 0
    for start in range(0, len(days), _CHUNK):
        while first < count and lefts[first] <= 0:
            first += 1
        if first == count:
            break
        chunk = days[start : start + _CHUNK]
        funded_all = shares(covered[start + 1 : start + 1 + len(chunk)])
        grown = map(sub, funded_all, [funded_before, *funded_all[:-1]])
        funded_before = funded_all[-1]
        for day, more in zip(chunk, grown, strict=True):
            carry += more
            if carry <= 0:
                continue
            while first < count and lefts[first] <= 0:
                first += 1
            n = first
            while carry > 0 and n < count:
                available = lefts[n]
                if available > 0:
                    used = min(available, carry)
                    lefts[n] = available - used
                    carry -= used
                    used_on = max(day, paid[n])
                    if used_on <= ends[n]:
                        in_time[n] += used
                    else:
                        late[n].append((used, used_on))
                n += 1
    for n, payout in enumerate(queue):
        payout.left = _euros(lefts[n])
        payout.in_time = _euros(in_time[n])
        payout.late = [(_euros(used), date.fromordinal(on)) for used, on in late[n]]


_CHUNK = 4096  # vouchers whose entitlements are computed at once


def _cents(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _interest(
    amount: Decimal, start: date, end: date, case: Case, rulebook: Rulebook
) -> tuple[InterestResult | None, str | None]:
    settings = case.settings
    try:
        result = compute_interest(
            amount,
            start,
            end,
            day_count=parse_day_count(settings.day_count),
            points_above_base=rulebook.interest.points_above_base,
            assumed_base_rate=settings.assumed_base_rate,
            base_rate_table=settings.base_rate_table(),
        )
    except InterestError as exc:
        return None, str(exc)
    return result, None


def late_use_interest(
    case: Case,
    rulebook: Rulebook,
    financing: Financing,
    *,
    as_of: date,
    calendar: HolidayCalendar,
    refund_from: dict[str, date] | None = None,
) -> tuple[LateUseInterest, tuple[Finding, ...]]:
    """Match payouts to expenditures (FIFO) and compute the interest on late use.

    Interest on money still unused runs to the key date — or, for a phase whose final account
    asks for a refund, only to the day from which refund interest runs (``refund_from``), so
    that the same money does not bear interest twice (§ 49a Abs. 4, then Abs. 3 VwVfG).

    References:
        § 49a Abs. 4 VwVfG; ANBest-Gk / ANBest-P Nr. 8.5 (six weeks since 2014, two months in
        the 2006 editions); § 187 Abs. 1 BGB (the payout day is not counted); for
        reimbursement in arrears the MPSC-Förderrichtlinie as quoted in BT-Drs. 20/13972 and
        KfW's "Nachweis der Mittelverwendung" (interest from the day after the payout).
    """
    window = rulebook.use_window.window
    cut = cut_off_date(case, as_of)
    legal = f"§ 49a Abs. 4 VwVfG; {rulebook.use_window.source}"
    uses: list[PayoutUse] = []
    findings: list[Finding] = []
    if cut is None:
        empty = LateUseInterest(
            evaluated=False,
            matching="fifo",
            use_window=window,
            day_count=case.settings.day_count,
            payouts=(),
            total=ZERO,
            legal_reference=legal,
        )
        return empty, ()
    checked = checked_vouchers(case)
    end = cut.toordinal()
    reimbursed = (
        {c.payout: c.reimbursed for c in payout_cover(case, financing, until=cut)}
        if rulebook.effective_drawdown.reimburses
        else {}
    )
    for phase in case.grant.phases:
        shares = phase_entitlements_cents(case, financing.phase(phase.id))
        queue = [
            _Open(
                id=p.id,
                paid_on=p.paid_on,
                window_end=shift(period_end(p.paid_on, window), ShiftPolicy.FORWARD, calendar)[0],
                left=p.amount,
                in_time=ZERO,
                late=[],
            )
            for p in sorted(case.payouts, key=lambda p: (p.paid_on, p.id))
            if p.phase == phase.id and p.paid_on <= cut
        ]
        days, covered = checked.phase(phase.id)
        _match(queue, days[: bisect_right(days, end)], covered, shares)
        for payout in queue:
            late: list[LateUse] = []
            problem = None
            for amount, used_on in payout.late:
                result, error = _interest(amount, payout.paid_on, used_on, case, rulebook)
                problem = problem or error
                late.append(LateUse(amount=amount, used_on=used_on, interest=result))
            unused_interest = None
            until = min(as_of, (refund_from or {}).get(phase.id, as_of))
            overdue = payout.left > 0 and until > payout.window_end
            if overdue:
                unused_interest, error = _interest(
                    payout.left, payout.paid_on, until, case, rulebook
                )
                problem = problem or error
            use = PayoutUse(
                payout=payout.id,
                phase=phase.id,
                paid_on=payout.paid_on,
                amount=payout.in_time + sum((a for a, _ in payout.late), ZERO) + payout.left,
                window_end=payout.window_end,
                used_in_time=payout.in_time,
                late=tuple(late),
                unused=payout.left,
                unused_interest=unused_interest,
                problem=problem,
                reimbursed=reimbursed.get(payout.id, ZERO),
            )
            uses.append(use)
            findings.extend(_findings(use, legal, overdue=overdue))
    total = sum((u.interest for u in uses), ZERO)
    outcome = LateUseInterest(
        evaluated=True,
        matching="fifo",
        use_window=window,
        day_count=case.settings.day_count,
        payouts=tuple(uses),
        total=total,
        legal_reference=legal,
        complete=all(u.problem is None for u in uses),
    )
    return outcome, tuple(findings)


def _findings(use: PayoutUse, legal: str, *, overdue: bool) -> list[Finding]:
    out: list[Finding] = []
    about = Subject("payout", use.payout)
    late = sum((u.amount for u in use.late), ZERO)
    if late > 0:
        interest = sum((u.interest.interest for u in use.late if u.interest), ZERO)
        missing = any(u.interest is None for u in use.late)
        out.append(
            Finding.of(
                "late-use-interest",
                Severity.WARNING,
                about,
                legal,
                paid_on=use.paid_on,
                late=late,
                window_end=use.window_end,
                interest=_amount(None if missing else interest),
            )
        )
    if use.unused > 0 and overdue:
        out.append(
            Finding.of(
                "payout-unused",
                Severity.WARNING,
                about,
                legal,
                paid_on=use.paid_on,
                unused=use.unused,
                window_end=use.window_end,
                interest=_amount(
                    use.unused_interest.interest if use.unused_interest is not None else None
                ),
            )
        )
    if use.problem:
        out.append(
            Finding.of(
                "interest-not-computed",
                Severity.ERROR,
                about,
                legal,
                what=Message.of("late-use.interest-missing"),
                reason=use.problem,
            )
        )
    return out


def _amount(interest: Decimal | None) -> Message:
    """An interest figure, or that it cannot be computed (``None``)."""
    if interest is None:
        return Message.of("late-use.not-computable")
    return Message.of("late-use.amount", amount=interest)
