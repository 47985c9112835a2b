"""Deadlines (Fristen): every deadline of a grant and the findings on them.

Each deadline is derived from the grant as its amendments leave it — the approval period's
end, the last day for a change application, the proof of use, interim proofs, voucher
retention, the window to use paid-out money, programme milestones — with the rule and legal
source that set it. Its end is counted by §§ 187–193 BGB
([`deadline_arithmetic`][foerdermittel.deadline_arithmetic]) and shifted by the holidays of
the place that counts: the funder's seat for what the funder must receive, the recipient's
place for its own acts ([`deadline_places`][foerdermittel.deadline_places]).

A deadline holds no sentence: what must happen, its rule, its shift and its note are
[`Message`][foerdermittel.message_types.Message] data whose words come from the catalogues
(keys ``deadline.…``) in the language a renderer asks for; the lengths of its periods come
from the rulebook.

The deadline itself (``Deadline``, ``DeadlineKind``; ``deadline_types``), the period
arithmetic (``period_end``, ``month_end_after``, ``shift``, ``ShiftPolicy``; the status on a
key date, ``status_of`` and ``DeadlineStatus``), whose holidays count (``deadline_calendar``,
``filed_with_funder``, ``holiday_calendar``), the findings on the deadlines
(``check_deadlines``; ``deadline_checks``) and the checks on amendments (``check_amendments``)
live in modules of their own and are importable from here as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from foerdermittel.amendment_checks import check_amendments
from foerdermittel.calendar import HolidayCalendar
from foerdermittel.deadline_arithmetic import (
    DeadlineStatus,
    ShiftPolicy,
    joined,
    month_end_after,
    period_end,
    shift,
    shifted,
    status_of,
)
from foerdermittel.deadline_checks import check_deadlines
from foerdermittel.deadline_places import deadline_calendar, filed_with_funder, holiday_calendar
from foerdermittel.deadline_types import Deadline, DeadlineKind
from foerdermittel.drawdowns import PayoutCover, payout_cover
from foerdermittel.financing import compute_financing
from foerdermittel.frozen import IdentityMemo
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.model.case import Case
from foerdermittel.model.grant import Phase
from foerdermittel.periods import Span
from foerdermittel.rules.model import Milestone, Rulebook

__all__ = [
    "Deadline",
    "DeadlineKind",
    "DeadlineStatus",
    "ShiftPolicy",
    "check_amendments",
    "check_deadlines",
    "deadline_calendar",
    "derive_deadlines",
    "filed_with_funder",
    "holiday_calendar",
    "month_end_after",
    "period_end",
    "shift",
    "status_of",
]


@dataclass(frozen=True)
class _Terms:
    """What turns a deadline's raw end into its end and status.

    Attributes:
        as_of: the key date.
        due_soon_days: the warning period.
        submitted: the day each deadline was met, by deadline id, as the case records it.
        calendar_for: whose public holidays shift a deadline of a kind.
    """

    as_of: date
    due_soon_days: int
    submitted: Mapping[str, date]
    calendar_for: Callable[[str], HolidayCalendar]

    def deadline(
        self,
        *,
        kind: DeadlineKind,
        id: str,
        what: Message,
        about: Subject,
        phase: str | None,
        trigger: date,
        trigger_what: Message,
        rule: Message,
        legal_source: str,
        raw_end: date,
        policy: ShiftPolicy,
        action_required: bool,
        note: Message = NOTHING,
        status: DeadlineStatus | None = None,
    ) -> Deadline:
        """The deadline, shifted (§ 193 BGB) and with its status; ``status`` where it is known.

        Raises:
            CalendarError: the end falls in a year the holiday data does not cover.
        """
        calendar = self.calendar_for(kind)
        end, reason = shifted(raw_end, policy, calendar)
        submitted = self.submitted.get(id)
        if status is None:
            status = status_of(
                end,
                as_of=self.as_of,
                due_soon_days=self.due_soon_days,
                submitted_on=submitted,
                action_required=action_required,
            )
        return Deadline(
            kind=kind,
            id=id,
            what=what,
            about=about,
            phase=phase,
            trigger=trigger,
            trigger_what=trigger_what,
            rule_text=rule,
            legal_source=legal_source,
            raw_end=raw_end,
            end=end,
            shift_text=reason,
            policy=policy,
            calendar_land=calendar.land,
            calendar_region=calendar.region,
            submitted_on=submitted,
            action_required=action_required,
            status=status,
            note_text=note,
        )


def _span_months(span: Span) -> int:
    if span.unit == "months":
        return span.amount
    if span.unit == "years":
        return 12 * span.amount
    raise ValueError(f"month_end needs a span in months or years, not {span}")


@dataclass(frozen=True)
class _Limit:
    """One limit for the proof of use: its last day, the day and event it runs from, its rule."""

    raw_end: date
    trigger: date
    trigger_what: Message
    rule: Message
    source: str


def _proof_of_use(case: Case, phase: Phase, rulebook: Rulebook, terms: _Terms) -> Deadline:
    """Verwendungsnachweis: the earliest of the limits that apply (ANBest Nr. 6.1, programme)."""
    rule = rulebook.proof_of_use
    candidates: list[_Limit] = []
    if phase.purpose_fulfilled_on is not None:
        candidates.append(
            _Limit(
                period_end(phase.purpose_fulfilled_on, rule.after_purpose),
                phase.purpose_fulfilled_on,
                Message.of("deadline.trigger.purpose-fulfilled"),
                Message.of("deadline.rule.after-purpose", span=rule.after_purpose.message),
                rule.source,
            )
        )
    if rule.month_end:
        months = _span_months(rule.latest_after_period)
        latest = month_end_after(phase.end, months)
        text = Message.of("deadline.rule.month-end", months=months)
    else:
        latest = period_end(phase.end, rule.latest_after_period)
        text = Message.of("deadline.rule.after-period", span=rule.latest_after_period.message)
    period_ended = Message.of("deadline.trigger.period-end")
    candidates.append(_Limit(latest, phase.end, period_ended, text, rule.source))
    programme = rulebook.programme
    limit = programme.phases.get(phase.programme_kind) if programme else None
    outdated = NOTHING
    if limit is not None and limit.proof_of_use_after_decision is not None:
        decided = case.grant.phase_decision_date(phase)
        after_decision = period_end(decided, limit.proof_of_use_after_decision)
        text = Message.of(
            "deadline.rule.after-decision", span=limit.proof_of_use_after_decision.message
        )
        if after_decision < phase.end:
            # the approval period was extended past it: the funder must set it anew
            outdated = Message.of("deadline.note.outdated", rule=text, end=after_decision)
        else:
            candidates.append(
                _Limit(
                    after_decision,
                    decided,
                    Message.of("deadline.trigger.decision"),
                    text,
                    limit.proof_of_use_source or limit.source,
                )
            )
    chosen = min(candidates, key=lambda c: c.raw_end)
    others = [
        Message.of("deadline.note.other-limit", rule=c.rule, end=c.raw_end)
        for c in candidates
        if c.rule != chosen.rule
    ]
    notes = [Message.of("deadline.note.earliest", others=joined(others))] if others else []
    if outdated.key:
        notes.append(outdated)
    if limit is not None and limit.final_instalment_after_proof:
        notes.append(Message.of("deadline.note.with-final-instalment"))
    return terms.deadline(
        kind="proof_of_use",
        id=f"proof-of-use:{phase.id}",
        what=Message.of("deadline.title.proof-of-use", phase=phase.id),
        about=Subject("phase", phase.id),
        phase=phase.id,
        trigger=chosen.trigger,
        trigger_what=chosen.trigger_what,
        rule=chosen.rule,
        legal_source=chosen.source,
        raw_end=chosen.raw_end,
        policy=ShiftPolicy.FORWARD,
        action_required=True,
        note=joined(notes),
    )


def _interim_proofs(case: Case, phase: Phase, rulebook: Rulebook, terms: _Terms) -> list[Deadline]:
    """Zwischennachweise: yearly under ANBest-P, on the funder's request under ANBest-Gk."""
    rule = rulebook.interim_proof
    deadlines: list[Deadline] = []
    if rule.required == "yearly" and rule.after_budget_year is not None:
        for year in range(phase.start.year, phase.end.year + 1):
            year_end = date(year, 12, 31)
            fulfilled = phase.purpose_fulfilled_on
            if phase.end <= year_end or (fulfilled is not None and fulfilled <= year_end):
                break
            deadlines.append(
                terms.deadline(
                    kind="interim_proof",
                    id=f"interim-proof:{phase.id}:{year}",
                    what=Message.of("deadline.title.interim-proof", year=str(year), phase=phase.id),
                    about=Subject("phase", phase.id),
                    phase=phase.id,
                    trigger=year_end,
                    trigger_what=Message.of("deadline.trigger.budget-year-end", year=str(year)),
                    rule=Message.of(
                        "deadline.rule.after-budget-year",
                        span=rule.after_budget_year.message,
                    ),
                    legal_source=rule.source,
                    raw_end=period_end(year_end, rule.after_budget_year),
                    policy=ShiftPolicy.FORWARD,
                    action_required=True,
                )
            )
    for request in case.interim_requests:
        if request.phase != phase.id:
            continue
        deadlines.append(
            terms.deadline(
                kind="interim_proof",
                id=f"interim-proof:{phase.id}:{request.id}",
                what=Message.of("deadline.title.interim-proof-requested", phase=phase.id),
                about=Subject("phase", phase.id),
                phase=phase.id,
                trigger=request.requested_on,
                trigger_what=Message.of("deadline.trigger.funder-request"),
                rule=Message.of("deadline.rule.as-requested"),
                legal_source=rule.source,
                raw_end=request.due,
                policy=ShiftPolicy.FORWARD,
                action_required=True,
            )
        )
    return deadlines


