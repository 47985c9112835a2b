"""Mindestbetrag je Abruf (``limits.min_payout``): calls below it are pooled with the next one.

KfW 432 (Energetische Stadtsanierung), Merkblatt: "Zuschüsse unter 5.000 EURO werden nicht
ausgezahlt" — the examples use that minimum. And: the drawdown rule the plan's header cites
once the decision deviates from it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.drawdowns import Call, DrawdownPlan, plan_tiling
from foerdermittel.export.text import render_report
from foerdermittel.message_types import Subject

from .common import bochum_data, codes

KFW = "5000.00"
"""KfW 432: no payout below 5,000 €."""


def _data(
    monthly: dict[str, str],
    *,
    start: str,
    end: str,
    overrides: list[tuple[str, Any]] = (),  # type: ignore[assignment]
    payouts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One phase at 50 %, one line spent as ``monthly`` says (its years' sums follow)."""
    years: dict[str, Decimal] = {}
    for month, amount in monthly.items():
        years[month[:4]] = years.get(month[:4], Decimal(0)) + Decimal(amount)
    eligible = sum(years.values(), Decimal(0))
    return {
        "grant": {
            "id": "K-1",
            "funder": "KfW",
            "recipient": "Stadt Musterstadt",
            "land": "NW",
            "funder_land": "NW",
            "rulebook": "anbest-gk-2019",
            "decision_date": "2023-12-15",
            "financing_type": "anteilfinanzierung",
            "rate": "0.5",
            "phases": [
                {
                    "id": "P",
                    "title": "Quartierskonzept",
                    "start": start,
                    "end": end,
                    "eligible_expenditure": f"{eligible:.2f}",
                }
            ],
        },
        "plan": {
            "sources": [],
            "lines": [
                {
                    "id": "L1",
                    "title": "Konzepterstellung",
                    "phase": "P",
                    "category": "external_services",
                    "amounts": {y: f"{a:.2f}" for y, a in years.items()},
                    "monthly": monthly,
                }
            ],
        },
        "payouts": payouts or [],
        "overrides": [
            {"path": path, "value": value, "reason": "Zuwendungsbescheid Nr. 4"}
            for path, value in overrides
        ],
    }


IN_ARREARS = [("drawdown.mode", "in_arrears"), ("drawdown.interval_months", 6)]
"""MPSC-like: every six months, for the costs of the half-year."""

EARLY = date(2024, 1, 15)  # before the first call: every call is planned


def _report(data: dict[str, Any], as_of: date = EARLY) -> fm.Report:
    return fm.evaluate(fm.Case.from_data(data), as_of)


def _calls(report: fm.Report) -> list[tuple[date, Decimal, date, date]]:
    return [(c.on, c.amount, c.covers_from, c.covers_to) for c in report.drawdowns.calls]


def _months(year: int, first: int, last: int, amount: str) -> dict[str, str]:
    return {f"{year}-{m:02d}": amount for m in range(first, last + 1)}


def _tiles(report: fm.Report) -> bool:
    return all(t.tiles for t in plan_tiling(report.drawdowns, report.grant.phases))


# --- in arrears (MPSC-like) --------------------------------------------------------------------

# 2024: 1,000 € a month, 2025: 9,000 € a month; eligible 120,000 €, grant 60,000 € (50 %).
# Without a minimum, every half-year its share:
#   01.07.2024: 50 % × 6 × 1,000 = 3,000 € (01.01.–30.06.2024)
#   02.01.2025: 3,000 € (01.07.–31.12.2024; 01.01.2025 is a holiday)
#   01.07.2025: 50 % × 6 × 9,000 = 27,000 €;  02.01.2026: 27,000 €
# With 5,000 €: the 3,000 € of 01.07.2024 wait; 02.01.2025 calls 6,000 € for all of 2024.
ARREARS = {**_months(2024, 1, 12, "1000.00"), **_months(2025, 1, 12, "9000.00")}


