"""What scenario steps share: the lines and phases they address, what they cannot change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from foerdermittel.errors import CaseError
from foerdermittel.message_types import Message, Subject
from foerdermittel.model.plan import BudgetLine
from foerdermittel.model.scenario_progress import Situation

if TYPE_CHECKING:
    from foerdermittel.model.case import Case
    from foerdermittel.model.grant import Phase

__all__: list[str] = []


def _signed(value: Decimal | int) -> Message:
    """A change with its sign (``+20``, ``-12``), the figure as written."""
    negative = value < 0 or (isinstance(value, Decimal) and value.is_signed())
    return Message.of(f"signed.{'minus' if negative else 'plus'}", amount=abs(value))


def _lines(case: Case, selector: str) -> list[BudgetLine]:
    """The plan lines a step addresses: a line id, a group (Leitthema), or ``phase:B``."""
    phase = selector[len("phase:") :] if selector.startswith("phase:") else None
    lines = case.plan.lines
    chosen = [
        line
        for line in lines
        if line.id == selector or line.group == selector or line.phase == phase
    ]
    if not chosen:
        ids = ", ".join(line.id for line in lines)
        raise CaseError.single(
            "line", selector, f"kein Einzelansatz und keine Gruppe dieses Namens; Ansätze: {ids}"
        )
    return chosen


def _phase(case: Case, phase_id: str) -> Phase:
    for phase in case.grant.phases:
        if phase.id == phase_id:
            return phase
    valid = ", ".join(p.id for p in case.grant.phases)
    raise CaseError.single("phase", phase_id, f"unbekannte Phase; vorhanden: {valid}")


def _ends(case: Case) -> dict[str, date]:
    """Each phase's end as the amendments (and earlier steps) leave it."""
    ends = {p.id: p.end for p in case.grant.phases}
    for amendment in sorted(case.amendments, key=lambda a: a.decided_on):
        for change in amendment.phases:
            if change.new_end is not None:
                ends[change.phase] = max(ends[change.phase], change.new_end)
    return ends


def _first_months(case: Case) -> dict[str, date]:
    """Each phase's first month (its first day's month)."""
    return {p.id: p.start.replace(day=1) for p in case.grant.phases}


def _with_lines(case: Case, changed: Mapping[str, BudgetLine], **plan: Any) -> Case:
    """``case`` with the lines in ``changed`` replaced (by id) and other plan fields set."""
    lines = tuple(changed.get(line.id, line) for line in case.plan.lines)
    return case.model_copy(update={"plan": case.plan.model_copy(update={"lines": lines, **plan})})


def _unchanged(case: Case, at: Situation, lines: Iterable[BudgetLine], step: str) -> list[Message]:
    """Notes for lines a step cannot change: fully booked, or their phase over and done.

    ``step`` names the step's kind (``scale``, ``shift``, ``drop``) for the words.
    """
    ends = {**_ends(case), **at.progress.phase_ends}
    over: dict[str, list[str]] = {}
    booked: list[str] = []
    for line in lines:
        if ends[line.phase] < at.progress.as_of:
            over.setdefault(line.phase, []).append(line.id)
        else:
            booked.append(line.id)
    what = Message.of(f"scenario.step-name.{step}")
    notes = []
    if booked:
        notes.append(
            Message.of(
                "scenario.note.fully-booked", count=len(booked), lines=tuple(booked), step=what
            )
        )
    for phase, ids in over.items():
        notes.append(
            Message.of(
                "scenario.note.phase-over",
                phase=Subject("phase", phase),
                end=ends[phase],
                lines=tuple(ids),
                step=what,
            )
        )
    return notes
