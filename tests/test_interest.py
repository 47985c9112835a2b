"""Interest under § 49a VwVfG and the Basiszinssatz table of § 247 BGB."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from foerdermittel.errors import CaseError, FoerdermittelError
from foerdermittel.interest import (
    LEGAL_REFERENCE,
    BaseRate,
    DayCount,
    InterestError,
    InterestResult,
    InterestSegment,
    RateOrigin,
    _parse_table,
    base_rate_on,
    base_rates,
    compute_interest,
    load_base_rate_file,
    parse_base_rate_file,
    parse_day_count,
    rate_table,
    table_end,
)

D = Decimal
HUNDRED_K = D("100000.00")

# grant-law.md §4, 01.01.2019 to 01.01.2026.
DOCUMENTED_ROWS = {
    date(2019, 1, 1): D("-0.88"),
    date(2019, 7, 1): D("-0.88"),
    date(2020, 1, 1): D("-0.88"),
    date(2020, 7, 1): D("-0.88"),
    date(2021, 1, 1): D("-0.88"),
    date(2021, 7, 1): D("-0.88"),
    date(2022, 1, 1): D("-0.88"),
    date(2022, 7, 1): D("-0.88"),
    date(2023, 1, 1): D("1.62"),
    date(2023, 7, 1): D("3.12"),
    date(2024, 1, 1): D("3.62"),
    date(2024, 7, 1): D("3.37"),
    date(2025, 1, 1): D("2.27"),
    date(2025, 7, 1): D("1.27"),
    date(2026, 1, 1): D("1.27"),
}


# --- the worked example of grant-law §3.1 -------------------------------------------------
# 100,000.00 € paid out on 01.03.2024 (not counted), used on 31.08.2024 (counted):
# 02.03.–30.06.2024 = 121 days at 3.62 + 5 = 8.62 %, 01.07.–31.08.2024 = 62 days at 3.37 + 5
# = 8.37 %. Rate × days: 8.62 × 121 + 8.37 × 62 = 1043.02 + 518.94 = 1561.96.
#   act/365: 100000 × 1561.96 / 36500 = 4279.342… -> 4279.34
#   act/act: 100000 × 1561.96 / 36600 = 4267.650… -> 4267.65 (2024 is a leap year)
#   act/360: 100000 × 1561.96 / 36000 = 4338.777… -> 4338.78
# 30E/360 with f(d) = 360·year + 30·month + min(day, 30):
#   first segment  f(30.06.2024) − f(01.03.2024) = (180 + 30) − (90 + 1) = 119 days
#   second segment f(31.08.2024) − f(30.06.2024) = (240 + 30) − (180 + 30) = 60 days
#   8.62 × 119 + 8.37 × 60 = 1025.78 + 502.20 = 1527.98; 100000 × 1527.98 / 36000
#   = 4244.388… -> 4244.39


@pytest.mark.parametrize(
    ("day_count", "expected", "days", "basis"),
    [
        (DayCount.ACT_365, D("4279.34"), (121, 62), 365),
        (DayCount.ACT_ACT, D("4267.65"), (121, 62), 366),
        (DayCount.ACT_360, D("4338.78"), (121, 62), 360),
        (DayCount.THIRTY_E_360, D("4244.39"), (119, 60), 360),
    ],
)
def test_worked_example(
    day_count: DayCount, expected: Decimal, days: tuple[int, int], basis: int
) -> None:
    result = compute_interest(HUNDRED_K, date(2024, 3, 1), date(2024, 8, 31), day_count=day_count)
    assert result.interest == expected
    assert result.interest.as_tuple().exponent == -2
    first, second = result.segments
    assert (first.first_day, first.last_day) == (date(2024, 3, 2), date(2024, 6, 30))
    assert (second.first_day, second.last_day) == (date(2024, 7, 1), date(2024, 8, 31))
    assert (first.days, second.days) == days
    assert first.year_basis == second.year_basis == basis
    assert (first.base_rate, first.rate) == (D("3.62"), D("8.62"))
    assert (second.base_rate, second.rate) == (D("3.37"), D("8.37"))
    assert result.day_count is day_count
    assert result.legal_reference == LEGAL_REFERENCE == "§ 49a Abs. 3 VwVfG; § 247 BGB"
    assert result.assumed_base_rate is None
    assert not any(s.assumed for s in result.segments)


def test_segment_amounts_are_unrounded() -> None:
    result = compute_interest(HUNDRED_K, date(2024, 3, 1), date(2024, 8, 31))
    first = result.segments[0]
    # 100000 × 8.62 × 121 / 36500 = 2857.6986301369863…
    assert first.amount.as_tuple().exponent < -20
    assert abs(Fraction(first.amount) - Fraction(100000 * 862 * 121, 100 * 36500)) < Fraction(
        1, 10**30
    )


def test_result_is_frozen() -> None:
    result = compute_interest(HUNDRED_K, date(2024, 3, 1), date(2024, 8, 31))
    with pytest.raises(ValueError, match="frozen"):
        result.interest = D("0.00")  # type: ignore[misc]


# --- rate changes, negative rates --------------------------------------------------------


def test_rate_changes_on_1_january() -> None:
    # 30.12. and 31.12.2022 at −0.88 + 5 = 4.12 %, 01.01. and 02.01.2023 at 1.62 + 5 = 6.62 %:
    # 365000 × (4.12 × 2 + 6.62 × 2) / 36500 = 10 × 21.48 = 214.80
    result = compute_interest(D("365000.00"), date(2022, 12, 29), date(2023, 1, 2))
    first, second = result.segments
    assert (first.first_day, first.last_day, first.days) == (
        date(2022, 12, 30),
        date(2022, 12, 31),
        2,
    )
    assert (first.base_rate, first.rate) == (D("-0.88"), D("4.12"))
    assert (second.first_day, second.last_day, second.days) == (
        date(2023, 1, 1),
        date(2023, 1, 2),
        2,
    )
    assert (second.base_rate, second.rate) == (D("1.62"), D("6.62"))
    assert result.interest == D("214.80")


def test_rate_changes_on_1_july() -> None:
    # 30.06.2023 at 1.62 + 5 = 6.62 %, 01.07.2023 at 3.12 + 5 = 8.12 %
    result = compute_interest(D("365000.00"), date(2023, 6, 29), date(2023, 7, 1))
    assert [(s.first_day, s.rate) for s in result.segments] == [
        (date(2023, 6, 30), D("6.62")),
        (date(2023, 7, 1), D("8.12")),
    ]
    assert result.interest == D("66.20") + D("81.20")


def test_negative_base_rate_years() -> None:
    # 2021: −0.88 % all year, so 4.12 % p.a.; 365 days / 365 -> 4.12 % of the principal.
    result = compute_interest(HUNDRED_K, date(2020, 12, 31), date(2021, 12, 31))
    assert [(s.first_day, s.last_day, s.days, s.rate) for s in result.segments] == [
        (date(2021, 1, 1), date(2021, 12, 31), 365, D("4.12"))
    ]
    assert result.interest == D("4120.00")


def test_negative_rate_period_act_act_splits_at_year_end() -> None:
    result = compute_interest(
        HUNDRED_K, date(2019, 12, 31), date(2021, 12, 31), day_count=DayCount.ACT_ACT
    )
    assert [(s.first_day.year, s.days, s.year_basis) for s in result.segments] == [
        (2020, 366, 366),
        (2021, 365, 365),
    ]
    assert result.interest == D("8240.00")


def test_unchanged_rate_is_one_segment_under_act_365() -> None:
    result = compute_interest(HUNDRED_K, date(2016, 6, 30), date(2022, 12, 31))
    assert len(result.segments) == 1
    assert result.segments[0].rate == D("4.12")


def test_negative_total_rate_is_not_clamped() -> None:
    # −0.88 + 0.5 = −0.38 % p.a.; 365000 × −0.38 / 100 × 10 / 365 = −38.00
    result = compute_interest(
        D("365000.00"), date(2021, 3, 1), date(2021, 3, 11), points_above_base=D("0.5")
    )
    assert result.segments[0].rate == D("-0.38")
    assert result.interest == D("-38.00")


def test_other_points_above_base() -> None:
    # 8 points (as in § 288 Abs. 2 BGB, for comparison): 3.62 + 8 = 11.62 %
    result = compute_interest(
        D("36500.00"), date(2024, 1, 1), date(2024, 1, 11), points_above_base=D(8)
    )
    assert result.segments[0].rate == D("11.62")
    assert result.interest == D("116.20")


# --- zero days, bad input -----------------------------------------------------------------


def test_zero_days() -> None:
    result = compute_interest(HUNDRED_K, date(2024, 3, 1), date(2024, 3, 1))
    assert result.segments == ()
    assert result.interest == D("0.00")
    assert result.interest.as_tuple().exponent == -2


def test_one_day() -> None:
    # payout 01.03., used 02.03.: one day at 8.62 %; 36500 × 8.62 / 100 / 365 = 8.62
    result = compute_interest(D("36500.00"), date(2024, 3, 1), date(2024, 3, 2))
    assert result.interest == D("8.62")


def test_end_before_start() -> None:
    with pytest.raises(InterestError, match="Ende 2024-02-29 liegt vor dem Beginn 2024-03-01"):
        compute_interest(HUNDRED_K, date(2024, 3, 1), date(2024, 2, 29))


def test_interest_error_is_a_value_error_and_ours() -> None:
    assert issubclass(InterestError, ValueError)
    assert issubclass(InterestError, FoerdermittelError)


@pytest.mark.parametrize(
    ("principal", "words"),
    [
        (D("-0.01"), "negativ"),
        (D("100.005"), "zwei Nachkommastellen"),
        (100.0, "Gleitkommazahl"),
        (D("NaN"), "endliche"),
    ],
)
def test_bad_principal(principal: object, words: str) -> None:
    with pytest.raises(InterestError, match=words):
        compute_interest(principal, date(2024, 3, 1), date(2024, 8, 31))  # type: ignore[arg-type]


def test_principal_as_int_and_zero() -> None:
    assert compute_interest(100000, date(2024, 3, 1), date(2024, 8, 31)).interest == D("4279.34")  # type: ignore[arg-type]
    zero = compute_interest(D("0.00"), date(2024, 3, 1), date(2024, 8, 31))
    assert zero.interest == D("0.00")
    assert len(zero.segments) == 2


def test_points_must_not_be_float() -> None:
    with pytest.raises(InterestError, match="points_above_base"):
        compute_interest(
            HUNDRED_K,
            date(2024, 3, 1),
            date(2024, 8, 31),
            points_above_base=5.0,  # type: ignore[arg-type]
        )


# --- the end of the table -----------------------------------------------------------------


def test_beyond_table_without_assumed_rate() -> None:
    with pytest.raises(InterestError) as info:
        compute_interest(HUNDRED_K, date(2026, 6, 1), date(2026, 7, 31))
    message = str(info.value)
    assert "2026-07-01" in message
    assert "2026-06-30" in message
    assert "assumed_base_rate" in message


def test_beyond_table_with_assumed_rate() -> None:
    result = compute_interest(
        D("36500.00"), date(2026, 6, 1), date(2026, 7, 31), assumed_base_rate=D("1.27")
    )
    table_part, assumed_part = result.segments
    assert (table_part.first_day, table_part.last_day) == (date(2026, 6, 2), date(2026, 6, 30))
    assert not table_part.assumed
    assert (assumed_part.first_day, assumed_part.last_day) == (date(2026, 7, 1), date(2026, 7, 31))
    assert assumed_part.assumed
    assert assumed_part.base_rate == D("1.27")
    assert result.assumed_base_rate == D("1.27")
    # 36500 × 6.27 / 100 × (29 + 31) / 365 = 6.27 × 60 = 376.20
    assert result.interest == D("376.20")


def test_assumed_rate_entirely_after_table() -> None:
    result = compute_interest(
        D("36500.00"),
        date(2026, 12, 31),
        date(2027, 12, 31),
        assumed_base_rate=D("2.00"),
        day_count=DayCount.ACT_ACT,
    )
    assert [(s.first_day, s.days, s.year_basis, s.rate, s.assumed) for s in result.segments] == [
        (date(2027, 1, 1), 365, 365, D("7.00"), True)
    ]
    assert result.interest == D("2555.00")


def test_assumed_rate_not_reported_when_unused() -> None:
    result = compute_interest(
        HUNDRED_K, date(2024, 3, 1), date(2024, 8, 31), assumed_base_rate=D("9.99")
    )
    assert result.assumed_base_rate is None
    assert result.interest == D("4279.34")


def test_before_table() -> None:
    with pytest.raises(InterestError, match=r"2001-12-31.*2002-01-01.*2026-06-30"):
        compute_interest(HUNDRED_K, date(2001, 12, 30), date(2002, 1, 5))


def test_first_table_day_is_usable() -> None:
    # start 31.12.2001 is not counted; 01.01.2002 is the first day of the table.
    result = compute_interest(D("36500.00"), date(2001, 12, 31), date(2002, 1, 1))
    assert result.segments[0].rate == D("7.57")
    assert result.interest == D("7.57")


# --- day counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("act/365", DayCount.ACT_365),
        ("ACT/ACT", DayCount.ACT_ACT),
        (" act/360 ", DayCount.ACT_360),
        ("30e/360", DayCount.THIRTY_E_360),
        (DayCount.THIRTY_E_360, DayCount.THIRTY_E_360),
    ],
)
def test_parse_day_count(name: str, expected: DayCount) -> None:
    assert parse_day_count(name) is expected


def test_unknown_day_count_lists_valid_names() -> None:
    with pytest.raises(InterestError) as info:
        parse_day_count("30/360")
    message = str(info.value)
    assert "'30/360'" in message
    for member in DayCount:
        assert member.value in message


def test_day_count_given_as_text() -> None:
    result = compute_interest(HUNDRED_K, date(2024, 3, 1), date(2024, 8, 31), day_count="act/act")  # type: ignore[arg-type]
    assert result.day_count is DayCount.ACT_ACT
    assert result.interest == D("4267.65")


def test_30e_360_counts_the_31st_as_the_30th() -> None:
    # 30.01. -> 31.01.: f(31.01.) − f(30.01.) = 0 days;
    # 27.02. -> 01.03.2023: f(01.03.) − f(27.02.) = (90 + 1) − (60 + 27) = 4 days
    zero = compute_interest(
        HUNDRED_K, date(2023, 1, 30), date(2023, 1, 31), day_count=DayCount.THIRTY_E_360
    )
    assert zero.segments[0].days == 0
    assert zero.interest == D("0.00")
    feb = compute_interest(
        HUNDRED_K, date(2023, 2, 27), date(2023, 3, 1), day_count=DayCount.THIRTY_E_360
    )
    assert feb.segments[0].days == 4


# --- the table ----------------------------------------------------------------------------


def _csv_rows() -> list[list[str]]:
    text = resources.files("foerdermittel.data").joinpath("basiszinssatz.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert lines[0] == "valid_from;rate;source"
    return [line.split(";", 2) for line in lines[1:]]


def test_csv_has_comment_lines_naming_the_bundesbank_table() -> None:
    text = resources.files("foerdermittel.data").joinpath("basiszinssatz.csv").read_text("utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any("bundesbank.de" in line for line in comments)


def test_every_csv_row_is_parseable_and_sourced() -> None:
    rows = _csv_rows()
    days = []
    for fields in rows:
        assert len(fields) == 3
        day_text, rate_text, source = fields
        day = date.fromisoformat(day_text)
        assert (day.month, day.day) in {(1, 1), (7, 1)}
        assert re.fullmatch(r"-?\d+\.\d+", rate_text)
        Decimal(rate_text)
        assert source.strip()
        days.append(day)
    assert days == sorted(set(days))  # strictly increasing
    for earlier, later in pairwise(days):
        expected = date(earlier.year, 7, 1) if earlier.month == 1 else date(earlier.year + 1, 1, 1)
        assert later == expected, f"Lücke nach {earlier}"
    assert len(base_rates()) == len(rows)


def test_table_contains_documented_rows() -> None:
    by_day = {row.valid_from: row for row in base_rates()}
    for day, rate in DOCUMENTED_ROWS.items():
        assert by_day[day].rate == rate
    assert "BBKBAS2" in by_day[date(2024, 7, 1)].source
    for day in (date(2016, 7, 1), date(2017, 1, 1), date(2017, 7, 1), date(2018, 7, 1)):
        assert by_day[day].rate == D("-0.88")


def test_base_rates_are_decimals_and_frozen() -> None:
    rows = base_rates()
    assert all(isinstance(row, BaseRate) and type(row.rate) is Decimal for row in rows)
    assert base_rates() is rows  # loaded once
    with pytest.raises(ValueError, match="frozen"):
        rows[0].rate = D(0)  # type: ignore[misc]


HEADER = "valid_from;rate;source\n"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("valid_from,rate,source\n2024-01-01;3.62;Quelle\n", "Kopfzeile"),
        (HEADER + "2024-01-01;3.62\n", "drei Felder"),
        (HEADER + "01.01.2024;3.62;Quelle\n", "kein Datum"),
        (HEADER + "2024-02-01;3.62;Quelle\n", "1. Januar oder 1. Juli"),
        (HEADER + "2024-01-01;3,62;Quelle\n", "Prozentsatz"),
        (HEADER + "2024-01-01;3.62; \n", "Quelle fehlt"),
        (HEADER + "2024-01-01;3.62;Q\n2025-01-01;2.27;Q\n", "lückenlos"),
        (HEADER + "2024-07-01;3.37;Q\n2024-01-01;3.62;Q\n", "lückenlos"),
        ("# nur Kommentar\n" + HEADER, "keine Basiszinssätze"),
    ],
)
def test_broken_table_is_rejected_with_line(text: str, words: str) -> None:
    with pytest.raises(InterestError, match=words) as info:
        _parse_table(text, "test.csv")
    assert str(info.value).startswith("test.csv")


def test_table_parser_skips_comments_and_keeps_semicolons_in_source() -> None:
    rows = _parse_table("# Kommentar\n" + HEADER + "2024-01-01;3.62;a; b\n", "test.csv")
    assert rows == (BaseRate(valid_from=date(2024, 1, 1), rate=D("3.62"), source="a; b"),)


def test_table_end() -> None:
    assert table_end() == date(2026, 6, 30)
    assert base_rate_on(date(2026, 6, 30)).valid_from == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (date(2022, 12, 31), D("-0.88")),
        (date(2023, 1, 1), D("1.62")),
        (date(2023, 6, 30), D("1.62")),
        (date(2023, 7, 1), D("3.12")),
        (date(2024, 7, 1), D("3.37")),
    ],
)
def test_base_rate_on(day: date, rate: Decimal) -> None:
    assert base_rate_on(day).rate == rate


@pytest.mark.parametrize("day", [date(2001, 12, 31), date(2026, 7, 1)])
def test_base_rate_on_outside_table(day: date) -> None:
    with pytest.raises(InterestError) as info:
        base_rate_on(day)
    message = str(info.value)
    assert day.isoformat() in message
    assert "2002-01-01" in message
    assert "2026-06-30" in message


# --- properties ---------------------------------------------------------------------------

FIRST_START = date(2001, 12, 31)
LAST_END = date(2026, 6, 30)
SPAN = (LAST_END - FIRST_START).days

principals = st.decimals(min_value=D("0.00"), max_value=D("100000000.00"), places=2)
day_counts = st.sampled_from(list(DayCount))
points = st.decimals(min_value=D("-5"), max_value=D("10"), places=2)


@st.composite
def periods(draw: st.DrawFn, *, max_days: int = 3000) -> tuple[date, date]:
    offset = draw(st.integers(0, SPAN))
    start = FIRST_START + timedelta(days=offset)
    length = draw(st.integers(0, min(max_days, SPAN - offset)))
    return start, start + timedelta(days=length)


def _exact(result: InterestResult) -> Fraction:
    """The exact sum of the segments, rebuilt from their days and rates."""
    return sum(
        (
            Fraction(result.principal) * Fraction(s.rate) * s.days / (100 * s.year_basis)
            for s in result.segments
        ),
        Fraction(0),
    )


@given(principals, st.dates(FIRST_START, LAST_END), day_counts, points)
def test_zero_days_zero_interest(
    principal: Decimal, day: date, day_count: DayCount, above: Decimal
) -> None:
    result = compute_interest(principal, day, day, day_count=day_count, points_above_base=above)
    assert result.interest == 0
    assert result.segments == ()


@given(principals, periods(), day_counts, points)
def test_never_negative_when_every_rate_is_positive(
    principal: Decimal, period: tuple[date, date], day_count: DayCount, above: Decimal
) -> None:
    result = compute_interest(principal, *period, day_count=day_count, points_above_base=above)
    assume(all(s.rate > 0 for s in result.segments))
    assert result.interest >= 0


@given(principals, periods(), st.integers(0, 2000), st.integers(0, 2000), day_counts)
def test_grows_with_time(
    principal: Decimal, period: tuple[date, date], later: int, earlier: int, day_count: DayCount
) -> None:
    start, end = period
    longer_end = min(end + timedelta(days=later), LAST_END)
    earlier_start = max(start - timedelta(days=earlier), FIRST_START)
    base = compute_interest(principal, start, end, day_count=day_count)
    assert compute_interest(principal, start, longer_end, day_count=day_count).interest >= (
        base.interest
    )
    assert compute_interest(principal, earlier_start, end, day_count=day_count).interest >= (
        base.interest
    )


@given(principals, principals, periods(), day_counts)
def test_grows_with_amount(
    first: Decimal, second: Decimal, period: tuple[date, date], day_count: DayCount
) -> None:
    small, large = sorted((first, second))
    assert (
        compute_interest(small, *period, day_count=day_count).interest
        <= compute_interest(large, *period, day_count=day_count).interest
    )


@given(principals, periods(), st.integers(0, 3000), day_counts, points)
def test_splitting_keeps_the_exact_sum(
    principal: Decimal,
    period: tuple[date, date],
    cut: int,
    day_count: DayCount,
    above: Decimal,
) -> None:
    start, end = period
    middle = start + timedelta(days=min(cut, (end - start).days))
    whole = compute_interest(principal, start, end, day_count=day_count, points_above_base=above)
    head = compute_interest(principal, start, middle, day_count=day_count, points_above_base=above)
    tail = compute_interest(principal, middle, end, day_count=day_count, points_above_base=above)
    assert _exact(head) + _exact(tail) == _exact(whole)
    # The stored amounts are that exact value to 50 significant digits.
    for result in (whole, head, tail):
        for segment in result.segments:
            exact = Fraction(principal) * Fraction(segment.rate) * segment.days
            exact /= 100 * segment.year_basis
            assert abs(Fraction(segment.amount) - exact) <= abs(exact) / 10**45
    total = sum((Fraction(s.amount) for s in head.segments + tail.segments), Fraction(0))
    assert abs(total - _exact(whole)) < Fraction(1, 10**30)


@given(principals, periods(), day_counts)
def test_total_is_the_exact_sum_rounded_half_up(
    principal: Decimal, period: tuple[date, date], day_count: DayCount
) -> None:
    result = compute_interest(principal, *period, day_count=day_count)
    exact = _exact(result)
    # half up: floor(exact × 100 + 1/2) for exact ≥ 0
    assert exact >= 0
    assert result.interest == Decimal(int(exact * 100 + Fraction(1, 2))) / 100


def _day_weight(day: date, day_count: DayCount) -> tuple[int, int]:
    """Days counted for ``day`` alone and the year basis, as the conventions define them."""
    if day_count is DayCount.THIRTY_E_360:

        def f(d: date) -> int:
            return 360 * d.year + 30 * d.month + min(d.day, 30)

        return f(day) - f(day - timedelta(days=1)), 360
    if day_count is DayCount.ACT_ACT:
        return 1, 366 if calendar.isleap(day.year) else 365
    return 1, 365 if day_count is DayCount.ACT_365 else 360


@given(principals, periods(max_days=800), day_counts, points)
def test_matches_day_by_day_reference(
    principal: Decimal, period: tuple[date, date], day_count: DayCount, above: Decimal
) -> None:
    start, end = period
    exact = Fraction(0)
    day = start + timedelta(days=1)
    while day <= end:
        days, basis = _day_weight(day, day_count)
        rate = Fraction(base_rate_on(day).rate + above)
        exact += Fraction(principal) * rate * days / (100 * basis)
        day += timedelta(days=1)
    result = compute_interest(principal, start, end, day_count=day_count, points_above_base=above)
    assert _exact(result) == exact
    rounded = Decimal(int(abs(exact) * 100 + Fraction(1, 2))) / 100
    assert result.interest == (rounded if exact >= 0 else -rounded)


# --- Basiszinssätze aus einer Datei der Bundesbank (settings.base_rate_file) ---------------

BBK_FILE = Path(__file__).parent / "data" / "basiszinssatz-bbk.csv"
# The test file has the layout of the Bundesbank's download of BBK01.SU0115; its value from
# 2026-07 (1,77 %) is made up for the tests and is no published rate.
FILE_RATE = D("1.77")


def _bbk(lines: str) -> str:
    return ";BBK01.SU0115;BBK01.SU0115_FLAGS\nBasiszinssatz gemäß § 247 BGB;;\n" + lines


def test_parse_bundesbank_download() -> None:
    rows = parse_base_rate_file(BBK_FILE.read_text(encoding="utf-8"), "bbk.csv")
    assert [(r.valid_from, r.rate, r.origin) for r in rows] == [
        (date(2025, 7, 1), D("1.27"), RateOrigin.FILE),
        (date(2026, 1, 1), D("1.27"), RateOrigin.FILE),
        (date(2026, 7, 1), FILE_RATE, RateOrigin.FILE),
    ]
    # the half-year row names the line that starts it (or the first month the file has)
    assert [r.source for r in rows] == ["bbk.csv, Zeile 7", "bbk.csv, Zeile 9", "bbk.csv, Zeile 15"]


def test_decimal_point_dates_and_english_layout() -> None:
    german = parse_base_rate_file(_bbk("01.07.2026;1.77;\n2027-01-01;1,77;\n"), "a.csv")
    assert [(r.valid_from, r.rate) for r in german] == [
        (date(2026, 7, 1), FILE_RATE),
        (date(2027, 1, 1), FILE_RATE),
    ]
    english = parse_base_rate_file(",BBK01.SU0115,BBK01.SU0115_FLAGS\n2026-07,1.77,\n", "e.csv")
    assert [(r.valid_from, r.rate) for r in english] == [(date(2026, 7, 1), FILE_RATE)]
    assert type(english[0].rate) is Decimal


def test_rows_before_2002_are_not_read() -> None:
    rows = parse_base_rate_file(_bbk("2001-07;3,62;\n2002-01;2,57;\n"), "a.csv")
    assert [r.valid_from for r in rows] == [date(2002, 1, 1)]


@pytest.mark.parametrize(
    ("lines", "line", "value", "words"),
    [
        ("2026-07;1,77;\n2026-8;1,77;\n", 4, "'2026-8'", "kein Zeitpunkt"),
        ("2026-7;1,77;\n", 3, "'2026-7'", "kein Zeitpunkt"),
        ("2026-07;1,7,7;\n", 3, "'1,7,7'", "kein Prozentsatz"),
        ("2026-07;1,77 %;\n", 3, "'1,77 %'", "kein Prozentsatz"),
        ("15.07.2026;1,77;\n", 3, "'15.07.2026'", "1. Januar oder 1. Juli"),
        ("2026-13;1,77;\n", 3, "'2026-13'", "kein gültiger Zeitpunkt"),
        ("2026-07;1,77;\n2026-09;1,52;\n", 4, "'1,52'", "widerspricht Zeile 3"),
        ("2026-07;1,77;\n2026-07;1,77;\n", 4, "'2026-07'", "doppelt"),
    ],
)
def test_malformed_line_names_file_line_and_value(
    lines: str, line: int, value: str, words: str
) -> None:
    with pytest.raises(CaseError) as info:
        parse_base_rate_file(_bbk(lines), "neu.csv")
    message = str(info.value)
    assert message.startswith(f"neu.csv: Zeile {line}: ")
    assert f"(Wert: {value})" in message
    assert words in message


def test_comma_is_no_decimal_mark_when_it_separates() -> None:
    with pytest.raises(CaseError, match="Zeile 2"):
        parse_base_rate_file(',BBK01.SU0115\n2026-07,"1,77"\n', "e.csv")


def test_other_series_is_refused() -> None:
    with pytest.raises(CaseError, match="andere Zeitreihe"):
        parse_base_rate_file(";BBK01.SU0112;BBK01.SU0112_FLAGS\n2026-07;2,15;\n", "ezb.csv")


def test_file_without_rates_is_refused() -> None:
    with pytest.raises(CaseError, match="keine Basiszinssätze"):
        parse_base_rate_file(_bbk("2026-07;.;Kein Wert vorhanden\n"), "leer.csv")


def test_disagreement_with_shipped_table_names_file_date_and_both_values(tmp_path: Path) -> None:
    path = tmp_path / "abweichend.csv"
    path.write_text(_bbk("2024-07;3,40;\n"), encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_base_rate_file(path)
    message = str(info.value)
    assert str(path) in message
    assert "Zeile 3" in message
    assert "2024-07-01" in message
    assert "3.40" in message
    assert "3.37" in message


def test_gap_after_the_table_is_refused() -> None:
    rows = parse_base_rate_file(_bbk("2027-01;1,77;\n"), "luecke.csv")
    with pytest.raises(CaseError, match="Lücke: für das Halbjahr ab 2026-07-01"):
        rate_table(rows, file="luecke.csv")


def test_windows_1252_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ansi.csv"
    path.write_bytes(_bbk("2026-07;1,77;\n").encode("windows-1252"))
    assert load_base_rate_file(path).end == date(2026, 12, 31)


def test_interest_across_july_2026_with_rates_from_file() -> None:
    # Worked example: 36,500.00 € paid out on 01.06.2026 (not counted), used on 31.07.2026,
    # act/365. 02.06.–30.06.2026: 29 days at 1.27 + 5 = 6.27 % (shipped table):
    #   36,500 × 6.27 % × 29 / 365 = 100 × 6.27 × 29 / 100 = 181.83 €
    # 01.07.–31.07.2026: 31 days at 1.77 + 5 = 6.77 % (user's file):
    #   36,500 × 6.77 % × 31 / 365 = 100 × 6.77 × 31 / 100 = 209.87 €
    # together 391.70 €.
    table = load_base_rate_file(BBK_FILE)
    assert table.end == date(2026, 12, 31)
    assert table.file == str(BBK_FILE)
    result = compute_interest(
        D("36500.00"), date(2026, 6, 1), date(2026, 7, 31), base_rate_table=table
    )
    assert result.interest == D("391.70")
    first, second = result.segments
    assert (first.days, first.base_rate, first.origin, first.assumed) == (
        29,
        D("1.27"),
        RateOrigin.TABLE,
        False,
    )
    assert (second.days, second.base_rate, second.origin, second.assumed) == (
        31,
        FILE_RATE,
        RateOrigin.FILE,
        False,
    )
    assert result.base_rate_file == str(BBK_FILE)
    assert result.assumed_base_rate is None
    data = json.loads(result.model_dump_json())
    assert [s["origin"] for s in data["segments"]] == ["table", "file"]
    # the shipped table alone still stops at 30.06.2026
    with pytest.raises(InterestError, match="base_rate_file"):
        compute_interest(D("36500.00"), date(2026, 6, 1), date(2026, 7, 31))


def test_assumed_rate_after_the_file_has_its_own_origin() -> None:
    table = load_base_rate_file(BBK_FILE)
    result = compute_interest(
        D("36500.00"),
        date(2026, 12, 1),
        date(2027, 1, 31),
        base_rate_table=table,
        assumed_base_rate=D("2.00"),
    )
    assert [(s.origin, s.assumed) for s in result.segments] == [
        (RateOrigin.FILE, False),
        (RateOrigin.ASSUMED, True),
    ]
    assert result.assumed_base_rate == D("2.00")
    assert base_rate_on(date(2026, 8, 15), table=table).origin is RateOrigin.FILE


def test_segment_built_without_origin_follows_assumed() -> None:
    fields = {
        "first_day": date(2026, 7, 1),
        "last_day": date(2026, 7, 31),
        "days": 31,
        "year_basis": 365,
        "base_rate": D("1.27"),
        "rate": D("6.27"),
        "amount": D("1"),
    }
    assert InterestSegment(**fields, assumed=True).origin is RateOrigin.ASSUMED
    assert InterestSegment(**fields, assumed=False).origin is RateOrigin.TABLE
    with pytest.raises(ValueError, match="passt nicht"):
        InterestSegment(**fields, assumed=True, origin=RateOrigin.FILE)
