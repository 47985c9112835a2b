"""Worked examples of grant-law §1.4 and the Bochum figures."""

from datetime import date
from decimal import Decimal

import pytest

import foerdermittel as fm
from foerdermittel import rules
from foerdermittel.financing import check_financing, compute_financing, later_reduction

from .common import bochum_data, codes, simple_case

D = Decimal
KEY_DATE = date(2025, 6, 30)  # fixed, so that no finding depends on the day the tests run
REDUCTION = rules.get("anbest-gk-2019").reduction


def findings_of(case: fm.Case) -> tuple[fm.Finding, ...]:
    return fm.evaluate(case, KEY_DATE).findings


# --- Bochum -----------------------------------------------------------------------------


def test_bochum_figures() -> None:
    report = fm.evaluate(fm.load_case("examples/bochum-mpsc.toml"), KEY_DATE)
    fin = report.financing
    assert fin.grant == D("9880000.00")
    assert fin.own_share == D("5320000.00")
    assert fin.eligible_expenditure == D("15200000.00")
    assert fin.phase("A").grant == D("715000.00")
    assert fin.phase("A").own_share == D("385000.00")
    assert fin.phase("B").grant == D("9165000.00")
    assert fin.phase("B").own_share == D("4935000.00")
    # the only finding: the strategy phase was extended by amendment beyond 12 months
    assert [(f.code, f.severity) for f in report.findings] == [
        ("phase-extended-beyond-standard", fm.Severity.INFO)
    ]


# --- Anteilfinanzierung (VV Nr. 2.2.1) -----------------------------------------------------


def test_anteil_rate_times_eligible() -> None:
    fin = compute_financing(simple_case(eligible="15200000.00"))
    assert fin.grant == D("9880000.00")
    assert fin.own_share == D("5320000.00")


def test_anteil_rounds_the_grant_down() -> None:
    # 0.65 × 1000.01 = 650.0065 -> 650.00; the own share takes the rest.
    fin = compute_financing(simple_case(eligible="1000.01"))
    assert fin.grant == D("650.00")
    assert fin.own_share == D("350.01")


def test_anteil_capped_by_hoechstbetrag() -> None:
    case = simple_case(eligible="15200000.00", max_amount="9000000.00")
    fin = compute_financing(case)
    assert fin.grant == D("9000000.00")
    assert fin.phases[0].uncapped_grant == D("9880000.00")
    assert fin.phases[0].capped_by == "grant"
    assert "grant-capped" in codes(findings_of(case))


def test_anteil_cap_on_eligible_basis() -> None:
    case = simple_case(
        eligible="17500000.00",
        max_amount="15000000.00",
        grant_extra={"max_amount_basis": "eligible_cost"},
    )
    # the rate applies to at most 15 M€ of eligible expenditure
    assert compute_financing(case).grant == D("9750000.00")


def test_anteil_eligible_cap_split_over_phases_loses_no_cent() -> None:
    # Bochum with a 15 M€ cap on eligible expenditure: 0.65 × 15,000,000 = 9,750,000.00 €
    # exactly, though the capped expenditure splits over the phases with odd cents.
    data = bochum_data()
    data["grant"].update(
        max_amount=D("15000000.00"),
        max_amount_basis="eligible_cost",
        stated_grant=None,
        stated_own_share=None,
    )
    fin = compute_financing(fm.Case.from_data(data))
    assert fin.grant == D("9750000.00")
    assert all(p.capped_by == "grant" for p in fin.phases)
    assert fin.total == D("15200000.00")


def test_anteil_third_party_money_lowers_own_share() -> None:
    case = simple_case(
        eligible="100000.00",
        sources=[{"id": "S", "kind": "third_party", "title": "Stadtwerke", "amount": "10000.00"}],
    )
    fin = compute_financing(case)
    assert fin.grant == D("65000.00")
    assert fin.third_party == D("10000.00")
    assert fin.own_share == D("25000.00")
    assert fin.total == D("100000.00")


def test_overfinanced_plan_is_an_error() -> None:
    case = simple_case(
        eligible="100000.00",
        sources=[{"id": "S", "kind": "other_public", "title": "Land", "amount": "40000.00"}],
    )
    assert compute_financing(case).own_share == D("-5000.00")
    assert "overfinanced" in codes(findings_of(case))


