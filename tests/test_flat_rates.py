"""Pauschalen (flat rates): planned and settled as rate × base, rounded down to the cent.

Regulation (EU) 2021/1060 Art. 54 Buchst. b (indirect costs up to 15 % of direct staff costs)
and Art. 55 Abs. 1 (direct staff costs up to 20 % of the other direct costs). The figures in the
comments are computed by hand.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.cli import render_report
from foerdermittel.export.text import render_proof
from foerdermittel.flat_rates import check_flat_rates, flat_rate_amount, flat_rate_amounts
from foerdermittel.vouchers import eligible_paid

LATE = date(2025, 6, 30)

ART_54_B = "Verordnung (EU) 2021/1060 Art. 54 Buchst. b"
ART_55 = "Verordnung (EU) 2021/1060 Art. 55 Abs. 1"

PROGRAMME: dict[str, Any] = {
    "id": "efre-beispiel",
    "title": "EFRE-Beispielaufruf",
    "call_date": "2023-01-01",
    "default_rulebook": "anbest-gk-2019",
    "rates": {"standard": "0.6"},
    "default_tier": "standard",
    "phases": {"P": {"title": "Vorhaben", "cap": "10000000.00", "source": "Aufruf"}},
    "flat_rates": {
        "indirect-staff": {
            "title": "indirekte Kosten",
            "max_rate": "0.15",
            "base": ["own_staff"],
            "source": ART_54_B,
        },
        "staff": {
            "title": "direkte Personalkosten",
            "max_rate": "0.20",
            "base": ["external_services", "material", "investment", "other"],
            "source": ART_55,
        },
    },
    "source": "EFRE-Beispielaufruf",
}


def _line(ident: str, category: str, amount: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "title": f"Ansatz {ident}",
        "phase": "P",
        "category": category,
        "amounts": {"2024": amount},
        **extra,
    }


def efre_data(
    *,
    flat_amount: str = "15000.00",
    rate: str = "0.15",
    expenditures: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An EFRE-like phase 2024: staff 100,000 €, material 50,000 €, indirect 15 % of staff.

    15 % × 100,000.00 = 15,000.00; eligible 165,000.00 at a rate of 60 %.
    """
    return {
        "grant": {
            "id": "EFRE-1",
            "funder": "Land NRW",
            "funder_land": "NW",
            "recipient": "Stadt Musterstadt",
            "land": "NW",
            "rulebook": "anbest-gk-2019",
            "loaded_programme": copy.deepcopy(PROGRAMME),
            "decision_date": "2023-12-01",
            "financing_type": "anteilfinanzierung",
            "rate": "0.6",
            "phases": [
                {
                    "id": "P",
                    "title": "Vorhaben",
                    "start": "2024-01-01",
                    "end": "2024-12-31",
                    "eligible_expenditure": str(Decimal("150000.00") + Decimal(flat_amount)),
                }
            ],
        },
        "plan": {
            "lines": [
                _line("1", "own_staff", "100000.00"),
                _line("2", "material", "50000.00"),
                _line(
                    "3",
                    "other",
                    flat_amount,
                    flat_rate={"rule": "indirect-staff", "rate": rate},
                ),
            ]
        },
        "expenditures": expenditures or [],
    }


def flat_case(data: dict[str, Any]) -> fm.Case:
    return fm.Case.from_data(data)


# --- the plan --------------------------------------------------------------------------------


def test_a_plan_at_rate_times_base_has_no_finding() -> None:
    case = flat_case(efre_data())
    rulebook, _ = case.rulebook()
    assert check_flat_rates(case, rulebook) == ()
    (amount,) = flat_rate_amounts(case.plan, rulebook, {"1": Decimal("100000.00")})
    assert amount.flat.base_lines == ("1",)
    assert amount.flat.rate == Decimal("0.15")
    assert (amount.base_amount, amount.amount) == (Decimal("100000.00"), Decimal("15000.00"))
    report = fm.evaluate(case, date(2024, 1, 15))
    assert not [f for f in report.findings if f.code.startswith("flat-rate")]


