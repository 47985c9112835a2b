"""The checks of explicit monthly amounts: months inside the phase, adding up to each year."""

from __future__ import annotations

from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel.frozen import FrozenMap

from .common import simple_case


def _line(monthly: dict[str, str] | None, amounts: dict[int, str]) -> dict[str, Any]:
    return {
        "id": "1",
        "title": "Personal",
        "phase": "P",
        "category": "material",
        "amounts": amounts,
        "monthly": monthly,
    }


def _problems(monthly: dict[str, str] | None, amounts: dict[int, str]) -> list[fm.Problem]:
    with pytest.raises(fm.CaseError) as caught:
        simple_case(lines=[_line(monthly, amounts)])
    return list(caught.value.problems)


def test_months_that_add_up_to_each_year_are_accepted() -> None:
    monthly = {"2024-01": "100.00", "2024-12": "50.00", "2025-03": "25.00", "2025-12": "0.00"}
    case = simple_case(lines=[_line(monthly, {2024: "150.00", 2025: "25.00"})])
    assert case.plan.lines[0].monthly == {k: fm.to_money(v) for k, v in monthly.items()}
    assert not case.reference_problems()


def test_a_month_outside_the_phase_is_named() -> None:
    problems = _problems({"2023-12": "10.00", "2024-01": "90.00"}, {2023: "10.00", 2024: "90.00"})
    paths = [p.path for p in problems]
    assert "plan.lines[0].monthly.2023-12" in paths
    assert "plan.lines[0].monthly.2024-01" not in paths


def test_a_year_whose_months_do_not_add_up_is_named_with_both_sums() -> None:
    problems = _problems({"2024-01": "100.00", "2024-02": "50.00"}, {2024: "160.00"})
    assert [(p.path, p.message) for p in problems] == [
        (
            "plan.lines[0].monthly",
            "die Monatsbeträge 2024 ergeben 150.00, der Jahresbetrag ist 160.00",
        )
    ]


def test_a_year_without_months_but_with_an_amount_is_named() -> None:
    problems = _problems({"2024-01": "100.00"}, {2024: "100.00", 2025: "5.00"})
    assert [p.message for p in problems] == [
        "die Monatsbeträge 2025 ergeben 0, der Jahresbetrag ist 5.00"
    ]


def test_no_months_at_all_leave_every_year_with_an_amount_unplanned() -> None:
    problems = _problems({}, {2024: "100.00", 2025: "0.00"})
    assert [p.message for p in problems] == [
        "die Monatsbeträge 2024 ergeben 0, der Jahresbetrag ist 100.00"
    ]
    assert not simple_case(lines=[_line({}, {2024: "0.00"})]).reference_problems()


def test_months_built_out_of_order_are_checked_as_sorted() -> None:
    amounts = {2024: "1.00", 2025: "2.00"}
    case = simple_case(lines=[_line({"2024-01": "1.00", "2025-01": "2.00"}, amounts)])
    line = case.plan.lines[0]
    assert line.monthly is not None
    backwards = FrozenMap(reversed(list(line.monthly.items())))
    shuffled = line.model_copy(update={"monthly": backwards})
    changed = case.model_copy(update={"plan": case.plan.model_copy(update={"lines": (shuffled,)})})
    assert not changed.reference_problems()
    wrong = shuffled.model_copy(update={"amounts": FrozenMap({2024: fm.to_money("2.00")})})
    changed = case.model_copy(update={"plan": case.plan.model_copy(update={"lines": (wrong,)})})
    assert {p.path for p in changed.reference_problems()} == {"plan.lines[0].monthly"}


def test_a_line_is_checked_against_its_own_profile_not_the_last_one() -> None:
    # The phase ends in March 2025: the line's profile "late" weighs only October to December,
    # so its 2025 amount has no month to fall in; the profile named after it ("early") would.
    late = ["0"] * 9 + ["1", "1", "1"]
    early = ["1"] * 3 + ["0"] * 9
    data = simple_case(phase_extra={"end": "2025-03-31"}).model_dump(mode="json")
    data["profiles"] = {"late": late, "early": early}
    data["plan"]["lines"] = [
        {
            "id": "1",
            "title": "Personal",
            "phase": "P",
            "category": "material",
            "amounts": {2024: "100.00", 2025: "50.00"},
            "profile": "late",
        }
    ]
    with pytest.raises(fm.CaseError) as caught:
        fm.Case.from_data(data)
    assert [(p.path, p.value) for p in caught.value.problems] == [("plan.lines[0].profile", "late")]
    data["plan"]["lines"][0]["profile"] = "early"
    assert fm.Case.from_data(data).plan.lines[0].profile == "early"
