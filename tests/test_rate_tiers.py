"""Rate tiers with the condition that grants them, and rates that are only the maximum.

MPSC pays 65 % ("standard") and 90 % to a "Kommune in Haushaltsnotlage nach Landesrecht"
("haushaltsnotlage", ``[tiers.haushaltsnotlage]`` in the shipped files); both rates are fixed.
A tier with ``up_to = true`` gives only the maximum ("bis zu 90 Prozent", KfW 432; 40–80 % per
municipality, Städtebauförderung NRW): the decision sets the rate.

The worked figures below are Bochum's (examples/bochum-mpsc.toml): phase A 1,100,000 €,
phase B 14,100,000 € eligible expenditure, 15,200,000 € in all, no third-party money.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.cli import main, render_report
from foerdermittel.errors import Finding
from foerdermittel.financing import check_financing, compute_financing
from foerdermittel.messages import render
from foerdermittel.rules.files import shipped_rule_dir

from .common import BOCHUM, bochum_data

D = Decimal
AS_OF = date(2025, 6, 30)
DATA = shipped_rule_dir()
CONDITION = "Kommune in Haushaltsnotlage nach Landesrecht"
MPSC_SOURCE = (
    "KfW-Merkblatt Modellprojekte Smart Cities (Programm 436); Förderaufruf vom 16.12.2020"
)
EVIDENCE = "Haushaltssicherungskonzept genehmigt am 12.05.2021"
TIER_CODES = {"rate-above-tier", "rate-below-tier", "rate-tier-condition-unproven"}


def _bochum(
    *,
    rate: str = "0.90",
    tier: str | None = "haushaltsnotlage",
    overrides: list[tuple[str, Any]] = (),  # type: ignore[assignment]
    **grant: Any,
) -> dict[str, Any]:
    """Bochum on ``tier`` at ``rate``, without the 65 % decision's Höchstbetrag and sums."""
    data = bochum_data()
    data.pop("ledger", None)
    data["grant"].update(rate=rate, rate_tier=tier, **grant)
    for key in ("max_amount", "stated_grant", "stated_own_share"):
        data["grant"].pop(key, None)
    if tier is None:
        data["grant"].pop("rate_tier")
    data["overrides"] = [{"path": p, "value": v, "reason": "Bescheid"} for p, v in overrides]
    return data


def _findings(data: dict[str, Any]) -> list[Finding]:
    case = fm.Case.from_data(data)
    rulebook, _ = case.rulebook()
    return [
        f for f in check_financing(case, rulebook, compute_financing(case)) if f.code in TIER_CODES
    ]


def _codes(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(f.code, f.about.kind, f.about.id) for f in _findings(data)]


def test_the_shipped_tier_names_its_condition() -> None:
    tier = fm.rules.get_programme("mpsc-2021").tiers["haushaltsnotlage"]
    assert (tier.condition, tier.up_to, tier.source) == (CONDITION, False, MPSC_SOURCE)


def test_the_90_percent_tier_without_evidence_warns_once_for_the_grant() -> None:
    # 0.90 × 1,100,000 = 990,000.00; 0.90 × 14,100,000 = 12,690,000.00; sum 13,680,000.00
    case = fm.Case.from_data(_bochum())
    financing = compute_financing(case)
    assert [p.grant for p in financing.phases] == [D("990000.00"), D("12690000.00")]
    assert (financing.grant, financing.own_share) == (D("13680000.00"), D("1520000.00"))
    [warning] = _findings(_bochum())
    assert (warning.code, warning.severity) == ("rate-tier-condition-unproven", fm.Severity.WARNING)
    assert (warning.about.kind, warning.about.id) == ("grant", case.grant.id)
    assert warning.legal_reference == MPSC_SOURCE
    assert warning.text.params["condition"] == CONDITION
    assert render(warning.text) == (
        "Stufe 'haushaltsnotlage' (90\xa0%) setzt voraus: Kommune in Haushaltsnotlage nach "
        "Landesrecht; der Fall nennt keinen Nachweis (rate_tier_evidence)"
    )
    assert "tier 'haushaltsnotlage' (90%) requires: " in render(warning.text, "en")


