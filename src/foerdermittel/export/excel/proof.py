"""The proof of use as the form has it, with the figures behind it and the interim proofs.

The form's order ([`proof_form`][foerdermittel.export.excel.proof_form]): header, I.
Sachbericht, II. the Einnahmen row by row and the Ausgaben "insgesamt / davon zuwendungsfähig"
with group and phase subtotals; then plan against actual per line (the 20 % rule), the final
account per phase, the payments, the input-tax statement, III. Bestätigungen, the audit
office's certificate, the note on the Belegliste, and the federal layout of the interim proof
per budget year (columns 2, 3, 5, 6; rows 14–20) with the basis of its own and third-party
funds.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel.export.excel.cells import (
    _BOLD,
    PERCENT_FORMAT,
    _Formula,
    _late_use_interest,
    _page,
    _pct,
    _refund_interest,
    _Sheet,
    _yes,
)
from foerdermittel.export.excel.proof_form import _closing, _head, _narrative
from foerdermittel.export.excel.proof_form import _expenditure as _form_expenditure
from foerdermittel.export.excel.proof_form import _income as _form_income
from foerdermittel.messages import Words
from foerdermittel.report import Report


def _proof(ws: Worksheet, report: Report, w: Words) -> None:
    proof = report.proof_of_use
    s = _Sheet(ws, w, [12, 46, 18, 18, 18, 18, 18, 18, 14, 18, 30, 30, 18], wrap={2, 11, 12})
    s.title(w("workbook.proof.title", day=report.as_of))
    form = proof.form
    s.skip()
    if form is not None:
        _head(s, form)
        _narrative(s, form)
        s.section(w("proof-form.numbers.title"))
        s.skip()
    if not proof.evaluated:
        s.add([w("text.proof.no-vouchers")])
        s.skip()
        if form is not None:
            _closing(s, report, form)
        _page(s, report, title_rows="1:1", freeze="A2")
        return
    if form is not None:
        _form_income(s, report, form)
        _form_expenditure(s, form)
    else:
        _income(s, report)
    _expenditure(s, report)
    _phases(s, report)
    _payments(s, report)
    if form is not None:
        _closing(s, report, form)
    _interim(s, report)
    _page(s, report, title_rows="1:1", freeze="A2")


def _income(s: _Sheet, report: Report) -> None:
    """1. the income block: per decision and per account, with the shares."""
    proof, fin, w = report.proof_of_use, report.financing, s.w
    s.section(w("text.proof.income.title"))
    s.header(
        [
            w("workbook.word.number"),
            w("workbook.word.item"),
            w("text.proof.income.head.planned"),
            w("text.proof.income.head.pct"),
            w("text.proof.income.head.actual"),
            w("text.proof.income.head.pct"),
        ]
    )
    top = s.row
    for index, income in enumerate(proof.income, 1):
        s.add(
            [
                f"1.{index}",
                w.of(income.what),
                income.planned,
                _pct(income.planned_pct),
                income.actual,
                _pct(income.actual_pct),
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            w("text.sum"),
            None,
            _Formula(f"SUM(C{top}:C{bottom})", value=fin.total),
            _Formula(f"SUM(D{top}:D{bottom})", PERCENT_FORMAT),
            _Formula(
                f"SUM(E{top}:E{bottom})",
                value=proof.totals.counted_eligible if proof.totals is not None else None,
            ),
            _Formula(f"SUM(F{top}:F{bottom})", PERCENT_FORMAT),
        ]
    )
    covered = proof.totals.counted_eligible if proof.totals is not None else None
    s.add([s.check, None, fin.total, None, covered])
    # the text view's note, broken for the terminal; a wrapped cell takes it as one line
    s.add(["", w("text.proof.income.note").replace("\n", " ")])
    s.skip()


def _expenditure(s: _Sheet, report: Report) -> None:
    """2. the expenditure block: every line against its plan, with the library's figures."""
    proof, fin, w = report.proof_of_use, report.financing, s.w
    s.section(w("text.proof.lines.title"))
    s.header(
        [
            w("text.proof.lines.head.line"),
            w("workbook.word.title"),
            w("workbook.word.phase"),
            w("text.proof.lines.head.planned"),
            w("text.proof.lines.head.actual-total"),
            w("text.proof.lines.head.actual"),
            w("workbook.word.difference"),
            s.check,
            w("workbook.proof.deviation"),
            w("workbook.proof.allowed"),
            w("workbook.word.recognised"),
            w("text.proof.lines.head.status"),
            w("text.proof.lines.head.excluded"),
        ]
    )
    top = s.row
    for line in proof.lines:
        r = s.row
        title = line.title
        if line.flat_rate is not None:  # a flat rate names its rate, base and base amount
            flat = line.flat_rate
            title = w(
                "flat-rate.workbook.title",
                title=line.title,
                shown=flat.flat.shown,
                base=flat.base_amount,
            )
        s.add(
            [
                line.line,
                title,
                line.phase,
                line.planned,
                line.actual_total,
                line.actual,
                _Formula(f"F{r}-D{r}", value=line.difference),
                line.difference,
                _pct(line.difference_pct),
                line.allowed,
                line.recognised,
                line.status_in(w.lang),
                line.excluded,
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            w("text.sum"),
            None,
            None,
            _Formula(f"SUM(D{top}:D{bottom})", value=fin.eligible_expenditure),
            *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "EFG"),
            None,
            None,
            None,
            _Formula(f"SUM(K{top}:K{bottom})"),
            None,
            _Formula(f"SUM(M{top}:M{bottom})"),
        ]
    )
    s.add([s.check, None, None, fin.eligible_expenditure])
    s.skip()


