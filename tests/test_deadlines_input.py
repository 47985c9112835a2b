"""Bad input for deadlines and amendments: one clear error naming the field path and the value.

Bad case files are the Bochum example with one thing changed (a string replace) or with TOML
appended (a second amendment, a payout, a request, settings). Dates the holiday data does not
cover raise ``CalendarError`` when the deadlines are computed; the command line turns both
kinds of error into exit status 2 with one line on stderr.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel import cli
from foerdermittel.calendar import CalendarError, HolidayCalendar, covered_years
from foerdermittel.errors import CaseError, FoerdermittelError, Problem, Severity

from .common import bochum_text_without_records, simple_case

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
TEXT = bochum_text_without_records()
AS_OF = date(2025, 6, 30)

# Snippets of the example that the tests change; each occurs exactly once.
LAND = 'land = "NW"'
FUNDER_LAND = 'funder_land = "BE"'
PHASE_B_END = "end = 2026-09-30"
EXTENSION_A = '[[amendments.phases]]\nphase = "A"\nnew_end = 2023-06-30'  # amendments[0]


def variant(old: str, new: str, text: str = TEXT) -> str:
    """``text`` with the one occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"snippet not unique: {old!r}"
    return text.replace(old, new)


def amendment(
    ident: str,
    decided_on: str,
    *,
    phase: str | None = None,
    new_end: str | None = None,
    line: str | None = None,
    amounts: str | None = None,
) -> str:
    """TOML for one more amendment, to append to the example."""
    text = f'\n[[amendments]]\nid = "{ident}"\ntitle = "Test"\ndecided_on = {decided_on}\n'
    if phase is not None:
        text += f'\n[[amendments.phases]]\nphase = "{phase}"\nnew_end = {new_end}\n'
    if line is not None:
        text += f'\n[[amendments.lines]]\nline = "{line}"\namounts = {{ {amounts} }}\n'
    return text


def payout(phase: str, paid_on: str) -> str:
    return (
        f'\n[[payouts]]\nid = "P-1"\nphase = "{phase}"\namount = 100000.00\npaid_on = {paid_on}\n'
    )


def interim_request(phase: str, requested_on: str, due: str) -> str:
    return (
        f'\n[[interim_requests]]\nid = "Z-1"\nphase = "{phase}"\n'
        f"requested_on = {requested_on}\ndue = {due}\n"
    )


def write(tmp_path: Path, text: str, name: str = "fall.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> CaseError:
    """Write ``text`` to a file, load it, return the CaseError raised."""
    path = write(tmp_path, text)
    with pytest.raises(CaseError) as info:
        fm.load_case(path)
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: ")
    return info.value


def single(exc: CaseError) -> Problem:
    """The only problem of ``exc``; a single fault gives a single problem on one line."""
    assert len(exc.problems) == 1, exc.problems
    assert "\n" not in str(exc)
    return exc.problems[0]


def loads(text: str) -> fm.Case:
    return fm.loads_case(text, fmt="toml")


def example_data() -> dict[str, Any]:
    return tomllib.loads(TEXT, parse_float=Decimal)


def data_error(data: dict[str, Any]) -> CaseError:
    with pytest.raises(CaseError) as info:
        fm.Case.from_data(data)
    return info.value


def deadline(report: fm.Report, ident: str) -> Any:
    return next(d for d in report.deadlines if d.id == ident)


# Controls: the near misses of the bad variants below are accepted ----------------------------


def test_controls_are_accepted() -> None:
    assert TEXT.count(EXTENSION_A) == 1
    case = loads(TEXT)
    assert fm.evaluate(case, AS_OF).deadlines
    # funder's holidays with the funder's Land (the example names it)
    funder = loads(TEXT + '\n[settings]\nholiday_calendar = "funder"\n')
    assert {d.calendar_land for d in fm.evaluate(funder, AS_OF).deadlines} == {"BE"}
    # without it, the recipient's holidays for every deadline
    assert {
        d.calendar_land for d in fm.evaluate(loads(variant(FUNDER_LAND, "")), AS_OF).deadlines
    } == {"NW"}
    # an extension by one day, a payout on the day of the decision, a request due that day
    assert loads(variant(EXTENSION_A, EXTENSION_A.replace("2023-06-30", "2022-12-01")))
    assert loads(TEXT + payout("A", "2021-12-01")).payouts[0].phase == "A"
    assert loads(TEXT + interim_request("B", "2024-03-01", "2024-03-01")).interim_requests


# Land codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "path"),
    [
        ('land = "XX"', "grant.land"),
        ('funder_land = "XX"', "grant.funder_land"),
    ],
)
def test_unknown_land_lists_valid_codes(tmp_path: Path, new: str, path: str) -> None:
    old = LAND if new.startswith("land") else FUNDER_LAND
    problem = single(load_error(tmp_path, variant(old, new)))
    assert problem.path == path
    assert problem.value == "XX"
    assert "unbekanntes Land" in problem.message
    for code in ("NW", "BY", "BE", "TH"):
        assert code in problem.message


