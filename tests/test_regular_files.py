"""Only regular files are read: a FIFO or a device given as case, ledger or rate file is refused.

Opening a FIFO would block until someone writes to it; the tool must answer at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import foerdermittel as fm
from foerdermittel._files import not_a_regular_file
from foerdermittel.interest import read_base_rate_file
from foerdermittel.io.ledger import LedgerError, read_ledger

from .common import ROOT, bochum_text_without_records


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "rohr.csv"
    os.mkfifo(path)
    return path


def test_the_kinds_are_named(fifo: Path) -> None:
    assert not_a_regular_file(fifo) == "ist eine benannte Pipe (FIFO), keine Datei"
    assert not_a_regular_file("/dev/null") == "ist ein Gerät, keine Datei"
    assert not_a_regular_file(ROOT / "examples" / "bochum-mpsc.toml") is None
    assert not_a_regular_file(ROOT / "gibt-es-nicht.toml") is None  # the reader says so


def test_a_fifo_as_ledger_is_refused(fifo: Path) -> None:
    with pytest.raises(LedgerError, match="benannte Pipe"):
        read_ledger(fifo)


def test_a_fifo_as_rate_file_is_refused(fifo: Path) -> None:
    with pytest.raises(fm.CaseError, match="benannte Pipe"):
        read_base_rate_file(fifo)


def test_a_fifo_as_case_file_is_refused_by_the_cli_at_once(tmp_path: Path) -> None:
    case = tmp_path / "fall.toml"
    os.mkfifo(case)
    result = subprocess.run(
        [sys.executable, "-m", "foerdermittel", "report", str(case)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert result.returncode == 2, result.stderr
    assert "benannte Pipe (FIFO), keine Datei" in result.stderr


def test_a_case_naming_a_fifo_as_ledger_exits_2(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "belege.csv")
    case = tmp_path / "fall.toml"
    case.write_text(
        bochum_text_without_records() + '\n[ledger]\nfile = "belege.csv"\n', encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "foerdermittel", "proof", str(case)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert result.returncode == 2, result.stderr
    assert "benannte Pipe" in result.stderr