def _milestones(case: Case, rulebook: Rulebook, terms: _Terms) -> list[Deadline]:
    programme = rulebook.programme
    if programme is None:
        return []
    deadlines: list[Deadline] = []
    for milestone in programme.milestones:
        if milestone.due is not None:
            deadlines.append(
                terms.deadline(
                    kind="milestone",
                    id=f"milestone:{milestone.id}",
                    what=Message.of("deadline.title.milestone", title=milestone.title),
                    about=Subject("programme", programme.title),
                    phase=None,
                    trigger=programme.call_date,
                    trigger_what=Message.of("deadline.trigger.programme"),
                    rule=Message.of("deadline.rule.milestone-due", due=milestone.due),
                    legal_source=milestone.source,
                    raw_end=milestone.due,
                    policy=ShiftPolicy.FORWARD,
                    action_required=not milestone.optional,
                    note=Message.of("deadline.note.optional") if milestone.optional else NOTHING,
                )
            )
        elif milestone.before_phase is not None:
            deadlines.extend(_before_phase_milestone(case, milestone, terms))
    return deadlines


def _before_phase_milestone(case: Case, milestone: Milestone, terms: _Terms) -> list[Deadline]:
    deadlines = []
    for phase in case.grant.phases:
        if phase.programme_kind != milestone.before_phase:
            continue
        paid = sorted(p.paid_on for p in case.payouts if p.phase == phase.id)
        first = paid[0] if paid else None
        id_ = f"milestone:{milestone.id}:{phase.id}"
        deadlines.append(
            terms.deadline(
                kind="condition",
                id=id_,
                what=Message.of("deadline.title.milestone", title=milestone.title),
                about=Subject("phase", phase.id),
                phase=phase.id,
                trigger=phase.start,
                trigger_what=Message.of("deadline.trigger.phase-start", phase=phase.id),
                rule=Message.of("deadline.rule.before-first-payout", phase=phase.id),
                legal_source=milestone.source,
                raw_end=first - timedelta(days=1) if first else phase.start,
                policy=ShiftPolicy.NONE,
                action_required=True,
                note=(
                    Message.of("deadline.note.first-payout", paid=first)
                    if first
                    else Message.of("deadline.note.no-payout-yet")
                ),
                status=_before_payout_status(first, terms.submitted.get(id_), terms.as_of),
            )
        )
    return deadlines


