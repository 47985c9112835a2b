"""Shared helpers: small cases built in Python, and the Bochum example."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import foerdermittel as fm

ROOT = Path(__file__).resolve().parent.parent
BOCHUM = ROOT / "examples" / "bochum-mpsc.toml"


def bochum_data() -> dict[str, Any]:
    """The Bochum example as plain data, ready to be changed by a test."""
    with BOCHUM.open("rb") as handle:
        return tomllib.load(handle, parse_float=Decimal)


def bochum_text_without_records() -> str:
    """The Bochum example's text without its ledger, settings and payouts (for text edits)."""
    text = BOCHUM.read_text(encoding="utf-8")
    start = text.index("# --- Ledger and payouts")
    end = text.index("# --- The council's budget")
    return text[:start] + text[end:]


def simple_case(
    *,
    financing_type: str = "anteilfinanzierung",
    eligible: str = "100000.00",
    rate: str | None = "0.65",
    max_amount: str | None = None,
    sources: list[dict[str, Any]] | None = None,
    phase_extra: dict[str, Any] | None = None,
    grant_extra: dict[str, Any] | None = None,
    lines: list[dict[str, Any]] | None = None,
) -> fm.Case:
    """A one-phase case without programme, under ANBest-Gk 2019."""
    phase: dict[str, Any] = {
        "id": "P",
        "title": "Projekt",
        "start": "2024-01-01",
        "end": "2025-12-31",
        "eligible_expenditure": eligible,
        **(phase_extra or {}),
    }
    grant: dict[str, Any] = {
        "id": "T-1",
        "funder": "Bund",
        "recipient": "Stadt Musterstadt",
        "land": "NW",
        # the funder's seat in the same Land (Bonn): one holiday calendar for every deadline
        "funder_land": "NW",
        "rulebook": "anbest-gk-2019",
        "decision_date": "2023-12-15",
        "financing_type": financing_type,
        "phases": [phase],
        **(grant_extra or {}),
    }
    if rate is not None:
        grant["rate"] = rate
    if max_amount is not None:
        grant["max_amount"] = max_amount
    return fm.Case.from_data(
        {"grant": grant, "plan": {"sources": sources or [], "lines": lines or []}}
    )


def codes(findings: tuple[fm.Finding, ...]) -> set[str]:
    """The finding codes."""
    return {f.code for f in findings}
