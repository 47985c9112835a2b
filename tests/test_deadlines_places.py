"""Whose holidays move a deadline: the funder's seat or the recipient's place, parts of a Land.

§ 193 BGB moves a period's end off Saturdays, Sundays and the public holidays "am Erklärungs-
oder Leistungsort". What the funder must receive (proof of use, interim proof, applications,
declarations) is judged at the funder's seat; the recipient's own acts at its place. Some
holidays hold in part of a Land only (BayFTG, SächsSFG, ThürFGtG). Every date below is worked
out by hand; the weekday is written beside it.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.calendar import REGIONS, CalendarError, HolidayCalendar
from foerdermittel.deadlines import (
    ShiftPolicy,
    deadline_calendar,
    derive_deadlines,
    filed_with_funder,
    shift,
)
from foerdermittel.errors import CaseError
from foerdermittel.model.grant import LAENDER

from .common import BOCHUM, bochum_data, codes

AS_OF = date(2025, 6, 30)


def report_of(data: dict[str, Any], as_of: date = AS_OF) -> fm.Report:
    return fm.evaluate(fm.Case.from_data(data), as_of)


def by_id(report: fm.Report) -> dict[str, fm.Deadline]:
    return {d.id: d for d in report.deadlines}


def with_phase_b(data: dict[str, Any], *, decided: date, extended_to: date | None) -> None:
    """Give phase B its own Zusage and, optionally, a cost-neutral extension."""
    data["grant"]["phases"][1]["decision_date"] = decided
    if extended_to is not None:
        data["amendments"].append(
            {
                "id": "Ä-B",
                "title": "Kostenneutrale Verlängerung der Umsetzungsphase",
                "applied_on": date(2025, 1, 30),
                "decided_on": date(2025, 4, 4),
                "phases": [{"phase": "B", "new_end": extended_to}],
            }
        )


# --- Parts of a Land (holidays package: category "catholic", subdivision "Augsburg") ------------


@pytest.mark.parametrize(
    ("land", "region", "day", "name", "shifted"),
    [
        # Mariä Himmelfahrt, Thu 15.08.2024: Catholic Bavarian communities (Art. 1 Abs. 1 Nr. 2
        # BayFTG), not Bavaria as a whole -> Fri 16.08.2024
        ("BY", "BY-katholisch", date(2024, 8, 15), "Mariä Himmelfahrt", date(2024, 8, 16)),
        # Augsburger Hohes Friedensfest, Thu 08.08.2024: the city of Augsburg only (Art. 1
        # Abs. 2 BayFTG) -> Fri 09.08.2024
        (
            "BY",
            "Augsburg",
            date(2024, 8, 8),
            "Augsburger Hohes Friedensfest",
            date(2024, 8, 9),
        ),
        # Augsburg is a Catholic community too: Mariä Himmelfahrt, Fri 15.08.2025 -> Mon 18.08.
        ("BY", "Augsburg", date(2025, 8, 15), "Mariä Himmelfahrt", date(2025, 8, 18)),
        # Fronleichnam, Thu 30.05.2024: Sorbian Catholic communities in Saxony -> Fri 31.05.2024
        ("SN", "SN-katholisch", date(2024, 5, 30), "Fronleichnam", date(2024, 5, 31)),
        # Fronleichnam, Thu 19.06.2025: Eichsfeld and other Catholic communities in Thuringia
        # -> Fri 20.06.2025
        ("TH", "TH-katholisch", date(2025, 6, 19), "Fronleichnam", date(2025, 6, 20)),
    ],
)
def test_region_holiday_moves_a_deadline(
    land: str, region: str, day: date, name: str, shifted: date
) -> None:
    part = HolidayCalendar(land, region)
    whole = HolidayCalendar(land)
    assert part.holiday_name(day) == name
    assert whole.holiday_name(day) is None
    end, reason = shift(day, ShiftPolicy.FORWARD, part)
    assert end == shifted
    assert reason is not None
    assert reason.startswith(f"{day:%d.%m.%Y} ist ein Feiertag ({name})")
    assert shift(day, ShiftPolicy.FORWARD, whole) == (day, None)


def test_a_region_keeps_the_holidays_of_its_land() -> None:
    augsburg = HolidayCalendar("BY", "Augsburg")
    # Heilige Drei Könige (Mon 06.01.2025) and Fronleichnam (Thu 19.06.2025) hold in all Bavaria
    assert augsburg.holiday_name(date(2025, 1, 6)) == "Heilige Drei Könige"
    assert augsburg.holiday_name(date(2025, 6, 19)) == "Fronleichnam"
    # Reformationstag (Fri 31.10.2025) and Buß- und Bettag (Wed 19.11.2025) hold in Saxony
    sorbian = HolidayCalendar("SN", "SN-katholisch")
    assert sorbian.holiday_name(date(2025, 10, 31)) == "Reformationstag"
    assert sorbian.holiday_name(date(2025, 11, 19)) == "Buß- und Bettag"
    # Weltkindertag (Sat 20.09.2025) holds in Thuringia
    assert HolidayCalendar("TH", "TH-katholisch").holiday_name(date(2025, 9, 20)) == (
        "Weltkindertag"
    )


def test_calendar_identity_includes_the_region() -> None:
    assert HolidayCalendar("NW") == HolidayCalendar("NW", None)
    assert HolidayCalendar("BY") != HolidayCalendar("BY", "Augsburg")
    assert HolidayCalendar("BY", "Augsburg") == HolidayCalendar("BY", "Augsburg")
    assert len({HolidayCalendar("BY"), HolidayCalendar("BY", "BY-katholisch")}) == 2
    assert repr(HolidayCalendar("NW")) == "HolidayCalendar('NW')"
    assert repr(HolidayCalendar("BY", "Augsburg")) == "HolidayCalendar('BY', 'Augsburg')"
    assert HolidayCalendar("BY", "Augsburg").label == "BY (Augsburg)"
    assert HolidayCalendar("NW").label == "NW"


@pytest.mark.parametrize(
    ("land", "region", "words"),
    [
        ("NW", "Augsburg", ["'Augsburg'", "gehört zu BY", "nicht zu NW"]),
        ("SN", "TH-katholisch", ["'TH-katholisch'", "gehört zu TH", "SN-katholisch"]),
        ("BY", "Franken", ["unbekannte Feiertagsregion 'Franken'", "BY-katholisch", "Augsburg"]),
        # the holidays package's subdivision is no Land
        ("Augsburg", None, []),
    ],
)
def test_region_must_belong_to_the_land(land: str, region: str | None, words: list[str]) -> None:
    with pytest.raises(CalendarError) as info:
        HolidayCalendar(land, region).is_working_day(date(2025, 6, 30))
    for word in words:
        assert word in str(info.value)


# --- The case file: holiday_region, funder_holiday_region ----------------------------------------


def load_error(tmp_path: Path, text: str) -> CaseError:
    path = tmp_path / "fall.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as info:
        fm.load_case(path)
    assert str(info.value).startswith(f"{path}: ")
    assert len(info.value.problems) == 1
    return info.value


LAND = 'land = "NW"'
FUNDER = 'funder_land = "BE"'


def bochum_text(old: str, new: str) -> str:
    text = BOCHUM.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "path", "value", "words"),
    [
        (
            LAND,
            LAND + '\nholiday_region = "Augsburg"',
            "grant.holiday_region",
            "Augsburg",
            ["gehört zu BY", "nicht zu NW", "keine Region"],
        ),
        (
            LAND,
            LAND + '\nholiday_region = "katholisch"',
            "grant.holiday_region",
            "katholisch",
            ["unbekannte Feiertagsregion", *REGIONS],
        ),
        (
            FUNDER,
            FUNDER + '\nfunder_holiday_region = "TH-katholisch"',
            "grant.funder_holiday_region",
            "TH-katholisch",
            ["gehört zu TH", "nicht zu BE"],
        ),
        (
            FUNDER,
            'funder_holiday_region = "Augsburg"',
            "grant.funder_holiday_region",
            "Augsburg",
            ["funder_land"],
        ),
    ],
)
def test_bad_region_in_the_case_file(
    tmp_path: Path, old: str, new: str, path: str, value: str, words: list[str]
) -> None:
    exc = load_error(tmp_path, bochum_text(old, new))
    problem = exc.problems[0]
    assert problem.path == path
    assert problem.value == value
    for word in words:
        assert word in problem.message


def test_region_of_the_recipient_moves_its_own_deadlines() -> None:
    # Bochum moved to Augsburg, for the arithmetic: payout B-4 (Fri 19.07.2024) + 6 weeks ->
    # Fri 30.08.2024, no holiday; the Augsburg calendar is used for the city's own acts and
    # recorded per deadline.
    data = bochum_data()
    data["grant"].update(land="BY", holiday_region="Augsburg")
    report = report_of(data)
    deadlines = by_id(report)
    assert deadlines["retention:A"].calendar_land == "BY"
    assert deadlines["retention:A"].calendar_region == "Augsburg"
    assert deadlines["proof-of-use:B"].calendar_land == "BE"
    assert deadlines["proof-of-use:B"].calendar_region is None


# --- Whose holidays, by kind (§ 193 BGB: place of receipt) ---------------------------------------


def test_kinds_filed_with_the_funder() -> None:
    filed = {"proof_of_use", "interim_proof", "change_application", "milestone"}
    own = {"use_window", "retention", "condition", "phase_end"}
    assert {k for k in filed | own if filed_with_funder(k)} == filed


def test_bochum_deadlines_by_kind() -> None:
    # The example names KfW's seat (Berlin): what KfW must receive counts Berlin's holidays,
    # the city's own acts those of NRW. No date of the Bochum list moves: none of them falls on
    # a day that is a holiday in one Land and not in the other (regression against the same
    # case with NRW's holidays for every deadline).
    report = report_of(bochum_data())
    forced = bochum_data()
    forced["settings"]["holiday_calendar"] = "recipient"
    recipient_only = by_id(report_of(forced))
    for deadline in report.deadlines:
        expected = "BE" if filed_with_funder(deadline.kind) else "NW"
        assert deadline.calendar_land == expected, deadline.id
        assert deadline.end == recipient_only[deadline.id].end, deadline.id
        assert recipient_only[deadline.id].calendar_land == "NW"
    deadlines = by_id(report)
    assert deadlines["proof-of-use:B"].calendar_land == "BE"
    assert deadlines["proof-of-use:B"].end == date(2027, 6, 1)  # Tue, in Berlin and NRW
    # Sat 01.06.2024 -> Mon 03.06.2024 in Berlin as in NRW
    assert deadlines["proof-of-use:A"].end == date(2024, 6, 3)
    assert deadlines["milestone:extension-application"].calendar_land == "BE"
    assert deadlines["change-application:B"].calendar_land == "BE"
    assert deadlines["use-window:B-1"].calendar_land == "NW"
    assert deadlines["milestone:council-resolution-strategy:B"].calendar_land == "NW"
    assert "funder-seat-unknown" not in codes(report.findings)


def test_proof_of_use_b_shifts_by_berlin_frauentag() -> None:
    # Phase B with its own Zusage of Thu 08.09.2022 and extended to 31.12.2027:
    # 5 years 6 months after the Zusage -> Wed 08.03.2028, earlier than one year after the
    # phase (31.12.2028). 08.03. is Internationaler Frauentag in Berlin, not in NRW:
    # KfW in Berlin must receive the proof by Thu 09.03.2028.
    data = bochum_data()
    with_phase_b(data, decided=date(2022, 9, 8), extended_to=date(2027, 12, 31))
    proof = by_id(report_of(data))["proof-of-use:B"]
    assert proof.trigger == date(2022, 9, 8)
    assert proof.trigger_label == "Förderzusage"
    assert proof.raw_end == date(2028, 3, 8)
    assert proof.end == date(2028, 3, 9)
    assert proof.calendar_land == "BE"
    assert proof.shift_reason == "08.03.2028 ist ein Feiertag (Frauentag) → nächster Arbeitstag"
    # the old setting forces NRW's holidays: 08.03.2028 is a working day there
    data["settings"]["holiday_calendar"] = "recipient"
    forced = by_id(report_of(data))["proof-of-use:B"]
    assert (forced.end, forced.calendar_land, forced.shift_reason) == (date(2028, 3, 8), "NW", None)


def test_proof_of_use_b_is_not_moved_by_fronleichnam_in_berlin() -> None:
    # Phase B Zusage Thu 15.12.2022, extended to 31.03.2028 (the ceiling of the 2021 call):
    # 5 years 6 months -> Thu 15.06.2028 = Fronleichnam, a holiday in NRW, not in Berlin.
    data = bochum_data()
    with_phase_b(data, decided=date(2022, 12, 15), extended_to=date(2028, 3, 31))
    proof = by_id(report_of(data))["proof-of-use:B"]
    assert proof.raw_end == date(2028, 6, 15)
    assert (proof.end, proof.shift_reason) == (date(2028, 6, 15), None)
    data["settings"]["holiday_calendar"] = "recipient"
    forced = by_id(report_of(data))["proof-of-use:B"]
    assert forced.end == date(2028, 6, 16)  # Fri
    assert forced.shift_reason == "15.06.2028 ist ein Feiertag (Fronleichnam) → nächster Arbeitstag"


def test_funder_region_moves_what_the_funder_receives() -> None:
    # A funder seated in Augsburg; the council-resolution condition stays with NRW.
    # Interim proof requested, due Thu 08.08.2024 (Friedensfest in Augsburg) -> Fri 09.08.2024
    data = bochum_data()
    data["grant"].update(funder_land="BY", funder_holiday_region="Augsburg")
    data["interim_requests"] = [
        {"id": "R1", "phase": "B", "requested_on": date(2024, 6, 3), "due": date(2024, 8, 8)}
    ]
    deadlines = by_id(report_of(data))
    request = deadlines["interim-proof:B:R1"]
    assert (request.end, request.calendar_land, request.calendar_region) == (
        date(2024, 8, 9),
        "BY",
        "Augsburg",
    )
    assert request.shift_reason is not None
    assert "(Augsburger Hohes Friedensfest)" in request.shift_reason


def test_funder_seat_unknown_is_reported_once() -> None:
    data = bochum_data()
    del data["grant"]["funder_land"]
    report = report_of(data)
    found = [f for f in report.findings if f.code == "funder-seat-unknown"]
    assert len(found) == 1
    finding = found[0]
    assert finding.severity is fm.Severity.INFO
    assert finding.legal_reference == "§ 193 BGB; § 31 Abs. 3 VwVfG"
    assert "(NW)" in finding.message
    assert "grant.funder_land" in finding.message
    assert not finding.message.startswith(finding.subject)
    assert {d.calendar_land for d in report.deadlines} == {"NW"}
    # no finding where one calendar is chosen on purpose
    data["settings"]["holiday_calendar"] = "recipient"
    assert "funder-seat-unknown" not in codes(report_of(data).findings)


def test_setting_funder_forces_the_funder_calendar_for_all() -> None:
    data = bochum_data()
    data["settings"]["holiday_calendar"] = "funder"
    report = report_of(data)
    assert {d.calendar_land for d in report.deadlines} == {"BE"}
    case = fm.Case.from_data(data)
    assert deadline_calendar(case, "retention") == HolidayCalendar("BE")
    assert fm.deadlines.holiday_calendar(case) == HolidayCalendar("BE")


# --- Retention from the shifted date --------------------------------------------------------------


def test_retention_counts_from_the_shifted_proof_deadline() -> None:
    # Proof of phase A not recorded: due Sat 01.06.2024 -> Mon 03.06.2024; the vouchers are
    # kept 5 years from the deadline as it stands -> 03.06.2029 (not 01.06.2029).
    data = bochum_data()
    data["submissions"] = [s for s in data["submissions"] if s["deadline"] != "proof-of-use:A"]
    retention = by_id(report_of(data))["retention:A"]
    assert retention.trigger == date(2024, 6, 3)
    assert retention.end == date(2029, 6, 3)
    assert retention.trigger_label.startswith("Fälligkeit des Verwendungsnachweises")


def test_retention_follows_the_funder_calendar_shift() -> None:
    # Frauentag example above, proof not yet submitted: retention from Thu 09.03.2028
    # -> Wed 09.03.2033 (from the raw 08.03.2028 it would be 08.03.2033).
    data = bochum_data()
    with_phase_b(data, decided=date(2022, 9, 8), extended_to=date(2027, 12, 31))
    retention = by_id(report_of(data))["retention:B"]
    assert retention.trigger == date(2028, 3, 9)
    assert retention.end == date(2033, 3, 9)


# --- The phase's own Zusage ---------------------------------------------------------------------


def test_phase_zusage_sets_the_programme_proof_deadline() -> None:
    # Phase B Zusage Tue 01.03.2022: 5 years 6 months -> Wed 01.09.2027, earlier than one year
    # after the phase (30.09.2027); phase A still counts from the grant's Zusage (01.12.2021).
    data = bochum_data()
    with_phase_b(data, decided=date(2022, 3, 1), extended_to=None)
    deadlines = by_id(report_of(data))
    proof_b = deadlines["proof-of-use:B"]
    assert (proof_b.trigger, proof_b.raw_end, proof_b.end) == (
        date(2022, 3, 1),
        date(2027, 9, 1),
        date(2027, 9, 1),
    )
    assert deadlines["proof-of-use:A"].raw_end == date(2024, 6, 1)
    # a later Zusage: 08.09.2022 + 5 years 6 months = 08.03.2028 is later than one year after
    # the phase: the ANBest-Gk limit (Thu 30.09.2027) governs, the Zusage limit is in the note
    data = bochum_data()
    with_phase_b(data, decided=date(2022, 9, 8), extended_to=None)
    proof_b = by_id(report_of(data))["proof-of-use:B"]
    assert proof_b.end == date(2027, 9, 30)
    assert proof_b.note is not None
    assert "08.03.2028" in proof_b.note


# --- Property: each deadline ends on a working day of its own calendar ---------------------------

PLACES = [(land, None) for land in sorted(LAENDER)] + [(r.land, r.name) for r in REGIONS.values()]


@settings(max_examples=40, deadline=None)
@given(
    recipient=st.sampled_from(PLACES),
    funder=st.one_of(st.none(), st.sampled_from(PLACES)),
    setting=st.sampled_from(["by_kind", "recipient", "funder"]),
    zusage_offset=st.integers(min_value=0, max_value=300),
)
def test_every_deadline_ends_on_a_working_day_of_its_calendar(
    recipient: tuple[str, str | None],
    funder: tuple[str, str | None] | None,
    setting: str,
    zusage_offset: int,
) -> None:
    data = bochum_data()
    grant = data["grant"]
    grant.update(land=recipient[0], holiday_region=recipient[1])
    grant.pop("funder_land")
    if funder is not None:
        grant.update(funder_land=funder[0], funder_holiday_region=funder[1])
    elif setting == "funder":
        setting = "by_kind"
    data["settings"]["holiday_calendar"] = setting
    data["grant"]["phases"][1]["decision_date"] = date(2021, 12, 1) + timedelta(zusage_offset)
    data["payouts"] = []
    case = fm.Case.from_data(data)
    for d in derive_deadlines(case, case.rulebook()[0], as_of=AS_OF):
        calendar = HolidayCalendar(d.calendar_land, d.calendar_region)
        assert calendar == deadline_calendar(case, d.kind)
        if d.policy is ShiftPolicy.FORWARD:
            assert calendar.is_working_day(d.end), d.id
            assert d.raw_end <= d.end <= d.raw_end + timedelta(days=5), d.id
        elif d.policy is ShiftPolicy.BACKWARD:
            assert calendar.is_working_day(d.end), d.id
            assert d.raw_end - timedelta(days=5) <= d.end <= d.raw_end, d.id
        else:
            assert d.end == d.raw_end, d.id
        assert (d.shift_reason is None) == (d.end == d.raw_end), d.id
