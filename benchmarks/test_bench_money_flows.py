"""Speed of the drawdown plan and the own share for the Bochum case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

import foerdermittel as fm
from foerdermittel.deadlines import holiday_calendar

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
AS_OF = date(2024, 3, 1)


def _inputs() -> tuple[fm.Case, fm.Case, fm.Rulebook, fm.Financing, fm.Forecast]:
    case = fm.load_case(EXAMPLE)
    amended = case.amended()
    rulebook, _ = case.rulebook()
    financing = fm.compute_financing(amended)
    return case, amended, rulebook, financing, fm.forecast(amended, AS_OF)


def test_forecast_bochum(benchmark: BenchmarkFixture) -> None:
    _, amended, _, _, _ = _inputs()
    result = benchmark(fm.forecast, amended, AS_OF)
    assert len(result.lines) == 16


def test_drawdown_plan_bochum(benchmark: BenchmarkFixture) -> None:
    case, amended, rulebook, financing, spending = _inputs()
    calendar = holiday_calendar(case)

    def run() -> fm.DrawdownPlan:
        plan, _ = fm.plan_drawdowns(
            amended, rulebook, financing, spending, as_of=AS_OF, calendar=calendar
        )
        return plan

    plan = benchmark(run)
    assert plan.total == financing.grant


def test_own_share_bochum(benchmark: BenchmarkFixture) -> None:
    case, amended, rulebook, financing, spending = _inputs()
    plan, _ = fm.plan_drawdowns(
        amended, rulebook, financing, spending, as_of=AS_OF, calendar=holiday_calendar(case)
    )
    shares = benchmark(fm.own_share, amended, financing, spending, plan)
    assert sum(y.own_share for y in shares.years) == financing.own_share
