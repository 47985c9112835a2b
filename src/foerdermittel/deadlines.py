"""Deadlines (Fristen): every deadline of a grant and the findings on them.

Each deadline is derived from the grant as its amendments leave it — the approval period's
end, the last day for a change application, the proof of use, interim proofs, voucher
retention, the window to use paid-out money, programme milestones — with the rule and legal
source that set it. Its end is counted by §§ 187–193 BGB
([`deadline_arithmetic`][foerdermittel.deadline_arithmetic]) and shifted by the holidays of
the place that counts: the funder's seat for what the funder must receive, the recipient's
place for its own acts ([`deadline_places`][foerdermittel.deadline_places]).

The period arithmetic (``period_end``, ``month_end_after``, ``shift``, ``ShiftPolicy``; the
status on a key date, ``status_of`` and ``DeadlineStatus``), whose holidays count
(``deadline_calendar``, ``filed_with_funder``, ``holiday_calendar``) and the checks on
amendments (``check_amendments``) live in modules of their own and are importable from here
as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from foerdermittel import fmt
from foerdermittel.amendment_checks import check_amendments
from foerdermittel.calendar import HolidayCalendar
from foerdermittel.deadline_arithmetic import (
    DeadlineStatus,
    ShiftPolicy,
    month_end_after,
    period_end,
    shift,
    status_of,
)
from foerdermittel.deadline_places import deadline_calendar, filed_with_funder, holiday_calendar
from foerdermittel.drawdowns import payout_cover
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import compute_financing
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


DeadlineKind = Literal[
    "phase_end",
    "change_application",
    "proof_of_use",
    "interim_proof",
    "retention",
    "use_window",
    "milestone",
    "condition",
]
"""What a deadline is about; ``condition`` is a step due before a phase's first payout."""


