"""1,000 scenarios of the Bochum case, serially and with two processes."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from foerdermittel.scenarios import ComparisonTable, sweep

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
AS_OF = date(2024, 1, 1)
# 40 overruns × 25 delays = 1,000 scenarios on the lines of phase B
GRID = {"overrun": list(range(40)), "delay_months": list(range(25))}


def _case() -> fm.Case:
    return fm.load_case(EXAMPLE)


def test_1000_scenarios_serial(benchmark: BenchmarkFixture) -> None:
    case = _case()

    def run() -> ComparisonTable:
        return sweep(case, GRID, as_of=AS_OF, lines=["phase:B"])

    table = benchmark.pedantic(run, rounds=1, iterations=1)
    assert len(table.rows) == 1000


def test_1000_scenarios_two_processes(benchmark: BenchmarkFixture) -> None:
    case = _case()

    def run() -> ComparisonTable:
        with ProcessPoolExecutor(max_workers=2) as pool:
            return sweep(case, GRID, as_of=AS_OF, lines=["phase:B"], executor=pool)

    table = benchmark.pedantic(run, rounds=1, iterations=1)
    assert len(table.rows) == 1000
