"""Import and evaluate 100,000 vouchers on the Bochum case (proof of use, forecast, interest)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from foerdermittel.io import attach_ledger
from foerdermittel.io.ledger import write_ledger_csv

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
COUNT = 100_000


def _ledger(path: Path, count: int) -> fm.Case:
    """Write ``count`` deterministic vouchers inside the phases; return the case without ledger."""
    case = fm.load_case(EXAMPLE).model_copy(update={"ledger": None})
    amended = case.amended()
    lines = [(line.id, amended.grant.phase(line.phase)) for line in amended.plan.lines]
    rng = random.Random(count)
    vouchers = []
    for number in range(count):
        line, phase = rng.choice(lines)
        day = phase.start + timedelta(days=rng.randrange((phase.end - phase.start).days + 1))
        amount = Decimal(rng.randrange(100, 500_000)) / 100
        vouchers.append(fm.Expenditure(id=f"V{number}", line=line, paid_on=day, amount=amount))
    write_ledger_csv(vouchers, [], path)
    return case


def test_import_and_evaluate_100000_vouchers(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    case = _ledger(path, COUNT)

    def run() -> fm.Report:
        return fm.evaluate(attach_ledger(case, ledger=path), date(2026, 11, 26))

    report = benchmark.pedantic(run, rounds=2, iterations=1)
    assert len(report.proof_of_use.vouchers) == COUNT