def test_a_planned_amount_off_the_rate_is_an_error_with_both_figures() -> None:
    # planned 15,500.00; 15 % × 100,000.00 = 15,000.00; difference 500.00
    case = flat_case(efre_data(flat_amount="15500.00"))
    report = fm.evaluate(case, date(2024, 1, 15))
    (found,) = [f for f in report.findings if f.code == "flat-rate-plan-mismatch"]
    assert found.severity is fm.Severity.ERROR
    assert found.subject == "Ansatz 3"
    assert found.legal_reference == ART_54_B
    assert found.text.params["planned"] == Decimal("15500.00")
    assert found.text.params["computed"] == Decimal("15000.00")
    assert found.message == (
        "2024: geplant 15.500,00\xa0€, die Pauschale 15\xa0% von 100.000,00\xa0€ ergibt "
        "15.000,00\xa0€ (auf volle Cent abgerundet, über die Jahre kumuliert; Differenz "
        "500,00\xa0€)"
    )
    assert "rounded down to the cent on the running total" in found.message_in("en")


def test_the_plan_rounds_down_to_the_cent() -> None:
    # 15 % × 33,333.33 = 4,999.9995 → 4,999.99 (rounded down, not half up to 5,000.00)
    data = efre_data(flat_amount="4999.99")
    data["plan"]["lines"][0]["amounts"] = {"2024": "33333.33"}
    data["grant"]["phases"][0]["eligible_expenditure"] = "88333.32"
    case = flat_case(data)
    rulebook, _ = case.rulebook()
    assert check_flat_rates(case, rulebook) == ()
    assert flat_rate_amount(Decimal("0.15"), Decimal("33333.33")) == Decimal("4999.99")


def test_the_years_are_rounded_down_on_the_running_total() -> None:
    # staff 33,333.33 (2024) + 66,666.67 (2025) = 100,000.00; 15 %:
    # 2024: floor(4,999.9995) = 4,999.99; 2025: floor(15,000.00) − 4,999.99 = 10,000.01
    # (each year on its own would give 4,999.99 + 10,000.00 = 14,999.99, a cent short)
    data = efre_data()
    data["grant"]["phases"][0]["end"] = "2025-12-31"
    data["plan"]["lines"][0]["amounts"] = {"2024": "33333.33", "2025": "66666.67"}
    data["plan"]["lines"][2]["amounts"] = {"2024": "4999.99", "2025": "10000.01"}
    case = flat_case(data)
    rulebook, _ = case.rulebook()
    assert check_flat_rates(case, rulebook) == ()
    data["plan"]["lines"][2]["amounts"] = {"2024": "4999.99", "2025": "10000.00"}
    data["grant"]["phases"][0]["eligible_expenditure"] = "164999.99"
    case = flat_case(data)
    (found,) = check_flat_rates(case, rulebook)
    assert found.text.params["year"] == 2025
    assert found.text.params["computed"] == Decimal("10000.01")


def test_an_extension_replans_the_flat_rate_from_its_base() -> None:
    # staff 80,000 booked by May 2024, the phase extended to 30.06.2025: the base is spread
    # over the new months, the flat rate follows it month by month and keeps 15,000.00
    case = flat_case(efre_data(expenditures=booked_vouchers()[:1]))
    extended = fm.with_extension(case, "P", date(2025, 6, 30), as_of=date(2024, 6, 1))
    lines = {line.id: line for line in extended.amended().plan.lines}
    assert lines["3"].total == Decimal("15000.00")
    staff_2024 = lines["1"].amounts[2024]
    assert lines["3"].amounts[2024] == flat_rate_amount(Decimal("0.15"), staff_2024)
    rulebook, _ = extended.rulebook()
    assert check_flat_rates(extended.amended(), rulebook) == ()


def test_a_rate_above_the_programme_maximum_is_an_error() -> None:
    # 16 % × 100,000.00 = 16,000.00 planned, but Art. 54 Buchst. b allows at most 15 %
    case = flat_case(efre_data(flat_amount="16000.00", rate="0.16"))
    report = fm.evaluate(case, date(2024, 1, 15))
    (found,) = [f for f in report.findings if f.code == "flat-rate-above-max"]
    assert found.severity is fm.Severity.ERROR
    assert found.message == (
        "Pauschalsatz 16\xa0% über dem Höchstsatz 15\xa0% der Pauschale indirect-staff "
        "(indirekte Kosten)"
    )
    assert not [f for f in report.findings if f.code == "flat-rate-plan-mismatch"]


