"""Drawdown plan (Mittelabrufplan): when and how much grant money may be called.

The forecast expenditure of each phase becomes a sequence of calls under the rulebook's
drawdown mode:

* ``in_arrears`` every N months (MPSC: six) — after each window, for the costs paid in it;
  the call is dated on the first working day after the window.
* ``in_advance`` within a horizon (ANBest 2006, NRW variant: two months) — at the start of each
  window, for the payments due in it.
* ``day_of_need`` pooled monthly or weekly (Abrufverfahren, ANBest since 2014) — on the first
  working day of each month, or of each week (the month's forecast spread evenly over its
  weeks), for the payments of that period.

Each call brings the phase's calls up to its *entitlement* for the expenditure the call covers
(ANBest-Gk Nr. 1.3 / ANBest-P Nr. 1.4):

* Anteil-, Festbetrags- and Vollfinanzierung: pro rata — ``Z × X / A`` rounded down to the
  cent, ``X`` the cumulative expenditure covered, ``Z`` the phase's grant, ``A`` its eligible
  expenditure (so own funds and third-party money are used alongside, never after);
* Fehlbedarfsfinanzierung: only once the planned own and third-party funds are used up —
  ``X − E − D``.

The entitlement never exceeds the phase's grant; budget-year instalments (Jahresraten) limit
what may be called per year (what is left either carries over or lapses, a setting). Recorded
payouts replace the planned calls up to the key date. Where the programme pays the last
instalment only with the proof of use (MPSC phase B), the last call is dated on the proof's
submission (or its deadline) and marked as withheld.

**Covered periods.** The expenditure periods the calls of a phase are for tile the phase: each
call, recorded or planned, covers from the day after its predecessor's period to the end of
its own, and the phase's last call closes the phase. A recorded payout is matched to the
period it was paid for — in arrears (MPSC) the last complete interval before its day, so a
payout on 20.01.2023 reimburses 01.07.2022–31.12.2022; in advance the horizon from its day;
on the day of need its month (or week). A call for which no new expenditure is left (a second
payout in one half-year, an instalment carried over) takes the days since its predecessor's
period, at least one. [`call_tiling`][foerdermittel.drawdowns.call_tiling] checks the result.

**Reimbursement.** Where the rule reimburses costs already paid
([`DrawdownRule.reimburses`][foerdermittel.rules.model.DrawdownRule.reimburses]), what a
recorded payout may reimburse is the grant's share of the expenditure paid on or before its
day — the vouchers by their day, forecast months only once they have ended, never a day-by-day
spread of a month ([`payout_cover`][foerdermittel.drawdowns.payout_cover]). Without recorded
vouchers nothing says what was paid by which day; the payout is then compared with the
forecast as under the other rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from foerdermittel import fmt
from foerdermittel._arguments import check_enum, check_money
from foerdermittel.calendar import HolidayCalendar
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing, PhaseFinancing
from foerdermittel.forecast import Forecast, month_end, months_of
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType, Phase
from foerdermittel.money import ZERO, floor_cents
from foerdermittel.periods import Period
from foerdermittel.rules.model import DrawdownMode, DrawdownRule, Rulebook
from foerdermittel.views import Viewable
from foerdermittel.vouchers import check_vouchers, eligible_amount

__all__ = [
    "Call",
    "CallTiling",
    "DrawdownPlan",
    "FlowMonth",
    "PayoutCover",
    "PhaseDrawdowns",
    "call_tiling",
    "entitlement",
    "monthly_flows",
    "payout_cover",
    "phase_entitlement",
    "plan_drawdowns",
    "plan_tiling",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Call(_Frozen):
    """Mittelabruf — one call of grant money, planned or recorded.

    Attributes:
        phase: the phase.
        on: the day of the call (recorded: the value date of the payout).
        amount: the amount.
        covers_from: the first day of the expenditure period the call is for (the day after
            the previous call's period; the phase's start for its first call).
        covers_to: the last day of that period (the phase's end for its last call).
        kind: ``recorded`` (a payout in the case) or ``planned``.
        cumulative: the phase's calls up to and including this one.
        entitlement: what the phase may have called by then (pro rata of the expenditure covered).
        withheld: the final instalment, paid only with the proof of use.
        note: remarks (instalment limits, the final instalment).
    """

    phase: str
    on: date
    amount: Decimal
    covers_from: date
    covers_to: date
    kind: Literal["recorded", "planned"]
    cumulative: Decimal
    entitlement: Decimal
    withheld: bool = False
    note: str | None = None


class PhaseDrawdowns(_Frozen):
    """The calls of one phase.

    Attributes:
        phase: the phase.
        grant: the phase's grant.
        calls: the calls in date order.
        called: sum of the calls.
        not_called: grant left uncalled (expenditure short of the plan, lapsed instalments).
    """

    phase: str
    grant: Decimal
    calls: tuple[Call, ...]
    called: Decimal
    not_called: Decimal


class DrawdownPlan(_Frozen, Viewable):
    """Mittelabrufplan — every call of the grant.

    Attributes:
        rule: the drawdown rule applied, with its source.
        phases: the calls per phase.
        calls: all calls in date order.
        total: sum of all calls.
    """

    rule: DrawdownRule
    phases: tuple[PhaseDrawdowns, ...]
    calls: tuple[Call, ...]
    total: Decimal


def entitlement(
    financing_type: FinancingType,
    *,
    grant: Decimal,
    eligible: Decimal,
    covered: Decimal,
    own_and_cover: Decimal,
) -> Decimal:
    """How much of a phase's grant may have been called for ``covered`` expenditure.

    References:
        ANBest-Gk Nr. 1.3.1 / ANBest-P Nr. 1.4.1 (pro rata), Nr. 1.3.2 / 1.4.2 (Fehlbedarf:
        own and other funds first).

    Examples:
        >>> entitlement(FinancingType.ANTEIL, grant=Decimal("715000.00"),
        ...             eligible=Decimal("1100000.00"), covered=Decimal("100000.00"),
        ...             own_and_cover=Decimal("0.00"))
        Decimal('65000.00')

    Raises:
        ArgumentError: (a ``ValueError``) for an amount with more than two places, NaN or an
            infinity; ``ArgumentTypeError`` (also a ``TypeError``) for floats, ``None`` or an
            unknown financing type.
    """
    name = "entitlement"
    return _entitlement(
        check_enum(name, "financing_type", financing_type, FinancingType),
        grant=check_money(name, "grant", grant),
        eligible=check_money(name, "eligible", eligible),
        covered=check_money(name, "covered", covered),
        own_and_cover=check_money(name, "own_and_cover", own_and_cover),
    )


def _entitlement(
    financing_type: FinancingType,
    *,
    grant: Decimal,
    eligible: Decimal,
    covered: Decimal,
    own_and_cover: Decimal,
) -> Decimal:
    """[`entitlement`][foerdermittel.drawdowns.entitlement] without the argument checks."""
    if covered <= 0 or grant <= 0:
        return ZERO
    if financing_type is FinancingType.FEHLBEDARF:
        return min(grant, max(ZERO, covered - own_and_cover))
    if eligible <= 0:
        return ZERO
    return min(grant, floor_cents(grant * covered / eligible))


def phase_entitlement(case: Case, pf: PhaseFinancing) -> Callable[[Decimal], Decimal]:
    """The entitlement of one phase as a function of the expenditure covered.

    See [`entitlement`][foerdermittel.drawdowns.entitlement].
    """
    own_and_cover = pf.own_funds_planned + pf.third_party + pf.other_public

    def of(covered: Decimal) -> Decimal:
        return _entitlement(
            case.grant.financing_type,
            grant=pf.grant,
            eligible=pf.eligible_expenditure,
            covered=covered,
            own_and_cover=own_and_cover,
        )

    return of


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
    last = until if until is not None else payouts[-1].paid_on
    counted = check_vouchers(case, last)[0]
    net = case.settings.input_tax_deduction
    line_phase = {line.id: line.phase for line in case.plan.lines}
    out: list[PayoutCover] = []
    for phase in case.grant.phases:
        share = phase_entitlement(case, financing.phase(phase.id))
        spent = sorted(
            (e.paid_on, eligible_amount(e, net=net))
            for e in counted
            if line_phase.get(e.line) == phase.id
        )
        index, paid, called = 0, ZERO, ZERO
        for payout in (p for p in payouts if p.phase == phase.id):
            while index < len(spent) and spent[index][0] <= payout.paid_on:
                paid += spent[index][1]
                index += 1
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


class CallTiling(_Frozen):
    """Whether the covered periods of a phase's calls tile the phase.

    Attributes:
        phase: the phase.
        start: the phase's first day.
        end: the phase's last day.
        gaps: days of the phase no call covers.
        overlaps: days two or more calls cover.
        outside: days a call covers outside the phase.
    """

    phase: str
    start: date
    end: date
    gaps: tuple[Period, ...]
    overlaps: tuple[Period, ...]
    outside: tuple[Period, ...] = ()

    @property
    def tiles(self) -> bool:
        """No gap, no overlap, nothing outside the phase."""
        return not (self.gaps or self.overlaps or self.outside)


def call_tiling(phase: str, start: date, end: date, calls: Sequence[Call]) -> CallTiling:
    """Check that the periods ``covers_from``..``covers_to`` of ``calls`` tile ``start``..``end``.

    Every day of the phase must be covered by exactly one call (ANBest-Gk Nr. 1.3 /
    ANBest-P Nr. 1.4: money is called for the expenditure of a period, each expenditure
    once). A phase without calls has nothing to check.

    Examples:
        >>> from foerdermittel import load_case, evaluate
        >>> r = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> [t.tiles for t in plan_tiling(r.drawdowns, r.grant.phases)]
        [True, True]
    """
    gaps: list[Period] = []
    overlaps: list[Period] = []
    outside: list[Period] = []
    one = timedelta(days=1)
    if not calls:
        return CallTiling(phase=phase, start=start, end=end, gaps=(), overlaps=())
    cursor = start
    for call in sorted(calls, key=lambda c: (c.covers_from, c.covers_to)):
        first, last = call.covers_from, call.covers_to
        if first < start:
            outside.append(Period(start=first, end=min(last, start - one)))
        if last > end:
            outside.append(Period(start=max(first, end + one), end=last))
        first, last = max(first, start), min(last, end)
        if first > last:
            continue
        if first > cursor:
            gaps.append(Period(start=cursor, end=first - one))
        elif first < cursor:
            overlaps.append(Period(start=first, end=min(last, cursor - one)))
        cursor = max(cursor, last + one)
    if cursor <= end:
        gaps.append(Period(start=cursor, end=end))
    return CallTiling(
        phase=phase,
        start=start,
        end=end,
        gaps=tuple(gaps),
        overlaps=tuple(overlaps),
        outside=tuple(outside),
    )


def plan_tiling(plan: DrawdownPlan, phases: Sequence[Phase]) -> tuple[CallTiling, ...]:
    """[`call_tiling`][foerdermittel.drawdowns.call_tiling] for every phase of a plan.

    ``phases`` are the grant's phases as the plan was made for them (the amended grant).
    """
    by_id = {p.id: p for p in phases}
    return tuple(
        call_tiling(p.phase, by_id[p.phase].start, by_id[p.phase].end, p.calls)
        for p in plan.phases
        if p.phase in by_id
    )


def _windows(
    rule: DrawdownRule, phase: Phase, last: date, calendar: HolidayCalendar
) -> list[tuple[date, date, date]]:
    """(call day, covers from, covers to) for each call of the phase, in order."""
    windows: list[tuple[date, date, date]] = []
    if rule.mode is DrawdownMode.IN_ARREARS:
        step = rule.interval_months or 6
        start = date(phase.start.year, 1, 1)
        while start <= last:
            end = start + relativedelta(months=step) - timedelta(days=1)
            if end >= phase.start:
                windows.append((calendar.next_working_day(end + timedelta(days=1)), start, end))
            start = start + relativedelta(months=step)
        return windows
    if rule.mode is DrawdownMode.IN_ADVANCE:
        horizon = rule.horizon.delta if rule.horizon else relativedelta(months=2)
        index = 0
        while (start := phase.start + horizon * index) <= last:
            end = phase.start + horizon * (index + 1) - timedelta(days=1)
            windows.append((calendar.next_working_day(start), start, end))
            index += 1
        return windows
    for month in months_of(phase.start, last):
        end = min(month_end(month), last)
        month = max(month, phase.start)
        if rule.pooling == "weekly":
            day = month
            while day <= end:
                week_end = min(end, day + timedelta(days=6 - day.weekday()))
                windows.append((calendar.next_working_day(day), day, week_end))
                day = week_end + timedelta(days=1)
        else:
            windows.append((calendar.next_working_day(month), month, end))
    return windows


def _covered(spending: dict[date, Decimal], start: date, end: date) -> Callable[[date], Decimal]:
    """Cumulative forecast expenditure up to a day.

    A month's amount is spread evenly over its days within ``start``..``end`` (the phase), so a
    phase that begins or ends mid-month spends that month's money on its own days.
    """
    spans = []
    for month, amount in sorted(spending.items()):
        first = max(month, start) if month <= start <= month_end(month) else month
        last = min(month_end(month), end) if month <= end <= month_end(month) else month_end(month)
        spans.append((first, last, amount))

    def upto(day: date) -> Decimal:
        total = ZERO
        for first, last, amount in spans:
            if last <= day:
                total += amount
            elif first <= day:
                days = (last - first).days + 1
                total += floor_cents(amount * ((day - first).days + 1) / days)
        return total

    return upto


def plan_drawdowns(
    case: Case,
    rulebook: Rulebook,
    financing: Financing,
    spending: Forecast,
    *,
    as_of: date,
    calendar: HolidayCalendar,
    proof_dates: dict[str, date] | None = None,
    final_grants: dict[str, Decimal] | None = None,
) -> tuple[DrawdownPlan, tuple[Finding, ...]]:
    """Plan the calls of every phase of the (amended) case.

    Args:
        case: the amended case.
        rulebook: the rulebook in force (its effective drawdown rule applies).
        financing: the case's financing (phase grants).
        spending: the spending forecast.
        as_of: the key date; recorded payouts up to it replace the plan.
        calendar: working days for call dates.
        proof_dates: per phase, the day the proof of use is (or is due to be) submitted, for
            a final instalment the programme withholds until then.
        final_grants: per phase whose final account is settled (the phase has ended and its
            vouchers are booked), the final grant (ANBest Nr. 2): the calls of the phase add
            up to it, whatever the pro-rata share of the forecast would give (the line
            tolerance of Nr. 1.2 and the threshold of Nr. 2.2 apply there, not here).

    Returns:
        The plan and its findings (payouts above entitlement, grant left uncalled, lapsed or
            carried-over instalments).
    """
    rule = rulebook.effective_drawdown
    programme = rulebook.programme
    findings: list[Finding] = []
    phases: list[PhaseDrawdowns] = []
    recorded_cut = as_of if case.payouts else None
    vouchers = check_vouchers(case, spending.cut_off)[0] if spending.cut_off is not None else []
    line_phase = {line.id: line.phase for line in case.plan.lines}
    net = case.settings.input_tax_deduction
    for phase in case.grant.phases:
        limit = programme.phases.get(phase.programme_kind) if programme else None
        withhold = limit is not None and limit.final_instalment_after_proof
        paid = [
            (e.paid_on, eligible_amount(e, net=net))
            for e in vouchers
            if line_phase.get(e.line) == phase.id
        ]
        planned, found = _plan_phase(
            case,
            phase,
            financing,
            spending,
            rule=rule,
            calendar=calendar,
            recorded_cut=recorded_cut,
            final_on=(proof_dates or {}).get(phase.id) if withhold else None,
            withhold=withhold,
            final_grant=(final_grants or {}).get(phase.id),
            paid_by=(
                _paid_by(spending.phase_months(phase.id), paid, spending.cut_off)
                if spending.cut_off is not None
                else None
            ),
        )
        phases.append(planned)
        findings.extend(found)
    every = tuple(sorted((c for p in phases for c in p.calls), key=lambda c: (c.on, c.phase)))
    plan = DrawdownPlan(
        rule=rule,
        phases=tuple(phases),
        calls=every,
        total=sum((c.amount for c in every), ZERO),
    )
    return plan, tuple(findings)


def _plan_phase(
    case: Case,
    phase: Phase,
    financing: Financing,
    spending: Forecast,
    *,
    rule: DrawdownRule,
    calendar: HolidayCalendar,
    recorded_cut: date | None,
    final_on: date | None,
    withhold: bool,
    paid_by: Callable[[date], Decimal] | None,
    final_grant: Decimal | None = None,
) -> tuple[PhaseDrawdowns, list[Finding]]:
    """The calls of one phase: recorded payouts first, then the planned calls."""
    findings: list[Finding] = []
    pf = financing.phase(phase.id)
    months = spending.phase_months(phase.id)
    last = max([phase.end, *months]) if months else phase.end
    upto = _covered(months, phase.start, last)
    share = phase_entitlement(case, pf)

    def entitled(day: date) -> Decimal:
        owed = share(upto(day))
        if final_grant is None:
            return owed
        # a settled phase: at its end the calls reach the final grant, never more before
        return final_grant if day >= last else min(owed, final_grant)

    calls: list[Call] = []
    cumulative = ZERO
    budget = _YearBudget(phase, case.settings.annual_unused)
    recorded = sorted((p for p in case.payouts if p.phase == phase.id), key=lambda p: p.paid_on)
    next_from = phase.start
    for payout in recorded:
        if recorded_cut is None or payout.paid_on > recorded_cut:
            continue
        cumulative += payout.amount
        budget.spend(payout.paid_on.year, payout.amount)
        if rule.reimburses and paid_by is not None:
            allowed = share(paid_by(payout.paid_on))
        else:
            allowed = entitled(_coverage_end(rule, payout.paid_on))
        paid_for = _paid_for(rule, phase, payout.paid_on)
        if paid_for < next_from:  # a second payout for a period already covered
            paid_for = payout.paid_on - timedelta(days=1)
        next_from = max(next_from, paid_for + timedelta(days=1))
        calls.append(
            Call(
                phase=phase.id,
                on=payout.paid_on,
                amount=payout.amount,
                covers_from=phase.start,
                covers_to=paid_for,
                kind="recorded",
                cumulative=cumulative,
                entitlement=allowed,
                note=f"Auszahlung {payout.id}",
            )
        )
        if cumulative > allowed:
            findings.append(
                Finding(
                    code="payout-above-entitlement",
                    severity=Severity.WARNING,
                    message=(
                        f"Auszahlung {payout.id} vom {payout.paid_on:%d.%m.%Y}: abgerufen "
                        f"insgesamt {fmt.money(cumulative)}, "
                        + (
                            "für die bis dahin bezahlten Ausgaben"
                            if rule.reimburses and paid_by is not None
                            else "nach der Ausgabenprognose"
                        )
                        + f" anteilig zustehend {fmt.money(allowed)} — zu früh oder zu viel "
                        "abgerufen?"
                    ),
                    legal_reference=rule.source,
                    subject=f"Phase {phase.id}",
                )
            )
    windows = _windows(rule, phase, last, calendar)
    if budget.limited:
        # an instalment that ran out holds money back to the next budget year
        for year in range(last.year + 1, budget.last_year + 2):
            day = calendar.next_working_day(date(year, 1, 1))
            windows.append((day, phase.start, last))
    passed = [end for on, _, end in windows if recorded_cut is not None and on <= recorded_cut]
    catch_up: Call | None = None
    if passed and recorded_cut is not None:
        # windows whose call day is behind the key date: what they left uncalled is due next
        due = entitled(max(passed)) - cumulative
        on = calendar.next_working_day(recorded_cut + timedelta(days=1))
        amount, note = budget.take(on.year, due) if due > 0 else (ZERO, None)
        if amount > 0:
            cumulative += amount
            catch_up = Call(
                phase=phase.id,
                on=on,
                amount=amount,
                covers_from=phase.start,
                # periods a payout already covered: the days since, up to the call
                covers_to=max(passed) if max(passed) >= next_from else on - timedelta(days=1),
                kind="planned",
                cumulative=cumulative,
                entitlement=entitled(max(passed)),
                note=note or "bisher nicht abgerufen: nächster möglicher Abruf",
            )
            calls.append(catch_up)
    for on, start, end in windows:
        if recorded_cut is not None and on <= recorded_cut:
            continue
        allowed = entitled(end)
        want = allowed - cumulative
        if want <= 0:
            continue
        amount, note = budget.take(on.year, want)
        if amount <= 0:
            continue
        cumulative += amount
        calls.append(
            Call(
                phase=phase.id,
                on=on,
                amount=amount,
                covers_from=start,
                covers_to=end,
                kind="planned",
                cumulative=cumulative,
                entitlement=allowed,
                note=note,
            )
        )
    calls = _tile(_merge_same_day(calls, catch_up), phase.start, phase.end)
    if withhold and calls and calls[-1].kind == "planned":
        final = calls[-1]
        calls[-1] = final.model_copy(
            update={
                "on": max(final_on or final.on, final.on),
                "withheld": True,
                "note": "Schlussrate: Auszahlung erst mit dem Verwendungsnachweis",
            }
        )
    findings.extend(budget.findings(phase))
    not_called = pf.grant - cumulative
    if not_called > 0:
        findings.append(
            Finding(
                code="grant-not-fully-called",
                severity=Severity.WARNING,
                message=(
                    f"Nach der Ausgabenprognose bleiben {fmt.money(not_called)} der Zuwendung "
                    "unabgerufen (Ausgaben unter Plan oder Jahresraten verfallen)"
                ),
                legal_reference=rule.source,
                subject=f"Phase {phase.id}",
            )
        )
    drawdowns = PhaseDrawdowns(
        phase=phase.id,
        grant=pf.grant,
        calls=tuple(calls),
        called=cumulative,
        not_called=not_called,
    )
    return drawdowns, findings


def _paid_by(
    months: dict[date, Decimal], vouchers: list[tuple[date, Decimal]], cut: date | None
) -> Callable[[date], Decimal]:
    """Expenditure paid on or before a day: vouchers by their day, later months once ended.

    Up to the ledger's cut-off the vouchers count by their payment day; after it a forecast
    month counts only when it has ended before the day (no day-by-day spread).
    """
    ahead = [(month_end(m), a) for m, a in months.items() if cut is None or m > cut]

    def upto(day: date) -> Decimal:
        total = sum((a for d, a in vouchers if d <= day), ZERO)
        return total + sum((a for end, a in ahead if end < day), ZERO)

    return upto


def _paid_for(rule: DrawdownRule, phase: Phase, day: date) -> date:
    """The last day of the period a payout on ``day`` was paid for.

    In arrears: the end of the last complete interval before the day (intervals counted from
    1 January of the phase's first year, as the plan's windows). In advance and on the day of
    need: the end of the horizon, month or week the call is for.
    """
    if rule.mode is not DrawdownMode.IN_ARREARS:
        return _coverage_end(rule, day)
    step = relativedelta(months=rule.interval_months or 6)
    start = date(phase.start.year, 1, 1)
    end = day - timedelta(days=1)
    index = 1
    while (boundary := start + step * index - timedelta(days=1)) < day:
        end = boundary
        index += 1
    return end


def _merge_same_day(calls: list[Call], catch_up: Call | None) -> list[Call]:
    """What is still due from past periods joins the planned call on the same day."""
    merged: list[Call] = []
    for call in calls:
        before = merged[-1] if merged else None
        if (
            before is not None
            and before is catch_up
            and call.kind == "planned"
            and before.on == call.on
        ):
            joined = f"einschließlich {fmt.money(before.amount)} bisher nicht abgerufen"
            notes = [joined, *(n for n in (call.note,) if n)]
            merged[-1] = call.model_copy(
                update={
                    "amount": before.amount + call.amount,
                    "covers_from": before.covers_from,
                    "note": "; ".join(notes),
                }
            )
        else:
            merged.append(call)
    return merged


def _tile(calls: list[Call], start: date, end: date) -> list[Call]:
    """Make the calls' periods tile ``start``..``end`` in call order.

    Each call ends where its own period ends (within the phase, after its predecessor's end);
    the last call closes the phase. Where calls crowd the phase's end, each earlier call gives
    up the days a later one needs.
    """
    if not calls:
        return calls
    one = timedelta(days=1)
    ends = [min(max(c.covers_to, start), end) for c in calls]
    for i in range(1, len(ends)):
        ends[i] = max(ends[i], ends[i - 1] + one)
    ends[-1] = end
    for i in range(len(ends) - 2, -1, -1):
        ends[i] = min(ends[i], ends[i + 1] - one)
    froms = [start, *(e + one for e in ends[:-1])]
    return [
        c.model_copy(update={"covers_from": f, "covers_to": e})
        for c, f, e in zip(calls, froms, ends, strict=True)
    ]


def _coverage_end(rule: DrawdownRule, day: date) -> date:
    """The last day of expenditure a call on ``day`` may cover under the rule."""
    if rule.mode is DrawdownMode.IN_ADVANCE and rule.horizon is not None:
        return day + rule.horizon.delta - timedelta(days=1)
    if rule.mode is DrawdownMode.DAY_OF_NEED:
        return month_end(day) if rule.pooling != "weekly" else day + timedelta(days=6)
    return day


class _YearBudget:
    """Jahresraten: what may still be called per budget year."""

    def __init__(self, phase: Phase, unused: Literal["carry_over", "lapse"]) -> None:
        self.annual = dict(phase.annual_grant or {})
        self.limited = bool(self.annual)
        self.unused = unused
        self.called: dict[int, Decimal] = {}
        self.last_year = max(self.annual, default=phase.end.year)

    def available(self, year: int) -> Decimal:
        if not self.limited:
            return Decimal("Infinity")
        if self.unused == "lapse":
            return self.annual.get(year, ZERO) - self.called.get(year, ZERO)
        total = sum((a for y, a in self.annual.items() if y <= year), ZERO)
        return total - sum((c for y, c in self.called.items() if y <= year), ZERO)

    def spend(self, year: int, amount: Decimal) -> None:
        self.called[year] = self.called.get(year, ZERO) + amount

    def take(self, year: int, want: Decimal) -> tuple[Decimal, str | None]:
        room = self.available(year)
        amount = min(want, max(room, ZERO))
        self.spend(year, amount)
        note = None
        if amount < want:
            note = f"begrenzt durch die Jahresrate {year}"
        return amount, note

    def findings(self, phase: Phase) -> list[Finding]:
        out: list[Finding] = []
        if not self.limited:
            return out
        for year, amount in sorted(self.annual.items()):
            called = self.called.get(year, ZERO)
            if called >= amount:
                continue
            lapsed = self.unused == "lapse"
            out.append(
                Finding(
                    code="annual-instalment-lapsed" if lapsed else "annual-instalment-carried",
                    severity=Severity.WARNING if lapsed else Severity.INFO,
                    message=(
                        f"Jahresrate {year}: {fmt.money(amount - called)} von "
                        f"{fmt.money(amount)} "
                        + (
                            "nicht abgerufen und verfallen"
                            if lapsed
                            else "nicht abgerufen und ins Folgejahr übertragen (Zustimmung des "
                            "Zuwendungsgebers prüfen)"
                        )
                    ),
                    legal_reference="Zuwendungsbescheid (Jahresraten); § 45 BHO",
                    subject=f"Phase {phase.id}",
                )
            )
        return out


class FlowMonth(_Frozen):
    """One month of expenditure and calls, with running totals (for charts and the workbook).

    Attributes:
        month: the first day of the month.
        actual: whether the month's expenditure is recorded (else it is forecast).
        planned: planned expenditure in the month.
        expected: actual/forecast expenditure in the month.
        called: calls in the month.
        planned_total: planned expenditure, cumulated.
        expected_total: actual/forecast expenditure, cumulated.
        called_total: calls, cumulated.
    """

    month: date
    actual: bool
    planned: Decimal
    expected: Decimal
    called: Decimal
    planned_total: Decimal
    expected_total: Decimal
    called_total: Decimal


def monthly_flows(spending: Forecast, plan: DrawdownPlan) -> tuple[FlowMonth, ...]:
    """Planned and expected expenditure and calls per month, every month from first to last.

    Examples:
        >>> from foerdermittel import evaluate, load_case
        >>> r = evaluate(load_case("examples/bochum-mpsc.toml"), date(2021, 6, 1))
        >>> flows = monthly_flows(r.forecast, r.drawdowns)
        >>> flows[-1].planned_total, flows[-1].called_total
        (Decimal('15200000.00'), Decimal('9880000.00'))
    """
    planned: dict[date, Decimal] = {}
    expected: dict[date, Decimal] = {}
    recorded: set[date] = set()
    for line in spending.lines:
        for item in line.months:
            planned[item.month] = planned.get(item.month, ZERO) + item.planned
            expected[item.month] = expected.get(item.month, ZERO) + item.forecast
            if item.actual is not None:
                recorded.add(item.month)
    called: dict[date, Decimal] = {}
    for call in plan.calls:
        month = call.on.replace(day=1)
        called[month] = called.get(month, ZERO) + call.amount
    known = set(planned) | set(expected) | set(called)
    if not known:
        return ()
    rows: list[FlowMonth] = []
    plan_sum = expected_sum = called_sum = ZERO
    for month in months_of(min(known), max(known)):
        plan_sum += planned.get(month, ZERO)
        expected_sum += expected.get(month, ZERO)
        called_sum += called.get(month, ZERO)
        rows.append(
            FlowMonth(
                month=month,
                actual=month in recorded,
                planned=planned.get(month, ZERO),
                expected=expected.get(month, ZERO),
                called=called.get(month, ZERO),
                planned_total=plan_sum,
                expected_total=expected_sum,
                called_total=called_sum,
            )
        )
    return tuple(rows)