def test_evidence_of_the_grant_or_the_phase_silences_the_warning() -> None:
    assert _codes(_bochum(rate_tier_evidence=EVIDENCE)) == []
    assert _codes(_bochum(rate_tier_evidence="  ")) == [
        ("rate-tier-condition-unproven", "grant", "MPSC-2021-BO (illustrativ)")
    ]


def test_a_phase_on_a_tier_of_its_own() -> None:
    # the grant on 65 % (standard, no condition), phase B on 90 %: the warning is phase B's
    data = _bochum(rate="0.65", tier="standard")
    phase_b = data["grant"]["phases"][1]
    phase_b.update(rate="0.90", rate_tier="haushaltsnotlage")
    assert _codes(data) == [("rate-tier-condition-unproven", "phase", "B")]
    phase_b["rate_tier_evidence"] = EVIDENCE
    assert _codes(data) == []
    # the phase's evidence, else the grant's
    del phase_b["rate_tier_evidence"]
    data["grant"]["rate_tier_evidence"] = EVIDENCE
    assert _codes(data) == []
    # 0.65 × 1,100,000 = 715,000.00; 0.90 × 14,100,000 = 12,690,000.00
    financing = compute_financing(fm.Case.from_data(data))
    assert [p.grant for p in financing.phases] == [D("715000.00"), D("12690000.00")]


def test_below_a_fixed_tier_is_information_above_is_an_error() -> None:
    below = _findings(_bochum(rate="0.80", rate_tier_evidence=EVIDENCE))
    assert [(f.code, f.severity, f.about.id) for f in below] == [
        ("rate-below-tier", fm.Severity.INFO, "A"),
        ("rate-below-tier", fm.Severity.INFO, "B"),
    ]
    assert below[0].legal_reference == MPSC_SOURCE
    assert render(below[0].text).startswith(
        "Förderquote 80\xa0% unter der Stufe 'haushaltsnotlage' des Programms (90\xa0%)"
    )
    above = _codes(_bochum(rate="0.95", rate_tier_evidence=EVIDENCE))
    assert above == [("rate-above-tier", "phase", "A"), ("rate-above-tier", "phase", "B")]
    # Bochum itself: 65 % on the 65 % tier, nothing
    case = fm.load_case(BOCHUM)
    rulebook, _ = case.rulebook()
    found = check_financing(case, rulebook, compute_financing(case))
    assert not {f.code for f in found} & TIER_CODES


def test_an_up_to_tier_takes_a_lower_rate_without_a_finding() -> None:
    up_to = [("programme.tiers.haushaltsnotlage.up_to", True)]
    data = _bochum(rate="0.80", rate_tier_evidence=EVIDENCE, overrides=up_to)
    assert _codes(data) == []
    # 0.80 × 1,100,000 = 880,000.00; 0.80 × 14,100,000 = 11,280,000.00; sum 12,160,000.00
    assert compute_financing(fm.Case.from_data(data)).grant == D("12160000.00")
    # above the maximum is still an error
    data = _bochum(rate="0.95", rate_tier_evidence=EVIDENCE, overrides=up_to)
    assert [c for c, _, _ in _codes(data)] == ["rate-above-tier", "rate-above-tier"]


def test_the_condition_is_overridable() -> None:
    changed = [("programme.tiers.haushaltsnotlage.condition", "Stärkungspakt-Kommune")]
    [warning] = _findings(_bochum(overrides=changed))
    assert warning.text.params["condition"] == "Stärkungspakt-Kommune"


@settings(max_examples=30, deadline=None)
@given(cents=st.integers(min_value=1, max_value=100), up_to=st.booleans())
def test_a_rate_is_judged_against_its_tier(cents: int, up_to: bool) -> None:
    """Above the tier: an error per phase; below: information unless "bis zu"; equal: nothing."""
    rate = D(cents) / 100
    overrides = [("programme.tiers.haushaltsnotlage.up_to", up_to)]
    codes = [
        c
        for c, _, _ in _codes(
            _bochum(rate=str(rate), rate_tier_evidence=EVIDENCE, overrides=overrides)
        )
    ]
    if rate > D("0.90"):
        assert codes == ["rate-above-tier"] * 2
    elif rate < D("0.90") and not up_to:
        assert codes == ["rate-below-tier"] * 2
    else:
        assert codes == []


