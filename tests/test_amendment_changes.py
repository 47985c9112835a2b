"""Amendments that change what the decision fixed: Höchstbetrag, rate, eligible expenditure.

The worked example is KfW 432 (Energetische Stadtsanierung, Sanierungsmanagement): a
Sanierungsmanagement of 3 years at 75 % with a Höchstbetrag of 210.000 €; an extension by 2
years may raise the Höchstbetrag (KfW Merkblatt 432: "Bei einer Verlängerung kann der
Höchstbetrag auf insgesamt bis zu EUR 350.000 … aufgestockt werden", read in
foerderdatenbank.de). The case is built as data here; the figures are computed by hand in the
comments.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.errors import CaseError
from foerdermittel.export import excel
from foerdermittel.export.text import render_report
from foerdermittel.financing import compute_financing
from foerdermittel.io import dump_case, loads_case
from foerdermittel.model.amendments import ChangedValue, DecisionChange, PhaseChange

from .common import bochum_data, codes

D = Decimal

DECIDED = date(2024, 1, 15)
EXTENDED = date(2026, 11, 2)


def _kfw_432(
    *amendments: dict[str, Any],
    phase_extra: dict[str, Any] | None = None,
    grant_extra: dict[str, Any] | None = None,
) -> fm.Case:
    """Sanierungsmanagement 3 years (01.02.2024–31.01.2027), 280.000 € eligible at 75 %.

    0.75 × 280.000,00 € = 210.000,00 € — exactly the Höchstbetrag of the first decision.
    """
    grant: dict[str, Any] = {
        "id": "KfW-432-Z-1",
        "funder": "KfW",
        "recipient": "Stadt Musterstadt",
        "land": "NW",
        "funder_land": "NW",
        "rulebook": "anbest-gk-2019",
        "decision_date": DECIDED.isoformat(),
        "financing_type": "anteilfinanzierung",
        "rate": "0.75",
        "max_amount": "210000.00",
        "phases": [
            {
                "id": "A",
                "title": "Sanierungsmanagement",
                "start": "2024-02-01",
                "end": "2027-01-31",
                "eligible_expenditure": "280000.00",
                **(phase_extra or {}),
            }
        ],
        **(grant_extra or {}),
    }
    return fm.Case.from_data({"grant": grant, "amendments": list(amendments)})


def _extension(**grant_values: Any) -> dict[str, Any]:
    """The extension by 2 years: 5 years' eligible expenditure 466.666,67 €.

    0.75 × 466.666,67 € = 350.000,0025 € → 350.000,00 € (rounded down to the cent).
    """
    return {
        "id": "Ä-1",
        "title": "Verlängerung um 2 Jahre, Aufstockung des Höchstbetrags",
        "decided_on": EXTENDED.isoformat(),
        "phases": [{"phase": "A", "new_end": "2029-01-31", "eligible_expenditure": "466666.67"}],
        **grant_values,
    }


# --- the worked example ---------------------------------------------------------------------


def test_kfw_432_extension_raises_the_hoechstbetrag() -> None:
    case = _kfw_432(_extension(max_amount="350000.00"))
    amended = case.amended()
    assert amended.grant.max_amount == D("350000.00")
    assert amended.grant.phases[0].end == date(2029, 1, 31)
    financing = compute_financing(amended)
    # grant: min(350.000,00, 350.000,00) = 350.000,00 €
    # own share: 466.666,67 − 350.000,00 = 116.666,67 €
    assert financing.grant == D("350000.00")
    assert financing.own_share == D("116666.67")
    assert financing.phases[0].capped_by is None
    # the first decision stays as it was
    assert case.grant.max_amount == D("210000.00")
    assert compute_financing(case).grant == D("210000.00")


def test_kfw_432_extension_without_raising_the_hoechstbetrag() -> None:
    # What the library computed before an amendment could raise the Höchstbetrag:
    # 0.75 × 466.666,67 = 350.000,00 €, capped at 210.000,00 €;
    # own share 466.666,67 − 210.000,00 = 256.666,67 €.
    financing = compute_financing(_kfw_432(_extension()).amended())
    assert financing.grant == D("210000.00")
    assert financing.own_share == D("256666.67")
    assert financing.phases[0].capped_by == "grant"


def test_kfw_432_with_the_hoechstbetrag_on_the_phase() -> None:
    # the same decision with the Höchstbetrag set for the phase, raised by the phase change
    extension = _extension()
    extension["phases"][0]["max_amount"] = "350000.00"
    case = _kfw_432(
        extension, phase_extra={"max_amount": "210000.00"}, grant_extra={"max_amount": None}
    )
    financing = compute_financing(case.amended())
    assert (financing.grant, financing.own_share) == (D("350000.00"), D("116666.67"))
    (change,) = [c for c in case.decision_changes() if c.value is ChangedValue.MAX_AMOUNT]
    assert (change.phase, change.before, change.after) == ("A", D("210000.00"), D("350000.00"))


def test_the_report_shows_the_decided_and_the_amended_values() -> None:
    case = _kfw_432(_extension(max_amount="350000.00"))
    report = fm.evaluate(case, date(2027, 6, 30))
    assert report.financing.grant == D("350000.00")
    assert report.original_grant == case.grant
    changes = [(c.phase, c.value, c.before, c.after) for c in report.decision_changes]
    assert changes == [
        (None, ChangedValue.MAX_AMOUNT, D("210000.00"), D("350000.00")),
        ("A", ChangedValue.END, date(2027, 1, 31), date(2029, 1, 31)),
        ("A", ChangedValue.ELIGIBLE_EXPENDITURE, D("280000.00"), D("466666.67")),
    ]
    assert {(c.amendment, c.decided_on) for c in report.decision_changes} == {("Ä-1", EXTENDED)}
    text = render_report(report)
    assert "    Zuwendung insgesamt, Höchstbetrag: 210.000,00\xa0€ → 350.000,00\xa0€\n" in text
    assert "    Phase A, Ende des Bewilligungszeitraums: 31.01.2027 → 31.01.2029\n" in text
    assert "    Phase A, zuwendungsfähige Ausgaben: 280.000,00\xa0€ → 466.666,67\xa0€\n" in text
    english = render_report(report, lang="en")
    assert "    Grant as a whole, maximum amount: €210,000.00 → €350,000.00\n" in english
    # JSON: the changes as data
    dumped = report.model_dump(mode="json")["decision_changes"]
    assert dumped[0] == {
        "amendment": "Ä-1",
        "decided_on": "2026-11-02",
        "phase": None,
        "value": "max_amount",
        "before": "210000.00",
        "after": "350000.00",
    }
    assert [DecisionChange.model_validate(c) for c in dumped] == list(report.decision_changes)


def test_the_workbook_shows_the_decided_and_the_amended_values() -> None:
    report = fm.evaluate(_kfw_432(_extension(max_amount="350000.00")), date(2027, 6, 30))
    ws = openpyxl.load_workbook(io.BytesIO(excel.to_bytes(report)))["Übersicht"]
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    head = next(i for i, row in enumerate(rows) if row[0] == "Geänderte Festsetzungen")
    assert rows[head + 1][:6] == [
        "betrifft",
        "Festsetzung",
        "bisher",
        "geändert auf",
        "Änderungsbescheid",
        "vom",
    ]
    first = rows[head + 2]
    assert first[:2] == ["Zuwendung insgesamt", "Höchstbetrag"]
    assert (first[2], first[3], first[4]) == (210000, 350000, "Ä-1")
    assert first[5].date() == EXTENDED
    summary = next(row[4] for row in rows if row[0] == "Ä-1")
    assert summary == (
        "Zuwendung: Höchstbetrag geändert; Phase A: Ende 31.01.2029, zuwendungsfähig "
        "466.666,67\xa0€"
    )


# --- until= and the order of several amendments -------------------------------------------


def test_until_applies_only_the_amendments_decided_by_then() -> None:
    case = _kfw_432(_extension(max_amount="350000.00"))
    before = case.amended(until=date(2026, 11, 1))
    assert before.grant == case.grant
    assert before.amendments == ()
    # 280.000,00 − 210.000,00 = 70.000,00 € own share, as first decided
    assert compute_financing(before).own_share == D("70000.00")
    assert case.decision_changes(until=date(2026, 11, 1)) == ()
    on_the_day = case.amended(until=EXTENDED)
    assert on_the_day == case.amended()
    assert len(case.decision_changes(until=EXTENDED)) == 3


def test_several_amendments_apply_in_the_order_of_their_decision() -> None:
    # listed out of order: Ä-2 (2026) before Ä-1 (2025)
    later = _extension(max_amount="350000.00")
    later["id"] = "Ä-2"
    earlier = {
        "id": "Ä-1",
        "title": "Förderquote 80 %",
        "decided_on": "2025-05-15",
        "rate": "0.80",
        "max_amount": "224000.00",
    }
    case = _kfw_432(later, earlier)
    # after Ä-1: 0.80 × 280.000,00 = 224.000,00 €, within the Höchstbetrag 224.000,00 €
    assert compute_financing(case.amended(until=date(2025, 12, 31))).grant == D("224000.00")
    # after Ä-2: 0.80 × 466.666,67 = 373.333,336 → 373.333,33 €, capped at 350.000,00 €;
    # own share 466.666,67 − 350.000,00 = 116.666,67 €. (In the file's order Ä-1's
    # Höchstbetrag of 224.000,00 € would come last and win.)
    financing = compute_financing(case.amended())
    assert (financing.grant, financing.own_share) == (D("350000.00"), D("116666.67"))
    assert financing.phases[0].rate == D("0.80")
    changes = [(c.amendment, c.phase, c.value, c.before, c.after) for c in case.decision_changes()]
    assert changes == [
        ("Ä-1", None, ChangedValue.RATE, D("0.75"), D("0.80")),
        ("Ä-1", None, ChangedValue.MAX_AMOUNT, D("210000.00"), D("224000.00")),
        ("Ä-2", None, ChangedValue.MAX_AMOUNT, D("224000.00"), D("350000.00")),
        ("Ä-2", "A", ChangedValue.END, date(2027, 1, 31), date(2029, 1, 31)),
        ("Ä-2", "A", ChangedValue.ELIGIBLE_EXPENDITURE, D("280000.00"), D("466666.67")),
    ]


def test_a_value_named_again_unchanged_is_no_change() -> None:
    case = _kfw_432(_extension(max_amount="210000.00", rate="0.75"))
    assert [c.value for c in case.decision_changes()] == [
        ChangedValue.END,
        ChangedValue.ELIGIBLE_EXPENDITURE,
    ]


def test_stated_totals_of_the_first_decision_do_not_describe_the_amended_one() -> None:
    # the first decision states 210.000 € grant and 70.000 € own share; the amendment's
    # figures replace them, so the amended case checks no stale statement against them
    stated = {"stated_grant": "210000.00", "stated_own_share": "70000.00"}
    case = _kfw_432(
        _extension(max_amount="350000.00", eligible_expenditure="466666.67"),
        grant_extra={**stated, "eligible_expenditure": "280000.00"},
    )
    assert codes(fm.evaluate(_kfw_432(grant_extra=stated), date(2027, 6, 30)).findings).isdisjoint(
        {"stated-grant-mismatch", "stated-own-share-mismatch"}
    )
    amended = case.amended().grant
    assert (amended.stated_grant, amended.stated_own_share) == (None, None)
    assert amended.eligible_expenditure == D("466666.67")
    found = codes(fm.evaluate(case, date(2027, 6, 30)).findings)
    assert found.isdisjoint(
        {"stated-grant-mismatch", "stated-own-share-mismatch", "stated-eligible-mismatch"}
    )
    # an extension alone (no figure changed) keeps them
    cost_neutral = {
        "id": "Ä-1",
        "title": "Verlängerung",
        "decided_on": "2026-11-02",
        "phases": [{"phase": "A", "new_end": "2027-06-30"}],
    }
    kept = _kfw_432(cost_neutral, grant_extra=stated).amended().grant
    assert kept.stated_grant == D("210000.00")


def test_a_change_of_the_figures_only_keeps_the_period() -> None:
    change = {
        "id": "Ä-1",
        "title": "Aufstockung",
        "decided_on": "2025-03-01",
        "phases": [{"phase": "A", "eligible_expenditure": "300000.00", "rate": "0.80"}],
    }
    case = _kfw_432(change, grant_extra={"max_amount": "240000.00"})
    amended = case.amended()
    assert amended.grant.phases[0].end == date(2027, 1, 31)
    # 0.80 × 300.000,00 = 240.000,00 €
    assert compute_financing(amended).grant == D("240000.00")
    assert not case.amendments[0].cost_neutral
    report = fm.evaluate(case, date(2025, 6, 30))
    assert "extension-applied-late" not in codes(report.findings)


# --- bad input ------------------------------------------------------------------------------


def _problems(build: Any) -> list[tuple[str, str]]:
    with pytest.raises(CaseError) as caught:
        build()
    return [(p.path, p.message) for p in caught.value.problems]


def test_a_rate_change_on_a_festbetrag_is_an_error_naming_the_field() -> None:
    def festbetrag(**values: Any) -> fm.Case:
        return _kfw_432(
            {"id": "Ä-1", "title": "Quote", "decided_on": "2025-03-01", **values},
            phase_extra={"fixed_amount": "210000.00"},
            grant_extra={"financing_type": "festbetragsfinanzierung", "rate": None},
        )

    ((path, message),) = _problems(lambda: festbetrag(rate="0.80"))
    assert path == "amendments[0].rate"
    assert "Festbetragsfinanzierung" in message
    assert "Anteilfinanzierung" in message
    ((path, _),) = _problems(lambda: festbetrag(phases=[{"phase": "A", "rate": "0.80"}]))
    assert path == "amendments[0].phases[0].rate"
    # the Höchstbetrag of a Festbetrag's phase may change
    assert festbetrag(phases=[{"phase": "A", "max_amount": "200000.00"}]).amendments


def test_a_grant_rate_no_phase_takes_is_an_error() -> None:
    ((path, message),) = _problems(
        lambda: _kfw_432(
            {"id": "Ä-1", "title": "Quote", "decided_on": "2025-03-01", "rate": "0.80"},
            phase_extra={"rate": "0.75"},
        )
    )
    assert path == "amendments[0].rate"
    assert "jede Phase hat eine eigene" in message


def test_an_unknown_phase_is_an_error() -> None:
    ((path, message),) = _problems(
        lambda: _kfw_432(
            {
                "id": "Ä-1",
                "title": "Aufstockung",
                "decided_on": "2025-03-01",
                "phases": [{"phase": "X", "max_amount": "300000.00"}],
            }
        )
    )
    assert path == "amendments[0].phases[0].phase"
    assert "Phase, die es nicht gibt; vorhanden: A" in message


def test_a_phase_change_that_changes_nothing_is_an_error() -> None:
    ((path, message),) = _problems(
        lambda: _kfw_432(
            {"id": "Ä-1", "title": "nichts", "decided_on": "2025-03-01", "phases": [{"phase": "A"}]}
        )
    )
    assert path == "amendments[0].phases[0]"
    for field in ("new_end", "eligible_expenditure", "max_amount", "rate"):
        assert field in message
    with pytest.raises(ValueError, match="nennt nichts, was sich ändert"):
        PhaseChange(phase="A")


def test_an_extension_that_does_not_extend_is_still_an_error() -> None:
    ((path, _),) = _problems(
        lambda: _kfw_432(
            {
                "id": "Ä-1",
                "title": "kürzer",
                "decided_on": "2025-03-01",
                "phases": [{"phase": "A", "new_end": "2026-12-31", "max_amount": "1.00"}],
            }
        )
    )
    assert path == "amendments[0].phases[0].new_end"


# --- files ----------------------------------------------------------------------------------


def test_json_round_trip_keeps_the_amendments() -> None:
    later = _extension(max_amount="350000.00", eligible_expenditure="466666.67")
    figures = {
        "id": "Ä-0",
        "title": "Quote",
        "decided_on": "2025-05-15",
        "rate": "0.80",
        "phases": [{"phase": "A", "max_amount": "224000.00"}],
    }
    case = _kfw_432(later, figures)
    text = dump_case(case)
    again = loads_case(text, fmt="json")
    assert again == case
    assert again.amendments[1].phases[0].new_end is None
    assert dump_case(again) == text


def test_an_extension_file_of_before_loads_as_it_did() -> None:
    # Bochum's Ä-1: phases with new_end only
    data = bochum_data()
    case = fm.Case.from_data(data)
    (change,) = case.amendments[0].phases
    assert (change.new_end, change.eligible_expenditure, change.max_amount, change.rate) == (
        date(2023, 6, 30),
        None,
        None,
        None,
    )
    assert case.amendments[0].cost_neutral
    (shown,) = case.decision_changes()
    assert (shown.phase, shown.value, shown.before, shown.after) == (
        "A",
        ChangedValue.END,
        date(2022, 11, 30),
        date(2023, 6, 30),
    )


# --- checks on the amended case -------------------------------------------------------------

KEY_DATE = date(2025, 6, 30)


def _bochum_with(amendment: dict[str, Any], **top: Any) -> fm.Case:
    data = bochum_data() | top
    data["amendments"].append(
        {"id": "Ä-2", "title": "Aufstockung", "decided_on": "2023-01-15", **amendment}
    )
    return fm.Case.from_data(data)


def test_a_hoechstbetrag_raised_past_the_programme_cap_is_found() -> None:
    # Phase A's cap on the grant (MPSC: 2.500.000 €; the decision here reads it as a cap on
    # the grant). The amendment raises phase A's eligible expenditure to 4.000.000 €:
    # 0.65 × 4.000.000 = 2.600.000 € for A, 0.65 × 14.100.000 = 9.165.000 € for B.
    override = [{"path": "programme.phases.A.cap_basis", "value": "grant", "reason": "Zusage"}]
    eligible_only = {"phases": [{"phase": "A", "eligible_expenditure": "4000000.00"}]}
    # with the Höchstbetrag of 9.880.000 € the sum 11.765.000 € is cut back:
    # A gets 9.880.000 × 2.6 / 11.765 = 2.183.425,41 € — within the cap
    capped = fm.evaluate(_bochum_with(eligible_only, overrides=override), KEY_DATE)
    assert "phase-cap-exceeded" not in codes(capped.findings)
    # the amendment raises the Höchstbetrag to 11.765.000 €: A gets 2.600.000 € > 2.500.000 €
    data = bochum_data()
    data["overrides"] = override
    data["amendments"].append(
        {
            "id": "Ä-2",
            "title": "Aufstockung",
            "decided_on": "2023-01-15",
            "max_amount": "11765000.00",
            **eligible_only,
        }
    )
    report = fm.evaluate(fm.Case.from_data(data), KEY_DATE)
    (found,) = [f for f in report.findings if f.code == "phase-cap-exceeded"]
    assert found.text.params["amount"] == D("2600000.00")
    assert found.text.params["cap"] == D("2500000.00")


def test_a_phase_hoechstbetrag_raised_past_the_programme_cap_is_found() -> None:
    # phase A has its own Höchstbetrag 715.000 € (0.65 × 1.100.000); the amendment raises A's
    # eligible expenditure to 4.000.000 € and the grant's Höchstbetrag to 11.765.000 €
    data = bochum_data()
    data["overrides"] = [
        {"path": "programme.phases.A.cap_basis", "value": "grant", "reason": "Zusage"}
    ]
    data["grant"]["phases"][0]["max_amount"] = D("715000.00")
    change: dict[str, Any] = {"phase": "A", "eligible_expenditure": "4000000.00"}
    amendment = {
        "id": "Ä-2",
        "title": "Aufstockung",
        "decided_on": "2023-01-15",
        "max_amount": "11765000.00",
        "phases": [change],
    }
    data["amendments"].append(amendment)
    # A stays at its own 715.000 €: no finding
    report = fm.evaluate(fm.Case.from_data(data), KEY_DATE)
    assert "phase-cap-exceeded" not in codes(report.findings)
    # raised to 2.600.000 € by the amendment: 0.65 × 4.000.000 = 2.600.000 € > 2.500.000 €
    change["max_amount"] = "2600000.00"
    report = fm.evaluate(fm.Case.from_data(data), KEY_DATE)
    (found,) = [f for f in report.findings if f.code == "phase-cap-exceeded"]
    assert found.text.params["amount"] == D("2600000.00")


def test_a_rate_raised_above_the_tier_is_found() -> None:
    # MPSC standard tier: 65 %; the amendment sets 90 % without the Haushaltsnotlage tier
    report = fm.evaluate(_bochum_with({"rate": "0.90"}), KEY_DATE)
    found = [f for f in report.findings if f.code == "rate-above-tier"]
    assert {f.subject for f in found} == {"Phase A", "Phase B"}
    assert {f.text.params["rate"] for f in found} == {D("0.90")}
    assert {f.text.params["tier_rate"] for f in found} == {D("0.65")}
    assert "rate-above-tier" not in codes(
        fm.evaluate(fm.Case.from_data(bochum_data()), KEY_DATE).findings
    )


# --- scenarios ------------------------------------------------------------------------------


def test_a_scenario_rate_replaces_the_rate_and_cap_an_amendment_set() -> None:
    case = _kfw_432(_extension(max_amount="350000.00", rate="0.80"))
    changed, notes = fm.ChangeRate(rate="0.90").apply(case)
    amended = changed.amended()
    assert amended.grant.rate == D("0.90")
    assert amended.grant.max_amount is None
    # 0.90 × 466.666,67 = 420.000,003 → 420.000,00 €
    assert compute_financing(amended).grant == D("420000.00")
    # the note names the Höchstbetrag in force (the amendment's), not the first decision's
    assert notes[0].params["cap"] == D("350000.00")
    # the extension stays
    assert amended.grant.phases[0].end == date(2029, 1, 31)


def test_a_scenario_rate_replaces_a_phase_rate_an_amendment_set() -> None:
    change = {
        "id": "Ä-1",
        "title": "Quote der Phase",
        "decided_on": "2025-03-01",
        "phases": [{"phase": "A", "rate": "0.80"}],
    }
    case = _kfw_432(change, grant_extra={"max_amount": None})
    assert compute_financing(case.amended()).grant == D("224000.00")  # 0.80 × 280.000
    changed = fm.Scenario(name="90 %", steps=(fm.ChangeRate(rate="0.90"),)).apply(case)
    # the phase change had nothing else to change: it goes; 0.90 × 280.000 = 252.000 €
    assert changed.amendments[0].phases == ()
    assert compute_financing(changed.amended()).grant == D("252000.00")


def test_a_scenario_extension_after_a_change_of_figures_only() -> None:
    change = {
        "id": "Ä-1",
        "title": "Aufstockung",
        "decided_on": "2025-03-01",
        "phases": [{"phase": "A", "max_amount": "250000.00"}],
    }
    case = _kfw_432(change)
    changed, _ = fm.ExtendPhase(phase="A", new_end=date(2028, 1, 31)).apply(case)
    assert changed.amended().grant.phases[0].end == date(2028, 1, 31)
    assert changed.amended().grant.phases[0].max_amount == D("250000.00")


# --- properties -----------------------------------------------------------------------------

_FIGURE = st.none() | st.decimals(min_value=1, max_value=500000, places=2)
_RATE = st.none() | st.sampled_from([D("0.5"), D("0.65"), D("0.75"), D("0.8"), D("0.9")])


@st.composite
def _amendments(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Up to four amendments on distinct days, each changing some of the figures."""
    days = draw(
        st.lists(
            st.dates(date(2024, 2, 1), date(2026, 12, 31)), min_size=1, max_size=4, unique=True
        )
    )
    out = []
    for number, day in enumerate(days):
        grant = {"max_amount": draw(_FIGURE), "rate": draw(_RATE)}
        phase = {"eligible_expenditure": draw(_FIGURE), "max_amount": draw(_FIGURE)}
        amendment: dict[str, Any] = {
            "id": f"Ä-{number}",
            "title": "Änderung",
            "decided_on": day,
            **{k: v for k, v in grant.items() if v is not None},
        }
        changed = {k: v for k, v in phase.items() if v is not None}
        if changed:
            amendment["phases"] = [{"phase": "A", **changed}]
        out.append(amendment)
    return out


@settings(max_examples=60, deadline=None)
@given(_amendments(), st.randoms(use_true_random=False))
def test_amendments_apply_by_date_and_each_change_follows_the_last(
    amendments: list[dict[str, Any]], random: Any
) -> None:
    case = _kfw_432(*amendments)
    shuffled = list(amendments)
    random.shuffle(shuffled)
    # the order in the file does not matter: the days of the decisions do
    assert _kfw_432(*shuffled).amended() == case.amended()
    assert case.amended(until=max(a["decided_on"] for a in amendments)) == case.amended()
    # every change starts where the one before (or the decision) left the value, and the last
    # one is the value in force
    decided = {(None, v): getattr(case.grant, v.value) for v in ChangedValue if v.kind != "date"}
    decided |= {("A", v): getattr(case.grant.phases[0], v.value) for v in ChangedValue}
    amended = case.amended().grant
    current = dict(decided)
    for change in case.decision_changes():
        key = (change.phase, change.value)
        assert change.before == current[key] != change.after
        current[key] = change.after
    for (phase, value), figure in current.items():
        holder = amended if phase is None else amended.phases[0]
        assert getattr(holder, value.value) == figure
