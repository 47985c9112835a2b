"""Scenarios, comparison and sweep; Jupyter views; DataFrames; charts."""

from __future__ import annotations

import html as html_module
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.cli import main
from foerdermittel.message_types import words
from foerdermittel.scenarios import (
    AddThirdParty,
    ChangeRate,
    DropLine,
    ExtendPhase,
    ScaleLine,
    Scenario,
    SetActual,
    ShiftLine,
    compare,
    progress,
    sweep,
)

from .common import BOCHUM, bochum_data

D = Decimal
PLANNING = date(2021, 6, 1)  # before anything happened: a pure planning view


def name(row: fm.scenarios.ComparisonRow) -> str:
    """A row's label in German words."""
    return words(row.label)


def notes(row: fm.scenarios.ComparisonRow) -> tuple[str, ...]:
    """A row's remarks in German words."""
    return tuple(words(remark) for remark in row.remarks)


def plan_case(**changes: Any) -> fm.Case:
    data = bochum_data()
    for key in ("payouts", "submissions", "ledger"):
        data.pop(key, None)
    data["settings"] = {}
    data.update(changes)
    return fm.Case.from_data(data)


def rows(table: fm.scenarios.ComparisonTable) -> dict[str, fm.scenarios.ComparisonRow]:
    return {name(row): row for row in table.rows}


def test_baseline_matches_the_report() -> None:
    case = plan_case()
    (row,) = compare(case, [], as_of=PLANNING).rows
    report = fm.evaluate(case, PLANNING)
    assert name(row) == "Ausgangslage"
    assert row.grant == D("9880000.00")
    assert row.own_share == D("5320000.00")
    assert row.own_share_by_year == {y.year: y.own_share for y in report.own_share.years}
    assert row.last_call == date(2027, 6, 1)


def test_delay_without_extension_loses_grant_and_the_extension_saves_it() -> None:
    case = plan_case()
    delay = Scenario(name="Verzug", steps=(ShiftLine(line="phase:B", months=12),))
    extended = Scenario(
        name="Verzug + Verlängerung",
        steps=(
            ExtendPhase(phase="B", new_end=date(2028, 3, 31)),
            ShiftLine(line="phase:B", months=12),
        ),
    )
    table = rows(compare(case, [delay, extended], as_of=PLANNING))
    base = table["Ausgangslage"]
    late = table["Verzug"]
    saved = table["Verzug + Verlängerung"]
    # Oct 2025 – Sep 2026 moves past the phase end: 65 % of it is lost, the city pays all
    lost = base.grant - late.grant
    assert lost > 0
    assert late.own_share - base.own_share == lost
    assert late.own_share_by_year[2027] > 0  # ineligible costs after the phase
    assert saved.grant == base.grant
    assert saved.own_share == base.own_share
    assert saved.last_call is not None
    assert saved.last_call > base.last_call  # type: ignore[operator]


def test_overrun_on_a_group_is_the_city_s() -> None:
    case = plan_case()
    scenario = Scenario(
        name="+20 %", steps=(ScaleLine(line="Zukunftsfähige Infrastruktur", percent=D(20)),)
    )
    table = rows(compare(case, [scenario], as_of=PLANNING))
    extra = D("0.20") * (D("100000.00") + D("3000000.00") + D("1500000.00"))
    assert table["+20 %"].grant == D("9880000.00")  # the decision does not grow
    assert table["+20 %"].own_share - table["Ausgangslage"].own_share == extra
    assert table["+20 %"].errors + table["+20 %"].warnings > 0


ACTUAL = {2021: D("20000.00"), 2022: D("1.00")}


def test_rate_tier_third_party_drop_and_actuals() -> None:
    case = plan_case()
    table = rows(
        compare(
            case,
            [
                Scenario(name="90 %", steps=(ChangeRate(tier="haushaltsnotlage"),)),
                Scenario(name="Dritte", steps=(AddThirdParty(phase="B", amount=D("500000.00")),)),
                Scenario(name="ohne B-5.2", steps=(DropLine(line="B-5.2"),)),
                Scenario(name="Ist", steps=(SetActual(line="A-1", amounts=ACTUAL),)),
            ],
            as_of=date(2023, 9, 1),  # phase A is over
        )
    )
    assert table["90 %"].grant == D("13680000.00")
    assert table["Dritte"].own_share == D("4820000.00")
    assert table["ohne B-5.2"].grant == D("9685000.00")
    assert table["Ist"].grant < table["Ausgangslage"].grant


def test_scenario_errors_name_the_step() -> None:
    with pytest.raises(fm.CaseError, match="Schritt 1") as info:
        Scenario(name="x", steps=(ScaleLine(line="Z-9", percent=D(1)),)).apply(plan_case())
    assert "Z-9" in str(info.value)
    with pytest.raises(fm.CaseError, match="keine Verlängerung"):
        Scenario(name="y", steps=(ExtendPhase(phase="B", new_end=date(2026, 1, 1)),)).apply(
            plan_case()
        )