# --- Fehlbedarfsfinanzierung (VV Nr. 2.2.2) ------------------------------------------------


def test_fehlbedarf_covers_the_gap() -> None:
    sources = [
        {"id": "E", "kind": "own_funds", "title": "Stadt", "amount": "20000.00"},
        {"id": "D", "kind": "third_party", "title": "Verein", "amount": "10000.00"},
    ]
    case = simple_case(financing_type="fehlbedarfsfinanzierung", rate=None, sources=sources)
    fin = compute_financing(case)
    assert fin.grant == D("70000.00")
    assert fin.own_share == D("20000.00")
    capped = simple_case(
        financing_type="fehlbedarfsfinanzierung",
        rate=None,
        sources=sources,
        max_amount="60000.00",
    )
    assert compute_financing(capped).grant == D("60000.00")
    assert compute_financing(capped).own_share == D("30000.00")


# --- Festbetragsfinanzierung (VV Nr. 2.2.3) ------------------------------------------------


def test_festbetrag_fixed_and_per_unit() -> None:
    case = simple_case(
        financing_type="festbetragsfinanzierung",
        rate=None,
        eligible="80000.00",
        phase_extra={"fixed_amount": "50000.00"},
    )
    assert compute_financing(case).grant == D("50000.00")
    per_unit = simple_case(
        financing_type="festbetragsfinanzierung",
        rate=None,
        eligible="80000.00",
        phase_extra={"units": 12, "amount_per_unit": "2500.00"},
    )
    assert compute_financing(per_unit).grant == D("30000.00")


def test_festbetrag_never_above_eligible() -> None:
    case = simple_case(
        financing_type="festbetragsfinanzierung",
        rate=None,
        eligible="40000.00",
        phase_extra={"fixed_amount": "50000.00"},
    )
    assert compute_financing(case).grant == D("40000.00")


def test_festbetrag_needs_an_amount() -> None:
    with pytest.raises(fm.CaseError, match="Festbetrag"):
        simple_case(financing_type="festbetragsfinanzierung", rate=None)


# --- Vollfinanzierung (VV Nr. 2.3) ---------------------------------------------------------


def test_voll_all_but_cover_funds() -> None:
    case = simple_case(
        financing_type="vollfinanzierung",
        rate=None,
        sources=[{"id": "D", "kind": "third_party", "title": "Dritte", "amount": "10000.00"}],
    )
    fin = compute_financing(case)
    assert fin.grant == D("90000.00")
    assert fin.own_share == D("0.00")


# --- Later reduction (ANBest Nr. 2) ---------------------------------------------------------


def anteil_reduction(actual: str, cover: str = "0.00") -> fm.Reduction:
    return later_reduction(
        financing_type=fm.FinancingType.ANTEIL,
        rate=D("0.65"),
        approved_grant=D("9880000.00"),
        planned_eligible=D("15200000.00"),
        actual_eligible=D(actual),
        planned_cover=D("0.00"),
        actual_cover=D(cover),
        rule=REDUCTION,
    )


def test_reduction_anteil_worked_examples() -> None:
    # grant-law §1.4: A_ist = 14,000,000 -> Z = 9,100,000
    r = anteil_reduction("14000000.00")
    assert (r.final, r.reduction, r.triggered) == (D("9100000.00"), D("780000.00"), True)
    # A stays, 500,000 € new third-party money -> Z = 0.65 × 14,700,000 = 9,555,000
    assert anteil_reduction("15200000.00", cover="500000.00").final == D("9555000.00")


def test_reduction_never_raises_the_grant() -> None:
    r = anteil_reduction("16000000.00")
    assert r.final == D("9880000.00")
    assert not r.triggered


@pytest.mark.parametrize(
    ("actual", "triggered", "final"),
    [
        ("15199500.00", False, "9880000.00"),  # exactly 500 € less: not "more than 500"
        ("15199499.99", True, "9879674.99"),  # 500.01 € less: 0.65 × A_ist, rounded down
    ],
)
def test_reduction_500_euro_threshold(actual: str, triggered: bool, final: str) -> None:
    r = anteil_reduction(actual)
    assert r.triggered is triggered
    assert r.final == D(final)


