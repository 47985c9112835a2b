"""The segments of an interest result read like a tuple; the total from the running rate sums.

``compute_interest`` takes its total from running sums of rate × days over the Basiszinssatz
table and builds the segments when they are first read. The totals must be those the
segments add up to, under every day count, and the segments must behave as the tuple they
were before.
"""

from __future__ import annotations

import copy
import json
import pickle
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import foerdermittel.interest as interest_module
from foerdermittel.interest import (
    BaseRate,
    BaseRateTable,
    DayCount,
    InterestResult,
    InterestSegment,
    InterestSegments,
    RateOrigin,
    base_rates,
    compute_interest,
    rate_table,
)
from foerdermittel.interest_periods import rate_sums

D = Decimal
FIRST_START = date(2001, 12, 31)
LAST_END = date(2027, 12, 31)
SPAN = (LAST_END - FIRST_START).days

FILE_ROWS = tuple(
    BaseRate(valid_from=day, rate=D(rate), source=f"Zeile {line}", origin=RateOrigin.FILE)
    for line, (day, rate) in enumerate(
        [(date(2026, 7, 1), "1.27"), (date(2027, 1, 1), "2.50"), (date(2027, 7, 1), "-0.12")],
        start=3,
    )
)
WITH_FILE = rate_table(FILE_ROWS, file="basis.csv")


def _result() -> InterestResult:
    return compute_interest(D("100000.00"), date(2023, 3, 1), date(2024, 8, 31))


def test_segments_read_like_a_tuple() -> None:
    result = _result()
    segments = result.segments
    items = tuple(segments)
    assert isinstance(segments, InterestSegments)
    assert len(segments) == 4
    assert [s.first_day for s in items] == [
        date(2023, 3, 2),
        date(2023, 7, 1),
        date(2024, 1, 1),
        date(2024, 7, 1),
    ]
    assert segments[0] is items[0]
    assert segments[-1] is items[-1]
    assert segments[1:3] == items[1:3]
    assert type(segments[1:3]) is tuple
    assert list(reversed(segments)) == list(reversed(items))
    assert items[2] in segments
    assert segments.index(items[2]) == 2
    assert segments.count(items[2]) == 1
    assert segments == items
    assert items == segments
    assert segments != items[:2]
    assert hash(segments) == hash(items)
    assert segments + items[:1] == (*items, items[0])
    assert items[:1] + segments == (items[0], *items)
    assert segments + segments == items + items
    assert segments * 2 == items * 2
    assert 2 * segments == items * 2
    assert repr(segments) == repr(items)
    assert bool(segments)
    assert not compute_interest(D("1.00"), date(2024, 1, 1), date(2024, 1, 1)).segments
    with pytest.raises(IndexError):
        segments[4]


def test_segments_copy_pickle_and_dump_as_a_tuple() -> None:
    result = _result()
    assert pickle.loads(pickle.dumps(result)) == result
    assert pickle.loads(pickle.dumps(result.segments)) == result.segments
    assert copy.copy(result) == result
    assert copy.deepcopy(result) == result
    dumped = result.model_dump()
    assert type(dumped["segments"]) is tuple
    assert dumped["segments"][0]["days"] == 121
    again = InterestResult.model_validate(dumped)
    assert again == result
    assert hash(again) == hash(result)
    assert isinstance(again.segments, InterestSegments)
    data = json.loads(result.model_dump_json())
    assert [s["rate"] for s in data["segments"]] == ["6.62", "8.12", "8.62", "8.37"]
    assert InterestResult.model_validate_json(result.model_dump_json()) == result


def test_segments_validate_from_a_tuple_of_segments() -> None:
    result = _result()
    fields = {**dict(result), "segments": tuple(result.segments)}
    built = InterestResult(**fields)
    assert built == result
    assert isinstance(built.segments, InterestSegments)
    with_list = InterestResult(**{**fields, "segments": list(result.segments)})
    assert with_list.segments == result.segments


