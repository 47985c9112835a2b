"""How the steps move and plan months: a shift's months, a line planned month by month."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from foerdermittel.frozen import FrozenMap
from foerdermittel.model.scenario_progress import _shifted, add_months, planned_by_month
from foerdermittel.money import ZERO

from .common import simple_case


def _moved_one_by_one(
    source: dict[date, Decimal], months: int, floor: date, last: date, beyond: dict[int, Decimal]
) -> dict[date, Decimal]:
    """The shift month by month, as a step moved them before runs were moved at once."""
    moved: dict[date, Decimal] = {}
    for month, amount in source.items():
        target = max(add_months(month, months), floor)
        if target > last:
            beyond[target.year] = beyond.get(target.year, ZERO) + amount
        elif target in moved:
            moved[target] += amount
        else:
            moved[target] = ZERO + amount
    return moved


def _amounts(count: int) -> list[Decimal]:
    # amounts of every form a rest holds: no places, three places, negative, negative zero
    forms = [Decimal("10.50"), Decimal("3"), Decimal("0.005"), Decimal("-2.00"), Decimal("-0.00")]
    return [forms[i % len(forms)] + i for i in range(count)]


def _same(
    a: dict[date, Decimal] | dict[int, Decimal], b: dict[date, Decimal] | dict[int, Decimal]
) -> bool:
    return [(k, str(v)) for k, v in a.items()] == [(k, str(v)) for k, v in b.items()]


def test_a_run_of_months_moves_as_month_by_month() -> None:
    start = date(2024, 11, 1)
    floors = [date(2024, 9, 1), date(2024, 11, 1), date(2025, 2, 1), date(2026, 5, 1)]
    for count, shift, floor, span in itertools.product(
        [0, 1, 5, 30], [-14, -1, 0, 1, 7, 25], floors, [-3, 0, 4, 20]
    ):
        months = [add_months(start, i) for i in range(count)]
        last = add_months(floor, span)
        for source in (
            dict(zip(months, _amounts(count), strict=True)),
            dict(zip(months[::-1], _amounts(count), strict=True)),  # not in order
            dict(zip(months[::2], _amounts(count), strict=False)),  # not a run
        ):
            expected_beyond = {2025: Decimal("1.5"), 2031: Decimal("2.00")}
            beyond = dict(expected_beyond)
            expected = _moved_one_by_one(source, shift, floor, last, expected_beyond)
            assert _same(_shifted(source, shift, floor, last, beyond), expected)
            assert _same(beyond, expected_beyond)


def test_a_line_planned_by_month_is_the_line_copied_with_its_months() -> None:
    case = simple_case(
        lines=[
            {
                "id": "1",
                "title": "Sachkosten",
                "phase": "P",
                "category": "material",
                "amounts": {2024: "100.00"},
            }
        ]
    )
    (line,) = case.plan.lines
    months = {
        date(2025, 2, 1): Decimal("1.00"),
        date(2024, 12, 1): Decimal("2.50"),
        date(2025, 1, 1): Decimal("3"),
    }
    planned = planned_by_month(line, months)
    copied = line.model_copy(
        update={
            "monthly": FrozenMap(
                {"2024-12": Decimal("2.50"), "2025-01": Decimal("3"), "2025-02": Decimal("1.00")}
            ),
            "amounts": FrozenMap({2024: Decimal("2.50"), 2025: Decimal("4.00")}),
            "profile": None,
            "stated_total": None,
        }
    )
    assert planned == copied
    assert list(planned.monthly or {}) == ["2024-12", "2025-01", "2025-02"]
    assert str(planned.amounts[2025]) == "4.00"
    assert planned.model_fields_set == copied.model_fields_set
    assert planned.model_dump(exclude_unset=True) == copied.model_dump(exclude_unset=True)
    assert {"monthly", "profile", "stated_total"} <= planned.model_fields_set
    assert "group" not in planned.model_fields_set
    changed = case.model_copy(update={"plan": case.plan.model_copy(update={"lines": (planned,)})})
    assert not changed.reference_problems()