def _phases(s: _Sheet, report: Report) -> None:
    """3. the final account per phase."""
    proof, w = report.proof_of_use, s.w
    s.section(w("workbook.proof.phases"))
    s.header(
        [
            w("workbook.word.phase"),
            w("workbook.proof.reduction"),
            w("workbook.proof.planned"),
            w("workbook.proof.actual"),
            w("workbook.word.recognised"),
            w("workbook.proof.cover-planned"),
            w("workbook.proof.cover-actual"),
            w("workbook.word.final"),
            w("workbook.proof.projected"),
            w("workbook.proof.interest-from"),
            w("workbook.word.note"),
            w("workbook.proof.booked"),
        ]
    )
    for phase in proof.phases:
        remark = w.of(phase.remark) if phase.remark.key else None
        s.add(
            [
                phase.phase,
                w.of(phase.reduction.why),
                phase.planned,
                phase.actual,
                phase.recognised,
                phase.cover_planned,
                phase.cover_actual,
                phase.reduction.final,
                _yes(w, phase.projected),
                phase.ineffective_on if phase.refund > 0 else None,
                "; ".join(x for x in (remark, phase.interest_problem) if x) or None,
                phase.booked,
            ]
        )
    s.skip()


def _payments(s: _Sheet, report: Report) -> None:
    """4. the payments per phase, the balance, the interest, the vouchers left out."""
    proof, w = report.proof_of_use, s.w
    s.section(w("workbook.proof.payments"))
    s.header(
        [
            w("text.proof.payments.head.phase"),
            "",
            w("text.proof.payments.head.approved"),
            w("text.proof.payments.head.final"),
            w("text.proof.payments.head.paid"),
            w("text.proof.payments.head.balance"),
            s.check,
            w("workbook.word.refund"),
            w("text.proof.payments.head.state"),
        ]
    )
    actual, projected = w("text.proof.payments.actual"), w("text.proof.payments.projected")
    top = s.row
    for phase in proof.phases:
        r = s.row
        s.add(
            [
                phase.phase,
                None,
                phase.reduction.approved,
                phase.reduction.final,
                phase.paid,
                _Formula(f"D{r}-E{r}", value=phase.balance),
                phase.balance,
                phase.refund,
                projected if phase.projected else actual,
            ]
        )
    bottom = s.row - 1
    s.total(
        [
            w("text.sum"),
            None,
            _Formula(f"SUM(C{top}:C{bottom})", value=proof.approved),
            _Formula(f"SUM(D{top}:D{bottom})", value=proof.final),
            _Formula(f"SUM(E{top}:E{bottom})", value=proof.paid),
            _Formula(f"SUM(F{top}:F{bottom})", value=proof.balance),
            None,
            _Formula(f"SUM(H{top}:H{bottom})", value=proof.refund),
        ]
    )
    s.add(
        [s.check, None, proof.approved, proof.final, proof.paid, proof.balance, None, proof.refund]
    )
    s.add(["", w("text.proof.payments.balance")])
    if proof.projected:
        s.add(["", w("text.proof.payments.projection")])
    s.add(["", w("workbook.refund-interest"), _refund_interest(proof, w)])
    if report.interest.evaluated:
        s.add(["", w("workbook.late-use-interest"), _late_use_interest(report, w)])
    count, amount = proof.after_key_date
    if count:
        s.add(["", w("workbook.after-key-date", count=count), amount])
    s.skip()