@pytest.mark.parametrize("field", ["land", "funder_land"])
@pytest.mark.parametrize("bad", ["XX", "nw", "NRW", "DE-NW", ""])
def test_unknown_land_from_data(field: str, bad: str) -> None:
    data = example_data()
    data["grant"][field] = bad
    problem = single(data_error(data))
    assert problem.path == f"grant.{field}"
    assert problem.value == bad
    assert "NW" in problem.message


def test_holiday_calendar_of_unknown_land_raises_calendar_error() -> None:
    with pytest.raises(CalendarError) as info:
        HolidayCalendar("XX").is_working_day(date(2025, 6, 30))
    assert "'XX'" in str(info.value)
    assert "NW" in str(info.value)
    assert "BY" in str(info.value)


# Amendments ----------------------------------------------------------------------------------


def test_amendment_with_unknown_phase_lists_phases(tmp_path: Path) -> None:
    bad = EXTENSION_A.replace('phase = "A"', 'phase = "C"')
    problem = single(load_error(tmp_path, variant(EXTENSION_A, bad)))
    assert problem.path == "amendments[0].phases[0].phase"
    assert problem.value == "C"
    assert "A, B" in problem.message
    assert "Ä-1" in problem.message  # the amendment is named


@pytest.mark.parametrize(
    ("new_end", "value"),
    [
        ("2022-10-31", date(2022, 10, 31)),  # shorter than the phase
        ("2022-11-30", date(2022, 11, 30)),  # exactly the current end
        ("2021-11-30", date(2021, 11, 30)),  # before the phase even starts
    ],
)
def test_extension_must_end_after_current_end(tmp_path: Path, new_end: str, value: date) -> None:
    text = variant(EXTENSION_A, EXTENSION_A.replace("2023-06-30", new_end))
    exc = load_error(tmp_path, text)
    problem = single(exc)
    assert problem.path == "amendments[0].phases[0].new_end"
    assert problem.value == value
    assert "keine Verlängerung" in problem.message
    assert "andere Art von Änderung" in problem.message
    assert "30.11.2022" in problem.message  # the current end
    assert new_end in str(exc)


def test_amendments_are_checked_in_order_of_decision() -> None:
    # Ä-0 comes second in the file but was decided first: it extends A to 31.03.2023, then
    # Ä-1 (decided later) to 30.06.2023. In file order Ä-0 would look like a shortening.
    text = TEXT + amendment("Ä-0", "2022-11-01", phase="A", new_end="2023-03-31")
    case = loads(text)
    assert [a.id for a in case.ordered_amendments()] == ["Ä-0", "Ä-1 (illustrativ)"]
    assert case.amended().grant.phase("A").end == date(2023, 6, 30)
    report = fm.evaluate(case, AS_OF)
    phase_end = deadline(report, "phase-end:A")
    assert phase_end.end == date(2023, 6, 30)
    assert phase_end.original_end == date(2022, 11, 30)


def test_later_file_entry_decided_earlier_can_make_the_first_a_shortening(tmp_path: Path) -> None:
    # Ä-0 (decided 01.11.2022) extends A to 30.09.2023; Ä-1 (decided 21.11.2022) then sets
    # 30.06.2023, which is no extension any more. In file order both would be fine.
    text = TEXT + amendment("Ä-0", "2022-11-01", phase="A", new_end="2023-09-30")
    problem = single(load_error(tmp_path, text))
    assert problem.path == "amendments[0].phases[0].new_end"
    assert problem.value == date(2023, 6, 30)
    assert "keine Verlängerung" in problem.message
    assert "30.09.2023" in problem.message


