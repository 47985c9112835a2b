"""The parts of the proof of use's text view that follow the form.

Header, I. Sachbericht, the Einnahmen row by row, the Ausgaben "insgesamt / davon
zuwendungsfähig" with their group and phase subtotals, the input-tax statement, III.
Bestätigungen, the audit office's certificate and the note on the Belegliste — each a list of
lines [`render_proof`][foerdermittel.export.proof_text.render_proof] puts in order. They read
[`ProofForm`][foerdermittel.proof.ProofForm] and the proof's rulebook fields; user text (the
Sachbericht, justifications, names) is shown with its control characters escaped and is never
more than text.
"""

from __future__ import annotations

from decimal import Decimal

from foerdermittel import fmt
from foerdermittel.export.text_parts import _table
from foerdermittel.messages import Words
from foerdermittel.model.narrative import NARRATIVE_PARTS, ProofKind
from foerdermittel.proof import FormAmounts, ProofForm, ProofOfUse

__all__: list[str] = []

_INDENT = "   "


def _pct(w: Words, value: Decimal | None) -> str:
    return "—" if value is None else w.percent(value / 100)


def _paragraph(text: str, indent: str) -> list[str]:
    """User text of several lines, each line indented, control characters shown escaped."""
    return [indent + part for part in fmt.visible(text, newlines=True).split("\n")]


def _kind(form: ProofForm, w: Words) -> str:
    """The kind of proof, and where the key date implies it, why."""
    header = form.header
    kind = w(f"proof-form.kind.{header.proof_kind.value}")
    if header.proof_kind_stated:
        return kind
    why = "all-ended" if header.proof_kind is ProofKind.FINAL else "running"
    return w("proof-form.kind.implied", kind=kind, why=w(f"proof-form.kind.{why}"))


def _header_lines(form: ProofForm, w: Words) -> list[str]:
    """The header: recipient and address, authority, file number, decisions, periods."""
    header = form.header
    lines = [w("proof-form.header.title")]
    address = (
        [w("proof-form.header.address-missing")]
        if header.recipient_address is None
        else _paragraph(header.recipient_address, "")
    )
    pairs = [
        ("proof-form.header.kind", [_kind(form, w)]),
        ("proof-form.header.recipient", [fmt.visible(header.recipient)]),
        ("proof-form.header.address", address),
        ("proof-form.header.funder", [fmt.visible(header.funder)]),
        ("proof-form.header.file-number", [fmt.visible(header.file_number)]),
    ]
    width = max(len(w(key)) for key, _ in pairs) + 2
    for key, values in pairs:
        lines.append(_INDENT + (w(key) + ":").ljust(width) + values[0])
        lines += [_INDENT + " " * width + value for value in values[1:]]
    for decision in header.decisions:
        if decision.kind == "decision":
            text = w("proof-form.header.decision", day=decision.day, amount=decision.amount)
        else:
            text = w(
                "proof-form.header.amendment",
                id=fmt.visible(decision.id),
                day=decision.day,
                amount=decision.amount,
                title=fmt.visible(decision.title or ""),
            )
        lines.append(_INDENT + text)
    for period in header.periods:
        text = w(
            "proof-form.header.period",
            phase=fmt.visible(period.phase),
            title=fmt.visible(period.title),
            start=period.start,
            end=period.end,
        )
        early = (
            w("proof-form.header.early-start", day=period.early_start)
            if period.early_start is not None
            else w("proof-form.header.no-early-start")
        )
        lines.append(f"{_INDENT}{text}; {early}")
    return lines


def _narrative_lines(form: ProofForm, w: Words) -> list[str]:
    """I. Sachbericht: each part under its heading, a missing part marked so."""
    lines = [w("proof-form.narrative.title")]
    for part in NARRATIVE_PARTS:
        text = getattr(form.narrative, part)
        heading = w(f"proof-form.narrative.part.{part}") + ":"
        if text is None:
            lines.append(f"{_INDENT}{heading} {w('proof-form.narrative.missing')}")
        else:
            lines.append(_INDENT + heading)
            lines += _paragraph(text, _INDENT * 2)
    return lines


def _income_lines(form: ProofForm, w: Words) -> list[str]:
    """1. Einnahmen: own funds, third-party money, other public funding per funder, the grant."""
    head = ("planned", "pct", "actual", "pct")
    rows = [["", *(w(f"proof-form.income.head-{c}") for c in head)]]
    for row in form.income:
        rows.append(
            [
                w.of(row.what),
                w.money(row.planned),
                _pct(w, row.planned_pct),
                w.money(row.actual),
                _pct(w, row.actual_pct),
            ]
        )
    rows.append([w("text.sum"), w.money(form.income_planned), "", w.money(form.income_actual), ""])
    lines = [w("proof-form.income.title"), *(_INDENT + r for r in _table(rows, "lrrrr"))]
    return lines + [_INDENT + part for part in w("text.proof.income.note").split("\n")]


