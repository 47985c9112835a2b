"""Deadlines: worked examples of grant-law §5.2, holiday chains, every Land, properties."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.calendar import HolidayCalendar
from foerdermittel.deadlines import (
    DeadlineStatus,
    ShiftPolicy,
    month_end_after,
    period_end,
    shift,
    status_of,
)
from foerdermittel.model.grant import LAENDER
from foerdermittel.periods import Span

from .common import bochum_data, codes

NW = HolidayCalendar("NW")
MONTHS = Span(amount=6, unit="months")


def forward(day: date, calendar: HolidayCalendar = NW) -> date:
    return shift(day, ShiftPolicy.FORWARD, calendar)[0]


# --- Period arithmetic (§§ 187, 188 BGB) and the shift (§ 193 BGB, § 31 Abs. 3 VwVfG) ---------


def test_anbest_p_proof_of_use_after_purpose() -> None:
    # grant-law §5.2: purpose fulfilled 31.08.2025 -> 6 months -> 28.02.2026 (§ 188 Abs. 3),
    # a Saturday -> Monday 02.03.2026.
    raw = period_end(date(2025, 8, 31), MONTHS)
    assert raw == date(2026, 2, 28)
    end, reason = shift(raw, ShiftPolicy.FORWARD, NW)
    assert end == date(2026, 3, 2)
    assert reason is not None
    assert "28.02.2026 ist ein Samstag" in reason


def test_anbest_p_interim_proof_2027_chain() -> None:
    # 4 months after 31.12.2027 -> Sun 30.04.2028 -> Mon 01.05.2028 holiday -> Tue 02.05.2028
    raw = period_end(date(2027, 12, 31), Span(amount=4, unit="months"))
    assert raw == date(2028, 4, 30)
    end, reason = shift(raw, ShiftPolicy.FORWARD, NW)
    assert end == date(2028, 5, 2)
    assert reason == (
        "30.04.2028 ist ein Sonntag; 01.05.2028 ist ein Feiertag (Erster Mai) → nächster Arbeitstag"
    )
    # for 2025 and 2026 the date stands: Thu 30.04.2026, Fri 30.04.2027
    assert forward(period_end(date(2025, 12, 31), Span(amount=4, unit="months"))) == date(
        2026, 4, 30
    )
    assert forward(period_end(date(2026, 12, 31), Span(amount=4, unit="months"))) == date(
        2027, 4, 30
    )


def test_anbest_gk_one_year_from_leap_day() -> None:
    # purpose fulfilled 29.02.2024 -> 1 year -> 28.02.2025 (§ 188 Abs. 3), a Friday
    raw = period_end(date(2024, 2, 29), Span(amount=1, unit="years"))
    assert raw == date(2025, 2, 28)
    assert forward(raw) == raw


@pytest.mark.parametrize(
    ("period_end_day", "expected"),
    [(date(2025, 12, 31), date(2026, 6, 30)), (date(2026, 3, 15), date(2026, 9, 30))],
)
def test_end_of_sixth_following_month(period_end_day: date, expected: date) -> None:
    assert month_end_after(period_end_day, 6) == expected


@pytest.mark.parametrize(
    ("anchor", "span", "counted_from", "expected"),
    [
        # event day not counted (§ 187 Abs. 1): 10 days from 03.03. end 13.03.
        (date(2025, 3, 3), Span(amount=10, unit="days"), "event", date(2025, 3, 13)),
        # start of day counted (§ 187 Abs. 2): 10 days from 03.03. end 12.03.
        (date(2025, 3, 3), Span(amount=10, unit="days"), "day_start", date(2025, 3, 12)),
        # weeks end on the same weekday (§ 188 Abs. 2)
        (date(2025, 3, 3), Span(amount=6, unit="weeks"), "event", date(2025, 4, 14)),
        # 31.01. + 1 month -> 28.02. / 29.02. in a leap year (§ 188 Abs. 3)
        (date(2025, 1, 31), Span(amount=1, unit="months"), "event", date(2025, 2, 28)),
        (date(2024, 1, 31), Span(amount=1, unit="months"), "event", date(2024, 2, 29)),
        # start of day 01.03. + 1 month -> 31.03. (the day before 01.04.)
        (date(2025, 3, 1), Span(amount=1, unit="months"), "day_start", date(2025, 3, 31)),
        # start of day 31.01. + 1 month: corresponding day missing -> last day of February
        (date(2025, 1, 31), Span(amount=1, unit="months"), "day_start", date(2025, 2, 28)),
        (date(2024, 1, 30), Span(amount=1, unit="months"), "day_start", date(2024, 2, 29)),
        # MPSC: 30 months / 5 years 6 months after the Zusage of 01.12.2021
        (date(2021, 12, 1), Span(amount=30, unit="months"), "event", date(2024, 6, 1)),
        (date(2021, 12, 1), Span(amount=66, unit="months"), "event", date(2027, 6, 1)),
    ],
)
def test_period_end(anchor: date, span: Span, counted_from: Any, expected: date) -> None:
    assert period_end(anchor, span, counted_from=counted_from) == expected


def test_christmas_and_new_year_chain() -> None:
    # Sat 24.12.2022 -> Sun 25.12. -> Mon 26.12. (both holidays) -> Tue 27.12.2022
    assert forward(date(2022, 12, 24)) == date(2022, 12, 27)
    # 24.12. and 31.12. are office days, not holidays: a deadline on them stands
    assert forward(date(2025, 12, 24)) == date(2025, 12, 24)
    assert forward(date(2025, 12, 31)) == date(2025, 12, 31)
    # Sat 31.12.2022 -> Sun 01.01.2023 (Neujahr) -> Mon 02.01.2023
    assert forward(date(2022, 12, 31)) == date(2023, 1, 2)


def test_easter_chain() -> None:
    # Karfreitag 18.04.2025 -> Sat -> Sun -> Ostermontag 21.04. -> Tue 22.04.2025
    end, reason = shift(date(2025, 4, 18), ShiftPolicy.FORWARD, NW)
    assert end == date(2025, 4, 22)
    assert reason is not None
    assert "Karfreitag" in reason
    assert "Ostermontag" in reason


def test_land_matters() -> None:
    # Fronleichnam 19.06.2025 is a holiday in NW but not in Berlin;
    # Frauentag (Fri 08.03.2024) is a holiday in Berlin but not in NW.
    assert forward(date(2025, 6, 19)) == date(2025, 6, 20)
    assert forward(date(2025, 6, 19), HolidayCalendar("BE")) == date(2025, 6, 19)
    assert forward(date(2024, 3, 8), HolidayCalendar("BE")) == date(2024, 3, 11)
    assert forward(date(2024, 3, 8)) == date(2024, 3, 8)
    # Allerheiligen 01.11.2023 (Wednesday) in NW
    assert NW.holiday_name(date(2023, 11, 1)) == "Allerheiligen"


def test_backward_shift() -> None:
    # an application due before Sun 30.11.2025 -> Fri 28.11.2025
    end, reason = shift(date(2025, 11, 30), ShiftPolicy.BACKWARD, NW)
    assert end == date(2025, 11, 28)
    assert reason is not None
    assert "letzter Arbeitstag davor" in reason
    assert shift(date(2025, 11, 30), ShiftPolicy.NONE, NW) == (date(2025, 11, 30), None)


@pytest.mark.parametrize("land", sorted(LAENDER))
def test_every_land_has_its_holidays(land: str) -> None:
    calendar = HolidayCalendar(land)
    # nationwide holidays
    for day in (date(2026, 1, 1), date(2026, 4, 3), date(2026, 10, 3), date(2026, 12, 25)):
        assert not calendar.is_working_day(day)
    assert calendar.holiday_name(date(2026, 5, 1)) == "Erster Mai"
    # Fronleichnam 04.06.2026 only in BW, BY, HE, NW, RP, SL
    corpus_christi = land in {"BW", "BY", "HE", "NW", "RP", "SL"}
    assert calendar.is_working_day(date(2026, 6, 4)) is not corpus_christi
    # Reformationstag 31.10.2025 (a Friday) in the east and north since 2018
    reformation = land in {"BB", "HB", "HH", "MV", "NI", "SH", "SN", "ST", "TH"}
    assert calendar.is_working_day(date(2025, 10, 31)) is not reformation


def test_status_of() -> None:
    end = date(2026, 3, 2)
    kwargs: dict[str, Any] = {"due_soon_days": 30, "action_required": True}
    assert status_of(end, as_of=date(2026, 1, 1), submitted_on=None, **kwargs) == "open"
    assert status_of(end, as_of=date(2026, 2, 1), submitted_on=None, **kwargs) == "due_soon"
    assert status_of(end, as_of=end, submitted_on=None, **kwargs) == "due_soon"
    assert status_of(end, as_of=date(2026, 3, 3), submitted_on=None, **kwargs) == "missed"
    assert status_of(end, as_of=date(2026, 3, 3), submitted_on=end, **kwargs) == "met"
    late = status_of(end, as_of=date(2026, 4, 1), submitted_on=date(2026, 3, 3), **kwargs)
    assert late == "missed"
    # a submission recorded for a day after the key date does not count yet
    assert status_of(end, as_of=date(2026, 1, 1), submitted_on=end, **kwargs) == "open"
    info = status_of(
        end, as_of=date(2026, 4, 1), submitted_on=None, due_soon_days=30, action_required=False
    )
    assert info == DeadlineStatus.PASSED


# --- Properties ------------------------------------------------------------------------------

days = st.dates(min_value=date(1992, 1, 1), max_value=date(2095, 12, 31))
spans = st.builds(
    Span,
    amount=st.integers(min_value=0, max_value=120),
    unit=st.sampled_from(["days", "weeks", "months", "years"]),
)
lands = st.sampled_from(sorted(LAENDER))


@settings(max_examples=300)
@given(days, lands)
def test_shifted_end_is_a_working_day_close_after_the_raw_end(day: date, land: str) -> None:
    calendar = HolidayCalendar(land)
    end, reason = shift(day, ShiftPolicy.FORWARD, calendar)
    assert calendar.is_working_day(end)
    assert day <= end <= day + timedelta(days=5)
    assert (reason is None) == (end == day)
    back, _ = shift(day, ShiftPolicy.BACKWARD, calendar)
    assert calendar.is_working_day(back)
    assert day - timedelta(days=5) <= back <= day


@given(days, st.integers(min_value=0, max_value=240))
def test_months_from_the_anchor_never_drift(anchor: date, months: int) -> None:
    # adding n months at once ends on the anchor's day number, or the month's last day
    end = period_end(anchor, Span(amount=months, unit="months"))
    total = anchor.year * 12 + anchor.month - 1 + months
    assert (end.year, end.month) == (total // 12, total % 12 + 1)
    last_day = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert end.day == min(anchor.day, last_day.day)


@given(days, spans)
def test_period_end_is_not_before_its_anchor(anchor: date, span: Span) -> None:
    event = period_end(anchor, span)
    start = period_end(anchor, span, counted_from="day_start")
    assert event >= anchor
    if span.amount:
        assert anchor <= start <= event
        assert (event - start).days in (0, 1)


# --- Every deadline of a grant ------------------------------------------------------------------


def bochum(as_of: date = date(2025, 6, 30), **changes: Any) -> fm.Report:
    data = bochum_data()
    data.update(changes)
    return fm.evaluate(fm.Case.from_data(data), as_of)


def by_id(report: fm.Report) -> dict[str, fm.Deadline]:
    return {d.id: d for d in report.deadlines}


def test_bochum_deadlines() -> None:
    report = bochum()
    deadlines = by_id(report)
    ends = [d.end for d in report.deadlines]
    assert ends == sorted(ends)
    proof_a = deadlines["proof-of-use:A"]
    # amended phase A ends 30.06.2023: ANBest-Gk 1 year -> 30.06.2024; MPSC 30 months after the
    # Zusage of 01.12.2021 -> Sat 01.06.2024, the earlier one -> Mon 03.06.2024
    assert proof_a.raw_end == date(2024, 6, 1)
    assert proof_a.end == date(2024, 6, 3)
    assert proof_a.original_end == date(2023, 11, 30)  # 1 year after the original end
    assert proof_a.status is DeadlineStatus.MET
    assert proof_a.note is not None
    assert "30.06.2024" in proof_a.note
    proof_b = deadlines["proof-of-use:B"]
    assert proof_b.end == date(2027, 6, 1)  # 5 years 6 months after the Zusage, a Tuesday
    assert proof_b.note is not None
    assert "Schlussrate" in proof_b.note
    assert deadlines["phase-end:A"].end == date(2023, 6, 30)
    assert deadlines["phase-end:A"].original_end == date(2022, 11, 30)
    assert deadlines["phase-end:B"].status is DeadlineStatus.OPEN
    assert deadlines["milestone:extension-declaration"].status is DeadlineStatus.PASSED
    assert deadlines["milestone:council-resolution-strategy:B"].status is DeadlineStatus.MET
    assert deadlines["retention:A"].end == date(2029, 5, 28)  # 5 years after submission
    # ANBest-Gk: no interim proofs unless the funder asks
    assert not [d for d in report.deadlines if d.kind == "interim_proof"]
    # what KfW (Berlin) must receive counts Berlin's holidays, the city's own acts NRW's
    assert {d.calendar_land for d in report.deadlines if d.kind == "proof_of_use"} == {"BE"}
    assert {d.calendar_land for d in report.deadlines if d.kind == "use_window"} == {"NW"}


def test_status_follows_the_key_date() -> None:
    assert by_id(bochum(date(2027, 5, 10)))["proof-of-use:B"].status is DeadlineStatus.DUE_SOON
    report = bochum(date(2027, 6, 2))
    assert by_id(report)["proof-of-use:B"].status is DeadlineStatus.MISSED
    assert "deadline-missed" in codes(report.findings)
    assert report.has_errors


def test_due_soon_days_setting() -> None:
    report = bochum(date(2027, 3, 1), settings={"due_soon_days": 120})
    assert by_id(report)["proof-of-use:B"].status is DeadlineStatus.DUE_SOON
    assert "deadline-due-soon" in codes(report.findings)


def test_funder_seat_calendar() -> None:
    data = bochum_data()
    data["settings"] = {"holiday_calendar": "funder"}
    report = fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30))
    assert {d.calendar_land for d in report.deadlines} == {"BE"}


def test_anbest_p_interim_proofs_and_proof_of_use() -> None:
    data = bochum_data()
    data["grant"].update(programme=None, rulebook="anbest-p-2019", rate_tier=None)
    data["submissions"] = []
    data["amendments"] = []
    report = fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30))
    deadlines = by_id(report)
    # phase B (10/2022-09/2026): interim proofs for 2022 to 2025, due 30.04. of the next year
    years = sorted(d.id for d in report.deadlines if d.id.startswith("interim-proof:B"))
    assert years == [f"interim-proof:B:{y}" for y in (2022, 2023, 2024, 2025)]
    # 30.04.2023 is a Sunday, 01.05. a holiday -> Tue 02.05.2023
    assert deadlines["interim-proof:B:2022"].end == date(2023, 5, 2)
    # end of the 6th month after 30.09.2026 -> 31.03.2027 (a Wednesday)
    assert deadlines["proof-of-use:B"].end == date(2027, 3, 31)
    # phase A (12/2021-11/2022): interim proof for 2021 only
    assert "interim-proof:A:2021" in deadlines
    assert "interim-proof:A:2022" not in deadlines


def test_purpose_fulfilled_earlier_shortens_the_proof_deadline() -> None:
    data = bochum_data()
    data["grant"].update(programme=None, rulebook="anbest-p-2019", rate_tier=None)
    data["grant"]["phases"][1]["purpose_fulfilled_on"] = date(2025, 8, 31)
    data["submissions"] = []
    report = fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30))
    proof = by_id(report)["proof-of-use:B"]
    assert proof.end == date(2026, 3, 2)  # the worked example of grant-law §5.2
    assert proof.trigger_label == "Zweckerfüllung"
    assert "interim-proof:B:2025" not in by_id(report)


def test_interim_proof_on_request_under_gk() -> None:
    report = bochum(
        interim_requests=[
            {"id": "R1", "phase": "B", "requested_on": date(2025, 3, 3), "due": date(2025, 5, 31)}
        ]
    )
    request = by_id(report)["interim-proof:B:R1"]
    assert request.end == date(2025, 6, 2)  # 31.05.2025 is a Saturday
    assert request.status is DeadlineStatus.MISSED


def test_payout_use_window() -> None:
    report = bochum(
        payouts=[{"id": "B-1", "phase": "B", "amount": "500000.00", "paid_on": date(2025, 3, 3)}]
    )
    window = by_id(report)["use-window:B-1"]
    assert window.raw_end == date(2025, 4, 14)  # six weeks (ANBest-Gk 2019 Nr. 8.5)
    assert window.end == date(2025, 4, 14)


def test_payout_before_council_resolution() -> None:
    data = bochum_data()
    data["payouts"] = [
        {"id": "B-1", "phase": "B", "amount": "100000.00", "paid_on": date(2022, 11, 15)}
    ]
    report = fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30))
    condition = by_id(report)["milestone:council-resolution-strategy:B"]
    assert condition.status is DeadlineStatus.MISSED
    found = [f for f in report.findings if f.code == "payout-before-milestone"]
    assert len(found) == 1
    assert "08.12.2022" in found[0].message


def test_extension_beyond_ceiling_and_late_application() -> None:
    data = bochum_data()
    data["amendments"].append(
        {
            "id": "Ä-2",
            "title": "Verlängerung Umsetzungsphase",
            "applied_on": date(2026, 10, 15),
            "decided_on": date(2026, 11, 2),
            "phases": [{"phase": "B", "new_end": date(2028, 6, 30)}],
        }
    )
    report = fm.evaluate(fm.Case.from_data(data), date(2026, 11, 26))
    found = codes(report.findings)
    assert "extension-beyond-ceiling" in found
    assert "extension-applied-late" in found
    deadlines = by_id(report)
    assert deadlines["phase-end:B"].end == date(2028, 6, 30)
    assert deadlines["phase-end:B"].original_end == date(2026, 9, 30)


def test_extension_to_the_ceiling_is_fine() -> None:
    data = bochum_data()
    data["amendments"].append(
        {
            "id": "Ä-2",
            "title": "Kostenneutrale Verlängerung bis 31.03.2028",
            "applied_on": date(2025, 1, 31),
            "decided_on": date(2025, 4, 4),
            "phases": [{"phase": "B", "new_end": date(2028, 3, 31)}],
        }
    )
    report = fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30))
    assert not {"extension-beyond-ceiling", "extension-applied-late"} & codes(report.findings)
    assert (
        report.financing.grant
        == fm.evaluate(fm.load_case("examples/bochum-mpsc.toml"), date(2025, 6, 30)).financing.grant
    )


@settings(max_examples=60, deadline=None)
@given(
    extra_days=st.integers(min_value=1, max_value=900),
    phase_index=st.sampled_from([0, 1]),
)
def test_an_extension_never_moves_a_deadline_earlier(extra_days: int, phase_index: int) -> None:
    data = bochum_data()
    phase = data["grant"]["phases"][phase_index]
    current = date(2023, 6, 30) if phase_index == 0 else phase["end"]
    data["amendments"].append(
        {
            "id": "Ä-X",
            "title": "Verlängerung",
            "decided_on": date(2026, 1, 5),
            "phases": [{"phase": phase["id"], "new_end": current + timedelta(days=extra_days)}],
        }
    )
    case = fm.Case.from_data(data)
    key = date(2025, 6, 30)
    before = by_id(fm.evaluate(case.model_copy(update={"amendments": case.amendments[:1]}), key))
    after = by_id(fm.evaluate(case, key))
    for deadline_id, deadline in after.items():
        if deadline_id in before:
            assert deadline.end >= before[deadline_id].end, deadline_id


def test_each_deadline_names_its_phase_as_data() -> None:
    data = bochum_data()
    data["grant"].update(programme=None, rulebook="anbest-p-2019", rate_tier=None)
    data["payouts"] = [
        {"id": "B-1", "phase": "B", "amount": "500000.00", "paid_on": date(2025, 3, 3)}
    ]
    data["interim_requests"] = [
        {"id": "R1", "phase": "A", "requested_on": date(2022, 3, 3), "due": date(2022, 5, 31)}
    ]
    deadlines = by_id(fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30)))
    assert deadlines["use-window:B-1"].phase == "B"  # the payout's phase, not its id
    assert deadlines["interim-proof:A:R1"].phase == "A"
    assert deadlines["interim-proof:B:2023"].phase == "B"
    for phase in ("A", "B"):
        for kind in ("phase-end", "change-application", "proof-of-use", "retention"):
            assert deadlines[f"{kind}:{phase}"].phase == phase
    programme = by_id(bochum())
    milestones = [d for d in programme.values() if d.kind == "milestone"]
    assert milestones
    assert all(d.phase is None for d in milestones)
    assert all(d.phase is not None for d in programme.values() if d.kind != "milestone")
    assert '"phase":"A"' in programme["proof-of-use:A"].model_dump_json()
