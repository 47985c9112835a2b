"""1,000 scenarios of the Bochum case, serially and with two processes, round by round.

Run: ``pytest benchmarks/test_bench_scenarios.py --benchmark-only -s``. Each round runs the
sweep serially, then with two worker processes, then the same-sized plain Python job (Decimal
arithmetic and small dicts, no library) serially and with two processes. The plain job's
speed-up is what two processes give on the machine in that minute: this VM's speed drifts by
up to a fifth, so the sweep's speed-up is read beside it, round by round, not against a
figure measured another day. Both sweeps must give the same table.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from foerdermittel.scenarios import ComparisonTable, sweep

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
AS_OF = date(2024, 1, 1)
# 40 overruns × 25 delays = 1,000 scenarios on the lines of phase B
GRID = {"overrun": list(range(40)), "delay_months": list(range(25))}
ROUNDS = 3
PLAIN_TASKS = 40
PLAIN_STEPS = 40_000


def _case() -> fm.Case:
    return fm.load_case(EXAMPLE)


def plain_task(steps: int) -> str:
    """Pure Python of the sweep's kind: Decimal arithmetic, small dicts and lists."""
    months: dict[int, Decimal] = {}
    total = Decimal(0)
    for step in range(steps):
        month = step % 48
        months[month] = Decimal(step) / 7
        total += months[month]
        _ = [month + i for i in range(10)]
    return str(total)


def _plain(executor: ProcessPoolExecutor | None) -> list[str]:
    tasks = [PLAIN_STEPS] * PLAIN_TASKS
    if executor is None:
        return [plain_task(steps) for steps in tasks]
    return list(executor.map(plain_task, tasks))


def _timed(run: Callable[[], object], into: list[float]) -> object:
    began = time.perf_counter()
    found = run()
    into.append(time.perf_counter() - began)
    return found


def _figures(times: list[float]) -> str:
    return f"{min(times):.2f} s (median {statistics.median(times):.2f} s)"


def test_1000_scenarios_serial_and_two_processes(benchmark: BenchmarkFixture) -> None:
    case = _case()
    serial: list[float] = []
    parallel: list[float] = []
    plain_serial: list[float] = []
    plain_parallel: list[float] = []
    tables: list[ComparisonTable] = []
    plain: list[list[str]] = []

    def serial_round() -> None:  # runs untimed by the fixture before each timed round
        found = _timed(lambda: sweep(case, GRID, as_of=AS_OF, lines=["phase:B"]), serial)
        assert isinstance(found, ComparisonTable)
        tables.append(found)

    def two_processes() -> ComparisonTable:
        with ProcessPoolExecutor(max_workers=2) as pool:
            table = _timed(
                lambda: sweep(case, GRID, as_of=AS_OF, lines=["phase:B"], executor=pool),
                parallel,
            )
        with ProcessPoolExecutor(max_workers=2) as pool:
            plain.append(_timed(lambda: _plain(pool), plain_parallel))  # type: ignore[arg-type]
        plain.append(_timed(lambda: _plain(None), plain_serial))  # type: ignore[arg-type]
        assert isinstance(table, ComparisonTable)
        return table

    table = benchmark.pedantic(two_processes, setup=serial_round, rounds=ROUNDS, iterations=1)
    assert len(table.rows) == 1000
    assert table == tables[-1]  # the same table either way: a check, not a timing
    assert plain[0] == plain[1]
    speedups = [s / p for s, p in zip(serial, parallel, strict=True)]
    ceilings = [s / p for s, p in zip(plain_serial, plain_parallel, strict=True)]
    figures = {
        "serial_min_s": min(serial),
        "serial_median_s": statistics.median(serial),
        "two_processes_min_s": min(parallel),
        "two_processes_median_s": statistics.median(parallel),
        "speedup_min": min(serial) / min(parallel),
        "speedup_median": statistics.median(speedups),
        "plain_speedup_min": min(plain_serial) / min(plain_parallel),
        "plain_speedup_median": statistics.median(ceilings),
    }
    benchmark.extra_info.update(figures)
    print(
        f"\n1,000 Bochum scenarios: serial {_figures(serial)}, two processes "
        f"{_figures(parallel)}; speed-up {figures['speedup_min']:.2f} (min/min), "
        f"{figures['speedup_median']:.2f} (median of rounds: "
        f"{', '.join(f'{s:.2f}' for s in speedups)}); plain Python in the same rounds "
        f"{figures['plain_speedup_min']:.2f} (min/min), {figures['plain_speedup_median']:.2f} "
        f"(median of rounds: {', '.join(f'{c:.2f}' for c in ceilings)})"
    )
