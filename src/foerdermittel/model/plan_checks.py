"""The case's checks of its plan lines: phases, budget years, monthly profiles and months.

Part of the checks that span the parts of a case
([`Case.reference_problems`][foerdermittel.model.case.Case.reference_problems]): a line's
phase must exist, its budget years lie in the phase (as amended), its monthly profile or its
explicit months fit the phase and add up to each year's amount. Explicit months are tested
quickly first (a year's months are a slice of the sorted keys); only a plan that fails the
test is walked month by month for the problems to name.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from foerdermittel.errors import Problem
from foerdermittel.model.amending import latest_end

if TYPE_CHECKING:
    from foerdermittel.model.case import Case

__all__: list[str] = []


def _unknown_phase(path: str, who: str, value: str, valid: str) -> Problem:
    return Problem(path, value, f"{who} nennt eine Phase, die es nicht gibt; vorhanden: {valid}")


def _line_years_problems(case: Case, settled: AbstractSet[int] = frozenset()) -> list[Problem]:
    """Plan lines whose phase is unknown or whose budget years lie outside their phase.

    Lines whose ``id()`` is in ``settled`` are known to have none (see ``_plan_problems``).
    """
    problems: list[Problem] = []
    phases = {p.id: p for p in case.grant.phases}
    valid_phases = ", ".join(phases)
    for index, line in enumerate(case.plan.lines):
        if id(line) in settled:
            continue
        line_phase = phases.get(line.phase)
        if line_phase is None:
            problems.append(
                _unknown_phase(
                    f"plan.lines[{index}].phase",
                    f"Einzelansatz {line.id!r}",
                    line.phase,
                    valid_phases,
                )
            )
            continue
        end = latest_end(line_phase, case.amendments)
        years = range(line_phase.start.year, end.year + 1)
        for year in line.amounts:
            if year not in years:
                problems.append(
                    Problem(
                        f"plan.lines[{index}].amounts.{year}",
                        year,
                        f"Haushaltsjahr außerhalb des Bewilligungszeitraums der Phase "
                        f"{line_phase.id} ({line_phase.start:%d.%m.%Y}–{end:%d.%m.%Y})",
                    )
                )
    return problems


def _plan_problems(
    case: Case, ends: dict[str, date], settled: AbstractSet[int] = frozenset()
) -> list[Problem]:
    """Monthly profiles and explicit monthly amounts must fit the lines and their phases.

    Lines whose ``id()`` is in ``settled`` are known to have no problems: the very line objects
    of a case found without problems, checked again with the same phases, amendments and
    profiles (all a line's checks depend on besides the line), would have none.
    """
    problems: list[Problem] = []
    for name, weights in case.profiles.items():
        if len(weights) != 12 or any(w < 0 for w in weights) or sum(weights) <= 0:
            problems.append(
                Problem(
                    f"profiles.{name}",
                    None,
                    "ein Monatsprofil braucht 12 Gewichte ≥ 0 (Januar bis Dezember), nicht alle 0",
                )
            )
    phases = {p.id: p for p in case.grant.phases}
    for index, line in enumerate(case.plan.lines):
        phase = phases.get(line.phase)
        if phase is None or id(line) in settled:
            continue
        where = f"plan.lines[{index}]"
        end = ends.get(phase.id, phase.end)
        first = (phase.start.year, phase.start.month)
        last = (end.year, end.month)
        if line.profile is not None and line.monthly is not None:
            problems.append(
                Problem(f"{where}.profile", line.profile, "entweder profile oder monthly angeben")
            )
        if line.profile is not None:
            profile_weights = case.profiles.get(line.profile)
            if profile_weights is None:
                problems.append(
                    Problem(
                        f"{where}.profile",
                        line.profile,
                        "unbekanntes Monatsprofil; vorhanden: " + (", ".join(case.profiles) or "—"),
                    )
                )
            elif len(profile_weights) == 12:
                for year, amount in line.amounts.items():
                    inside = [
                        profile_weights[m - 1] for m in range(1, 13) if first <= (year, m) <= last
                    ]
                    if amount > 0 and sum(inside, Decimal(0)) <= 0:
                        problems.append(
                            Problem(
                                f"{where}.profile",
                                line.profile,
                                f"das Profil hat in den Monaten {year} der Phase {phase.id} "
                                "kein Gewicht, der Jahresbetrag ist aber nicht 0",
                            )
                        )
        if line.monthly is not None and not _monthly_fits(line.monthly, line.amounts, first, last):
            sums: dict[int, Decimal] = {}
            for key, amount in line.monthly.items():
                year, month = int(key[:4]), int(key[5:])
                if not first <= (year, month) <= last:
                    problems.append(
                        Problem(
                            f"{where}.monthly.{key}",
                            amount,
                            f"Monat außerhalb des Bewilligungszeitraums der Phase {phase.id} "
                            f"({phase.start:%m/%Y}–{end:%m/%Y}): die Planung ist länger als "
                            "die Phase",
                        )
                    )
                sums[year] = sums.get(year, Decimal(0)) + amount
            for year in sorted(set(sums) | set(line.amounts)):
                planned = line.amounts.get(year, Decimal("0.00"))
                if sums.get(year, Decimal(0)) != planned:
                    problems.append(
                        Problem(
                            f"{where}.monthly",
                            None,
                            f"die Monatsbeträge {year} ergeben {sums.get(year, Decimal(0))}, "
                            f"der Jahresbetrag ist {planned}",
                        )
                    )
    return problems


def _monthly_fits(
    monthly: Mapping[str, Decimal],
    amounts: Mapping[int, Decimal],
    first: tuple[int, int],
    last: tuple[int, int],
) -> bool:
    """Whether explicit monthly amounts lie in ``first``..``last`` and add up to each year.

    The quick test of ``_plan_problems`` (which names each problem where this is false): the
    keys ``YYYY-MM`` sort as the months do, so the first and the last key tell the range, and
    the months of a year follow each other: each year's are summed as a slice.
    """
    zero = Decimal(0)
    if not monthly:
        return all(amount == zero for amount in amounts.values())
    keys = list(monthly)
    values = list(monthly.values())
    if keys != sorted(keys):
        keys, values = map(list, zip(*sorted(monthly.items()), strict=True))
    low, high = keys[0], keys[-1]
    if not first <= (int(low[:4]), int(low[5:])) or not (int(high[:4]), int(high[5:])) <= last:
        return False
    sums: dict[int, Decimal] = {}
    start = 0
    for year in range(int(low[:4]), int(high[:4]) + 1):
        end = bisect_left(keys, f"{year + 1:04d}", start)
        if end > start:
            sums[year] = sum(values[start:end], zero)
        start = end
    if amounts == sums:  # the usual case: the same years, each adding up
        return True
    return all(amounts.get(year, zero) == total for year, total in sums.items()) and all(
        sums.get(year, zero) == amount for year, amount in amounts.items()
    )
