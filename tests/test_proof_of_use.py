"""Proof of use: eligibility, the 20 % rule, final grant per financing type, refund and interest."""

from __future__ import annotations

import functools
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.cli import main
from foerdermittel.io.ledger import read_ledger
from foerdermittel.money import ZERO, floor_cents
from foerdermittel.proof import voucher_totals

from .common import BOCHUM, codes

D = Decimal
AS_OF = date(2026, 6, 30)


def make_case(
    *,
    financing_type: str = "anteilfinanzierung",
    lines: dict[str, str] | None = None,
    spent: dict[str, list[tuple[str, str]]] | None = None,
    payouts: list[tuple[str, str]] | None = None,
    sources: list[dict[str, Any]] | None = None,
    phase_extra: dict[str, Any] | None = None,
    line_extra: dict[str, dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    end: str = "2025-12-31",
) -> fm.Case:
    lines = lines or {"L": "240000.00"}
    eligible = sum((D(v) for v in lines.values()), ZERO)
    phase: dict[str, Any] = {
        "id": "P",
        "title": "Projekt",
        "start": "2024-01-01",
        "end": end,
        "eligible_expenditure": str(eligible),
        **(phase_extra or {}),
    }
    grant: dict[str, Any] = {
        "id": "T",
        "funder": "Bund",
        "recipient": "Stadt",
        "land": "NW",
        "rulebook": "anbest-gk-2019",
        "decision_date": "2023-12-01",
        "financing_type": financing_type,
        "phases": [phase],
    }
    if financing_type == "anteilfinanzierung":
        grant["rate"] = "0.5"
    plan_lines = [
        {
            "id": line_id,
            "title": f"Ansatz {line_id}",
            "phase": "P",
            "category": "material",
            "amounts": {"2024": total},
            **((line_extra or {}).get(line_id, {})),
        }
        for line_id, total in lines.items()
    ]
    expenditures = [
        {"id": f"{line_id}-{i}", "line": line_id, "paid_on": day, "amount": amount}
        for line_id, items in (spent or {}).items()
        for i, (day, amount) in enumerate(items)
    ]
    data: dict[str, Any] = {
        "grant": grant,
        "plan": {"lines": plan_lines, "sources": sources or []},
        "expenditures": expenditures,
        "payouts": [
            {"id": f"A{i}", "phase": "P", "amount": amount, "paid_on": day}
            for i, (day, amount) in enumerate(payouts or [])
        ],
    }
    extra = dict(extra or {})
    data["expenditures"] += extra.pop("expenditures", [])
    data.update(extra)
    return fm.Case.from_data(data)


def proof(case: fm.Case, as_of: date = AS_OF) -> tuple[fm.ProofOfUse, set[str]]:
    report = fm.evaluate(case, as_of)
    return report.proof_of_use, codes(report.findings)


# --- Final grant per financing type (ANBest Nr. 2, with the 500 € threshold of Nr. 2.2) --------


@pytest.mark.parametrize(
    ("actual", "final"),
    [
        ("239500.00", "120000.00"),  # 500.00 € less: not "more than 500 €" -> no reduction
        ("239499.99", "119749.99"),  # 500.01 € less: pro rata, 0.5 × 239,499.99, rounded down
        ("200000.00", "100000.00"),
        ("260000.00", "120000.00"),  # more expenditure never raises the grant
    ],
)
def test_anteil_final_grant(actual: str, final: str) -> None:
    case = make_case(spent={"L": [("2024-05-02", actual)]}, payouts=[("2024-06-03", "100000.00")])
    result, _ = proof(case)
    phase = result.phases[0]
    assert phase.reduction.approved == D("120000.00")
    assert phase.reduction.final == D(final)
    assert phase.balance == D(final) - D("100000.00")


def test_fehlbedarf_final_grant() -> None:
    case = make_case(
        financing_type="fehlbedarfsfinanzierung",
        sources=[
            {"id": "E", "kind": "own_funds", "title": "Stadt", "amount": "40000.00"},
            {"id": "D", "kind": "third_party", "title": "Dritte", "amount": "20000.00"},
        ],
        spent={"L": [("2024-05-02", "230000.00")]},
    )
    phase = proof(case)[0].phases[0]
    assert phase.reduction.approved == D("180000.00")
    assert phase.reduction.final == D("170000.00")  # 230,000 − 40,000 − 20,000: 1:1


@pytest.mark.parametrize(
    ("actual", "final"), [("90000.00", "90000.00"), ("150000.00", "100000.00")]
)
def test_festbetrag_final_grant(actual: str, final: str) -> None:
    case = make_case(
        financing_type="festbetragsfinanzierung",
        phase_extra={"fixed_amount": "100000.00"},
        spent={"L": [("2024-05-02", actual)]},
    )
    result, found = proof(case)
    assert result.phases[0].reduction.final == D(final)
    assert result.lines[0].status == "not_applicable"  # no 20 % rule for a Festbetrag
    assert "line-beyond-tolerance" not in found


def test_voll_final_grant_has_no_threshold() -> None:
    case = make_case(
        financing_type="vollfinanzierung",
        sources=[{"id": "D", "kind": "third_party", "title": "Dritte", "amount": "20000.00"}],
        spent={"L": [("2024-05-02", "239800.00")]},
    )
    phase = proof(case)[0].phases[0]
    assert phase.reduction.approved == D("220000.00")
    assert phase.reduction.final == D("219800.00")  # 200 € less: reduced all the same


def test_new_third_party_money_reduces_pro_rata() -> None:
    case = make_case(
        spent={"L": [("2024-05-02", "240000.00")]},
        extra={
            "income": [
                {"id": "E1", "received_on": "2024-09-02", "amount": "10000.00", "payer": "Verein"}
            ]
        },
    )
    result, _ = proof(case)
    phase = result.phases[0]
    assert phase.cover_actual == D("10000.00")
    assert phase.reduction.final == D("115000.00")  # 0.5 × (240,000 − 10,000)
    assert result.income[1].actual == D("10000.00")


# --- The 20 % rule (ANBest Nr. 1.2) ------------------------------------------------------------

TWO = {"L1": "100000.00", "L2": "100000.00"}


def two_lines(l1: str, l2: str, **kwargs: Any) -> fm.Case:
    return make_case(
        lines=TWO, spent={"L1": [("2024-05-02", l1)], "L2": [("2024-05-03", l2)]}, **kwargs
    )


def test_overrun_within_tolerance_compensated() -> None:
    result, found = proof(two_lines("115000.00", "85000.00"))
    l1 = result.lines[0]
    assert l1.status == "within_tolerance"
    assert l1.difference_pct == D("15.00")
    assert result.phases[0].recognised == D("200000.00")
    assert result.phases[0].reduction.final == D("100000.00")
    assert "line-within-tolerance" in found
    assert "overrun-not-compensated" not in found


def test_overrun_within_tolerance_not_compensated() -> None:
    result, found = proof(two_lines("115000.00", "100000.00"))
    assert result.phases[0].actual == D("215000.00")
    assert result.phases[0].recognised == D("200000.00")  # the plan binds in its total
    assert "overrun-not-compensated" in found


def test_overrun_beyond_tolerance() -> None:
    result, found = proof(two_lines("130000.00", "70000.00"))
    l1 = result.lines[0]
    assert l1.status == "beyond_tolerance"
    assert l1.allowed == D("120000.00")
    assert l1.recognised == D("120000.00")
    assert result.phases[0].recognised == D("190000.00")
    assert result.phases[0].reduction.final == D("95000.00")
    assert "line-beyond-tolerance" in found


def test_official_condition_allows_a_larger_overrun() -> None:
    case = two_lines("130000.00", "70000.00", line_extra={"L1": {"official_condition": True}})
    result, found = proof(case)
    assert result.lines[0].status == "official_condition"
    assert result.phases[0].recognised == D("200000.00")
    assert "line-beyond-tolerance" not in found


# --- Eligibility checks --------------------------------------------------------------------------


def test_voucher_checks() -> None:
    case = make_case(
        spent={
            "L": [
                ("2023-12-20", "1000.00"),  # before the approval period
                ("2024-03-01", "2000.00"),
                ("2026-01-05", "3000.00"),  # after it
                ("2026-07-01", "4000.00"),  # after the key date: left out and counted
            ]
        },
        extra={
            "expenditures": [
                # booked twice in the ledger (a case file refuses a number typed twice)
                {
                    "id": "X",
                    "line": "L",
                    "paid_on": "2024-04-01",
                    "amount": "500.00",
                    "origin": "belege.csv:2",
                },
                {
                    "id": "X",
                    "line": "L",
                    "paid_on": "2024-04-01",
                    "amount": "500.00",
                    "origin": "belege.csv:3",
                },
                {
                    "id": "G",
                    "line": "L",
                    "paid_on": "2024-04-02",
                    "amount": "100.00",
                    "kind": "credit",
                },
            ]
        },
    )
    result, found = proof(case)
    by_code = {e.code: e for e in result.excluded}
    assert set(by_code) == {"outside-period", "duplicate-voucher", "credit-sign"}
    assert len([e for e in result.excluded if e.code == "outside-period"]) == 2
    assert not by_code["credit-sign"].counted  # a credit note with a positive sign: not counted
    assert result.after_key_date == (1, D("4000.00"))
    assert result.lines[0].actual == D("2500.00")  # 2,000 + 500 (once)
    # "Ist insgesamt" holds what counts; the rest is beside it, and both add up to the list
    assert result.lines[0].actual_total == D("2500.00")
    assert result.lines[0].excluded == D("4600.00")  # 1,000 + 3,000 + the second 500 + 100
    assert result.totals is not None
    assert result.totals.listed == D("7100.00")
    assert (result.totals.counted, result.totals.excluded) == (D("2500.00"), D("4600.00"))
    assert (result.totals.after_key_date, result.totals.after_key_date_count) == (
        D("4000.00"),
        1,
    )
    assert result.totals.recorded == D("11100.00")
    assert {"voucher-outside-period", "voucher-duplicate-voucher", "voucher-credit-sign"} <= found
    assert "vouchers-after-key-date" in found


def test_early_start_makes_earlier_payments_eligible() -> None:
    case = make_case(
        spent={"L": [("2023-12-20", "1000.00")]}, phase_extra={"early_start": "2023-12-15"}
    )
    result, _ = proof(case)
    assert result.excluded == ()
    assert result.lines[0].actual == D("1000.00")


def test_net_amounts_when_input_tax_is_deductible() -> None:
    case = make_case(
        extra={
            "settings": {"input_tax_deduction": True},
            "expenditures": [
                {
                    "id": "N1",
                    "line": "L",
                    "paid_on": "2024-04-01",
                    "amount": "1190.00",
                    "net_amount": "1000.00",
                },
                {"id": "N2", "line": "L", "paid_on": "2024-04-02", "amount": "119.00"},
            ],
        }
    )
    result, found = proof(case)
    assert result.lines[0].actual == D("1000.00")
    assert "voucher-net-missing" in found


# --- Refund and its interest (§ 49a Abs. 3 VwVfG) -----------------------------------------------


def test_refund_with_interest_across_a_rate_change() -> None:
    # Phase ends 31.12.2024; grant 100,000 €, paid 100,000 €; spent 160,000 € -> final 80,000 €,
    # refund 20,000 € with interest from 01.01.2025 to the repayment on 31.08.2025:
    # 181 days at 7.27 % (2.27 + 5) + 62 days at 6.27 % (1.27 + 5), act/365
    # = 721.02 + 213.01 = 934.03 €
    case = make_case(
        lines={"L": "200000.00"},
        end="2024-12-31",
        spent={"L": [("2024-05-02", "160000.00")]},
        payouts=[("2024-07-01", "100000.00")],
        extra={"settings": {"repaid_on": "2025-08-31"}},
    )
    result, found = proof(case, date(2025, 9, 30))
    phase = result.phases[0]
    assert phase.refund == D("20000.00")
    assert len(phase.refund_interest) == 1
    interest = phase.refund_interest[0]
    assert [s.rate for s in interest.segments] == [D("7.27"), D("6.27")]
    assert [s.days for s in interest.segments] == [181, 62]
    assert interest.interest == D("934.03")
    assert result.refund_interest == D("934.03")
    assert "refund-due" in found


def test_refund_interest_from_the_later_payout() -> None:
    # the overpayment arises with a payout after the ineffective date: interest from that payout
    case = make_case(
        lines={"L": "200000.00"},
        end="2024-12-31",
        spent={"L": [("2024-05-02", "160000.00")]},
        payouts=[("2024-07-01", "70000.00"), ("2025-02-03", "30000.00")],
        extra={"settings": {"repaid_on": "2025-03-05"}},
    )
    phase = proof(case, date(2025, 9, 30))[0].phases[0]
    (interest,) = phase.refund_interest
    assert interest.principal == D("20000.00")
    assert interest.start == date(2025, 2, 3)


def test_refund_interest_waits_for_the_proof_when_so_set() -> None:
    case = make_case(
        lines={"L": "200000.00"},
        end="2024-12-31",
        spent={"L": [("2024-05-02", "160000.00")]},
        payouts=[("2024-07-01", "100000.00")],
        extra={"settings": {"refund_interest_from": "proof_submitted"}},
    )
    result, found = proof(case, date(2025, 9, 30))
    phase = result.phases[0]
    # no proof submitted yet: the interest has not started, which is a figure (none so far),
    # not a failure
    assert phase.refund_interest == ()
    assert phase.interest_problem is None
    assert phase.ineffective_on is None
    assert result.refund_interest_complete
    assert "refund-interest-not-started" in found
    assert "interest-not-computed" not in found


# --- Interim proof and the blocks --------------------------------------------------------------


def test_interim_proof_federal_layout() -> None:
    case = make_case(
        lines={"L": "200000.00"},
        spent={"L": [("2024-05-02", "60000.00"), ("2025-03-03", "100000.00")]},
        payouts=[("2024-06-03", "40000.00"), ("2025-04-01", "40000.00")],
        sources=[{"id": "E", "kind": "own_funds", "title": "Stadt", "amount": "100000.00"}],
    )
    result, _ = proof(case)
    first, second = result.interim[:2]
    assert first.year == 2024
    assert first.expenditure == D("60000.00")  # (14)
    assert first.own_funds == D("30000.00")  # (15) own funds per plan: 50 %
    assert first.federal_share == D("30000.00")  # (18) = 14 − 15 − 16 − 17b
    assert first.federal_payments == D("40000.00")  # (19)
    assert first.cash_balance == D("10000.00")  # (20) = 19 − 18
    assert second.rows[0].before == D("60000.00")
    assert second.rows[0].cumulative == D("160000.00")
    assert second.federal_payments == D("50000.00")  # 40,000 + 10,000 balance
    assert second.cash_balance == D("0.00")


def test_blocks_add_up() -> None:
    case = make_case(
        spent={"L": [("2024-05-02", "200000.00")]}, payouts=[("2024-06-03", "90000.00")]
    )
    result, found = proof(case)
    assert sum(row.actual for row in result.income) == result.phases[0].recognised
    assert result.final == D("100000.00")
    assert result.paid == D("90000.00")
    assert result.balance == D("10000.00")
    assert "final-instalment-due" in found
    assert [v.paid_on for v in result.vouchers] == sorted(v.paid_on for v in result.vouchers)


def test_without_vouchers_nothing_is_proven() -> None:
    result, _ = proof(make_case())
    assert result.evaluated is False


# --- Bochum: booked and projected kept apart ----------------------------------------------------


@functools.cache
def bochum(as_of: date) -> fm.Report:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    return fm.evaluate(case, as_of)


def by_label(result: fm.ProofOfUse) -> dict[str, Decimal]:
    return {row.label: row.actual for row in result.income}


def test_bochum_income_block_finances_the_booked_expenditure_while_b_runs() -> None:
    result = bochum(date(2025, 6, 30)).proof_of_use
    # before: 15,180,000.00 € of income (A final + B projected) against 11,007,125.12 € spent
    expenditure = sum((line.actual for line in result.lines), ZERO)
    assert expenditure == D("11007125.12")
    assert by_label(result) == {
        "Zuwendung (diese Förderung)": D("5770943.75"),  # A: 702,000.00 final + B: paid
        "Drittmittel und andere öffentliche Förderung": D("0.00"),
        "Eigenanteil": D("5236181.37"),  # 11,007,125.12 − 5,770,943.75
    }
    assert sum(by_label(result).values()) == expenditure  # the Deckung
    a, b = result.phases
    assert (a.projected, a.grant_booked) == (False, a.reduction.final)
    assert (b.projected, b.grant_booked) == (True, b.paid)
    # the final account of B is a projection; what is booked stands beside it
    assert (b.actual, b.booked) == (D("14100000.00"), D("9927125.12"))
    assert a.actual == a.booked == D("1080000.00")
    assert result.projected
    # the figures that were right stay as they were
    assert (result.final, result.balance, result.refund) == (
        D("9867000.00"),
        D("4083056.25"),
        D("13000.00"),
    )


def test_bochum_income_block_after_both_phases() -> None:
    result = bochum(date(2026, 11, 26)).proof_of_use
    expenditure = sum((line.actual for line in result.lines), ZERO)
    assert expenditure == D("15130000.00")
    assert by_label(result) == {
        "Zuwendung (diese Förderung)": D("9834500.00"),  # the final grants, 702,000 + 9,132,500
        "Drittmittel und andere öffentliche Förderung": D("0.00"),
        "Eigenanteil": D("5295500.00"),
    }
    assert sum(by_label(result).values()) == expenditure
    assert not result.projected
    assert all(p.booked == p.actual for p in result.phases)


def test_bochum_ist_insgesamt_leaves_the_duplicate_out() -> None:
    result = bochum(date(2025, 6, 30)).proof_of_use
    lines = {line.line: line for line in result.lines}
    # BO-2024-004985 entered twice (7,416.76 €): before, B-2.2 showed 1,057,416.78 €
    assert lines["B-2.2"].actual_total == D("1050000.02")
    assert lines["B-2.2"].excluded == D("7416.76")
    # BO-2022-003996 paid outside the approval period (2,380.00 €)
    assert lines["B-1.1"].actual_total == D("2247187.50")
    assert lines["B-1.1"].excluded == D("2380.00")
    totals = result.totals
    assert totals is not None
    assert sum((line.actual_total for line in result.lines), ZERO) == totals.counted
    assert sum((line.excluded for line in result.lines), ZERO) == totals.excluded
    assert (totals.listed, totals.counted, totals.excluded) == (
        D("11016921.88"),
        D("11007125.12"),
        D("9796.76"),
    )
    assert totals.listed == totals.counted + totals.excluded
    assert (totals.after_key_date_count, totals.after_key_date) == (1151, D("4122874.88"))
    assert totals.recorded == totals.listed + totals.after_key_date
    assert totals.control_sum is None  # the case keeps no control sum


def test_voucher_totals_take_the_ledger_control_sum() -> None:
    ledger = read_ledger(BOCHUM.parent / "bochum-ledger.csv")
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    totals = voucher_totals(case, date(2025, 6, 30), control_sum=ledger.control_sum)
    in_report = bochum(date(2025, 6, 30)).proof_of_use.totals
    assert in_report is not None
    assert totals.model_dump(exclude={"control_sum"}) == in_report.model_dump(
        exclude={"control_sum"}
    )
    # every voucher of the Bochum case comes from its ledger
    assert totals.control_sum == totals.recorded + totals.income_recorded == D("15139796.76")


def test_bochum_final_instalment_says_when_it_is_projected() -> None:
    def message(as_of: date) -> str:
        (found,) = [
            f
            for f in bochum(as_of).findings
            if f.code == "final-instalment-due" and f.subject == "Phase B"
        ]
        return found.message

    assert message(date(2025, 6, 30)) == (
        "voraussichtlich — nach Abrechnung noch auszuzahlen 4.096.056,25\xa0€"
    )
    assert message(date(2026, 11, 26)) == "nach Abrechnung noch auszuzahlen 432.060,35\xa0€"


def test_bochum_text_marks_the_projection() -> None:
    from foerdermittel.cli import render_proof

    text = render_proof(bochum(date(2025, 6, 30)))
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith("   ")}
    assert rows["A"].endswith("-13.000,00\xa0€  Ist")
    assert rows["B"].endswith("4.096.056,25\xa0€  Prognose")
    assert rows["Gesamt"].endswith("mit Prognose")
    assert (
        "Belegliste bis zum Stichtag: 11.016.921,88\xa0€ = gezählt 11.007.125,12\xa0€ + "
        "nicht gezählt 9.796,76\xa0€"
    ) in text
    # plan against actual per line, after the form's Ausgaben
    per_line = text.split("2a. Soll-Ist je Einzelansatz")[1]
    b22 = next(line for line in per_line.splitlines() if line.startswith("   B-2.2 "))
    assert b22.split("\xa0€")[1:4] == ["   1.050.000,02", "       1.050.000,02", "     7.416,76"]


