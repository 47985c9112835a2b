"""Cost-neutral extension: re-plan what is left of a phase over a longer approval period.

An extension application (MPSC call 2021: up to 31.03.2028, with a *binding drawdown plan*)
keeps the grant and every line's total; only the timing changes. What the forecast says is
spent up to the key date stays where it is; what is left of each line is spread evenly over
the months from the month after the key date to the new end. The result is a draft
Änderungsbescheid ([`Amendment`][foerdermittel.model.amendments.Amendment]) that can be evaluated
like a decided one, giving the re-planned drawdown plan.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.errors import CaseError
from foerdermittel.forecast import forecast, month_end, months_of
from foerdermittel.model.amendments import Amendment, LineChange, PhaseChange
from foerdermittel.model.case import Case
from foerdermittel.money import ZERO, allocate

__all__ = ["extension_amendment", "with_extension"]


def extension_amendment(case: Case, phase_id: str, new_end: date, *, as_of: date) -> Amendment:
    """A draft amendment extending ``phase_id`` to ``new_end``, cost-neutral.

    Raises:
        CaseError: the phase does not exist, the new end is not after the current end, or
            no month of the new window lies after the key date.

    Examples:
        >>> from foerdermittel import load_case
        >>> a = extension_amendment(load_case("examples/bochum-mpsc.toml"), "B",
        ...                         date(2028, 3, 31), as_of=date(2024, 12, 31))
        >>> a.cost_neutral, a.phases[0].new_end
        (True, datetime.date(2028, 3, 31))
    """
    amended = case.amended()
    phases = {p.id: p for p in amended.grant.phases}
    if phase_id not in phases:
        raise CaseError.single(
            "phase", phase_id, "unbekannte Phase; vorhanden: " + ", ".join(phases)
        )
    phase = phases[phase_id]
    if new_end <= phase.end:
        raise CaseError.single(
            "new_end",
            new_end,
            f"ist keine Verlängerung: Phase {phase_id} endet bereits am {phase.end:%d.%m.%Y}",
        )
    window = [m for m in months_of(phase.start, new_end) if month_end(m) > as_of]
    if not window:
        raise CaseError.single(
            "as_of", as_of, "nach dem Stichtag bleibt kein Monat der verlängerten Phase"
        )
    spending = forecast(amended, as_of)
    changes: list[LineChange] = []
    for line in amended.plan.lines_of(phase_id):
        lf = spending.line(line.id)
        kept = {m.month: m.forecast for m in lf.months if month_end(m.month) <= as_of}
        remaining = max(line.total - sum(kept.values(), ZERO), ZERO)
        amounts: dict[int, Decimal] = {}
        for month, amount in kept.items():
            amounts[month.year] = amounts.get(month.year, ZERO) + amount
        parts = allocate(remaining, [Decimal(1)] * len(window))
        for month, part in zip(window, parts, strict=True):
            amounts[month.year] = amounts.get(month.year, ZERO) + part
        changes.append(
            LineChange(line=line.id, amounts={y: a for y, a in sorted(amounts.items()) if a})
        )
    return Amendment(
        id=f"Verlängerung {phase_id} (Entwurf)",
        title=(
            f"Kostenneutrale Verlängerung der Phase {phase_id} bis {new_end:%d.%m.%Y} "
            "mit verbindlichem Mittelabrufplan"
        ),
        decided_on=max(as_of, max((a.decided_on for a in case.amendments), default=as_of)),
        phases=(PhaseChange(phase=phase_id, new_end=new_end),),
        lines=tuple(changes),
        note="Entwurf: Restmittel ab dem Folgemonat des Stichtags gleichmäßig verteilt",
    )


def with_extension(case: Case, phase_id: str, new_end: date, *, as_of: date) -> Case:
    """The case with the draft extension added to its amendments (validated again)."""
    draft = extension_amendment(case, phase_id, new_end, as_of=as_of)
    data = case.model_dump()
    data["amendments"] = [*data["amendments"], draft.model_dump()]
    return Case.from_data(data)
