"""Is ``evaluate`` linear in lines and payouts? The Bochum case split ×1, ×8 and ×64.

Each budget line is split into *k* lines and each payout into *k* payouts of the same day
(the amounts split to the cent), so the grant, the plan and the money paid stay the same while
the case grows: 16/128/1,024 lines and 11/88/704 payouts. The benchmark prints the time per
line and payout of each size against the smallest: a ratio near 1 is linear, one that grows
with *k* is not. Nothing is asserted about time; that the figures stay the same is.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from foerdermittel.money import allocate

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
AS_OF = date(2025, 6, 30)
FACTORS = (1, 8, 64)


def _split(amount: Any, k: int) -> tuple[Decimal, ...]:
    return allocate(Decimal(str(amount)), [Decimal(1)] * k)


def scaled_case(k: int) -> fm.Case:
    """The Bochum case with every line and every payout split into ``k`` (same totals)."""
    data = fm.load_case(EXAMPLE).model_dump(mode="json")
    data["ledger"] = None
    lines = []
    for line in data["plan"]["lines"]:
        parts = {year: _split(amount, k) for year, amount in line["amounts"].items()}
        for i in range(k):
            copy = dict(line, id=f"{line['id']}~{i}" if k > 1 else line["id"])
            copy["amounts"] = {year: str(parts[year][i]) for year in parts}
            copy["monthly"] = None
            copy["stated_total"] = None
            lines.append(copy)
    data["plan"]["lines"] = lines
    payouts = []
    for payout in data["payouts"]:
        for i, amount in enumerate(_split(payout["amount"], k)):
            payouts.append(
                dict(
                    payout, id=f"{payout['id']}~{i}" if k > 1 else payout["id"], amount=str(amount)
                )
            )
    data["payouts"] = payouts
    data["amendments"] = [dict(a, lines=[]) for a in data["amendments"]]
    data["scenarios"] = []
    return fm.Case.from_data(data)


def _seconds(case: fm.Case, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fm.evaluate(case, AS_OF)
        best = min(best, time.perf_counter() - start)
    return best


def test_evaluate_grows_linearly(
    benchmark: BenchmarkFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = {k: scaled_case(k) for k in FACTORS}
    grants = {k: fm.evaluate(case, AS_OF).financing.grant for k, case in cases.items()}
    assert len(set(grants.values())) == 1  # the same grant however finely the case is split

    def run() -> dict[int, float]:
        return {k: _seconds(case) for k, case in cases.items()}

    times = benchmark.pedantic(run, rounds=1, iterations=1)
    if times is None:  # --benchmark-disable runs the function once and returns its result
        return
    base = times[1]
    rows = []
    for k, seconds in times.items():
        case = cases[k]
        units = len(case.plan.lines) + len(case.payouts)
        rows.append(
            f"×{k:<3} {len(case.plan.lines):>5} lines {len(case.payouts):>5} payouts "
            f"{seconds * 1000:8.1f} ms  per unit vs ×1: "
            f"{seconds / units / (base / (len(cases[1].plan.lines) + len(cases[1].payouts))):.2f}"
        )
        benchmark.extra_info[f"x{k}_ms"] = round(seconds * 1000, 1)
    with capsys.disabled():
        print("\nevaluate, Bochum split:\n  " + "\n  ".join(rows))
