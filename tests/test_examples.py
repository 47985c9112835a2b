"""The shipped examples: the Bochum proof of use, and the ledger generator reproduces its file."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import foerdermittel as fm
from foerdermittel.cli import main
from foerdermittel.io import attach_ledger

from .common import BOCHUM, ROOT, codes

D = Decimal
AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module")
def bochum_report() -> fm.Report:
    case = attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    return fm.evaluate(case, AS_OF)


def test_ledger_generator_reproduces_the_shipped_file(tmp_path: Path) -> None:
    target = tmp_path / "ledger.csv"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "generate_bochum_ledger.py"),
            "--output",
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    assert target.read_bytes() == (ROOT / "examples" / "bochum-ledger.csv").read_bytes()


def test_bochum_proof_of_use(bochum_report: fm.Report) -> None:
    proof = bochum_report.proof_of_use
    assert proof.evaluated
    a, b = proof.phases
    assert a.recognised == D("1080000.00")
    assert a.reduction.final == D("702000.00")  # 65 % of 1,080,000 €
    assert a.refund == D("13000.00")
    assert b.recognised == D("14050000.00")
    assert b.reduction.final == D("9132500.00")
    assert b.balance == D("432060.35")  # the final instalment, with the proof of use
    b32 = next(line for line in proof.lines if line.line == "B-3.2")
    assert b32.status == "within_tolerance"
    assert b32.difference_pct == D("10.00")
    excluded = {e.code: e.voucher for e in proof.excluded}
    assert excluded == {
        "outside-period": "BO-2022-003996",
        "duplicate-voucher": "BO-2024-004985",
    }
    found = codes(bochum_report.findings)
    assert {"refund-due", "line-within-tolerance", "late-use-interest", "payout-unused"} <= found
    assert not bochum_report.has_errors


def test_bochum_payouts_follow_the_half_years(bochum_report: fm.Report) -> None:
    recorded = [c for c in bochum_report.drawdowns.calls if c.kind == "recorded"]
    assert len(recorded) == 11
    planned = [c for c in bochum_report.drawdowns.calls if c.kind == "planned"]
    assert len(planned) == 1
    assert planned[0].withheld
    assert planned[0].amount == D("432060.35")


def test_cli_proof(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["proof", str(BOCHUM), "--as-of", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    for heading in ("1. Einnahmen", "2. Ausgaben", "3. Zahlungen", "Berechnung je Phase"):
        assert heading in out
    assert "-13.000,00\u00a0€" in out
    assert "BO-2024-004985" in out


def test_cli_proof_with_another_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = tmp_path / "leer.csv"
    ledger.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz\r\nX-1;01.03.2022;1000,00;A-1\r\n",
        encoding="utf-8",
    )
    status = main(["proof", str(BOCHUM), "--ledger", str(ledger), "--as-of", "2022-06-30"])
    expected = fm.evaluate(
        attach_ledger(fm.load_case(BOCHUM), ledger=ledger), date(2022, 6, 30)
    ).has_errors
    assert status == (1 if expected else 0)
    out = capsys.readouterr().out
    assert "Belege: 1 gezählt (1.000,00\u00a0€)" in out
    bad = tmp_path / "kaputt.csv"
    bad.write_text("Belegnummer;Zahlungsdatum;Betrag;Einzelansatz\r\nX-1;01.03.2022;;A-1\r\n")
    assert main(["proof", str(BOCHUM), "--ledger", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Zeile 2" in err
    assert "Betrag" in err
