"""Proof of use (Verwendungsnachweis): plan against actual, the 20 % rule, final grant, refund.

From the recorded expenditures (Belege) and income the module computes what the proof of use
must show, and — long before the end — what the final grant will be:

1. **Eligibility** of each voucher: paid inside the approved period of its line's phase (before
   it only from an approved early start, vorzeitiger Maßnahmebeginn); the same voucher number
   only once; signs that fit the kind (an expenditure positive, a credit note negative); the net
   amount where input tax is deductible. Vouchers paid after the key date are left out and
   counted.
2. **Plan against actual** per line (ANBest-Gk / ANBest-P Nr. 1.2): a line may exceed its plan by
   up to 20 % when other lines save as much; larger overruns only where official conditions
   require them; the financing plan binds in its total. Not for Festbetragsfinanzierung.
3. **Final grant** per phase under ANBest Nr. 2
   ([`later_reduction`][foerdermittel.financing.later_reduction], with the 500 € threshold),
   compared with what was paid out: the final instalment still due, or the refund — with
   interest under § 49a Abs. 3 VwVfG from the day the grant became ineffective (a setting) or
   the later payout that made the overpayment.
4. **Interim proof** (Zwischennachweis) per budget year in the federal layout, and the figures of
   the proof of use: income block, expenditure block, payment block and the voucher list.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from foerdermittel import fmt
from foerdermittel.errors import Finding, Severity
from foerdermittel.financing import Financing, Reduction, later_reduction
from foerdermittel.forecast import Forecast
from foerdermittel.interest import InterestError, InterestResult, compute_interest, parse_day_count
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType, Phase
from foerdermittel.model.records import Expenditure
from foerdermittel.money import ZERO, cents, floor_cents
from foerdermittel.rules.model import Rulebook
from foerdermittel.vouchers import ExcludedVoucher, check_vouchers, eligible_amount

__all__ = [
    "IncomeRow",
    "InterimProof",
    "InterimRow",
    "LineResult",
    "PhaseResult",
    "ProofOfUse",
    "Step",
    "proof_of_use",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Step(_Frozen):
    """One step of a computation, so that every figure shows how it came about.

    Attributes:
        label: what the figure is, in German.
        formula: how it was computed, in symbols (``q × (A_ist − D_neu)``).
        value: the figure.
        source: the rule it rests on.
    """

    label: str
    formula: str
    value: Decimal
    source: str


_LINE_STATUS = {
    "within_plan": "im Plan",
    "within_tolerance": "Überschreitung innerhalb der Toleranz",
    "beyond_tolerance": "Überschreitung über der Toleranz",
    "official_condition": "behördliche Auflage",
    "not_applicable": "Festbetrag (ohne Einzelansatzbindung)",
}


class LineResult(_Frozen):
    """Soll-Ist-Vergleich of one budget line (ANBest Nr. 1.2).

    Attributes:
        line: the line's id.
        title: the line's title.
        phase: the line's phase.
        planned: the plan (as amended).
        actual_total: every recorded voucher of the line up to the key date.
        actual: the eligible vouchers.
        difference: actual − planned.
        difference_pct: the difference in percent of the plan (``None`` for a plan of 0).
        allowed: the most the line may reach (plan + 20 %; ``None`` = no line limit).
        recognised: what counts towards the phase (actual, at most ``allowed``).
        status: ``within_plan``, ``within_tolerance``, ``beyond_tolerance``,
            ``official_condition`` or ``not_applicable`` (Festbetragsfinanzierung).
    """

    line: str
    title: str
    phase: str
    planned: Decimal
    actual_total: Decimal
    actual: Decimal
    difference: Decimal
    difference_pct: Decimal | None
    allowed: Decimal | None
    recognised: Decimal
    status: str

    @property
    def status_german(self) -> str:
        """The status as the proof of use shows it."""
        return _LINE_STATUS.get(self.status, self.status)


class PhaseResult(_Frozen):
    """The final account of one phase.

    Attributes:
        phase: the phase.
        planned: eligible expenditure per decision (A).
        actual: eligible expenditure recorded (Σ of the lines).
        recognised: eligible expenditure recognised (line limits, the plan's total).
        cover_planned: third-party and other public money, planned.
        cover_actual: third-party and other public money, received.
        reduction: the grant after ANBest Nr. 2.
        paid: payouts recorded.
        balance: final grant − paid (positive: still due; negative: to refund).
        refund: the amount to refund (0 if none).
        refund_interest: interest on the refund (§ 49a Abs. 3 VwVfG), per payout that made
            the overpayment.
        projected: the phase runs on after the key date: the figures are a projection from
            the forecast (actual up to the key date plus the remaining plan).
        interest_problem: why the refund interest could not be computed, if so.
        ineffective_on: the day the grant became ineffective to the extent of the refund
            (from ``settings.refund_interest_from``), where there is a refund and it is known.
        steps: how the figures came about.
        note: remarks (assumptions made).
    """

    phase: str
    planned: Decimal
    actual: Decimal
    recognised: Decimal
    cover_planned: Decimal
    cover_actual: Decimal
    reduction: Reduction
    paid: Decimal
    balance: Decimal
    refund: Decimal
    refund_interest: tuple[InterestResult, ...]
    projected: bool = False
    interest_problem: str | None = None
    ineffective_on: date | None = None
    steps: tuple[Step, ...]
    note: str | None = None


class IncomeRow(_Frozen):
    """A row of the income block: per decision and actual, € and % of the total."""

    label: str
    planned: Decimal
    planned_pct: Decimal | None
    actual: Decimal
    actual_pct: Decimal | None


class InterimRow(_Frozen):
    """A line of the interim proof.

    Columns of the federal layout: (2) recognised up to last year, (3) spent this year,
    (5) cumulative, (6) the plan's total.
    """

    line: str
    title: str
    before: Decimal
    year: Decimal
    cumulative: Decimal
    plan: Decimal


class InterimProof(_Frozen):
    """Zwischennachweis for one budget year (federal layout, profi).

    Attributes:
        year: the budget year.
        rows: the lines.
        expenditure: (14) the year's expenditure.
        own_funds: (15) own funds per plan.
        third_party: (16) third-party money per plan.
        additional_third_party: (17) further third-party money received.
        additional_federal_share: (17b) its part that reduces the grant (ANBest Nr. 2).
        federal_share: (18) the grant's share: (14) − (15) − (16) − (17b).
        federal_payments: (19) payouts of the year plus the previous year's cash balance.
        cash_balance: (20) cash balance at 31.12.: (19) − (18).
    """

    year: int
    rows: tuple[InterimRow, ...]
    expenditure: Decimal
    own_funds: Decimal
    third_party: Decimal
    additional_third_party: Decimal
    additional_federal_share: Decimal
    federal_share: Decimal
    federal_payments: Decimal
    cash_balance: Decimal


class ProofOfUse(_Frozen):
    """Verwendungsnachweis — the figures, and what the final grant will be.

    Attributes:
        evaluated: whether vouchers are recorded (without them there is nothing to prove).
        as_of: the key date.
        vouchers: the eligible vouchers in date order (Belegliste).
        excluded: vouchers that do not count, or count with a reservation.
        after_key_date: number and sum of vouchers paid after the key date (left out).
        lines: plan against actual per line.
        phases: the final account per phase.
        income: the income block.
        approved: payment block: the grant as approved (sum over phases).
        final: payment block: the final grant (sum over phases).
        paid: payment block: payouts recorded (sum over phases).
        balance: payment block: final − paid (sum over phases).
        refund: refunds (sum over phases).
        refund_interest: the interest on the refunds (sum over phases).
        interim: the interim proof per budget year.
        legal_reference: the rules.
    """

    evaluated: bool
    as_of: date
    vouchers: tuple[Expenditure, ...]
    excluded: tuple[ExcludedVoucher, ...]
    after_key_date: tuple[int, Decimal]
    lines: tuple[LineResult, ...]
    phases: tuple[PhaseResult, ...]
    income: tuple[IncomeRow, ...]
    approved: Decimal
    final: Decimal
    paid: Decimal
    balance: Decimal
    refund: Decimal
    refund_interest: Decimal
    interim: tuple[InterimProof, ...]
    legal_reference: str

    def _repr_html_(self) -> str:
        from foerdermittel.export.html import proof_html

        return proof_html(self)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return cents(part * 100 / whole) if whole else None


def _lines(
    case: Case, rulebook: Rulebook, counted: list[Expenditure], all_items: list[Expenditure]
) -> list[LineResult]:
    """Plan against actual per line, with the 20 % tolerance of ANBest Nr. 1.2."""
    tolerance = rulebook.line_tolerance
    fixed = case.grant.financing_type is FinancingType.FESTBETRAG
    applies = not fixed or tolerance.applies_to_fixed_amount
    net = case.settings.input_tax_deduction
    actual: dict[str, Decimal] = {}
    total: dict[str, Decimal] = {}
    for item in counted:
        actual[item.line] = actual.get(item.line, ZERO) + eligible_amount(item, net=net)
    for item in all_items:
        total[item.line] = total.get(item.line, ZERO) + item.amount
    results = []
    for line in case.plan.lines:
        planned = line.total
        spent = actual.get(line.id, ZERO)
        allowed: Decimal | None
        if not applies:
            allowed, status = None, "not_applicable"
        elif line.official_condition:
            allowed, status = None, "official_condition" if spent > planned else "within_plan"
        else:
            allowed = planned + cents(planned * tolerance.overrun)
            if spent <= planned:
                status = "within_plan"
            elif spent <= allowed:
                status = "within_tolerance"
            else:
                status = "beyond_tolerance"
        results.append(
            LineResult(
                line=line.id,
                title=line.title,
                phase=line.phase,
                planned=planned,
                actual_total=total.get(line.id, ZERO),
                actual=spent,
                difference=spent - planned,
                difference_pct=_pct(spent - planned, planned),
                allowed=allowed,
                recognised=min(spent, allowed) if allowed is not None else spent,
                status=status,
            )
        )
    return results


def _cover_actual(case: Case, phase: Phase, planned_cover: Decimal) -> tuple[Decimal, str | None]:
    """Third-party and other public money received for the phase (ANBest Nr. 2: cover funds)."""
    if not case.income:
        return planned_cover, "keine Einnahmen erfasst: Deckungsmittel wie geplant angenommen"
    single = len(case.grant.phases) == 1
    source_phase = {s.id: s.phase for s in case.plan.sources}
    received = ZERO
    for income in case.income:
        where = income.phase or (source_phase.get(income.source) if income.source else None)
        if where == phase.id or (where is None and single):
            received += income.amount
    return received, None


def _ineffective_on(case: Case, phase: Phase, submitted: date | None) -> date | None:
    """The day the grant became ineffective to the extent of a refund, per the settings."""
    setting = case.settings.refund_interest_from
    if isinstance(setting, date):
        return setting
    if setting == "proof_submitted":
        return submitted
    return phase.end


def _refund_interest(
    case: Case,
    phase: Phase,
    final: Decimal,
    *,
    as_of: date,
    submitted: date | None,
    points_above_base: Decimal,
) -> tuple[tuple[InterestResult, ...], str | None]:
    """Interest on the overpayment (§ 49a Abs. 3 VwVfG).

    The rate is the Basiszinssatz plus the rulebook's ``interest.points_above_base`` (five
    points under § 49a Abs. 3 VwVfG unless the decision says otherwise).

    Each payout's part above the final grant bears interest from the later of the day the
    grant became ineffective (``settings.refund_interest_from``) and the payout's own day, to
    the repayment (``settings.repaid_on``) or else the key date.
    """
    start = _ineffective_on(case, phase, submitted)
    if start is None:
        return (), "Verwendungsnachweis noch nicht vorgelegt: Beginn der Erstattungszinsen offen"
    end = case.settings.repaid_on or as_of
    payouts = sorted(
        (p for p in case.payouts if p.phase == phase.id and p.paid_on <= as_of),
        key=lambda p: p.paid_on,
    )
    cumulative = ZERO
    results: list[InterestResult] = []
    for payout in payouts:
        before = cumulative
        cumulative += payout.amount
        over = cumulative - max(before, final)
        begin = max(start, payout.paid_on)
        if over <= 0 or end <= begin:
            continue
        try:
            results.append(
                compute_interest(
                    over,
                    begin,
                    end,
                    day_count=parse_day_count(case.settings.day_count),
                    points_above_base=points_above_base,
                    assumed_base_rate=case.settings.assumed_base_rate,
                    base_rate_table=case.settings.base_rate_table(),
                )
            )
        except InterestError as exc:
            return (), str(exc)
    return tuple(results), None


def _phase_result(
    case: Case,
    rulebook: Rulebook,
    financing: Financing,
    phase: Phase,
    lines: list[LineResult],
    *,
    as_of: date,
    submitted: date | None,
    spending: Forecast,
) -> PhaseResult:
    pf = financing.phase(phase.id)
    own = [r for r in lines if r.phase == phase.id]
    running = as_of < phase.end
    if running:
        # the phase runs on: project the final account from the forecast (actual + remaining)
        expected = {lf.line: lf.forecast for lf in spending.lines if lf.phase == phase.id}
        actual = sum((expected.get(r.line, ZERO) for r in own), ZERO)
        summed = sum(
            (
                min(expected.get(r.line, ZERO), r.allowed)
                if r.allowed is not None
                else expected.get(r.line, ZERO)
                for r in own
            ),
            ZERO,
        )
    else:
        actual = sum((r.actual for r in own), ZERO)
        summed = sum((r.recognised for r in own), ZERO)
    fixed = case.grant.financing_type is FinancingType.FESTBETRAG
    recognised = summed if fixed else min(summed, phase.eligible_expenditure)
    cover_planned = pf.third_party + pf.other_public
    cover_actual, note = _cover_actual(case, phase, cover_planned)
    if running:
        projection = "Prognose: die Phase läuft noch; Ist bis zum Stichtag plus Restplanung"
        note = f"{projection}; {note}" if note else projection
    reduction = later_reduction(
        financing_type=case.grant.financing_type,
        approved_grant=pf.grant,
        planned_eligible=phase.eligible_expenditure,
        actual_eligible=recognised,
        planned_cover=cover_planned,
        actual_cover=cover_actual,
        rule=rulebook.reduction,
        rate=pf.rate,
        own_funds_planned=pf.own_funds_planned,
        fixed_amount=phase.fixed,
    )
    paid = sum((p.amount for p in case.payouts if p.phase == phase.id and p.paid_on <= as_of), ZERO)
    balance = reduction.final - paid
    refund = max(ZERO, -balance)
    interest: tuple[InterestResult, ...] = ()
    ineffective = _ineffective_on(case, phase, submitted) if refund > 0 else None
    problem = None
    if refund > 0:
        interest, problem = _refund_interest(
            case,
            phase,
            reduction.final,
            as_of=as_of,
            submitted=submitted,
            points_above_base=rulebook.interest.points_above_base,
        )
    tolerance = rulebook.line_tolerance.source
    steps = (
        Step(
            label="zuwendungsfähige Ausgaben laut Bescheid",
            formula="A_plan",
            value=phase.eligible_expenditure,
            source="Zuwendungsbescheid",
        ),
        Step(
            label=(
                "zuwendungsfähige Ausgaben laut Belegen und Restplanung (Prognose)"
                if running
                else "zuwendungsfähige Ausgaben laut Belegen"
            ),
            formula="Σ Belege (ohne ausgeschlossene)" + (" + Restplanung" if running else ""),
            value=actual,
            source="ANBest Nr. 6",
        ),
        Step(
            label="davon anerkannt",
            formula="Σ min(Ist, Plan + 20 %) je Ansatz, höchstens A_plan",
            value=recognised,
            source=tolerance,
        ),
        Step(
            label="Deckungsmittel (Dritte, andere öffentliche) geplant / erhalten",
            formula="D_plan → D_ist",
            value=cover_actual,
            source="ANBest Nr. 2.1",
        ),
        Step(
            label="Zuwendung laut Bescheid",
            formula="Z",
            value=pf.grant,
            source="Zuwendungsbescheid",
        ),
        Step(
            label="Zuwendung nach Abrechnung",
            formula=_formula(case.grant.financing_type),
            value=reduction.final,
            source=reduction.legal_reference,
        ),
        Step(label="ausgezahlt", formula="Σ Auszahlungen", value=paid, source="Auszahlungen"),
        Step(
            label="Saldo (+ noch auszuzahlen / − zu erstatten)",
            formula="Z_ist − ausgezahlt",
            value=balance,
            source="§ 49a Abs. 1 VwVfG; ANBest Nr. 8",
        ),
    )
    return PhaseResult(
        phase=phase.id,
        planned=phase.eligible_expenditure,
        actual=actual,
        recognised=recognised,
        cover_planned=cover_planned,
        cover_actual=cover_actual,
        reduction=reduction,
        paid=paid,
        balance=balance,
        refund=refund,
        refund_interest=interest,
        projected=running,
        interest_problem=problem,
        ineffective_on=ineffective,
        steps=steps,
        note=note,
    )


def _formula(kind: FinancingType) -> str:
    return {
        FinancingType.ANTEIL: "min(Z, q × (A_ist − D_neu)), wenn Änderung > 500 €",
        FinancingType.FEHLBEDARF: "min(Z, A_ist − E_plan − D_ist), wenn Änderung > 500 €",
        FinancingType.FESTBETRAG: "F, höchstens A_ist",
        FinancingType.VOLL: "min(Z, A_ist − D_ist)",
    }[kind]


def _interim(
    case: Case,
    financing: Financing,
    counted: list[Expenditure],
    as_of: date,
) -> tuple[InterimProof, ...]:
    """Zwischennachweise per budget year in the federal (profi) layout."""
    net = case.settings.input_tax_deduction
    if not counted:
        return ()
    years = range(min(e.paid_on.year for e in counted), as_of.year + 1)
    eligible = financing.eligible_expenditure
    own_plan = sum((p.own_funds_planned for p in financing.phases), ZERO)
    cover_plan = financing.third_party + financing.other_public
    planned_ids = {s.id for s in case.plan.sources}
    results: list[InterimProof] = []
    balance = ZERO
    by_line_year: dict[tuple[str, int], Decimal] = {}
    for item in counted:
        key = (item.line, item.paid_on.year)
        by_line_year[key] = by_line_year.get(key, ZERO) + eligible_amount(item, net=net)
    before_by_line = {line.id: ZERO for line in case.plan.lines}
    for year in years:
        rows = []
        for line in case.plan.lines:
            before = before_by_line[line.id]
            this = by_line_year.get((line.id, year), ZERO)
            before_by_line[line.id] = before + this
            rows.append(
                InterimRow(
                    line=line.id,
                    title=line.title,
                    before=before,
                    year=this,
                    cumulative=before + this,
                    plan=line.total,
                )
            )
        spent = sum((r.year for r in rows), ZERO)
        own = cents(own_plan * spent / eligible) if eligible else ZERO
        third = cents(cover_plan * spent / eligible) if eligible else ZERO
        extra = sum(
            (
                i.amount
                for i in case.income
                if i.received_on.year == year and (i.source is None or i.source not in planned_ids)
            ),
            ZERO,
        )
        if case.grant.financing_type is FinancingType.ANTEIL and eligible:
            extra_share = floor_cents(financing.grant * extra / eligible)
        else:
            extra_share = extra
        federal = spent - own - third - extra_share
        payments = sum((p.amount for p in case.payouts if p.paid_on.year == year), ZERO)
        received = payments + balance
        balance = received - federal
        results.append(
            InterimProof(
                year=year,
                rows=tuple(rows),
                expenditure=spent,
                own_funds=own,
                third_party=third,
                additional_third_party=extra,
                additional_federal_share=extra_share,
                federal_share=federal,
                federal_payments=received,
                cash_balance=balance,
            )
        )
    return tuple(results)


def proof_of_use(
    case: Case,
    rulebook: Rulebook,
    financing: Financing,
    *,
    as_of: date,
    spending: Forecast,
    proof_submitted: dict[str, date] | None = None,
) -> tuple[ProofOfUse, tuple[Finding, ...]]:
    """The figures of the proof of use for the (amended) case on the key date, with findings.

    References:
        ANBest-Gk / ANBest-P Nr. 1.2 (line tolerance), Nr. 2 (reduction), Nr. 6 (proof of use),
        Nr. 8 and § 49a VwVfG (refund and interest); grant-law notes §7 (federal layouts).
    """
    counted, excluded, later = check_vouchers(case, as_of)
    legal = "ANBest Nr. 1.2, 2, 6, 8; § 49a VwVfG"
    if not case.expenditures:
        empty = ProofOfUse(
            evaluated=False,
            as_of=as_of,
            vouchers=(),
            excluded=(),
            after_key_date=(0, ZERO),
            lines=(),
            phases=(),
            income=(),
            approved=financing.grant,
            final=financing.grant,
            paid=ZERO,
            balance=ZERO,
            refund=ZERO,
            refund_interest=ZERO,
            interim=(),
            legal_reference=legal,
        )
        return empty, ()
    all_items = [e for e in case.expenditures if e.paid_on <= as_of]
    lines = _lines(case, rulebook, counted, all_items)
    submitted = proof_submitted or {}
    phases = tuple(
        _phase_result(
            case,
            rulebook,
            financing,
            phase,
            lines,
            as_of=as_of,
            submitted=submitted.get(phase.id),
            spending=spending,
        )
        for phase in case.grant.phases
    )
    final = sum((p.reduction.final for p in phases), ZERO)
    paid = sum((p.paid for p in phases), ZERO)
    third_actual = sum((p.cover_actual for p in phases), ZERO)
    recognised = sum((p.recognised for p in phases), ZERO)
    planned_total = financing.eligible_expenditure
    own_actual = recognised - final - third_actual
    income = (
        IncomeRow(
            label="Eigenanteil",
            planned=financing.own_share,
            planned_pct=_pct(financing.own_share, planned_total),
            actual=own_actual,
            actual_pct=_pct(own_actual, recognised),
        ),
        IncomeRow(
            label="Drittmittel und andere öffentliche Förderung",
            planned=financing.third_party + financing.other_public,
            planned_pct=_pct(financing.third_party + financing.other_public, planned_total),
            actual=third_actual,
            actual_pct=_pct(third_actual, recognised),
        ),
        IncomeRow(
            label="Zuwendung (diese Förderung)",
            planned=financing.grant,
            planned_pct=_pct(financing.grant, planned_total),
            actual=final,
            actual_pct=_pct(final, recognised),
        ),
    )
    result = ProofOfUse(
        evaluated=True,
        as_of=as_of,
        vouchers=tuple(counted),
        excluded=tuple(excluded),
        after_key_date=later,
        lines=tuple(lines),
        phases=phases,
        income=income,
        approved=financing.grant,
        final=final,
        paid=paid,
        balance=final - paid,
        refund=sum((p.refund for p in phases), ZERO),
        refund_interest=sum((r.interest for p in phases for r in p.refund_interest), ZERO),
        interim=_interim(case, financing, counted, as_of),
        legal_reference=legal,
    )
    return result, tuple(_findings(result, rulebook))


_CHECKS = {
    "outside-period": "außerhalb des Bewilligungszeitraums",
    "duplicate-voucher": "doppelt erfasst",
    "sign": "mit unpassendem Vorzeichen",
    "net-missing": "ohne Nettobetrag",
}


def _findings(result: ProofOfUse, rulebook: Rulebook) -> list[Finding]:
    out: list[Finding] = []
    tolerance = rulebook.line_tolerance
    for code, label in _CHECKS.items():
        items = [e for e in result.excluded if e.code == code]
        if not items:
            continue
        shown = ", ".join(
            f"{e.voucher} ({e.origin or fmt.date(e.paid_on)}, {fmt.money(e.amount)})"
            for e in items[:10]
        )
        more = f" und {len(items) - 10} weitere" if len(items) > 10 else ""
        counted = " (gezählt, bitte prüfen)" if items[0].counted else " (nicht gezählt)"
        out.append(
            Finding(
                code=f"voucher-{code}",
                severity=Severity.WARNING,
                message=f"{len(items)} Beleg(e) {label}{counted}: {shown}{more}",
                legal_reference="ANBest Nr. 6 (Nachweis), Nr. 1.1 (Bewilligungszeitraum)",
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
                        + (f", Zinsen bisher {fmt.money(interest)}" if interest else "")
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
                        severity=Severity.WARNING,
                        message=(f"Erstattungszinsen nicht berechenbar — {phase.interest_problem}"),
                        legal_reference="§ 49a Abs. 3 VwVfG",
                        subject=subject,
                    )
                )
        elif phase.balance > 0 and phase.paid > 0:
            out.append(
                Finding(
                    code="final-instalment-due",
                    severity=Severity.INFO,
                    message=(f"nach Abrechnung noch auszuzahlen {fmt.money(phase.balance)}"),
                    legal_reference="ANBest Nr. 1, 6",
                    subject=subject,
                )
            )
    return out
