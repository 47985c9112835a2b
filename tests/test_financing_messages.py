"""Financing, reconciliation, scenarios, the extension draft: what they say is data.

Findings, checks and scenario rows carry figures (``Decimal``, ``date``, ``int``) and catalogue
keys; the German words are the same as before, and every message renders in plain English.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel import rules
from foerdermittel.extension import draft_texts, extension_amendment
from foerdermittel.financing import check_financing, compute_financing, later_reduction
from foerdermittel.message_types import NOTHING, Message, Param, Subject, words
from foerdermittel.messages import render
from foerdermittel.model.grant import FinancingType
from foerdermittel.model.plan import CostCategory, SourceKind
from foerdermittel.model.scenario import (
    AddThirdParty,
    ChangeRate,
    DropLine,
    ExtendPhase,
    ScaleLine,
    Scenario,
    SetActual,
    ShiftLine,
)
from foerdermittel.reconciliation import reconciliation_findings
from foerdermittel.rules.base_rate import RateOrigin
from foerdermittel.scenarios import ROW_BALANCE, compare, progress

from .common import BOCHUM, simple_case
from .test_financing import bochum_with, findings_of
from .test_reconciliation import again

D = Decimal
FILES = ("financing.toml", "reconciliation.toml", "scenarios.toml")
"""The catalogue files of this area."""

GERMAN = re.compile(
    r"\b(der|die|das|den|dem|des|und|nicht|mit|über|laut|bis|vom|für|ist|wird|"
    r"Ansatz|Ansätze|Einzelansätze|Auszahlung|Auszahlungen|Belegliste|Belege|Zuwendung|"
    r"Bescheid|Änderungsbescheid|Eigenanteil|Eigenmittel|Drittmittel|Deckungsmittel|"
    r"Förderquote|Förderung|Haushaltsjahr|Haushaltsjahre|Abrechnung|Ermäßigung|Höchstbetrag|"
    r"Verlängerung|Szenario|Ausgangslage|gebucht|verbucht|erwartet|ermittelt|Differenz|Tag|Tage|"
    r"Monat|Monate|Woche|Wochen|Jahr|Jahre|Stufe|Quote|entfällt|Ausgaben|Einnahmen|Zinsen|"
    r"Erstattung|Erstattungszinsen|Entwurf|Festbetrag|Phasen|Summe|Prognose|Mittelabrufe|"
    r"Bewilligungszeitraum|Tabelle|Datei|angenommen|Sonstiges|Investitionen|Sachkosten)\b"
    r"|Was-wäre-wenn|[äöüß]"
)
"""German words (and letters) that must not appear in an English text."""


def german_in(text: str) -> list[str]:
    return [m.group(0) for m in GERMAN.finditer(text.replace("VwVfG", ""))]


def _entries(lang: str) -> Iterator[tuple[str, Any]]:
    folder = resources.files("foerdermittel.messages").joinpath(lang)

    def flatten(table: dict[str, Any], prefix: str) -> Iterator[tuple[str, Any]]:
        for key, value in table.items():
            if isinstance(value, dict) and not set(value) <= {"one", "other"}:
                yield from flatten(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value

    for name in FILES:
        yield from flatten(tomllib.loads(folder.joinpath(name).read_text("utf-8")), "")


SAMPLES: dict[str, Param] = {
    "money": D("1234.5"),
    "date": date(2025, 6, 30),
    "percent": D("0.2"),
    "number": 3,
    "list": ("L-1", "L-2"),
    "": "X-1",
}


def _params(template: Any, count: int) -> dict[str, Param]:
    texts = template.values() if isinstance(template, dict) else [template]
    params: dict[str, Param] = {"count": count}
    for text in texts:
        for _, name, spec, _ in string.Formatter().parse(text):
            if name is not None and name != "count":
                params[name] = SAMPLES[spec or ""]
    return params


# --- the catalogue: every entry of this area in plain English -------------------------------


@pytest.mark.parametrize("count", [1, 2])
def test_every_entry_of_the_area_renders_without_german_words(count: int) -> None:
    entries = list(_entries("en"))
    assert len(entries) > 100
    for key, template in entries:
        if key.startswith("subject."):
            text = render(Subject(key.removeprefix("subject."), "X-1"), "en")
        else:
            text = render(Message(key, _params(template, count)), "en")
        assert text.strip() or key in {"check.at-most"}, key
        assert german_in(text) == [], (key, text)


def test_the_area_has_the_same_keys_in_both_languages() -> None:
    assert {k for k, _ in _entries("de")} == {k for k, _ in _entries("en")}


# --- messages the calculators produce, in English --------------------------------------------


def _names_as_data(item: Param) -> Param:
    """The message with every name the user or the programme typed replaced by ``X``."""
    if isinstance(item, Message):
        return Message(item.key, {k: _names_as_data(v) for k, v in item.params.items()})
    if isinstance(item, str):
        return "X"
    if isinstance(item, tuple):
        return tuple(_names_as_data(v) for v in item)
    return item


def _english(item: Message | Subject) -> str:
    shown = _names_as_data(item) if isinstance(item, Message) else item
    assert isinstance(shown, Message | Subject)
    return words(shown, "en")


FINANCING_CASES = [
    bochum_with({"phases.0.end": "2022-12-31"}),
    bochum_with({"rate": "0.90"}),
    bochum_with({"phases.0.end": "2023-01-31", "phases.1.eligible_expenditure": "15100000.00"}),
    simple_case(
        eligible="877049.00",
        grant_extra={
            "eligible_expenditure": "877049.00",
            "stated_grant": "570456.00",
            "stated_own_share": "306513.00",
        },
    ),
    simple_case(
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
    ),
    simple_case(grant_extra={"rulebook": "anbest-gk-2024"}),
    simple_case(grant_extra={"rulebook": "anbest-g-nrw-2023", "land": "BY"}),
    simple_case(eligible="15200000.00", max_amount="9000000.00"),
    simple_case(phase_extra={"max_amount": "10000.00"}),
    simple_case(sources=[{"id": "S", "kind": "third_party", "title": "X", "amount": "50000.00"}]),
    simple_case(sources=[{"id": "S", "kind": "own_funds", "title": "X", "amount": "1000.00"}]),
]


FINANCING_CODES = {
    "plan-lines-mismatch",
    "overfinanced",
    "own-funds-mismatch",
    "grant-capped",
    "phase-cap-exceeded",
    "first-measures-cap-exceeded",
    "phase-too-long",
    "phase-extended-beyond-standard",
    "rate-above-tier",
    "line-total-mismatch",
    "rulebook-not-in-force",
    "rulebook-other-land",
    "stated-eligible-mismatch",
    "stated-grant-mismatch",
    "stated-own-share-mismatch",
    "stated-parts-mismatch",
}


def test_every_financing_finding_in_english() -> None:
    seen = set()
    for case in FINANCING_CASES:
        for finding in findings_of(case):
            if finding.code not in FINANCING_CODES:
                continue
            seen.add(finding.code)
            assert finding.text.key == f"finding.{finding.code}"
            assert finding.about.kind in {"phase", "line", "grant"}
            text = _english(finding.text)
            assert german_in(text) == [], (finding.code, text)
            assert german_in(finding.subject_in("en")) == [], finding.subject_in("en")
    assert len(seen) >= 15, seen


def test_every_reduction_reason_in_english() -> None:
    rule = rules.get("anbest-gk-2019").reduction
    keys = set()
    for kind in FinancingType:
        for actual, cover in [
            ("14000000.00", "0"),
            ("15199800.00", "0"),
            ("100.00", "0"),
            ("16000000.00", "0"),
            ("15200000.00", "-300.00"),
        ]:
            r = later_reduction(
                financing_type=kind,
                rate=D("0.65"),
                approved_grant=D("9880000.00"),
                planned_eligible=D("15200000.00"),
                actual_eligible=D(actual),
                planned_cover=D("0.00"),
                actual_cover=D(cover),
                rule=rule,
                fixed_amount=D("5000.00") if kind is FinancingType.FESTBETRAG else None,
            )
            keys.add(r.why.key)
            assert german_in(words(r.why, "en")) == [], words(r.why, "en")
    assert len(keys) == 7, keys


@pytest.mark.parametrize("as_of", [date(2022, 6, 30), date(2025, 6, 30), date(2026, 12, 1)])
def test_every_check_and_scenario_row_in_english(as_of: date) -> None:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    report = fm.evaluate(case, as_of)
    for check in report.reconciliation.checks:
        for item in (check.place, check.text, check.what, check.how):
            text = _english(item)
            assert german_in(text) == [], (check.name, text)
    state = progress(case, as_of)
    if state.extension_closure is not None:
        assert german_in(_english(state.extension_closure)) == []
    steps = (
        ScaleLine(line="phase:A", percent=D("-10.5")),
        ShiftLine(line="phase:A", months=1),
        ExtendPhase(phase="A", new_end=date(2029, 3, 31)),
        AddThirdParty(phase="B", amount=D("1.00"), public=True, title="X"),
        ChangeRate(tier="haushaltsnotlage"),
        ChangeRate(rate=D("0.8"), tier="haushaltsnotlage"),
        DropLine(line="A-1"),
        SetActual(line="B-1.1", amounts={2023: D("1.00")}),
    )
    scenarios = [*case.scenarios, Scenario(name="alle", steps=steps)]
    unchanged = ChangeRate().summary
    assert words(unchanged, "en") == "funding rate unchanged"
    for row in compare(case, scenarios, as_of=as_of).rows:
        for item in (row.label, *row.steps, *row.remarks, *row.failed_checks, ROW_BALANCE):
            text = _english(item)
            assert german_in(text) == [], text


def test_enum_labels_in_english() -> None:
    for member in (*FinancingType, *CostCategory, *SourceKind, *RateOrigin):
        prefix = {
            FinancingType: "financing-type",
            CostCategory: "cost-category",
            SourceKind: "source-kind",
            RateOrigin: "rate-origin",
        }[type(member)]
        message = Message.of(f"{prefix}.{member.value}")
        with pytest.warns(DeprecationWarning, match=r"\.german ist veraltet"):
            assert member.german == words(message)
        assert german_in(words(message, "en")) == [], member


# --- worked examples: the figures and the words -----------------------------------------------


def test_phase_too_long_carries_dates_and_the_programme_s_duration() -> None:
    case = bochum_with({"phases.0.end": "2022-12-31"})
    (found,) = [f for f in findings_of(case) if f.code == "phase-too-long"]
    limit = case.rulebook()[0].programme.phases["A"]  # type: ignore[union-attr]
    assert found.about == Subject("phase", "A")
    params = found.text.params
    assert params["start"] == date(2021, 12, 1)
    assert params["end"] == date(2022, 12, 31)
    assert params["latest"] == date(2022, 11, 30)
    longest = params["longest"]
    assert isinstance(longest, Message)
    assert longest.params["count"] == limit.max_duration.amount == 12  # type: ignore[union-attr]
    assert found.message == (
        f"{limit.title} dauert laut Bescheid vom 01.12.2021 bis 31.12.2022; höchstens 12 Monate "
        "erlaubt (bis 30.11.2022)"
    )
    assert found.message_in("en") == (
        f"{limit.title} runs from 2021-12-01 to 2022-12-31 under the decision; at most 12 months "
        "allowed (until 2022-11-30)"
    )
    assert found.subject_in("en") == "Phase A"


def test_rate_above_tier_reads_the_tier_s_rate() -> None:
    case = bochum_with({"rate": "0.90"})
    programme = case.rulebook()[0].programme
    assert programme is not None
    (found,) = [f for f in findings_of(case) if f.code == "rate-above-tier"][:1]
    params = found.text.params
    assert params["rate"] == D("0.90")
    assert params["tier_rate"] == programme.rates[str(params["tier"])]
    assert found.message == (
        f"Förderquote 90\xa0% über der Stufe {params['tier']!r} des Programms (65\xa0%)"
    )
    assert found.message_in("en") == (
        f"funding rate 90% above the programme's tier {params['tier']!r} (65%)"
    )


def test_hagenow_stated_parts_in_figures_and_english() -> None:
    case = FINANCING_CASES[3]
    found = {f.code: f for f in findings_of(case)}["stated-parts-mismatch"]
    assert found.about == Subject("grant", "T-1")
    assert dict(found.text.params) == {
        "parts": D("876969.00"),
        "eligible": D("877049.00"),
        "difference": D("-80.00"),
    }
    assert found.message_in("en") == (
        "grant, own share and cover funds per the decision add up to €876,969.00, the eligible "
        "expenditure is €877,049.00 (difference -€80.00)"
    )
    assert found.subject_in("en") == "Decision T-1"


def test_grant_capped_names_which_cap() -> None:
    (found,) = [f for f in findings_of(FINANCING_CASES[7]) if f.code == "grant-capped"]
    assert found.text.params["cap"] == Message.of("financing.cap-of.grant")
    assert found.text.params["grant"] == D("9000000.00")
    assert found.text.params["uncapped"] == D("9880000.00")
    assert found.message == (
        "Zuwendung durch den Höchstbetrag des Bescheids begrenzt: 9.000.000,00\xa0€ statt "
        "9.880.000,00\xa0€"
    )
    assert found.message_in("en") == (
        "grant limited by the decision's maximum amount: €9,000,000.00 instead of €9,880,000.00"
    )


def test_check_financing_reads_the_duration_from_the_programme() -> None:
    case = bochum_with({"phases.0.end": "2022-12-31"})
    rulebook, _ = case.rulebook()
    assert rulebook.programme is not None
    limit = rulebook.programme.phases["A"]
    longer = limit.model_copy(update={"max_duration": fm.Span(amount=2, unit="years")})
    programme = rulebook.programme.model_copy(
        update={"phases": {**rulebook.programme.phases, "A": longer}}
    )
    relaxed = rulebook.model_copy(update={"programme": programme})
    amended = case.amended()
    codes = {f.code for f in check_financing(amended, relaxed, compute_financing(amended))}
    assert "phase-too-long" not in codes
    shorter = limit.model_copy(update={"max_duration": fm.Span(amount=6, unit="months")})
    strict = rulebook.model_copy(
        update={
            "programme": programme.model_copy(
                update={"phases": {**rulebook.programme.phases, "A": shorter}}
            )
        }
    )
    (found,) = [
        f
        for f in check_financing(amended, strict, compute_financing(amended))
        if f.code == "phase-too-long"
    ]
    assert "höchstens 6 Monate erlaubt (bis 31.05.2022)" in found.message
    assert "at most 6 months allowed (until 2022-05-31)" in found.message_in("en")


def test_reduction_below_the_threshold_names_the_rule_s_figure() -> None:
    rule = rules.get("anbest-gk-2019").reduction
    r = later_reduction(
        financing_type=FinancingType.ANTEIL,
        rate=D("0.65"),
        approved_grant=D("9880000.00"),
        planned_eligible=D("15200000.00"),
        actual_eligible=D("15199800.00"),
        planned_cover=D("0.00"),
        actual_cover=D("0.00"),
        rule=rule,
    )
    assert r.why.key == "reduction.below-threshold"
    assert r.why.params["threshold"] == rule.threshold
    assert r.why.params["expenditure"] == Message.of("signed.minus", amount=D("200.00"))
    assert r.reason == (
        "Änderung nicht größer als 500.00 € (Ausgaben -200.00, Deckungsmittel +0.00): keine "
        "Ermäßigung nach Nr. 2.2"
    )
    assert words(r.why, "en") == (
        "change not more than EUR 500.00 (expenditure -200.00, cover funds +0.00): no reduction "
        "under No. 2.2"
    )
    assert r.model_dump()["reason"] == r.reason
    assert r.model_dump(context={"lang": "en"})["reason"] == words(r.why, "en")


def test_full_financing_names_the_threshold_of_the_rule() -> None:
    rule = rules.get("anbest-gk-2019").reduction.model_copy(update={"threshold": D("1000.00")})
    r = later_reduction(
        financing_type=FinancingType.VOLL,
        approved_grant=D("10000.00"),
        planned_eligible=D("10000.00"),
        actual_eligible=D("9000.00"),
        planned_cover=D("0.00"),
        actual_cover=D("0.00"),
        rule=rule,
    )
    assert r.final == D("9000.00")
    assert r.reason == "Ermäßigung in voller Höhe (Vollfinanzierung, ohne 1.000-€-Grenze)"
    assert (
        words(r.why, "en") == "reduction in full (full financing, without the EUR 1,000 threshold)"
    )


# --- reconciliation: subjects are data --------------------------------------------------------


@pytest.fixture(scope="module")
def bochum() -> fm.Case:
    return fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)


@pytest.fixture(scope="module")
def late(bochum: fm.Case) -> fm.Report:
    return fm.evaluate(bochum, date(2026, 12, 1))


def test_a_check_about_a_budget_year(bochum: fm.Case, late: fm.Report) -> None:
    shares = late.own_share
    years = shares.phases["B"]
    year = years[1].model_copy(update={"grant_share": years[1].grant_share - D("5.00")})
    phases = {**shares.phases, "B": (years[0], year, *years[2:])}
    result = again(bochum, late, own_share=shares.model_copy(update={"phases": phases}))
    check = result.check("financing-year", Subject("phase", "B"), year.year)
    assert check is result.check("financing-year", f"Phase B, Haushaltsjahr {year.year}")
    assert check.about == Subject("phase", "B")
    assert check.year == year.year
    assert check.difference == D("-5.00")
    assert words(check.place, "en") == f"Phase B, Budget year {year.year}"
    assert words(check.text, "en").startswith(
        "grant share + third-party share + own share = expenditure of the year: expected €"
    )
    (finding,) = [f for f in reconciliation_findings(result) if f.about == Subject("phase", "B")]
    assert finding.code == "reconciliation-failed"
    assert finding.text.params["difference"] == Message.of("check.money", amount=D("-5.00"))
    assert finding.message.startswith(
        f"Zuwendungsanteil + Drittmittelanteil + Eigenanteil = Ausgaben des Jahres "
        f"(Haushaltsjahr {year.year}): erwartet "
    )
    assert finding.message_in("en").endswith(", difference -€5.00")
    with pytest.raises(fm.NotFoundError):
        result.check("financing-year", Subject("phase", "B"))


def test_a_failed_check_keeps_its_german_words(bochum: fm.Case, late: fm.Report) -> None:
    fin = late.financing
    phase = fin.phases[1].model_copy(update={"grant": fin.phases[1].grant - D("1234.50")})
    result = again(
        bochum, late, financing=fin.model_copy(update={"phases": (fin.phases[0], phase)})
    )
    check = result.check("financing-parts", Subject("phase", "B"))
    (finding,) = [f for f in reconciliation_findings(result) if f.text.params["what"] == check.what]
    assert finding.message == check.message
    assert finding.subject == check.subject == "Phase B"
    assert finding.message_in("en") == (
        "grant + own share + third-party funds + other public funding = eligible expenditure: "
        "expected €14,100,000.00, found €14,098,765.50, difference -€1,234.50"
    )
    data = check.model_dump(mode="json")
    assert data["about"] == {"kind": "phase", "id": "B"}
    assert data["subject"] == "Phase B"
    assert check.model_dump(mode="json", context={"lang": "en"})["title"] == words(check.what, "en")


def test_day_counts_and_at_most_in_english(late: fm.Report) -> None:
    gap = late.reconciliation.check("call-periods-gap", Subject("phase", "A"))
    assert gap.message.endswith("Tage (Bewilligungszeitraum 01.12.2021–30.06.2023)")
    assert words(gap.text, "en").endswith("days (funding period 2021-12-01 to 2023-06-30)")
    calls = late.reconciliation.check("calls-within-grant", Subject("phase", "A"))
    assert ": expected at most €715,000.00," in words(calls.text, "en")


# --- scenarios --------------------------------------------------------------------------------


def test_scenario_rows_carry_labels_steps_and_notes_as_data(bochum: fm.Case) -> None:
    scenario = Scenario(
        name="Verzug",
        steps=(ScaleLine(line="phase:A", percent=D(10)), ShiftLine(line="phase:B", months=1)),
    )
    base, row = compare(bochum, [scenario], as_of=date(2025, 6, 30)).rows
    assert base.label == Message.of("scenario.baseline")
    assert (words(base.label), words(base.label, "en")) == ("Ausgangslage", "Baseline")
    with pytest.warns(DeprecationWarning, match="ComparisonRow.scenario"):
        assert base.scenario == "Ausgangslage"
    assert row.label == Message.of("scenario.name", name="Verzug")
    assert row.steps[1] == Message.of(
        "scenario.step.shift", line="phase:B", months=Message.of("signed.plus", amount=1), count=1
    )
    assert "; ".join(words(step) for step in row.steps) == (
        "phase:A: Kosten +10 %; phase:B: Ausgaben +1 Monate verschoben"
    )
    with pytest.warns(DeprecationWarning, match="ComparisonRow.description"):
        assert row.description == "; ".join(words(step) for step in row.steps)
    assert [words(s, "en") for s in row.steps] == [
        "phase:A: costs +10 %",
        "phase:B: spending moved by +1 month",
    ]
    (note,) = row.remarks
    assert note.key == "scenario.note.phase-over"
    assert note.params["end"] == date(2023, 6, 30)
    assert note.params["lines"] == ("A-1", "A-2", "A-3", "A-4", "A-5")
    assert tuple(words(remark) for remark in row.remarks) == (
        "Phase A endete am 30.06.2023: bei A-1, A-2, A-3, A-4, A-5 ist nichts mehr offen; "
        "die Kostenänderung ändert nichts",
    )
    assert words(note, "en") == (
        "Phase A ended on 2023-06-30: nothing is open any more on A-1, A-2, A-3, A-4, A-5; "
        "the cost change changes nothing"
    )
    assert row.reconciled
    assert row.failed_checks == ()


def test_a_fully_booked_line_and_the_row_balance() -> None:
    words_de = words(
        Message.of(
            "scenario.note.fully-booked",
            count=2,
            lines=("B-1", "B-2"),
            step=Message.of("scenario.step-name.shift"),
        )
    )
    assert (
        words_de == "Ansätze B-1, B-2 bereits vollständig verbucht; die Verschiebung ändert nichts"
    )
    one = Message.of(
        "scenario.note.fully-booked",
        count=1,
        lines=("B-1",),
        step=Message.of("scenario.step-name.drop"),
    )
    assert words(one) == "Ansatz B-1 bereits vollständig verbucht; das Streichen ändert nichts"
    assert words(one, "en") == "line B-1 already fully booked; dropping changes nothing"
    assert words(ROW_BALANCE) == "row-balance (Szenario)"
    assert words(ROW_BALANCE, "en") == "row-balance (Scenario)"


def test_the_closed_extension_offer_is_data(bochum: fm.Case) -> None:
    state = progress(bochum, date(2025, 6, 30))
    closure = state.extension_closure
    assert closure is not None
    assert closure.params["end"] == date(2025, 1, 31)
    assert closure.params["declaration"] == Message.of(
        "scenario.declaration-by", end=date(2024, 12, 31)
    )
    assert state.extension_closed == words(closure)
    assert words(closure, "en").startswith("the programme's extension offer has expired: ")


# --- the extension draft ----------------------------------------------------------------------


def test_extension_draft_texts_in_both_languages() -> None:
    ident, title, note = draft_texts(
        "B", date(2028, 3, 31), [("B-3.3", D("100000.00")), ("B-1.1", D("0.01"))]
    )
    assert note.params["overruns"] == Message.of(
        "extension.overrun",
        line="B-3.3",
        amount=D("100000.00"),
        more=Message.of("extension.overrun", line="B-1.1", amount=D("0.01"), more=NOTHING),
    )
    assert words(note).endswith(
        "gleichmäßig verteilt; B-3.3 100.000,00\xa0€ über dem Ansatz (innerhalb der Toleranz, "
        "bleibt Überschreitung); B-1.1 0,01\xa0€ über dem Ansatz (innerhalb der Toleranz, bleibt "
        "Überschreitung)"
    )
    assert words(title, "en") == (
        "Cost-neutral extension of phase B until 2028-03-31 with a binding drawdown plan"
    )
    for item in (ident, title, note):
        assert german_in(_english(item)) == [], words(item, "en")


def test_an_english_extension_draft() -> None:
    case = fm.load_case(BOCHUM)
    draft = extension_amendment(case, "B", date(2028, 3, 31), as_of=date(2024, 12, 31), lang="en")
    german = extension_amendment(case, "B", date(2028, 3, 31), as_of=date(2024, 12, 31))
    assert draft.id == "Extension B (draft)"
    assert german.id == "Verlängerung B (Entwurf)"
    assert draft.lines == german.lines
    assert german.title == (
        "Kostenneutrale Verlängerung der Phase B bis 31.03.2028 mit verbindlichem Mittelabrufplan"
    )


def test_all_public_money_above_the_cap_is_an_error_with_both_figures() -> None:
    """Kumulierungsgrenze: 75 % grant + 15,000 € other public funding on 100,000 € = 90 %.

    With ``limits.max_public_share`` = 85 % (a programme's cap on federal plus Land money, as
    KfW 432 sets one) at most 85,000 € of public money is allowed: an error naming 90,000 €,
    90 % and the 85 %.
    """
    case = simple_case(
        eligible="100000.00",
        rate="0.75",
        sources=[{"id": "L", "kind": "other_public", "title": "Land", "amount": "15000.00"}],
    )
    capped = case.model_copy(
        update={
            "overrides": (
                fm.RuleOverride(
                    path="limits.max_public_share", value="0.85", reason="Programmtext Nr. 5"
                ),
            )
        }
    )
    assert "public-share-exceeded" not in {f.code for f in findings_of(case)}
    (found,) = [f for f in findings_of(capped) if f.code == "public-share-exceeded"]
    assert found.severity is fm.Severity.ERROR
    assert found.legal_reference == "Programmtext Nr. 5"
    params = found.text.params
    assert (params["public"], params["share"], params["cap"], params["allowed"]) == (
        Decimal("90000.00"),
        Decimal("0.9000"),
        Decimal("0.85"),
        Decimal("85000.00"),
    )
    assert found.message == (
        "öffentliche Mittel zusammen 90.000,00\xa0€ (Zuwendung 75.000,00\xa0€, andere "
        "öffentliche Förderung 15.000,00\xa0€), 90\xa0% der zuwendungsfähigen Ausgaben; "
        "zulässig sind höchstens 85\xa0% (85.000,00\xa0€)"
    )
    assert found.message_in("en").startswith("public money in total €90,000.00 (grant €75,000.00")