def test_second_extension_later_in_date_order_is_fine() -> None:
    text = TEXT + amendment("Ä-2", "2023-05-02", phase="A", new_end="2023-09-30")
    case = loads(text)
    assert case.amended().grant.phase("A").end == date(2023, 9, 30)


def test_second_extension_shorter_than_the_extended_end_is_an_error(tmp_path: Path) -> None:
    # 31.03.2023 lies after the original end (30.11.2022) but before Ä-1's 30.06.2023.
    text = TEXT + amendment("Ä-2", "2023-01-10", phase="A", new_end="2023-03-31")
    problem = single(load_error(tmp_path, text))
    assert problem.path == "amendments[1].phases[0].new_end"
    assert problem.value == date(2023, 3, 31)
    assert "keine Verlängerung" in problem.message
    assert "30.06.2023" in problem.message


def test_replanning_unknown_line(tmp_path: Path) -> None:
    text = TEXT + amendment("Ä-2", "2025-01-15", line="B-9.9", amounts="2025 = 1000.00")
    problem = single(load_error(tmp_path, text))
    assert problem.path == "amendments[1].lines[0].line"
    assert problem.value == "B-9.9"
    assert "Einzelansatz" in problem.message


def test_replanning_into_a_year_outside_the_phase(tmp_path: Path) -> None:
    amounts = "2026 = 200000.00, 2027 = 100000.00"  # B-1.1 had 300000.00 in 2026
    text = TEXT + amendment("Ä-2", "2025-01-15", line="B-1.1", amounts=amounts)
    problem = single(load_error(tmp_path, text))
    assert problem.path == "amendments[1].lines[0].amounts.2027"
    assert problem.value == 2027
    assert "Haushaltsjahr" in problem.message
    assert "Phase B" in problem.message


def test_replanning_uses_the_amended_phase() -> None:
    amounts = "2026 = 200000.00, 2027 = 100000.00"
    # the same amendment extends B into 2027: fine
    same = amendment("Ä-2", "2025-01-15", phase="B", new_end="2027-03-31")
    same += '\n[[amendments.lines]]\nline = "B-1.1"\namounts = { ' + amounts + " }\n"
    case = loads(TEXT + same)
    assert case.amended().plan.lines[5].amounts[2027] == Decimal("100000.00")
    # an earlier amendment extended B: fine
    earlier = amendment("Ä-2", "2025-01-15", phase="B", new_end="2027-03-31")
    later = amendment("Ä-3", "2025-03-01", line="B-1.1", amounts=amounts)
    assert loads(TEXT + later + earlier).amended().grant.phase("B").end == date(2027, 3, 31)
    # Ä-1 extended A into 2023: a line of A may get money in 2023, not in 2024
    assert loads(TEXT + amendment("Ä-2", "2023-01-10", line="A-5", amounts="2023 = 100000.00"))


def test_replanning_before_the_extension_is_decided_is_an_error(tmp_path: Path) -> None:
    # the extension is decided after the re-planning: in date order 2027 is still outside B
    extension = amendment("Ä-3", "2025-03-01", phase="B", new_end="2027-03-31")
    replan = amendment("Ä-2", "2025-01-15", line="B-1.1", amounts="2026 = 200000.00, 2027 = 1.00")
    problem = single(load_error(tmp_path, TEXT + extension + replan))
    assert problem.path == "amendments[2].lines[0].amounts.2027"
    assert problem.value == 2027


def test_replanning_line_of_a_phase_into_a_year_after_its_extension(tmp_path: Path) -> None:
    text = TEXT + amendment("Ä-2", "2023-01-10", line="A-5", amounts="2024 = 100000.00")
    problem = single(load_error(tmp_path, text))
    assert problem.path == "amendments[1].lines[0].amounts.2024"
    assert problem.value == 2024
    assert "Phase A" in problem.message


# Payouts, requests, settings -----------------------------------------------------------------


