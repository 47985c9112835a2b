"""Scenario steps: pure functions from a case to a case, checked once at the end.

Each step returns a changed case and never changes the one it is given. A scenario runs its
steps and checks the final case once against what the case model accepts: a step may build
something the model refuses (an amount beyond the plausible range, a month outside the phase,
an id twice), and the scenario then fails with the same error the case file would.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.message_types import Message
from foerdermittel.model.scenario import Situation
from foerdermittel.money import cents
from foerdermittel.scenarios import (
    AddThirdParty,
    ChangeRate,
    DropLine,
    ExtendPhase,
    ScaleLine,
    Scenario,
    SetActual,
    ShiftLine,
    progress,
)

from .common import BOCHUM, bochum_data

D = Decimal
KEY_DATE = date(2025, 6, 30)


def plan_data() -> dict[str, Any]:
    """The Bochum example without records: a pure plan."""
    data = bochum_data()
    for key in ("payouts", "submissions", "ledger"):
        data.pop(key, None)
    data["settings"] = {}
    return data


def plan_case() -> fm.Case:
    return fm.Case.from_data(plan_data())


def failure(case: fm.Case, *steps: Any, at: fm.scenarios.Progress | None = None) -> str:
    with pytest.raises(fm.CaseError) as info:
        Scenario(name="x", steps=steps).apply(case, progress=at)
    return str(info.value)


# --- what the case model refuses, a scenario refuses ---------------------------------------------


def test_a_scaled_amount_beyond_the_plausible_range_is_refused() -> None:
    data = plan_data()
    data["plan"]["lines"][3]["amounts"] = {2022: D("20000000000.00")}
    case = fm.Case.from_data(data)
    assert failure(case, ScaleLine(line="A-4", percent=D(10000))) == (
        "Szenario 'x': plan.lines[3].amounts.2022: Betrag unplausibel groß: erwartet ist "
        "weniger als 1.000.000.000.000 € (eine Billion Euro) dem Betrag nach "
        "(Wert: 2020000000000.00)"
    )
    # what a later step drops is not checked: only the final case counts
    steps = (ScaleLine(line="A-4", percent=D(10000)), DropLine(line="A-4"))
    changed = Scenario(name="x", steps=steps).apply(case)
    assert "A-4" not in {line.id for line in changed.plan.lines}


def test_a_shift_beyond_the_supported_years_is_refused() -> None:
    assert failure(plan_case(), ShiftLine(line="phase:B", months=1200)) == (
        "Szenario 'x': plan.ineligible: Haushaltsjahr 2122 ist unplausibel (erwartet 1990–2100)"
    )


def test_new_money_beyond_the_plausible_range_is_refused() -> None:
    huge = D("1000000000000.00")
    third = failure(plan_case(), AddThirdParty(phase="B", amount=huge))
    assert third.startswith("Szenario 'x': plan.sources[2].amount: Betrag unplausibel groß")
    actual = failure(plan_case(), SetActual(line="A-1", amounts={2022: huge}))
    assert actual.startswith("Szenario 'x': expenditures[0].amount: Betrag unplausibel groß")


def test_an_extension_decided_before_a_longer_one_is_refused() -> None:
    step = ExtendPhase(phase="A", new_end=date(2023, 12, 31), decided_on=date(2022, 1, 5))
    assert failure(fm.load_case(BOCHUM), step).startswith(
        "Szenario 'x': amendments[0].phases[0].new_end: ist keine Verlängerung: die Phase A "
        "endet bereits am 31.12.2023."
    )


def test_ids_a_step_gives_must_be_free() -> None:
    data = plan_data()
    data["expenditures"] = [
        {"id": "Szenario-A-2-2022", "line": "A-1", "paid_on": date(2022, 5, 1), "amount": "1.00"}
    ]
    assert failure(fm.Case.from_data(data), SetActual(line="A-2", amounts={2022: D(5)})) == (
        "Szenario 'x': expenditures[1].id: Belegnummer doppelt vergeben; zuerst bei "
        "expenditures[0].id (Wert: 'Szenario-A-2-2022')"
    )
    data = plan_data()
    data["amendments"] = [
        {
            "id": "Szenario: Verlängerung B bis 31.03.2028",
            "title": "anders gemeint",
            "decided_on": date(2022, 1, 1),
            "phases": [{"phase": "A", "new_end": date(2023, 1, 31)}],
        }
    ]
    step = ExtendPhase(phase="B", new_end=date(2028, 3, 31))
    assert failure(fm.Case.from_data(data), step).startswith(
        "Szenario 'x': amendments[1].id: Kennung des Änderungsbescheids doppelt vergeben"
    )


def test_booked_months_outside_the_phase_are_refused_as_the_case_file_would_be() -> None:
    # an early start (vorzeitiger Maßnahmebeginn) books July 2022, before phase B began
    data = plan_data()
    data["grant"]["phases"][1]["early_start"] = date(2022, 6, 1)
    data["expenditures"] = [
        {"id": "E1", "line": "B-1.1", "paid_on": date(2022, 7, 15), "amount": "1000.00"},
        {"id": "E2", "line": "B-1.1", "paid_on": date(2023, 7, 15), "amount": "1000.00"},
    ]
    case = fm.Case.from_data(data)
    state = progress(case, KEY_DATE)
    assert failure(case, ScaleLine(line="B-1.1", percent=D(10)), at=state) == (
        "Szenario 'x': plan.lines[5].monthly.2022-07: Monat außerhalb des "
        "Bewilligungszeitraums der Phase B (10/2022–09/2026): die Planung ist länger als die "
        "Phase (Wert: 1000.00)"
    )


def test_a_month_booked_below_zero_is_refused() -> None:
    data = plan_data()
    data["expenditures"] = [
        {"id": "E1", "line": "B-1.1", "paid_on": date(2023, 7, 15), "amount": "1000.00"},
        {
            "id": "E2",
            "line": "B-1.1",
            "paid_on": date(2023, 8, 15),
            "amount": "-3000.00",
            "kind": "credit",
            "reference": "E1",
        },
    ]
    case = fm.Case.from_data(data)
    state = progress(case, KEY_DATE)
    assert failure(case, ShiftLine(line="B-1.1", months=3), at=state) == (
        "Szenario 'x': 2 Probleme:\n"
        "  - plan.lines[5].amounts.2023: -2000.00 ist negativ; erwartet ist ein Betrag ≥ 0 "
        "(Wert: -2000.00)\n"
        "  - plan.lines[5].monthly.2023-08: -3000.00 ist negativ; erwartet ist ein Betrag ≥ 0 "
        "(Wert: -3000.00)"
    )


# --- each step: a new case, the input unchanged ----------------------------------------------


def bochum_with_ledger() -> fm.Case:
    return fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)


STEPS = (
    ScaleLine(line="Zukunftsfähige Infrastruktur", percent=D(20)),
    ShiftLine(line="phase:B", months=12),
    ExtendPhase(phase="B", new_end=date(2028, 3, 31)),
    AddThirdParty(phase="B", amount=D("500000.00")),
    ChangeRate(tier="haushaltsnotlage"),
    DropLine(line="B-5.2"),
    SetActual(line="A-1", amounts={2021: D("20000.00"), 2022: D("1.00")}),
)


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.kind)
@pytest.mark.parametrize("key_date", [None, KEY_DATE], ids=["plan", "key-date"])
def test_a_step_leaves_its_input_as_it_is(step: Any, key_date: date | None) -> None:
    case = bochum_with_ledger()
    before = case.model_dump()
    state = None if key_date is None else progress(case, key_date)
    at = None if state is None else Situation(state)
    changed, _ = step.apply(case, at)
    assert case.model_dump() == before
    assert changed != case
    # what the step does not change, the new case shares
    assert changed.payouts is case.payouts
    assert changed.settings is case.settings
    # the same step on the same case gives the same case
    again, _ = step.apply(case, None if state is None else Situation(state))
    assert again == changed
    assert again.model_dump() == changed.model_dump()


def test_a_step_refuses_a_dumped_case() -> None:
    with pytest.raises(TypeError, match=r"ScaleLine\.apply: Argument case: ein Förderfall"):
        ScaleLine(line="B-1.1", percent=D(20)).apply(plan_case().model_dump())  # type: ignore[arg-type]


# --- worked examples: the figures follow from the step's definition -----------------------------


def test_scale_line_rounds_each_year_half_up_to_the_cent() -> None:
    data = plan_data()
    data["plan"]["lines"][5]["amounts"] = {2023: "100.15", 2024: "0.05"}
    data["plan"]["lines"][5]["stated_total"] = "100.20"
    case = fm.Case.from_data(data)
    changed, notes = ScaleLine(line="B-1.1", percent=D(10)).apply(case)
    line = changed.plan.lines[5]
    # 100.15 × 1.1 = 110.165 and 0.05 × 1.1 = 0.055, half up (kaufmännisch) to the cent
    assert dict(line.amounts) == {2023: D("110.17"), 2024: D("0.06")}
    assert (line.monthly, line.stated_total) == (None, None)
    assert notes == ()
    assert all(a is b for a, b in zip(changed.plan.lines[:5], case.plan.lines[:5], strict=True))
    # the decision does not grow
    assert changed.grant == case.grant


def test_scale_line_on_a_key_date_scales_only_the_open_rest() -> None:
    case = bochum_with_ledger()
    state = progress(case, KEY_DATE)
    changed, notes = ScaleLine(line="B-1.1", percent=D(20)).apply(case, Situation(state))
    line = changed.plan.lines[5]
    assert line.id == "B-1.1"
    months = {date(int(k[:4]), int(k[5:]), 1): a for k, a in (line.monthly or {}).items()}
    booked = dict(state.booked["B-1.1"])
    open_rest = state.remaining["B-1.1"]
    assert {m: months[m] for m in booked} == booked  # the cut-off's month has ended
    scaled = {m: a for m, a in months.items() if m not in booked}
    assert set(scaled) == set(open_rest)
    assert sum(scaled.values()) == cents(sum(open_rest.values(), D(0)) * D("1.2"))
    assert line.total == sum(booked.values(), D(0)) + sum(scaled.values(), D(0))
    assert notes == ()


def test_shift_line_moves_months_and_what_leaves_the_phase_becomes_ineligible() -> None:
    # phase B runs to 30.09.2026; 1,200 € in 2025 are 100 € a month
    data = plan_data()
    data["plan"]["lines"][5]["amounts"] = {2025: "1200.00"}
    case = fm.Case.from_data(data)
    half, _ = ShiftLine(line="B-1.1", months=6).apply(case)
    line = half.plan.lines[5]
    assert dict(line.amounts) == {2025: D("600.00"), 2026: D("600.00")}
    assert list(line.monthly or {}) == [f"2025-{m:02}" for m in range(7, 13)] + [
        f"2026-{m:02}" for m in range(1, 7)
    ]
    assert set((line.monthly or {}).values()) == {D("100.00")}
    assert dict(half.plan.ineligible) == {}
    late, _ = ShiftLine(line="B-1.1", months=18).apply(case)
    # January–June 2025 land in July–December 2026: July to September stay in the phase
    assert dict(late.plan.lines[5].amounts) == {2026: D("300.00")}
    assert dict(late.plan.ineligible) == {2026: D("300.00"), 2027: D("600.00")}


def test_extend_phase_adds_an_amendment_decided_with_the_latest_decision() -> None:
    case = fm.load_case(BOCHUM)
    changed, notes = ExtendPhase(phase="B", new_end=date(2028, 3, 31)).apply(case)
    assert changed.amendments[:-1] == case.amendments
    added = changed.amendments[-1]
    assert added.id == "Szenario: Verlängerung B bis 31.03.2028"
    assert added.decided_on == date(2022, 11, 21)  # Ä-1, after the decision of 01.12.2021
    assert [(c.phase, c.new_end, c.eligible_expenditure) for c in added.phases] == [
        ("B", date(2028, 3, 31), None)
    ]
    assert (added.lines, added.applied_on, notes) == ((), None, ())
    assert changed.amended().grant.phase("B").end == date(2028, 3, 31)


def test_add_third_party_adds_a_source_with_a_free_id() -> None:
    case = plan_case()
    changed, _ = AddThirdParty(phase="B", amount=D("500000.00"), public=True).apply(case)
    source = changed.plan.sources[-1]
    assert (source.id, source.kind, source.phase, source.amount) == (
        "S-3",
        fm.SourceKind.OTHER_PUBLIC,
        "B",
        D("500000.00"),
    )
    assert changed.plan.sources[:-1] == case.plan.sources
    assert changed.plan.lines is case.plan.lines


def test_change_rate_takes_the_tier_s_rate_and_drops_the_hoechstbetrag() -> None:
    case = fm.load_case(BOCHUM)
    changed, notes = ChangeRate(tier="haushaltsnotlage").apply(case)
    grant = changed.grant
    assert (grant.rate, grant.rate_tier) == (D("0.90"), "haushaltsnotlage")
    assert (grant.max_amount, grant.stated_grant, grant.stated_own_share) == (None, None, None)
    assert [p.rate for p in grant.phases] == [None, None]
    assert [n.key for n in notes] == ["scenario.note.cap-dropped"]
    assert notes[0].params["cap"] == D("9880000.00")
    assert changed.plan is case.plan


def test_drop_line_takes_its_vouchers_unless_they_are_booked() -> None:
    case = bochum_with_ledger()
    vouchers = sum(1 for e in case.expenditures if e.line == "B-5.2")
    assert vouchers > 0
    gone, _ = DropLine(line="B-5.2").apply(case)
    assert "B-5.2" not in {line.id for line in gone.plan.lines}
    assert len(gone.expenditures) == len(case.expenditures) - vouchers
    state = progress(case, KEY_DATE)
    kept, notes = DropLine(line="B-5.2").apply(case, Situation(state))
    line = kept.plan.lines[-1]
    booked = sum(state.booked["B-5.2"].values(), D(0))
    assert line.id == "B-5.2"
    assert line.total == booked  # only what is booked stays
    assert kept.expenditures == case.expenditures
    assert [(n.key, n.params["booked"]) for n in notes] == [("scenario.note.booked-stays", booked)]


def test_set_actual_books_each_year_on_its_last_day_in_the_phase() -> None:
    case = bochum_with_ledger()
    amounts = {2021: D("20000.00"), 2022: D("1.00")}
    changed, _ = SetActual(line="A-1", amounts=amounts).apply(case)
    booked = [e for e in changed.expenditures if e.line == "A-1"]
    # phase A ends on 30.11.2022 as decided
    assert [(e.id, e.paid_on, e.amount) for e in booked] == [
        ("Szenario-A-1-2021", date(2021, 12, 31), D("20000.00")),
        ("Szenario-A-1-2022", date(2022, 11, 30), D("1.00")),
    ]
    others = [e for e in case.expenditures if e.line != "A-1"]
    assert list(changed.expenditures) == others + booked


# --- a scenario: the same case twice ---------------------------------------------------------

_PROGRESS: dict[tuple[bool, date], fm.scenarios.Progress] = {}
_CASES = {False: plan_case, True: bochum_with_ledger}
_TARGETS = ("A-1", "B-1.1", "B-5.2", "phase:A", "phase:B", "Digitale Gesellschaft")


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    target = st.sampled_from(_TARGETS)
    phase = st.sampled_from(("A", "B"))
    money = st.integers(0, 10**9).map(lambda cents_: D(cents_) / 100)
    step = st.one_of(
        st.builds(ScaleLine, line=target, percent=st.integers(-100, 200).map(D)),
        st.builds(ShiftLine, line=target, months=st.integers(-24, 30)),
        st.builds(
            ExtendPhase,
            phase=phase,
            new_end=st.dates(date(2023, 1, 1), date(2029, 12, 31)),
        ),
        st.builds(AddThirdParty, phase=phase, amount=money, public=st.booleans()),
        st.builds(ChangeRate, tier=st.sampled_from(("standard", "haushaltsnotlage"))),
        st.builds(DropLine, line=target),
        st.builds(
            SetActual,
            line=st.sampled_from(("A-1", "B-1.1")),
            amounts=st.dictionaries(st.integers(2021, 2026), money, max_size=2),
        ),
    )
    return Scenario(name="zweimal", steps=tuple(draw(st.lists(step, min_size=1, max_size=4))))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=scenarios(),
    ledger=st.booleans(),
    key_date=st.sampled_from((None, date(2022, 6, 1), KEY_DATE, date(2026, 12, 1))),
)
def test_a_scenario_applied_twice_gives_equal_cases(
    scenario: Scenario, ledger: bool, key_date: date | None
) -> None:
    case = _CASES[ledger]()
    state = None
    if key_date is not None:
        if (ledger, key_date) not in _PROGRESS:
            _PROGRESS[ledger, key_date] = progress(case, key_date)
        state = _PROGRESS[ledger, key_date]
    before = case.model_dump()
    outcomes: list[tuple[fm.Case, tuple[Message, ...]] | str] = []
    for _ in range(2):
        try:
            outcomes.append(scenario.applied(case, progress=state))
        except fm.CaseError as exc:
            outcomes.append(str(exc))
    first, second = outcomes
    assert first == second
    assert case.model_dump() == before
    if isinstance(first, tuple):
        assert not isinstance(second, str)
        assert first[0].model_dump() == second[0].model_dump()
        assert first[0].scenarios == ()
        # what the scenario returns is a case the case file could hold
        assert type(case).from_data(first[0].model_dump()) == first[0]


def test_a_case_built_by_copy_is_checked_by_its_references() -> None:
    case = plan_case()
    assert case.reference_problems() == ()
    line = case.plan.lines[0].model_copy(update={"phase": "C"})
    broken = case.model_copy(
        update={"plan": case.plan.model_copy(update={"lines": (line, *case.plan.lines[1:])})}
    )
    (problem,) = broken.reference_problems()
    assert (problem.path, problem.value) == ("plan.lines[0].phase", "C")


# --- the deprecated form of Situation.write ----------------------------------------------------


def test_situation_write_still_takes_a_line_as_dict_and_warns() -> None:
    case = bochum_with_ledger()
    state = progress(case, KEY_DATE)
    line = case.plan.lines[5]
    rest = {date(2025, 7, 1): D("10.00")}
    expected = Situation(state).write(line, rest, date(2022, 10, 1))
    data = line.model_dump()
    with pytest.warns(DeprecationWarning, match="Situation.write"):
        assert Situation(state).write(data, rest, date(2022, 10, 1)) is None
    assert fm.model.BudgetLine.model_validate(data) == expected
