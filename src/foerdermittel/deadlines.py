"""Deadlines (Fristen): German period arithmetic and every deadline of a grant.

Period arithmetic follows §§ 187–193 BGB, which § 31 Abs. 1 VwVfG applies to administrative
deadlines:

* § 187 Abs. 1 BGB — a period that starts with an event does not count the event's day; a
  period in weeks, months or years then ends on the day that carries the event day's name or
  number (§ 188 Abs. 2, first case).
* § 187 Abs. 2 BGB — a period that starts with the start of a day counts that day and ends on
  the day before the corresponding day (§ 188 Abs. 2, second case).
* § 188 Abs. 3 BGB — if that day does not exist in the last month, the period ends on the last
  day of that month (31.01. + 1 month -> 28./29.02.).
* § 193 BGB, § 31 Abs. 3 VwVfG — a deadline ending on a Saturday, Sunday or public holiday
  ends on the next working day. The holidays are those "am Erklärungs- oder Leistungsort": for
  something the funder must receive, the funder's seat; for the recipient's own act, the
  recipient's place (see [`deadline_calendar`][foerdermittel.deadlines.deadline_calendar]).
* § 31 Abs. 4 VwVfG — a period for which the authority grants a benefit (the approval period)
  ends on its last day, weekend or not.

Months are added to the anchor with ``relativedelta`` in one step, never month by month, so
the end-of-month rule falls out of the arithmetic and nothing drifts.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from foerdermittel import fmt
from foerdermittel._arguments import check_date, check_enum, check_instance, check_int
from foerdermittel.calendar import CalendarError, HolidayCalendar
from foerdermittel.drawdowns import payout_cover
from foerdermittel.errors import ArgumentError, Finding, Severity
from foerdermittel.financing import compute_financing
from foerdermittel.model.case import Case
from foerdermittel.model.grant import Phase
from foerdermittel.periods import MAX_SPAN, Span
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


def period_end(
    anchor: date, span: Span, *, counted_from: Literal["event", "day_start"] = "event"
) -> date:
    """Fristende — the last day of a period of ``span`` from ``anchor`` (§§ 187, 188 BGB).

    Args:
        anchor: the event day (``counted_from="event"``, § 187 Abs. 1 BGB: not counted) or the
            first day of the period (``"day_start"``, § 187 Abs. 2 BGB: counted).
        span: the period's length.
        counted_from: how the period starts.

    Returns:
        The raw last day, before any shift for weekends and holidays.

    Raises:
        ArgumentError: for an anchor that is not a ``date`` (a ``datetime`` is refused), a
            span that is not a ``Span``, an unknown ``counted_from``, or an end after 9999.

    Examples:
        >>> period_end(date(2025, 8, 31), Span(amount=6, unit="months"))
        datetime.date(2026, 2, 28)
        >>> period_end(date(2024, 2, 29), Span(amount=1, unit="years"))
        datetime.date(2025, 2, 28)
        >>> period_end(date(2021, 12, 1), Span(amount=12, unit="months"), counted_from="day_start")
        datetime.date(2022, 11, 30)
        >>> period_end(date(2025, 3, 3), Span(amount=10, unit="days"))
        datetime.date(2025, 3, 13)
    """
    check_instance("period_end", "span", span, Span)
    if counted_from not in ("event", "day_start"):
        raise ArgumentError(
            "period_end", "counted_from", counted_from, "erlaubt sind 'event' und 'day_start'"
        )
    target = span.end_from(anchor, "period_end")
    if counted_from == "event":
        return target
    if span.unit in ("days", "weeks"):
        return target - timedelta(days=1)
    if target.day != anchor.day:
        # § 188 Abs. 3 BGB: the day before the corresponding day does not exist either
        # (the corresponding day was cut to the month's end): the period ends on that last day.
        return target
    return target - timedelta(days=1)


def month_end_after(anchor: date, months: int) -> date:
    """The last day of the ``months``-th month following the month of ``anchor``.

    "Mit Ablauf des sechsten auf den Bewilligungszeitraum folgenden Monats" (ANBest-P Nr. 6.1):
    whole calendar months after the month in which the approval period ends (reading of the
    domain notes, grant-law §9.10).

    Raises:
        ArgumentError: for an anchor that is not a ``date`` (a ``datetime`` is refused), a
            number of months that is not a whole number from 0 to 1200, or an end after 9999.

    Examples:
        >>> month_end_after(date(2025, 12, 31), 6)
        datetime.date(2026, 6, 30)
        >>> month_end_after(date(2026, 3, 15), 6)
        datetime.date(2026, 9, 30)
    """
    check_date("month_end_after", "anchor", anchor)
    check_int("month_end_after", "months", months, minimum=0, maximum=MAX_SPAN["months"])
    try:
        target = anchor.replace(day=1) + relativedelta(months=months)
    except ValueError:
        raise ArgumentError(
            "month_end_after", "months", months, f"ab {anchor.isoformat()} nach dem Jahr 9999"
        ) from None
    return target.replace(day=monthrange(target.year, target.month)[1])


class ShiftPolicy(StrEnum):
    """How a deadline moves when it falls on a non-working day.

    * ``forward`` — to the next working day (§ 193 BGB, § 31 Abs. 3 VwVfG).
    * ``backward`` — to the working day before: things that must happen *before* a day
      (an application before the approval period ends).
    * ``none`` — not at all (§ 31 Abs. 4 VwVfG: the approval period ends on its last day).
    """

    FORWARD = "forward"
    BACKWARD = "backward"
    NONE = "none"


def shift(raw: date, policy: ShiftPolicy, calendar: HolidayCalendar) -> tuple[date, str | None]:
    """Move ``raw`` off weekends and public holidays by ``policy``; say why it moved.

    Examples:
        >>> shift(date(2028, 4, 30), ShiftPolicy.FORWARD, HolidayCalendar("NW"))[1]
        '30.04.2028 ist ein Sonntag; 01.05.2028 ist ein Feiertag (Erster Mai) → nächster Arbeitstag'

    Raises:
        ArgumentError: for a day that is not a ``date`` (a ``datetime`` is refused), a policy
            that is neither a ``ShiftPolicy`` nor one of its values, or a calendar that is not a
            ``HolidayCalendar``.
        CalendarError: for days outside the holiday data.
    """
    check_date("shift", "raw", raw)
    policy = check_enum("shift", "policy", policy, ShiftPolicy)
    check_instance("shift", "calendar", calendar, HolidayCalendar)
    if policy is ShiftPolicy.NONE:
        return raw, None
    step = timedelta(days=1 if policy is ShiftPolicy.FORWARD else -1)
    reasons: list[str] = []
    day = raw
    while (reason := calendar.non_working_reason(day)) is not None:
        reasons.append(reason)
        day += step
    if not reasons:
        return raw, None
    where = "nächster Arbeitstag" if policy is ShiftPolicy.FORWARD else "letzter Arbeitstag davor"
    return day, "; ".join(reasons) + f" → {where}"


class DeadlineStatus(StrEnum):
    """Status of a deadline on the key date.

    ``open``, ``due_soon`` (within the warning period), ``met`` (done in time), ``missed``
    (not done in time, or done late); ``passed`` for dates that call for no action (the end of
    an approval period, the end of voucher retention) once they lie behind the key date.
    """

    OPEN = "open"
    DUE_SOON = "due_soon"
    MET = "met"
    MISSED = "missed"
    PASSED = "passed"

    @property
    def german(self) -> str:
        """The German label."""
        return {
            "open": "offen",
            "due_soon": "bald fällig",
            "met": "erledigt",
            "missed": "versäumt",
            "passed": "abgelaufen",
        }[self.value]


def status_of(
    end: date,
    *,
    as_of: date,
    due_soon_days: int,
    submitted_on: date | None,
    action_required: bool,
) -> DeadlineStatus:
    """The status of a deadline ending on ``end`` (inclusive) on the key date ``as_of``.

    Examples:
        >>> status_of(date(2026, 3, 2), as_of=date(2026, 2, 10), due_soon_days=30,
        ...           submitted_on=None, action_required=True)
        <DeadlineStatus.DUE_SOON: 'due_soon'>
    """
    if submitted_on is not None and submitted_on <= as_of:
        return DeadlineStatus.MET if submitted_on <= end else DeadlineStatus.MISSED
    if as_of > end:
        return DeadlineStatus.MISSED if action_required else DeadlineStatus.PASSED
    if (end - as_of).days <= due_soon_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.OPEN


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


_FILED_WITH_FUNDER = frozenset({"proof_of_use", "interim_proof", "change_application", "milestone"})
"""Kinds of deadline for something the funder must receive: the proof of use, an interim
proof, a change or extension application, a programme milestone with a date (MPSC: the
declaration of interest and the extension application). The other kinds are the recipient's
own acts (using money, keeping vouchers, the council's resolution before a payout) or need no
shift (the end of an approval period)."""


def filed_with_funder(kind: str) -> bool:
    """Whether a deadline of ``kind`` is met only when the funder receives something.

    Such a deadline ends on a working day at the funder's seat: § 193 BGB counts the holidays
    "am Erklärungs- oder Leistungsort", and a declaration that must be received is made where
    it is received (§ 130 Abs. 1 BGB; § 31 Abs. 1, 3 VwVfG apply § 193 to administrative
    deadlines).

    Examples:
        >>> filed_with_funder("proof_of_use"), filed_with_funder("retention")
        (True, False)
    """
    return kind in _FILED_WITH_FUNDER


def _recipient_calendar(case: Case) -> HolidayCalendar:
    return HolidayCalendar(case.grant.land, case.grant.holiday_region)


def _funder_calendar(case: Case) -> HolidayCalendar | None:
    grant = case.grant
    if grant.funder_land is None:
        return None
    return HolidayCalendar(grant.funder_land, grant.funder_holiday_region)


def holiday_calendar(case: Case) -> HolidayCalendar:
    """The holiday calendar for the recipient's own acts under the case's settings.

    The recipient's Land (narrowed to ``grant.holiday_region``), or the funder's seat where
    ``settings.holiday_calendar = "funder"`` forces it for every deadline. Deadlines use
    [`deadline_calendar`][foerdermittel.deadlines.deadline_calendar], which also knows
    what the funder must receive.
    """
    if case.settings.holiday_calendar == "funder":
        funder = _funder_calendar(case)
        if funder is not None:
            return funder
    return _recipient_calendar(case)


def deadline_calendar(case: Case, kind: str) -> HolidayCalendar:
    """Whose public holidays move a deadline of ``kind`` (§ 193 BGB, § 31 Abs. 3 VwVfG).

    § 193 BGB moves a period's end off "Sonnabend, Sonntag oder ein am Erklärungs- oder
    Leistungsort staatlich anerkannter allgemeiner Feiertag". Under the default setting
    ``holiday_calendar = "by_kind"`` a deadline for something the funder must receive
    ([`filed_with_funder`][foerdermittel.deadlines.filed_with_funder]) counts the holidays at
    the funder's seat (``grant.funder_land`` and ``funder_holiday_region``); every other
    deadline those at the recipient's place (``grant.land`` and ``holiday_region``). Where the
    case does not name the funder's seat, the recipient's apply (``check_deadlines`` reports
    ``funder-seat-unknown``). ``"recipient"`` and ``"funder"`` force one calendar for all.

    Examples:
        >>> from foerdermittel.model.case import Case
        >>> case = Case.from_data({
        ...     "grant": {"id": "X", "funder": "KfW", "recipient": "Stadt", "land": "NW",
        ...               "funder_land": "BE", "decision_date": "2024-01-10",
        ...               "financing_type": "festbetragsfinanzierung",
        ...               "phases": [{"id": "A", "title": "A", "start": "2024-01-10",
        ...                           "end": "2024-12-31", "eligible_expenditure": "1000.00",
        ...                           "fixed_amount": "500.00"}]},
        ...     "plan": {"lines": [{"id": "L", "title": "L", "phase": "A",
        ...                         "category": "material", "amounts": {"2024": "1000.00"}}]},
        ... })
        >>> deadline_calendar(case, "proof_of_use"), deadline_calendar(case, "retention")
        (HolidayCalendar('BE'), HolidayCalendar('NW'))
    """
    setting = case.settings.holiday_calendar
    if setting == "recipient":
        return _recipient_calendar(case)
    if setting == "funder" or filed_with_funder(kind):
        funder = _funder_calendar(case)
        if funder is not None:
            return funder
    return _recipient_calendar(case)


@dataclass(frozen=True)
class _Draft:
    """A deadline before status and original date are known."""

    kind: DeadlineKind
    id: str
    title: str
    subject: str
    trigger: date
    trigger_label: str
    rule: str
    legal_source: str
    raw_end: date
    policy: ShiftPolicy
    action_required: bool
    note: str | None = None
    before_payout: bool = False  # met only if done before the phase's first payout
    first_payout: date | None = None


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _span_months(span: Span) -> int:
    if span.unit == "months":
        return span.amount
    if span.unit == "years":
        return 12 * span.amount
    raise ValueError(f"month_end needs a span in months or years, not {span}")


def _proof_of_use(case: Case, phase: Phase, rulebook: Rulebook) -> _Draft:
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
    return _Draft(
        kind="proof_of_use",
        id=f"proof-of-use:{phase.id}",
        title=f"Verwendungsnachweis Phase {phase.id} vorlegen",
        subject=f"Phase {phase.id}",
        trigger=trigger,
        trigger_label=label,
        rule=text,
        legal_source=source,
        raw_end=raw,
        policy=ShiftPolicy.FORWARD,
        action_required=True,
        note=note,
    )


def _interim_proofs(case: Case, phase: Phase, rulebook: Rulebook) -> list[_Draft]:
    """Zwischennachweise: yearly under ANBest-P, on the funder's request under ANBest-Gk."""
    rule = rulebook.interim_proof
    drafts: list[_Draft] = []
    if rule.required == "yearly" and rule.after_budget_year is not None:
        for year in range(phase.start.year, phase.end.year + 1):
            year_end = date(year, 12, 31)
            fulfilled = phase.purpose_fulfilled_on
            if phase.end <= year_end or (fulfilled is not None and fulfilled <= year_end):
                break
            drafts.append(
                _Draft(
                    kind="interim_proof",
                    id=f"interim-proof:{phase.id}:{year}",
                    title=f"Zwischennachweis {year} für Phase {phase.id} vorlegen",
                    subject=f"Phase {phase.id}",
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
        drafts.append(
            _Draft(
                kind="interim_proof",
                id=f"interim-proof:{phase.id}:{request.id}",
                title=f"Angeforderten Zwischennachweis für Phase {phase.id} vorlegen",
                subject=f"Phase {phase.id}",
                trigger=request.requested_on,
                trigger_label="Anforderung des Zuwendungsgebers",
                rule="Frist laut Anforderung des Zuwendungsgebers",
                legal_source=rule.source,
                raw_end=request.due,
                policy=ShiftPolicy.FORWARD,
                action_required=True,
            )
        )
    return drafts


def _milestones(case: Case, rulebook: Rulebook) -> list[_Draft]:
    programme = rulebook.programme
    if programme is None:
        return []
    drafts: list[_Draft] = []
    for milestone in programme.milestones:
        if milestone.due is not None:
            drafts.append(
                _Draft(
                    kind="milestone",
                    id=f"milestone:{milestone.id}",
                    title=milestone.title,
                    subject=programme.title,
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
            drafts.extend(_before_phase_milestone(case, milestone))
    return drafts


def _before_phase_milestone(case: Case, milestone: Milestone) -> list[_Draft]:
    drafts = []
    for phase in case.grant.phases:
        if phase.programme_kind != milestone.before_phase:
            continue
        paid = sorted(p.paid_on for p in case.payouts if p.phase == phase.id)
        first = paid[0] if paid else None
        drafts.append(
            _Draft(
                kind="condition",
                id=f"milestone:{milestone.id}:{phase.id}",
                title=milestone.title,
                subject=f"Phase {phase.id}",
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
                before_payout=True,
                first_payout=first,
            )
        )
    return drafts


def _drafts(
    case: Case, rulebook: Rulebook, calendar_for: Callable[[str], HolidayCalendar]
) -> list[_Draft]:
    drafts: list[_Draft] = []
    submissions = {s.deadline: s.submitted_on for s in case.submissions}
    for phase in case.grant.phases:
        drafts.append(
            _Draft(
                kind="phase_end",
                id=f"phase-end:{phase.id}",
                title=f"Ende des Bewilligungszeitraums Phase {phase.id}",
                subject=f"Phase {phase.id}",
                trigger=phase.start,
                trigger_label="Beginn des Bewilligungszeitraums",
                rule="letzter Tag des Bewilligungszeitraums",
                legal_source="Zuwendungsbescheid; § 31 Abs. 4 VwVfG",
                raw_end=phase.end,
                policy=ShiftPolicy.NONE,
                action_required=False,
            )
        )
        drafts.append(
            _Draft(
                kind="change_application",
                id=f"change-application:{phase.id}",
                title=f"Letzter Tag für einen Änderungs- oder Verlängerungsantrag Phase {phase.id}",
                subject=f"Phase {phase.id}",
                trigger=phase.end,
                trigger_label="Ende des Bewilligungszeitraums",
                rule="Antrag vor Ablauf des Bewilligungszeitraums",
                legal_source="§ 31 Abs. 7 VwVfG; ANBest Nr. 5.2, 5.3 (Mitteilungspflichten)",
                raw_end=phase.end,
                policy=ShiftPolicy.BACKWARD,
                action_required=False,
            )
        )
        proof = _proof_of_use(case, phase, rulebook)
        drafts.append(proof)
        drafts.extend(_interim_proofs(case, phase, rulebook))
        submitted = submissions.get(proof.id)
        retention = rulebook.retention
        # ANBest-Gk Nr. 6.6 / ANBest-P Nr. 6.5: five years after the proof is submitted; while
        # it is not, from the day it is due — the shifted end (§ 193 BGB), not the raw one.
        try:
            due = shift(proof.raw_end, proof.policy, calendar_for(proof.kind))[0]
        except CalendarError:
            # not covered by the holiday data: shifting the proof deadline itself raises this
            # error in derive_deadlines, after any earlier date that is not covered either
            due = proof.raw_end
        base, label = (
            (submitted, "Vorlage des Verwendungsnachweises")
            if submitted is not None
            else (due, "Fälligkeit des Verwendungsnachweises (noch nicht vorgelegt)")
        )
        drafts.append(
            _Draft(
                kind="retention",
                id=f"retention:{phase.id}",
                title=f"Aufbewahrung der Belege Phase {phase.id} endet",
                subject=f"Phase {phase.id}",
                trigger=base,
                trigger_label=label,
                rule=f"{retention.years} Jahre nach Vorlage des Verwendungsnachweises",
                legal_source=retention.source,
                raw_end=period_end(base, Span(amount=retention.years, unit="years")),
                policy=ShiftPolicy.NONE,
                action_required=False,
            )
        )
    drafts.extend(_use_windows(case, rulebook))
    drafts.extend(_milestones(case, rulebook))
    return drafts


def _use_windows(case: Case, rulebook: Rulebook) -> list[_Draft]:
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
    drafts: list[_Draft] = []
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
        drafts.append(
            _Draft(
                kind="use_window",
                id=f"use-window:{payout.id}",
                title=f"Auszahlung {payout.id} verwenden (alsbald)",
                subject=f"Auszahlung {payout.id}",
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
    return drafts


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
    ([`deadline_calendar`][foerdermittel.deadlines.deadline_calendar]): what the funder must
    receive by those at the funder's seat, the recipient's own acts by the recipient's.

    Raises:
        CalendarError: a deadline falls in a year the holiday data does not cover.
    """
    calendars: dict[str, HolidayCalendar] = {}

    def calendar_for(kind: str) -> HolidayCalendar:
        if kind not in calendars:
            calendars[kind] = deadline_calendar(case, kind)
        return calendars[kind]

    soon = case.settings.due_soon_days if due_soon_days is None else due_soon_days
    amended = amended if amended is not None else case.amended()
    original = {d.id: d for d in _drafts(case, rulebook, calendar_for)}
    submissions = {s.deadline: s.submitted_on for s in case.submissions}
    deadlines: list[Deadline] = []
    for draft in _drafts(amended, rulebook, calendar_for):
        calendar = calendar_for(draft.kind)
        end, reason = shift(draft.raw_end, draft.policy, calendar)
        before = original.get(draft.id)
        original_end = None
        if before is not None and before.raw_end != draft.raw_end:
            original_end = shift(before.raw_end, before.policy, calendar)[0]
        submitted = submissions.get(draft.id)
        if draft.before_payout:
            status = _before_payout_status(draft.first_payout, submitted, as_of)
        else:
            status = status_of(
                end,
                as_of=as_of,
                due_soon_days=soon,
                submitted_on=submitted,
                action_required=draft.action_required,
            )
        rule_fields = {k: v for k, v in asdict(draft).items() if k in Deadline.model_fields}
        deadlines.append(
            Deadline(
                **rule_fields,
                end=end,
                shift_reason=reason,
                calendar_land=calendar.land,
                calendar_region=calendar.region,
                original_end=original_end,
                submitted_on=submitted,
                status=status,
            )
        )
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
        own = _recipient_calendar(case).label
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


def _kind(case: Case, phase_id: str) -> str:
    return next(p.programme_kind for p in case.grant.phases if p.id == phase_id)


def check_amendments(case: Case, rulebook: Rulebook) -> tuple[Finding, ...]:
    """Findings on amendments: extensions past the programme's ceiling, late applications.

    References:
        § 31 Abs. 7 VwVfG (deadlines set by an authority may be extended, even afterwards);
        MPSC call 2021: cost-neutral extension at most to 31.03.2028.
    """
    findings: list[Finding] = []
    programme = rulebook.programme
    ceiling = programme.extension_ceiling if programme else None
    ends = {p.id: p.end for p in case.grant.phases}
    for amendment in case.ordered_amendments():
        for change in amendment.phases:
            subject = f"Phase {change.phase}"
            if ceiling is not None and programme is not None and change.new_end > ceiling:
                findings.append(
                    Finding(
                        code="extension-beyond-ceiling",
                        severity=Severity.ERROR,
                        message=(
                            f"Änderungsbescheid {amendment.id}: Verlängerung bis "
                            f"{_d(change.new_end)} liegt nach der Obergrenze des Programms "
                            f"({_d(ceiling)})"
                        ),
                        legal_reference=programme.source,
                        subject=subject,
                    )
                )
            limit = programme.phases.get(_kind(case, change.phase)) if programme else None
            if limit is not None and limit.proof_of_use_after_decision is not None:
                phase = next(p for p in case.grant.phases if p.id == change.phase)
                decided = case.grant.phase_decision_date(phase)
                due = period_end(decided, limit.proof_of_use_after_decision)
                if due < change.new_end:
                    findings.append(
                        Finding(
                            code="proof-deadline-before-phase-end",
                            severity=Severity.WARNING,
                            message=(
                                f"Änderungsbescheid {amendment.id}: der Verwendungsnachweis "
                                f"wäre {limit.proof_of_use_after_decision} nach der Zusage, am "
                                f"{_d(due)}, fällig — vor dem neuen Ende {_d(change.new_end)}; "
                                "die Nachweisfrist muss der Zuwendungsgeber neu festsetzen"
                            ),
                            legal_reference=limit.proof_of_use_source or limit.source,
                            subject=subject,
                        )
                    )
            current = ends[change.phase]
            if amendment.applied_on is not None and amendment.applied_on > current:
                findings.append(
                    Finding(
                        code="extension-applied-late",
                        severity=Severity.WARNING,
                        message=(
                            f"Änderungsbescheid {amendment.id}: Antrag vom "
                            f"{_d(amendment.applied_on)} erst nach Ende des "
                            f"Bewilligungszeitraums am {_d(current)} gestellt; eine "
                            "rückwirkende Verlängerung liegt im Ermessen des Zuwendungsgebers"
                        ),
                        legal_reference="§ 31 Abs. 7 VwVfG",
                        subject=subject,
                    )
                )
            ends[change.phase] = change.new_end
    return tuple(findings)