def test_json_schema_of_the_segments_is_the_tuple_one() -> None:
    for mode in ("validation", "serialization"):
        schema = InterestResult.model_json_schema(mode=mode)
        segments = schema["properties"]["segments"]
        assert segments["type"] == "array"
        assert segments["items"] == {"$ref": "#/$defs/InterestSegment"}
        assert "InterestSegment" in schema["$defs"]


def test_segments_are_built_once_when_first_read() -> None:
    result = _result()
    first = tuple(result.segments)
    assert all(isinstance(s, InterestSegment) for s in first)
    assert all(a is b for a, b in zip(result.segments, first, strict=True))


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    offset = draw(st.integers(0, SPAN))
    start = FIRST_START + timedelta(days=offset)
    length = draw(st.integers(0, min(draw(st.sampled_from([40, 400, 9000])), SPAN - offset)))
    return start, start + timedelta(days=length)


@given(
    st.decimals(min_value=D("0.00"), max_value=D("999999999999.99"), places=2),
    periods(),
    st.sampled_from(list(DayCount)),
    st.sampled_from([D(5), D("5.00"), D(0), D("2.5"), D("-3"), D("9.25"), D("-100")]),
    st.sampled_from([None, WITH_FILE]),
)
def test_total_from_the_running_sums_is_the_total_of_the_segments(
    principal: Decimal,
    period: tuple[date, date],
    day_count: DayCount,
    points: Decimal,
    table: BaseRateTable | None,
) -> None:
    """The running sums and the segment by segment computation give the same result."""
    start, end = period
    arguments = {
        "day_count": day_count,
        "points_above_base": points,
        "assumed_base_rate": D("1.50"),
        "base_rate_table": table,
    }
    fast = compute_interest(principal, start, end, **arguments)  # type: ignore[arg-type]
    original = interest_module.rate_sums
    try:
        interest_module.rate_sums = lambda *_: None  # type: ignore[assignment]
        slow = compute_interest(principal, start, end, **arguments)  # type: ignore[arg-type]
    finally:
        interest_module.rate_sums = original
    assert str(fast.interest) == str(slow.interest)
    assert fast == slow
    assert fast.model_dump_json() == slow.model_dump_json()


def test_running_sums_serve_whole_hundredths_only() -> None:
    table = rate_table()
    assert rate_sums(table, DayCount.ACT_365, D(5)) is rate_sums(table, DayCount.ACT_365, D(5))
    assert rate_sums(table, DayCount.ACT_365, D("5.125")) is None
    rows = {row.valid_from: row for row in base_rates()}
    del rows[date(2012, 7, 1)]
    gappy = BaseRateTable(by_start=rows, first=date(2002, 1, 1), end=date(2026, 6, 30))
    assert rate_sums(gappy, DayCount.ACT_365, D(5)) is None
    # the segment by segment computation serves both, with the same rounding
    odd = compute_interest(
        D("1000.00"), date(2024, 1, 1), date(2024, 12, 31), points_above_base=D("5.125")
    )
    # 1,000 € × (8.745 % × 181 days + 8.495 % × 184 days) / 365 = 86.1897… €
    assert odd.interest == D("86.19")
    assert [s.rate for s in odd.segments] == [D("8.745"), D("8.495")]


def test_file_rates_are_named_only_when_their_days_are_counted() -> None:
    inside = compute_interest(
        D("1000.00"), date(2025, 1, 1), date(2026, 6, 30), base_rate_table=WITH_FILE
    )
    assert inside.base_rate_file is None
    across = compute_interest(
        D("1000.00"), date(2026, 6, 29), date(2026, 7, 1), base_rate_table=WITH_FILE
    )
    assert across.base_rate_file == "basis.csv"
    assert [s.origin for s in across.segments] == [RateOrigin.TABLE, RateOrigin.FILE]
    starting_on_it = compute_interest(
        D("1000.00"), date(2026, 6, 30), date(2026, 7, 1), base_rate_table=WITH_FILE
    )
    assert starting_on_it.base_rate_file == "basis.csv"
    after = compute_interest(
        D("1000.00"), date(2026, 7, 1), date(2027, 3, 1), base_rate_table=WITH_FILE
    )
    assert after.base_rate_file == "basis.csv"
