"""Limits beyond ANBest: cost-category caps (plan and booked) and the minimum own share.

Worked examples on small cases built as data, the figures computed by hand in the comments;
overrides on a case without programme, a programme file that sets its own limits, and a
property: the category-cap finding appears exactly when the capped sum exceeds share × base.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel import rules
from foerdermittel.limit_checks import LIMIT_FINDING_CODES, check_limits
from foerdermittel.message_types import Subject
from foerdermittel.money import floor_cents
from foerdermittel.rules.files import shipped_rule_dir
from foerdermittel.rules.model import CategoryCap, LimitsRule

from .common import BOCHUM, bochum_data

D = Decimal
AFTER = date(2026, 3, 31)  # after the phase: the proof of use is final
DURING = date(2025, 6, 30)  # while the phase runs: the proof of use is projected
STAFF_CAP = {
    "categories": ["material"],
    "share": "0.20",
    "of": ["own_staff"],
    "source": "Merkblatt Nr. 4.2 (Sachkosten höchstens 20 % der Personalkosten)",
}


def _data(
    lines: dict[str, tuple[str, str]],
    *,
    eligible: str | None = None,
    rate: str = "0.65",
    sources: list[dict[str, Any]] | None = None,
    spent: dict[str, str] | None = None,
    overrides: list[tuple[str, Any]] | None = None,
) -> dict[str, Any]:
    """One phase 2024–2025 without programme; each line (category, amount) planned in 2024.

    ``spent`` books one voucher per line on 10.06.2024; the eligible expenditure is the sum of
    the lines unless given.
    """
    total = sum((D(amount) for _, amount in lines.values()), D(0))
    grant = {
        "id": "L-1",
        "funder": "Bund",
        "recipient": "Stadt Musterstadt",
        "land": "NW",
        "funder_land": "NW",
        "rulebook": "anbest-gk-2019",
        "decision_date": "2023-12-15",
        "financing_type": "anteilfinanzierung",
        "rate": rate,
        "phases": [
            {
                "id": "P",
                "title": "Projekt",
                "start": "2024-01-01",
                "end": "2025-12-31",
                "eligible_expenditure": eligible or str(total),
            }
        ],
    }
    plan_lines = [
        {"id": i, "title": f"Ansatz {i}", "phase": "P", "category": c, "amounts": {"2024": a}}
        for i, (c, a) in lines.items()
    ]
    expenditures = [
        {"id": f"B-{i}", "line": i, "paid_on": "2024-06-10", "amount": a}
        for i, a in (spent or {}).items()
    ]
    return {
        "grant": grant,
        "plan": {"lines": plan_lines, "sources": sources or []},
        "expenditures": expenditures,
        "overrides": [
            {"path": path, "value": value, "reason": "Zuwendungsbescheid Nr. 3"}
            for path, value in overrides or []
        ],
    }


def _findings(data: dict[str, Any], as_of: date = AFTER) -> dict[str, fm.Finding]:
    report = fm.evaluate(fm.Case.from_data(data), as_of)
    return {f.code: f for f in report.findings if f.code in LIMIT_FINDING_CODES}


# --- category caps on the plan ---------------------------------------------------------------

THREE_LINES = {
    "1": ("own_staff", "100000.00"),
    "2": ("material", "25000.00"),
    "3": ("external_services", "50000.00"),
}


def test_a_category_cap_on_the_plan_names_both_figures_and_its_source() -> None:
    # material 25,000.00 against 20 % of own staff 100,000.00 = 20,000.00: 5,000.00 too much
    found = _findings(_data(THREE_LINES, overrides=[("limits.category_caps", [STAFF_CAP])]))
    finding = found["category-cap-exceeded"]
    assert finding.severity is fm.Severity.ERROR
    assert finding.about == Subject("plan")
    assert finding.legal_reference == STAFF_CAP["source"]
    params = finding.text.params
    assert (params["capped"], params["base_amount"]) == (D("25000.00"), D("100000.00"))
    assert (params["share"], params["allowed"], params["excess"]) == (
        D("0.20"),
        D("20000.00"),
        D("5000.00"),
    )
    assert finding.message == (
        "Sachkosten 25.000,00\xa0€; zulässig sind höchstens 20\xa0% von Personal (eigen) "
        "(100.000,00\xa0€), also 20.000,00\xa0€ (auf den Cent abgerundet) — 5.000,00\xa0€ darüber"
    )
    assert finding.message_in("en") == (
        "Material costs €25,000.00; at most 20% of Own staff (€100,000.00) is allowed, that is "
        "€20,000.00 (rounded down to the cent) — €5,000.00 above it"
    )


def test_a_cap_of_all_eligible_expenditure_counts_the_capped_lines_in_the_base() -> None:
    # empty "of": the base is every line, 175,000.00; 10 % of it = 17,500.00 < material 25,000.00
    cap = {"categories": ["material"], "share": "0.10", "source": "Richtlinie Nr. 5"}
    found = _findings(_data(THREE_LINES, overrides=[("limits.category_caps", [cap])]))
    params = found["category-cap-exceeded"].text.params
    assert (params["base_amount"], params["allowed"], params["excess"]) == (
        D("175000.00"),
        D("17500.00"),
        D("7500.00"),
    )
    assert "der zuwendungsfähigen Ausgaben (175.000,00" in found["category-cap-exceeded"].message
    # at 15 % the allowed 26,250.00 holds the material costs
    cap["share"] = "0.15"
    assert _findings(_data(THREE_LINES, overrides=[("limits.category_caps", [cap])])) == {}


def test_the_allowed_amount_is_rounded_down_to_the_cent() -> None:
    # 30 % of 10,000.03 = 3,000.009: allowed 3,000.00; material 3,000.01 exceeds by one cent,
    # material 3,000.00 does not
    cap = {"categories": ["material"], "share": "0.30", "of": ["own_staff"], "source": "Nr. 1"}

    def lines(material: str) -> dict[str, tuple[str, str]]:
        return {"1": ("own_staff", "10000.03"), "2": ("material", material)}

    over = _findings(_data(lines("3000.01"), overrides=[("limits.category_caps", [cap])]))
    params = over["category-cap-exceeded"].text.params
    assert (params["allowed"], params["excess"]) == (D("3000.00"), D("0.01"))
    assert _findings(_data(lines("3000.00"), overrides=[("limits.category_caps", [cap])])) == {}


def test_several_categories_are_summed_on_both_sides() -> None:
    # material 25,000 + other 5,000 = 30,000 against 20 % of (staff 100,000 + external 50,000)
    # = 30,000.00: exactly the cap, no finding; one cent more in "other" is over
    cap = {
        "categories": ["material", "other"],
        "share": "0.2",
        "of": ["own_staff", "external_services"],
        "source": "Nr. 2",
    }
    lines = {**THREE_LINES, "4": ("other", "5000.00")}
    assert _findings(_data(lines, overrides=[("limits.category_caps", [cap])])) == {}
    lines["4"] = ("other", "5000.01")
    found = _findings(_data(lines, overrides=[("limits.category_caps", [cap])]))
    assert found["category-cap-exceeded"].text.params["excess"] == D("0.01")


def test_no_cap_no_finding() -> None:
    assert _findings(_data(THREE_LINES)) == {}


# --- category caps on the booked figures -----------------------------------------------------

WITHIN_PLAN = {"1": ("own_staff", "100000.00"), "2": ("material", "20000.00")}
"""Material exactly 20 % of own staff in the plan: no plan finding."""


def test_a_category_cap_on_the_booked_amounts_says_the_excess_is_not_eligible() -> None:
    # booked: staff 80,000.00, material 20,000.00; 20 % of 80,000.00 = 16,000.00 allowed,
    # 4,000.00 not eligible. After the phase the proof is final: an error.
    data = _data(
        WITHIN_PLAN,
        spent={"1": "80000.00", "2": "20000.00"},
        overrides=[("limits.category_caps", [STAFF_CAP])],
    )
    found = _findings(data, AFTER)
    assert set(found) == {"category-cap-exceeded-actual"}
    finding = found["category-cap-exceeded-actual"]
    assert finding.severity is fm.Severity.ERROR
    assert finding.about == Subject("vouchers")
    params = finding.text.params
    assert (params["capped"], params["base_amount"], params["allowed"], params["excess"]) == (
        D("20000.00"),
        D("80000.00"),
        D("16000.00"),
        D("4000.00"),
    )
    assert "4.000,00\xa0€ darüber sind nicht zuwendungsfähig" in finding.message
    assert "läuft noch" not in finding.message
    assert "is not eligible" in finding.message_in("en")
    # the proof of use keeps its figures: the lines are booked as they are
    report = fm.evaluate(fm.Case.from_data(data), AFTER)
    assert report.proof_of_use.lines_actual == D("100000.00")


def test_while_the_phase_runs_the_booked_cap_is_a_warning() -> None:
    data = _data(
        WITHIN_PLAN,
        spent={"1": "80000.00", "2": "20000.00"},
        overrides=[("limits.category_caps", [STAFF_CAP])],
    )
    finding = _findings(data, DURING)["category-cap-exceeded-actual"]
    assert finding.severity is fm.Severity.WARNING
    assert finding.message.endswith("; Stand Stichtag, das Vorhaben läuft noch")


def test_booked_within_the_cap_and_no_vouchers_give_no_finding() -> None:
    # staff 100,000.00 booked, material 20,000.00: exactly 20 %
    data = _data(
        WITHIN_PLAN,
        spent={"1": "100000.00", "2": "20000.00"},
        overrides=[("limits.category_caps", [STAFF_CAP])],
    )
    assert _findings(data) == {}
    assert _findings(_data(WITHIN_PLAN, overrides=[("limits.category_caps", [STAFF_CAP])])) == {}


# --- minimum own share -----------------------------------------------------------------------


def test_an_own_share_below_the_minimum_names_both_figures() -> None:
    # 100,000.00 eligible, 65 % grant 65,000.00, Land 30,000.00: own share 5,000.00 (5 %);
    # at least 10 % = 10,000.00 required, 5,000.00 missing
    land = {"id": "Land", "kind": "other_public", "title": "Land NRW", "amount": "30000.00"}
    data = _data(
        {"1": ("own_staff", "100000.00")},
        sources=[land],
        overrides=[("limits.min_own_share", "0.10")],
    )
    finding = _findings(data)["own-share-below-minimum"]
    assert finding.severity is fm.Severity.ERROR
    assert finding.legal_reference == "Zuwendungsbescheid Nr. 3"  # the override's reason
    params = finding.text.params
    assert (params["own_share"], params["eligible"], params["share"]) == (
        D("5000.00"),
        D("100000.00"),
        D("0.0500"),
    )
    assert (params["minimum"], params["required"], params["missing"]) == (
        D("0.10"),
        D("10000.00"),
        D("5000.00"),
    )
    assert finding.message == (
        "Eigenanteil 5.000,00\xa0€, das sind 5\xa0% (abgerundet) der zuwendungsfähigen Ausgaben "
        "von 100.000,00\xa0€; mindestens 10\xa0% verlangt, also 10.000,00\xa0€ (auf den Cent "
        "aufgerundet) — es fehlen 5.000,00\xa0€"
    )


def test_third_party_money_is_not_own_share() -> None:
    # the same 30,000.00 from a foundation (Drittmittel): the own share is still 5,000.00
    foundation = {"id": "S", "kind": "third_party", "title": "Stiftung", "amount": "30000.00"}
    data = _data(
        {"1": ("own_staff", "100000.00")},
        sources=[foundation],
        overrides=[("limits.min_own_share", "0.10")],
    )
    assert _findings(data)["own-share-below-minimum"].text.params["own_share"] == D("5000.00")


def test_the_minimum_is_exact_to_the_cent() -> None:
    # 100,000.01 eligible: grant floor(0.65 × 100,000.01) = 65,000.00; 10 % = 10,000.001.
    # Land 25,000.00 leaves 10,000.01 (enough); Land 25,000.01 leaves 10,000.00 (short by
    # 0.001): required shown rounded up, 10,000.01, missing 0.01
    def data(land: str) -> dict[str, Any]:
        source = {"id": "Land", "kind": "other_public", "title": "Land", "amount": land}
        return _data(
            {"1": ("own_staff", "100000.01")},
            sources=[source],
            overrides=[("limits.min_own_share", "0.10")],
        )

    assert _findings(data("25000.00")) == {}
    params = _findings(data("25000.01"))["own-share-below-minimum"].text.params
    assert (params["own_share"], params["required"], params["missing"]) == (
        D("10000.00"),
        D("10000.01"),
        D("0.01"),
    )


def test_both_limits_overridden_together() -> None:
    land = {"id": "Land", "kind": "other_public", "title": "Land NRW", "amount": "50000.00"}
    data = _data(
        THREE_LINES,
        sources=[land],
        overrides=[("limits.category_caps", [STAFF_CAP]), ("limits.min_own_share", "0.10")],
    )
    # own share: 175,000.00 − 113,750.00 (65 %) − 50,000.00 = 11,250.00 < 17,500.00 (10 %)
    found = _findings(data)
    assert set(found) == {"category-cap-exceeded", "own-share-below-minimum"}
    assert found["own-share-below-minimum"].text.params["missing"] == D("6250.00")
    report = fm.evaluate(fm.Case.from_data(data), AFTER)
    assert [o.path for o in report.overrides] == ["limits.category_caps", "limits.min_own_share"]
    assert report.rulebook.limits.source == "Zuwendungsbescheid Nr. 3"


# --- a programme that sets its limits --------------------------------------------------------


def _bochum_with_programme_file(tmp_path: Path, limits: str, overrides: str = "") -> fm.Case:
    """Bochum with the MPSC 2021 call as its own programme file, ``limits`` appended to it."""
    programme = (shipped_rule_dir() / "mpsc-2021.toml").read_text(encoding="utf-8")
    (tmp_path / "programm.toml").write_text(programme + "\n" + limits, encoding="utf-8")
    text = BOCHUM.read_text(encoding="utf-8").replace('programme = "mpsc-2021"\n', "", 1)
    text = text.replace("[grant]\n", '[grant]\nprogramme_file = "programm.toml"\n', 1)
    shutil.copy(BOCHUM.parent / "bochum-ledger.csv", tmp_path / "bochum-ledger.csv")
    (tmp_path / "fall.toml").write_text(text + overrides, encoding="utf-8")
    return fm.load_case(tmp_path / "fall.toml")


PROGRAMME_LIMITS = """[limits]
min_own_share = 0.40
source = "Förderrichtlinie Nr. 5.3 (Eigenanteil mindestens 40 %)"
"""


def test_a_programme_s_minimum_own_share_applies(tmp_path: Path) -> None:
    # Bochum: 15,200,000.00 eligible, grant 9,880,000.00, own share 5,320,000.00 = 35 %;
    # 40 % = 6,080,000.00 required, 760,000.00 missing
    case = _bochum_with_programme_file(tmp_path, PROGRAMME_LIMITS)
    report = fm.evaluate(case, DURING)
    finding = next(f for f in report.findings if f.code == "own-share-below-minimum")
    assert finding.legal_reference == "Förderrichtlinie Nr. 5.3 (Eigenanteil mindestens 40 %)"
    params = finding.text.params
    assert (params["own_share"], params["share"], params["required"], params["missing"]) == (
        D("5320000.00"),
        D("0.3500"),
        D("6080000.00"),
        D("760000.00"),
    )
    assert report.financing.grant == D("9880000.00")  # Bochum's figures stay as they are


def test_an_override_of_limits_changes_the_programme_s_value(tmp_path: Path) -> None:
    # the decision sets 30 %: the override of limits.min_own_share goes to the programme's
    # limits, which are in force; 30 % of 15,200,000.00 = 4,560,000.00 ≤ 5,320,000.00
    override = """
