"""The findings of the proof of use: vouchers left out, lines over plan, refunds due.

Each finding is data ([`Finding.of`][foerdermittel.errors.Finding.of]): the key
``finding.<code>`` with the amounts, days and counts involved; the words come from the
catalogues.
"""

from __future__ import annotations

from foerdermittel.errors import Finding, Severity
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.model.narrative import ProofKind
from foerdermittel.money import ZERO
from foerdermittel.proof.results import ProofOfUse
from foerdermittel.rules.model import Rulebook
from foerdermittel.vouchers import ExcludedVoucher

__all__ = ["PROOF_FINDING_CODES"]


_CHECKS: dict[str, Severity] = {
    "outside-period": Severity.WARNING,
    "duplicate-voucher": Severity.WARNING,
    "sign": Severity.ERROR,
    "credit-sign": Severity.ERROR,
    "net-above-gross": Severity.ERROR,
    "net-sign": Severity.ERROR,
    "net-missing": Severity.WARNING,
    "flat-rate": Severity.WARNING,
}
"""Per voucher check, the severity of its finding ``voucher-<check>``; the words of the
contradictions (errors) say how to correct the ledger — the voucher does not count until it is
corrected."""

_CHECK_SOURCES = {
    "outside-period": "ANBest Nr. 6 (Nachweis), Nr. 1.1 (Bewilligungszeitraum)",
    "flat-rate": "Verordnung (EU) 2021/1060 Art. 53 Abs. 1 Buchst. d (Pauschalfinanzierung)",
}
"""The legal basis of a voucher check's finding where it is not ANBest Nr. 6 alone."""

_SHOWN = 10
"""How many vouchers a finding names; it counts the rest."""

PROOF_FINDING_CODES: frozenset[str] = frozenset(
    {
        *(f"voucher-{check}" for check in _CHECKS),
        "vouchers-after-key-date",
        "line-beyond-tolerance",
        "line-within-tolerance",
        "overrun-not-compensated",
        "refund-due",
        "interest-not-computed",
        "refund-interest-not-started",
        "final-instalment-due",
        # booked amounts of capped cost categories over their cap (limit_checks)
        "category-cap-exceeded-actual",
        # interest on money not used in time (late_use, § 49a Abs. 4 VwVfG)
        "late-use-interest",
        "payout-unused",
        # the deadlines, the proof of use's own among them
        "deadline-missed",
        "deadline-due-soon",
        # the form: the Sachbericht, justifications of deviations
        "narrative-missing",
        "narrative-incomplete",
        "deviation-without-justification",
    }
)
"""The codes of the findings that belong to the proof of use: the vouchers left out, plan
against actual, booked cost categories over their cap, the final account and its interest, the
interest on money not used in time, and the deadlines missed or due soon.
[`Report.proof_findings`][foerdermittel.report.Report.proof_findings] selects them."""


def _shown_voucher(voucher: ExcludedVoucher) -> Message:
    """The voucher as a finding names it: number, where it was read (or its day), amount."""
    where = voucher.origin or voucher.paid_on
    if voucher.net_amount is not None and voucher.code in {"net-above-gross", "net-sign"}:
        return Message.of(
            "voucher.shown-net",
            voucher=voucher.voucher,
            where=where,
            amount=voucher.amount,
            net=voucher.net_amount,
        )
    return Message.of("voucher.shown", voucher=voucher.voucher, where=where, amount=voucher.amount)


_NARRATIVE_SOURCE = "ANBest-Gk Nr. 6.2, 6.3; ANBest-P Nr. 6.2.1 (Sachbericht)"


def _form_findings(result: ProofOfUse, rulebook: Rulebook) -> list[Finding]:
    """The findings of the form: the Sachbericht, and lines beyond the tolerance unjustified."""
    form = result.form
    if form is None:
        return []
    out: list[Finding] = []
    header = form.header
    kind = Message.of(f"proof-form.kind.{header.proof_kind.value}")
    if header.proof_kind is ProofKind.FINAL:
        if form.narrative.empty:
            out.append(
                Finding.of(
                    "narrative-missing",
                    Severity.WARNING,
                    Subject("case"),
                    _NARRATIVE_SOURCE,
                    kind=kind,
                )
            )
        elif form.narrative_missing:
            out.append(
                Finding.of(
                    "narrative-incomplete",
                    Severity.INFO,
                    Subject("case"),
                    _NARRATIVE_SOURCE,
                    kind=kind,
                    parts=tuple(
                        Message.of(f"proof-form.narrative.part.{part}")
                        for part in form.narrative_missing
                    ),
                )
            )
    tolerance = rulebook.line_tolerance
    missing = {
        line.line
        for phase in form.expenditure.phases
        for group in phase.groups
        for line in group.lines
        if line.justification_missing
    }
    for line in result.lines:
        if line.line in missing:
            out.append(
                Finding.of(
                    "deviation-without-justification",
                    Severity.WARNING,
                    Subject("line", line.line),
                    tolerance.source,
                    actual=line.actual,
                    planned=line.planned,
                    over=(line.difference_pct or ZERO) / 100,
                    tolerance=tolerance.overrun,
                )
            )
    return out