def test_income_block_with_third_party_money_while_the_phase_runs() -> None:
    case = make_case(
        spent={"L": [("2024-05-02", "100000.00")]},
        payouts=[("2024-06-03", "30000.00")],
        extra={
            "income": [
                {"id": "E1", "received_on": "2024-09-02", "amount": "10000.00", "payer": "Verein"},
                {"id": "E2", "received_on": "2025-09-02", "amount": "5000.00", "payer": "Verein"},
            ]
        },
    )
    result, found = proof(case, date(2024, 12, 31))
    # booked on 31.12.2024: 100,000 spent = 30,000 grant paid + 10,000 received + 60,000 own
    assert by_label(result) == {
        "Zuwendung (diese Förderung)": D("30000.00"),
        "Drittmittel und andere öffentliche Förderung": D("10000.00"),  # E2 comes later
        "Eigenanteil": D("60000.00"),
    }
    assert result.phases[0].projected
    assert "final-instalment-due" in found


# --- Properties ----------------------------------------------------------------------------------


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[fm.Case, str]:
    kind = draw(
        st.sampled_from(["anteilfinanzierung", "vollfinanzierung", "festbetragsfinanzierung"])
    )
    items = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["L1", "L2"]),
                st.integers(min_value=-30, max_value=800),
                st.decimals(min_value=D("-5000"), max_value=D("90000"), places=2),
            ),
            max_size=25,
        )
    )
    spent: dict[str, list[tuple[str, str]]] = {"L1": [], "L2": []}
    for line, offset, amount in items:
        spent[line].append((str(date(2024, 1, 1) + timedelta(days=offset)), str(amount)))
    case = make_case(
        financing_type=kind,
        lines=TWO,
        spent=spent,
        phase_extra={"fixed_amount": "80000.00"} if kind == "festbetragsfinanzierung" else None,
        payouts=[("2024-06-03", str(draw(st.decimals(min_value=0, max_value=100000, places=2))))],
    )
    return case, kind


