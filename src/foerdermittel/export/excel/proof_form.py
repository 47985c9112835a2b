"""The proof-of-use sheet's parts that follow the form.

Header (recipient, address, decisions with their amounts, approval periods, early start, the
kind of proof), I. Sachbericht, the Einnahmen row by row, the Ausgaben "insgesamt / davon
zuwendungsfähig" per line with a subtotal row per group and per phase (formulas: ``SUM`` over
a group's lines, ``+`` of the subtotals, each beside the library's figure in a check row), the
input-tax statement, III. Bestätigungen, the block of the audit office's certificate and the
note on the Belegliste. Every user text is stored as text.
"""

from __future__ import annotations

from decimal import Decimal

from foerdermittel.export.excel.cells import (
    _BOLD,
    PERCENT_FORMAT,
    _Formula,
    _pct,
    _Sheet,
)
from foerdermittel.model.narrative import NARRATIVE_PARTS, ProofKind
from foerdermittel.proof import FormAmounts, ProofForm
from foerdermittel.report import Report

__all__: list[str] = []

_MONEY_COLUMNS = "CDEF"
"""Columns of the Ausgaben: per decision insgesamt, davon zuwendungsfähig; per final account
insgesamt, davon zuwendungsfähig."""


def _kind(form: ProofForm, s: _Sheet) -> str:
    w, header = s.w, form.header
    kind = w(f"proof-form.kind.{header.proof_kind.value}")
    if header.proof_kind_stated:
        return kind
    why = "all-ended" if header.proof_kind is ProofKind.FINAL else "running"
    return w("proof-form.kind.implied", kind=kind, why=w(f"proof-form.kind.{why}"))


def _head(s: _Sheet, form: ProofForm) -> None:
    """The header: who, which decision and amendments, the approval periods."""
    w, header = s.w, form.header
    s.section(w("proof-form.header.title"))
    address = header.recipient_address or w("proof-form.header.address-missing")
    for key, value in (
        ("kind", _kind(form, s)),
        ("recipient", header.recipient),
        ("address", address),
        ("funder", header.funder),
        ("file-number", header.file_number),
    ):
        s.add([w(f"proof-form.header.{key}"), value], wrap=True)
    s.skip()
    s.add([w("proof-form.header.decisions")], font=_BOLD)
    s.header(
        [
            w("proof-form.header.head-day"),
            w("proof-form.header.head-id"),
            w("proof-form.header.head-amount"),
            w("proof-form.header.head-title"),
        ]
    )
    for decision in header.decisions:
        word = w(f"proof-form.header.{decision.kind}-word")
        s.add([decision.day, f"{word} {decision.id}", decision.amount, decision.title])
    s.skip()
    s.add([w("proof-form.header.periods")], font=_BOLD)
    s.header(
        [
            w("workbook.word.phase"),
            w("workbook.word.title"),
            w("proof-form.header.head-start"),
            w("proof-form.header.head-end"),
            w("proof-form.header.head-early-start"),
        ]
    )
    for period in header.periods:
        s.add([period.phase, period.title, period.start, period.end, period.early_start])
    s.skip()


def _narrative(s: _Sheet, form: ProofForm) -> None:
    """I. Sachbericht: each part's heading, its text (or "fehlt")."""
    w = s.w
    s.section(w("proof-form.narrative.title"))
    for part in NARRATIVE_PARTS:
        text = getattr(form.narrative, part)
        s.add([None, w(f"proof-form.narrative.part.{part}")], font=_BOLD, wrap=True)
        s.add([None, text if text is not None else w("proof-form.narrative.missing")], wrap=True)
    s.skip()


def _income(s: _Sheet, report: Report, form: ProofForm) -> None:
    """1. Einnahmen row by row, per decision and per final account, with the shares."""
    proof, fin, w = report.proof_of_use, report.financing, s.w
    s.section(w("proof-form.income.title"))
    s.header(
        [
            w("workbook.word.number"),
            w("workbook.word.item"),
            w("proof-form.income.head-planned"),
            w("proof-form.income.head-pct"),
            w("proof-form.income.head-actual"),
            w("proof-form.income.head-pct"),
        ]
    )
    top = s.row
    for index, row in enumerate(form.income, 1):
        s.add(
            [
                f"1.{index}",
                w.of(row.what),
                row.planned,
                _pct(row.planned_pct),
                row.actual,
                _pct(row.actual_pct),
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            w("text.sum"),
            None,
            _Formula(f"SUM(C{top}:C{bottom})"),
            _Formula(f"SUM(D{top}:D{bottom})", PERCENT_FORMAT),
            _Formula(f"SUM(E{top}:E{bottom})"),
            _Formula(f"SUM(F{top}:F{bottom})", PERCENT_FORMAT),
        ]
    )
    covered = proof.totals.counted_eligible if proof.totals is not None else None
    s.add([s.check, None, fin.total, None, covered])
    s.add(["", w("text.proof.income.note").replace("\n", " ")], wrap=True)
    s.skip()


def _values(amounts: FormAmounts) -> list[Decimal]:
    return [
        amounts.planned_total,
        amounts.planned_eligible,
        amounts.actual_total,
        amounts.actual_eligible,
    ]