def test_article_55_staff_as_a_share_of_the_other_direct_costs() -> None:
    # staff = 20 % of the other direct costs: (external 40,000 + material 60,000) × 20 %
    # = 20,000.00; the base is every category but own_staff
    data = efre_data()
    data["plan"]["lines"] = [
        _line("1", "external_services", "40000.00"),
        _line("2", "material", "60000.00"),
        _line("3", "own_staff", "20000.00", flat_rate={"rule": "staff", "rate": "0.20"}),
    ]
    data["grant"]["phases"][0]["eligible_expenditure"] = "120000.00"
    data["expenditures"] = [
        {"id": "B1", "line": "1", "paid_on": "2024-03-01", "amount": "30000.00"},
        {"id": "B2", "line": "2", "paid_on": "2024-04-01", "amount": "45000.50"},
    ]
    case = flat_case(data)
    rulebook, _ = case.rulebook()
    assert check_flat_rates(case, rulebook) == ()
    report = fm.evaluate(case, LATE)
    staff = next(line for line in report.proof_of_use.lines if line.line == "3")
    # 20 % × (30,000.00 + 45,000.50) = 20 % × 75,000.50 = 15,000.10
    assert staff.flat_rate is not None
    assert staff.flat_rate.flat.base_lines == ("1", "2")
    assert staff.actual == Decimal("15000.10")
    assert staff.flat_rate.flat.source == ART_55


# --- refused input ---------------------------------------------------------------------------


def test_an_unknown_flat_rate_is_refused_naming_the_programme_ids() -> None:
    data = efre_data()
    data["plan"]["lines"][2]["flat_rate"]["rule"] = "indirect-7"
    with pytest.raises(fm.CaseError) as caught:
        flat_case(data)
    (problem,) = caught.value.problems
    assert problem.path == "plan.lines[2].flat_rate.rule"
    assert problem.value == "indirect-7"
    assert "efre-beispiel kennt: indirect-staff, staff" in problem.message


def test_a_flat_rate_without_a_programme_is_refused() -> None:
    data = efre_data()
    del data["grant"]["loaded_programme"]
    with pytest.raises(fm.CaseError, match="kein Förderprogramm mit Pauschalen"):
        flat_case(data)


def test_a_flat_rate_with_an_empty_base_is_refused() -> None:
    data = efre_data()
    data["plan"]["lines"][0]["category"] = "external_services"  # no own_staff left
    with pytest.raises(fm.CaseError) as caught:
        flat_case(data)
    (problem,) = caught.value.problems
    assert problem.path == "plan.lines[2].flat_rate"
    assert "keinen Ansatz in der Bemessungsgrundlage der Pauschale (own_staff)" in problem.message


def test_a_flat_rate_on_a_flat_rate_is_refused() -> None:
    # staff as a flat rate (Art. 55) and indirect costs as 15 % of staff (Art. 54 b): a chain
    data = efre_data()
    data["plan"]["lines"] = [
        _line("1", "material", "50000.00"),
        _line("2", "own_staff", "10000.00", flat_rate={"rule": "staff", "rate": "0.20"}),
        _line("3", "other", "1500.00", flat_rate={"rule": "indirect-staff", "rate": "0.15"}),
    ]
    with pytest.raises(fm.CaseError) as caught:
        flat_case(data)
    # each is in the other's base: staff's base is every category but own_staff (line 3 is
    # "other"), the indirect costs' base is own_staff (line 2)
    first, second = caught.value.problems
    assert (first.path, second.path) == ("plan.lines[1].flat_rate", "plan.lines[2].flat_rate")
    assert "enthält die Pauschale(n) 3" in first.message
    assert "enthält die Pauschale(n) 2" in second.message


def test_an_override_that_empties_the_base_is_refused() -> None:
    data = efre_data()
    data["overrides"] = [
        {"path": "programme.flat_rates.indirect-staff.base", "value": ["investment"], "reason": "x"}
    ]
    with pytest.raises(fm.CaseError, match="keinen Ansatz in der Bemessungsgrundlage"):
        flat_case(data)


