"""Speed of evaluating the Bochum case (run: pytest benchmarks --benchmark-only)."""

from __future__ import annotations

from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"


def test_load_bochum(benchmark: BenchmarkFixture) -> None:
    case = benchmark(fm.load_case, EXAMPLE)
    assert case.grant.recipient == "Stadt Bochum"


def test_evaluate_bochum(benchmark: BenchmarkFixture) -> None:
    case = fm.load_case(EXAMPLE)
    report = benchmark(fm.evaluate, case)
    assert str(report.financing.grant) == "9880000.00"
