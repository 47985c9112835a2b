"""Applying amendments (Änderungsbescheide) to the decision, and what they must fit.

[`amend_grant`][foerdermittel.model.amending.amend_grant] walks the amendments in the order of
their decision and returns the grant as they leave it together with every value they changed
(a [`DecisionChange`][foerdermittel.model.amendments.DecisionChange] each: before and after);
[`Case.amended`][foerdermittel.model.case.Case.amended] and the report's side-by-side view of
the decision and its amendments both read it, so the two cannot disagree.
[`amendment_problems`][foerdermittel.model.amending.amendment_problems] holds the case's checks
of the amendments against the decision (ids that must exist, extensions that extend, rates that
fit the financing type).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from foerdermittel.errors import Problem
from foerdermittel.message_types import Message, words
from foerdermittel.model.amendments import Amendment, ChangedValue, DecisionChange
from foerdermittel.model.grant import FinancingType, Grant, Phase

__all__ = ["amend_grant", "amendment_problems", "latest_end"]

_GRANT_VALUES = (ChangedValue.ELIGIBLE_EXPENDITURE, ChangedValue.RATE, ChangedValue.MAX_AMOUNT)
"""The grant's values an amendment may change, in the order the report lists them."""

_PHASE_VALUES = (
    ChangedValue.END,
    ChangedValue.ELIGIBLE_EXPENDITURE,
    ChangedValue.RATE,
    ChangedValue.MAX_AMOUNT,
)
"""A phase's values an amendment may change, in the order the report lists them."""

_PHASE_FIELD = {
    ChangedValue.END: "new_end",
    ChangedValue.ELIGIBLE_EXPENDITURE: "eligible_expenditure",
    ChangedValue.RATE: "rate",
    ChangedValue.MAX_AMOUNT: "max_amount",
}
"""The field of a [`PhaseChange`][foerdermittel.model.amendments.PhaseChange] per value."""


def amend_grant(
    grant: Grant, amendments: Sequence[Amendment]
) -> tuple[Grant, tuple[DecisionChange, ...]]:
    """The grant as ``amendments`` leave it, and each value they changed, in order.

    The amendments apply in the order given (the caller sorts them by the day of their
    decision); a value an amendment leaves out stays as it was, and a value it names again
    unchanged is no change. Where an amendment changes the financing figures (an eligible
    expenditure, a rate or a Höchstbetrag, of the grant or of a phase), the grant and own share
    the first decision stated (``stated_grant``, ``stated_own_share``) no longer describe the
    decision in force: the amended grant has none (the first decision keeps them). The total
    eligible expenditure the decision states stays until an amendment states a new one.

    The grant is built with ``model_copy`` from parts already validated: the amendments are
    checked against the case when it is loaded
    ([`amendment_problems`][foerdermittel.model.amending.amendment_problems]).

    Examples:
        >>> from foerdermittel.model.amendments import PhaseChange
        >>> grant = Grant(id="Z-1", funder="KfW", recipient="Stadt", land="NW",
        ...               decision_date=date(2024, 1, 15), financing_type="anteilfinanzierung",
        ...               rate="0.75", max_amount="210000.00",
        ...               phases=[dict(id="A", title="Sanierungsmanagement",
        ...                            start=date(2024, 2, 1), end=date(2027, 1, 31),
        ...                            eligible_expenditure="280000.00")])
        >>> extended = Amendment(id="Ä-1", title="Verlängerung", decided_on=date(2026, 11, 2),
        ...                      max_amount="350000.00",
        ...                      phases=[PhaseChange(phase="A", new_end=date(2029, 1, 31),
        ...                                          eligible_expenditure="466666.67")])
        >>> amended, changes = amend_grant(grant, [extended])
        >>> amended.max_amount, amended.phases[0].end
        (Decimal('350000.00'), datetime.date(2029, 1, 31))
        >>> [(c.phase, c.value.value, str(c.before), str(c.after)) for c in changes]
        ... # doctest: +NORMALIZE_WHITESPACE
        [(None, 'max_amount', '210000.00', '350000.00'),
         ('A', 'end', '2027-01-31', '2029-01-31'),
         ('A', 'eligible_expenditure', '280000.00', '466666.67')]
    """
    if not amendments:
        return grant, ()
    phases = {p.id: p for p in grant.phases}
    top: dict[str, Any] = {}
    changes: list[DecisionChange] = []

    def note(
        amendment: Amendment,
        phase: str | None,
        value: ChangedValue,
        before: Decimal | date | None,
        after: Decimal | date,
    ) -> None:
        if before != after:
            changes.append(
                DecisionChange.model_construct(
                    amendment=amendment.id,
                    decided_on=amendment.decided_on,
                    phase=phase,
                    value=value,
                    before=before,
                    after=after,
                )
            )

    for amendment in amendments:
        for value in _GRANT_VALUES:
            after = getattr(amendment, value.value)
            if after is not None:
                note(
                    amendment, None, value, top.get(value.value, getattr(grant, value.value)), after
                )
                top[value.value] = after
        for change in amendment.phases:
            phase = phases[change.phase]
            update: dict[str, Any] = {}
            for value in _PHASE_VALUES:
                after = getattr(change, _PHASE_FIELD[value])
                if after is not None:
                    note(amendment, phase.id, value, getattr(phase, value.value), after)
                    update[value.value] = after
            phases[change.phase] = phase.model_copy(update=update)
    if any(c.value is not ChangedValue.END for c in changes):
        top |= {"stated_grant": None, "stated_own_share": None}
    if not changes:
        return grant, ()
    return grant.model_copy(update={**top, "phases": tuple(phases.values())}), tuple(changes)