def test_payout_with_unknown_phase(tmp_path: Path) -> None:
    problem = single(load_error(tmp_path, TEXT + payout("C", "2022-03-15")))
    assert problem.path == "payouts[0].phase"
    assert problem.value == "C"
    assert "A, B" in problem.message


def test_payout_before_the_decision(tmp_path: Path) -> None:
    exc = load_error(tmp_path, TEXT + payout("A", "2021-11-30"))
    problem = single(exc)
    assert problem.path == "payouts[0].paid_on"
    assert problem.value == date(2021, 11, 30)
    assert "01.12.2021" in problem.message
    assert "2021-11-30" in str(exc)


def test_payout_before_the_phase_decision(tmp_path: Path) -> None:
    # Phase B with its own Zusage: money for B before that date is refused too.
    text = variant(PHASE_B_END, PHASE_B_END + "\ndecision_date = 2022-09-15")
    assert loads(text + payout("B", "2022-09-15")).payouts
    problem = single(load_error(tmp_path, text + payout("B", "2022-06-01")))
    assert problem.path == "payouts[0].paid_on"
    assert problem.value == date(2022, 6, 1)
    assert "15.09.2022" in problem.message


def test_funder_holidays_need_funder_land(tmp_path: Path) -> None:
    text = variant(FUNDER_LAND, "") + '\n[settings]\nholiday_calendar = "funder"\n'
    exc = load_error(tmp_path, text)
    problem = single(exc)
    assert problem.path == "grant.funder_land"
    assert problem.value is None
    assert "holiday_calendar" in problem.message
    assert "funder" in problem.message


def test_unknown_holiday_calendar_setting(tmp_path: Path) -> None:
    text = TEXT + '\n[settings]\nholiday_calendar = "bund"\n'
    problem = single(load_error(tmp_path, text))
    assert problem.path == "settings.holiday_calendar"
    assert problem.value == "bund"


def test_interim_request_due_before_requested(tmp_path: Path) -> None:
    exc = load_error(tmp_path, TEXT + interim_request("B", "2024-03-01", "2024-02-29"))
    problem = single(exc)
    assert problem.path == "interim_requests[0].due"
    assert problem.value == date(2024, 2, 29)
    assert "01.03.2024" in problem.message


def test_interim_request_with_unknown_phase(tmp_path: Path) -> None:
    problem = single(load_error(tmp_path, TEXT + interim_request("C", "2024-03-01", "2024-04-30")))
    assert problem.path == "interim_requests[0].phase"
    assert problem.value == "C"
    assert "A, B" in problem.message


# Dates the holiday data does not cover -------------------------------------------------------


def test_covered_years_are_1991_to_2100() -> None:
    years = covered_years()
    assert years.start == 1991
    assert years.stop - 1 == 2100


def test_phase_end_after_2100_is_refused_on_load() -> None:
    # A date of the case outside the holiday data is refused when the file is read, naming
    # the range; only deadlines computed from dates inside it can still fall after 2100.
    with pytest.raises(CaseError) as info:
        loads(variant(PHASE_B_END, "end = 2101-03-31"))
    message = str(info.value)
    assert "grant.phases[1].end" in message
    assert "2101-03-31" in message
    assert "01.01.1991–31.12.2100" in message


def test_proof_of_use_after_2100_raises_calendar_error() -> None:
    # ANBest-Gk: proof of use one year after the approval period; the phase itself is covered.
    fine = fm.evaluate(simple_case(phase_extra={"end": "2099-12-31"}), AS_OF)
    assert deadline(fine, "proof-of-use:P").end == date(2100, 12, 31)
    case = simple_case(phase_extra={"end": "2100-12-31"})
    with pytest.raises(CalendarError, match="2101") as info:
        fm.evaluate(case, AS_OF)
    assert isinstance(info.value, FoerdermittelError)
    assert isinstance(info.value, ValueError)
    assert "1991" in str(info.value)
    assert "2100" in str(info.value)


@pytest.mark.parametrize("day", [date(1989, 5, 1), date(1990, 10, 3), date(2101, 1, 3)])
def test_is_working_day_outside_the_data_raises(day: date) -> None:
    assert day.weekday() < 5  # a weekday: only the holiday data can answer
    with pytest.raises(CalendarError) as info:
        HolidayCalendar("NW").is_working_day(day)
    assert str(day.year) in str(info.value)
    assert "1991" in str(info.value)