@settings(max_examples=150, deadline=None)
@given(ledgers())
def test_actual_is_the_sum_of_the_vouchers_and_the_grant_never_rises(
    data: tuple[fm.Case, str],
) -> None:
    case, kind = data
    result, _ = proof(case)
    assert sum(line.actual for line in result.lines) == sum(v.amount for v in result.vouchers)
    for phase in result.phases:
        assert ZERO <= phase.reduction.final <= phase.reduction.approved
        if kind == "anteilfinanzierung":
            # ANBest Nr. 2.2: within 500 € the approved grant stands, beyond it q × A_ist
            threshold = D("500.00")
            bound = floor_cents(D("0.5") * (phase.recognised + threshold))
            assert phase.reduction.final <= max(ZERO, bound)
        assert phase.balance == phase.reduction.final - phase.paid
        assert phase.refund == max(ZERO, -phase.balance)


@settings(max_examples=100, deadline=None)
@given(
    ledgers(),
    st.integers(min_value=0, max_value=1000),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=900),
            st.decimals(min_value=D("0.01"), max_value=D("50000"), places=2),
        ),
        max_size=3,
    ),
)
def test_income_covers_the_booked_expenditure_and_the_lines_add_up_to_the_list(
    data: tuple[fm.Case, str], day: int, received: list[tuple[int, Decimal]]
) -> None:
    case, _ = data
    case = case.model_copy(
        update={
            "income": tuple(
                fm.Income(
                    id=f"E{i}",
                    received_on=date(2024, 1, 1) + timedelta(days=offset),
                    amount=amount,
                )
                for i, (offset, amount) in enumerate(received)
            )
        }
    )
    as_of = date(2024, 1, 1) + timedelta(days=day)  # before, during or after the phase
    result, _ = proof(case, as_of)
    if not result.evaluated:
        return
    totals = result.totals
    assert totals is not None
    booked = sum((line.actual for line in result.lines), ZERO)
    # the Deckung: income "laut Abrechnung" = expenditure "laut Abrechnung"
    assert sum((row.actual for row in result.income), ZERO) == booked == totals.counted_eligible
    assert sum((p.booked for p in result.phases), ZERO) == booked
    # "Ist insgesamt" and the vouchers left out add up to the Belegliste
    assert sum((line.actual_total for line in result.lines), ZERO) == totals.counted
    assert sum((line.excluded for line in result.lines), ZERO) == totals.excluded
    assert totals.listed == totals.counted + totals.excluded
    assert totals.recorded == totals.listed + totals.after_key_date
    for phase in result.phases:
        assert phase.projected == (as_of < date(2025, 12, 31))
        if not phase.projected:
            assert phase.booked == phase.actual
    assert result.projected == any(p.projected for p in result.phases)


