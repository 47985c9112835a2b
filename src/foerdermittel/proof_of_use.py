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
from foerdermittel.views import Viewable
from foerdermittel.vouchers import ExcludedVoucher, check_vouchers, eligible_amount

__all__ = [
    "IncomeRow",
    "InterimProof",
    "InterimRow",
    "LineResult",
    "PhaseResult",
    "ProofOfUse",
    "Step",
    "VoucherTotals",
    "proof_of_use",
    "voucher_totals",
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
        actual_total: the vouchers of the line that count, up to the key date, gross ("Ist
            insgesamt"); a voucher that
            [`check_vouchers`][foerdermittel.vouchers.check_vouchers] excludes (a second entry
            of a voucher number, paid outside the approval period, no net amount) is in
            ``excluded`` instead.
        excluded: the vouchers of the line paid up to the key date that do not count, gross.
        actual: the eligible amounts of the vouchers that count (net where input tax is
            deductible, ANBest-Gk Nr. 6.4); booked, never a projection.
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
    excluded: Decimal = ZERO

    @property
    def status_german(self) -> str:
        """The status as the proof of use shows it."""
        return _LINE_STATUS.get(self.status, self.status)


class PhaseResult(_Frozen):
    """The final account of one phase.

    Attributes:
        phase: the phase.
        planned: eligible expenditure per decision (A).
        actual: eligible expenditure of the final account: the vouchers that count (Σ of the
            lines) — while the phase runs (``projected``), the forecast: booked plus the
            remaining plan.
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
        interest_problem: why the refund interest could not be computed, if so; the phase's
            ``refund_interest`` is then empty and the figure missing (an error finding
            ``interest-not-computed`` says so), never zero.
        ineffective_on: the day the grant became ineffective to the extent of the refund
            (from ``settings.refund_interest_from``), where there is a refund and it is known.
        steps: how the figures came about.
        note: remarks (assumptions made).
        booked: eligible expenditure booked up to the key date (Σ of the lines' ``actual``),
            never a projection; equals ``actual`` once the phase has ended.
        grant_booked: the grant in the income block "laut Abrechnung": the final grant
            (``reduction.final``) once the phase has ended, the payouts up to the key date
            while it runs.
        cover_booked: third-party and other public money in the income block "laut
            Abrechnung": ``cover_actual`` once the phase has ended, the income received up to
            the key date while it runs.
        own_booked: own funds in the income block "laut Abrechnung": ``booked −
            grant_booked − cover_booked`` (negative: grant paid out and not yet spent).
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
    booked: Decimal = ZERO
    grant_booked: Decimal = ZERO
    cover_booked: Decimal = ZERO
    own_booked: Decimal = ZERO


class IncomeRow(_Frozen):
    """A row of the income block (Einnahmen): per decision and per account, € and % of the total.

    The rows "laut Abrechnung" (``actual``) finance the expenditure block "laut Abrechnung" —
    the eligible amounts of the vouchers that count, booked up to the key date — and add up to
    it (the Deckung, Muster zu VV Nr. 10.1 zu § 44 BHO; ANBest-Gk Nr. 6.4: all income and
    expenditure by the structure of the financing plan): the grant per account
    (``PhaseResult.grant_booked``), third-party money (``cover_booked``), own funds the rest
    (``own_booked``). Never a projection; the projected final grant is in the payment block.

    Attributes:
        label: the row, in German.
        planned: per decision.
        planned_pct: in percent of the eligible expenditure per decision.
        actual: per account, booked (see above).
        actual_pct: in percent of the expenditure per account.
    """

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


class VoucherTotals(_Frozen):
    """Summen der Belegliste — the voucher totals a reconciliation (Abstimmung) checks.

    Amounts are gross (the ``amount`` of each voucher). They add up by construction of
    [`check_vouchers`][foerdermittel.vouchers.check_vouchers]:
    ``listed = counted + excluded`` and ``recorded = listed + after_key_date``; the lines of the
    proof of use add up to them: Σ ``LineResult.actual_total`` = ``counted``, Σ
    ``LineResult.excluded`` = ``excluded``, Σ ``LineResult.actual`` = ``counted_eligible``.

    Attributes:
        listed: the Belegliste: every voucher paid up to the key date, those that do not count
            included.
        listed_count: their number.
        counted: the vouchers that count (those counted with a reservation included).
        counted_count: their number.
        counted_eligible: their eligible amounts (net where input tax is deductible).
        excluded: the vouchers paid up to the key date that do not count.
        excluded_count: their number.
        after_key_date: the vouchers paid after the key date (left out).
        after_key_date_count: their number.
        recorded: every voucher of the case, whatever its date.
        income_recorded: every income entry of the case (a ledger's control sum covers them
            too).
        control_sum: the control sum of the ledger the vouchers were read from
            ([`Ledger.control_sum`][foerdermittel.io.ledger.Ledger], all amount cells of the
            file), where the caller knows it; ``None`` otherwise — the case keeps no control
            sum once its ledger is attached. When every voucher and income entry of the case
            came from that ledger, it equals ``recorded + income_recorded``.
    """

    listed: Decimal
    listed_count: int
    counted: Decimal
    counted_count: int
    counted_eligible: Decimal
    excluded: Decimal
    excluded_count: int
    after_key_date: Decimal
    after_key_date_count: int
    recorded: Decimal
    income_recorded: Decimal
    control_sum: Decimal | None = None


def _voucher_totals(
    case: Case,
    counted: list[Expenditure],
    excluded: list[ExcludedVoucher],
    later: tuple[int, Decimal],
    control_sum: Decimal | None,
) -> VoucherTotals:
    net = case.settings.input_tax_deduction
    left_out = [e for e in excluded if not e.counted]
    counted_sum = sum((e.amount for e in counted), ZERO)
    excluded_sum = sum((e.amount for e in left_out), ZERO)
    later_count, later_sum = later
    return VoucherTotals(
        listed=counted_sum + excluded_sum,
        listed_count=len(counted) + len(left_out),
        counted=counted_sum,
        counted_count=len(counted),
        counted_eligible=sum((eligible_amount(e, net=net) for e in counted), ZERO),
        excluded=excluded_sum,
        excluded_count=len(left_out),
        after_key_date=later_sum,
        after_key_date_count=later_count,
        recorded=sum((e.amount for e in case.expenditures), ZERO),
        income_recorded=sum((i.amount for i in case.income), ZERO),
        control_sum=control_sum,
    )


def voucher_totals(case: Case, as_of: date, *, control_sum: Decimal | None = None) -> VoucherTotals:
    """The totals of the Belegliste on the key date, for a reconciliation.

    The same checks as the proof of use ([`check_vouchers`][foerdermittel.vouchers.check_vouchers],
    ANBest Nr. 6 with Nr. 1.1): a voucher counts, is excluded, or was paid after the key date.
    The approval periods are those the amendments leave (``case.amended()``, as
    [`evaluate`][foerdermittel.evaluate.evaluate] applies them).

    Args:
        case: the case (amended or not).
        as_of: the key date.
        control_sum: the control sum of the case's ledger, if known
            ([`Ledger.control_sum`][foerdermittel.io.ledger.Ledger]).

    Examples:
        >>> from decimal import Decimal
        >>> from foerdermittel.model.case import Case
        >>> case = Case.from_data({
        ...     "grant": {"id": "T", "funder": "Bund", "recipient": "Stadt", "land": "NW",
        ...               "rulebook": "anbest-gk-2019", "decision_date": "2023-12-01",
        ...               "financing_type": "vollfinanzierung",
        ...               "phases": [{"id": "P", "title": "Projekt", "start": "2024-01-01",
        ...                           "end": "2024-12-31", "eligible_expenditure": "1000.00"}]},
        ...     "plan": {"lines": [{"id": "L", "title": "Ansatz", "phase": "P",
        ...                         "category": "material", "amounts": {"2024": "1000.00"}}]},
        ...     "expenditures": [
        ...         {"id": "B1", "line": "L", "paid_on": "2024-03-01", "amount": "300.00",
        ...          "origin": "belege.csv:2"},
        ...         {"id": "B1", "line": "L", "paid_on": "2024-03-01", "amount": "300.00",
        ...          "origin": "belege.csv:3"},
        ...         {"id": "B2", "line": "L", "paid_on": "2024-09-01", "amount": "200.00",
        ...          "origin": "belege.csv:4"}]})
        >>> t = voucher_totals(case, date(2024, 6, 30))
        >>> t.listed, t.counted, t.excluded, t.after_key_date
        (Decimal('600.00'), Decimal('300.00'), Decimal('300.00'), Decimal('200.00'))
    """
    amended = case.amended()
    counted, excluded, later = check_vouchers(amended, as_of)
    return _voucher_totals(amended, counted, excluded, later, control_sum)


class ProofOfUse(_Frozen, Viewable):
    """Verwendungsnachweis — the figures, and what the final grant will be.

    Attributes:
        evaluated: whether vouchers are recorded (without them there is nothing to prove).
        as_of: the key date.
        vouchers: the eligible vouchers in date order (Belegliste).
        excluded: vouchers that do not count, or count with a reservation.
        after_key_date: number and sum of vouchers paid after the key date (left out).
        lines: plan against actual per line.
        phases: the final account per phase.
        income: the income block; "laut Abrechnung" it adds up to the expenditure block's
            Σ ``LineResult.actual`` (booked, see
            [`IncomeRow`][foerdermittel.proof_of_use.IncomeRow]).
        approved: payment block: the grant as approved (sum over phases).
        final: payment block: the final grant (sum over phases); a projection for each phase
            that still runs (``PhaseResult.projected``).
        paid: payment block: payouts recorded (sum over phases).
        balance: payment block: final − paid (sum over phases); projected where ``final`` is.
        refund: refunds (sum over phases).
        refund_interest: the interest on the refunds (sum over phases); incomplete where
            ``refund_interest_complete`` is false.
        interim: the interim proof per budget year.
        legal_reference: the rules.
        projected: some phase runs on after the key date, so ``final`` and ``balance`` hold a
            projection (the phases say which).
        totals: the totals of the Belegliste, for a reconciliation
            ([`VoucherTotals`][foerdermittel.proof_of_use.VoucherTotals]).
        refund_interest_complete: every phase's refund interest could be computed; when
            false, ``refund_interest`` lacks a figure (the phases' ``interest_problem`` say
            which and why) and renderers show "nicht berechenbar" instead of an amount.
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
    projected: bool = False
    totals: VoucherTotals | None = None
    refund_interest_complete: bool = True


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return cents(part * 100 / whole) if whole else None


def _lines(
    case: Case,
    rulebook: Rulebook,
    counted: list[Expenditure],
    excluded: list[ExcludedVoucher],
) -> list[LineResult]:
    """Plan against actual per line, with the 20 % tolerance of ANBest Nr. 1.2.

    "Ist insgesamt" (``actual_total``) is the gross sum of the vouchers that count; those that
    do not count are summed apart (``excluded``), so that the lines add up to the Belegliste:
    Σ actual_total = counted, Σ excluded = not counted.
    """
    tolerance = rulebook.line_tolerance
    fixed = case.grant.financing_type is FinancingType.FESTBETRAG
    applies = not fixed or tolerance.applies_to_fixed_amount
    net = case.settings.input_tax_deduction
    actual: dict[str, Decimal] = {}
    total: dict[str, Decimal] = {}
    left_out: dict[str, Decimal] = {}
    for item in counted:
        actual[item.line] = actual.get(item.line, ZERO) + eligible_amount(item, net=net)
        total[item.line] = total.get(item.line, ZERO) + item.amount
    for voucher in excluded:
        if not voucher.counted:
            left_out[voucher.line] = left_out.get(voucher.line, ZERO) + voucher.amount
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
                excluded=left_out.get(line.id, ZERO),
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


def _cover_received(case: Case, phase: Phase, as_of: date) -> Decimal:
    """Third-party and other public money for the phase received up to the key date (booked)."""
    single = len(case.grant.phases) == 1
    source_phase = {s.id: s.phase for s in case.plan.sources}
    received = ZERO
    for income in case.income:
        if income.received_on > as_of:
            continue
        where = income.phase or (source_phase.get(income.source) if income.source else None)
        if where == phase.id or (where is None and single):
            received += income.amount
    return received


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
        # refund_interest_from = proof_submitted and no proof yet: no interest runs so far
        return (), None
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
    # the income block "laut Abrechnung": the money that financed the booked expenditure
    booked = sum((r.actual for r in own), ZERO)
    if running:
        grant_booked, cover_booked = paid, _cover_received(case, phase, as_of)
    else:
        grant_booked, cover_booked = reduction.final, cover_actual
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
        booked=booked,
        grant_booked=grant_booked,
        cover_booked=cover_booked,
        own_booked=booked - grant_booked - cover_booked,
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
    control_sum: Decimal | None = None,
) -> tuple[ProofOfUse, tuple[Finding, ...]]:
    """The figures of the proof of use for the (amended) case on the key date, with findings.

    Income and expenditure blocks show what is booked up to the key date and add up to each
    other (the Deckung); the payment block shows the final account, projected from the forecast
    for a phase that still runs (``PhaseResult.projected``, ``ProofOfUse.projected``).

    Args:
        case: the (amended) case.
        rulebook: its rulebook.
        financing: its financing.
        as_of: the key date.
        spending: the forecast, for the projection of running phases.
        proof_submitted: the day each phase's proof of use was submitted, if it was.
        control_sum: the control sum of the case's ledger, if known; it goes into
            ``ProofOfUse.totals``.

    References:
        ANBest-Gk / ANBest-P Nr. 1.2 (line tolerance), Nr. 2 (reduction), Nr. 6 (proof of use),
        Nr. 8 and § 49a VwVfG (refund and interest); grant-law notes §7 (federal layouts).
    """
    counted, excluded, later = check_vouchers(case, as_of)
    totals = _voucher_totals(case, counted, excluded, later, control_sum)
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
            totals=totals,
        )
        return empty, ()
    lines = _lines(case, rulebook, counted, excluded)
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
    planned_total = financing.eligible_expenditure
    booked = sum((p.booked for p in phases), ZERO)
    own_booked = sum((p.own_booked for p in phases), ZERO)
    cover_booked = sum((p.cover_booked for p in phases), ZERO)
    grant_booked = sum((p.grant_booked for p in phases), ZERO)
    income = (
        IncomeRow(
            label="Eigenanteil",
            planned=financing.own_share,
            planned_pct=_pct(financing.own_share, planned_total),
            actual=own_booked,
            actual_pct=_pct(own_booked, booked),
        ),
        IncomeRow(
            label="Drittmittel und andere öffentliche Förderung",
            planned=financing.third_party + financing.other_public,
            planned_pct=_pct(financing.third_party + financing.other_public, planned_total),
            actual=cover_booked,
            actual_pct=_pct(cover_booked, booked),
        ),
        IncomeRow(
            label="Zuwendung (diese Förderung)",
            planned=financing.grant,
            planned_pct=_pct(financing.grant, planned_total),
            actual=grant_booked,
            actual_pct=_pct(grant_booked, booked),
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
        projected=any(p.projected for p in phases),
        totals=totals,
        refund_interest_complete=all(p.interest_problem is None for p in phases),
    )
    return result, tuple(_findings(result, rulebook))


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
