"""Spending forecast, drawdown plan, own share per year, cost-neutral extension."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.cli import main
from foerdermittel.drawdowns import call_tiling, entitlement, plan_tiling
from foerdermittel.extension import extension_amendment, with_extension
from foerdermittel.forecasting import forecast
from foerdermittel.money import ZERO

from .common import BOCHUM, bochum_data, codes

D = Decimal
EARLY = date(2021, 1, 1)  # before anything happened: the plan stands


def bochum(as_of: date = EARLY, **changes: Any) -> fm.Report:
    data = bochum_data()
    data.update(changes)
    return fm.evaluate(fm.Case.from_data(data), as_of)


def one_phase(
    *,
    rulebook: str = "anbest-gk-2019",
    financing_type: str = "anteilfinanzierung",
    amounts: dict[str, str] | None = None,
    sources: list[dict[str, Any]] | None = None,
    phase_extra: dict[str, Any] | None = None,
    line_extra: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> fm.Case:
    amounts = amounts or {"2024": "120000.00", "2025": "120000.00"}
    eligible = sum((D(v) for v in amounts.values()), ZERO)
    phase: dict[str, Any] = {
        "id": "P",
        "title": "Projekt",
        "start": "2024-01-01",
        "end": "2025-12-31",
        "eligible_expenditure": str(eligible),
        **(phase_extra or {}),
    }
    grant: dict[str, Any] = {
        "id": "T",
        "funder": "Bund",
        "recipient": "Stadt",
        "land": "NW",
        "rulebook": rulebook,
        "decision_date": "2023-12-01",
        "financing_type": financing_type,
        "phases": [phase],
    }
    if financing_type == "anteilfinanzierung":
        grant["rate"] = "0.5"
    line = {
        "id": "L",
        "title": "Ansatz",
        "phase": "P",
        "category": "external_services",
        "amounts": amounts,
        **(line_extra or {}),
    }
    data: dict[str, Any] = {"grant": grant, "plan": {"lines": [line], "sources": sources or []}}
    data.update(extra or {})
    return fm.Case.from_data(data)


# --- Forecast --------------------------------------------------------------------------------


def test_even_spread_adds_up_to_the_year() -> None:
    case = fm.load_case(BOCHUM).amended()
    f = forecast(case, EARLY)
    a1 = f.line("A-1")
    # 2021: only December lies in phase A -> all 20,000 €; 2022: 230,000 € over 12 months
    assert [m.forecast for m in a1.months if m.month.year == 2021] == [D("20000.00")]
    months_2022 = [m.forecast for m in a1.months if m.month.year == 2022]
    assert len(months_2022) == 12
    assert sum(months_2022) == D("230000.00")
    assert max(months_2022) - min(months_2022) <= D("0.01")
    assert all(line.forecast == line.planned for line in f.lines)
    assert f.cut_off is None


def test_profile_and_explicit_months() -> None:
    profile = one_phase(
        line_extra={"profile": "q"},
        extra={"profiles": {"q": ["0", "0", "1", "0", "0", "1", "0", "0", "1", "0", "0", "1"]}},
    )
    months = {m.month: m.forecast for m in forecast(profile, EARLY).line("L").months}
    assert months[date(2024, 3, 1)] == D("30000.00")
    assert months[date(2024, 1, 1)] == D("0.00")
    explicit = one_phase(
        amounts={"2024": "100.00"},
        phase_extra={"end": "2024-12-31"},
        line_extra={"monthly": {"2024-02": "60.00", "2024-11": "40.00"}},
    )
    months = {m.month: m.forecast for m in forecast(explicit, EARLY).line("L").months}
    assert months[date(2024, 2, 1)] == D("60.00")
    assert months[date(2024, 11, 1)] == D("40.00")
    assert sum(months.values()) == D("100.00")


def expenditure(day: str, amount: str) -> dict[str, Any]:
    return {"id": f"B-{day}-{amount}", "line": "L", "paid_on": day, "amount": amount}


def test_actuals_replace_the_past_and_the_rest_is_spread() -> None:
    case = one_phase(extra={"expenditures": [expenditure("2024-02-10", "5000.00")]})
    f = forecast(case, date(2024, 3, 31)).line("L")
    months = {m.month: m for m in f.months}
    assert months[date(2024, 1, 1)].actual == D("0.00")
    assert months[date(2024, 2, 1)].forecast == D("5000.00")
    assert months[date(2024, 3, 1)].actual == D("0.00")  # March ended on the key date
    assert months[date(2024, 4, 1)].actual is None
    assert f.actual == D("5000.00")
    assert f.forecast == D("240000.00")  # catch-up: the plan's total is kept
    # the 235,000 € left are spread over April 2024 to December 2025 (21 months)
    assert months[date(2024, 4, 1)].forecast == pytest.approx(D("11190.48"), abs=D("0.01"))


def test_without_catch_up_the_past_shortfall_is_unplaced() -> None:
    case = one_phase(
        extra={
            "expenditures": [expenditure("2024-02-10", "5000.00")],
            "settings": {"forecast_catch_up": False},
        }
    )
    f = forecast(case, date(2024, 3, 31)).line("L")
    assert f.unplaced == D("25000.00")  # 3 × 10,000 planned, 5,000 spent
    assert f.forecast == D("215000.00")


def test_phase_over_leaves_the_rest_unplaced() -> None:
    case = one_phase(extra={"expenditures": [expenditure("2024-02-10", "5000.00")]})
    f = forecast(case, date(2026, 6, 30)).line("L")
    assert f.unplaced == D("235000.00")
    report = fm.evaluate(case, date(2026, 6, 30))
    assert "grant-not-fully-called" in codes(report.findings)


@pytest.mark.parametrize(
    ("change", "path", "word"),
    [
        ({"monthly": {"2026-01": "100.00"}}, "plan.lines[0].monthly.2026-01", "länger"),
        ({"monthly": {"2024-01": "100.00"}}, "plan.lines[0].monthly", "Jahresbetrag"),
        ({"profile": "gibt-es-nicht"}, "plan.lines[0].profile", "unbekanntes Monatsprofil"),
        ({"monthly": {"2024-13": "1.00"}}, "plan.lines[0].monthly", "JJJJ-MM"),
    ],
)
def test_bad_forecast_input(change: dict[str, Any], path: str, word: str) -> None:
    with pytest.raises(fm.CaseError) as info:
        one_phase(line_extra=change)
    assert any(p.path.startswith(path) and word in p.message for p in info.value.problems), (
        info.value
    )


def test_bad_profile_shape() -> None:
    with pytest.raises(fm.CaseError, match="12 Gewichte"):
        one_phase(line_extra={"profile": "x"}, extra={"profiles": {"x": ["1", "1"]}})


# --- Drawdown plan -----------------------------------------------------------------------------


def test_bochum_half_yearly_in_arrears() -> None:
    report = bochum()
    plan = report.drawdowns
    assert plan.rule.mode == "in_arrears"
    assert plan.rule.interval_months == 6
    assert plan.total == D("9880000.00")
    by_phase = {p.phase: p for p in plan.phases}
    assert by_phase["A"].called == D("715000.00")
    assert by_phase["B"].called == D("9165000.00")
    a_calls = [c for c in plan.calls if c.phase == "A"]
    # in arrears: after each half-year, on the first working day
    assert [c.on for c in a_calls] == [date(2022, 1, 3), date(2022, 7, 1), date(2023, 1, 2)]
    assert a_calls[0].amount == D("22750.00")  # 65 % of December 2021's 35,000 €
    # each call is for the half-year before it; the periods tile the phase, so the last call
    # of phase A (extended to 30.06.2023, nothing planned in 2023) closes the phase
    assert [(c.covers_from, c.covers_to) for c in a_calls] == [
        (date(2021, 12, 1), date(2021, 12, 31)),
        (date(2022, 1, 1), date(2022, 6, 30)),
        (date(2022, 7, 1), date(2023, 6, 30)),
    ]
    assert all(c.on > c.covers_from for c in plan.calls)
    assert all(c.on > c.covers_to for c in plan.calls if c is not a_calls[-1])
    assert all(t.tiles for t in plan_tiling(plan, report.grant.phases))
    final = plan.calls[-1]
    assert final.withheld
    assert final.phase == "B"
    assert final.on == date(2027, 6, 1)  # with the proof of use of phase B
    assert not any(c.withheld for c in plan.calls[:-1])


def test_anbest_2006_calls_in_advance() -> None:
    report = fm.evaluate(one_phase(rulebook="anbest-gk-2006"), EARLY)
    calls = report.drawdowns.calls
    assert calls[0].on == date(2024, 1, 2)  # 01.01. is Neujahr
    assert calls[0].covers_to == date(2024, 2, 29)  # two months ahead
    assert calls[0].amount == D("10000.00")  # 50 % of 20,000 €
    assert len(calls) == 12
    assert report.drawdowns.total == D("120000.00")


# weekly: one call per week, weeks cut at month ends (Monday-to-Sunday pieces of each month)
WEEK_PIECES = len(
    {
        (d.year, d.month, d.isocalendar()[1])
        for d in (date(2024, 1, 1) + timedelta(days=i) for i in range(731))
    }
)


@pytest.mark.parametrize(("pooling", "count"), [("monthly", 24), ("weekly", WEEK_PIECES)])
def test_day_of_need_pooling(pooling: str, count: int) -> None:
    case = one_phase(
        extra={"overrides": [{"path": "drawdown.pooling", "value": pooling, "reason": "Nr. 1"}]}
    )
    report = fm.evaluate(case, EARLY)
    calls = report.drawdowns.calls
    assert len(calls) == count
    assert report.drawdowns.total == D("120000.00")
    # on the first working day of the period (a weekend piece: the Monday after)
    assert all(c.covers_from <= c.on <= c.covers_to + timedelta(days=3) for c in calls)


def test_fehlbedarf_calls_only_after_own_and_third_party_funds() -> None:
    case = one_phase(
        financing_type="fehlbedarfsfinanzierung",
        sources=[
            {"id": "E", "kind": "own_funds", "title": "Stadt", "amount": "40000.00"},
            {"id": "D", "kind": "third_party", "title": "Dritte", "amount": "20000.00"},
        ],
        extra={"overrides": [{"path": "drawdown.pooling", "value": "monthly", "reason": "x"}]},
    )
    report = fm.evaluate(case, EARLY)
    calls = report.drawdowns.calls
    # 10,000 € a month: own and third-party funds (60,000 €) carry January to June 2024
    assert calls[0].on == date(2024, 7, 1)
    assert calls[0].amount == D("10000.00")
    assert report.drawdowns.total == D("180000.00")
    years = {y.year: y for y in report.own_share.years}
    assert years[2024].own_share == D("40000.00")
    assert years[2024].third_party_share == D("20000.00")
    assert years[2025].own_share == D("0.00")


def test_annual_instalments_carry_over_or_lapse() -> None:
    instalments = {"annual_grant": {"2024": "50000.00", "2025": "70000.00"}}
    carried = fm.evaluate(one_phase(phase_extra=instalments), EARLY)
    per_year: dict[int, Decimal] = {}
    for call in carried.drawdowns.calls:
        per_year[call.on.year] = per_year.get(call.on.year, ZERO) + call.amount
    assert per_year[2024] == D("50000.00")  # 60,000 € due, the 2024 instalment is 50,000 €
    assert carried.drawdowns.total == D("120000.00")
    assert "annual-instalment-carried" not in codes(carried.findings)  # 2024 fully used
    lapsing = {"annual_grant": {"2024": "70000.00", "2025": "50000.00"}}
    lapsed = fm.evaluate(
        one_phase(phase_extra=lapsing, extra={"settings": {"annual_unused": "lapse"}}), EARLY
    )
    assert "annual-instalment-lapsed" in codes(lapsed.findings)
    assert "grant-not-fully-called" in codes(lapsed.findings)
    assert lapsed.drawdowns.total == D("110000.00")  # 60,000 (2024) + 50,000 (2025)


def test_recorded_payouts_replace_the_past() -> None:
    payouts = [
        {"id": "A-1", "phase": "A", "amount": "22750.00", "paid_on": date(2022, 1, 20)},
        {"id": "A-2", "phase": "A", "amount": "400000.00", "paid_on": date(2022, 7, 20)},
    ]
    report = bochum(date(2022, 8, 1), payouts=payouts)
    a_calls = [c for c in report.drawdowns.calls if c.phase == "A"]
    assert [c.kind for c in a_calls] == ["recorded", "recorded", "planned"]
    assert a_calls[-1].amount == D("715000.00") - D("422750.00")
    # 400,000 € in July 2022 is more than 65 % of what was spent by then
    assert "payout-above-entitlement" in codes(report.findings)


def test_entitlement_examples() -> None:
    kwargs: dict[str, Any] = {
        "grant": D("9165000.00"),
        "eligible": D("14100000.00"),
        "own_and_cover": ZERO,
    }
    assert entitlement(fm.FinancingType.ANTEIL, covered=D("1000000.00"), **kwargs) == D("650000.00")
    assert entitlement(fm.FinancingType.ANTEIL, covered=D("99999999.00"), **kwargs) == D(
        "9165000.00"
    )
    assert entitlement(
        fm.FinancingType.FEHLBEDARF,
        grant=D("70000.00"),
        eligible=D("100000.00"),
        covered=D("35000.00"),
        own_and_cover=D("30000.00"),
    ) == D("5000.00")


# --- Own share -----------------------------------------------------------------------------------


def test_bochum_own_share_per_year() -> None:
    report = bochum()
    years = {y.year: y for y in report.own_share.years}
    assert sorted(years) == [2021, 2022, 2023, 2024, 2025, 2026]
    assert sum((y.own_share for y in years.values()), ZERO) == D("5320000.00")
    assert years[2021].own_share == D("12250.00")  # 35 % of 35,000 €
    assert years[2021].in_kind == D("7000.00")  # 35 % of the 20,000 € own staff
    assert years[2021].cash == D("5250.00")
    # half-yearly in arrears: December 2021's grant share is pre-financed until January
    assert years[2021].max_prefinanced == D("22750.00")
    assert all(y.budgeted is not None for y in years.values())
    assert "own-share-not-budgeted" not in codes(report.findings)
    lines = report.own_share.lines
    assert sum((sum(v.values(), ZERO) for v in lines.values()), ZERO) == D("5320000.00")


def test_council_budget_gap() -> None:
    report = bochum(council_budget={"2024": "1000000.00"})
    found = [f for f in report.findings if f.code == "own-share-not-budgeted"]
    assert len(found) == 1
    assert "599.500,00" in found[0].message
    assert found[0].subject == "Haushaltsjahr 2024"
    # every grant's rule, not one programme's: the total financing must be secured
    assert found[0].legal_reference == "VV Nr. 1.2 zu § 44 BHO/LHO (Gesamtfinanzierung gesichert)"


# --- Cost-neutral extension ----------------------------------------------------------------------


def test_extension_replans_cost_neutral() -> None:
    case = fm.load_case(BOCHUM)
    as_of = date(2024, 12, 31)
    draft = extension_amendment(case, "B", date(2028, 3, 31), as_of=as_of)
    assert draft.cost_neutral
    originals = {line.id: line.total for line in case.plan.lines_of("B")}
    for change in draft.lines:
        assert sum(change.amounts.values(), ZERO) == originals[change.line]
        assert max(change.amounts) == 2028
    extended = with_extension(case, "B", date(2028, 3, 31), as_of=as_of)
    report = fm.evaluate(extended, as_of)
    assert report.financing.grant == D("9880000.00")
    assert report.drawdowns.total == D("9880000.00")
    b_calls = [c for c in report.drawdowns.calls if c.phase == "B"]
    assert b_calls[-1].withheld
    assert b_calls[-1].covers_to == date(2028, 3, 31)
    assert "proof-deadline-before-phase-end" in codes(report.findings)
    assert "extension-beyond-ceiling" not in codes(report.findings)


def test_extension_must_extend() -> None:
    with pytest.raises(fm.CaseError, match="keine Verlängerung"):
        extension_amendment(fm.load_case(BOCHUM), "B", date(2026, 9, 30), as_of=EARLY)
    with pytest.raises(fm.CaseError, match="unbekannte Phase"):
        extension_amendment(fm.load_case(BOCHUM), "C", date(2028, 3, 31), as_of=EARLY)


def test_cli_report_and_replan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(BOCHUM), "--as-of", "2024-03-01"]) == 0
    out = capsys.readouterr().out
    assert "Mittelabrufplan (nachschüssig alle 6 Monate" in out
    assert "Mo., 01.07.2024" in out
    assert "Eigenanteil je Haushaltsjahr" in out
    status = main(
        ["replan", str(BOCHUM), "--phase", "B", "--new-end", "2028-03-31", "--as-of", "2024-12-31"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "Verbindlicher Mittelabrufplan Phase B" in out
    assert "(Schlussrate)" in out
    assert main(["replan", str(BOCHUM), "--phase", "B", "--new-end", "2025-01-01"]) == 2
    assert "keine Verlängerung" in capsys.readouterr().err


# --- Properties ----------------------------------------------------------------------------------

RULEBOOKS = ["anbest-gk-2006", "anbest-gk-2019", "anbest-p-2019", "anbest-g-nrw-2023"]


@st.composite
def flow_data(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(list(fm.FinancingType)))
    start = date(2023, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    end = start + timedelta(days=draw(st.integers(30, 1400)))
    years = list(range(start.year, end.year + 1))
    lines = []
    for i in range(draw(st.integers(1, 4))):
        amounts = {
            str(y): str(draw(st.decimals(min_value=0, max_value=900000, places=2)))
            for y in years
            if draw(st.booleans())
        }
        lines.append(
            {
                "id": f"L{i}",
                "title": "Ansatz",
                "phase": "P",
                "category": draw(st.sampled_from(list(fm.CostCategory))).value,
                "amounts": amounts or {str(years[0]): "1000.00"},
            }
        )
    eligible = sum((D(v) for line in lines for v in line["amounts"].values()), ZERO)
    phase: dict[str, Any] = {
        "id": "P",
        "title": "Projekt",
        "start": start,
        "end": end,
        "eligible_expenditure": eligible,
    }
    if kind is fm.FinancingType.FESTBETRAG:
        phase["fixed_amount"] = draw(st.decimals(min_value=0, max_value=eligible, places=2))
    sources = [
        {
            "id": f"S{j}",
            "kind": draw(st.sampled_from(list(fm.SourceKind))).value,
            "title": "Quelle",
            "amount": draw(st.decimals(min_value=0, max_value=eligible / 4, places=2)),
        }
        for j in range(draw(st.integers(0, 2)))
    ]
    grant: dict[str, Any] = {
        "id": "G",
        "funder": "Bund",
        "recipient": "Stadt",
        "land": "NW",
        "rulebook": draw(st.sampled_from(RULEBOOKS)),
        "decision_date": start,
        "financing_type": kind.value,
        "rate": draw(st.sampled_from(["0.5", "0.65", "0.9", "1"])),
        "phases": [phase],
    }
    overrides = []
    mode = draw(st.sampled_from(["edition", "pooled", "in_arrears"]))
    if mode == "pooled":
        pooling = draw(st.sampled_from(["monthly", "weekly"]))
        overrides.append({"path": "drawdown.pooling", "value": pooling, "reason": "x"})
    elif mode == "in_arrears":
        months = draw(st.sampled_from([3, 6, 12]))
        overrides.append({"path": "drawdown.mode", "value": "in_arrears", "reason": "x"})
        overrides.append({"path": "drawdown.interval_months", "value": months, "reason": "x"})
    return {"grant": grant, "plan": {"lines": lines, "sources": sources}, "overrides": overrides}


def flow_cases() -> st.SearchStrategy[fm.Case]:
    return flow_data().map(fm.Case.from_data)


@st.composite
def flow_cases_with_payouts(draw: st.DrawFn) -> tuple[fm.Case, date]:
    """A flow case with recorded payouts (and vouchers) and a key date anywhere around it."""
    data = draw(flow_data())
    phase = data["grant"]["phases"][0]
    start, end = phase["start"], phase["end"]
    days = (end - start).days
    payouts = [
        {
            "id": f"P{i}",
            "phase": "P",
            "amount": str(draw(st.decimals(min_value="0.01", max_value=200000, places=2))),
            "paid_on": start + timedelta(days=draw(st.integers(0, days + 200))),
        }
        for i in range(draw(st.integers(0, 6)))
    ]
    vouchers = [
        {
            "id": f"V{i}",
            "line": "L0",
            "amount": str(draw(st.decimals(min_value="0.01", max_value=300000, places=2))),
            "paid_on": start + timedelta(days=draw(st.integers(0, days))),
        }
        for i in range(draw(st.integers(0, 8)))
    ]
    data.update(payouts=payouts, expenditures=vouchers)
    as_of = start + timedelta(days=draw(st.integers(-60, days + 400)))
    return fm.Case.from_data(data), as_of


@settings(max_examples=80, deadline=None)
@given(flow_cases())
def test_drawdowns_add_up_and_never_call_too_much_or_too_early(case: fm.Case) -> None:
    report = fm.evaluate(case, date(2020, 1, 1))
    plan = report.drawdowns
    grant = report.financing.grant
    assert plan.total == grant  # the forecast is the plan, so everything is called
    cumulative = ZERO
    for call in plan.calls:
        assert call.amount > 0
        cumulative += call.amount
        assert call.cumulative == cumulative
        assert cumulative <= call.entitlement <= grant  # never more than allowed
        assert call.covers_from <= call.covers_to
        if plan.rule.mode == "in_arrears":
            assert call.on > call.covers_from  # only for costs already paid ...
            if call is not plan.calls[-1]:
                assert call.on > call.covers_to  # ... the last call closes the phase
        else:
            assert call.on >= call.covers_from  # never before the period it is for
    assert all(t.tiles for t in plan_tiling(plan, report.grant.phases))


@settings(max_examples=80, deadline=None)
@given(flow_cases_with_payouts())
def test_call_periods_tile_the_phase_on_any_key_date(drawn: tuple[fm.Case, date]) -> None:
    case, as_of = drawn
    report = fm.evaluate(case, as_of)
    for tiling in plan_tiling(report.drawdowns, report.grant.phases):
        assert tiling.gaps == ()
        assert tiling.overlaps == ()
        assert tiling.outside == ()
    for phase in report.drawdowns.phases:
        calls = phase.calls
        assert [c.covers_from for c in calls[1:]] == [
            c.covers_to + timedelta(days=1) for c in calls[:-1]
        ]


def test_call_tiling_reports_gaps_and_overlaps() -> None:
    # phase 01.01.–31.12.2024; calls for 01.01.–30.06., 01.06.–31.08. and 01.10.–31.12.:
    # June is covered twice, September not at all
    def call(first: date, last: date) -> fm.Call:
        return fm.Call(
            phase="P",
            on=last,
            amount=D("1.00"),
            covers_from=first,
            covers_to=last,
            kind="planned",
            cumulative=D("1.00"),
            entitlement=D("1.00"),
        )

    calls = [
        call(date(2024, 1, 1), date(2024, 6, 30)),
        call(date(2024, 10, 1), date(2025, 1, 15)),
        call(date(2024, 6, 1), date(2024, 8, 31)),
    ]
    tiling = call_tiling("P", date(2024, 1, 1), date(2024, 12, 31), calls)
    assert [(p.start, p.end) for p in tiling.gaps] == [(date(2024, 9, 1), date(2024, 9, 30))]
    assert [(p.start, p.end) for p in tiling.overlaps] == [(date(2024, 6, 1), date(2024, 6, 30))]
    assert [(p.start, p.end) for p in tiling.outside] == [(date(2025, 1, 1), date(2025, 1, 15))]
    assert not tiling.tiles
    assert call_tiling("P", date(2024, 1, 1), date(2024, 12, 31), calls[:1]).gaps[0].start == (
        date(2024, 7, 1)
    )


@settings(max_examples=80, deadline=None)
@given(flow_cases())
def test_own_share_grant_and_third_party_add_up_every_year(case: fm.Case) -> None:
    report = fm.evaluate(case, date(2020, 1, 1))
    for year in report.own_share.years:
        assert year.own_share + year.grant_share + year.third_party_share == year.expenditure
        assert year.cash + year.in_kind == year.own_share
    total = report.own_share.years
    assert sum((y.grant_share for y in total), ZERO) == report.financing.grant


def test_how_the_rulebooks_pay() -> None:
    # MPSC reimburses costs already paid (in arrears, BT-Drs. 20/13972); the ANBest editions
    # pay in advance (2006, NRW) or on the day of need (since 2014)
    mpsc, _ = fm.rules.resolve("anbest-gk-2019", "mpsc-2021")
    assert mpsc.effective_drawdown.reimburses_paid_costs is True
    assert mpsc.effective_drawdown.reimburses
    for edition in RULEBOOKS:
        assert not fm.rules.get(edition).effective_drawdown.reimburses, edition


def test_bochum_recorded_payouts_cover_the_half_year_before() -> None:
    # 30.06.2025: A-1 … A-3 and B-1 … B-5 recorded, then the plan. Each payout reimburses the
    # half-year before it (B-1: phase B's first quarter), A-3 closes phase A (to 30.06.2023),
    # and the first planned call takes over on 01.01.2025.
    data = bochum_data()
    case = fm.attach_ledger(fm.Case.from_data(data), base_dir=BOCHUM.parent)
    report = fm.evaluate(case, date(2025, 6, 30))
    periods = {
        (c.phase, c.on): (c.covers_from, c.covers_to, c.kind) for c in report.drawdowns.calls
    }
    assert periods[("A", date(2022, 1, 20))][:2] == (date(2021, 12, 1), date(2021, 12, 31))
    assert periods[("A", date(2023, 1, 20))][:2] == (date(2022, 7, 1), date(2023, 6, 30))
    assert periods[("B", date(2023, 1, 20))][:2] == (date(2022, 10, 1), date(2022, 12, 31))
    assert periods[("B", date(2025, 1, 20))][:2] == (date(2024, 7, 1), date(2024, 12, 31))
    assert periods[("B", date(2025, 7, 1))] == (date(2025, 1, 1), date(2025, 6, 30), "planned")
    assert all(t.tiles for t in plan_tiling(report.drawdowns, report.grant.phases))


def test_what_is_still_due_joins_the_next_call() -> None:
    # Bochum without its ledger on 30.06.2025: by the plan B-5 drew 14,056.25 € less than the
    # phase's share of 2024 (5,083,000.00 − 5,068,943.75); it is due with the call on
    # 01.07.2025 for the first half of 2025 (1,391,000.10 €): one call of 1,405,056.35 €
    plan = bochum(date(2025, 6, 30)).drawdowns
    call = next(c for c in plan.calls if c.on == date(2025, 7, 1))
    assert call.amount == D("1405056.35")
    assert (call.covers_from, call.covers_to) == (date(2025, 1, 1), date(2025, 6, 30))
    assert call.note is not None
    assert call.note.startswith("einschließlich 14.056,25")
    assert len([c for c in plan.calls if c.on == date(2025, 7, 1)]) == 1
