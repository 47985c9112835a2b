"""Wall time of ``foerdermittel report`` on the Bochum example, a whole process, against a floor.

Run: ``pytest benchmarks/test_bench_report.py --benchmark-only -s``. Each round starts new
interpreters and times each from the outside, start-up included: the floor imports pydantic
(``python -c "import pydantic"``), the library runs the command as the ``foerdermittel``
script does (``python -m foerdermittel report examples/bochum-mpsc.toml``: the same
``foerdermittel.__main__.run``), and a bare interpreter (``python -c pass``) shows the
start-up alone. The printed ratio library/floor compares them in the same run. Before the
rounds each command runs once, so the bytecode caches exist as they do for an installed
package, and the report's text is checked.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from .ratios import fresh_interpreter_environment, ms_line, ratio_figures

ROUNDS = 7
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"

FLOOR = [sys.executable, "-c", "import pydantic"]
BARE = [sys.executable, "-c", "pass"]
REPORT = [sys.executable, "-m", "foerdermittel", "report", str(EXAMPLE)]


ENV = fresh_interpreter_environment()


def wall_seconds(command: list[str]) -> float:
    """How long ``command`` takes as a whole process, measured from outside."""
    began = time.perf_counter()
    done = subprocess.run(command, env=ENV, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    assert done.returncode in (0, 1), done.stderr  # 1: the report has a finding of error
    return seconds


def test_report_command(benchmark: BenchmarkFixture) -> None:
    first = subprocess.run(REPORT, env=ENV, capture_output=True, text=True, check=False)
    assert "Stadt Bochum" in first.stdout, first.stderr
    for command in (FLOOR, BARE):  # writes the bytecode caches
        wall_seconds(command)
    floor: list[float] = []
    bare: list[float] = []
    library: list[float] = []

    def other_rounds() -> None:  # runs before each timed round, untimed by the fixture
        floor.append(wall_seconds(FLOOR))
        bare.append(wall_seconds(BARE))

    def library_round() -> None:
        library.append(wall_seconds(REPORT))

    benchmark.pedantic(library_round, setup=other_rounds, rounds=ROUNDS, iterations=1)
    figures = {
        **ratio_figures(library, floor),
        "bare_min_s": min(bare),
        "bare_median_s": statistics.median(bare),
    }
    benchmark.extra_info.update(figures)
    print(
        f"\npython -c 'import pydantic' (floor): {min(floor) * 1000:.0f} ms "
        f"(median {statistics.median(floor) * 1000:.0f} ms)\n"
        + ms_line("python -c pass", bare, floor, 0)
        + "\n"
        + ms_line("foerdermittel report examples/bochum-mpsc.toml", library, floor, 0)
    )
    assert len(library) == len(floor)
