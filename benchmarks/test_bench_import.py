"""Time of ``import foerdermittel`` in a fresh interpreter, against ``import pydantic``.

Run: ``pytest benchmarks/test_bench_import.py --benchmark-only -s``. Each round starts two new
interpreters: the floor imports pydantic, the library imports foerdermittel; each measures its
own import with ``time.perf_counter`` (interpreter start-up is left out, it is the same for
both), and the printed ratio library/floor compares the two in the same run. A third figure
shows what the first use costs on top: every name of ``__all__`` resolved
(``from foerdermittel import *``), which imports the case model, the calculators and the
scenarios. Before the rounds each command runs once, so the bytecode caches exist as they do
for an installed package.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from pytest_benchmark.fixture import BenchmarkFixture

from .ratios import fresh_interpreter_environment, ms_line, ratio_figures

ROUNDS = 7

FLOOR = "import pydantic"
LIBRARY = "import foerdermittel"
EVERYTHING = "from foerdermittel import *"


ENV = fresh_interpreter_environment()


def import_seconds(statement: str) -> float:
    """How long ``statement`` takes in a new interpreter, measured inside it."""
    code = (
        "import time\n"
        "began = time.perf_counter()\n"
        f"{statement}\n"
        "print(time.perf_counter() - began)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=ENV, capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def test_import_foerdermittel(benchmark: BenchmarkFixture) -> None:
    for statement in (FLOOR, LIBRARY, EVERYTHING):  # writes the bytecode caches
        import_seconds(statement)
    floor: list[float] = []
    library: list[float] = []
    everything: list[float] = []

    def other_rounds() -> None:  # runs before each timed round, untimed by the fixture
        floor.append(import_seconds(FLOOR))
        everything.append(import_seconds(EVERYTHING))

    def library_round() -> None:
        library.append(import_seconds(LIBRARY))

    benchmark.pedantic(library_round, setup=other_rounds, rounds=ROUNDS, iterations=1)
    figures = {
        **ratio_figures(library, floor),
        "everything_min_s": min(everything),
        "everything_median_s": statistics.median(everything),
    }
    benchmark.extra_info.update(figures)
    print(
        f"\n{FLOOR} (floor): {min(floor) * 1000:.1f} ms "
        f"(median {statistics.median(floor) * 1000:.1f} ms)\n"
        + ms_line(LIBRARY, library, floor)
        + "\n"
        + ms_line(EVERYTHING, everything, floor)
    )
    assert len(library) == len(floor)