def test_the_text_report_shows_the_tier_and_its_evidence() -> None:
    def header(data: dict[str, Any], lang: str = "de") -> list[str]:
        text = render_report(fm.evaluate(fm.Case.from_data(data), AS_OF), lang=lang)
        label = "Förderquotenstufe:" if lang == "de" else "Rate tier:"
        return [
            line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith(label)
        ]

    data = _bochum(rate_tier_evidence=EVIDENCE)
    assert header(data) == ["haushaltsnotlage (90\xa0%); Nachweis: " + EVIDENCE]
    data["grant"]["phases"][1]["rate_tier_evidence"] = "Verfügung vom 01.02.2022"
    assert header(data) == [
        "haushaltsnotlage (90\xa0%); Nachweis: " + EVIDENCE,
        "Phase B: haushaltsnotlage (90\xa0%); Nachweis: Verfügung vom 01.02.2022",
    ]
    assert header(_bochum(), "en") == ["haushaltsnotlage (90%); evidence: none given"]
    up_to = [("programme.tiers.haushaltsnotlage.up_to", True)]
    assert header(_bochum(rate="0.80", overrides=up_to)) == [
        "haushaltsnotlage (bis zu 90\xa0%); Nachweis: keiner angegeben"
    ]
    # a tier the programme does not describe, without evidence: no row (Bochum as shipped)
    assert header(bochum_data()) == []


def test_a_tier_key_without_a_rate_is_refused_by_rules_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (DATA / "mpsc-2021.toml").read_text(encoding="utf-8")
    old = "\n[tiers.haushaltsnotlage]\n"
    assert old in text
    bad = tmp_path / "programm.toml"
    bad.write_text(text.replace(old, "\n[tiers.notlage]\n", 1), encoding="utf-8")
    assert main(["rules", "check", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert str(bad) in err
    assert "tiers.notlage: Stufe ohne Förderquote; rates kennt: standard, haushaltsnotlage" in err


def test_a_scenario_on_an_up_to_tier_says_it_reckons_with_the_maximum(tmp_path: Path) -> None:
    """``ChangeRate(tier=…)`` without a rate takes the tier's rate; "bis zu" gets a note."""
    text = (DATA / "mpsc-2021.toml").read_text(encoding="utf-8")
    rules_dir = tmp_path / "regeln"
    rules_dir.mkdir()
    (rules_dir / "programm.toml").write_text(
        text.replace('id = "mpsc-2021"', 'id = "mpsc-eigen"', 1).replace(
            "up_to = false", "up_to = true", 1
        ),
        encoding="utf-8",
    )
    case_text = BOCHUM.read_text(encoding="utf-8").replace(
        'programme = "mpsc-2021"\n', 'programme_file = "regeln/programm.toml"\n', 1
    )
    shutil.copy(BOCHUM.parent / "bochum-ledger.csv", tmp_path / "bochum-ledger.csv")
    (tmp_path / "fall.toml").write_text(case_text, encoding="utf-8")
    case = fm.load_case(tmp_path / "fall.toml")
    changed, notes = fm.ChangeRate(tier="haushaltsnotlage").apply(case)
    assert changed.grant.rate == D("0.90")  # the figure: the maximum
    assert [n.key for n in notes] == [
        "scenario.note.rate-up-to-not-set",
        "scenario.note.cap-dropped",
    ]
    assert render(notes[0]) == (
        "die Stufe 'haushaltsnotlage' gibt nur den Höchstsatz (bis zu 90\xa0%); der Bescheid "
        "setzt die Quote — gerechnet mit dem Höchstsatz"
    )
    # the shipped tier is a fixed rate: no such note
    _, shipped = fm.ChangeRate(tier="haushaltsnotlage").apply(fm.load_case(BOCHUM))
    assert [n.key for n in shipped] == ["scenario.note.cap-dropped"]


def test_evidence_without_a_programme_shows_alone() -> None:
    from .common import simple_case

    case = simple_case(grant_extra={"rate_tier_evidence": "Bescheid Nr. 4"})
    text = render_report(fm.evaluate(case, AS_OF))
    assert "Förderquotenstufe:" in text
    assert [line.split(":", 1)[1].strip() for line in text.splitlines() if "stufe:" in line] == [
        "Nachweis: Bescheid Nr. 4"
    ]