def test_in_arrears_a_call_below_the_minimum_waits_for_the_next_half_year() -> None:
    plain = _report(_data(ARREARS, start="2024-01-01", end="2025-12-31", overrides=IN_ARREARS))
    assert _calls(plain) == [
        (date(2024, 7, 1), Decimal("3000.00"), date(2024, 1, 1), date(2024, 6, 30)),
        (date(2025, 1, 2), Decimal("3000.00"), date(2024, 7, 1), date(2024, 12, 31)),
        (date(2025, 7, 1), Decimal("27000.00"), date(2025, 1, 1), date(2025, 6, 30)),
        (date(2026, 1, 2), Decimal("27000.00"), date(2025, 7, 1), date(2025, 12, 31)),
    ]
    data = _data(
        ARREARS,
        start="2024-01-01",
        end="2025-12-31",
        overrides=[*IN_ARREARS, ("limits.min_payout", KFW)],
    )
    report = _report(data)
    assert _calls(report) == [
        (date(2025, 1, 2), Decimal("6000.00"), date(2024, 1, 1), date(2024, 12, 31)),
        (date(2025, 7, 1), Decimal("27000.00"), date(2025, 1, 1), date(2025, 6, 30)),
        (date(2026, 1, 2), Decimal("27000.00"), date(2025, 7, 1), date(2025, 12, 31)),
    ]
    pooling = report.drawdowns.calls[0]
    # the call knows what it carries: the half-year that had no call of its own
    assert [(c.on, c.amount, c.covers_from, c.covers_to) for c in pooling.pooled] == [
        (date(2024, 7, 1), Decimal("3000.00"), date(2024, 1, 1), date(2024, 6, 30)),
    ]
    assert pooling.pooled_amount == Decimal("3000.00")
    assert pooling.note == (
        "einschließlich 3.000,00\xa0€ aus 1 Abruf unter dem Mindestbetrag von 5.000,00\xa0€"
    )
    assert pooling.note_in("en") == (
        "including €3,000.00 from 1 call below the minimum of €5,000.00"
    )
    assert [c.pooled for c in report.drawdowns.calls[1:]] == [(), ()]
    assert report.drawdowns.total == plain.drawdowns.total == Decimal("60000.00")
    assert not codes(report.findings) & {"final-call-below-minimum", "payout-below-minimum"}
    assert _tiles(report)
    assert all(c.ok for c in report.reconciliation.checks if c.name.startswith("call-periods"))
    dumped = report.model_dump(mode="json")["drawdowns"]["calls"]
    assert dumped[0]["pooled"][0]["amount"] == "3000.00"
    assert "pooled" not in dumped[1]  # empty: left out, as before the field existed


# 2024: 9,000 € a month; 2025: January–June 9,000 €, July–December 1,000 € a month.
# Eligible 108,000 + 54,000 + 6,000 = 168,000 €, grant 84,000 €. Calls: 27,000 € on 01.07.2024,
# 02.01.2025 and 01.07.2025; the last, 02.01.2026, 50 % × 6 × 1,000 = 3,000 € — below 5,000 €
# with nothing after it to pool with: it is made, with a warning.
FINAL_SMALL = {
    **_months(2024, 1, 12, "9000.00"),
    **_months(2025, 1, 6, "9000.00"),
    **_months(2025, 7, 12, "1000.00"),
}


def test_the_last_call_of_a_phase_may_stay_below_the_minimum_with_a_warning() -> None:
    data = _data(
        FINAL_SMALL,
        start="2024-01-01",
        end="2025-12-31",
        overrides=[*IN_ARREARS, ("limits.min_payout", KFW)],
    )
    report = _report(data)
    assert [(c.on, c.amount) for c in report.drawdowns.calls] == [
        (date(2024, 7, 1), Decimal("27000.00")),
        (date(2025, 1, 2), Decimal("27000.00")),
        (date(2025, 7, 1), Decimal("27000.00")),
        (date(2026, 1, 2), Decimal("3000.00")),
    ]
    (finding,) = [f for f in report.findings if f.code == "final-call-below-minimum"]
    assert finding.severity is fm.Severity.WARNING
    assert finding.about == Subject("phase", "P")
    # the limits had no source of their own: the decision that sets the minimum is the basis
    assert finding.legal_reference == "Zuwendungsbescheid Nr. 4"
    assert finding.message.startswith(
        "Der letzte Abruf der Phase am 02.01.2026 über 3.000,00\xa0€ liegt unter dem "
        "Mindestbetrag je Abruf von 5.000,00\xa0€"
    )
    assert "the rest of the grant would then be lost" in finding.message_in("en")