def test_is_working_day_at_the_edges_of_the_data() -> None:
    nw = HolidayCalendar("NW")
    assert not nw.is_working_day(date(1991, 1, 1))  # Neujahr
    assert nw.is_working_day(date(1991, 1, 2))
    assert nw.is_working_day(date(2100, 12, 31))  # a Friday
    assert not nw.is_working_day(date(2100, 12, 25))


@pytest.mark.parametrize("command", ["report", "deadlines"])
def test_cli_date_outside_the_data_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    path = write(tmp_path, variant(PHASE_B_END, "end = 2101-03-31"))
    ics = tmp_path / "fristen.ics"
    extra = ["--ics", str(ics)] if command == "deadlines" else []
    status = cli.main([command, str(path), "--as-of", "2025-06-30", *extra])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("foerdermittel: ")
    assert "2101" in lines[0]
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fall.toml"]  # no calendar written


# The command line on bad records -------------------------------------------------------------

CLI_CASES = {
    "land": (variant(LAND, 'land = "XX"'), "grant.land", "'XX'"),
    "funder-land": (variant(FUNDER_LAND, 'funder_land = "XX"'), "grant.funder_land", "'XX'"),
    "amendment-phase": (
        variant(EXTENSION_A, EXTENSION_A.replace('phase = "A"', 'phase = "C"')),
        "amendments[0].phases[0].phase",
        "'C'",
    ),
    "no-extension": (
        variant(EXTENSION_A, EXTENSION_A.replace("2023-06-30", "2022-11-30")),
        "amendments[0].phases[0].new_end",
        "2022-11-30",
    ),
    "payout": (TEXT + payout("A", "2021-11-30"), "payouts[0].paid_on", "2021-11-30"),
    "request": (
        TEXT + interim_request("B", "2024-03-01", "2024-02-29"),
        "interim_requests[0].due",
        "2024-02-29",
    ),
}


@pytest.mark.parametrize("command", ["report", "deadlines"])
@pytest.mark.parametrize("name", list(CLI_CASES))
def test_cli_bad_record_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, name: str
) -> None:
    text, field, value = CLI_CASES[name]
    path = write(tmp_path, text)
    status = cli.main([command, str(path), "--as-of", "2025-06-30"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"foerdermittel: {path}: {field}: ")
    assert value in lines[0]
    assert "Traceback" not in err


# Submissions naming no deadline --------------------------------------------------------------


@pytest.mark.parametrize("bad", ["proof-of-use:C", "Proof-of-use:A", "verwendungsnachweis"])
def test_submission_for_unknown_deadline_is_a_warning(bad: str) -> None:
    text = TEXT + f'\n[[submissions]]\ndeadline = "{bad}"\nsubmitted_on = 2024-05-28\n'
    case = loads(text)  # not an input error
    report = fm.evaluate(case, AS_OF)
    found = [f for f in report.findings if f.code == "submission-unknown-deadline"]
    assert len(found) == 1
    finding = found[0]
    assert finding.severity is Severity.WARNING
    assert repr(bad) in finding.message
    for valid in ("proof-of-use:A", "proof-of-use:B", "phase-end:A", "retention:B"):
        assert valid in finding.message
    # the known deadlines are unaffected
    assert deadline(report, "proof-of-use:A").submitted_on == date(2024, 5, 28)
    assert not report.has_errors


def test_example_submissions_name_known_deadlines() -> None:
    report = fm.evaluate(loads(TEXT), AS_OF)
    assert "submission-unknown-deadline" not in {f.code for f in report.findings}


def test_cli_unknown_submission_still_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TEXT + '\n[[submissions]]\ndeadline = "proof-of-use:C"\nsubmitted_on = 2024-05-28\n'
    status = cli.main(["report", str(write(tmp_path, text)), "--as-of", "2025-06-30"])
    out = capsys.readouterr().out
    assert status == 0  # a warning, not an error
    assert "[Warnung] Erledigungen:" in out
    assert "'proof-of-use:C'" in out
