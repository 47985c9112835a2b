"""Speed of the ledger import: a German CSV with 10,000 and 100,000 vouchers."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from foerdermittel.io.ledger import Ledger, read_ledger

HEADER = (
    "Belegnummer;Zahlungsdatum;Betrag;Netto;Einzelansatz;Zahlungsempfänger;Verwendungszweck;"
    "Art;Bezug;Finanzierungsquelle"
)
LINES = [f"{a}.{b}" for a in range(1, 6) for b in range(1, 5)]
PAYEES = ["Müller GmbH", "Stadtwerke Bochum", "Bäckerei Größe", "IT-Dienstleister AG"]


def german(cents: int) -> str:
    """An amount in cents as ``-1.234,56``."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"


def write_vouchers(path: Path, count: int) -> Decimal:
    """A deterministic ledger of ``count`` vouchers; returns the sum of the amounts."""
    rng = random.Random(count)
    start = date(2022, 1, 1)
    total = 0
    rows = [HEADER]
    for number in range(1, count + 1):
        day = (start + timedelta(days=rng.randrange(1500))).strftime("%d.%m.%Y")
        roll = rng.random()
        if roll < 0.05:
            cents = -rng.randrange(1, 50_000)
            kind, reference, source, line = "Gutschrift", f"B-{max(1, number - 1)}", "", "1.1"
        elif roll < 0.08:
            cents = rng.randrange(100_000, 5_000_000)
            kind, reference, source, line = "Einnahme", "", "DM", ""
        else:
            cents = rng.randrange(1, 2_000_000)
            kind, reference, source, line = "", "", "", rng.choice(LINES)
        net = german(cents * 100 // 119) if kind == "" and number % 3 == 0 else ""
        total += cents
        rows.append(
            f"B-{number};{day};{german(cents)};{net};{line};{rng.choice(PAYEES)};"
            f"Rechnung {number} für Leistung;{kind};{reference};{source}"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return Decimal(total) / 100


def run(benchmark: BenchmarkFixture, tmp_path: Path, count: int) -> None:
    path = tmp_path / f"belege-{count}.csv"
    total = write_vouchers(path, count)
    ledger: Ledger = benchmark.pedantic(
        read_ledger,
        args=(path,),
        kwargs={"line_ids": LINES, "source_ids": ["DM", "EA"]},
        rounds=3,
        iterations=1,
    )
    assert ledger.rows == count
    assert len(ledger.expenditures) + len(ledger.income) == count
    assert ledger.control_sum == total


def test_read_ledger_100k(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    run(benchmark, tmp_path, 100_000)


@pytest.mark.parametrize("count", [10_000])
def test_read_ledger_sizes(benchmark: BenchmarkFixture, tmp_path: Path, count: int) -> None:
    run(benchmark, tmp_path, count)
