"""Findings on deadlines: missed, due soon, a submission naming none, an unknown funder's seat.

[`check_deadlines`][foerdermittel.deadline_checks.check_deadlines] reads the deadlines that
[`derive_deadlines`][foerdermittel.deadlines.derive_deadlines] returns (it is importable from
``foerdermittel.deadlines`` as well). Each finding carries its figures — the deadline's title
as a message, its end, the day it was met — and no words; the catalogues give them.
"""

from __future__ import annotations

from collections.abc import Iterable

from foerdermittel.deadline_arithmetic import DeadlineStatus
from foerdermittel.deadline_places import filed_with_funder, holiday_calendar
from foerdermittel.deadline_types import Deadline
from foerdermittel.errors import Finding, Severity
from foerdermittel.message_types import Message, Subject
from foerdermittel.model.case import Case

__all__ = ["check_deadlines"]


def check_deadlines(case: Case, deadlines: Iterable[Deadline]) -> tuple[Finding, ...]:
    """Findings for deadlines missed or due soon, and for submissions naming no deadline.

    * ``deadline-missed`` (error): a deadline that calls for action passed without a recorded
      submission, or was met late; ``title`` (the deadline's
      [`what`][foerdermittel.deadlines.Deadline]), ``end``, ``done``.
    * ``payout-before-milestone`` (error): money of a phase was paid out before its condition
      was met; ``title``, ``done``, ``note``.
    * ``deadline-due-soon`` (warning): within the warning period; ``title``, ``end``.
    * ``submission-unknown-deadline`` (warning): a submission names a deadline id that does
      not exist; ``day``, ``deadline``, ``known``.
    * ``funder-seat-unknown`` (info, once per case): the funder's seat is not named
      (``grant.funder_land``), so deadlines for what the funder must receive shift by the
      recipient's holidays instead of those at the place of receipt (§ 193 BGB; § 31 Abs. 3
      VwVfG); ``calendar``, the recipient's calendar.
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
        own = holiday_calendar(case)  # the recipient's under "by_kind"
        findings.append(
            Finding.of(
                "funder-seat-unknown",
                Severity.INFO,
                Subject("calendar"),
                "§ 193 BGB; § 31 Abs. 3 VwVfG",
                calendar=own.place,
            )
        )
    for deadline in deadlines:
        known.add(deadline.id)
        if deadline.status is DeadlineStatus.MISSED:
            findings.append(_missed(deadline))
        elif deadline.status is DeadlineStatus.DUE_SOON and deadline.action_required:
            findings.append(
                Finding.of(
                    "deadline-due-soon",
                    Severity.WARNING,
                    deadline.about,
                    deadline.legal_source,
                    title=deadline.what,
                    end=deadline.end,
                )
            )
    for submission in case.submissions:
        if submission.deadline not in known:
            findings.append(
                Finding.of(
                    "submission-unknown-deadline",
                    Severity.WARNING,
                    Subject("deadlines"),
                    "—",
                    day=submission.submitted_on,
                    deadline=submission.deadline,
                    known=tuple(sorted(known)),
                )
            )
    return tuple(findings)


def _missed(deadline: Deadline) -> Finding:
    """The finding on a missed deadline: a condition for money, or any other."""
    done = deadline.submitted_on
    if deadline.kind == "condition":
        return Finding.of(
            "payout-before-milestone",
            Severity.ERROR,
            deadline.about,
            deadline.legal_source,
            title=deadline.what,
            done=(
                Message.of("deadline.part.done-on", day=done)
                if done
                else Message.of("deadline.part.not-recorded")
            ),
            note=deadline.note_text,
        )
    return Finding.of(
        "deadline-missed",
        Severity.ERROR,
        deadline.about,
        deadline.legal_source,
        title=deadline.what,
        end=deadline.end,
        done=(
            Message.of("deadline.part.done-late", day=done)
            if done
            else Message.of("deadline.part.not-recorded")
        ),
    )
