from datetime import date

import pytest

from foerdermittel.errors import ArgumentError
from foerdermittel.periods import Period, Span, budget_year


def test_period_basics() -> None:
    a = Period(start=date(2021, 12, 1), end=date(2022, 11, 30))
    b = Period(start=date(2022, 10, 1), end=date(2026, 9, 30))
    assert a.days == 365
    assert a.overlaps(b)
    assert a.intersection(b) == Period(start=date(2022, 10, 1), end=date(2022, 11, 30))
    assert b.budget_years() == (2022, 2023, 2024, 2025, 2026)
    assert a.contains(date(2021, 12, 1))
    assert not a.contains(date(2022, 12, 1))
    assert Period(start=date(2020, 1, 1), end=date(2020, 1, 1)).intersection(a) is None


def test_period_rejects_end_before_start() -> None:
    # An ArgumentError is a ValueError, as pydantic's ValidationError raised here before was.
    with pytest.raises(ArgumentError, match="2021-11-30 liegt vor dem Beginn 2022-10-01"):
        Period(start=date(2022, 10, 1), end=date(2021, 11, 30))


@pytest.mark.parametrize(
    ("start", "span", "latest"),
    [
        # § 188 Abs. 2 BGB (second case): a 12-month period from 01.12.2021 ends 30.11.2022.
        (date(2021, 12, 1), Span(amount=12, unit="months"), date(2022, 11, 30)),
        # 4 years from 01.10.2022 end 30.09.2026 (Bochum's implementation phase).
        (date(2022, 10, 1), Span(amount=4, unit="years"), date(2026, 9, 30)),
        # month-end: from 31.01. one month reaches 28./29.02. (§ 188 Abs. 3 BGB).
        (date(2024, 1, 31), Span(amount=1, unit="months"), date(2024, 2, 28)),
    ],
)
def test_latest_end_within(start: date, span: Span, latest: date) -> None:
    assert Period(start=start, end=start).latest_end_within(span) == latest


def test_span_text_and_delta() -> None:
    assert str(Span(amount=1, unit="years")) == "1 Jahr"
    assert str(Span(amount=6, unit="weeks")) == "6 Wochen"
    # 31.08.2025 + 6 months -> 28.02.2026 (grant-law §5.2), computed from the anchor
    assert date(2025, 8, 31) + Span(amount=6, unit="months").delta == date(2026, 2, 28)
    with pytest.raises(ValueError, match="negativ"):
        Span(amount=-1, unit="days")


def test_budget_year_is_calendar_year() -> None:
    assert budget_year(2024) == Period(start=date(2024, 1, 1), end=date(2024, 12, 31))