def test_scenarios_in_the_case_file_round_trip() -> None:
    case = fm.load_case(BOCHUM)
    assert [s.name for s in case.scenarios][:2] == [
        "Umsetzung 12 Monate später",
        "12 Monate später, verlängert bis 31.03.2028",
    ]
    assert fm.loads_case(fm.dump_case(case), fmt="json") == case
    data = bochum_data()
    data["scenarios"] = [{"name": "a", "steps": []}, {"name": "a", "steps": []}]
    with pytest.raises(fm.CaseError, match="doppelt"):
        fm.Case.from_data(data)


def test_sweep_grid() -> None:
    table = sweep(
        plan_case(),
        {"overrun": [0, 30], "delay_months": [0, 18]},
        as_of=PLANNING,
        lines=["phase:B"],
    )
    assert len(table.rows) == 4
    by = {(r.parameters["overrun"], r.parameters["delay_months"]): r for r in table.rows}
    assert by[("0", "0")].grant == D("9880000.00")
    assert by[("30", "0")].own_share > by[("0", "0")].own_share
    assert by[("0", "18")].grant < by[("0", "0")].grant


def test_same_results_with_a_process_pool() -> None:
    case = plan_case()
    scenarios = [
        Scenario(name="Verzug", steps=(ShiftLine(line="phase:B", months=6),)),
        Scenario(name="90 %", steps=(ChangeRate(tier="haushaltsnotlage"),)),
    ]
    serial = compare(case, scenarios, as_of=PLANNING)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = compare(case, scenarios, as_of=PLANNING, executor=pool)
    assert parallel == serial


def test_views_escape_user_text() -> None:
    data = bochum_data()
    data.pop("ledger")
    data["title"] = "<script>alert(1)</script>"
    data["grant"]["recipient"] = "Stadt & <b>Bochum</b>"
    report = fm.evaluate(fm.Case.from_data(data), date(2024, 1, 1))
    page = report._repr_html_()
    assert "<script>" not in page
    assert html_module.escape("<script>alert(1)</script>") in page
    assert "Stadt &amp; &lt;b&gt;Bochum&lt;/b&gt;" in page
    assert "9.880.000,00\u00a0€" in page
    for part in (report.financing, report.drawdowns, report.own_share, report.proof_of_use):
        assert part._repr_html_().startswith(("<table", "<p>"))
    table = compare(plan_case(title="<i>x</i>"), [], as_of=PLANNING)
    assert "<i>" not in table._repr_html_().replace("<pre", "")


def test_comparison_view_has_a_column_per_scenario() -> None:
    # Six budget years and ten figures would make fifteen columns; the notebook view puts the
    # scenarios side by side instead, so it keeps to the page's width, and scrolls if not.
    delay = Scenario(name="12 Monate später", steps=(ShiftLine(line="phase:B", months=12),))
    table = compare(plan_case(), [delay], as_of=PLANNING)
    page = table._repr_html_()
    assert page.startswith('<div style="max-width:100%;overflow-x:auto">')
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", page)
    assert head is not None
    assert re.findall(r"<th[^>]*>(.*?)</th>", head.group(1)) == ["", "Ausgangslage", delay.name]
    body = page.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr><th[^>]*>(.*?)</th>((?:<td[^>]*>.*?</td>)*)</tr>", body)
    labels = [label for label, _ in rows]
    assert labels[:4] == ["Gesamtausgaben", "Zuwendung", "Eigenanteil", "Belastung"]
    assert [f"Belastung {y}" for y in table.years()] == [
        x for x in labels if x.startswith("Belastung ")
    ]
    assert all(len(re.findall("<td", cells)) == 2 for _, cells in rows)
    assert "9.880.000,00\u00a0€" in dict(rows)["Zuwendung"]


def test_frames_keep_decimals() -> None:
    pytest.importorskip("pandas")
    report = fm.evaluate(plan_case(), PLANNING)
    frame = report.to_frame("own_share")
    assert frame["Eigenanteil"].sum() == D("5320000.00")
    assert isinstance(frame["Eigenanteil"].iloc[0], Decimal)
    assert report.to_frame("financing").loc["B", "Zuwendung"] == D("9165000.00")
    styled = fm.export.frames.german(frame).to_html()
    assert "5.320.000,00" not in styled or "€" in styled
    with pytest.raises(ValueError, match="gültig sind"):
        report.to_frame("unbekannt")
    table = compare(plan_case(), [], as_of=PLANNING).to_frame()
    assert table.loc["Ausgangslage", "Zuwendung"] == D("9880000.00")