def _findings(result: ProofOfUse, rulebook: Rulebook) -> list[Finding]:
    out: list[Finding] = []
    tolerance = rulebook.line_tolerance
    vouchers = Subject("vouchers")
    for code, severity in _CHECKS.items():
        items = [e for e in result.excluded if e.code == code]
        if not items:
            continue
        more = len(items) - _SHOWN
        out.append(
            Finding.of(
                f"voucher-{code}",
                severity,
                vouchers,
                _CHECK_SOURCES.get(code, "ANBest Nr. 6 (Nachweis)"),
                count=len(items),
                vouchers=tuple(_shown_voucher(e) for e in items[:_SHOWN]),
                more=Message.of("voucher.more", count=more) if more > 0 else NOTHING,
            )
        )
    count, total = result.after_key_date
    if count:
        out.append(
            Finding.of(
                "vouchers-after-key-date",
                Severity.INFO,
                vouchers,
                "—",
                count=count,
                as_of=result.as_of,
                total=total,
            )
        )
    for line in result.lines:
        over = (line.difference_pct or ZERO) / 100
        about = Subject("line", line.line)
        if line.status == "beyond_tolerance" and line.allowed is not None:
            out.append(
                Finding.of(
                    "line-beyond-tolerance",
                    Severity.WARNING,
                    about,
                    tolerance.source,
                    actual=line.actual,
                    planned=line.planned,
                    over=over,
                    allowed=line.allowed,
                    excess=line.actual - line.allowed,
                )
            )
        elif line.status == "within_tolerance":
            out.append(
                Finding.of(
                    "line-within-tolerance",
                    Severity.INFO,
                    about,
                    tolerance.source,
                    actual=line.actual,
                    planned=line.planned,
                    over=over,
                    tolerance=tolerance.overrun,
                )
            )
    for phase in result.phases:
        about = Subject("phase", phase.phase)
        projected = Message.of("proof.projected") if phase.projected else NOTHING
        if phase.actual > phase.planned and phase.recognised < phase.actual:
            out.append(
                Finding.of(
                    "overrun-not-compensated",
                    Severity.WARNING,
                    about,
                    tolerance.source,
                    actual=phase.actual,
                    planned=phase.planned,
                )
            )
        if phase.refund > 0:
            interest = sum((r.interest for r in phase.refund_interest), ZERO)
            out.append(
                Finding.of(
                    "refund-due",
                    Severity.WARNING,
                    about,
                    "§ 49a Abs. 1, 3 VwVfG; ANBest Nr. 2, 8",
                    projected=projected,
                    final=phase.reduction.final,
                    paid=phase.paid,
                    refund=phase.refund,
                    interest=(
                        Message.of("proof.refund-interest-unknown")
                        if phase.interest_problem
                        else Message.of("proof.refund-interest-so-far", interest=interest)
                        if interest
                        else NOTHING
                    ),
                    remark=(
                        Message.of("proof.aside", remark=phase.remark)
                        if phase.remark.key
                        else NOTHING
                    ),
                )
            )
            if phase.interest_problem:
                out.append(
                    Finding.of(
                        "interest-not-computed",
                        Severity.ERROR,
                        about,
                        "§ 49a Abs. 3 VwVfG",
                        what=Message.of("proof.refund-interest-missing"),
                        reason=phase.interest_problem,
                    )
                )
            elif phase.ineffective_on is None:
                out.append(
                    Finding.of(
                        "refund-interest-not-started", Severity.INFO, about, "§ 49a Abs. 3 VwVfG"
                    )
                )
        elif phase.balance > 0 and phase.paid > 0:
            out.append(
                Finding.of(
                    "final-instalment-due",
                    Severity.INFO,
                    about,
                    "ANBest Nr. 1, 6",
                    projected=projected,
                    amount=phase.balance,
                )
            )
    out.extend(_form_findings(result, rulebook))
    return out