# --- Signs and net amounts: contradictions are errors and do not count -------------------------

# (voucher, check code, words of the message)
CONTRADICTIONS = [
    pytest.param(
        {"amount": "-500.00"}, "sign", "als Ausgabe mit negativem Betrag", id="negative-expenditure"
    ),
    pytest.param(
        {"amount": "500.00", "kind": "credit"},
        "credit-sign",
        "als Gutschrift mit positivem Betrag",
        id="positive-credit-note",
    ),
    pytest.param(
        {"amount": "500.00", "net_amount": "595.00"},
        "net-above-gross",
        "brutto 500,00\u00a0€, netto 595,00\u00a0€",
        id="net-above-gross",
    ),
    pytest.param(
        {"amount": "-500.00", "net_amount": "-595.00", "kind": "credit"},
        "net-above-gross",
        "Nettobetrag über dem Bruttobetrag",
        id="net-above-gross-credit",
    ),
    pytest.param(
        {"amount": "595.00", "net_amount": "-500.00"},
        "net-sign",
        "anderen Vorzeichens",
        id="net-negative",
    ),
    pytest.param(
        {"amount": "-595.00", "net_amount": "500.00", "kind": "credit"},
        "net-sign",
        "anderen Vorzeichens",
        id="credit-net-positive",
    ),
    pytest.param(
        {"amount": "595.00", "net_amount": "0.00"},
        "net-sign",
        "anderen Vorzeichens",
        id="net-zero",
    ),
]


