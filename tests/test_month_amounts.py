"""A line forecast's months are built when first read and read like the tuple they were.

``forecast`` hands each line its months as a ``MonthAmounts`` (a ``LaterTuple``): the
calculators read the month sums the forecast took while it was built, so most evaluations
never build the months. Read, they must be the months as before: planned, recorded and
expected per month, adding up to the line's totals; dumped, pickled and validated as a tuple.
"""

from __future__ import annotations

import copy
import json
import pickle
import threading
from datetime import date
from decimal import Decimal

import pytest

import foerdermittel as fm
from foerdermittel.forecasting import (
    Forecast,
    LineForecast,
    MonthAmount,
    MonthAmounts,
    _month_totals,
    forecast,
)
from foerdermittel.frozen import LaterTuple

from .common import BOCHUM

ZERO = Decimal("0.00")


def _with_ledger() -> Forecast:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    return forecast(case.amended(), date(2024, 1, 1))


def _planned_only() -> Forecast:
    return forecast(fm.load_case(BOCHUM).amended(), date(2024, 1, 1))


@pytest.mark.parametrize("build", [_with_ledger, _planned_only])
def test_months_are_built_on_first_read(build: object) -> None:
    result = build()  # type: ignore[operator]
    assert all(line.months._items is None for line in result.lines)
    first = result.lines[0].months
    items = tuple(first)
    assert first._items == items
    assert first._later is None
    assert all(a is b for a, b in zip(first, items, strict=True))  # built once
    assert all(line.months._items is None for line in result.lines[1:])


@pytest.mark.parametrize("build", [_with_ledger, _planned_only])
def test_months_add_up_to_the_line_and_the_phase_sums(build: object) -> None:
    result = build()  # type: ignore[operator]
    totals = _month_totals(result)
    phases: dict[str, dict[date, Decimal]] = {}
    for line in result.lines:
        months = list(line.months)
        assert all(isinstance(m, MonthAmount) for m in months)
        assert [m.month for m in months] == sorted(m.month for m in months)
        assert sum((m.forecast for m in months), ZERO) == line.forecast
        assert sum((m.planned for m in months), ZERO) == line.planned
        assert sum((m.actual or ZERO for m in months), ZERO) == line.actual
        for m in months:
            phase = phases.setdefault(line.phase, {})
            phase[m.month] = phase.get(m.month, ZERO) + m.forecast
    assert phases == totals.phases


def test_recorded_months_carry_their_actuals() -> None:
    result = _with_ledger()
    recorded = [m for line in result.lines for m in line.months if m.actual is not None]
    assert recorded
    assert all(month_end_before(m.month, result.cut_off) for m in recorded)


def month_end_before(month: date, cut_off: date | None) -> bool:
    assert cut_off is not None
    return month < cut_off.replace(day=1)


def test_months_dump_pickle_and_validate_as_a_tuple() -> None:
    result = _with_ledger()
    line = next(line for line in result.lines if any(m.actual for m in line.months))
    dumped = line.model_dump()
    assert type(dumped["months"]) is tuple
    again = LineForecast.model_validate(dumped)
    assert again == line
    assert isinstance(again.months, MonthAmounts)
    assert hash(again.months) == hash(line.months)
    assert LineForecast.model_validate_json(line.model_dump_json()) == line
    data = json.loads(line.model_dump_json())
    assert data["months"][0]["month"] == f"{line.months[0].month:%Y-%m-%d}"
    assert pickle.loads(pickle.dumps(result)) == result
    lazy = _planned_only().lines[0]
    assert pickle.loads(pickle.dumps(lazy)).months == lazy.months
    assert copy.copy(lazy) == lazy
    assert copy.deepcopy(lazy) == lazy
    with_list = LineForecast(**{**dict(line), "months": list(line.months)})
    assert with_list == line


def test_json_schema_of_the_months_is_the_tuple_one() -> None:
    for mode in ("validation", "serialization"):
        schema = LineForecast.model_json_schema(mode=mode)
        months = schema["properties"]["months"]
        assert months["type"] == "array"
        assert months["items"] == {"$ref": "#/$defs/MonthAmount"}


def test_a_later_tuple_read_by_two_threads_at_once_is_built_to_equal_items() -> None:
    started = threading.Barrier(2)
    calls: list[int] = []

    def build(count: int) -> tuple[int, ...]:
        calls.append(count)
        return tuple(range(count))

    for _ in range(50):
        items = LaterTuple[int].later(build, (100,))
        seen: list[tuple[int, ...]] = []

        def read(items: LaterTuple[int] = items, seen: list[tuple[int, ...]] = seen) -> None:
            started.wait()
            seen.append(tuple(items))

        threads = [threading.Thread(target=read) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen == [tuple(range(100))] * 2
        assert items._later is None
    assert 50 <= len(calls) <= 100


def test_a_later_tuple_reads_like_the_tuple() -> None:
    items = LaterTuple[int].later(lambda: (3, 1, 3), ())
    plain = (3, 1, 3)
    assert len(items) == 3
    assert items[1:] == plain[1:]
    assert type(items[1:]) is tuple
    assert list(reversed(items)) == list(reversed(plain))
    assert items.index(3, 1) == 2
    assert items.count(3) == 2
    assert 1 in items
    assert items == plain
    assert plain == items
    assert items == LaterTuple(plain)
    assert items + plain == plain + plain
    assert plain + items == plain + plain
    assert items * 2 == plain * 2
    assert repr(items) == repr(plain)
    assert hash(items) == hash(plain)
    assert not LaterTuple[int]()