def test_plots(tmp_path: Any) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    report = fm.evaluate(plan_case(), date(2024, 1, 1))
    flows = report.plot("flows")
    assert [line.get_label() for line in flows.get_lines()][:2] == [
        "Ausgaben laut Plan (kumuliert)",
        "Ausgaben Ist/Prognose (kumuliert)",
    ]
    assert "Mio. €" in flows.yaxis.get_major_formatter()(2_500_000, 0)
    bars = report.plot("own_share")
    assert bars.get_title() == "Eigenanteil je Haushaltsjahr"
    with pytest.raises(ValueError, match="flows, own_share"):
        report.plot("torte")


def test_cli_compare(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(BOCHUM), "--as-of", "2024-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Szenarienvergleich, Stichtag 01.01.2024" in out
    assert "Umsetzung 12 Monate später" in out
    assert main(["compare", str(BOCHUM), "--scenario", "Haushaltsnotlage: 90 %"]) == 0
    out = capsys.readouterr().out
    assert "Haushaltsnotlage: 90 %" in out
    assert "Umsetzung 12 Monate später" not in out
    assert main(["compare", str(BOCHUM), "--scenario", "gibt es nicht"]) == 2
    assert "unbekanntes Szenario" in capsys.readouterr().err


# --- Scenarios on a key date: what is booked stays ----------------------------------------------


def bochum_with_ledger() -> fm.Case:
    return fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)


def balanced(row: fm.scenarios.ComparisonRow) -> bool:
    return row.grant + row.third_party + row.burden == row.total_cost + row.interest


def test_a_delay_after_the_phase_changes_nothing_and_says_so() -> None:
    # Before: on 01.12.2026 the delay showed grant 9.158.337,55 € and own share 8.365.499,89 €
    # (17,52 M€ for a ledger of 15,13 M€): the shifted plan was counted on top of the vouchers.
    table = compare(bochum_with_ledger(), as_of=date(2026, 12, 1))
    got = rows(table)
    base, late = got["Ausgangslage"], got["Umsetzung 12 Monate später"]
    assert base.total_cost == D("15132380.00")  # 15.130.000 eligible + 2.380 paid before phase B
    assert (late.grant, late.own_share, late.total_cost) == (
        D("9834500.00"),
        D("5295500.00"),
        D("15132380.00"),
    )
    assert late.burden_by_year == base.burden_by_year
    assert any("nichts mehr offen; die Verschiebung ändert nichts" in n for n in notes(late))
    for row in table.rows:
        assert balanced(row), name(row)
    scaled = got["Zukunftsfähige Infrastruktur +20 %"]
    assert scaled.total_cost == base.total_cost
    assert any("B-1.1, B-1.2" in n for n in notes(scaled))
    extended = got["12 Monate später, verlängert bis 31.03.2028"]
    assert any("abgelaufener Bewilligungszeitraum" in n for n in notes(extended))


def test_a_delay_mid_way_moves_money_out_of_the_phase_but_keeps_the_cost() -> None:
    # Before: on 30.06.2025 the delay changed the city's total cost by 19.000 €.
    got = rows(compare(bochum_with_ledger(), as_of=date(2025, 6, 30)))
    base, late = got["Ausgangslage"], got["Umsetzung 12 Monate später"]
    assert late.total_cost == base.total_cost == D("15182380.00")
    lost = base.grant - late.grant
    assert lost == D("2009314.16")
    # what the grant no longer carries, the city does, and the booked years stay as they are
    assert late.burden - base.burden == lost
    for year in (2021, 2022, 2023, 2024):
        assert late.burden_by_year[year] == base.burden_by_year[year]
    assert late.burden_by_year[2027] > 0
    assert not notes(late)
    extended = got["12 Monate später, verlängert bis 31.03.2028"]
    assert extended.grant == base.grant
    assert any("31.01.2025" in n and "Was-wäre-wenn" in n for n in notes(extended))


def test_change_rate_says_what_happens_to_the_hoechstbetrag() -> None:
    got = rows(compare(bochum_with_ledger(), as_of=date(2025, 6, 30)))
    said = notes(got["Haushaltsnotlage: 90 %"])
    assert any("Höchstbetrag 9.880.000,00\u00a0€ entfällt" in n for n in said)
    assert any("Bescheid vom 01.12.2021" in n for n in said)
    # before the decision, the tier is still open: no what-if note
    early = rows(
        compare(
            plan_case(),
            [Scenario(name="90", steps=(ChangeRate(tier="haushaltsnotlage"),))],
            as_of=date(2021, 6, 1),
        )
    )
    assert not any("Bescheid vom" in n for n in notes(early["90"]))