@pytest.mark.parametrize("deductible", [False, True], ids=["gross", "net"])
@pytest.mark.parametrize(("voucher", "code", "words"), CONTRADICTIONS)
def test_contradictory_voucher_is_an_error_and_does_not_count(
    voucher: dict[str, str], code: str, words: str, deductible: bool
) -> None:
    good = {"id": "OK", "line": "L", "paid_on": "2024-04-01", "amount": "1190.00"}
    if deductible:
        good["net_amount"] = "1000.00"
    case = make_case(
        extra={
            "settings": {"input_tax_deduction": deductible},
            "expenditures": [good, {"id": "X", "line": "L", "paid_on": "2024-04-02", **voucher}],
        }
    )
    report = fm.evaluate(case, AS_OF)
    result = report.proof_of_use
    (excluded,) = result.excluded
    assert (excluded.voucher, excluded.code, excluded.counted) == ("X", code, False)
    assert [v.id for v in result.vouchers] == ["OK"]
    assert result.lines[0].actual == D("1000.00" if deductible else "1190.00")
    assert result.lines[0].excluded == D(voucher["amount"])
    (finding,) = [f for f in report.findings if f.code == f"voucher-{code}"]
    assert finding.severity is fm.Severity.ERROR
    assert words in finding.message
    assert "nicht gezählt" in finding.message
    assert "Im Belegbuch korrigieren" in finding.message
    assert "X (" in finding.message  # names the voucher
    # the own share is never negative from such a voucher
    assert all(v.amount > 0 for v in result.vouchers)