def _amounts(w: Words, amounts: FormAmounts) -> list[str]:
    return [
        w.money(amounts.planned_total),
        w.money(amounts.planned_eligible),
        w.money(amounts.actual_total),
        w.money(amounts.actual_eligible),
    ]


def _expenditure_lines(form: ProofForm, w: Words) -> list[str]:
    """2. Ausgaben: insgesamt / davon zuwendungsfähig per line, group, phase and in total."""
    spending = form.expenditure
    head = (
        "line",
        "planned-total",
        "planned-eligible",
        "actual-total",
        "actual-eligible",
        "difference",
    )
    rows = [[w(f"proof-form.expenditure.head-{c}") for c in head]]
    notes: list[str] = []
    for phase in spending.phases:
        for group in phase.groups:
            for line in group.lines:
                rows.append(
                    [
                        f"{line.line} {line.title}"[:48],
                        *_amounts(w, line),
                        _pct(w, line.difference_pct),
                    ]
                )
                if line.justification is not None:
                    paragraph = _paragraph(line.justification, "")
                    said = w("proof-form.expenditure.justification", text=paragraph[0])
                    notes.append(f"{_INDENT}{fmt.visible(line.line)}: {said}")
                    notes += [_INDENT * 2 + part for part in paragraph[1:]]
                elif line.justification_missing:
                    notes.append(
                        f"{_INDENT}{fmt.visible(line.line)}: "
                        + w("proof-form.expenditure.justification-missing")
                    )
            if group.group is not None:
                label = w("proof-form.expenditure.group-sum", group=group.group)
                rows.append([label, *_amounts(w, group), ""])
        rows.append(
            [
                w("proof-form.expenditure.phase-sum", phase=phase.phase, title=phase.title),
                *_amounts(w, phase),
                "",
            ]
        )
        if phase.justification is not None:
            paragraph = _paragraph(phase.justification, "")
            notes.append(
                _INDENT
                + w(
                    "proof-form.expenditure.phase-justification",
                    phase=fmt.visible(phase.phase),
                    text=paragraph[0],
                )
            )
            notes += [_INDENT * 2 + part for part in paragraph[1:]]
    if spending.ineligible_planned:
        money = w.money(spending.ineligible_planned)
        rows.append([w("proof-form.expenditure.ineligible"), money, w.money(Decimal(0)), "", ""])
        rows[-1].append("")
    rows.append([w("proof-form.expenditure.total"), *_amounts(w, spending), ""])
    lines = [w("proof-form.expenditure.title"), *(_INDENT + r for r in _table(rows, "lrrrrr"))]
    lines += notes
    lines.append(_INDENT + w("proof-form.expenditure.note"))
    if spending.groups:
        rows = [[w("workbook.financing-plan.group"), *(r for r in rows[0][1:5])]]
        for group in spending.groups:
            rows.append([group.group or "", *_amounts(w, group)])
        lines += ["", w("proof-form.expenditure.groups-title")]
        lines += [_INDENT + r for r in _table(rows, "lrrrr")]
    return lines


def _vat_lines(form: ProofForm, w: Words) -> list[str]:
    """The input-tax statement and its basis."""
    answer = "yes" if form.input_tax_deduction else "no"
    return [
        w(f"proof-form.vat.{answer}"),
        _INDENT + w("proof-form.vat.source", source=fmt.visible(form.input_tax_source)),
    ]


def _declaration_lines(proof: ProofOfUse, w: Words) -> list[str]:
    """III. Bestätigungen of the edition in force, the audit block, the Belegliste note."""
    lines = [w("proof-form.declarations.title")]
    if not proof.declarations:
        lines.append(_INDENT + w("proof-form.declarations.none"))
    for declaration in proof.declarations:
        lines.append(f"{_INDENT}- {fmt.visible(declaration.text)}")
        source = fmt.visible(declaration.source)
        lines.append(_INDENT + "  " + w("proof-form.declarations.source", source=source))
    lines.append(_INDENT + w("proof-form.declarations.signature"))
    source = fmt.visible(proof.contents_source)
    if proof.audit_office_certificate:
        lines += ["", w("proof-form.audit.title")]
        lines.append(_INDENT + w("proof-form.audit.basis", source=source))
        for field in ("office", "checked", "result", "signature"):
            lines.append(_INDENT + w(f"proof-form.audit.{field}"))
    which = "required" if proof.voucher_list_required else "voluntary"
    return [*lines, "", w(f"proof-form.voucher-list.{which}", source=source)]
