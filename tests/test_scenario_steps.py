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

import foerdermittel as fm
from foerdermittel.scenarios import (
    AddThirdParty,
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
