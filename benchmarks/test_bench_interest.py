"""Speed of § 49a interest for many payouts (run: pytest benchmarks --benchmark-only)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from pytest_benchmark.fixture import BenchmarkFixture

from foerdermittel.interest import DayCount, compute_interest

PAYOUTS = 100_000
FIRST = date(2019, 1, 1)
LAST = date(2025, 12, 31)


def _payouts() -> list[tuple[Decimal, date, date]]:
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


def test_interest_for_100000_payouts(benchmark: BenchmarkFixture) -> None:
    payouts = _payouts()

    def run() -> Decimal:
        total = Decimal(0)
        for amount, start, end in payouts:
            total += compute_interest(amount, start, end, day_count=DayCount.ACT_365).interest
        return total

    total = benchmark.pedantic(run, rounds=3, iterations=1)
    assert total > 0
