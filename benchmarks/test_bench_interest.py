"""Speed of § 49a interest for many payouts, against a plain Decimal loop (the floor).

Run: ``pytest benchmarks/test_bench_interest.py --benchmark-only -s``. Each round first runs
the floor — a plain loop over the merged periods of one Basiszinssatz, found by bisection,
summing ``amount × (rate + 5) × days`` and dividing once by 36,500 — and then
``compute_interest`` for the same payouts (act/365).
Both are timed in the same run, round by round, so the printed ratio library/floor shows the
distance on the machine as it is, not a noisy absolute time. Every payout's interest must be
the same to the cent in both.
"""

from __future__ import annotations

import random
import time
from bisect import bisect_right
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from pytest_benchmark.fixture import BenchmarkFixture

from foerdermittel.interest import DayCount, base_rates, compute_interest

from .ratios import ratio_figures

PAYOUTS = 100_000
ROUNDS = 5
FIRST = date(2019, 1, 1)
LAST = date(2025, 12, 31)
ONE_DAY = timedelta(days=1)
CENT = Decimal("0.01")
POINTS = Decimal(5)

Payout = tuple[Decimal, date, date]


def _payouts() -> list[Payout]:
    """Deterministic payouts: amounts up to 2 M€, payout and use days within 2019–2025."""
    rng = random.Random(20240301)
    span = (LAST - FIRST).days
    payouts = []
    for _ in range(PAYOUTS):
        amount = Decimal(rng.randint(100, 200_000_000)).scaleb(-2)
        start = FIRST + timedelta(days=rng.randint(0, span))
        end = min(start + timedelta(days=rng.randint(0, 540)), LAST)
        payouts.append((amount, start, end))
    return payouts


def merged_periods() -> tuple[list[date], list[date], list[Decimal]]:
    """The shipped Basiszinssätze as periods of one rate: first days, last days and rates.

    Half-years in a row with the same rate are one period.
    """
    firsts: list[date] = []
    lasts: list[date] = []
    rates: list[Decimal] = []
    for row in base_rates():
        start = row.valid_from
        last = date(start.year, 6, 30) if start.month == 1 else date(start.year, 12, 31)
        if rates and rates[-1] == row.rate:
            lasts[-1] = last
        else:
            firsts.append(start)
            lasts.append(last)
            rates.append(row.rate)
    return firsts, lasts, rates


def plain_interest(payouts: list[Payout]) -> list[Decimal]:
    """The floor: interest act/365 at the base rate + 5 points, one plain loop per payout."""
    firsts, lasts, rates = merged_periods()
    result = []
    for amount, start, end in payouts:
        numerator = Decimal(0)
        day = start + ONE_DAY
        index = bisect_right(firsts, day) - 1
        while day <= end:
            last = min(end, lasts[index])
            numerator += amount * (rates[index] + POINTS) * ((last - day).days + 1)
            day = last + ONE_DAY
            index += 1
        result.append((numerator / 36500).quantize(CENT, rounding=ROUND_HALF_UP))
    return result


def library_interest(payouts: list[Payout]) -> list[Decimal]:
    """The library: one ``compute_interest`` per payout, act/365."""
    return [
        compute_interest(amount, start, end, day_count=DayCount.ACT_365).interest
        for amount, start, end in payouts
    ]


def _report(name: str, library: list[float], floor: list[float]) -> dict[str, float]:
    figures = ratio_figures(library, floor)
    print(
        f"\n{name}: library {figures['library_min_s']:.3f} s (median "
        f"{figures['library_median_s']:.3f} s), plain loop {figures['floor_min_s']:.3f} s "
        f"(median {figures['floor_median_s']:.3f} s); library/floor {figures['ratio_min']:.2f} "
        f"(medians {figures['ratio_median']:.2f})"
    )
    return figures


def test_interest_for_100000_payouts(benchmark: BenchmarkFixture) -> None:
    payouts = _payouts()
    floor_times: list[float] = []
    library_times: list[float] = []
    floor_results: list[list[Decimal]] = []

    def floor_round() -> None:  # runs untimed by the fixture before each library round
        began = time.perf_counter()
        floor_results.append(plain_interest(payouts))
        floor_times.append(time.perf_counter() - began)

    def library_round() -> list[Decimal]:
        began = time.perf_counter()
        found = library_interest(payouts)
        library_times.append(time.perf_counter() - began)
        return found

    found = benchmark.pedantic(library_round, setup=floor_round, rounds=ROUNDS, iterations=1)
    benchmark.extra_info.update(
        _report("§ 49a interest, 100,000 payouts", library_times, floor_times)
    )
    assert found == floor_results[-1]  # every payout to the cent: a check, not a timing
    assert sum(found) > 0