# Phase 2024, 1,000 € a month January–August: eligible 8,000 €, grant 4,000 € — below 5,000 €.
# 01.07.2024 would call 3,000 € (waits); 02.01.2025, the last window, calls all 4,000 €. No call
# could reach the minimum: no warning.
def test_a_phase_grant_below_the_minimum_is_called_at_once_without_a_warning() -> None:
    data = _data(
        _months(2024, 1, 8, "1000.00"),
        start="2024-01-01",
        end="2024-12-31",
        overrides=[*IN_ARREARS, ("limits.min_payout", KFW)],
    )
    report = _report(data)
    assert _calls(report) == [
        (date(2025, 1, 2), Decimal("4000.00"), date(2024, 1, 1), date(2024, 12, 31)),
    ]
    assert [c.amount for c in report.drawdowns.calls[0].pooled] == [Decimal("3000.00")]
    assert "final-call-below-minimum" not in codes(report.findings)


# --- on the day of need, pooled weekly (ANBest-Gk 2019) --------------------------------------


# January 2024 only, 3,100 €: 100 € a day spread over the month's days, the grant's share
# 50 € a day. Weeks (Monday to Sunday) and their call days: 01.–07. (02.01., New Year),
# 08.–14. (08.01.), 15.–21. (15.01.), 22.–28. (22.01.), 29.–31. (29.01.).
# Without a minimum: 350, 350, 350, 350, 150 €. With 1,000 €:
#   02.01. 350 € waits; 08.01. 700 € waits; 15.01. 1,050 € is called for 01.–21.01.;
#   22.01. 350 € waits; 29.01. is the last: 500 € for 22.–31.01., below 1,000 € — a warning.
def test_day_of_need_weekly_calls_pool_until_the_minimum_is_reached() -> None:
    january = {"2024-01": "3100.00"}
    plain = _report(_data(january, start="2024-01-01", end="2024-01-31"), date(2023, 12, 20))
    assert [(c.on, c.amount) for c in plain.drawdowns.calls] == [
        (date(2024, 1, 2), Decimal("350.00")),
        (date(2024, 1, 8), Decimal("350.00")),
        (date(2024, 1, 15), Decimal("350.00")),
        (date(2024, 1, 22), Decimal("350.00")),
        (date(2024, 1, 29), Decimal("150.00")),
    ]
    data = _data(
        january, start="2024-01-01", end="2024-01-31", overrides=[("limits.min_payout", "1000.00")]
    )
    report = _report(data, date(2023, 12, 20))
    assert _calls(report) == [
        (date(2024, 1, 15), Decimal("1050.00"), date(2024, 1, 1), date(2024, 1, 21)),
        (date(2024, 1, 29), Decimal("500.00"), date(2024, 1, 22), date(2024, 1, 31)),
    ]
    first, last = report.drawdowns.calls
    assert [(c.on, c.amount, c.covers_from, c.covers_to) for c in first.pooled] == [
        (date(2024, 1, 2), Decimal("350.00"), date(2024, 1, 1), date(2024, 1, 7)),
        (date(2024, 1, 8), Decimal("350.00"), date(2024, 1, 8), date(2024, 1, 14)),
    ]
    assert first.note == (
        "einschließlich 700,00\xa0€ aus 2 Abrufen unter dem Mindestbetrag von 1.000,00\xa0€"
    )
    assert [(c.on, c.amount) for c in last.pooled] == [(date(2024, 1, 22), Decimal("350.00"))]
    assert "final-call-below-minimum" in codes(report.findings)
    assert report.drawdowns.total == plain.drawdowns.total == Decimal("1550.00")
    assert _tiles(report)


