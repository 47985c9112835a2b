"""The programme files KfW 432, Städtebauförderung NRW and EFRE/JTF NRW, and their examples.

Each programme file loads with the values read from its sources; each example case evaluates
on two key dates and reconciles (Abstimmung); the KfW 432 example breaks the programme's
limits on purpose and shows the findings.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import foerdermittel as fm
from foerdermittel import rules
from foerdermittel.cli import main
from foerdermittel.io.case_file import loads_case
from foerdermittel.message_types import Subject
from foerdermittel.rules.files import load_programme_file, shipped_rule_dir

from .common import ROOT

D = Decimal
EXAMPLES = ROOT / "examples"
KFW = EXAMPLES / "kfw432-quartier.toml"
STADTERNEUERUNG = EXAMPLES / "stadterneuerung-nrw.toml"
EFRE = EXAMPLES / "efre-nrw.toml"

# Two key dates per example: while the grant runs, and after its (last) approval period.
KEY_DATES = {
    KFW: (date(2024, 6, 30), date(2027, 6, 30)),
    STADTERNEUERUNG: (date(2025, 6, 30), date(2026, 12, 31)),
    EFRE: (date(2025, 6, 30), date(2027, 6, 30)),
}


def codes(report: fm.Report) -> set[str]:
    return {f.code for f in report.findings}


def as_known_on(case: fm.Case, day: date) -> fm.Case:
    """The case as it stood on ``day``: without the amendments decided later."""
    kept = tuple(a for a in case.amendments if a.decided_on <= day)
    return case.model_copy(update={"amendments": kept})


def variant(path: Path, *changes: tuple[str, str]) -> fm.Case:
    """The example at ``path`` with pieces of its text replaced (old, new)."""
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    return loads_case(text, fmt="toml", file=path.name)


def mentions(finding: fm.Finding, ident: str) -> bool:
    """Whether the finding is about ``ident`` or names it among its figures."""
    params = finding.text.params.values()
    return finding.about.id == ident or any(
        p == ident or (isinstance(p, Subject) and p.id == ident) for p in params
    )


# --- the programme files ------------------------------------------------------------------------


@pytest.mark.parametrize("ident", ["kfw-432-2021", "stadterneuerung-nrw-2023", "efre-jtf-nrw-2021"])
def test_each_programme_file_loads_and_checks(
    ident: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shipped_rule_dir() / f"{ident}.toml"
    assert load_programme_file(path) == rules.get_programme(ident)
    assert main(["rules", "check", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: in Ordnung — Förderaufruf {ident} „")


def test_kfw_432_values() -> None:
    prog = rules.get_programme("kfw-432-2021")
    assert prog.default_rulebook == "anbest-gk-2019"
    assert dict(prog.rates) == {"standard": D("0.75")}  # no higher tier for 2021–2023
    a, b = prog.phases["A"], prog.phases["B"]
    # component A (Quartierskonzept): up to one year, "ohne Höchstbetrag"
    assert (a.cap, str(a.max_duration)) == (None, "1 Jahr")
    assert (b.cap, b.cap_basis.value, str(b.max_duration)) == (D("210000.00"), "grant", "3 Jahre")
    # "Bei einer Verlängerung … auf insgesamt bis zu EUR 350.000", "bis zu 5 Jahre"
    assert (b.extended_cap, str(b.extended_max_duration)) == (D("350000.00"), "5 Jahre")
    assert prog.drawdown is None  # the Merkblatt's Mittelabruf rule was not read
    assert prog.limits is not None
    assert prog.limits.max_public_share == D("0.85")
    assert prog.limits.min_payout == D("5000.00")
    assert prog.limits.min_own_share is None  # "5 % des Restbetrags" is ambiguous
    (cap,) = prog.limits.category_caps
    assert (cap.categories, cap.share, cap.of) == (
        ("material",),
        D("0.20"),
        ("own_staff", "external_services"),
    )
    rb, _ = rules.resolve(prog.default_rulebook, prog.id)
    assert rb.effective_limits == prog.limits
    assert rb.effective_drawdown == rules.get("anbest-gk-2019").drawdown


def test_stadterneuerung_nrw_values() -> None:
    prog = rules.get_programme("stadterneuerung-nrw-2023")
    assert prog.default_rulebook == "anbest-g-nrw-2023"
    assert prog.default_tier == "regelfoerdersatz"
    # 60 % with Zu- und Abschläge of 10 percentage points each: 40 % to 80 %
    assert sorted(prog.rates.values()) == [D("0.40"), D("0.50"), D("0.60"), D("0.70"), D("0.80")]
    assert set(prog.tiers) == set(prog.rates)
    assert not any(tier.up_to for tier in prog.tiers.values())
    condition = prog.tiers["foerdersatz-70"].condition
    assert condition is not None
    assert "+10 Prozentpunkte" in condition
    assert prog.limits is None
    assert prog.drawdown is None


def test_efre_jtf_nrw_values() -> None:
    prog = rules.get_programme("efre-jtf-nrw-2021")
    assert prog.default_rulebook == "anbest-g-nrw-2023"  # ANBest-EU are not shipped
    assert dict(prog.rates) == {"kommune": D("0.90")}
    assert prog.tiers["kommune"].up_to  # the call's rate, at most 90 %
    assert prog.limits is not None
    assert prog.limits.min_own_share == D("0.10")
    assert prog.drawdown is None  # reimbursement, but its interval was not found
    flat = {k: (v.max_rate, v.base) for k, v in prog.flat_rates.items()}
    assert flat == {
        "indirect-staff": (D("0.15"), ("own_staff",)),
        "indirect-direct": (D("0.07"), ()),
        "staff-other": (D("0.20"), ("external_services", "material", "investment", "other")),
        "remaining-staff": (D("0.40"), ("own_staff",)),
    }
    assert prog.flat_rates["indirect-staff"].source.startswith(
        "Verordnung (EU) 2021/1060 Art. 54 Buchst. b"
    )
    read_in = prog.flat_rates["remaining-staff"].read_in
    assert read_in is not None
    assert read_in.startswith("Wortlaut von Art. 56 nicht gelesen")


@pytest.mark.parametrize("ident", ["kfw-432-2021", "stadterneuerung-nrw-2023", "efre-jtf-nrw-2021"])
def test_rules_show_prints_each_programme(ident: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", ident]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{ident} — ")
    assert "Grundlage: " in out


# --- every example evaluates and reconciles -----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "as_of"),
    [(path, day) for path, days in KEY_DATES.items() for day in days],
    ids=lambda v: v.name if isinstance(v, Path) else v.isoformat(),
)
def test_each_example_evaluates_and_reconciles(path: Path, as_of: date) -> None:
    report = fm.evaluate(fm.load_case(path), as_of)
    assert report.reconciliation.checks
    assert [c for c in report.reconciliation.checks if not c.ok] == []
    assert report.reconciliation.ok
    assert "reconciliation-failed" not in codes(report)


@pytest.mark.parametrize("path", list(KEY_DATES), ids=lambda p: p.name)
def test_each_example_runs_on_the_command_line(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for as_of in KEY_DATES[path]:
        status = main(["report", str(path), "--as-of", as_of.isoformat()])
        assert status in (0, 1)  # never 2 (bad input) or 3 (internal error)
        out = capsys.readouterr().out
        assert "Abstimmung: " in out
        assert "alle stimmen" in out


# --- KfW 432: the limits the example breaks -----------------------------------------------------

# As decided (Zusage 15.11.2021): eligible 300.000 €; 75 % = 225.000 €, capped by the
# Höchstbetrag of 210.000 €; Land 60.000 €; own share 300.000 − 210.000 − 60.000 = 30.000 €.
# Public money 210.000 + 60.000 = 270.000 € = 90 % > 85 % (255.000 €).


def test_kfw_as_decided_figures_and_public_share() -> None:
    case = as_known_on(fm.load_case(KFW), date(2023, 6, 30))
    assert case.amendments == ()
    report = fm.evaluate(case, date(2023, 6, 30))
    fin = report.financing
    assert (fin.eligible_expenditure, fin.grant, fin.other_public, fin.own_share) == (
        D("300000.00"),
        D("210000.00"),
        D("60000.00"),
        D("30000.00"),
    )
    (finding,) = [f for f in report.findings if f.code == "public-share-exceeded"]
    assert finding.severity is fm.Severity.ERROR
    params = finding.text.params
    assert (params["public"], params["cap"], params["allowed"]) == (
        D("270000.00"),
        D("0.85"),
        D("255000.00"),
    )
    assert params["share"] == D("0.9000")
    assert finding.legal_reference.startswith("KfW-Merkblatt Energetische Stadtsanierung")
    assert report.reconciliation.ok


def test_kfw_extension_beyond_three_years_is_information() -> None:
    report = fm.evaluate(fm.load_case(KFW), date(2024, 6, 30))
    (finding,) = [f for f in report.findings if f.code == "phase-extended-beyond-standard"]
    assert finding.severity is fm.Severity.INFO
    assert "phase-too-long" not in codes(report)
    # 350.000 € after Ä-1: within the programme's extended cap, above the three-year 210.000 €
    assert "phase-cap-exceeded" not in codes(report)


def test_kfw_extension_above_the_extended_cap_is_an_error() -> None:
    # Ä-1 with a Höchstbetrag of 360.000 €: 75 % of 470.000 € = 352.500 € > 350.000 €
    case = variant(
        KFW,
        ("max_amount = 350000.00\n", "max_amount = 360000.00\n"),
        ("max_amount = 350000.00\n", "max_amount = 360000.00\n"),
    )
    report = fm.evaluate(case, date(2024, 12, 31))
    (finding,) = [f for f in report.findings if f.code == "phase-cap-exceeded"]
    assert (finding.text.params["amount"], finding.text.params["cap"]) == (
        D("352500.00"),
        D("350000.00"),
    )


def test_kfw_extension_beyond_five_years_is_an_error() -> None:
    # 01.01.2022 + 5 years ends 31.12.2026; Ä-1 to 31.03.2027 goes beyond "bis zu 5 Jahre"
    case = variant(KFW, ("new_end = 2026-12-31", "new_end = 2027-03-31"))
    report = fm.evaluate(case, date(2024, 12, 31))
    (finding,) = [f for f in report.findings if f.code == "phase-too-long"]
    assert finding.severity is fm.Severity.ERROR
    assert (finding.text.params["end"], finding.text.params["latest"]) == (
        date(2027, 3, 31),
        date(2026, 12, 31),
    )
    assert "phase-extended-beyond-standard" not in codes(report)


def test_kfw_concept_phase_has_no_programme_cap() -> None:
    # Component A (Quartierskonzept) has no Höchstbetrag: a concept phase of 400.000 € at 75 %
    # is capped by nothing but the decision's 210.000 € (grant.max_amount).
    case = variant(
        KFW,
        ('id = "B"\ntitle = "Sanierungsmanagement', 'id = "B"\nkind = "A"\ntitle = "Konzept'),
    )
    report = fm.evaluate(as_known_on(case, date(2023, 6, 30)), date(2022, 6, 30))
    assert "phase-cap-exceeded" not in codes(report)
    # the concept phase is three years long, the programme allows one
    assert "phase-too-long" in codes(report)


def test_kfw_material_costs_over_20_percent_of_staff_costs() -> None:
    # As decided: material 60.000 € of staff 150.000 + 90.000 = 240.000 € = 25 %; at most
    # 20 % = 48.000 €. After Ä-1: 94.000 € of 376.000 € = 25 %; at most 75.200 €.
    for case in (as_known_on(fm.load_case(KFW), date(2023, 6, 30)), fm.load_case(KFW)):
        report = fm.evaluate(case, date(2024, 6, 30))
        assert "category-cap-exceeded" in codes(report)


def test_kfw_first_call_below_the_bagatellgrenze() -> None:
    # P-1: 3.500 € < 5.000 €; P-2 (62.000 €) and P-3 (70.000 €) are above it.
    report = fm.evaluate(fm.load_case(KFW), date(2024, 6, 30))
    below = [f for f in report.findings if f.code == "payout-below-minimum"]
    assert any(mentions(f, "P-1") for f in below)
    assert not any(mentions(f, "P-2") or mentions(f, "P-3") for f in below)


# After Ä-1 (16.09.2024, extended to 31.12.2026): eligible 470.000 €; 75 % = 352.500 €,
# capped by the new Höchstbetrag: grant 350.000 €; own share 470.000 − 350.000 − 60.000
# = 60.000 €. Public money 350.000 + 60.000 = 410.000 € = 87,23 % > 85 % (399.500 €).


def test_kfw_extension_raises_the_hoechstbetrag_to_350000() -> None:
    report = fm.evaluate(fm.load_case(KFW), date(2027, 6, 30))
    fin = report.financing
    assert (fin.eligible_expenditure, fin.grant, fin.own_share) == (
        D("470000.00"),
        D("350000.00"),
        D("60000.00"),
    )
    capped = [f for f in report.findings if f.code == "grant-capped"]
    assert [f.text.params["grant"] for f in capped] == [D("350000.00")]
    assert "stated-eligible-mismatch" not in codes(report)
    assert report.reconciliation.ok


def test_kfw_public_share_still_over_85_percent_after_the_extension() -> None:
    report = fm.evaluate(fm.load_case(KFW), date(2027, 6, 30))
    (finding,) = [f for f in report.findings if f.code == "public-share-exceeded"]
    params = finding.text.params
    assert (params["public"], params["allowed"], params["share"]) == (
        D("410000.00"),
        D("399500.00"),
        D("0.8723"),
    )


def test_kfw_report_exits_1_on_its_error_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(KFW), "--as-of", "2024-06-30"]) == 1
    assert "[Fehler]" in capsys.readouterr().out


# --- Städtebauförderung NRW: the rate tier -----------------------------------------------------


def test_stadterneuerung_on_the_70_percent_tier() -> None:
    case = fm.load_case(STADTERNEUERUNG)
    assert case.grant.rate_tier == "foerdersatz-70"
    assert case.grant.rate_tier_evidence is not None
    report = fm.evaluate(case, date(2025, 6, 30))
    # 2.000.000 € eligible, 70 % = 1.400.000 € grant = the Förderobergrenze; own share 600.000 €
    fin = report.financing
    assert (fin.grant, fin.own_share) == (D("1400000.00"), D("600000.00"))
    assert codes(report) == set()


def test_stadterneuerung_70_percent_above_the_regelfoerdersatz_is_an_error() -> None:
    case = variant(
        STADTERNEUERUNG, ('rate_tier = "foerdersatz-70"', 'rate_tier = "regelfoerdersatz"')
    )
    report = fm.evaluate(case, date(2025, 6, 30))
    (finding,) = [f for f in report.findings if f.code == "rate-above-tier"]
    assert (finding.text.params["rate"], finding.text.params["tier_rate"]) == (
        D("0.70"),
        D("0.60"),
    )


# --- EFRE/JTF NRW: the flat rate and the own share ----------------------------------------------


def test_efre_flat_rate_line_is_15_percent_of_the_staff_line_each_year() -> None:
    case = fm.load_case(EFRE)
    lines = {line.id: line for line in case.plan.lines}
    flat = lines["V-3"].flat_rate
    assert flat is not None
    assert (flat.rule, flat.rate) == ("indirect-staff", D("0.15"))
    # 15 % of 60.000 / 80.000 / 40.000 € = 9.000 / 12.000 / 6.000 €
    assert dict(lines["V-3"].amounts) == {
        year: amount * D("0.15") for year, amount in lines["V-1"].amounts.items()
    }
    report = fm.evaluate(case, date(2025, 6, 30))
    assert "flat-rate-plan-mismatch" not in codes(report)
    # 267.000 € eligible, 80 % = 213.600 € grant, own share 53.400 € = 20 % (at least 10 %)
    fin = report.financing
    assert (fin.eligible_expenditure, fin.grant, fin.own_share) == (
        D("267000.00"),
        D("213600.00"),
        D("53400.00"),
    )
    assert codes(report) == set()


def test_efre_flat_rate_line_off_its_base_is_found() -> None:
    # 2024: 10.000 € instead of 15 % of 60.000 € = 9.000 €; the material line 1.000 € less, so
    # that the plan still adds up to the eligible expenditure (267.000 €)
    case = variant(
        EFRE,
        ("amounts = { 2024 = 9000.00,", "amounts = { 2024 = 10000.00,"),
        ("amounts = { 2024 = 20000.00,", "amounts = { 2024 = 19000.00,"),
    )
    report = fm.evaluate(case, date(2025, 6, 30))
    assert "flat-rate-plan-mismatch" in codes(report)


def test_efre_rate_above_the_90_percent_of_municipalities_is_an_error() -> None:
    case = variant(EFRE, ('rate = "80 %"', 'rate = "95 %"'))
    report = fm.evaluate(case, date(2025, 6, 30))
    assert "rate-above-tier" in codes(report)
