"""Orchestration: case in, report out. No rule lives here."""

from __future__ import annotations

from datetime import date

from foerdermittel._collector import collector_paused
from foerdermittel.deadlines import (
    check_amendments,
    check_deadlines,
    derive_deadlines,
    holiday_calendar,
)
from foerdermittel.drawdowns import monthly_flows, plan_drawdowns
from foerdermittel.errors import Severity
from foerdermittel.financing import check_financing, compute_financing
from foerdermittel.flat_rates import check_flat_rates
from foerdermittel.forecasting import forecast
from foerdermittel.frozen import built
from foerdermittel.late_use import late_use_interest
from foerdermittel.limit_checks import check_limits
from foerdermittel.model.case import Case
from foerdermittel.own_share_plan import check_own_share, own_share
from foerdermittel.proof import proof_of_use
from foerdermittel.reconciliation import reconcile, reconciliation_findings
from foerdermittel.report import Report

__all__ = ["evaluate"]

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def evaluate(case: Case, as_of: date | None = None, *, due_soon_days: int | None = None) -> Report:
    """Evaluate a case on a key date (Stichtag): financing, deadlines and findings.

    The grant is evaluated as its amendments leave it; deadlines also show the date under
    the original decision where an amendment moved them.

    Args:
        case: the case, as loaded by [`load_case`][foerdermittel.io.case_file.load_case] or
            built in Python.
        as_of: the key date; today when not given.
        due_soon_days: warning period for "due soon"; the case's setting when not given.

    Raises:
        CalendarError: a deadline falls in a year without holiday data.

    Returns:
        The evaluated case as a [`Report`][foerdermittel.report.Report].

    Examples:
        >>> from foerdermittel import load_case
        >>> report = evaluate(load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
        >>> str(report.financing.grant), report.has_errors
        ('9880000.00', False)
    """
    with collector_paused():
        return _evaluate(case, as_of, due_soon_days)


def _evaluate(case: Case, as_of: date | None, due_soon_days: int | None) -> Report:
    key_date = as_of if as_of is not None else date.today()
    rulebook, overrides = case.rulebook()
    amended = case.amended()
    financing = compute_financing(amended)
    deadlines = derive_deadlines(
        case, rulebook, as_of=key_date, due_soon_days=due_soon_days, amended=amended
    )
    spending = forecast(amended, key_date)
    proofs = [d for d in deadlines if d.kind == "proof_of_use"]
    proof_dates = {d.phase: d.submitted_on or d.end for d in proofs if d.phase is not None}
    submitted = {
        d.phase: d.submitted_on
        for d in proofs
        if d.phase is not None and d.submitted_on is not None
    }
    proof, proof_findings = proof_of_use(
        amended,
        rulebook,
        financing,
        as_of=key_date,
        spending=spending,
        proof_submitted=submitted,
        decided=case,
    )
    drawdowns, drawdown_findings = plan_drawdowns(
        amended,
        rulebook,
        financing,
        spending,
        as_of=key_date,
        calendar=holiday_calendar(case),
        proof_dates=proof_dates,
        final_grants={
            p.phase: p.reduction.final for p in proof.phases if proof.evaluated and not p.projected
        },
    )
    shares = own_share(amended, financing, spending, drawdowns)
    interest, interest_findings = late_use_interest(
        amended,
        rulebook,
        financing,
        as_of=key_date,
        calendar=holiday_calendar(case),
        refund_from={
            p.phase: p.ineffective_on for p in proof.phases if p.ineffective_on is not None
        },
    )
    reconciliation = reconcile(
        amended,
        financing=financing,
        forecast=spending,
        drawdowns=drawdowns,
        own_share=shares,
        proof_of_use=proof,
        interest=interest,
    )
    findings = (
        *check_financing(amended, rulebook, financing, decided=case),
        *check_limits(amended, rulebook, financing, proof),
        *check_flat_rates(amended, rulebook),
        *check_amendments(case, rulebook),
        *check_deadlines(case, deadlines),
        *drawdown_findings,
        *check_own_share(shares),
        *interest_findings,
        *proof_findings,
        *reconciliation_findings(reconciliation),
    )
    # every part is a result built here or a part of the validated case: not validated again
    return built(
        Report,
        {
            "title": case.title,
            "as_of": key_date,
            "grant": amended.grant,
            "plan": amended.plan,
            "original_grant": case.grant if case.amendments else None,
            "amendments": case.ordered_amendments(),
            "rulebook": rulebook,
            "overrides": tuple(overrides),
            "financing": financing,
            "deadlines": tuple(deadlines),
            "forecast": spending,
            "drawdowns": drawdowns,
            "flows": monthly_flows(spending, drawdowns),
            "own_share": shares,
            "interest": interest,
            "proof_of_use": proof,
            "reconciliation": reconciliation,
            "findings": tuple(sorted(findings, key=lambda f: _ORDER[f.severity])),
            "income": tuple(case.income),
        },
    )