def _unknown_phase(path: str, who: str, value: str, valid: str) -> Problem:
    return Problem(path, value, f"{who} nennt eine Phase, die es nicht gibt; vorhanden: {valid}")


def amendment_problems(
    grant: Grant, amendments: Sequence[Amendment], line_phase: Mapping[str, str]
) -> tuple[list[Problem], dict[str, date]]:
    """What the amendments break of the decision, and each phase's end as they leave it.

    Each amendment is checked against the decision as the ones decided before it left it: a
    phase it names must exist, a new end must lie after the current one, a rate it sets must
    fit the financing type (only Anteilfinanzierung has one, VV Nr. 2.2.1 zu § 44 BHO) and, set
    for the grant, must reach a phase without a rate of its own; a line it re-plans must exist
    and its budget years lie within its phase's period. Paths name the amendment by its place
    in ``amendments`` (``amendments[1].phases[0].rate``).

    Args:
        grant: the grant as first decided.
        amendments: the case's amendments, as the file lists them.
        line_phase: each plan line's phase.
    """
    problems: list[Problem] = []
    phases = {p.id: p for p in grant.phases}
    valid_phases = ", ".join(phases)
    ends = {p.id: p.end for p in grant.phases}
    own_rate = {p.id: p.rate is not None for p in grant.phases}
    anteil = grant.financing_type is FinancingType.ANTEIL

    def rate_problem(path: str, rate: Decimal) -> None:
        kind = words(Message.of(f"financing-type.{grant.financing_type.value}"))
        problems.append(
            Problem(
                path,
                rate,
                f"eine Förderquote gibt es nur bei Anteilfinanzierung, der Bescheid ist eine "
                f"{kind}: die Änderung der Quote liefe ins Leere",
            )
        )

    order = sorted(range(len(amendments)), key=lambda i: amendments[i].decided_on)
    for index in order:
        amendment = amendments[index]
        for c_index, change in enumerate(amendment.phases):
            where = f"amendments[{index}].phases[{c_index}]"
            if change.phase not in phases:
                problems.append(
                    _unknown_phase(
                        f"{where}.phase",
                        f"Änderungsbescheid {amendment.id!r}",
                        change.phase,
                        valid_phases,
                    )
                )
                continue
            if change.rate is not None:
                if anteil:
                    own_rate[change.phase] = True
                else:
                    rate_problem(f"{where}.rate", change.rate)
            if change.new_end is None:
                continue
            current = ends[change.phase]
            if change.new_end <= current:
                problems.append(
                    Problem(
                        f"{where}.new_end",
                        change.new_end,
                        f"ist keine Verlängerung: die Phase {change.phase} endet bereits am "
                        f"{current:%d.%m.%Y}. Ein kürzerer Bewilligungszeitraum ist eine andere "
                        "Art von Änderung (Verkürzung/Teilaufhebung) und wird hier nicht "
                        "als Verlängerung erfasst",
                    )
                )
                continue
            ends[change.phase] = change.new_end
        if amendment.rate is not None:
            if not anteil:
                rate_problem(f"amendments[{index}].rate", amendment.rate)
            elif all(own_rate.values()):
                problems.append(
                    Problem(
                        f"amendments[{index}].rate",
                        amendment.rate,
                        "die Förderquote des Bescheids gilt für keine Phase: jede Phase hat "
                        f"eine eigene ({', '.join(own_rate)}); die Änderung gehört zur Phase "
                        "(phases[].rate)",
                    )
                )
        for l_index, line_change in enumerate(amendment.lines):
            where = f"amendments[{index}].lines[{l_index}]"
            if line_change.line not in line_phase:
                problems.append(
                    Problem(
                        f"{where}.line",
                        line_change.line,
                        f"Änderungsbescheid {amendment.id!r} nennt einen Einzelansatz, den es "
                        "nicht gibt",
                    )
                )
                continue
            phase_id = line_phase[line_change.line]
            if phase_id not in phases:
                continue
            years = range(phases[phase_id].start.year, ends[phase_id].year + 1)
            for year in line_change.amounts:
                if year not in years:
                    problems.append(
                        Problem(
                            f"{where}.amounts.{year}",
                            year,
                            f"Haushaltsjahr außerhalb des Bewilligungszeitraums der Phase "
                            f"{phase_id}",
                        )
                    )
    return problems, ends


def latest_end(phase: Phase, amendments: Sequence[Amendment]) -> date:
    """The latest end any of ``amendments`` gives ``phase`` (its own end where none does)."""
    ends = [c.new_end for a in amendments for c in a.phases if c.phase == phase.id]
    return max([phase.end, *(end for end in ends if end is not None)])
