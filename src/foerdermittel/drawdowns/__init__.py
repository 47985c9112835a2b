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

**Minimum per call.** Where the limits in force set one (``limits.min_payout``; KfW 432:
"Zuschüsse unter 5.000 EURO werden nicht ausgezahlt"), a planned call below it is not made:
its need joins the next call of the phase, which covers the pooled periods too and lists them
([`Call.pooled`][foerdermittel.drawdowns.Call]). No call is brought forward. Only the phase's
last call may stay below the minimum (a warning, ``final-call-below-minimum``); a recorded
payout below it is a warning too (``payout-below-minimum``) — neither where the phase's whole
grant is below the minimum.

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

The package holds one concept per module: `results` (the plan, its phases and calls),
`entitlements` (what may have been called for the expenditure covered), `reimbursement`
(what each payout reimburses), `windows` (call days and the periods they cover), `tiling`
(covered periods that tile the phase), `instalments` (Jahresraten), `minimum` (calls below
the minimum per call pooled with the next), `planning`
(`plan_drawdowns`) and `flows` (money per month). The public names are the ones below.
"""

from foerdermittel.drawdowns.entitlements import _entitlement as _entitlement
from foerdermittel.drawdowns.entitlements import entitlement, phase_entitlement
from foerdermittel.drawdowns.flows import FlowMonth, monthly_flows
from foerdermittel.drawdowns.planning import plan_drawdowns
from foerdermittel.drawdowns.reimbursement import PayoutCover, payout_cover
from foerdermittel.drawdowns.results import Call, DrawdownPlan, PhaseDrawdowns
from foerdermittel.drawdowns.tiling import CallTiling, call_tiling, plan_tiling

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
