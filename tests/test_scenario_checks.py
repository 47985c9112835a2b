"""The check of a scenario's case: plan lines the steps left as they were are not checked again.

``Case._problems_after`` skips the checks of plan lines that are the very objects of a case
found without problems, where the phases, amendments and profiles are the same objects too;
every other line, and every other rule, is checked as ``Case.reference_problems`` does.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel.frozen import FrozenMap
from foerdermittel.model.scenario import ScaleLine, Scenario, ShiftLine

from .common import simple_case


def _line(line_id: str, amounts: dict[int, str], **extra: Any) -> dict[str, Any]:
    return {
        "id": line_id,
        "title": "Sachkosten",
        "phase": "P",
        "category": "material",
        "amounts": amounts,
        **extra,
    }


def _case() -> fm.Case:
    return simple_case(
        lines=[
            _line("1", {2024: "100.00", 2025: "50.00"}),
            _line("2", {2024: "10.00"}, monthly={"2024-03": "4.00", "2024-09": "6.00"}),
            _line("3", {2025: "20.00"}),
        ]
    )


def _with_lines(case: fm.Case, *lines: Any) -> fm.Case:
    return case.model_copy(update={"plan": case.plan.model_copy(update={"lines": lines})})


def _paths(problems: tuple[fm.Problem, ...]) -> list[str]:
    return [p.path for p in problems]


def test_a_changed_line_is_checked_beside_lines_left_as_they_were() -> None:
    case = _case()
    first, second, third = case.plan.lines
    outside = FrozenMap({2023: Decimal("5.00"), 2024: Decimal("100.00")})
    wrong_sum = FrozenMap({2024: Decimal("11.00")})
    changed = _with_lines(
        case,
        first.model_copy(update={"amounts": outside}),
        second.model_copy(update={"amounts": wrong_sum}),
        third,
    )
    found = changed._problems_after(case)
    assert found == changed.reference_problems()
    assert _paths(found) == ["plan.lines[0].amounts.2023", "plan.lines[1].monthly"]


def test_a_line_left_as_it_was_is_checked_where_the_original_case_was_not_sound() -> None:
    case = _case()
    first, second, third = case.plan.lines
    broken = _with_lines(case, first.model_copy(update={"phase": "X"}), second, third)
    assert _paths(broken.reference_problems()) == ["plan.lines[0].phase"]
    changed = _with_lines(broken, broken.plan.lines[0], second, third.model_copy())
    assert _paths(changed._problems_after(broken)) == ["plan.lines[0].phase"]


def test_lines_left_as_they_were_are_checked_against_changed_phases() -> None:
    case = _case()
    phase = case.grant.phases[0].model_copy(update={"end": date(2024, 6, 30)})
    shorter = case.grant.model_copy(update={"phases": (phase,)})
    changed = case.model_copy(update={"grant": shorter})
    found = changed._problems_after(case)
    assert found == changed.reference_problems()
    assert "plan.lines[0].amounts.2025" in _paths(found)
    assert "plan.lines[1].monthly.2024-09" in _paths(found)


def test_lines_left_as_they_were_are_checked_against_changed_profiles() -> None:
    data = _case().model_dump(mode="json")
    data["profiles"] = {"even": ["1"] * 12}
    data["plan"]["lines"][0]["profile"] = "even"
    case = fm.Case.from_data(data)
    changed = case.model_copy(update={"profiles": FrozenMap()})
    found = changed._problems_after(case)
    assert found == changed.reference_problems()
    assert _paths(found) == ["plan.lines[0].profile"]


def test_a_scenario_on_a_case_built_with_a_broken_line_still_fails() -> None:
    # the step leaves line 1 as it is; the case it started from was never sound
    case = _case()
    first, second, third = case.plan.lines
    outside = FrozenMap({2023: Decimal("5.00"), 2024: Decimal("100.00")})
    broken = _with_lines(case, first.model_copy(update={"amounts": outside}), second, third)
    scenario = Scenario(name="Verzug", steps=(ShiftLine(line="3", months=1),))
    with pytest.raises(fm.CaseError, match="Haushaltsjahr außerhalb") as info:
        scenario.apply(broken)
    assert [p.path for p in info.value.problems] == ["plan.lines[0].amounts.2023"]


def test_a_step_that_breaks_a_rule_is_reported_beside_lines_left_as_they_were() -> None:
    case = simple_case(
        lines=[_line("1", {2024: "100.00"}), _line("2", {2024: "50000000000.00"})],
    )
    assert Scenario(name="ok", steps=(ScaleLine(line="2", percent=Decimal(10)),)).apply(case)
    scenario = Scenario(name="teuer", steps=(ScaleLine(line="2", percent=Decimal(5000)),))
    with pytest.raises(fm.CaseError, match="teuer") as info:
        scenario.apply(case)
    assert [p.path for p in info.value.problems] == ["plan.lines[1].amounts.2024"]