def test_reduction_threshold_on_cover_funds() -> None:
    assert not anteil_reduction("15200000.00", cover="500.00").triggered
    assert anteil_reduction("15200000.00", cover="500.01").final == D("9879674.99")


def test_reduction_net_threshold_mode() -> None:
    # expenditure −400 €, cover funds +400 €: each change alone is within 500 €,
    # their combined effect on the gap (800 €) is not.
    kwargs = {
        "financing_type": fm.FinancingType.FEHLBEDARF,
        "approved_grant": D("70000.00"),
        "planned_eligible": D("100000.00"),
        "actual_eligible": D("99600.00"),
        "planned_cover": D("10000.00"),
        "actual_cover": D("10400.00"),
        "own_funds_planned": D("20000.00"),
    }
    separate = later_reduction(rule=REDUCTION, **kwargs)  # type: ignore[arg-type]
    assert (separate.final, separate.triggered) == (D("70000.00"), False)
    net_rule = REDUCTION.model_copy(update={"threshold_mode": "net"})
    net = later_reduction(rule=net_rule, **kwargs)  # type: ignore[arg-type]
    assert (net.final, net.triggered) == (D("69200.00"), True)


def test_reduction_fehlbedarf_full_amount() -> None:
    r = later_reduction(
        financing_type=fm.FinancingType.FEHLBEDARF,
        approved_grant=D("70000.00"),
        planned_eligible=D("100000.00"),
        actual_eligible=D("95000.00"),
        planned_cover=D("10000.00"),
        actual_cover=D("10000.00"),
        own_funds_planned=D("20000.00"),
        rule=REDUCTION,
    )
    assert r.final == D("65000.00")  # every euro saved reduces the grant 1:1


def test_reduction_fehlbedarf_below_threshold() -> None:
    r = later_reduction(
        financing_type=fm.FinancingType.FEHLBEDARF,
        approved_grant=D("70000.00"),
        planned_eligible=D("100000.00"),
        actual_eligible=D("99600.00"),
        planned_cover=D("10000.00"),
        actual_cover=D("10000.00"),
        own_funds_planned=D("20000.00"),
        rule=REDUCTION,
    )
    assert (r.final, r.triggered) == (D("70000.00"), False)


def test_reduction_voll_has_no_threshold() -> None:
    r = later_reduction(
        financing_type=fm.FinancingType.VOLL,
        approved_grant=D("90000.00"),
        planned_eligible=D("100000.00"),
        actual_eligible=D("99900.00"),
        planned_cover=D("10000.00"),
        actual_cover=D("10000.00"),
        rule=REDUCTION,
    )
    assert r.final == D("89900.00")
    assert r.triggered


def test_reduction_festbetrag_not_under_nr_2() -> None:
    kwargs = {
        "financing_type": fm.FinancingType.FESTBETRAG,
        "approved_grant": D("50000.00"),
        "planned_eligible": D("80000.00"),
        "planned_cover": D("0.00"),
        "actual_cover": D("20000.00"),
        "rule": REDUCTION,
    }
    untouched = later_reduction(actual_eligible=D("60000.00"), **kwargs)  # type: ignore[arg-type]
    assert (untouched.final, untouched.triggered) == (D("50000.00"), False)
    capped = later_reduction(actual_eligible=D("45000.00"), **kwargs)  # type: ignore[arg-type]
    assert capped.final == D("45000.00")


# --- Findings -------------------------------------------------------------------------------


def bochum_with(change: dict[str, object]) -> fm.Case:
    data = bochum_data()
    grant = data["grant"]
    for key, value in change.items():
        target = grant
        *path, last = key.split(".")
        for part in path:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return fm.Case.from_data(data)


def test_phase_cap_exceeded() -> None:
    case = bochum_with({"phases.1.eligible_expenditure": "15100000.00"})
    found = codes(findings_of(case))
    assert "phase-cap-exceeded" in found
    assert "plan-lines-mismatch" in found  # lines still add up to 14.1 M€


