"""Import and evaluate 100,000 vouchers on the Bochum case, against a floor.

Run: ``pytest benchmarks/test_bench_proof.py --benchmark-only -s``. The vouchers are spread
over the Bochum lines and phases and written as a CSV ledger once. Each round first runs the
floor — the ``csv`` module reading the same file and one ``Decimal`` per line, summing the
amount column (``floor`` in ``test_bench_ledger``) — and then the library: ``attach_ledger``
(the import) and ``evaluate`` (forecast, drawdown plan, own share, late-use interest, proof
of use). Both are timed in the same run, round by round; the ratios library/floor — for the
import, the evaluation and both — are printed and kept in the benchmark's ``extra_info``.

A million vouchers are measured by hand, each step in a fresh process (peak memory is the
process's)::

    python -m benchmarks.test_bench_proof write 1000000 /tmp/belege.csv
    python -m benchmarks.test_bench_proof measure /tmp/belege.csv

or, with 10,000 and 100,000 for the time per voucher, by ``test_bench_million`` (skipped
unless ``FOERDERMITTEL_BENCH_MILLION`` is set).
"""

from __future__ import annotations

import resource
import sys
import time
from datetime import date
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from foerdermittel.io import attach_ledger
from foerdermittel.io.ledger import write_ledger_csv

from .test_bench_ledger import floor, ledger_figures
from .vouchers import bochum_without_ledger, iter_vouchers

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
COUNT = 100_000
ROUNDS = 3
KEY_DATE = date(2026, 11, 26)


def _ledger(path: Path, count: int) -> fm.Case:
    """Write ``count`` deterministic vouchers inside the phases; return the case without ledger."""
    case = bochum_without_ledger()
    write_ledger_csv(iter_vouchers(case, count), [], path)
    return case


class _Rounds:
    """The floor and the library, timed round by round."""

    def __init__(self, case: fm.Case, path: Path) -> None:
        self.case = case
        self.path = path
        self.floor: list[float] = []
        self.imports: list[float] = []
        self.evaluations: list[float] = []
        self.library: list[float] = []

    def floor_round(self) -> None:
        began = time.perf_counter()
        floor(self.path, encoding="utf-8-sig")
        self.floor.append(time.perf_counter() - began)

    def library_round(self) -> fm.Report:
        began = time.perf_counter()
        attached = attach_ledger(self.case, ledger=self.path)
        imported = time.perf_counter()
        report = fm.evaluate(attached, KEY_DATE)
        done = time.perf_counter()
        self.imports.append(imported - began)
        self.evaluations.append(done - imported)
        self.library.append(done - began)
        return report

    def figures(self, name: str) -> dict[str, float]:
        return ledger_figures(
            name, self.library, self.floor, **{"import": self.imports, "evaluate": self.evaluations}
        )


def test_import_and_evaluate_100000_vouchers(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    rounds = _Rounds(_ledger(path, COUNT), path)
    report = benchmark.pedantic(
        rounds.library_round, setup=rounds.floor_round, rounds=ROUNDS, iterations=1
    )
    benchmark.extra_info.update(rounds.figures(f"import + evaluate, {COUNT:,} vouchers"))
    assert len(report.proof_of_use.vouchers) == COUNT


def _measure(path: Path) -> None:
    """Floor, import and evaluation of the ledger at ``path`` once; peak memory afterwards."""
    rounds = _Rounds(bochum_without_ledger(), path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rounds.floor_round()
    report = rounds.library_round()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    rounds.figures(f"import + evaluate, {len(report.proof_of_use.vouchers):,} vouchers")
    print(f"peak memory (resident): {peak / 1024:.0f} MiB (before: {before / 1024:.0f} MiB)")


if __name__ == "__main__":  # pragma: no cover - by hand, see the module text
    match sys.argv[1:]:
        case ["write", count, file]:
            _ledger(Path(file), int(count))
        case ["measure", file]:
            _measure(Path(file))
        case _:
            sys.exit(__doc__)