def _plus(rows: list[int], column: str) -> _Formula:
    """The sum of single cells of a column: ``C10+C20``, or ``0`` for none."""
    return _Formula("+".join(f"{column}{r}" for r in rows) if rows else "0")


def _expenditure(s: _Sheet, form: ProofForm) -> None:
    """2. Ausgaben: the lines by phase and group, with a subtotal row for each."""
    w, spending = s.w, form.expenditure
    s.section(w("proof-form.expenditure.title"))
    s.header(
        [
            w("proof-form.expenditure.head-line"),
            w("workbook.word.title"),
            w("proof-form.expenditure.head-planned-total"),
            w("proof-form.expenditure.head-planned-eligible"),
            w("proof-form.expenditure.head-actual-total"),
            w("proof-form.expenditure.head-actual-eligible"),
            w("proof-form.expenditure.head-difference"),
        ]
    )
    by_group: dict[str | None, list[int]] = {}
    phase_rows: list[int] = []
    for phase in spending.phases:
        s.add([phase.phase, phase.title], font=_BOLD)
        group_rows: list[int] = []
        for group in phase.groups:
            top = s.row
            for line in group.lines:
                s.add(
                    [line.line, line.title, *_values(line), _pct(line.difference_pct)],
                )
                if line.justification is not None:
                    text = w("proof-form.expenditure.justification", text=line.justification)
                    s.add([None, text], wrap=True)
                elif line.justification_missing:
                    s.add([None, w("proof-form.expenditure.justification-missing")], wrap=True)
            bottom = s.row - 1
            label = (
                w("proof-form.expenditure.group-sum", group=group.group)
                if group.group is not None
                else w(
                    "proof-form.expenditure.group-sum",
                    group=w("proof-form.expenditure.no-group"),
                )
            )
            row = s.total(
                [
                    None,
                    label,
                    *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in _MONEY_COLUMNS),
                ]
            )
            group_rows.append(row)
            by_group.setdefault(group.group, []).append(row)
        row = s.total(
            [
                None,
                w("proof-form.expenditure.phase-sum", phase=phase.phase, title=phase.title),
                *(_plus(group_rows, c) for c in _MONEY_COLUMNS),
            ]
        )
        phase_rows.append(row)
        if phase.justification is not None:
            text = w(
                "proof-form.expenditure.phase-justification",
                phase=phase.phase,
                text=phase.justification,
            )
            s.add([None, text], wrap=True)
    extra: list[int] = []
    if spending.ineligible_planned:
        extra.append(
            s.add(
                [
                    None,
                    w("proof-form.expenditure.ineligible"),
                    spending.ineligible_planned,
                    Decimal("0.00"),
                ]
            )
        )
    s.total(
        [
            None,
            w("proof-form.expenditure.total"),
            _plus(phase_rows + extra, "C"),
            *(_plus(phase_rows, c) for c in "DEF"),
        ]
    )
    s.add([s.check, None, *_values(spending)])
    s.add(["", w("proof-form.expenditure.note")], wrap=True)
    named = [g for g in spending.groups if g.group is not None]
    if named:
        s.skip()
        s.add([w("proof-form.expenditure.groups-title")], font=_BOLD)
        s.header(
            [
                "",
                w("workbook.financing-plan.group"),
                *(
                    w(f"proof-form.expenditure.head-{c}")
                    for c in (
                        "planned-total",
                        "planned-eligible",
                        "actual-total",
                        "actual-eligible",
                    )
                ),
                s.check,
            ]
        )
        for group in named:
            rows = by_group.get(group.group, [])
            s.add(
                [
                    None,
                    group.group,
                    *(_plus(rows, c) for c in _MONEY_COLUMNS),
                    group.actual_eligible,
                ]
            )
    s.skip()


def _closing(s: _Sheet, report: Report, form: ProofForm) -> None:
    """Input tax, III. Bestätigungen, the audit office's certificate, the Belegliste note."""
    proof, w = report.proof_of_use, s.w
    answer = "yes" if form.input_tax_deduction else "no"
    s.section(w(f"proof-form.vat.{answer}"))
    s.add([None, w("proof-form.vat.source", source=form.input_tax_source)], wrap=True)
    s.skip()
    s.section(w("proof-form.declarations.title"))
    if not proof.declarations:
        s.add([None, w("proof-form.declarations.none")])
    for declaration in proof.declarations:
        s.add([None, declaration.text, declaration.source], wrap=True)
    s.add([None, w("proof-form.declarations.signature")], wrap=True)
    s.skip()
    if proof.audit_office_certificate:
        s.section(w("proof-form.audit.title"))
        s.add([None, w("proof-form.audit.basis", source=proof.contents_source)], wrap=True)
        for field in ("office", "checked", "result", "signature"):
            s.add([None, w(f"proof-form.audit.{field}")], wrap=True)
        s.skip()
    which = "required" if proof.voucher_list_required else "voluntary"
    s.section(w(f"proof-form.voucher-list.{which}", source=proof.contents_source))
    s.skip()
