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


def _narrative_texts(report: fm.Report) -> list[str]:
    """The Sachbericht's parts and the justifications, whole and line by line."""
    form = report.proof_of_use.form
    if form is None:
        return []
    narrative = form.narrative
    texts = [
        getattr(narrative, part) or ""
        for part in ("course", "results", "deviations", "technical_reports")
    ]
    texts += [line.justification or "" for line in report.plan.lines]
    texts += [phase.justification or "" for phase in report.grant.phases]
    return [piece for text in texts for piece in (text, *text.split("\n"))]


def user_texts(report: fm.Report) -> list[str]:
    """Text the user or a rulebook wrote, longest first: quoted as it is in every language.

    Names, titles, legal references, notes and the ledger's file name; a view in English still
    shows them as they were written, so a scan for German words leaves them out first.
    """
    grant = report.grant
    texts = [
        report.title or "",
        grant.id,
        grant.recipient,
        grant.funder,
        report.rulebook.title,
        report.drawdowns.rule.source,
        report.rulebook.proof_contents.source,
        *(p.title for p in grant.phases),
        *(a.id for a in report.amendments),
        *(a.title for a in report.amendments),
        *(a.note or "" for a in report.amendments),
        *(line.title for line in report.plan.lines),
        *(f"{line.id} {line.title}"[:48] for line in report.plan.lines),  # as the proof cuts it
        *(line.group or "" for line in report.plan.lines),
        *(f.legal_reference for f in report.findings),
        *(d.legal_source for d in report.deadlines),
        *(c.legal_reference for c in report.reconciliation.checks),
        *(s.title or "" for s in report.plan.sources),
        *(o.reason for o in report.overrides),
        *(v.origin.split(":")[0] for v in report.proof_of_use.vouchers[:1] if v.origin),
        # the proof of use's form: the rulebook's declarations and sources, the case's texts
        grant.recipient_address or "",
        *(grant.recipient_address or "").split("\n"),
        report.proof_of_use.contents_source,
        *(d.text for d in report.proof_of_use.declarations),
        *(d.source for d in report.proof_of_use.declarations),
        *_narrative_texts(report),
    ]
    if report.rulebook.programme is not None:
        texts.append(report.rulebook.programme.title)
        texts += [m.title for m in report.rulebook.programme.milestones]
    return sorted({t for t in texts if t}, key=len, reverse=True)
