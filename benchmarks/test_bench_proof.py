"""Import and evaluate 100,000 vouchers on the Bochum case (proof of use, forecast, interest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from foerdermittel.io import attach_ledger
from foerdermittel.io.ledger import write_ledger_csv

from .vouchers import bochum_without_ledger, vouchers

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
COUNT = 100_000


def _ledger(path: Path, count: int) -> fm.Case:
    """Write ``count`` deterministic vouchers inside the phases; return the case without ledger."""
    case = bochum_without_ledger()
    write_ledger_csv(vouchers(case, count), [], path)
    return case


def test_import_and_evaluate_100000_vouchers(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    case = _ledger(path, COUNT)

    def run() -> fm.Report:
        return fm.evaluate(attach_ledger(case, ledger=path), date(2026, 11, 26))

    report = benchmark.pedantic(run, rounds=2, iterations=1)
    assert len(report.proof_of_use.vouchers) == COUNT