def test_progress_keeps_booked_and_open_apart() -> None:
    case = bochum_with_ledger()
    state = progress(case, date(2025, 6, 30))
    assert state.cut_off == date(2025, 6, 30)
    assert max(state.booked["B-1.1"]) == date(2025, 6, 1)
    assert min(state.remaining["B-1.1"]) == date(2025, 7, 1)
    report = fm.evaluate(case, date(2025, 6, 30))
    lf = report.forecast.line("B-1.1")
    booked = sum(state.booked["B-1.1"].values(), D(0))
    assert booked + sum(state.remaining["B-1.1"].values(), D(0)) == lf.forecast


@st.composite
def shift_case(draw: st.DrawFn) -> tuple[fm.Case, Scenario, date]:
    data = bochum_data()
    data.pop("ledger", None)
    data.pop("submissions", None)
    data["scenarios"] = []
    lines = data["plan"]["lines"]
    for line in lines:
        line["amounts"] = {
            year: D(draw(st.integers(0, 2_000_000))) / 100 for year in line["amounts"]
        }
    data["grant"]["stated_grant"] = data["grant"]["stated_own_share"] = None
    spent = []
    if draw(st.booleans()):
        for number in range(draw(st.integers(1, 12))):
            line = draw(st.sampled_from(lines))
            phase = 0 if line["phase"] == "A" else 1
            start = [date(2021, 12, 1), date(2022, 10, 1)][phase]
            day = draw(st.dates(start, [date(2023, 6, 30), date(2026, 9, 30)][phase]))
            spent.append(
                {
                    "id": f"V-{number}",
                    "line": line["id"],
                    "paid_on": day,
                    "amount": D(draw(st.integers(1, 50_000_000))) / 100,
                }
            )
    data["expenditures"] = spent
    case = fm.Case.from_data(data)
    target = draw(st.sampled_from(["phase:B", "phase:A", "B-1.1", "Digitale Gesellschaft"]))
    steps = tuple(
        ShiftLine(line=target, months=draw(st.integers(-6, 24)))
        for _ in range(draw(st.integers(1, 3)))
    )
    as_of = draw(
        st.sampled_from(
            [
                date(2021, 6, 1),
                date(2022, 3, 15),
                date(2023, 8, 31),
                date(2025, 6, 30),
                date(2027, 1, 15),
            ]
        )
    )
    return case, Scenario(name="Verzug", steps=steps), as_of


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shift_case())
def test_a_pure_delay_keeps_the_total_cost_to_the_cent(
    drawn: tuple[fm.Case, Scenario, date],
) -> None:
    case, scenario, as_of = drawn
    base, late = compare(case, [scenario], as_of=as_of).rows
    assert late.total_cost == base.total_cost
    assert balanced(base)
    assert balanced(late)
    # booked vouchers stay in their budget years: the delay can only move what is open
    state = progress(case, as_of)
    changed = scenario.apply(case, progress=state)
    kept = progress(changed, as_of).booked
    assert kept == state.booked


@pytest.mark.parametrize("as_of", [date(2024, 1, 1), date(2025, 6, 30), date(2026, 12, 1)])
def test_every_bochum_comparison_row_reconciles(as_of: date) -> None:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    table = compare(case, list(case.scenarios), as_of=as_of)
    assert len(table.rows) == len(case.scenarios) + 1
    assert [(name(r), r.failed_checks) for r in table.rows if not r.reconciled] == []
    for row in table.rows:
        assert row.grant + row.third_party + row.burden == row.total_cost + row.interest
    assert f"Abstimmung: alle {len(table.rows)} Zeilen stimmen" in table.render()


def test_a_row_that_does_not_reconcile_says_so() -> None:
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    row = compare(case, [], as_of=date(2025, 6, 30)).rows[0]
    broken = row.model_copy(update={"failed_checks": (fm.scenarios.ROW_BALANCE,)})
    table = fm.scenarios.ComparisonTable(as_of=date(2025, 6, 30), rows=(broken,))
    assert not broken.reconciled
    text = table.render()
    assert "Abstimmung: 1 von 1 Zeilen stimmen nicht:" in text
    assert "  Ausgangslage: row-balance (Szenario)" in text


def test_comparison_frame_carries_the_burden_and_the_notes() -> None:
    pytest.importorskip("pandas")
    case = fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    table = compare(case, list(case.scenarios), as_of=date(2026, 12, 1))
    frame = table.to_frame()
    for row in table.rows:
        assert frame.loc[name(row), "Gesamtausgaben"] == row.total_cost
        assert frame.loc[name(row), "Belastung"] == row.burden
        assert frame.loc[name(row), "Abstimmung"] == "stimmt"
        assert frame.loc[name(row), "Hinweise"] == " ".join(notes(row))
    assert any(frame["Hinweise"] != "")