def test_phase_cap_on_grant_basis_after_override() -> None:
    data = bochum_data()
    data["grant"]["phases"][1]["eligible_expenditure"] = D("15100000.00")
    data["overrides"] = [
        {"path": "programme.phases.B.cap_basis", "value": "grant", "reason": "Zusage"}
    ]
    case = fm.Case.from_data(data)
    report = fm.evaluate(case, KEY_DATE)
    # 0.65 × 15.1 M€ = 9.815 M€ of grant is within the 15 M€ cap on the grant
    assert "phase-cap-exceeded" not in codes(report.findings)
    assert report.overrides[0].path == "programme.phases.B.cap_basis"


def test_first_measures_sub_cap() -> None:
    data = bochum_data()
    for line in data["plan"]["lines"]:
        if line["phase"] == "A":
            line["first_measure"] = True
    data["grant"]["phases"][0]["eligible_expenditure"] = D("1100000.00")
    case = fm.Case.from_data(data)
    assert "first-measures-cap-exceeded" in codes(findings_of(case))


def test_phase_too_long() -> None:
    case = bochum_with({"phases.0.end": "2022-12-31"})
    found = [f for f in findings_of(case) if f.code == "phase-too-long"]
    assert len(found) == 1
    assert "30.11.2022" in found[0].message  # latest allowed end of 12 months
    assert found[0].subject == "Phase A"


def test_rate_above_tier() -> None:
    case = bochum_with({"rate": "0.90"})
    found = codes(findings_of(case))
    assert "rate-above-tier" in found
    ok = bochum_with({"rate": "0.90", "rate_tier": "haushaltsnotlage", "max_amount": None})
    assert "rate-above-tier" not in codes(findings_of(ok))


def test_hagenow_stated_parts_do_not_add_up() -> None:
    # Hagenow 2020: volume 877,049 €, grant 570,456 €, own share 306,513 € -> 80 € gap.
    case = simple_case(
        eligible="877049.00",
        grant_extra={
            "eligible_expenditure": "877049.00",
            "stated_grant": "570456.00",
            "stated_own_share": "306513.00",
        },
    )
    found = {f.code: f for f in findings_of(case)}
    assert "stated-parts-mismatch" in found
    assert "80,00" in found["stated-parts-mismatch"].message
    assert "stated-grant-mismatch" in found  # 65 % of 877,049 € is 570,081.85 €


def test_line_stated_total_mismatch() -> None:
    case = simple_case(
        lines=[
            {
                "id": "1",
                "title": "Ansatz",
                "phase": "P",
                "category": "material",
                "amounts": {"2024": "60000.00", "2025": "40000.00"},
                "stated_total": "100080.00",
            }
        ]
    )
    assert codes(findings_of(case)) == {"line-total-mismatch"}


def test_check_financing_returns_all_findings_not_just_the_first() -> None:
    case = bochum_with(
        {"phases.0.end": "2023-01-31", "phases.1.eligible_expenditure": "15100000.00"}
    )
    rulebook, _ = case.rulebook()
    amended = case.amended()
    found = codes(check_financing(amended, rulebook, compute_financing(amended), decided=case))
    assert {"phase-too-long", "phase-cap-exceeded", "plan-lines-mismatch"} <= found


def test_decision_naming_an_edition_before_it_applies() -> None:
    # ANBest-Gk of 17.05.2024 named by a decision of 15.12.2023
    case = simple_case(grant_extra={"rulebook": "anbest-gk-2024"})
    (found,) = [f for f in findings_of(case) if f.code == "rulebook-not-in-force"]
    assert found.subject == "Bescheid T-1"
    assert "gilt erst ab 17.05.2024, der Bescheid ist vom 15.12.2023" in found.message
    assert "rulebook-not-in-force" not in codes(findings_of(simple_case()))


def test_land_variant_for_a_recipient_elsewhere() -> None:
    case = simple_case(grant_extra={"rulebook": "anbest-g-nrw-2023", "land": "BY"})
    (found,) = [f for f in findings_of(case) if f.code == "rulebook-other-land"]
    assert "Empfänger im Land NW, der Empfänger sitzt im Land BY" in found.message
    assert found.legal_reference == "§ 44 LHO (NW)"
    nrw = simple_case(grant_extra={"rulebook": "anbest-g-nrw-2023"})
    assert "rulebook-other-land" not in codes(findings_of(nrw))