[[overrides]]
path = "limits.min_own_share"
value = 0.30
reason = "Zuwendungsbescheid Nr. 2.4"
"""
    case = _bochum_with_programme_file(tmp_path, PROGRAMME_LIMITS, override)
    report = fm.evaluate(case, DURING)
    assert not [f for f in report.findings if f.code in LIMIT_FINDING_CODES]
    programme = report.rulebook.programme
    assert programme is not None
    assert programme.limits is not None
    assert programme.limits.min_own_share == D("0.30")
    assert report.rulebook.limits.min_own_share is None  # the edition's stays unset
    assert report.rulebook.effective_limits.min_own_share == D("0.30")
    (applied,) = report.overrides
    assert (applied.original, applied.value) == (D("0.40"), D("0.30"))


def test_a_programme_s_category_cap_applies(tmp_path: Path) -> None:
    # Bochum's plan: material (B-3.3) against 1 % of own staff (A-1, B-2.1)
    limits = """[limits]
source = "Förderrichtlinie Nr. 5"

[[limits.category_caps]]
categories = ["material"]
share = 0.01
of = ["own_staff"]
source = "Förderrichtlinie Nr. 5.1 (Sachkosten)"
"""
    case = _bochum_with_programme_file(tmp_path, limits)
    material = sum((x.total for x in case.plan.lines if x.category.value == "material"), D(0))
    staff = sum((x.total for x in case.plan.lines if x.category.value == "own_staff"), D(0))
    assert material > floor_cents(D("0.01") * staff)  # the example is over the cap
    report = fm.evaluate(case, DURING)
    finding = next(f for f in report.findings if f.code == "category-cap-exceeded")
    assert finding.legal_reference == "Förderrichtlinie Nr. 5.1 (Sachkosten)"
    assert finding.text.params["capped"] == material
    assert finding.text.params["base_amount"] == staff


# --- the cap on all public money on the Bochum case ------------------------------------------


def test_max_public_share_override_on_bochum() -> None:
    # grant 9,880,000.00 + Land 3,500,000.00 = 13,380,000.00 public money, 88.03 % of
    # 15,200,000.00; at most 85 % = 12,920,000.00
    data = bochum_data()
    data.pop("ledger", None)
    data["plan"]["sources"].append(
        {
            "id": "Land",
            "kind": "other_public",
            "title": "Land NRW",
            "phase": "B",
            "amount": "3500000.00",
        }
    )
    before = fm.evaluate(fm.Case.from_data(data), DURING)
    assert "public-share-exceeded" not in {f.code for f in before.findings}
    data["overrides"] = [
        *data.get("overrides", []),
        {"path": "limits.max_public_share", "value": "0.85", "reason": "Bescheid Nr. 4"},
    ]
    report = fm.evaluate(fm.Case.from_data(data), DURING)
    finding = next(f for f in report.findings if f.code == "public-share-exceeded")
    assert finding.legal_reference == "Bescheid Nr. 4"
    params = finding.text.params
    assert (params["public"], params["share"], params["allowed"]) == (
        D("13380000.00"),
        D("0.8803"),
        D("12920000.00"),
    )


# --- the property ------------------------------------------------------------------------------

CATEGORIES = ["own_staff", "external_services", "material", "investment", "other"]
amounts = st.decimals(min_value=D("0.00"), max_value=D("500000.00"), places=2, allow_nan=False)
shares = st.decimals(min_value=D("0.0001"), max_value=D("1"), places=4, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(st.tuples(st.sampled_from(CATEGORIES), amounts), min_size=1, max_size=5),
    capped=st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=2),
    of=st.sets(st.sampled_from(CATEGORIES), max_size=2),
    share=shares,
)
def test_the_cap_finding_appears_iff_capped_exceeds_share_times_base(
    lines: list[tuple[str, Decimal]], capped: set[str], of: set[str], share: Decimal
) -> None:
    data = _data({str(i): (c, str(a)) for i, (c, a) in enumerate(lines)})
    data["grant"]["phases"][0]["eligible_expenditure"] = "1.00"  # any: the cap reads the plan
    case = fm.Case.from_data(data)
    cap = CategoryCap(
        categories=tuple(sorted(capped)),  # type: ignore[arg-type]
        share=share,
        of=tuple(sorted(of)),  # type: ignore[arg-type]
        source="Merkblatt",
    )
    rulebook = rules.get("anbest-gk-2019").model_copy(
        update={"limits": LimitsRule(category_caps=(cap,))}
    )
    findings = check_limits(case, rulebook, fm.compute_financing(case))
    capped_sum = sum((a for c, a in lines if c in capped), D(0))
    base = sum((a for c, a in lines if not of or c in of), D(0))
    assert bool(findings) == (capped_sum > share * base)
    for finding in findings:
        params = finding.text.params
        assert params["allowed"] == floor_cents(share * base)
        assert params["excess"] == capped_sum - floor_cents(share * base) > 0