def _deadlines(
    case: Case, rulebook: Rulebook, terms: _Terms, cover: Mapping[str, PayoutCover] | None
) -> list[Deadline]:
    """Every deadline of ``case`` as its grant stands, phase by phase, then the payouts'.

    ``cover`` is what of each payout reimburses expenditure already paid, by payout id (empty
    where the rule does not reimburse); ``None`` leaves the payouts' use windows out.
    """
    deadlines: list[Deadline] = []
    for phase in case.grant.phases:
        about = Subject("phase", phase.id)
        deadlines.append(
            terms.deadline(
                kind="phase_end",
                id=f"phase-end:{phase.id}",
                what=Message.of("deadline.title.phase-end", phase=phase.id),
                about=about,
                phase=phase.id,
                trigger=phase.start,
                trigger_what=Message.of("deadline.trigger.period-start"),
                rule=Message.of("deadline.rule.period-end"),
                legal_source="Zuwendungsbescheid; § 31 Abs. 4 VwVfG",
                raw_end=phase.end,
                policy=ShiftPolicy.NONE,
                action_required=False,
            )
        )
        deadlines.append(
            terms.deadline(
                kind="change_application",
                id=f"change-application:{phase.id}",
                what=Message.of("deadline.title.change-application", phase=phase.id),
                about=about,
                phase=phase.id,
                trigger=phase.end,
                trigger_what=Message.of("deadline.trigger.period-end"),
                rule=Message.of("deadline.rule.change-application"),
                legal_source="§ 31 Abs. 7 VwVfG; ANBest Nr. 5.2, 5.3 (Mitteilungspflichten)",
                raw_end=phase.end,
                policy=ShiftPolicy.BACKWARD,
                action_required=False,
            )
        )
        proof = _proof_of_use(case, phase, rulebook, terms)
        deadlines.append(proof)
        deadlines.extend(_interim_proofs(case, phase, rulebook, terms))
        submitted = terms.submitted.get(proof.id)
        keep = Span(amount=rulebook.retention.years, unit="years")
        # ANBest-Gk Nr. 6.6 / ANBest-P Nr. 6.5: five years after the proof is submitted; while
        # it is not, from the day it is due — the shifted end (§ 193 BGB), not the raw one.
        base, label = (
            (submitted, Message.of("deadline.trigger.proof-submitted"))
            if submitted is not None
            else (proof.end, Message.of("deadline.trigger.proof-due"))
        )
        deadlines.append(
            terms.deadline(
                kind="retention",
                id=f"retention:{phase.id}",
                what=Message.of("deadline.title.retention", phase=phase.id),
                about=about,
                phase=phase.id,
                trigger=base,
                trigger_what=label,
                rule=Message.of("deadline.rule.retention", span=keep.message),
                legal_source=rulebook.retention.source,
                raw_end=period_end(base, keep),
                policy=ShiftPolicy.NONE,
                action_required=False,
            )
        )
    if cover is not None:
        deadlines.extend(_use_windows(case, rulebook, terms, cover))
    deadlines.extend(_milestones(case, rulebook, terms))
    return deadlines


