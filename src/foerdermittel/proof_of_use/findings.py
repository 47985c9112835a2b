"""The findings of the proof of use: vouchers left out, lines over plan, refunds due."""

from __future__ import annotations

from foerdermittel import fmt
from foerdermittel.errors import Finding, Severity
from foerdermittel.money import ZERO
from foerdermittel.proof_of_use.results import ProofOfUse
from foerdermittel.rules.model import Rulebook
from foerdermittel.vouchers import ExcludedVoucher

__all__ = ["PROOF_FINDING_CODES"]


_CHECKS: dict[str, tuple[str, Severity, str | None]] = {
    "outside-period": ("außerhalb des Bewilligungszeitraums", Severity.WARNING, None),
    "duplicate-voucher": ("doppelt erfasst", Severity.WARNING, None),
    "sign": (
        "als Ausgabe mit negativem Betrag",
        Severity.ERROR,
        "eine Gutschrift in der Spalte Art als Gutschrift erfassen, eine Ausgabe mit positivem "
        "Betrag",
    ),
    "credit-sign": (
        "als Gutschrift mit positivem Betrag",
        Severity.ERROR,
        "Gutschriften mit negativem Betrag erfassen (z. B. -100,00), eine Ausgabe in der Spalte "
        "Art als Ausgabe",
    ),
    "net-above-gross": (
        "mit Nettobetrag über dem Bruttobetrag",
        Severity.ERROR,
        "Betrag (brutto) und Netto prüfen, vielleicht vertauscht; netto ist dem Betrag nach "
        "höchstens so hoch wie brutto",
    ),
    "net-sign": (
        "mit Nettobetrag anderen Vorzeichens als der Bruttobetrag",
        Severity.ERROR,
        "Netto und Betrag (brutto) mit demselben Vorzeichen erfassen (bei Gutschriften beide "
        "negativ)",
    ),
    "net-missing": ("ohne Nettobetrag", Severity.WARNING, None),
}
"""Per voucher check: what the finding says, its severity, and how to correct the ledger (for
the contradictions: the voucher does not count until it is corrected)."""

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
        # interest on money not used in time (late_use, § 49a Abs. 4 VwVfG)
        "late-use-interest",
        "payout-unused",
        # the deadlines, the proof of use's own among them
        "deadline-missed",
        "deadline-due-soon",
    }
)
"""The codes of the findings that belong to the proof of use: the vouchers left out, plan
against actual, the final account and its interest, the interest on money not used in time, and
the deadlines missed or due soon.
[`Report.proof_findings`][foerdermittel.report.Report.proof_findings] selects them."""


def _shown_voucher(voucher: ExcludedVoucher) -> str:
    where = voucher.origin or fmt.date(voucher.paid_on)
    amount = fmt.money(voucher.amount)
    if voucher.net_amount is not None and voucher.code in {"net-above-gross", "net-sign"}:
        amount = f"brutto {amount}, netto {fmt.money(voucher.net_amount)}"
    return f"{voucher.voucher} ({where}, {amount})"


