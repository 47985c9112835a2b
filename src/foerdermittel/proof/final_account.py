"""The final account of a phase: the later reduction, the refund and its interest.

The recognised expenditure of the phase (the lines within their limits, at most the plan's
total; projected from the forecast while the phase runs) goes through ANBest Nr. 2
([`later_reduction`][foerdermittel.financing.later_reduction], with the 500 € threshold) and
is compared with what was paid out: the final instalment still due, or the refund — with
interest under § 49a Abs. 3 VwVfG from the day the grant became ineffective (a setting) or the
later payout that made the overpayment.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foerdermittel.financing import Financing, later_reduction
from foerdermittel.flat_rates import flat_rate_amount
from foerdermittel.forecasting import Forecast
from foerdermittel.interest import InterestError, InterestResult, compute_interest, parse_day_count
from foerdermittel.message_types import NOTHING, Message
from foerdermittel.model.case import Case
from foerdermittel.model.grant import FinancingType, Phase
from foerdermittel.model.records import Income
from foerdermittel.money import ZERO
from foerdermittel.proof.results import LineResult, PhaseResult, Step
from foerdermittel.rules.model import ReductionRule, Rulebook

__all__ = ["cover_income"]


def _cover_actual(case: Case, phase: Phase, planned_cover: Decimal) -> tuple[Decimal, Message]:
    """Third-party and other public money received for the phase (ANBest Nr. 2: cover funds).

    Without any cover income recorded the plan is assumed, and the remark says so. Own funds
    booked as income (kind ``own_funds``) are no cover funds.
    """
    cover = cover_income(case)
    if not cover:
        return planned_cover, Message.of("proof.remark.cover-assumed")
    single = len(case.grant.phases) == 1
    source_phase = {s.id: s.phase for s in case.plan.sources}
    received = ZERO
    for income in cover:
        where = income.phase or (source_phase.get(income.source) if income.source else None)
        if where == phase.id or (where is None and single):
            received += income.amount
    return received, NOTHING


def _cover_received(case: Case, phase: Phase, as_of: date) -> Decimal:
    """Third-party and other public money for the phase received up to the key date (booked)."""
    single = len(case.grant.phases) == 1
    source_phase = {s.id: s.phase for s in case.plan.sources}
    received = ZERO
    for income in cover_income(case):
        if income.received_on > as_of:
            continue
        where = income.phase or (source_phase.get(income.source) if income.source else None)
        if where == phase.id or (where is None and single):
            received += income.amount
    return received


def cover_income(case: Case) -> tuple[Income, ...]:
    """The income entries that are cover funds (ANBest Nr. 2): every kind but ``own_funds``."""
    return tuple(i for i in case.income if i.kind != "own_funds")


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
        for r in own:
            if r.flat_rate is not None:
                # a flat rate follows its base: rate × the base's projection, not its own plan
                flat = r.flat_rate.flat
                base = sum((expected.get(b, ZERO) for b in flat.base_lines), ZERO)
                expected[r.line] = flat_rate_amount(flat.rate, base)
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
    cover_actual, remark = _cover_actual(case, phase, cover_planned)
    if running:
        projection = Message.of("proof.remark.projection")
        remark = (
            Message.of("proof.remark.both", first=projection, second=remark)
            if remark.key
            else projection
        )
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
    tolerance = rulebook.line_tolerance
    booked_step = "eligible-projected" if running else "eligible-actual"
    steps = (
        _step("eligible-planned", phase.eligible_expenditure, "Zuwendungsbescheid"),
        _step(booked_step, actual, "ANBest Nr. 6"),
        _step(
            "recognised",
            recognised,
            tolerance.source,
            how=Message.of("proof.formula.recognised", tolerance=_plain(tolerance.overrun * 100)),
        ),
        _step("cover", cover_actual, "ANBest Nr. 2.1"),
        _step("grant-approved", pf.grant, "Zuwendungsbescheid"),
        _step(
            "grant-final",
            reduction.final,
            reduction.legal_reference,
            how=_formula(case.grant.financing_type, rulebook.reduction),
        ),
        _step("paid", paid, "Auszahlungen"),
        _step("balance", balance, "§ 49a Abs. 1 VwVfG; ANBest Nr. 8"),
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
        remark=remark,
        booked=booked,
        grant_booked=grant_booked,
        cover_booked=cover_booked,
        own_booked=booked - grant_booked - cover_booked,
    )


def _step(name: str, value: Decimal, source: str, *, how: Message | None = None) -> Step:
    """A step: label ``proof.step.<name>``, formula ``how`` or ``proof.formula.<name>``."""
    return Step(
        what=Message.of(f"proof.step.{name}"),
        how=how or Message.of(f"proof.formula.{name}"),
        value=value,
        source=source,
    )


def _plain(value: Decimal) -> Decimal:
    """A figure without trailing zeros and without an exponent (``20.00`` → ``20``)."""
    whole = value.to_integral_value()
    return whole if value == whole else value.normalize()


def _formula(kind: FinancingType, rule: ReductionRule) -> Message:
    """The formula of the final grant, with the threshold of ANBest Nr. 2.2 from the rulebook."""
    name = {
        FinancingType.ANTEIL: "anteil",
        FinancingType.FEHLBEDARF: "fehlbedarf",
        FinancingType.FESTBETRAG: "festbetrag",
        FinancingType.VOLL: "voll",
    }[kind]
    if kind in (FinancingType.ANTEIL, FinancingType.FEHLBEDARF):
        return Message.of(f"proof.formula.grant-final-{name}", threshold=rule.threshold)
    return Message.of(f"proof.formula.grant-final-{name}")
