"""Interest on payouts not used in time (§ 49a Abs. 4 VwVfG, ANBest Nr. 8.5), FIFO matching."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel.cli import main

from .common import codes
from .test_money_flows import one_phase

D = Decimal


def case_with(
    payouts: list[tuple[str, str]], spent: list[tuple[str, str]], **extra: Any
) -> fm.Case:
    return one_phase(
        extra={
            "payouts": [
                {"id": f"P{i}", "phase": "P", "amount": amount, "paid_on": day}
                for i, (day, amount) in enumerate(payouts, start=1)
            ],
            "expenditures": [
                {"id": f"B{i}", "line": "L", "paid_on": day, "amount": amount}
                for i, (day, amount) in enumerate(spent, start=1)
            ],
            **extra,
        }
    )


def test_late_use_bears_interest_from_the_payout() -> None:
    # rate 50 %: 8,000 € paid on 10.03. use 4,000 € in time; 12,000 € paid on 20.05. use the
    # remaining 6,000 € after the six weeks (12.04.2024): interest from 02.03. to 20.05.2024,
    # 80 days at 8.62 % act/365 = 6,000 × 8.62 % × 80 / 365 = 113.36 €
    case = case_with(
        [("2024-03-01", "10000.00")], [("2024-03-10", "8000.00"), ("2024-05-20", "12000.00")]
    )
    report = fm.evaluate(case, date(2024, 6, 30))
    use = report.interest.payouts[0]
    assert use.window_end == date(2024, 4, 12)
    assert use.used_in_time == D("4000.00")
    assert [(u.amount, u.used_on) for u in use.late] == [(D("6000.00"), date(2024, 5, 20))]
    assert use.late[0].interest is not None
    assert use.late[0].interest.interest == D("113.36")
    assert report.interest.total == D("113.36")
    found = [f for f in report.findings if f.code == "late-use-interest"]
    assert len(found) == 1
    assert found[0].subject == "Auszahlung P1"
    assert "113,36" in found[0].message
    assert "6.000,00" in found[0].message


def test_prefinanced_expenditure_uses_the_payout_at_once() -> None:
    # paid in arrears: costs of January are reimbursed in February -> used on the payout day
    case = case_with([("2024-02-15", "5000.00")], [("2024-01-20", "10000.00")])
    use = fm.evaluate(case, date(2024, 6, 30)).interest.payouts[0]
    assert use.used_in_time == D("5000.00")
    assert use.late == ()
    assert use.unused == D("0.00")


def test_fifo_over_two_payouts() -> None:
    case = case_with(
        [("2024-03-01", "3000.00"), ("2024-03-15", "3000.00")],
        [("2024-03-05", "8000.00"), ("2024-06-03", "4000.00")],
    )
    uses = fm.evaluate(case, date(2024, 6, 30)).interest.payouts
    first, second = uses
    assert first.used_in_time == D("3000.00")  # 4,000 € grant part: P1 fully, then P2
    assert second.used_in_time == D("1000.00")
    assert [u.amount for u in second.late] == [D("2000.00")]
    assert second.late[0].used_on == date(2024, 6, 3)


def test_unused_money_accrues_interest_to_the_key_date() -> None:
    case = case_with([("2024-03-01", "10000.00")], [("2024-03-10", "2000.00")])
    report = fm.evaluate(case, date(2024, 6, 30))
    use = report.interest.payouts[0]
    assert use.unused == D("9000.00")
    assert use.unused_interest is not None
    assert use.unused_interest.end == date(2024, 6, 30)
    assert "payout-unused" in codes(report.findings)


def test_beyond_the_table_needs_an_assumed_rate() -> None:
    # 9,000 € of the payout stay unused: interest under § 49a Abs. 4 VwVfG until the approval
    # period ends (31.12.2025), then refund interest under Abs. 3 — past the shipped table
    case = case_with([("2025-03-03", "10000.00")], [("2025-03-10", "2000.00")])
    report = fm.evaluate(case, date(2026, 11, 26))
    use = report.interest.payouts[0]
    assert use.unused == D("9000.00")
    assert use.unused_interest is not None
    assert use.unused_interest.end == date(2025, 12, 31)  # no double interest after that
    assert "interest-not-computed" in codes(report.findings)
    assumed = case_with(
        [("2025-03-03", "10000.00")],
        [("2025-03-10", "2000.00")],
        settings={"assumed_base_rate": "1.27"},
    )
    phase = fm.evaluate(assumed, date(2026, 11, 26)).proof_of_use.phases[0]
    assert phase.refund == D("9000.00")
    assert phase.refund_interest[0].assumed_base_rate == D("1.27")


def test_two_month_window_under_the_2006_edition() -> None:
    case = one_phase(
        rulebook="anbest-gk-2006",
        extra={
            "payouts": [{"id": "P1", "phase": "P", "amount": "10000.00", "paid_on": "2024-03-01"}],
            "expenditures": [
                {"id": "B1", "line": "L", "paid_on": "2024-04-30", "amount": "20000.00"}
            ],
        },
    )
    use = fm.evaluate(case, date(2024, 6, 30)).interest.payouts[0]
    assert use.window_end == date(2024, 5, 2)  # 01.05. is a holiday
    assert use.used_in_time == D("10000.00")


def test_no_ledger_no_judgement() -> None:
    case = one_phase(
        extra={"payouts": [{"id": "P1", "phase": "P", "amount": "1.00", "paid_on": "2024-03-01"}]}
    )
    result = fm.evaluate(case, date(2024, 6, 30)).interest
    assert result.evaluated is False
    assert result.payouts == ()


def test_unknown_day_count_in_settings() -> None:
    with pytest.raises(fm.CaseError) as info:
        one_phase(extra={"settings": {"day_count": "30/360"}})
    assert info.value.problems[0].path == "settings.day_count"
    assert "act/365" in str(info.value)


def test_interest_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["interest", "100.000,00", "2024-03-01", "2024-08-31"]) == 0
    out = capsys.readouterr().out
    assert "4.279,34\u00a0€" in out
    assert "02.03.2024–30.06.2024" in out
    assert "8,62\u00a0%" in out
    assert main(["interest", "100000", "2024-03-01", "2024-08-31", "--day-count", "act/360"]) == 0
    assert "4.338,78" in capsys.readouterr().out
    assert main(["interest", "100000", "2024-03-01", "2024-08-31", "--day-count", "30/360"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("foerdermittel:")
    assert "30E/360" in err
    assert main(["interest", "1000", "2026-01-01", "2026-12-31"]) == 2
    assert "angenommen" in capsys.readouterr().err


def test_base_rates_from_the_case_reach_refund_interest() -> None:
    # as test_beyond_the_table_needs_an_assumed_rate, but the rates after 30.06.2026 come from
    # the case's Basiszinssatz file (test data, 1.77 % from 01.07.2026)
    from foerdermittel.interest import read_base_rate_file

    rows = read_base_rate_file(Path(__file__).parent / "data" / "basiszinssatz-bbk.csv")
    case = case_with(
        [("2025-03-03", "10000.00")],
        [("2025-03-10", "2000.00")],
        settings={"base_rate_file": "basiszinssatz-bbk.csv", "base_rates": rows},
    )
    report = fm.evaluate(case, date(2026, 11, 26))
    assert "interest-not-computed" not in codes(report.findings)
    interest = report.proof_of_use.phases[0].refund_interest[0]
    assert [s.origin for s in interest.segments][-1] is fm.RateOrigin.FILE
    assert interest.base_rate_file == "basiszinssatz-bbk.csv"
    data = json.loads(report.model_dump_json())
    segments = data["proof_of_use"]["phases"][0]["refund_interest"][0]["segments"]
    assert segments[-1]["origin"] == "file"


# --- Reimbursement in arrears (costs already paid) ------------------------------------------

IN_ARREARS = [
    {"path": "drawdown.mode", "value": "in_arrears", "reason": "Bescheid Nr. 4"},
    {"path": "drawdown.interval_months", "value": 6, "reason": "Bescheid Nr. 4"},
]


def use_windows(report: fm.Report) -> dict[str, fm.Deadline]:
    return {d.id: d for d in report.deadlines if d.kind == "use_window"}


def test_reimbursement_fully_covered_needs_no_window_and_bears_no_interest() -> None:
    # rate 50 %: 10,000 € paid on 10.01.2024; the payout of 5,000 € on 20.01.2024 reimburses
    # 50 % × 10,000 € = 5,000 € already paid -> used on arrival: no use window, no interest
    payouts, spent = [("2024-01-20", "5000.00")], [("2024-01-10", "10000.00")]
    report = fm.evaluate(case_with(payouts, spent, overrides=IN_ARREARS), date(2024, 6, 30))
    assert report.rulebook.effective_drawdown.reimburses
    use = report.interest.payouts[0]
    assert (use.reimbursed, use.advance) == (D("5000.00"), D("0.00"))
    assert use.used_in_time == D("5000.00")
    assert report.interest.total == D("0.00")
    assert use_windows(report) == {}
    # the same payout under the day-of-need edition (ANBest-Gk 2019) keeps its window
    day_of_need = fm.evaluate(case_with(payouts, spent), date(2024, 6, 30))
    assert list(use_windows(day_of_need)) == ["use-window:P1"]
    assert day_of_need.interest.payouts[0].reimbursed == D("0.00")


def test_reimbursement_partly_covered_window_and_interest_on_the_rest_only() -> None:
    # rate 50 %: 10,000 € paid on 10.01.2024, payout of 8,000 € on 20.01.2024:
    #   reimbursed 50 % × 10,000 € = 5,000 €; paid ahead 3,000 €.
    # Six weeks from 20.01.2024 end on Saturday 02.03.2024 -> Monday 04.03.2024.
    # Next expenditure 4,000 € on 15.05.2024 -> grant part 2,000 € of the 3,000 € used late;
    # 1,000 € still unused on the key date 30.06.2024.
    # Interest (§ 49a Abs. 4 VwVfG, Basiszinssatz 3.62 % from 01.01.2024 + 5 = 8.62 %, act/365,
    # from the day after the payout):
    #   2,000 € × 8.62 % × 116 days (21.01.–15.05.2024) / 365 = 54.7901 -> 54.79 €
    #   1,000 € × 8.62 % × 162 days (21.01.–30.06.2024) / 365 = 38.2586 -> 38.26 €
    case = case_with(
        [("2024-01-20", "8000.00")],
        [("2024-01-10", "10000.00"), ("2024-05-15", "4000.00")],
        overrides=IN_ARREARS,
    )
    report = fm.evaluate(case, date(2024, 6, 30))
    use = report.interest.payouts[0]
    assert (use.reimbursed, use.advance) == (D("5000.00"), D("3000.00"))
    assert use.window_end == date(2024, 3, 4)
    assert use.used_in_time == D("5000.00")
    assert [(u.amount, u.used_on) for u in use.late] == [(D("2000.00"), date(2024, 5, 15))]
    assert use.late[0].interest is not None
    assert use.late[0].interest.interest == D("54.79")
    assert use.unused == D("1000.00")
    assert use.unused_interest is not None
    assert use.unused_interest.interest == D("38.26")
    assert report.interest.total == D("93.05")
    window = use_windows(report)["use-window:P1"]
    assert window.end == date(2024, 3, 4)
    assert window.note is not None
    assert "3.000,00\u00a0€ von 8.000,00\u00a0€" in window.note
    # measured against what was paid before it, the payout is 3,000 € too early
    found = [f for f in report.findings if f.code == "payout-above-entitlement"]
    assert len(found) == 1
    assert "bezahlten Ausgaben anteilig zustehend 5.000,00" in found[0].message


def test_reimbursement_can_be_switched_off_by_the_decision() -> None:
    overrides = [
        *IN_ARREARS,
        {"path": "drawdown.reimburses_paid_costs", "value": False, "reason": "Bescheid Nr. 4"},
    ]
    case = case_with([("2024-01-20", "5000.00")], [("2024-01-10", "10000.00")], overrides=overrides)
    report = fm.evaluate(case, date(2024, 6, 30))
    assert not report.rulebook.effective_drawdown.reimburses
    assert list(use_windows(report)) == ["use-window:P1"]
    assert report.interest.payouts[0].reimbursed == D("0.00")


def test_reimbursement_without_vouchers_keeps_the_window() -> None:
    case = one_phase(
        extra={
            "overrides": IN_ARREARS,
            "payouts": [{"id": "P1", "phase": "P", "amount": "1.00", "paid_on": "2024-03-01"}],
        }
    )
    window = use_windows(fm.evaluate(case, date(2024, 6, 30)))["use-window:P1"]
    assert window.note is not None
    assert "ohne Belege nicht prüfbar" in window.note


def bochum_with_ledger(as_of: date) -> fm.Report:
    example = Path(__file__).parents[1] / "examples" / "bochum-mpsc.toml"
    case = fm.attach_ledger(fm.load_case(example), base_dir=example.parent)
    return fm.evaluate(case, as_of)


@pytest.mark.parametrize("as_of", [date(2025, 6, 30), date(2026, 11, 26)])
def test_bochum_only_the_a3_over_call_keeps_a_use_window(as_of: date) -> None:
    # MPSC reimburses costs already paid: ten of the eleven payouts only reimburse the
    # expenditure paid before them. A-3 (20.01.2023) brought phase A to its whole grant of
    # 715,000.00 €; 65 % of the 1,043,893.66 € paid in phase A by then is 678,530.87 €, so
    # A-3 reimburses 678,530.87 − 376,292.37 (A-1 + A-2) = 302,238.50 € and pays
    # 338,707.63 − 302,238.50 = 36,469.13 € ahead. Of that, 10,705.50 € were used within the
    # six weeks, 12,763.63 € later (222.24 € interest) and 13,000.00 € never (the over-call
    # the proof of use reclaims; 379.61 € interest until the end of phase A, 30.06.2023).
    report = bochum_with_ledger(as_of)
    windows = use_windows(report)
    assert list(windows) == ["use-window:A-3"]
    assert windows["use-window:A-3"].note is not None
    assert "36.469,13\u00a0€ von 338.707,63\u00a0€" in windows["use-window:A-3"].note
    uses = {u.payout: u for u in report.interest.payouts}
    assert all(u.advance == 0 for p, u in uses.items() if p != "A-3")
    a3 = uses["A-3"]
    assert (a3.reimbursed, a3.advance) == (D("302238.50"), D("36469.13"))
    assert a3.used_in_time - a3.reimbursed == D("10705.50")
    assert sum((u.amount for u in a3.late), D(0)) == D("12763.63")
    assert a3.unused == D("13000.00")
    assert report.interest.total == D("601.85")  # 86.12 + 136.12 + 379.61, as before
    a_calls = [c for c in report.drawdowns.calls if c.phase == "A"]
    assert a_calls[-1].entitlement == D("678530.87")  # what was paid by 20.01.2023, × 65 %
