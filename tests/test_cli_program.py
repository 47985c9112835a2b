"""The command line run as a program: ``python -m foerdermittel``, the ``foerdermittel`` script."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib
from collections.abc import Iterator

import pytest

import foerdermittel.__main__ as program

from .common import ROOT

ARGV = ["foerdermittel", "interest", "100000", "01.03.2024", "31.08.2024"]


@pytest.fixture
def thawed() -> Iterator[None]:
    """Give back to the collector what a run froze, and its state before."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:  # pragma: no cover - the suite runs with the collector on
        gc.disable()


@pytest.mark.usefixtures("thawed")
def test_run_runs_the_command_of_sys_argv(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ARGV)
    assert program.run() == 0
    assert "Zinsen gesamt (kaufmännisch gerundet): 4.279,34\xa0€" in capsys.readouterr().out
    assert gc.isenabled()  # paused for the import only
    assert gc.get_freeze_count() > 0  # what was imported is left out of later collections


@pytest.mark.usefixtures("thawed")
def test_run_leaves_a_paused_collector_paused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ARGV)
    gc.disable()
    assert program.run() == 0
    assert not gc.isenabled()
    capsys.readouterr()


def test_the_script_and_python_m_run_the_same() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert scripts["foerdermittel"] == "foerdermittel.__main__:run"
    for module in ("foerdermittel", "foerdermittel.cli"):
        done = subprocess.run(
            [sys.executable, "-m", module, *ARGV[1:]],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        assert "4.279,34\xa0€" in done.stdout
