"""Deterministic vouchers on the Bochum case, shared by the benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import foerdermittel as fm

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
PAYEES = [
    "Stadt Bochum, Personalkosten",
    "Sensorik West GmbH & Co. KG",
    "Büro für Beteiligung Müller",
    "Ingenieurgesellschaft Ruhrtal mbH",
    "Wetterstationen Dörnberg GmbH",
]


def bochum_without_ledger() -> fm.Case:
    """The Bochum example without its ledger file."""
    return fm.load_case(EXAMPLE).model_copy(update={"ledger": None})


def vouchers(case: fm.Case, count: int) -> list[fm.Expenditure]:
    """``count`` vouchers spread over the lines and inside the (amended) phases."""
    return list(iter_vouchers(case, count))


def iter_vouchers(case: fm.Case, count: int) -> Iterator[fm.Expenditure]:
    """The vouchers of ``vouchers``, one at a time (a million do not fit in memory twice)."""
    amended = case.amended()
    lines = [(line.id, amended.grant.phase(line.phase)) for line in amended.plan.lines]
    rng = random.Random(count)
    for number in range(count):
        line, phase = rng.choice(lines)
        day = phase.start + timedelta(days=rng.randrange((phase.end - phase.start).days + 1))
        yield fm.Expenditure(
            id=f"BO-{day.year}-{number:07d}",
            line=line,
            paid_on=day,
            amount=Decimal(rng.randrange(100, 500_000)) / 100,
            payee=rng.choice(PAYEES),
            purpose=f"Rechnung {day.year}-{number % 10_000:04d} Leistung zu {line}",
            origin=f"belege.csv:{number + 2}",
            invoice_number=f"{day.year}-{number % 10_000:04d}",
            invoice_date=day - timedelta(days=14),
        )
