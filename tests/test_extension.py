"""The binding extension plan: every line keeps its total, booked months stay, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel import fmt
from foerdermittel.cli import main, render_replan
from foerdermittel.extension import extension_amendment, line_totals, with_extension
from foerdermittel.model.amendments import LineChange

from .common import BOCHUM, bochum_data

D = Decimal
NEW_END = date(2028, 3, 31)


def with_vouchers(vouchers: list[dict[str, Any]]) -> fm.Case:
    data = bochum_data()
    data.pop("ledger", None)
    data["expenditures"] = vouchers
    return fm.Case.from_data(data)


def voucher(number: int, line: str, paid_on: date, amount: str) -> dict[str, Any]:
    return {"id": f"V-{number}", "line": line, "paid_on": paid_on, "amount": D(amount)}


def test_bochum_mid_way_keeps_totals_and_booked_months() -> None:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    as_of = date(2025, 6, 30)
    draft = extension_amendment(case, "B", NEW_END, as_of=as_of)
    assert all(t.matches for t in line_totals(case, draft))
    booked = fm.evaluate(case, as_of).forecast.line("B-1.1")
    change = next(c for c in draft.lines if c.line == "B-1.1")
    assert change.monthly is not None
    for month in booked.months:
        if month.actual is not None:  # booked months stay as they are
            assert change.monthly.get(f"{month.month:%Y-%m}", D("0.00")) == month.actual
    assert change.amounts[2028] > 0


def test_refused_after_the_phase_has_ended() -> None:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    with pytest.raises(fm.CaseError, match=r"endete am 30\.09\.2026") as info:
        extension_amendment(case, "B", NEW_END, as_of=date(2026, 12, 1))
    assert "Änderung der Einzelansätze in [[amendments]]" in str(info.value)


def test_cli_replan_after_the_phase_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["replan", str(BOCHUM), "--phase", "B", "--new-end", "2028-03-31"]
    assert main([*argv, "--as-of", "2026-12-01"]) == 2
    captured = capsys.readouterr()
    assert "Summen unverändert" not in captured.out
    assert "endete am 30.09.2026" in captured.err


def test_refused_beyond_the_line_tolerance() -> None:
    # B-3.3 is planned at 500.000 €; 20 % more is 600.000 €, so 600.000,01 € is too much
    case = with_vouchers([voucher(1, "B-3.3", date(2024, 3, 1), "600000.01")])
    tolerance = case.rulebook()[0].line_tolerance
    with pytest.raises(fm.CaseError) as info:
        extension_amendment(case, "B", NEW_END, as_of=date(2024, 12, 31))
    text = str(info.value)
    assert fmt.percent(tolerance.overrun) in text
    assert "Änderung der Einzelansätze" in text
    assert "B-3.3" in text


def test_within_tolerance_the_total_stays_and_the_overrun_is_named() -> None:
    case = with_vouchers([voucher(1, "B-3.3", date(2024, 3, 1), "600000.00")])
    draft = extension_amendment(case, "B", NEW_END, as_of=date(2024, 12, 31))
    (check,) = [t for t in line_totals(case, draft) if t.line == "B-3.3"]
    assert check.matches
    assert check.planned == D("500000.00")
    assert draft.note is not None
    assert "B-3.3 100.000,00\u00a0€ über dem Ansatz" in draft.note


def test_the_renderer_prints_the_check_it_is_given() -> None:
    case = fm.load_case(BOCHUM)
    as_of = date(2024, 12, 31)
    draft = extension_amendment(case, "B", NEW_END, as_of=as_of)
    report = fm.evaluate(with_extension(case, "B", NEW_END, as_of=as_of), as_of)
    text = render_replan(report, draft, line_totals(case, draft))
    assert "alle 11 Summen unverändert" in text
    bigger = draft.lines[0].amounts | {2028: draft.lines[0].amounts[2028] + D("125000.00")}
    changed = draft.model_copy(
        update={"lines": (LineChange(line=draft.lines[0].line, amounts=bigger), *draft.lines[1:])}
    )
    text = render_replan(report, changed, line_totals(case, changed))
    assert "unverändert" not in text
    assert "Summe geändert bei B-1.1" in text
    assert "125.000,00" in text


@st.composite
def replans(draw: st.DrawFn) -> tuple[fm.Case, date]:
    lines = [line for line in bochum_data()["plan"]["lines"] if line["phase"] == "B"]
    vouchers = []
    for number in range(draw(st.integers(0, 10))):
        line = draw(st.sampled_from(lines))
        paid = draw(st.dates(date(2022, 10, 1), date(2026, 9, 30)))
        # at most the line's total, so that no line is beyond its tolerance
        cap = int(sum(line["amounts"].values()) * 100) // 10
        vouchers.append(voucher(number, line["id"], paid, str(D(draw(st.integers(1, cap))) / 100)))
    as_of = draw(st.dates(date(2021, 1, 1), date(2026, 9, 30)))
    return with_vouchers(vouchers), as_of


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replans())
def test_the_extension_plan_keeps_every_line_total(drawn: tuple[fm.Case, date]) -> None:
    case, as_of = drawn
    draft = extension_amendment(case, "B", NEW_END, as_of=as_of)
    totals = line_totals(case, draft)
    assert len(totals) == 11
    assert all(t.matches for t in totals), [t for t in totals if not t.matches]
    assert all(c.monthly is not None and min(c.monthly.values()) >= 0 for c in draft.lines)