# --- the proof of use ------------------------------------------------------------------------


def booked_vouchers() -> list[dict[str, Any]]:
    """Staff 80,000 € counted (a 5,000 € voucher paid after the phase is excluded), material
    50,000 €, and a 999 € voucher booked to the flat-rate line."""
    return [
        {"id": "B1", "line": "1", "paid_on": "2024-03-01", "amount": "80000.00"},
        {"id": "B2", "line": "1", "paid_on": "2025-03-01", "amount": "5000.00"},
        {"id": "B3", "line": "2", "paid_on": "2024-05-01", "amount": "50000.00"},
        {"id": "B4", "line": "3", "paid_on": "2024-05-01", "amount": "999.00"},
    ]


def test_the_proof_settles_the_flat_rate_from_its_base() -> None:
    # eligible staff 80,000.00 (B2 outside the period) → 15 % = 12,000.00; B4 is not needed
    report = fm.evaluate(flat_case(efre_data(expenditures=booked_vouchers())), LATE)
    proof = report.proof_of_use
    lines = {line.line: line for line in proof.lines}
    flat = lines["3"]
    assert flat.flat_rate is not None
    assert flat.flat_rate.base_amount == Decimal("80000.00")
    assert flat.actual == Decimal("12000.00")
    assert flat.actual_total == Decimal("0.00")
    assert flat.excluded == Decimal("999.00")
    assert lines["1"].flat_rate is None
    # the phase: 80,000 + 50,000 + 12,000 = 142,000; grant 60 % = 85,200.00
    (phase,) = proof.phases
    assert phase.actual == Decimal("142000.00")
    assert phase.reduction.final == Decimal("85200.00")
    (excluded,) = [e for e in proof.excluded if e.line == "3"]
    assert excluded.code == "flat-rate"
    assert excluded.reason == "Pauschale: ohne Einzelbelege abgerechnet"
    codes = {f.code for f in report.findings}
    assert "voucher-flat-rate" in codes
    assert report.reconciliation.ok
    assert "flat-rate-line" in {c.name for c in report.reconciliation.checks}
    # the forecast and the interim proof book the same figure to the flat-rate line
    assert report.forecast.line("3").actual == Decimal("12000.00")
    interim = proof.interim[0]  # 2024 (2025, up to the key date, books nothing)
    assert interim.year == 2024
    assert {row.line: row.year for row in interim.rows}["3"] == Decimal("12000.00")
    assert interim.expenditure == Decimal("142000.00")


def test_what_a_call_reimburses_includes_the_flat_rate_on_the_base_paid() -> None:
    # by 31.03.2024: staff 80,000.00 paid → flat rate 12,000.00, together 92,000.00;
    # by 31.05.2024: + material 50,000.00 = 142,000.00 (the 999 € on the flat line never count)
    case = flat_case(efre_data(expenditures=booked_vouchers()))
    assert eligible_paid(case, "P", date(2024, 2, 29)) == Decimal("0.00")
    assert eligible_paid(case, "P", date(2024, 3, 31)) == Decimal("92000.00")
    assert eligible_paid(case, "P", date(2024, 5, 31)) == Decimal("142000.00")


@pytest.mark.parametrize(
    "as_of", [date(2024, 6, 30), date(2024, 9, 30), date(2025, 6, 30)], ids=str
)
def test_calls_in_arrears_with_a_flat_rate_reconcile(as_of: date) -> None:
    data = efre_data(expenditures=booked_vouchers())
    data["overrides"] = [
        {"path": "drawdown.mode", "value": "in_arrears", "reason": "Bescheid"},
        {"path": "drawdown.interval_months", "value": 3, "reason": "Bescheid"},
    ]
    data["payouts"] = [
        {"id": "A1", "phase": "P", "amount": "40000.00", "paid_on": "2024-04-15"},
        {"id": "A2", "phase": "P", "amount": "30000.00", "paid_on": "2024-07-15"},
    ]
    report = fm.evaluate(flat_case(data), as_of)
    assert report.reconciliation.ok, [c.name for c in report.reconciliation.checks if not c.ok]


