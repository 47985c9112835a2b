"""The portfolio at scale: 50, 100 and 500 generated grants with about 2,000 vouchers each.

For each size the benchmark times ``load_portfolio`` + ``evaluate_portfolio`` serially and
through a ``ProcessPoolExecutor(2)`` (the pool started inside the timing, as a caller would),
prints min and median, the ratio serial/parallel, and the time per grant; a memory test runs
each size in a fresh interpreter and prints its peak RSS, per grant. Nothing is asserted about
time or memory; that the parallel result is the serial one is.

``.ci/run`` runs the benchmarks with ``--benchmark-disable``: then one tiny portfolio (four
grants, a hundred vouchers each) runs once each way, so the code cannot rot, and the large
sizes are skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from statistics import median
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from benchmarks.portfolio_gen import write_portfolio

AS_OF = date(2025, 6, 30)
SIZES = (50, 100, 500)
TINY = (4, 100)
ROUNDS = 3
_SERIAL: dict[int, tuple[float, float]] = {}


def _size(benchmark: BenchmarkFixture, grants: int) -> tuple[int, int]:
    """The portfolio to run: the size asked for when timing, the tiny one once otherwise."""
    if benchmark.disabled:
        if grants != SIZES[0]:
            pytest.skip("timed runs only (--benchmark-only)")
        return TINY
    return grants, 2_000


@pytest.fixture(scope="module")
def portfolios(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], Path]:
    return {}


def _portfolio(store: dict[tuple[int, int], Path], size: tuple[int, int], tmp: Path) -> Path:
    if size not in store:
        store[size] = write_portfolio(tmp / f"p{size[0]}-{size[1]}", *size)
    return store[size]


def _serial(path: Path) -> fm.PortfolioReport:
    return fm.evaluate_portfolio(fm.load_portfolio(path), AS_OF)


def _parallel(path: Path) -> fm.PortfolioReport:
    with ProcessPoolExecutor(2) as pool:
        return fm.evaluate_portfolio(fm.load_portfolio(path, pool), AS_OF, executor=pool)


def _stats(benchmark: BenchmarkFixture) -> tuple[float, float]:
    stats: Any = benchmark.stats
    return stats.stats.min, stats.stats.median


@pytest.mark.parametrize("grants", SIZES, ids=[f"{n}-grants" for n in SIZES])
def test_bench_portfolio_serial(
    benchmark: BenchmarkFixture,
    portfolios: dict[tuple[int, int], Path],
    tmp_path_factory: pytest.TempPathFactory,
    grants: int,
) -> None:
    size = _size(benchmark, grants)
    path = _portfolio(portfolios, size, tmp_path_factory.getbasetemp())
    report = benchmark.pedantic(_serial, args=(path,), rounds=ROUNDS, iterations=1)
    assert len(report.grants) == size[0]
    if benchmark.disabled:
        return
    started = time.perf_counter()
    portfolio = fm.load_portfolio(path)
    loaded = time.perf_counter()
    fm.evaluate_portfolio(portfolio, AS_OF)
    done = time.perf_counter()
    low, mid = _SERIAL[grants] = _stats(benchmark)
    print(
        f"\nportfolio {grants} grants serial: min {low:.2f} s, median {mid:.2f} s "
        f"({mid / grants * 1000:.1f} ms per grant); one more run: load {loaded - started:.2f} s, "
        f"evaluate {done - loaded:.2f} s"
    )


@pytest.mark.parametrize("grants", SIZES, ids=[f"{n}-grants" for n in SIZES])
def test_bench_portfolio_two_processes(
    benchmark: BenchmarkFixture,
    portfolios: dict[tuple[int, int], Path],
    tmp_path_factory: pytest.TempPathFactory,
    grants: int,
) -> None:
    size = _size(benchmark, grants)
    path = _portfolio(portfolios, size, tmp_path_factory.getbasetemp())
    report = benchmark.pedantic(_parallel, args=(path,), rounds=ROUNDS, iterations=1)
    assert report.to_json() == _serial(path).to_json()
    if benchmark.disabled:
        return
    low, mid = _stats(benchmark)
    line = f"\nportfolio {grants} grants, two processes: min {low:.2f} s, median {mid:.2f} s"
    if grants in _SERIAL:
        serial_min, serial_median = _SERIAL[grants]
        line += (
            f"; serial/parallel {serial_min / low:.2f} (min), {serial_median / mid:.2f} (median)"
        )
    print(line)


# The peak RSS of the process's own memory since exec (VmHWM, kB); ru_maxrss would carry the
# forking parent's peak over the exec on Linux, and the benchmark process is large.
_PEAK = """
def peak():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
_MEMORY = (
    _PEAK
    + """
import sys, time
from datetime import date
from pathlib import Path
import foerdermittel as fm
started = time.perf_counter()
report = fm.evaluate_portfolio(fm.load_portfolio(Path(sys.argv[1])), date(2025, 6, 30))
print(len(report.grants), peak(), time.perf_counter() - started)
"""
)


_EMPTY = (
    _PEAK
    + """
import foerdermittel as fm
fm.evaluate  # the public names load on first use
print(peak())
"""
)


def test_portfolio_memory_per_grant(
    benchmark: BenchmarkFixture,
    portfolios: dict[tuple[int, int], Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Peak RSS of a fresh interpreter that loads and evaluates each size, per grant.

    The interpreter's own peak after ``import foerdermittel`` is subtracted for the figure per
    grant.
    """
    sizes = [TINY] if benchmark.disabled else [(n, 2_000) for n in SIZES]
    base = tmp_path_factory.getbasetemp()
    root = Path(__file__).resolve().parent.parent

    def run(*args: str) -> list[str]:
        command = [sys.executable, "-c", *args]
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=root)
        return done.stdout.split()

    def measure() -> list[str]:
        empty = int(run(_EMPTY)[0]) / 1024
        lines = [f"interpreter with foerdermittel imported: {empty:.0f} MB"]
        for size in sizes:
            path = _portfolio(portfolios, size, base)
            peaks, times = [], []
            for _ in range(1 if benchmark.disabled else ROUNDS):
                out = run(_MEMORY, str(path))
                assert int(out[0]) == size[0]
                peaks.append(int(out[1]) / 1024)  # kB -> MB
                times.append(float(out[2]))
            lines.append(
                f"{size[0]} grants: peak RSS min {min(peaks):.0f} MB, median "
                f"{median(peaks):.0f} MB, {(median(peaks) - empty) / size[0]:.2f} MB per grant; "
                f"load + evaluate median {median(times):.2f} s"
            )
        return lines

    lines = benchmark.pedantic(measure, rounds=1, iterations=1)
    print("\n" + "\n".join(lines))


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = write_portfolio(tmp_path / "a", 4, 50)
    second = write_portfolio(tmp_path / "b", 4, 50)
    names = sorted(p.name for p in first.parent.iterdir())
    assert names == sorted(p.name for p in second.parent.iterdir())
    for name in names:
        assert (first.parent / name).read_bytes() == (second.parent / name).read_bytes()
    case = json.loads((first.parent / "g0001.json").read_text())
    assert case["ledger"] == {"file": "g0001-ledger.csv"}
