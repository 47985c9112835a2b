"""Scenarios across the portfolio: compare and sweep, by the city's own share per budget year.

The example portfolio on 30.06.2025 (see tests/test_portfolio.py for the baseline figures).
"All projects slip six months" (every open phase extended by six months, its open spending
moved six months) moves own share between years but keeps each grant's total:

    own share total        6.643.800,00 € before and after
    (MPSC 5.313.000,00 + KfW 432 67.500,00 + Städtebauförderung 1.200.000,00 + EFRE 63.300,00)
    2025: 2.067.585,32 -> 1.028.760,74  (−1.038.824,58)
    2026:   976.361,44 -> 1.644.233,82  (+  667.872,38)
    2027:         0,00 ->   370.952,20  (+  370.952,20)
    −1.038.824,58 + 667.872,38 + 370.952,20 = 0,00

The Haushaltsplan 2025 (1.950.000,00 €) is then no longer exceeded; the Finanzplanung 2026
(1.000.000,00 €) is, by 644.233,82 €, and 2027 (50.000,00 €) by 320.952,20 €.

EFRE's flat-rate line V-3 (15 % of its own staff V-1) has no vouchers: what it has spent up to
the ledger's cut-off (31.05.2025) is the rate times V-1's spending, and the slip moves only its
open rest. (Had the booked part been lost, EFRE's own share would fall by 3.075,00 € — the
property below catches any such loss.)
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foerdermittel.errors import NotFoundError
from foerdermittel.message_types import words
from foerdermittel.model.scenario import Scenario, ShiftLine
from foerdermittel.portfolio import (
    Portfolio,
    PortfolioEvaluationError,
    PortfolioGrant,
    evaluate_portfolio,
    load_portfolio,
)
from foerdermittel.portfolio import scenarios as portfolio_scenarios
from foerdermittel.portfolio.scenarios import (
    PortfolioComparisonRow,
    PortfolioScenario,
    compare_portfolio,
    slip,
    slip_steps,
    sweep_portfolio,
)
from foerdermittel.scenarios import progress

AS_OF = date(2025, 6, 30)
MPSC = "MPSC-2021-BO (illustrativ)"
KFW = "KfW-432-2023-BO (illustrativ)"
SF = "35.02-SF-2024-BO-009 (illustrativ)"
EFRE = "EFRE-0400456 (illustrativ)"
D = Decimal


@cache
def _portfolio() -> Portfolio:
    return load_portfolio("examples/portfolio/portfolio.toml")


@cache
def _slipped() -> Any:
    return compare_portfolio(_portfolio(), [slip(6)], as_of=AS_OF)


def test_baseline_row_is_evaluate_portfolios_figures() -> None:
    report = evaluate_portfolio(_portfolio(), AS_OF)
    row = _slipped().rows[0]
    assert words(row.label) == "Ausgangslage"
    assert row.changed == ()
    assert row.own_share_by_year == report.own_share_by_year
    assert row.own_share_by_year[2025] == D("2067585.32")
    assert row.excess_by_year == {y.year: y.excess for y in report.years if y.excess > 0}
    assert row.excess_by_year[2025] == D("117585.32")
    peak = max(report.prefinancing, key=lambda m: m.total)
    assert (row.max_prefinanced, row.max_prefinanced_month) == (peak.total, peak.month)
    errors = sum(1 for f in report.findings if f.severity == "error") + sum(
        1 for r in report.reports.values() for f in r.findings if f.severity == "error"
    )
    assert row.errors == errors
    assert row.reconciled
    assert row == PortfolioComparisonRow.from_report(report, label=row.label)


def test_six_months_slip_moves_own_share_between_years_and_keeps_totals() -> None:
    base, slipped = _slipped().rows
    assert words(slipped.label) == "Verzug 6 Monate"
    assert slipped.changed == (MPSC, KFW, SF, EFRE)
    assert base.own_share == slipped.own_share == D("6643800.00")
    assert (
        base.own_share_by_grant
        == slipped.own_share_by_grant
        == {
            MPSC: D("5313000.00"),
            KFW: D("67500.00"),
            SF: D("1200000.00"),
            EFRE: D("63300.00"),
        }
    )
    moved = {
        y: slipped.own_share_by_year.get(y, D(0)) - base.own_share_by_year.get(y, D(0))
        for y in (2025, 2026, 2027)
    }
    assert moved == {2025: D("-1038824.58"), 2026: D("667872.38"), 2027: D("370952.20")}
    assert sum(moved.values()) == 0
    assert slipped.excess_by_year == {2026: D("644233.82"), 2027: D("320952.20")}
    assert slipped.reconciled
    # MPSC's extension offer closed on 31.01.2025: the row says it is a what-if
    assert MPSC in slipped.remarks


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {key: st.integers(min_value=-6, max_value=18) for key in (MPSC, KFW, SF, EFRE)}
    )
)
def test_any_delay_keeps_each_grants_total_own_share(months: dict[str, int]) -> None:
    # each grant its own shift, 6 months earlier to 18 later, its open phases extended by it
    def make(grant: PortfolioGrant, as_of: date) -> Scenario:
        return Scenario(name="x", steps=slip_steps(grant.case, months[grant.key], as_of=as_of))

    table = compare_portfolio(
        _portfolio(), [PortfolioScenario("Verzug", make)], as_of=AS_OF, grants=list(months)
    )
    base, delayed = table.rows
    assert delayed.own_share_by_grant == base.own_share_by_grant
    assert sum(delayed.own_share_by_year.values()) == delayed.own_share == base.own_share
    assert delayed.reconciled


def test_flat_rate_line_keeps_what_it_has_spent() -> None:
    # V-3 is 15 % of V-1 (own staff): up to 31.05.2025 V-1 spent by the ledger; V-3 booked
    # the same months at 15 %, rounded down on the running total
    case = _portfolio().grant(EFRE).case
    state = progress(case, AS_OF)
    booked = state.booked["V-3"]
    assert booked
    base = sum(state.booked["V-1"].values(), D(0))
    assert sum(booked.values(), D(0)) == (base * D("0.15")).quantize(D("0.01"), "ROUND_FLOOR")


def test_only_the_chosen_grants_are_evaluated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    evaluate = portfolio_scenarios.evaluate

    def counting(case: Any, as_of: date) -> Any:
        calls.append(case.grant.id)
        return evaluate(case, as_of)

    monkeypatch.setattr(portfolio_scenarios, "evaluate", counting)
    table = compare_portfolio(
        _portfolio(), [slip(6)], as_of=AS_OF, grants=lambda g: g.budget.kind == "investive"
    )
    # four grants as they are, and the one investive grant under the scenario
    assert sorted(calls) == sorted([MPSC, KFW, SF, EFRE, SF])
    base, slipped = table.rows
    assert slipped.changed == (SF,)
    assert slipped.own_share_by_grant[MPSC] == base.own_share_by_grant[MPSC]
    calls.clear()
    compare_portfolio(_portfolio(), [slip(6)], as_of=AS_OF, grants=[KFW], baseline=False)
    assert sorted(calls) == sorted([MPSC, SF, EFRE, KFW])  # KfW only under the scenario


def test_unknown_grant_key_is_refused() -> None:
    with pytest.raises(NotFoundError, match="XY-1"):
        compare_portfolio(_portfolio(), [slip(6)], as_of=AS_OF, grants=["XY-1"])


def test_scenario_that_does_not_fit_a_grant_names_it() -> None:
    wrong = PortfolioScenario(
        "falsch", Scenario(name="falsch", steps=(ShiftLine(line="B-1.1", months=3),))
    )
    with pytest.raises(PortfolioEvaluationError) as caught:
        compare_portfolio(_portfolio(), [wrong], as_of=AS_OF)
    named = {f.grant for f in caught.value.failures}
    assert named == {KFW, SF, EFRE}  # MPSC has a line B-1.1
    assert all("Szenario 'falsch'" in f.message for f in caught.value.failures)


def test_executor_gives_the_serial_result() -> None:
    serial = compare_portfolio(_portfolio(), [slip(6)], as_of=AS_OF)
    with ThreadPoolExecutor(2) as pool:
        threaded = compare_portfolio(_portfolio(), [slip(6)], as_of=AS_OF, executor=pool)
    assert threaded.to_json() == serial.to_json()


def test_sweep_over_delay_and_extension() -> None:
    table = sweep_portfolio(
        _portfolio(),
        {"delay_months": [0, 6], "extend": [True, False]},
        as_of=AS_OF,
        grants=[KFW, SF, EFRE],
        baseline=True,
    )
    labels = [words(r.label) for r in table.rows]
    assert labels[0] == "Ausgangslage"
    assert [r.parameters for r in table.rows[1:]] == [
        {"delay_months": "0", "extend": "True"},
        {"delay_months": "0", "extend": "False"},
        {"delay_months": "6", "extend": "True"},
        {"delay_months": "6", "extend": "False"},
    ]
    base = table.rows[0]
    no_delay = table.rows[1]
    assert no_delay.own_share_by_year == base.own_share_by_year
    assert table.rows[3].own_share == base.own_share
    # without the extension what slips past a phase's end is no longer eligible: less grant,
    # and less own share (the city carries it as ineligible cost instead)
    assert table.rows[4].own_share < base.own_share
    assert all(r.reconciled for r in table.rows)


def test_records_and_frame() -> None:
    pandas = pytest.importorskip("pandas")
    table = _slipped()
    records = table.records()
    assert records[1]["Eigenanteil 2027"] == D("370952.20")
    assert records[0]["Überschreitung 2025"] == D("117585.32")
    assert records[1]["Abstimmung"] == "stimmt"
    frame = table.to_frame()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.index) == ["Ausgangslage", "Verzug 6 Monate"]
    assert frame.loc["Verzug 6 Monate", "Eigenanteil 2026"] == D("1644233.82")


def test_unreconciled_row_is_marked() -> None:
    report = evaluate_portfolio(_portfolio(), AS_OF)
    check = report.reconciliation.checks[0]
    broken = check.model_copy(update={"ok": False, "actual": check.actual + D("0.01")})
    reconciliation = report.reconciliation.model_copy(
        update={"ok": False, "failures": (broken,), "checks": (broken,)}
    )
    row = PortfolioComparisonRow.from_report(
        report.model_copy(update={"reconciliation": reconciliation}),
        label=_slipped().rows[0].label,
    )
    assert not row.reconciled
    assert [c.params["check"] for c in row.failed_checks] == [check.name]
