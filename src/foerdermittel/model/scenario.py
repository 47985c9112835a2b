"""Scenarios: "what if" as a named, ordered list of steps that change a case.

A [`Scenario`][foerdermittel.model.scenario.Scenario] runs its steps in order, each a
[`Transformation`][foerdermittel.model.scenario.Transformation]: a function from a case to the
changed case ([`Step.apply`][foerdermittel.model.scenario.Step.apply]). It checks the final case
once. Steps and scenarios are data, so scenarios can be kept in the case file
(``[[scenarios]]``) and run from the command line.

On a key date a scenario respects what happened: given the
[`Progress`][foerdermittel.model.scenario.Progress] of the case (what each line has booked up to
the cut-off and what of it is still open), the steps change only what is not yet booked;
vouchers and recorded payouts stay as they are. A step that can change nothing any more, or
that the case cannot take any more on the key date, says so in a note.

The steps live in ``foerdermittel.model.scenario_steps``, the progress and the steps' working
state in ``foerdermittel.model.scenario_progress``; this module exports them all, as before.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from foerdermittel.errors import CaseError
from foerdermittel.message_types import Message
from foerdermittel.model.records import Expenditure
from foerdermittel.model.scenario_progress import Progress, Situation
from foerdermittel.model.scenario_steps import (
    AddThirdParty,
    ChangeRate,
    DropLine,
    ExtendPhase,
    ScaleLine,
    SetActual,
    ShiftLine,
    Step,
)
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.money import CENT, ZERO
from foerdermittel.plausible import AMOUNT_LIMIT, year_problem

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
    "Step",
    "Transformation",
]


Transformation = Annotated[
    ScaleLine | ShiftLine | ExtendPhase | AddThirdParty | ChangeRate | DropLine | SetActual,
    Field(discriminator="kind"),
]
"""One step of a scenario (the ``kind`` field tells which)."""


class Scenario(BaseModel):
    """Szenario — a named, ordered list of transformations of a case.

    Examples:
        >>> from foerdermittel.message_types import words
        >>> s = Scenario(name="Verzug", steps=(ShiftLine(line="B-1.1", months=12),))
        >>> words(s.steps[0].summary)
        'B-1.1: Ausgaben +12 Monate verschoben'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, description="Name des Szenarios")
    steps: tuple[Transformation, ...] = Field(default=(), description="Schritte")

    def apply(self, case: Case, *, progress: Progress | None = None) -> Case:
        """The case as the scenario changes it (checked again).

        With ``progress`` (the case's [`Progress`][foerdermittel.model.scenario.Progress] on a
        key date) the steps change only what is not yet booked.

        Raises:
            CaseError: a step does not fit the case (unknown line or phase, …), or the changed
                case is not one the case file could hold; the message names the scenario (and
                the step).
        """
        return self.applied(case, progress=progress)[0]

    def applied(
        self, case: Case, *, progress: Progress | None = None
    ) -> tuple[Case, tuple[Message, ...]]:
        """The changed case and the steps' notes as messages, e.g. that a line is fully booked.

        The steps run one after the other, each on the case the one before returned; ``case``
        stays as it is. The result carries no scenarios. It is checked once, at the end,
        against what the case model accepts: a step may build what the model refuses (an amount
        scaled beyond the plausible range, a month booked outside the phase, an id that is
        taken), and then the scenario fails with the words the case file would get.

        Raises:
            CaseError: a step does not fit the case (the message names the scenario and the
                step), or the changed case is refused (the message names the scenario).
        """
        steps = self.steps
        keys = tuple(repr(step) for step in steps)
        begun = _begun(case, progress, keys)
        if begun is None:
            start, changed, notes = 0, case.model_copy(update={"scenarios": ()}), []
            at = Situation(progress) if progress is not None else None
        else:
            start, changed, remaining, said_before = begun
            notes = list(said_before)
            at = Situation(progress, _copied(remaining)) if progress is not None else None
        for index in range(start, len(steps)):
            if index == len(steps) - 1 and index > start:
                _remember(case, progress, keys[:index], changed, at, notes)
            try:
                changed, said = steps[index].apply(changed, at)
            except CaseError as exc:
                raise CaseError(
                    exc.problems, file=f"Szenario {self.name!r}, Schritt {index + 1}"
                ) from None
            notes.extend(said)
        return _checked(case, changed, file=f"Szenario {self.name!r}"), tuple(notes)


_Begun = tuple[int, "Case", dict[str, dict[date, Decimal]] | None, tuple[Message, ...]]

_BEGUN: list[tuple[weakref.ref[Case], Progress | None, tuple[str, ...], _Begun]] = []
_BEGUN_KEPT = 4
"""The state after all but the last step of the last few scenarios run.

Scenarios of a sweep differ in their last step (e.g. the delay, for the same overrun): a
scenario that begins with the same steps on the same case and progress takes up the case,
the open rest and the notes those steps left, and runs only the steps after them. The memo
holds the case weakly and the progress (both immutable): an entry goes with its case, so the
changed cases it keeps (which share the case's vouchers) do not keep a ledger alive that the
caller has let go, and an identity is never taken for another's. The steps are compared by
their ``repr``, which tells every value as written (``Decimal("7")`` from
``Decimal("7.0")``); the open rest is copied in and out.
"""