@pytest.mark.parametrize(
    "voucher",
    [
        {"amount": "-500.00", "kind": "credit"},
        {"amount": "-595.00", "net_amount": "-500.00", "kind": "credit"},
        {"amount": "595.00", "net_amount": "500.00"},
        {"amount": "500.00", "net_amount": "500.00"},
        {"amount": "0.00"},
    ],
)
def test_consistent_vouchers_have_no_sign_finding(voucher: dict[str, str]) -> None:
    case = make_case(
        extra={"expenditures": [{"id": "X", "line": "L", "paid_on": "2024-04-02", **voucher}]}
    )
    report = fm.evaluate(case, AS_OF)
    assert report.proof_of_use.excluded == ()
    assert not {f.code for f in report.findings if f.code.startswith("voucher-")}


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("BO-X;01.03.2023;-500,00;B-1.1;Firma;Storno;Ausgabe;;", "voucher-sign"),
        ("BO-X;01.03.2023;500,00;B-1.1;Firma;Gutschrift;Gutschrift;BO-1;", "voucher-credit-sign"),
        ("BO-X;01.03.2023;500,00;B-1.1;Firma;Rechnung;Ausgabe;;595,00", "voucher-net-above-gross"),
        ("BO-X;01.03.2023;595,00;B-1.1;Firma;Rechnung;Ausgabe;;-500,00", "voucher-net-sign"),
    ],
)
def test_contradictory_ledger_row_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, code: str
) -> None:
    # the Bochum ledger with a net column, and one contradictory row: exit 1, one new error
    ledger = (BOCHUM.parent / "bochum-ledger.csv").read_text(encoding="utf-8-sig").splitlines()
    fields = row.split(";")  # the shipped ledger has the invoice columns after "Bezug"
    row = ";".join([*fields[:8], "", "", *fields[8:]])
    lines = [ledger[0] + ";Netto", *(x + ";" for x in ledger[1:]), row]
    (tmp_path / "bochum-ledger.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    case = tmp_path / "fall.toml"
    case.write_text(BOCHUM.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["report", str(case), "--as-of", "30.06.2025", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert [f["code"] for f in errors] == [code]
    assert "bochum-ledger.csv:3875" in errors[0]["message"]
    assert main(["proof", str(case), "--as-of", "30.06.2025"]) == 1
    assert "[Fehler] Belegliste:" in capsys.readouterr().out


def test_bochum_ledger_has_no_contradictory_voucher() -> None:
    from foerdermittel.io.case_file import attach_ledger

    case = attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    report = fm.evaluate(case, date(2026, 9, 30))
    assert {e.code for e in report.proof_of_use.excluded} == {
        "outside-period",
        "duplicate-voucher",
    }
    assert report.proof_of_use.vouchers  # credit notes count, with their negative amounts
    assert any(v.kind == "credit" and v.amount < 0 for v in report.proof_of_use.vouchers)
