"""Flat-rate lines (Pauschalen) must fit the programme's flat rates before anything is computed.

A budget line with ``flat_rate`` is its rate times a base: the other lines of its phase in the
base categories of the programme's flat rate (``ProgrammeRules.flat_rates``). What makes that
product impossible to compute is bad input, refused when the case is read, naming the field
and the value:

* the line names a flat rate the programme does not have (or the grant has no programme);
* the base is empty: no other line of the phase in the base categories;
* another flat-rate line of the phase falls into the base (a flat rate of a flat rate — no
  chains): an empty ``base`` takes every other line of the phase, so any second flat-rate
  line of the phase falls into it.

A rate above the programme's ``max_rate`` can still be computed: that is an error finding of
the plan check (``flat-rate-above-max``, ``foerdermittel.flat_rates``), not a refusal.

The checks run on the rulebook in force (after the case's overrides), once the rest of the
case is valid.
"""

from __future__ import annotations

from foerdermittel.errors import Problem
from foerdermittel.model.plan import BudgetLine, FinancingPlan
from foerdermittel.rules.model import FlatRate, ProgrammeRules

__all__ = ["flat_rate_base", "flat_rate_problems", "in_flat_rate_base"]


def in_flat_rate_base(rule: FlatRate, line: BudgetLine, candidate: BudgetLine) -> bool:
    """Whether ``candidate`` falls into the base of ``line``'s flat rate ``rule`` by its place.

    The same phase, not the line itself, and — where the rule names base categories — one of
    them. A flat-rate candidate falls in too (the checks refuse that as a chain).
    """
    return (
        candidate.id != line.id
        and candidate.phase == line.phase
        and (not rule.base or candidate.category.value in rule.base)
    )


def flat_rate_base(plan: FinancingPlan, rule: FlatRate, line: BudgetLine) -> tuple[BudgetLine, ...]:
    """The base lines of a flat-rate line: its phase's lines in the rule's categories.

    Lines that are flat rates themselves are not in the base (a case with one there is
    refused, see [`flat_rate_problems`][foerdermittel.model.flat_rate_use.flat_rate_problems]).
    """
    return tuple(
        other
        for other in plan.lines
        if other.flat_rate is None and in_flat_rate_base(rule, line, other)
    )


def flat_rate_problems(plan: FinancingPlan, programme: ProgrammeRules | None) -> list[Problem]:
    """What makes a flat-rate line of ``plan`` impossible to compute, each naming its field."""
    problems: list[Problem] = []
    for index, line in enumerate(plan.lines):
        use = line.flat_rate
        if use is None:
            continue
        where = f"plan.lines[{index}].flat_rate"
        rates = programme.flat_rates if programme is not None else {}
        rule = rates.get(use.rule)
        if rule is None:
            known = ", ".join(rates) or "—"
            owner = (
                f"das Förderprogramm {programme.id} kennt: {known}"
                if programme is not None
                else "der Fall nennt kein Förderprogramm mit Pauschalen"
            )
            problems.append(Problem(f"{where}.rule", use.rule, f"unbekannte Pauschale; {owner}"))
            continue
        chained = [
            other.id
            for other in plan.lines
            if other.flat_rate is not None and in_flat_rate_base(rule, line, other)
        ]
        if chained:
            problems.append(
                Problem(
                    where,
                    use.rule,
                    f"Einzelansatz {line.id!r}: die Bemessungsgrundlage der Pauschale enthält "
                    f"die Pauschale(n) {', '.join(chained)}; eine Pauschale auf eine Pauschale "
                    "ist nicht vorgesehen",
                )
            )
        elif not flat_rate_base(plan, rule, line):
            categories = ", ".join(rule.base) or "alle Kostenarten"
            problems.append(
                Problem(
                    where,
                    use.rule,
                    f"Einzelansatz {line.id!r}: die Phase {line.phase} hat keinen Ansatz in der "
                    f"Bemessungsgrundlage der Pauschale ({categories})",
                )
            )
    return problems
