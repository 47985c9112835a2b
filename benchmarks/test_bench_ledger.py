"""Speed of the ledger import, a German CSV of 10,000 and 100,000 vouchers, against a floor.

Run: ``pytest benchmarks/test_bench_ledger.py --benchmark-only -s``. Each round first runs
the floor — the ``csv`` module reading the same file and one ``Decimal`` per line, summing
the amount column (``floor`` below: what any import of the file costs at least, without a
single check and without building an entry) — and then ``read_ledger`` (every cell read and
checked, ``line_ids`` and ``source_ids`` checked, the entries built, the control sum). Both
are timed in the same run, round by round, and the ratio library/floor is printed (and kept
in the benchmark's ``extra_info``): the distance on the machine as it is, not a noisy
absolute time. The floor's sum must equal the ledger's control sum.
"""

from __future__ import annotations

import csv
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from foerdermittel.io.ledger import Ledger, read_ledger

from .ratios import ratio_figures

ROUNDS = 3
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


def floor(path: Path, *, encoding: str = "utf-8", column: str = "Betrag") -> Decimal:
    """The floor: the ``csv`` module reading ``path``, one ``Decimal`` per line, summed.

    The amount is turned from ``1.234,56`` into ``Decimal("1234.56")`` by removing the dots
    and replacing the comma; nothing is checked and no entry is built.
    """
    total = Decimal(0)
    with path.open(newline="", encoding=encoding) as handle:
        rows = csv.reader(handle, delimiter=";")
        index = next(rows).index(column)
        for row in rows:
            total += Decimal(row[index].replace(".", "").replace(",", "."))
    return total


def ledger_figures(
    name: str, library: list[float], floors: list[float], **parts: list[float]
) -> dict[str, float]:
    """Min and median of the library's and the floor's times and their ratio; printed."""
    figures = ratio_figures(library, floors)
    shown = "".join(
        f"; {part} {min(times):.3f} s (median {statistics.median(times):.3f} s, "
        f"{min(times) / min(floors):.1f} × floor)"
        for part, times in parts.items()
    )
    for part, times in parts.items():
        figures[f"{part}_min_s"] = min(times)
        figures[f"{part}_ratio_min"] = min(times) / min(floors)
    print(
        f"\n{name}: library {figures['library_min_s']:.3f} s (median "
        f"{figures['library_median_s']:.3f} s), floor csv + Decimal {figures['floor_min_s']:.3f} s "
        f"(median {figures['floor_median_s']:.3f} s); library/floor {figures['ratio_min']:.1f} "
        f"(medians {figures['ratio_median']:.1f}){shown}"
    )
    return figures


def run(benchmark: BenchmarkFixture, tmp_path: Path, count: int) -> None:
    path = tmp_path / f"belege-{count}.csv"
    total = write_vouchers(path, count)
    floor_times: list[float] = []
    floor_sums: list[Decimal] = []
    library_times: list[float] = []

    def floor_round() -> None:  # runs untimed by the fixture before each library round
        began = time.perf_counter()
        floor_sums.append(floor(path))
        floor_times.append(time.perf_counter() - began)

    def library_round() -> Ledger:
        began = time.perf_counter()
        ledger = read_ledger(path, line_ids=LINES, source_ids=["DM", "EA"])
        library_times.append(time.perf_counter() - began)
        return ledger

    ledger = benchmark.pedantic(library_round, setup=floor_round, rounds=ROUNDS, iterations=1)
    benchmark.extra_info.update(
        ledger_figures(f"read_ledger, {count:,} vouchers", library_times, floor_times)
    )
    assert ledger.rows == count
    assert len(ledger.expenditures) + len(ledger.income) == count
    assert ledger.control_sum == total == floor_sums[-1]


def test_read_ledger_100k(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    run(benchmark, tmp_path, 100_000)


@pytest.mark.parametrize("count", [10_000])
def test_read_ledger_sizes(benchmark: BenchmarkFixture, tmp_path: Path, count: int) -> None:
    run(benchmark, tmp_path, count)