def _findings(result: ProofOfUse, rulebook: Rulebook) -> list[Finding]:
    out: list[Finding] = []
    tolerance = rulebook.line_tolerance
    for code, (label, severity, fix) in _CHECKS.items():
        items = [e for e in result.excluded if e.code == code]
        if not items:
            continue
        shown = ", ".join(_shown_voucher(e) for e in items[:10])
        more = f" und {len(items) - 10} weitere" if len(items) > 10 else ""
        fixed = f". Im Belegbuch korrigieren: {fix}" if fix else ""
        out.append(
            Finding(
                code=f"voucher-{code}",
                severity=severity,
                message=f"{len(items)} Beleg(e) {label} (nicht gezählt): {shown}{more}{fixed}",
                legal_reference=(
                    "ANBest Nr. 6 (Nachweis), Nr. 1.1 (Bewilligungszeitraum)"
                    if code == "outside-period"
                    else "ANBest Nr. 6 (Nachweis)"
                ),
                subject="Belegliste",
            )
        )
    count, total = result.after_key_date
    if count:
        out.append(
            Finding(
                code="vouchers-after-key-date",
                severity=Severity.INFO,
                message=(
                    f"{count} Beleg(e) nach dem Stichtag {fmt.date(result.as_of)} "
                    f"({fmt.money(total)}) nicht berücksichtigt"
                ),
                legal_reference="—",
                subject="Belegliste",
            )
        )
    for line in result.lines:
        over = fmt.percent((line.difference_pct or ZERO) / 100)
        if line.status == "beyond_tolerance" and line.allowed is not None:
            out.append(
                Finding(
                    code="line-beyond-tolerance",
                    severity=Severity.WARNING,
                    message=(
                        f"{fmt.money(line.actual)} gegenüber Plan "
                        f"{fmt.money(line.planned)} (+{over}); zulässig bis "
                        f"{fmt.money(line.allowed)}, {fmt.money(line.actual - line.allowed)} "
                        "nicht zuwendungsfähig"
                    ),
                    legal_reference=tolerance.source,
                    subject=f"Ansatz {line.line}",
                )
            )
        elif line.status == "within_tolerance":
            out.append(
                Finding(
                    code="line-within-tolerance",
                    severity=Severity.INFO,
                    message=(
                        f"{fmt.money(line.actual)} gegenüber Plan "
                        f"{fmt.money(line.planned)} (+{over}), innerhalb der "
                        f"Toleranz von {fmt.percent(tolerance.overrun)}, wenn andere Ansätze "
                        "entsprechend einsparen"
                    ),
                    legal_reference=tolerance.source,
                    subject=f"Ansatz {line.line}",
                )
            )
    for phase in result.phases:
        subject = f"Phase {phase.phase}"
        if phase.actual > phase.planned and phase.recognised < phase.actual:
            out.append(
                Finding(
                    code="overrun-not-compensated",
                    severity=Severity.WARNING,
                    message=(
                        f"Ausgaben ({fmt.money(phase.actual)}) über den "
                        f"zuwendungsfähigen Ausgaben laut Bescheid ({fmt.money(phase.planned)}); "
                        "der Finanzierungsplan ist in seiner Gesamtsumme verbindlich"
                    ),
                    legal_reference=tolerance.source,
                    subject=subject,
                )
            )
        if phase.refund > 0:
            interest = sum((r.interest for r in phase.refund_interest), ZERO)
            out.append(
                Finding(
                    code="refund-due",
                    severity=Severity.WARNING,
                    message=(
                        ("voraussichtlich — " if phase.projected else "")
                        + "Zuwendung nach Abrechnung "
                        f"{fmt.money(phase.reduction.final)}, ausgezahlt {fmt.money(phase.paid)} "
                        f"— zu erstatten {fmt.money(phase.refund)}"
                        + (
                            ", Zinsen nicht berechenbar"
                            if phase.interest_problem
                            else f", Zinsen bisher {fmt.money(interest)}"
                            if interest
                            else ""
                        )
                        + (f" ({phase.note})" if phase.note else "")
                    ),
                    legal_reference="§ 49a Abs. 1, 3 VwVfG; ANBest Nr. 2, 8",
                    subject=subject,
                )
            )
            if phase.interest_problem:
                out.append(
                    Finding(
                        code="interest-not-computed",
                        severity=Severity.ERROR,
                        message=(
                            "Erstattungszinsen nicht berechenbar; der Betrag fehlt im "
                            f"Verwendungsnachweis — {phase.interest_problem}"
                        ),
                        legal_reference="§ 49a Abs. 3 VwVfG",
                        subject=subject,
                    )
                )
            elif phase.ineffective_on is None:
                out.append(
                    Finding(
                        code="refund-interest-not-started",
                        severity=Severity.INFO,
                        message=(
                            "Erstattungszinsen laufen erst ab Vorlage des "
                            "Verwendungsnachweises (settings.refund_interest_from = "
                            "proof_submitted); bis zum Stichtag keine"
                        ),
                        legal_reference="§ 49a Abs. 3 VwVfG",
                        subject=subject,
                    )
                )
        elif phase.balance > 0 and phase.paid > 0:
            out.append(
                Finding(
                    code="final-instalment-due",
                    severity=Severity.INFO,
                    message=(
                        ("voraussichtlich — " if phase.projected else "")
                        + f"nach Abrechnung noch auszuzahlen {fmt.money(phase.balance)}"
                    ),
                    legal_reference="ANBest Nr. 1, 6",
                    subject=subject,
                )
            )
    return out
