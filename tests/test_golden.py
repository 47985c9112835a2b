"""Whole outputs of the Bochum example against their golden files, byte for byte.

The files and how they are rendered are in ``tests/golden``; regenerate them with
``PYTHONPATH=src python -m tests.golden`` after a change meant to change an output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from foerdermittel import fmt

from . import golden


@pytest.mark.parametrize("name", list(golden.FILES))
def test_output_matches_its_golden_file(name: str) -> None:
    problem = golden.mismatch(name, golden.render(name))
    if problem is not None:
        pytest.fail(problem, pytrace=False)


def test_every_stored_file_is_rendered() -> None:
    code = {"__init__.py", "__main__.py"}
    stored = {p.name for p in golden.GOLDEN_DIR.iterdir() if p.is_file()} - code
    assert stored == set(golden.FILES)


def test_no_golden_file_names_the_checkout() -> None:
    for name in golden.FILES:
        assert str(golden.ROOT).encode() not in golden.render(name), name


def test_the_json_report_splits_exactly() -> None:
    part = "report-2025-06-30.vouchers.json"
    report, vouchers = golden.render("report-2025-06-30.json"), golden.render(part)
    printed = golden._output(*golden._argv("report", golden.KEY_DATE, "--json"))
    assert f'"→ {part}"'.encode() in report
    assert golden.join_json(report.decode(), vouchers.decode(), part).encode() == printed


def test_a_changed_figure_shows_as_a_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = fmt.money

    def one_cent_more(amount: Decimal, locale: str = fmt.DEFAULT_LOCALE) -> str:
        return shown(amount + Decimal("0.01") if amount == Decimal(9880000) else amount, locale)

    monkeypatch.setattr(fmt, "money", one_cent_more)
    rendered = golden._output.__wrapped__(*golden._argv("report", golden.KEY_DATE))
    problem = golden.mismatch("report-2025-06-30.txt", rendered)
    assert problem is not None
    assert "--- stored report-2025-06-30.txt" in problem
    assert "+++ rendered report-2025-06-30.txt" in problem
    removed = [
        line for line in problem.splitlines() if line.startswith("-") and "9.880.000,00" in line
    ]
    added = [
        line for line in problem.splitlines() if line.startswith("+") and "9.880.000,01" in line
    ]
    assert removed
    assert len(added) == len(removed)
    assert golden.UPDATE_COMMAND in problem
