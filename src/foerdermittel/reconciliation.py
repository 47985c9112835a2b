"""Abstimmung — every report checks its own figures against each other.

Each check compares two figures that must agree (or one that must not exceed the other) and
records both and their difference, to the cent: there is no rounding slack. Where a rounding
rule of the law or of the library decides a cent, the check recomputes the figure under that
rule instead of allowing a tolerance (interest: the segments are summed exactly and the total
rounded once, half up).

The checks:

* ``financing-parts`` — per phase: grant + own share + third-party + other public money =
  eligible expenditure (VV Nr. 2 zu § 44 BHO);
* ``financing-year`` — per phase and budget year of the own-share plan: grant share +
  third-party share + own share = the year's forecast expenditure;
* ``forecast-line`` — per budget line: forecast = what is booked + what remains of the plan
  (with ``forecast_catch_up``: the plan's remainder less what no month can take; without it:
  the planned amounts of the months not yet past);
* ``calls-within-grant`` — per phase: recorded and planned calls ≤ the phase's grant;
* ``calls-final-grant`` — per phase whose final account is no longer a projection: calls less
  the refund = the final grant (ANBest Nr. 2);
* ``own-share-phase`` — per phase: the own share of its budget years = forecast expenditure −
  the grant's entitlement for it − the third-party money used for it;
* ``own-share-years`` — the own share of all budget years = the sum over the phases;
* ``vouchers-total`` — every recorded voucher = counted + excluded + paid after the key date;
* ``vouchers-lines`` — the lines' eligible actuals = the eligible amounts of the Belegliste;
* ``income-planned``, ``income-actual``, ``income-sources``, ``income-grant`` — the income
  block of the proof of use: planned total = eligible expenditure, actual total = the booked
  eligible expenditure it finances (the Deckung), third-party row = the plan's sources, grant
  row = the final grant of ended phases plus the payouts of running ones;
* ``interest-late-use``, ``interest-refund`` — per payout and per phase: interest = its segments
  (principal × rate × days / year basis, summed exactly, rounded once half up);
  ``interest-late-use-total``, ``interest-refund-total`` — the totals = the parts;
* ``call-periods-gap``, ``call-periods-overlap`` — per phase: the expenditure windows the
  calls cover tile the approval period, without a day left out or covered twice (in days).

A check that does not hold becomes an error finding ``reconciliation-failed``: it means a
defect or inconsistent input.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from foerdermittel import fmt
from foerdermittel.drawdowns import DrawdownPlan, call_tiling, phase_entitlement
from foerdermittel.errors import Finding, NotFoundError, Severity
from foerdermittel.financing import Financing
from foerdermittel.forecast import Forecast
from foerdermittel.interest import InterestResult
from foerdermittel.late_use import LateUseInterest
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType
from foerdermittel.model.plan import SourceKind
from foerdermittel.money import ZERO, floor_cents
from foerdermittel.own_share import OwnSharePlan
from foerdermittel.proof_of_use import ProofOfUse
from foerdermittel.vouchers import eligible_amount

__all__ = ["Check", "Reconciliation", "reconcile", "reconciliation_findings"]

NO_RULE = "Abstimmung"
"""The legal reference of a check whose figures follow no rule of law, only the arithmetic."""

_PARTS_RULE = "VV Nr. 2 zu § 44 BHO (Finanzierungsarten, Gesamtfinanzierung)"
_PRO_RATA_RULE = (
    "ANBest-Gk Nr. 1.3 / ANBest-P Nr. 1.4 (anteiliger Einsatz der Eigen- und Drittmittel)"
)
_PROOF_RULE = "ANBest Nr. 6 (zahlenmäßiger Nachweis, Belegliste)"
_FINAL_RULE = "ANBest Nr. 2 (Ermäßigung), Nr. 8 (Erstattung)"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Check(_Frozen):
    """Abstimmungsprüfung — one reconciliation check: two figures and their difference.

    Attributes:
        name: a stable code such as ``financing-parts``; tests and scripts key on it.
        title: what is compared, in German (without the subject).
        subject: what it is about, e.g. ``Phase A`` or ``Ansatz B-1.1``.
        expected: the figure the other one must match (or not exceed).
        actual: the figure checked.
        difference: ``actual − expected``.
        relation: ``eq`` (must be equal) or ``le`` (``actual`` must not exceed ``expected``).
        unit: ``EUR`` for amounts, ``days`` for day counts.
        ok: whether the check holds.
        legal_reference: the rule the figures follow; ``Abstimmung`` where none does.
        note: how the figures are formed, where the title does not say it.
    """

    name: str
    title: str
    subject: str
    expected: Decimal
    actual: Decimal
    difference: Decimal
    relation: Literal["eq", "le"] = "eq"
    unit: Literal["EUR", "days"] = "EUR"
    ok: bool
    legal_reference: str = NO_RULE
    note: str | None = None

    def figure(self, value: Decimal) -> str:
        """A figure of this check in German formatting (``1.234,56 €`` or ``12 Tage``)."""
        if self.unit == "days":
            return f"{fmt.number(int(value))} Tage"
        return fmt.money(value)

    @property
    def message(self) -> str:
        """The failure in German: both figures and the difference."""
        expected = "höchstens " if self.relation == "le" else ""
        text = (
            f"{self.title}: erwartet {expected}{self.figure(self.expected)}, ermittelt "
            f"{self.figure(self.actual)}, Differenz {self.figure(self.difference)}"
        )
        return text + (f" ({self.note})" if self.note else "")


class Reconciliation(_Frozen):
    """Abstimmung — all checks of a report.

    Attributes:
        checks: every check, in a fixed order.
        ok: whether every check holds.
        failures: the checks that do not hold.
    """

    checks: tuple[Check, ...]
    ok: bool
    failures: tuple[Check, ...]

    def check(self, name: str, subject: str) -> Check:
        """The check ``name`` about ``subject``.

        Raises:
            NotFoundError: no such check (a ``KeyError`` with ``(name, subject)``).
        """
        for item in self.checks:
            if item.name == name and item.subject == subject:
                return item
        raise NotFoundError("Abstimmung (Name, Gegenstand)", (name, subject))


def _check(
    name: str,
    title: str,
    subject: str,
    expected: Decimal,
    actual: Decimal,
    *,
    relation: Literal["eq", "le"] = "eq",
    unit: Literal["EUR", "days"] = "EUR",
    legal_reference: str = NO_RULE,
    note: str | None = None,
    ok: bool | None = None,
) -> Check:
    holds = actual == expected if relation == "eq" else actual <= expected
    return Check(
        name=name,
        title=title,
        subject=subject,
        expected=expected,
        actual=actual,
        difference=actual - expected,
        relation=relation,
        unit=unit,
        ok=holds if ok is None else ok and holds,
        legal_reference=legal_reference,
        note=note,
    )


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


# --- financing ------------------------------------------------------------------------------


def _financing(financing: Financing, shares: OwnSharePlan) -> list[Check]:
    checks = []
    for pf in financing.phases:
        checks.append(
            _check(
                "financing-parts",
                "Zuwendung + Eigenanteil + Drittmittel + andere öffentliche Förderung = "
                "zuwendungsfähige Ausgaben",
                f"Phase {pf.phase}",
                pf.eligible_expenditure,
                pf.grant + pf.own_share + pf.third_party + pf.other_public,
                legal_reference=_PARTS_RULE,
            )
        )
    for phase, years in shares.phases.items():
        for year in years:
            checks.append(
                _check(
                    "financing-year",
                    "Zuwendungsanteil + Drittmittelanteil + Eigenanteil = Ausgaben des Jahres",
                    f"Phase {phase}, Haushaltsjahr {year.year}",
                    year.expenditure,
                    year.grant_share + year.third_party_share + year.own_share,
                    legal_reference=_PRO_RATA_RULE,
                )
            )
    return checks


# --- forecast -------------------------------------------------------------------------------


def _forecast(case: Case, spending: Forecast) -> list[Check]:
    checks = []
    catch_up = case.settings.forecast_catch_up
    for line in spending.lines:
        if catch_up:
            remaining = max(line.planned - line.actual, ZERO) - line.unplaced
            note = "Rest des Plans: Plan − gebucht, ohne nicht mehr unterzubringende Beträge"
        else:
            remaining = _sum(m.planned for m in line.months if m.actual is None)
            note = "Rest des Plans: Planbeträge der noch nicht abgeschlossenen Monate"
        checks.append(
            _check(
                "forecast-line",
                "Prognose = gebucht + Rest des Plans",
                f"Ansatz {line.line}",
                line.actual + remaining,
                line.forecast,
                note=note,
            )
        )
    return checks


# --- calls ----------------------------------------------------------------------------------


def _calls(financing: Financing, plan: DrawdownPlan, proof: ProofOfUse) -> list[Check]:
    checks = []
    final = {p.phase: p for p in proof.phases} if proof.evaluated else {}
    for phase in plan.phases:
        called = _sum(c.amount for c in phase.calls)
        subject = f"Phase {phase.phase}"
        checks.append(
            _check(
                "calls-within-grant",
                "Mittelabrufe (ausgezahlt und geplant) höchstens Zuwendung der Phase",
                subject,
                financing.phase(phase.phase).grant,
                called,
                relation="le",
                legal_reference=plan.rule.source,
            )
        )
        result = final.get(phase.phase)
        if result is not None and not result.projected:
            checks.append(
                _check(
                    "calls-final-grant",
                    "Mittelabrufe abzüglich Erstattung = Zuwendung nach Abrechnung",
                    subject,
                    result.reduction.final,
                    called - result.refund,
                    legal_reference=_FINAL_RULE,
                    note="die Phase ist beendet; die Schlussrate zählt mit, ob ausgezahlt "
                    "oder geplant",
                )
            )
    return checks


# --- own share ------------------------------------------------------------------------------


def _cover_used(case: Case, financing: Financing, phase: str, covered: Decimal) -> Decimal:
    """Third-party and other public money used for ``covered`` expenditure (as in own_share)."""
    pf = financing.phase(phase)
    cover = pf.third_party + pf.other_public
    if cover <= 0 or covered <= 0:
        return ZERO
    if case.grant.financing_type is FinancingType.FEHLBEDARF:
        first = pf.own_funds_planned + cover
        return floor_cents(cover * min(covered, first) / first)
    if pf.eligible_expenditure <= 0:
        return ZERO
    return min(cover, floor_cents(cover * covered / pf.eligible_expenditure))


def _own_share(
    case: Case, financing: Financing, spending: Forecast, shares: OwnSharePlan
) -> list[Check]:
    checks = []
    for phase, years in shares.phases.items():
        months = spending.phase_months(phase)
        if months:
            covered = _sum(months.values())
            grant = phase_entitlement(case, financing.phase(phase))(covered)
            expected = covered - grant - _cover_used(case, financing, phase, covered)
        else:
            expected = ZERO
        checks.append(
            _check(
                "own-share-phase",
                "Eigenanteil der Haushaltsjahre = Ausgaben laut Prognose − Zuwendungsanspruch − "
                "eingesetzte Drittmittel",
                f"Phase {phase}",
                expected,
                _sum(y.own_share for y in years),
                legal_reference=_PRO_RATA_RULE,
            )
        )
    checks.append(
        _check(
            "own-share-years",
            "Eigenanteil aller Jahre = Summe der Phasen",
            "Haushaltsjahre",
            _sum(y.own_share for years in shares.phases.values() for y in years),
            _sum(y.own_share for y in shares.years),
            legal_reference=_PRO_RATA_RULE,
        )
    )
    return checks


# --- vouchers and the income block ----------------------------------------------------------


def _vouchers(case: Case, proof: ProofOfUse) -> list[Check]:
    if not proof.evaluated:
        return []
    counted = _sum(v.amount for v in proof.vouchers)
    excluded = _sum(e.amount for e in proof.excluded if not e.counted)
    net = case.settings.input_tax_deduction
    return [
        _check(
            "vouchers-total",
            "Summe aller erfassten Belege = gezählt + ausgeschlossen + nach dem Stichtag",
            "Belegliste",
            _sum(e.amount for e in case.expenditures),
            counted + excluded + proof.after_key_date[1],
            legal_reference=_PROOF_RULE,
            note="Bruttobeträge",
        ),
        _check(
            "vouchers-lines",
            "Ist der Einzelansätze = zuwendungsfähige Beträge der gezählten Belege",
            "Belegliste",
            _sum(eligible_amount(v, net=net) for v in proof.vouchers),
            _sum(line.actual for line in proof.lines),
            legal_reference=_PROOF_RULE,
        ),
    ]


def _income(case: Case, financing: Financing, proof: ProofOfUse) -> list[Check]:
    if not proof.evaluated:
        return []
    rows = {row.label: row for row in proof.income}

    def row(prefix: str) -> tuple[Decimal, Decimal]:
        found = [r for label, r in rows.items() if label.startswith(prefix)]
        return (found[0].planned, found[0].actual) if found else (ZERO, ZERO)

    cover_kinds = {SourceKind.THIRD_PARTY, SourceKind.OTHER_PUBLIC}
    sources = _sum(s.amount for s in case.plan.sources if s.kind in cover_kinds)
    subject = "Einnahmen (zahlenmäßiger Nachweis)"
    return [
        _check(
            "income-planned",
            "Einnahmen laut Bescheid = zuwendungsfähige Ausgaben laut Bescheid",
            subject,
            financing.eligible_expenditure,
            _sum(r.planned for r in proof.income),
            legal_reference=_PROOF_RULE,
        ),
        _check(
            "income-actual",
            "Einnahmen laut Abrechnung = zuwendungsfähige Ausgaben laut Abrechnung (gebucht)",
            subject,
            _sum(line.actual for line in proof.lines),
            _sum(r.actual for r in proof.income),
            legal_reference=_PROOF_RULE,
        ),
        _check(
            "income-sources",
            "Drittmittel und andere öffentliche Förderung laut Bescheid = Deckungsmittel des "
            "Finanzierungsplans",
            subject,
            sources,
            row("Drittmittel")[0],
            legal_reference=_PROOF_RULE,
        ),
        _check(
            "income-grant",
            "Zuwendung laut Abrechnung = Zuwendung nach Abrechnung der beendeten Phasen + "
            "Auszahlungen der laufenden",
            subject,
            _sum(p.paid if p.projected else p.reduction.final for p in proof.phases),
            row("Zuwendung")[1],
            legal_reference=_FINAL_RULE,
        ),
    ]


# --- interest -------------------------------------------------------------------------------


def _round_fraction(value: Fraction) -> Decimal:
    """A fraction rounded half up (away from zero) to the cent, exactly."""
    hundredths = value * 100
    sign = -1 if hundredths < 0 else 1
    whole, rest = divmod(abs(hundredths.numerator), hundredths.denominator)
    if 2 * rest >= hundredths.denominator:
        whole += 1
    return Decimal(sign * whole).scaleb(-2)


_INTEREST_NOTE = (
    "Abschnitte: Betrag × Zinssatz × Tage / Jahresbasis, exakt summiert, je Zinsberechnung "
    "einmal kaufmännisch auf den Cent gerundet"
)


def _interest(interest: LateUseInterest, proof: ProofOfUse) -> list[Check]:
    checks = []
    for use in interest.payouts:
        results = [u.interest for u in use.late if u.interest is not None]
        if use.unused_interest is not None:
            results.append(use.unused_interest)
        if not results:
            continue
        checks.append(
            _check(
                "interest-late-use",
                "Zinsen = Summe der Zinsabschnitte",
                f"Auszahlung {use.payout}",
                _sum(_round_fraction(_fraction(r)) for r in results),
                use.interest,
                legal_reference=interest.legal_reference,
                note=_INTEREST_NOTE,
            )
        )
    if interest.evaluated:
        checks.append(
            _check(
                "interest-late-use-total",
                "Zinsen insgesamt = Summe je Auszahlung",
                "Zinsen (§ 49a Abs. 4 VwVfG)",
                _sum(u.interest for u in interest.payouts),
                interest.total,
                legal_reference=interest.legal_reference,
            )
        )
    for phase in proof.phases:
        if not phase.refund_interest:
            continue
        checks.append(
            _check(
                "interest-refund",
                "Erstattungszinsen = Summe der Zinsabschnitte",
                f"Phase {phase.phase}",
                _sum(_round_fraction(_fraction(r)) for r in phase.refund_interest),
                _sum(r.interest for r in phase.refund_interest),
                legal_reference=phase.refund_interest[0].legal_reference,
                note=_INTEREST_NOTE,
            )
        )
    if proof.evaluated:
        checks.append(
            _check(
                "interest-refund-total",
                "Erstattungszinsen insgesamt = Summe der Phasen",
                "Zinsen (§ 49a Abs. 3 VwVfG)",
                _sum(r.interest for p in proof.phases for r in p.refund_interest),
                proof.refund_interest,
                legal_reference="§ 49a Abs. 3 VwVfG",
            )
        )
    return checks


def _fraction(result: InterestResult) -> Fraction:
    return sum(
        (
            Fraction(result.principal) * Fraction(s.rate) * s.days / (100 * s.year_basis)
            for s in result.segments
        ),
        Fraction(0),
    )


# --- call periods ---------------------------------------------------------------------------


def _tiling(case: Case, plan: DrawdownPlan) -> list[Check]:
    checks = []
    phases = {p.id: p for p in case.grant.phases}
    for item in plan.phases:
        phase = phases[item.phase]
        if not item.calls:
            continue
        days = (phase.end - phase.start).days + 1
        tiling = call_tiling(item.phase, phase.start, phase.end, item.calls)
        uncovered = sum(p.days for p in tiling.gaps)
        extra = sum(p.days for p in (*tiling.overlaps, *tiling.outside))
        subject = f"Phase {item.phase}"
        window = f"Bewilligungszeitraum {fmt.date(phase.start)}–{fmt.date(phase.end)}"
        checks.append(
            _check(
                "call-periods-gap",
                "Tage des Bewilligungszeitraums, für die ein Mittelabruf Ausgaben abdeckt",
                subject,
                Decimal(days),
                Decimal(days - uncovered),
                unit="days",
                legal_reference=plan.rule.source,
                note=window,
            )
        )
        checks.append(
            _check(
                "call-periods-overlap",
                "Tage, die mehrere Mittelabrufe oder ein Abruf außerhalb des "
                "Bewilligungszeitraums abdecken",
                subject,
                ZERO,
                Decimal(extra),
                unit="days",
                legal_reference=plan.rule.source,
                note=window,
            )
        )
    return checks


# --- all ------------------------------------------------------------------------------------


def reconcile(
    case: Case,
    *,
    financing: Financing,
    forecast: Forecast,
    drawdowns: DrawdownPlan,
    own_share: OwnSharePlan,
    proof_of_use: ProofOfUse,
    interest: LateUseInterest,
) -> Reconciliation:
    """Reconcile the figures of an evaluated (amended) case with each other.

    Args:
        case: the amended case the figures were computed from.
        financing: its financing.
        forecast: its spending forecast.
        drawdowns: its drawdown plan.
        own_share: its own-share plan.
        proof_of_use: its proof of use.
        interest: its interest on late use.

    Returns:
        Every check with both figures and the difference; ``ok`` when all hold.

    Examples:
        >>> from datetime import date
        >>> from foerdermittel import evaluate, load_case
        >>> report = evaluate(load_case("examples/bochum-mpsc.toml"), date(2021, 6, 1))
        >>> check = report.reconciliation.check("financing-parts", "Phase B")
        >>> check.expected, check.actual, check.ok
        (Decimal('14100000.00'), Decimal('14100000.00'), True)
    """
    checks = [
        *_financing(financing, own_share),
        *_forecast(case, forecast),
        *_calls(financing, drawdowns, proof_of_use),
        *_own_share(case, financing, forecast, own_share),
        *_vouchers(case, proof_of_use),
        *_income(case, financing, proof_of_use),
        *_interest(interest, proof_of_use),
        *_tiling(case, drawdowns),
    ]
    failures = tuple(c for c in checks if not c.ok)
    return Reconciliation(checks=tuple(checks), ok=not failures, failures=failures)


def reconciliation_findings(reconciliation: Reconciliation) -> tuple[Finding, ...]:
    """An error finding ``reconciliation-failed`` for every check that does not hold."""
    return tuple(
        Finding(
            code="reconciliation-failed",
            severity=Severity.ERROR,
            message=check.message,
            legal_reference=check.legal_reference,
            subject=check.subject,
        )
        for check in reconciliation.failures
    )