# --- recorded payouts ------------------------------------------------------------------------


def test_a_recorded_payout_below_the_minimum_is_a_warning() -> None:
    # 2024 at 1,000 € a month (grant 6,000 €), in arrears; the funder paid 3,000 € on
    # 20.07.2024 although its minimum is 5,000 €.
    data = _data(
        _months(2024, 1, 12, "1000.00"),
        start="2024-01-01",
        end="2024-12-31",
        overrides=[*IN_ARREARS, ("limits.min_payout", KFW)],
        payouts=[{"id": "A1", "phase": "P", "amount": "3000.00", "paid_on": "2024-07-20"}],
    )
    report = _report(data, date(2024, 8, 1))
    (finding,) = [f for f in report.findings if f.code == "payout-below-minimum"]
    assert finding.severity is fm.Severity.WARNING
    assert finding.message == (
        "Auszahlung A1 vom 20.07.2024 über 3.000,00\xa0€ liegt unter dem Mindestbetrag je "
        "Abruf von 5.000,00\xa0€"
    )
    # the rest of the year, 3,000 €, is the phase's last call: below the minimum too
    assert [(c.on, c.amount, c.kind) for c in report.drawdowns.calls] == [
        (date(2024, 7, 20), Decimal("3000.00"), "recorded"),
        (date(2025, 1, 2), Decimal("3000.00"), "planned"),
    ]
    assert "final-call-below-minimum" in codes(report.findings)


def test_without_a_minimum_no_payout_is_judged() -> None:
    data = _data(
        _months(2024, 1, 12, "1000.00"),
        start="2024-01-01",
        end="2024-12-31",
        overrides=IN_ARREARS,
        payouts=[{"id": "A1", "phase": "P", "amount": "3000.00", "paid_on": "2024-07-20"}],
    )
    report = _report(data, date(2024, 8, 1))
    assert not codes(report.findings) & {"payout-below-minimum", "final-call-below-minimum"}


# --- Bochum ----------------------------------------------------------------------------------


