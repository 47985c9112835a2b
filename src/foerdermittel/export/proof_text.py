"""The proof of use (Verwendungsnachweis) as text for the terminal.

A renderer like those of [`export.text`][foerdermittel.export.text]: it reads the report's
proof of use and formats it; the words come from the catalogues in the language asked for.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from foerdermittel import fmt
from foerdermittel.export.proof_form_text import (
    _declaration_lines,
    _expenditure_lines,
    _header_lines,
    _income_lines,
    _narrative_lines,
    _vat_lines,
)
from foerdermittel.export.text_parts import _finding_lines, _table
from foerdermittel.messages import DEFAULT_LANGUAGE, Words

if TYPE_CHECKING:
    from foerdermittel.report import Report

__all__ = ["render_proof"]


def render_proof(report: Report, *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The proof of use as text, in the form's order.

    The header (recipient, decisions, approval periods), I. Sachbericht, II. the figures
    (Einnahmen row by row, Ausgaben "insgesamt / davon zuwendungsfähig" with group and phase
    subtotals, plan against actual per line, the input-tax statement, payments, interest),
    III. Bestätigungen with the audit office's certificate where the rulebook asks for it, the
    note on the Belegliste, the computation per phase and the findings.
    """
    w = Words(lang)
    proof = report.proof_of_use
    grant = report.grant
    title = w(
        "text.proof.title", recipient=fmt.visible(grant.recipient), grant=fmt.visible(grant.id)
    )
    lines = [title, "=" * len(title), w("text.as-of", day=report.as_of)]
    form = proof.form
    if form is not None:
        lines += ["", *_header_lines(form, w), "", *_narrative_lines(form, w)]
        lines += ["", w("proof-form.numbers.title")]
    if not proof.evaluated:
        lines += ["", w("text.proof.no-vouchers")]
        if form is not None:
            lines += ["", *_declaration_lines(proof, w)]
        return "\n".join(lines) + "\n"
    later_count, later_sum = proof.after_key_date
    lines.append(
        w(
            "text.proof.vouchers",
            counted=len(proof.vouchers),
            counted_sum=proof.counted,
            excluded=len(proof.excluded),
            later=later_count,
            later_sum=later_sum,
        )
    )
    if proof.totals is not None:
        totals = proof.totals
        lines.append(
            w(
                "text.proof.totals",
                listed=totals.listed,
                counted=totals.counted,
                excluded=totals.excluded,
            )
        )

    def pct(value: Decimal | None) -> str:
        return "—" if value is None else w.percent(value / 100)

    if form is not None:
        lines += ["", *_income_lines(form, w), "", *_expenditure_lines(form, w)]

    head: tuple[str, ...] = (
        "line",
        "planned",
        "actual-total",
        "actual",
        "excluded",
        "difference",
        "status",
    )
    rows = [[w(f"text.proof.lines.head.{c}") for c in head]]
    for line in proof.lines:
        rows.append(
            [
                f"{line.line} {line.title}"[:48],
                w.money(line.planned),
                w.money(line.actual_total),
                w.money(line.actual),
                w.money(line.excluded),
                pct(line.difference_pct),
                w(f"line-status.{line.status}"),
            ]
        )
    rows.append(
        [
            w("text.sum"),
            w.money(proof.lines_planned),
            w.money(proof.lines_actual_total),
            w.money(proof.lines_actual),
            w.money(proof.lines_excluded),
            "",
            "",
        ]
    )
    lines += ["", w("text.proof.lines.title"), *("   " + r for r in _table(rows, "lrrrrrl"))]
    for line in proof.lines:
        if line.flat_rate is not None:
            lines.append(
                "   "
                + w(
                    "flat-rate.text.proof-line",
                    line=fmt.visible(line.line),
                    shown=line.flat_rate.flat.shown,
                    base=line.flat_rate.base_amount,
                    amount=line.flat_rate.amount,
                )
            )

    if form is not None:
        lines += ["", *_vat_lines(form, w)]

    head = ("phase", "approved", "final", "paid", "balance", "state")
    rows = [[w(f"text.proof.payments.head.{c}") for c in head]]
    for phase in proof.phases:
        rows.append(
            [
                phase.phase,
                w.money(phase.reduction.approved),
                w.money(phase.reduction.final),
                w.money(phase.paid),
                w.money(phase.balance),
                w(
                    "text.proof.payments.projected"
                    if phase.projected
                    else "text.proof.payments.actual"
                ),
            ]
        )
    rows.append(
        [
            w("text.total"),
            w.money(proof.approved),
            w.money(proof.final),
            w.money(proof.paid),
            w.money(proof.balance),
            w(
                "text.proof.payments.with-projection"
                if proof.projected
                else "text.proof.payments.actual"
            ),
        ]
    )
    lines += ["", w("text.proof.payments.title"), *("   " + r for r in _table(rows, "lrrrrl"))]
    lines.append("   " + w("text.proof.payments.balance"))
    if proof.projected:
        lines.append("   " + w("text.proof.payments.projection"))
    missing = w("text.proof.interest.missing")
    late_use = report.interest
    lines += [
        "",
        w("text.proof.interest.refund")
        + (w.money(proof.refund_interest) if proof.refund_interest_complete else missing),
        w("text.proof.interest.late-use")
        + (
            w("text.proof.interest.not-checked")
            if not late_use.evaluated
            else w.money(late_use.total)
            if late_use.complete
            else missing
        ),
    ]
    interest_results = [r for p in proof.phases for r in p.refund_interest] + [
        r
        for use in report.interest.payouts
        for r in (*(u.interest for u in use.late), use.unused_interest)
        if r is not None
    ]
    rate_files = tuple(sorted({r.base_rate_file for r in interest_results if r.base_rate_file}))
    if rate_files:
        lines.append(w("text.proof.interest.files", files=rate_files))
    if form is not None:
        lines += ["", *_declaration_lines(proof, w)]
    lines += ["", w("text.proof.steps")]
    for phase in proof.phases:
        lines.append("  " + w("text.proof.phase", phase=fmt.visible(phase.phase)))
        for step in phase.steps:
            label, formula = fmt.visible(w.of(step.what)), fmt.visible(w.of(step.how))
            lines.append(f"    {label}: {w.money(step.value)}  [{formula}]")
        if phase.remark.key:
            lines.append("    " + w("text.note", text=fmt.visible(w.of(phase.remark))))
    relevant = report.proof_findings
    lines += [
        "",
        w("text.findings.count", count=len(relevant)) if relevant else w("text.findings.none"),
    ]
    for f in relevant:
        lines += _finding_lines(f, w)
    return "\n".join(lines) + "\n"