def _begun(case: Case, progress: Progress | None, steps: tuple[str, ...]) -> _Begun | None:
    """The remembered state after the longest beginning of ``steps`` run on this case.

    ``steps`` are the steps' ``repr``.
    """
    best: _Begun | None = None
    for known_case, known_progress, known_steps, state in list(_BEGUN):
        if (
            known_case() is case
            and known_progress is progress
            and len(known_steps) < len(steps)
            and (best is None or len(known_steps) > best[0])
            and steps[: len(known_steps)] == known_steps
        ):
            best = state
    return best


def _remember(
    case: Case,
    progress: Progress | None,
    steps: tuple[str, ...],
    changed: Case,
    at: Situation | None,
    notes: list[Message],
) -> None:
    remaining = _copied(at.remaining) if at is not None else None
    del _BEGUN[: max(0, len(_BEGUN) - _BEGUN_KEPT + 1)]
    known = weakref.ref(case, _forget)
    _BEGUN.append((known, progress, steps, (len(steps), changed, remaining, tuple(notes))))


def _forget(gone: weakref.ref[Case]) -> None:
    """Drop the entries of a case that is gone (with the changed cases they keep)."""
    _BEGUN[:] = [entry for entry in list(_BEGUN) if entry[0] is not gone]


def _copied(
    remaining: dict[str, dict[date, Decimal]] | None,
) -> dict[str, dict[date, Decimal]]:
    return {line: dict(months) for line, months in (remaining or {}).items()}


def _checked(original: Case, changed: Case, *, file: str) -> Case:
    """``changed`` if the case model accepts it, checked once; else the model's error.

    The steps build their parts with ``model_copy`` and ``model_construct``, unvalidated. What
    they copy was valid; what they compute is checked here, field by field where it can leave
    its field's range (``_computed_fit``), and the whole case against the rules that span its
    parts (``Case.reference_problems``; plan lines the steps left as they are in a case found
    without problems, with its phases, amendments and profiles, are not checked again). Where
    either finds a problem, the case is validated as
    a case file is (rebuilt through the case's own class), which says what is wrong in the same
    words, with every problem and its path.
    """
    if _computed_fit(original, changed) and not changed._problems_after(original):
        return changed
    return type(original).from_data(changed.model_dump(), file=file)


def _computed_fit(original: Case, changed: Case) -> bool:
    """Whether every value the steps computed fits its field.

    Computed, and so checked, are: budget lines' yearly and monthly amounts (scaled, shifted,
    booked plus open rest: they must be amounts to the cent, not negative, below the plausible
    limit, in plausible years), the plan's ineligible expenditure (a shift may move it into a
    year past the plausible range), new funding sources and new vouchers (their amounts come
    from a step's fields, which do not hold them to the plausible limit). Everything else a
    step sets is a value the model already accepted (a validated field of the step, a date of
    the case, a rate of the programme, ``None``) or words from the catalogue.
    """
    before = {id(line) for line in original.plan.lines}
    for line in changed.plan.lines:
        if id(line) in before:
            continue
        if not (_years_fit(line.amounts) and _amounts_fit(line.amounts.values(), signed=False)):
            return False
        if line.monthly:
            # the plausible years are a range: the first and the last month's years tell
            years = (int(min(line.monthly)[:4]), int(max(line.monthly)[:4]))
            if not (_years_fit(years) and _amounts_fit(line.monthly.values(), signed=False)):
                return False
    ineligible = changed.plan.ineligible
    if ineligible is not original.plan.ineligible and not (
        _years_fit(ineligible) and _amounts_fit(ineligible.values(), signed=False)
    ):
        return False
    sources = _new(changed.plan.sources, original.plan.sources)
    if not _amounts_fit((s.amount for s in sources), signed=False):
        return False
    return _vouchers_fit(changed.expenditures, original.expenditures)


def _vouchers_fit(vouchers: Sequence[Expenditure], before: Sequence[Expenditure]) -> bool:
    """Whether the amounts of the vouchers not in ``before`` fit their field.

    Held as columns, every amount is a whole number of cents (two places by construction),
    and a voucher is built anew each time it is taken, so it is no longer the object
    ``before`` holds: the columns' amounts are held to the limit all at once (those of
    ``before`` were checked when the case was read, so the new ones decide), the vouchers kept
    as they are beside the columns one by one.
    """
    if vouchers is before:
        return True
    if not isinstance(vouchers, VoucherColumns):
        return _amounts_fit((e.amount for e in _new(vouchers, before)), signed=True)
    cents = vouchers.amounts
    if len(cents) and max(max(cents), -min(cents)) * CENT >= AMOUNT_LIMIT:
        return False
    odd = vouchers.odd
    return odd is None or _amounts_fit((e.amount for e in odd.values()), signed=True)


def _new(items: Iterable[Any], before: Iterable[Any]) -> list[Any]:
    """The items that are not (the very objects) in ``before``."""
    if items is before:
        return []
    known = {id(item) for item in before}
    return [item for item in items if id(item) not in known]


def _years_fit(years: Iterable[int]) -> bool:
    return all(year_problem(year) is None for year in years)


def _amounts_fit(amounts: Iterable[Decimal], *, signed: bool) -> bool:
    """Amounts as the model holds them: exactly two places, below the limit, ≥ 0 unless signed."""
    values = list(amounts)
    if not values:
        return True
    if not all(map(CENT.same_quantum, values)):  # two places (NaN and infinities have none)
        return False
    if signed:
        return max(map(abs, values)) < AMOUNT_LIMIT
    return min(values) >= ZERO and max(values) < AMOUNT_LIMIT
