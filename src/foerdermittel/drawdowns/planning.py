"""Mittelabrufplan — the calls of every phase: recorded payouts first, then the planned calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from foerdermittel.calendar import HolidayCalendar
from foerdermittel.drawdowns.entitlements import _covered, _paid_by, phase_entitlement
from foerdermittel.drawdowns.instalments import _YearBudget
from foerdermittel.drawdowns.minimum import _Pool, _pooled_within
from foerdermittel.drawdowns.results import Call, DrawdownPlan, PhaseDrawdowns
from foerdermittel.drawdowns.tiling import _tile
from foerdermittel.drawdowns.windows import _coverage_end, _paid_for, _windows
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing
from foerdermittel.forecasting import Forecast
from foerdermittel.frozen import built
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.model.case import Case
from foerdermittel.model.grant import Phase
from foerdermittel.money import ZERO
from foerdermittel.rules.model import DrawdownRule, LimitsRule, Rulebook

__all__ = ["plan_drawdowns"]


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

    A minimum per call (``limits.min_payout`` of the limits in force) pools a planned call
    below it with the next call of the phase; only the phase's last call may stay below it.

    Args:
        case: the amended case.
        rulebook: the rulebook in force (its effective drawdown rule and limits apply).
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
            carried-over instalments, a payout or a phase's last call below the minimum per
            call).
    """
    rule = rulebook.effective_drawdown
    programme = rulebook.programme
    findings: list[Finding] = []
    phases: list[PhaseDrawdowns] = []
    recorded_cut = as_of if case.payouts else None
    for phase in case.grant.phases:
        limit = programme.phases.get(phase.programme_kind) if programme else None
        withhold = limit is not None and limit.final_instalment_after_proof
        planned, found = _plan_phase(
            case,
            phase,
            financing,
            spending,
            rule=rule,
            limits=rulebook.effective_limits,
            calendar=calendar,
            recorded_cut=recorded_cut,
            final_on=(proof_dates or {}).get(phase.id) if withhold else None,
            withhold=withhold,
            final_grant=(final_grants or {}).get(phase.id),
            paid_by=(
                _paid_by(case, phase.id, spending.phase_months(phase.id), spending.cut_off)
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
    limits: LimitsRule,
    calendar: HolidayCalendar,
    recorded_cut: date | None,
    final_on: date | None,
    withhold: bool,
    paid_by: Callable[[date], Decimal] | None,
    final_grant: Decimal | None = None,
) -> tuple[PhaseDrawdowns, list[Finding]]:
    """The calls of one phase: recorded payouts first, then the planned calls."""
    findings: list[Finding] = []
    about = Subject("phase", phase.id)
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
    pool = _Pool(limits, pf.grant)
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
            _call(
                phase=phase.id,
                on=payout.paid_on,
                amount=payout.amount,
                covers_from=phase.start,
                covers_to=paid_for,
                kind="recorded",
                cumulative=cumulative,
                entitlement=allowed,
                remark=Message.of("drawdown.remark.payout", payout=Subject("payout", payout.id)),
            )
        )
        below = pool.payout_finding(payout, about)
        if below is not None:
            findings.append(below)
        if cumulative > allowed:
            basis = "paid" if rule.reimburses and paid_by is not None else "forecast"
            findings.append(
                Finding.of(
                    "payout-above-entitlement",
                    Severity.WARNING,
                    about,
                    rule.source,
                    payout=Subject("payout", payout.id),
                    paid_on=payout.paid_on,
                    called=cumulative,
                    basis=Message.of(f"drawdown.basis.{basis}"),
                    entitled=allowed,
                )
            )
    windows = _windows(rule, phase, last, calendar)
    if budget.limited:
        # an instalment that ran out holds money back to the next budget year
        for year in range(last.year + 1, budget.last_year + 2):
            day = calendar.next_working_day(date(year, 1, 1))
            windows.append((day, phase.start, last))
    passed = [end for on, _, end in windows if recorded_cut is not None and on <= recorded_cut]
    ahead = [w for w in windows if recorded_cut is None or w[0] > recorded_cut]
    catch_up: Call | None = None
    if passed and recorded_cut is not None:
        # windows whose call day is behind the key date: what they left uncalled is due next
        due = entitled(max(passed)) - cumulative
        on = calendar.next_working_day(recorded_cut + timedelta(days=1))
        room = budget.room(on.year, due) if due > 0 else ZERO
        if room > 0:
            behind = _call(
                phase=phase.id,
                on=on,
                amount=room,
                covers_from=phase.start,
                # periods a payout already covered: the days since, up to the call
                covers_to=max(passed) if max(passed) >= next_from else on - timedelta(days=1),
                kind="planned",
                cumulative=cumulative + room,
                entitlement=entitled(max(passed)),
                remark=Message.of("drawdown.remark.catch-up"),
            )
            if pool.holds(room, last=not ahead, joins=False):
                pool.hold(behind)
            else:
                amount, remark = budget.take(on.year, due)
                cumulative += amount
                catch_up = (
                    behind if not remark.key else behind.model_copy(update={"remark": remark})
                )
                calls.append(catch_up)
    for index, (on, start, end) in enumerate(ahead):
        allowed = entitled(end)
        want = allowed - cumulative
        if want <= 0:
            continue
        room = budget.room(on.year, want)
        if room <= 0:
            continue
        joins = catch_up is not None and calls[-1] is catch_up and catch_up.on == on
        if pool.holds(room, last=index == len(ahead) - 1, joins=joins):
            # below the minimum per call: the need waits for the next call
            own = room - pool.carried
            pool.hold(
                _call(
                    phase=phase.id,
                    on=on,
                    amount=own,
                    covers_from=start,
                    covers_to=end,
                    kind="planned",
                    cumulative=cumulative + room,
                    entitlement=allowed,
                )
            )
            continue
        amount, remark = budget.take(on.year, want)
        cumulative += amount
        calls.append(
            pool.release(
                _call(
                    phase=phase.id,
                    on=on,
                    amount=amount,
                    covers_from=start,
                    covers_to=end,
                    kind="planned",
                    cumulative=cumulative,
                    entitlement=allowed,
                    remark=remark,
                )
            )
        )
    calls = _pooled_within(_tile(_merge_same_day(calls, catch_up), phase.start, phase.end))
    if withhold and calls and calls[-1].kind == "planned":
        final = calls[-1]
        calls[-1] = final.model_copy(
            update={
                "on": max(final_on or final.on, final.on),
                "withheld": True,
                "remark": Message.of("drawdown.remark.final-instalment")
                if not final.pooled
                else Message.of("drawdown.remark.final-pooled", pooled=final.remark),
            }
        )
    findings.extend(budget.findings(phase))
    final_below = pool.final_finding(calls, about)
    if final_below is not None:
        findings.append(final_below)
    not_called = pf.grant - cumulative
    if not_called > 0:
        findings.append(
            Finding.of(
                "grant-not-fully-called", Severity.WARNING, about, rule.source, amount=not_called
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


_CALL_FIELDS = tuple(Call.model_fields)
_CALL_DEFAULTS: dict[str, Any] = {"withheld": False, "remark": NOTHING, "pooled": ()}


def _call(**values: Any) -> Call:
    """A call of values the plan computed (amounts to the cent, days), built without validation.

    The fields not given hold their defaults, unset, as ``Call(**values)`` would leave them.
    """
    every = {
        name: values[name] if name in values else _CALL_DEFAULTS[name] for name in _CALL_FIELDS
    }
    return built(Call, every, values)


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
            then = (
                Message.of("drawdown.remark.then", remark=call.remark)
                if call.remark.key
                else NOTHING
            )
            merged[-1] = call.model_copy(
                update={
                    "amount": before.amount + call.amount,
                    "covers_from": before.covers_from,
                    "remark": Message.of(
                        "drawdown.remark.including", amount=before.amount, then=then
                    ),
                }
            )
        else:
            merged.append(call)
    return merged