class Deadline(BaseModel):
    """Frist — one deadline of a grant, with the rule that set it and how it was shifted.

    Attributes:
        kind: what the deadline is about (``proof_of_use``, ``interim_proof``, …).
        id: stable id, e.g. ``proof-of-use:A``; submissions refer to it.
        title: what must happen, in German.
        subject: what it concerns (``Phase A``, ``Auszahlung A-1``).
        phase: the id of the phase it concerns (for a payout's use window, the payout's phase);
            ``None`` for a programme milestone that concerns no phase.
        trigger: the day the period runs from.
        trigger_label: what that day is, in German, without the date (that is ``trigger``).
        rule: the rule in German, e.g. "1 Jahr nach Ende des Bewilligungszeitraums".
        legal_source: where the rule is written.
        raw_end: the period's last day by §§ 187, 188 BGB.
        end: the deadline after the shift for weekends and holidays.
        shift_reason: why it moved, e.g. "28.02.2026 ist ein Samstag → nächster Arbeitstag".
        policy: how it shifts.
        calendar_land: the Land whose public holidays were used: the funder's seat for what
            the funder must receive, the recipient's Land for its own acts (§ 193 BGB).
        calendar_region: the part of that Land whose extra holidays were used, if any
            (e.g. ``Augsburg``).
        original_end: the deadline under the unamended decision, where an amendment moved it.
        submitted_on: when it was met, as the case records it.
        action_required: whether something must be done by then.
        status: the status on the key date.
        note: further explanation (other limits considered, assumptions).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: DeadlineKind
    id: str
    title: str
    subject: str
    phase: str | None = None
    trigger: date
    trigger_label: str
    rule: str
    legal_source: str
    raw_end: date
    end: date
    shift_reason: str | None
    policy: ShiftPolicy
    calendar_land: str
    calendar_region: str | None = None
    original_end: date | None = None
    submitted_on: date | None = None
    action_required: bool
    status: DeadlineStatus
    note: str | None = None

    @property
    def calls_for_action(self) -> bool:
        """Whether the city still has to act by this date.

        True for what the city must file, decide, apply for or spend by the deadline — the
        proof of use, an interim proof, a programme milestone or condition, the last day for a
        change or extension application, the window to use paid-out money — as long as it is
        neither met nor passed. The end of an approval period and the end of voucher retention
        call for no action.
        """
        return self.kind in _ACTION_KINDS and self.status not in _SETTLED


_ACTION_KINDS = frozenset(
    {
        "proof_of_use",
        "interim_proof",
        "milestone",
        "condition",
        "change_application",
        "use_window",
    }
)
"""Kinds of deadline by which the city has to do something."""

_SETTLED = frozenset({DeadlineStatus.MET, DeadlineStatus.PASSED})
"""Statuses after which a deadline calls for nothing more."""


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
        title: str,
        subject: str,
        phase: str | None,
        trigger: date,
        trigger_label: str,
        rule: str,
        legal_source: str,
        raw_end: date,
        policy: ShiftPolicy,
        action_required: bool,
        note: str | None = None,
        status: DeadlineStatus | None = None,
    ) -> Deadline:
        """The deadline, shifted (§ 193 BGB) and with its status; ``status`` where it is known.

        Raises:
            CalendarError: the end falls in a year the holiday data does not cover.
        """
        calendar = self.calendar_for(kind)
        end, reason = shift(raw_end, policy, calendar)
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
            title=title,
            subject=subject,
            phase=phase,
            trigger=trigger,
            trigger_label=trigger_label,
            rule=rule,
            legal_source=legal_source,
            raw_end=raw_end,
            end=end,
            shift_reason=reason,
            policy=policy,
            calendar_land=calendar.land,
            calendar_region=calendar.region,
            submitted_on=submitted,
            action_required=action_required,
            status=status,
            note=note,
        )


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _span_months(span: Span) -> int:
    if span.unit == "months":
        return span.amount
    if span.unit == "years":
        return 12 * span.amount
    raise ValueError(f"month_end needs a span in months or years, not {span}")


def _proof_of_use(case: Case, phase: Phase, rulebook: Rulebook, terms: _Terms) -> Deadline:
    """Verwendungsnachweis: the earliest of the limits that apply (ANBest Nr. 6.1, programme)."""
    rule = rulebook.proof_of_use
    candidates: list[tuple[date, date, str, str, str]] = []
    if phase.purpose_fulfilled_on is not None:
        candidates.append(
            (
                period_end(phase.purpose_fulfilled_on, rule.after_purpose),
                phase.purpose_fulfilled_on,
                "Zweckerfüllung",
                f"{rule.after_purpose} nach Erfüllung des Zuwendungszwecks",
                rule.source,
            )
        )
    if rule.month_end:
        months = _span_months(rule.latest_after_period)
        latest = month_end_after(phase.end, months)
        text = f"spätestens mit Ablauf des {months}. auf den Bewilligungszeitraum folgenden Monats"
    else:
        latest = period_end(phase.end, rule.latest_after_period)
        text = f"spätestens {rule.latest_after_period} nach Ende des Bewilligungszeitraums"
    candidates.append((latest, phase.end, "Ende des Bewilligungszeitraums", text, rule.source))
    programme = rulebook.programme
    limit = programme.phases.get(phase.programme_kind) if programme else None
    outdated = None
    if limit is not None and limit.proof_of_use_after_decision is not None:
        decided = case.grant.phase_decision_date(phase)
        after_decision = period_end(decided, limit.proof_of_use_after_decision)
        text = f"spätestens {limit.proof_of_use_after_decision} nach der Förderzusage"
        if after_decision < phase.end:
            # the approval period was extended past it: the funder must set it anew
            outdated = f"{text} ({_d(after_decision)}) liegt vor dem Ende des Bewilligungszeitraums"
        else:
            candidates.append(
                (
                    after_decision,
                    decided,
                    "Förderzusage",
                    text,
                    limit.proof_of_use_source or limit.source,
                )
            )
    raw, trigger, label, text, source = min(candidates, key=lambda c: c[0])
    others = [f"{c[3]}: {_d(c[0])}" for c in candidates if c[3] != text]
    note = ("maßgeblich ist die früheste Grenze; außerdem " + "; ".join(others)) if others else None
    if outdated:
        outdated += " und gilt nicht; im Änderungsbescheid neu festzusetzen"
        note = f"{note}; {outdated}" if note else outdated
    if limit is not None and limit.final_instalment_after_proof:
        extra = "zusammen mit dem Antrag auf Auszahlung der Schlussrate"
        note = f"{note}; {extra}" if note else extra
    return terms.deadline(
        kind="proof_of_use",
        id=f"proof-of-use:{phase.id}",
        title=f"Verwendungsnachweis Phase {phase.id} vorlegen",
        subject=f"Phase {phase.id}",
        phase=phase.id,
        trigger=trigger,
        trigger_label=label,
        rule=text,
        legal_source=source,
        raw_end=raw,
        policy=ShiftPolicy.FORWARD,
        action_required=True,
        note=note,
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
                    title=f"Zwischennachweis {year} für Phase {phase.id} vorlegen",
                    subject=f"Phase {phase.id}",
                    phase=phase.id,
                    trigger=year_end,
                    trigger_label=f"Ende des Haushaltsjahres {year}",
                    rule=f"{rule.after_budget_year} nach Ablauf des Haushaltsjahres",
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
                title=f"Angeforderten Zwischennachweis für Phase {phase.id} vorlegen",
                subject=f"Phase {phase.id}",
                phase=phase.id,
                trigger=request.requested_on,
                trigger_label="Anforderung des Zuwendungsgebers",
                rule="Frist laut Anforderung des Zuwendungsgebers",
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
                    title=milestone.title,
                    subject=programme.title,
                    phase=None,
                    trigger=programme.call_date,
                    trigger_label="Programmvorgabe",
                    rule=f"bis {_d(milestone.due)}",
                    legal_source=milestone.source,
                    raw_end=milestone.due,
                    policy=ShiftPolicy.FORWARD,
                    action_required=not milestone.optional,
                    note="freiwilliges Angebot des Programms" if milestone.optional else None,
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
                title=milestone.title,
                subject=f"Phase {phase.id}",
                phase=phase.id,
                trigger=phase.start,
                trigger_label=f"Beginn der Phase {phase.id}",
                rule=f"vor dem ersten Mittelabruf der Phase {phase.id}",
                legal_source=milestone.source,
                raw_end=first - timedelta(days=1) if first else phase.start,
                policy=ShiftPolicy.NONE,
                action_required=True,
                note=(
                    f"erste Auszahlung am {_d(first)}"
                    if first
                    else "noch keine Auszahlung; Datum = Beginn der Phase (Orientierung)"
                ),
                status=_before_payout_status(first, terms.submitted.get(id_), terms.as_of),
            )
        )
    return deadlines


def _deadlines(case: Case, rulebook: Rulebook, terms: _Terms) -> list[Deadline]:
    """Every deadline of ``case`` as its grant stands, phase by phase, then the payouts'."""
    deadlines: list[Deadline] = []
    for phase in case.grant.phases:
        deadlines.append(
            terms.deadline(
                kind="phase_end",
                id=f"phase-end:{phase.id}",
                title=f"Ende des Bewilligungszeitraums Phase {phase.id}",
                subject=f"Phase {phase.id}",
                phase=phase.id,
                trigger=phase.start,
                trigger_label="Beginn des Bewilligungszeitraums",
                rule="letzter Tag des Bewilligungszeitraums",
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
                title=f"Letzter Tag für einen Änderungs- oder Verlängerungsantrag Phase {phase.id}",
                subject=f"Phase {phase.id}",
                phase=phase.id,
                trigger=phase.end,
                trigger_label="Ende des Bewilligungszeitraums",
                rule="Antrag vor Ablauf des Bewilligungszeitraums",
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
        retention = rulebook.retention
        # ANBest-Gk Nr. 6.6 / ANBest-P Nr. 6.5: five years after the proof is submitted; while
        # it is not, from the day it is due — the shifted end (§ 193 BGB), not the raw one.
        base, label = (
            (submitted, "Vorlage des Verwendungsnachweises")
            if submitted is not None
            else (proof.end, "Fälligkeit des Verwendungsnachweises (noch nicht vorgelegt)")
        )
        deadlines.append(
            terms.deadline(
                kind="retention",
                id=f"retention:{phase.id}",
                title=f"Aufbewahrung der Belege Phase {phase.id} endet",
                subject=f"Phase {phase.id}",
                phase=phase.id,
                trigger=base,
                trigger_label=label,
                rule=f"{retention.years} Jahre nach Vorlage des Verwendungsnachweises",
                legal_source=retention.source,
                raw_end=period_end(base, Span(amount=retention.years, unit="years")),
                policy=ShiftPolicy.NONE,
                action_required=False,
            )
        )
    deadlines.extend(_use_windows(case, rulebook, terms))
    deadlines.extend(_milestones(case, rulebook, terms))
    return deadlines


def _use_windows(case: Case, rulebook: Rulebook, terms: _Terms) -> list[Deadline]:
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
    cover = (
        {c.payout: c for c in payout_cover(case, compute_financing(case))}
        if drawdown.reimburses
        else {}
    )
    deadlines: list[Deadline] = []
    for payout in case.payouts:
        note = "die Verwendung wird anhand der Belege geprüft"
        part = cover.get(payout.id)
        if part is not None and part.advance <= 0:
            continue  # reimburses expenditure already paid: used on arrival
        if part is not None:
            note = (
                f"{fmt.money(part.advance)} von {fmt.money(part.amount)} nicht durch vorher "
                "bezahlte Ausgaben gedeckt; nur dieser Teil ist alsbald zu verwenden"
            )
        elif drawdown.reimburses:
            note = (
                "Erstattung bezahlter Ausgaben: ohne Belege nicht prüfbar, ob die Auszahlung "
                "über die vorher bezahlten Ausgaben hinausgeht"
            )
        deadlines.append(
            terms.deadline(
                kind="use_window",
                id=f"use-window:{payout.id}",
                title=f"Auszahlung {payout.id} verwenden (alsbald)",
                subject=f"Auszahlung {payout.id}",
                phase=payout.phase,
                trigger=payout.paid_on,
                trigger_label=f"Auszahlung {payout.id}",
                rule=f"binnen {window.window} nach Auszahlung",
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
    calendars: dict[str, HolidayCalendar] = {}

    def calendar_for(kind: str) -> HolidayCalendar:
        if kind not in calendars:
            calendars[kind] = deadline_calendar(case, kind)
        return calendars[kind]

    terms = _Terms(
        as_of=as_of,
        due_soon_days=case.settings.due_soon_days if due_soon_days is None else due_soon_days,
        submitted={s.deadline: s.submitted_on for s in case.submissions},
        calendar_for=calendar_for,
    )
    amended = amended if amended is not None else case.amended()
    deadlines = _deadlines(amended, rulebook, terms)
    # under the unamended decision: where an amendment moved a deadline, its date before
    original = {d.id: d for d in _deadlines(case, rulebook, terms)}
    deadlines = [
        d
        if (before := original.get(d.id)) is None or before.raw_end == d.raw_end
        else d.model_copy(update={"original_end": before.end})
        for d in deadlines
    ]
    return tuple(sorted(deadlines, key=lambda d: (d.end, d.id)))


def check_deadlines(case: Case, deadlines: Iterable[Deadline]) -> tuple[Finding, ...]:
    """Findings for deadlines missed or due soon, and for submissions naming no deadline.

    Also ``funder-seat-unknown`` (info, once per case): the funder's seat is not named
    (``grant.funder_land``), so deadlines for what the funder must receive shift by the
    recipient's holidays instead of those at the place of receipt (§ 193 BGB; § 31 Abs. 3
    VwVfG).
    """
    findings: list[Finding] = []
    known: set[str] = set()
    deadlines = tuple(deadlines)
    grant = case.grant
    if (
        case.settings.holiday_calendar == "by_kind"
        and grant.funder_land is None
        and any(filed_with_funder(d.kind) for d in deadlines)
    ):
        own = holiday_calendar(case).label  # the recipient's under "by_kind"
        findings.append(
            Finding(
                code="funder-seat-unknown",
                severity=Severity.INFO,
                message=(
                    "der Sitz des Zuwendungsgebers ist nicht angegeben (grant.funder_land); "
                    "Fristen für Unterlagen, die der Zuwendungsgeber erhalten muss, sind nach "
                    f"den Feiertagen des Empfängers ({own}) berechnet statt nach denen am Ort "
                    "des Zugangs"
                ),
                legal_reference="§ 193 BGB; § 31 Abs. 3 VwVfG",
                subject="Feiertagskalender",
            )
        )
    for deadline in deadlines:
        known.add(deadline.id)
        when = deadline.end.strftime("%d.%m.%Y")
        if deadline.status is DeadlineStatus.MISSED:
            if deadline.kind == "condition":
                code = "payout-before-milestone"
                message = (
                    f"{deadline.title}: Mittel wurden ausgezahlt, bevor "
                    "die Voraussetzung erfüllt war"
                    + (
                        f" (erfüllt am {deadline.submitted_on:%d.%m.%Y})"
                        if deadline.submitted_on
                        else " (nicht als erledigt erfasst)"
                    )
                    + f"; {deadline.note}"
                )
            else:
                code = "deadline-missed"
                late = (
                    f"; erledigt erst am {deadline.submitted_on:%d.%m.%Y}"
                    if deadline.submitted_on
                    else "; nicht als erledigt erfasst"
                )
                message = f"Frist versäumt: {deadline.title} bis {when}{late}"
            findings.append(
                Finding(
                    code=code,
                    severity=Severity.ERROR,
                    message=message,
                    legal_reference=deadline.legal_source,
                    subject=deadline.subject,
                )
            )
        elif deadline.status is DeadlineStatus.DUE_SOON and deadline.action_required:
            findings.append(
                Finding(
                    code="deadline-due-soon",
                    severity=Severity.WARNING,
                    message=f"Frist bald fällig: {deadline.title} bis {when}",
                    legal_reference=deadline.legal_source,
                    subject=deadline.subject,
                )
            )
    for submission in case.submissions:
        if submission.deadline not in known:
            findings.append(
                Finding(
                    code="submission-unknown-deadline",
                    severity=Severity.WARNING,
                    message=(
                        f"Erledigung vom {submission.submitted_on:%d.%m.%Y} nennt die Frist "
                        f"{submission.deadline!r}, die es nicht gibt; vorhanden: "
                        + ", ".join(sorted(known))
                    ),
                    legal_reference="—",
                    subject="Erledigungen",
                )
            )
    return tuple(findings)