def test_bochum_without_a_minimum_is_unchanged() -> None:
    report = fm.evaluate(fm.load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
    assert report.rulebook.effective_limits.min_payout is None
    assert all(not c.pooled for c in report.drawdowns.calls)
    assert "pooled" not in report.to_json()  # the golden files compare the rest
    assert report.drawdowns.total == Decimal("9880000.00")


def test_bochum_programme_limits_set_the_minimum_in_force() -> None:
    # Bochum's programme with limits of its own: their minimum governs, an override of
    # limits.min_payout changes it (the programme's group is the one in force)
    data = bochum_data()
    data.pop("ledger", None)
    programme = fm.rules.get_programme(data["grant"].pop("programme")).model_dump(mode="json")
    programme["limits"] = {"min_payout": "1500000.00", "source": "Programmtext Nr. 9"}
    data["grant"]["loaded_programme"] = programme
    report = fm.evaluate(fm.Case.from_data(data), date(2021, 6, 1))
    # phase A (grant 715,000 €) is called at once, at the end of its last half-year
    a_calls = [c for c in report.drawdowns.calls if c.phase == "A"]
    assert [(c.on, c.amount) for c in a_calls] == [(date(2023, 7, 3), Decimal("715000.00"))]
    # phase B: 866,666.74 € of the first half of 2026 wait for the final instalment, which the
    # programme pays with the proof of use: 433,333.26 + 866,666.74 = 1,300,000 €, still below
    (final,) = [f for f in report.findings if f.code == "final-call-below-minimum"]
    assert final.about == Subject("phase", "B")
    assert final.legal_reference == "Programmtext Nr. 9"
    last = report.drawdowns.phases[1].calls[-1]
    assert (last.amount, last.withheld) == (Decimal("1300000.00"), True)
    assert last.note == (
        "Schlussrate: Auszahlung erst mit dem Verwendungsnachweis; einschließlich "
        "866.666,74\xa0€ aus 1 Abruf unter dem Mindestbetrag von 1.500.000,00\xa0€"
    )
    data["overrides"] = [
        {"path": "limits.min_payout", "value": "100000.00", "reason": "Bescheid Nr. 6"}
    ]
    lower = fm.evaluate(fm.Case.from_data(data), date(2021, 6, 1))
    assert lower.rulebook.effective_limits.min_payout == Decimal("100000.00")
    assert [c.amount for c in lower.drawdowns.calls if c.phase == "A"] == [
        Decimal("346125.05") + Decimal("22750.00"),  # 22,750 € of December 2021 wait
        Decimal("346124.95"),
    ]


# --- the property ------------------------------------------------------------------------------

_RULES = st.sampled_from(
    [
        [("drawdown.mode", "in_arrears"), ("drawdown.interval_months", 6)],
        [("drawdown.mode", "in_arrears"), ("drawdown.interval_months", 3)],
        [("drawdown.pooling", "weekly")],
        [("drawdown.pooling", "monthly")],
        [("drawdown.mode", "in_advance"), ("drawdown.horizon", {"amount": 2, "unit": "months"})],
    ]
)


def _called_by(plan: DrawdownPlan, day: date) -> Decimal:
    return sum((c.amount for c in plan.calls if c.on <= day), Decimal(0))


def _planned(calls: tuple[Call, ...]) -> list[Call]:
    return [c for c in calls if c.kind == "planned"]


@settings(max_examples=40, deadline=None)
@given(
    rule=_RULES,
    spent=st.lists(
        st.integers(min_value=0, max_value=40_000).map(lambda c: Decimal(c) / 4),
        min_size=1,
        max_size=14,
    ),
    minimum=st.integers(min_value=1, max_value=30_000).map(Decimal),
    paid=st.none() | st.tuples(st.integers(10, 400), st.integers(1, 20_000)),
)
def test_the_minimum_pools_calls_never_brings_them_forward(
    rule: list[tuple[str, Any]],
    spent: list[Decimal],
    minimum: Decimal,
    paid: tuple[int, int] | None,
) -> None:
    """Every planned call but a phase's last reaches the minimum; the total stays to the cent;
    no money is called earlier than without the minimum; the periods still tile the phase."""
    first = date(2024, 2, 1)
    monthly: dict[str, str] = {}
    for index, amount in enumerate(spent):
        month = date(2024 + (index + 1) // 12, (index + 1) % 12 + 1, 1)
        monthly[f"{month:%Y-%m}"] = f"{amount:.2f}"
    after = len(spent) + 1  # the month after the last, counted from January 2024
    last = date(2024 + after // 12, after % 12 + 1, 1) - timedelta(days=1)
    if sum(spent) == 0:
        monthly[f"{first:%Y-%m}"] = "1.00"
    args: dict[str, Any] = {"start": first.isoformat(), "end": last.isoformat()}
    as_of = date(2024, 1, 10)
    if paid is not None:  # a payout, then a key date after it: what is left uncalled is due
        day = first + timedelta(days=paid[0])
        args["payouts"] = [{"id": "A1", "phase": "P", "amount": f"{paid[1]}.00", "paid_on": day}]
        as_of = day + timedelta(days=20)
    plain = _report(_data(monthly, overrides=rule, **args), as_of)
    pooled = _report(
        _data(monthly, overrides=[*rule, ("limits.min_payout", f"{minimum:.2f}")], **args), as_of
    )
    for phase in pooled.drawdowns.phases:
        assert all(c.amount >= minimum for c in _planned(phase.calls)[:-1])
    assert pooled.drawdowns.total == plain.drawdowns.total
    days = {c.on for c in plain.drawdowns.calls} | {c.on for c in pooled.drawdowns.calls}
    for day in days:
        assert _called_by(pooled.drawdowns, day) <= _called_by(plain.drawdowns, day)
    assert _tiles(pooled)
    for call in pooled.drawdowns.calls:
        assert call.pooled_amount <= call.amount
        begin = call.covers_from  # the pooled periods lie one after the other at its start
        for held in call.pooled:
            assert held.covers_from == begin <= held.covers_to <= call.covers_to
            begin = held.covers_to + timedelta(days=1)
    assert all(c.ok for c in pooled.reconciliation.checks if c.name.startswith("call-periods"))


# --- the drawdown rule the plan cites after an override ---------------------------------------


def _bochum(overrides: list[dict[str, Any]]) -> dict[str, Any]:
    data = bochum_data()
    data.pop("ledger", None)
    data["overrides"] = [*data.get("overrides", []), *overrides]
    return data


def test_an_override_of_the_interval_is_in_force_and_cited() -> None:
    reason = "Bescheid Nr. 5"
    data = _bochum([{"path": "drawdown.interval_months", "value": 3, "reason": reason}])
    report = fm.evaluate(fm.Case.from_data(data), date(2021, 6, 1))
    assert report.drawdowns.rule.interval_months == 3
    # MPSC's programme sets the drawdown rule: the override changes the programme's
    assert report.rulebook.effective_drawdown.interval_months == 3
    b_days = [c.on for c in report.drawdowns.calls if c.phase == "B"]
    # every quarter, on the first working day after it (01.04.2023 is a Saturday)
    assert b_days[:4] == [date(2023, 1, 2), date(2023, 4, 3), date(2023, 7, 3), date(2023, 10, 2)]
    assert [o.path for o in report.drawdown_overrides] == ["drawdown.interval_months"]
    text = render_report(report)
    assert (
        "Mittelabrufplan (nachschüssig alle 3 Monate; MPSC-Förderrichtlinie (Abruf halbjährlich "
        "für angefallene Kosten); abweichend Bescheid Nr. 5 (drawdown.interval_months)):"
    ) in text
    english = render_report(report, lang="en")
    assert "deviating: Bescheid Nr. 5 (drawdown.interval_months)):" in english


def test_without_an_override_the_header_cites_the_rule_only() -> None:
    report = fm.evaluate(fm.load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30))
    assert report.drawdown_overrides == ()
    assert fm.messages.render(report.drawdown_basis) == report.drawdowns.rule.source


def test_overrides_with_one_reason_are_cited_together() -> None:
    reason = "Änderungsbescheid vom 01.03.2022"
    data = _bochum(
        [
            {"path": "drawdown.mode", "value": "day_of_need", "reason": reason},
            {"path": "drawdown.pooling", "value": "monthly", "reason": reason},
            {"path": "use_window.window", "value": {"amount": 2, "unit": "months"}, "reason": "X"},
        ]
    )
    report = fm.evaluate(fm.Case.from_data(data), date(2021, 6, 1))
    assert fm.messages.render(report.drawdown_basis).endswith(
        "; abweichend Änderungsbescheid vom 01.03.2022 (drawdown.mode, drawdown.pooling)"
    )


def test_an_override_of_the_mode_changes_the_mode_in_force() -> None:
    # Bochum's programme pays in arrears; a decision that pays on the day of need, pooled
    # monthly, governs the plan (it used to change only the edition's rule, unread)
    data = _bochum(
        [
            {"path": "drawdown.mode", "value": "day_of_need", "reason": "Bescheid Nr. 5"},
            {"path": "drawdown.pooling", "value": "monthly", "reason": "Bescheid Nr. 5"},
        ]
    )
    report = fm.evaluate(fm.Case.from_data(data), date(2021, 6, 1))
    assert report.drawdowns.rule.mode is fm.rules.DrawdownMode.DAY_OF_NEED
    assert report.rulebook.programme is not None
    assert report.rulebook.programme.drawdown == report.drawdowns.rule
    # on the first working day of each month: phase A's first calls
    a_days = [c.on for c in report.drawdowns.calls if c.phase == "A"]
    assert a_days[:3] == [date(2021, 12, 1), date(2022, 1, 3), date(2022, 2, 1)]