def _payout_cover(case: Case, rulebook: Rulebook) -> dict[str, PayoutCover]:
    """Per payout, what of it reimburses expenditure already paid, where the rule reimburses."""
    if not rulebook.effective_drawdown.reimburses:
        return {}
    return {c.payout: c for c in payout_cover(case, compute_financing(case))}


def _use_windows(
    case: Case, rulebook: Rulebook, terms: _Terms, cover: Mapping[str, PayoutCover]
) -> list[Deadline]:
    """Verwendung "alsbald": a window for each payout — or only for its part paid ahead.

    Under a rule that reimburses costs already paid (MPSC: in arrears for costs incurred,
    ``DrawdownRule.reimburses``), a payout that only reimburses expenditure paid on or before
    its day is used when it arrives and gets no window; one that exceeds it gets the window
    for the excess ([`payout_cover`][foerdermittel.drawdowns.payout_cover]). Without recorded
    expenditure that cannot be judged, and every payout keeps its window.

    References:
        ANBest-Gk / ANBest-P Nr. 8.5; § 49a Abs. 4 VwVfG; MPSC-Förderrichtlinie as quoted in
        BT-Drs. 20/13972 (Abruf für angefallene Kosten).
    """
    window = rulebook.use_window
    drawdown = rulebook.effective_drawdown
    deadlines: list[Deadline] = []
    for payout in case.payouts:
        note = Message.of("deadline.note.use-checked")
        part = cover.get(payout.id)
        if part is not None and part.advance <= 0:
            continue  # reimburses expenditure already paid: used on arrival
        if part is not None:
            note = Message.of("deadline.note.use-part", advance=part.advance, amount=part.amount)
        elif drawdown.reimburses:
            note = Message.of("deadline.note.use-unknown")
        deadlines.append(
            terms.deadline(
                kind="use_window",
                id=f"use-window:{payout.id}",
                what=Message.of("deadline.title.use-window", payout=payout.id),
                about=Subject("payout", payout.id),
                phase=payout.phase,
                trigger=payout.paid_on,
                trigger_what=Message.of("deadline.trigger.payout", payout=payout.id),
                rule=Message.of("deadline.rule.use-window", span=window.window.message),
                legal_source=f"{window.source}; § 49a Abs. 4 VwVfG",
                raw_end=period_end(payout.paid_on, window.window),
                policy=ShiftPolicy.FORWARD,
                action_required=False,
                note=note,
            )
        )
    return deadlines