def _interim(s: _Sheet, report: Report) -> None:
    """5. the interim proofs per budget year in the federal layout."""
    proof, w = report.proof_of_use, s.w
    s.section(w("workbook.proof.interim"))
    for interim in proof.interim:
        s.skip()
        s.add([w("workbook.proof.interim-year", year=str(interim.year))], font=_BOLD)
        s.header(
            [
                w("workbook.proof.interim-item"),
                w("workbook.word.title"),
                w("workbook.proof.interim-before"),
                w("workbook.proof.interim-year-spent"),
                w("workbook.proof.interim-cumulative"),
                s.check,
                w("workbook.proof.interim-plan"),
            ]
        )
        top = s.row
        for row in interim.rows:
            r = s.row
            s.add(
                [
                    row.line,
                    row.title,
                    row.before,
                    row.year,
                    _Formula(f"C{r}+D{r}", value=row.cumulative),
                    row.cumulative,
                    row.plan,
                ]
            )
        bottom = s.row - 1
        s.total(
            [
                w("text.sum"),
                None,
                *(_Formula(f"SUM({c}{top}:{c}{bottom})") for c in "CDE"),
                None,
                _Formula(f"SUM(G{top}:G{bottom})"),
            ]
        )
        s.skip()
        s.header(
            [w("workbook.word.number"), w("workbook.word.item"), w("workbook.word.amount"), s.check]
        )
        r14 = s.add(
            [
                "(14)",
                w("workbook.proof.row14"),
                _Formula(f"SUM(D{top}:D{bottom})", value=interim.expenditure),
                interim.expenditure,
            ]
        )
        r15 = s.add(["(15)", w("workbook.proof.row15"), interim.own_funds])
        r16 = s.add(["(16)", w("workbook.proof.row16"), interim.third_party])
        s.add(["(17)", w("workbook.proof.row17"), interim.additional_third_party])
        r17b = s.add(["(17b)", w("workbook.proof.row17b"), interim.additional_federal_share])
        r18 = s.add(
            [
                "(18)",
                w("workbook.proof.row18"),
                _Formula(f"C{r14}-C{r15}-C{r16}-C{r17b}", value=interim.federal_share),
                interim.federal_share,
            ]
        )
        r19 = s.add(
            [
                "(19)",
                w("workbook.proof.row19"),
                interim.federal_payments,
            ]
        )
        s.add(
            [
                "(20)",
                w("workbook.proof.row20"),
                _Formula(f"C{r19}-C{r18}", value=interim.cash_balance),
                interim.cash_balance,
            ]
        )
        own = "own-booked" if interim.own_funds_basis == "booked" else "own-computed"
        third = "third-booked" if interim.third_party_basis == "booked" else "third-computed"
        s.add(["", w(f"proof-form.interim.{own}")])
        s.add(["", w(f"proof-form.interim.{third}")])
