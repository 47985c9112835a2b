"""Scenario transformations: "what if" as small immutable values that change a case.

Each transformation turns a case (as a dict, in place) into the changed case; a
[`Scenario`][foerdermittel.model.scenario.Scenario] applies them in order and validates the
result again. They are data, so scenarios can be kept in the case file (``[[scenarios]]``) and
run from the command line. The steps live in ``foerdermittel.model.scenario_steps``, the
progress and the steps' working state in ``foerdermittel.model.scenario_progress``; this module
exports them all, as before.

On a key date a scenario respects what happened: given the
[`Progress`][foerdermittel.model.scenario.Progress] of the case (what each line has booked up to
the cut-off and what of it is still open), the steps change only what is not yet booked;
vouchers and recorded payouts stay as they are. A step that can change nothing any more, or
that the case cannot take any more on the key date, says so in a note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from foerdermittel.errors import CaseError
from foerdermittel.message_types import Message
from foerdermittel.model.scenario_progress import Progress, Situation
from foerdermittel.model.scenario_steps import (
    AddThirdParty,
    ChangeRate,
    DropLine,
    ExtendPhase,
    ScaleLine,
    SetActual,
    ShiftLine,
)

if TYPE_CHECKING:
    from foerdermittel.model.case import Case

__all__ = [
    "AddThirdParty",
    "ChangeRate",
    "DropLine",
    "ExtendPhase",
    "Progress",
    "ScaleLine",
    "Scenario",
    "SetActual",
    "ShiftLine",
    "Situation",
    "Transformation",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


Transformation = Annotated[
    ScaleLine | ShiftLine | ExtendPhase | AddThirdParty | ChangeRate | DropLine | SetActual,
    Field(discriminator="kind"),
]
"""One step of a scenario (the ``kind`` field tells which)."""


def _lists(value: Any) -> Any:
    """A dumped model with lists for tuples, so that transformations can append."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


class Scenario(_Frozen):
    """Szenario — a named, ordered list of transformations of a case.

    Examples:
        >>> s = Scenario(name="Verzug", steps=(ShiftLine(line="B-1.1", months=12),))
        >>> s.steps[0].describe()
        'B-1.1: Ausgaben +12 Monate verschoben'
    """

    name: str = Field(min_length=1, description="Name des Szenarios")
    steps: tuple[Transformation, ...] = Field(default=(), description="Schritte")

    def apply(self, case: Case, *, progress: Progress | None = None) -> Case:
        """The case as the scenario changes it (validated again).

        With ``progress`` (the case's [`Progress`][foerdermittel.model.scenario.Progress] on a
        key date) the steps change only what is not yet booked.

        Raises:
            CaseError: a step does not fit the case (unknown line or phase, …); the message
                names the scenario and the step.
        """
        return self.applied(case, progress=progress)[0]

    def applied(
        self, case: Case, *, progress: Progress | None = None
    ) -> tuple[Case, tuple[Message, ...]]:
        """The changed case and the steps' notes as messages, e.g. that a line is fully booked.

        Raises:
            CaseError: a step does not fit the case; the message names the scenario and the
                step.
        """
        data = _lists(case.model_dump())
        data["scenarios"] = []
        at = Situation(progress) if progress is not None else None
        notes: list[Message] = []
        for index, step in enumerate(self.steps):
            try:
                notes.extend(step.apply(data, at))
            except CaseError as exc:
                raise CaseError(
                    exc.problems, file=f"Szenario {self.name!r}, Schritt {index + 1}"
                ) from None
        # Rebuilt through the case's own class: the case model imports this module, not back.
        return type(case).from_data(data, file=f"Szenario {self.name!r}"), tuple(notes)