def _before_payout_status(
    first_payout: date | None, submitted: date | None, as_of: date
) -> DeadlineStatus:
    """A condition for a phase's money: met if done before its first payout, else missed."""
    paid = first_payout is not None and first_payout <= as_of
    if submitted is not None and submitted <= as_of:
        if first_payout is None or submitted < first_payout:
            return DeadlineStatus.MET
        return DeadlineStatus.MISSED
    return DeadlineStatus.MISSED if paid else DeadlineStatus.OPEN


def derive_deadlines(
    case: Case,
    rulebook: Rulebook,
    *,
    as_of: date,
    due_soon_days: int | None = None,
    amended: Case | None = None,
) -> tuple[Deadline, ...]:
    """Every deadline of the case, from the amended grant, in date order.

    The deadlines are derived from the grant as its amendments leave it; where an amendment
    moved a deadline, ``original_end`` holds the date under the unamended decision. Statuses
    are taken on the key date ``as_of``. ``amended`` may pass ``case.amended()`` when the
    caller has it already.

    References:
        §§ 187–193 BGB, § 31 VwVfG; ANBest-Gk / ANBest-P Nr. 6.1 (proof of use, interim proof),
        Nr. 8.5 (use window), ANBest-Gk Nr. 6.6 / ANBest-P Nr. 6.5 (retention); the programme's
        rules (MPSC: proof of use 30 months / 5 years 6 months after the Förderzusage).

    Each deadline shifts by the holidays of its own place
    ([`deadline_calendar`][foerdermittel.deadline_places.deadline_calendar]): what the funder must
    receive by those at the funder's seat, the recipient's own acts by the recipient's.

    Raises:
        CalendarError: a deadline falls in a year the holiday data does not cover.
    """
    amended = amended if amended is not None else case.amended()
    due = case.settings.due_soon_days if due_soon_days is None else due_soon_days
    cover = _payout_cover(amended, rulebook)
    # what the deadlines read of the case (the amended case is made of these and the plan)
    parts = (
        case.grant,
        case.amendments,
        case.payouts,
        case.interim_requests,
        case.submissions,
        case.settings,
        rulebook,
    )
    found = _DERIVED.get(parts, (as_of, due))
    if found is not None and found[0] == cover:
        return found[1]
    derived = _derive(case, amended, rulebook, as_of, due, cover)
    _DERIVED.put(parts, (cover, derived), (as_of, due))
    return derived


_DERIVED: IdentityMemo[tuple[dict[str, PayoutCover], tuple[Deadline, ...]]] = IdentityMemo(8)
"""The deadlines of the last few cases, by the parts of the case they are derived from.

The deadlines read the grant, its amendments, the payouts, the interim proof requests, the
submissions, the settings and the rulebook — not the plan nor the ledger, except through what
of each payout reimburses expenditure already paid (the use windows'), which is compared by
value. A scenario that changes the plan reuses the deadlines of its case."""


def _derive(
    case: Case,
    amended: Case,
    rulebook: Rulebook,
    as_of: date,
    due_soon_days: int,
    cover: Mapping[str, PayoutCover],
) -> tuple[Deadline, ...]:
    calendars: dict[str, HolidayCalendar] = {}

    def calendar_for(kind: str) -> HolidayCalendar:
        if kind not in calendars:
            calendars[kind] = deadline_calendar(case, kind)
        return calendars[kind]

    terms = _Terms(
        as_of=as_of,
        due_soon_days=due_soon_days,
        submitted={s.deadline: s.submitted_on for s in case.submissions},
        calendar_for=calendar_for,
    )
    deadlines = _deadlines(amended, rulebook, terms, cover)
    # under the unamended decision: where an amendment moved a deadline, its date before (a
    # payout's use window runs from the payout whatever the decision: it never moves)
    original = {d.id: d for d in _deadlines(case, rulebook, terms, None)}
    deadlines = [
        d
        if (before := original.get(d.id)) is None or before.raw_end == d.raw_end
        else d.model_copy(update={"original_end": before.end})
        for d in deadlines
    ]
    return tuple(sorted(deadlines, key=lambda d: (d.end, d.id)))