def test_a_running_phase_projects_the_flat_rate_from_its_base() -> None:
    # key date 30.06.2024: staff 80,000 booked, 20,000 still planned → forecast 100,000;
    # material 50,000 booked → 50,000; projected flat rate 15 % × 100,000 = 15,000.00
    report = fm.evaluate(flat_case(efre_data(expenditures=booked_vouchers())), date(2024, 6, 30))
    (phase,) = report.proof_of_use.phases
    assert phase.projected
    assert phase.actual == Decimal("165000.00")
    assert report.reconciliation.ok


def test_the_report_and_the_proof_show_the_flat_rate() -> None:
    report = fm.evaluate(flat_case(efre_data(expenditures=booked_vouchers())), LATE)
    text = render_report(report)
    assert "Pauschalen:\n  3 Ansatz 3: Pauschale 15\xa0% von Personal (eigen)" in text
    assert ART_54_B in text
    assert "Flat rates:\n  3 Ansatz 3: flat rate 15% of Own staff" in render_report(
        report, lang="en"
    )
    proof = render_proof(report)
    assert (
        "3: Pauschale 15\xa0% von Personal (eigen); Bemessungsgrundlage (zuwendungsfähiges Ist) "
        "80.000,00\xa0€, Pauschale 12.000,00\xa0€ (auf volle Cent abgerundet)"
    ) in proof


def test_the_workbook_shows_the_flat_rate_in_the_financing_plan() -> None:
    import io

    from openpyxl import load_workbook

    from foerdermittel.export import excel

    report = fm.evaluate(flat_case(efre_data(expenditures=booked_vouchers())), LATE)
    values = {
        str(cell.value)
        for ws in load_workbook(io.BytesIO(excel.to_bytes(report))).worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert "Sonstiges — Pauschale 15\xa0% von Personal (eigen)" in values
    assert (
        "Ansatz 3 (Pauschale 15\xa0% von Personal (eigen); Bemessungsgrundlage 80.000,00\xa0€)"
        in values
    )


def test_the_json_of_a_line_without_flat_rate_is_unchanged() -> None:
    report = fm.evaluate(flat_case(efre_data(expenditures=booked_vouchers())), LATE)
    dumped = report.model_dump(mode="json")["proof_of_use"]["lines"]
    assert "flat_rate" not in dumped[0]
    assert dumped[2]["flat_rate"]["amount"] == "12000.00"


# --- property --------------------------------------------------------------------------------

_amounts = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c).scaleb(-2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    staff=st.lists(_amounts, min_size=1, max_size=4),
    on_flat=st.lists(_amounts, max_size=3),
    rate=st.integers(min_value=1, max_value=1500).map(lambda p: Decimal(p) / 10000),
)
def test_the_flat_line_is_floor_of_rate_times_base_whatever_is_booked_to_it(
    staff: list[Decimal], on_flat: list[Decimal], rate: Decimal
) -> None:
    booked = [
        {"id": f"S{i}", "line": "1", "paid_on": "2024-03-01", "amount": str(a)}
        for i, a in enumerate(staff)
    ]
    flat_vouchers = [
        {"id": f"F{i}", "line": "3", "paid_on": "2024-04-01", "amount": str(a)}
        for i, a in enumerate(on_flat)
    ]
    planned = flat_rate_amount(rate, Decimal("100000.00"))
    without = fm.evaluate(
        flat_case(efre_data(flat_amount=str(planned), rate=str(rate), expenditures=booked)), LATE
    )
    more = booked + flat_vouchers
    with_them = fm.evaluate(
        flat_case(efre_data(flat_amount=str(planned), rate=str(rate), expenditures=more)), LATE
    )
    base = sum(staff, Decimal("0.00"))
    for report in (without, with_them):
        flat = next(line for line in report.proof_of_use.lines if line.line == "3")
        assert flat.actual == (rate * base).quantize(Decimal("0.01"), rounding="ROUND_FLOOR")
        assert report.reconciliation.ok
    assert without.proof_of_use.phases == with_them.proof_of_use.phases
