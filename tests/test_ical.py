"""The iCalendar export: structure, stable UIDs, reproducible bytes, reminders, atomic writes.

The calendars are parsed back with ``icalendar.Calendar.from_ical`` and compared with the
deadlines of the report they came from (``foerdermittel.evaluate(case, as_of).deadlines``).
Events are matched to deadlines by the ``Kennung:`` line of their description.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import icalendar
import pytest

import foerdermittel as fm
from foerdermittel import cli
from foerdermittel.export import ical

from .common import bochum_text_without_records

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bochum-mpsc.toml"
TEXT = bochum_text_without_records()  # no ledger file beside a copy in tmp_path
AS_OF = date(2025, 6, 30)

# A second extension: phase B (ends 30.09.2026) extended to 31.03.2027, decided 15.01.2025.
EXTEND_B = """
[[amendments]]
id = "Ä-2 (Test)"
title = "Kostenneutrale Verlängerung der Umsetzungsphase bis 31.03.2027"
applied_on = 2024-12-02
decided_on = 2025-01-15

[[amendments.phases]]
phase = "B"
new_end = 2027-03-31
"""


def example_case() -> fm.Case:
    return fm.loads_case(TEXT, fmt="toml")


def example_report(as_of: date = AS_OF) -> fm.Report:
    return fm.evaluate(example_case(), as_of)


def example_data() -> dict[str, Any]:
    return tomllib.loads(TEXT, parse_float=Decimal)


def parse(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return [c for c in calendar.subcomponents if c.name == "VEVENT"]


def deadline_id(event: icalendar.Event) -> str:
    """The deadline id an event names in the last line of its description."""
    lines = str(event["DESCRIPTION"]).splitlines()
    assert lines[-1].startswith("Kennung: "), lines
    return lines[-1].removeprefix("Kennung: ")


def by_id(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    found = {deadline_id(e): e for e in events(calendar)}
    assert len(found) == len(events(calendar)), "two events name the same deadline"
    return found


def uids(calendar: icalendar.Calendar) -> list[str]:
    return [str(e["UID"]) for e in events(calendar)]


def write_case(tmp_path: Path, text: str, name: str = "fall.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# Structure -----------------------------------------------------------------------------------


def test_calendar_header() -> None:
    data = ical.to_ics(example_report())
    calendar = parse(data)
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).strip()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")


def test_one_event_per_deadline() -> None:
    report = example_report()
    assert len(report.deadlines) >= 10  # the example has deadlines of every common kind
    calendar = parse(ical.to_ics(report))
    assert len(events(calendar)) == len(report.deadlines)
    assert set(by_id(calendar)) == {d.id for d in report.deadlines}


def test_events_are_all_day_on_the_deadline() -> None:
    report = example_report()
    found = by_id(parse(ical.to_ics(report)))
    for deadline in report.deadlines:
        event = found[deadline.id]
        start = event["DTSTART"].dt
        end = event["DTEND"].dt
        # an all-day event: a date, not a datetime (datetime is a subclass of date)
        assert type(start) is date, (deadline.id, start)
        assert type(end) is date, (deadline.id, end)
        assert start == deadline.end
        assert end == deadline.end + timedelta(days=1)
        assert str(event["SUMMARY"]) == deadline.title


def test_shifted_deadline_lies_on_the_shifted_day() -> None:
    # proof-of-use:A: 01.06.2024 is a Saturday -> Monday 03.06.2024.
    report = example_report()
    proof = next(d for d in report.deadlines if d.id == "proof-of-use:A")
    assert proof.raw_end == date(2024, 6, 1)
    assert proof.end == date(2024, 6, 3)
    event = by_id(parse(ical.to_ics(report)))["proof-of-use:A"]
    assert event["DTSTART"].dt == date(2024, 6, 3)


def test_lines_are_crlf_folded_and_valid_utf8() -> None:
    data = ical.to_ics(example_report())
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line  # RFC 5545 3.1: fold at 75 octets
        line.decode("utf-8")  # a fold never splits a multi-byte character


# UIDs ----------------------------------------------------------------------------------------


def test_uids_are_unique() -> None:
    found = uids(parse(ical.to_ics(example_report())))
    assert len(found) == len(set(found))
    assert all(uid.strip() for uid in found)


@pytest.mark.parametrize("other", [date(2021, 12, 1), date(2024, 1, 15), date(2033, 1, 1)])
def test_uids_do_not_depend_on_the_key_date(other: date) -> None:
    first = uids(parse(ical.to_ics(example_report(AS_OF))))
    second = uids(parse(ical.to_ics(example_report(other))))
    assert set(first) == set(second)
    assert len(second) == len(first)


def test_uids_differ_between_grants() -> None:
    data = example_data()
    data["grant"]["id"] = "MPSC-2021-XY"
    other = fm.evaluate(fm.Case.from_data(data), AS_OF)
    mine = set(uids(parse(ical.to_ics(example_report()))))
    theirs = set(uids(parse(ical.to_ics(other))))
    assert len(theirs) == len(mine)
    assert not mine & theirs


def test_new_amendment_keeps_uids_moves_dates_and_raises_sequence() -> None:
    before_report = example_report()
    after_case = fm.loads_case(TEXT + EXTEND_B, fmt="toml")
    assert len(after_case.amendments) == len(example_case().amendments) + 1
    after_report = fm.evaluate(after_case, AS_OF)
    before = by_id(parse(ical.to_ics(before_report)))
    after = by_id(parse(ical.to_ics(after_report)))

    # Same deadlines, same UIDs: a calendar updates the events instead of adding new ones.
    assert set(after) == set(before)
    for key in before:
        assert str(after[key]["UID"]) == str(before[key]["UID"])

    # The end of phase B and the last day to apply for a change move to 31.03.2027.
    for key in ("phase-end:B", "change-application:B"):
        assert before[key]["DTSTART"].dt == date(2026, 9, 30)
        assert after[key]["DTSTART"].dt == date(2027, 3, 31)
        assert after[key]["DTEND"].dt == date(2027, 4, 1)
        assert "30.09.2026" in str(after[key]["DESCRIPTION"])  # the original date is shown
    moved = {d.id for d in after_report.deadlines if d.original_end == date(2026, 9, 30)}
    assert moved == {"phase-end:B", "change-application:B"}

    # Every event is a newer version: higher SEQUENCE, later DTSTAMP.
    for key in before:
        assert int(after[key]["SEQUENCE"]) > int(before[key]["SEQUENCE"]), key
        old_stamp = before[key]["DTSTAMP"].dt
        new_stamp = after[key]["DTSTAMP"].dt
        assert isinstance(new_stamp, datetime)
        assert new_stamp > old_stamp, key
        assert new_stamp.date() == date(2025, 1, 15)


def test_unamended_case_has_sequence_zero() -> None:
    data = example_data()
    data["amendments"] = []
    report = fm.evaluate(fm.Case.from_data(data), AS_OF)
    found = events(parse(ical.to_ics(report)))
    assert found
    assert {int(e["SEQUENCE"]) for e in found} == {0}
    assert {e["DTSTAMP"].dt.date() for e in found} == {date(2021, 12, 1)}


# Reproducible bytes --------------------------------------------------------------------------


def test_same_input_gives_same_bytes() -> None:
    first = ical.to_ics(example_report())
    second = ical.to_ics(example_report())
    assert first == second
    assert ical.to_ics(fm.evaluate(fm.loads_case(TEXT + EXTEND_B, fmt="toml"), AS_OF)) != first


def test_cli_writes_the_same_file_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "eins.ics"
    second = tmp_path / "zwei.ics"
    source = tmp_path / "fall.toml"
    source.write_text(TEXT, encoding="utf-8")
    argv = ["deadlines", str(source), "--as-of", "2025-06-30", "--ics"]
    assert cli.main([*argv, str(first)]) == 0
    assert cli.main([*argv, str(second)]) == 0
    out = capsys.readouterr().out
    assert "Fristen Stadt Bochum" in out
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == ical.to_ics(example_report())
    # writing over an existing file gives the same bytes again and leaves no stray file
    assert cli.main([*argv, str(first)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eins.ics", "fall.toml", "zwei.ics"]


# Reminders -----------------------------------------------------------------------------------


def alarms_of(event: icalendar.Event) -> list[Any]:
    return [c for c in event.subcomponents if c.name == "VALARM"]


def test_every_action_deadline_has_its_reminder() -> None:
    # On 30.06.2025 the city still has to apply for a change of phase B and file the proof of
    # use of phase B; everything else is met, passed or needs no action.
    report = example_report()
    found = by_id(parse(ical.to_ics(report)))
    reminded = {d for d, event in found.items() if alarms_of(event)}
    assert reminded == {"change-application:B", "proof-of-use:B"}
    for deadline_id_ in reminded:
        (alarm,) = alarms_of(found[deadline_id_])
        assert alarm["TRIGGER"].dt == timedelta(days=-14)
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"]).startswith("In 14 Tagen: ")
        assert "Erinnerung 14 Tage vorher" in str(found[deadline_id_]["DESCRIPTION"])


def test_no_reminder_where_nothing_is_to_be_done() -> None:
    report = example_report()
    found = by_id(parse(ical.to_ics(report)))
    for deadline in report.deadlines:
        description = str(found[deadline.id]["DESCRIPTION"])
        quiet = deadline.kind in {"phase_end", "retention"} or deadline.status in {
            fm.DeadlineStatus.MET,
            fm.DeadlineStatus.PASSED,
        }
        assert (alarms_of(found[deadline.id]) == []) == quiet, deadline.id
        if quiet:
            assert "keine Erinnerung" in description, deadline.id
    met = found["proof-of-use:A"]
    assert "Erledigt am 28.05.2024: keine Erinnerung" in str(met["DESCRIPTION"])
    retention = found["retention:B"]
    assert "Keine Handlung erforderlich: keine Erinnerung" in str(retention["DESCRIPTION"])


def test_every_open_action_deadline_of_the_bochum_calendar_is_reminded() -> None:
    # With its payouts and ledger, early in phase B: the use window of the part of A-3 paid
    # ahead of its expenditure, the council condition and the proof of use are all still ahead
    # and all carry the reminder (the payouts that reimburse expenditure already paid have no
    # use window).
    case = fm.attach_ledger(fm.load_case(EXAMPLE), base_dir=EXAMPLE.parent)
    report = fm.evaluate(case, date(2022, 1, 10))
    found = by_id(parse(ical.to_ics(report)))
    action = [d for d in report.deadlines if d.kind not in {"phase_end", "retention"}]
    assert len(action) > 5
    assert [d.id for d in action if d.kind == "use_window"] == ["use-window:A-3"]
    for deadline in action:
        if deadline.status in {fm.DeadlineStatus.OPEN, fm.DeadlineStatus.DUE_SOON}:
            assert len(alarms_of(found[deadline.id])) == 1, deadline.id


def test_reminder_days_can_be_chosen() -> None:
    found = by_id(parse(ical.to_ics(example_report(), reminder_days=30)))
    (alarm,) = alarms_of(found["proof-of-use:B"])
    assert alarm["TRIGGER"].dt == timedelta(days=-30)
    assert str(alarm["DESCRIPTION"]).startswith("In 30 Tagen: ")
    with pytest.raises(ValueError, match="mindestens 1"):
        ical.to_ics(example_report(), reminder_days=0)


def test_descriptions_do_not_repeat_the_trigger_date() -> None:
    case = fm.attach_ledger(fm.load_case(EXAMPLE), base_dir=EXAMPLE.parent)
    found = by_id(parse(ical.to_ics(fm.evaluate(case, AS_OF))))
    for deadline_id_, event in found.items():
        first = str(event["DESCRIPTION"]).splitlines()[0]
        dates = re.findall(r"\d{2}\.\d{2}\.\d{4}", first)
        assert len(dates) == len(set(dates)), (deadline_id_, first)
    first = str(found["use-window:A-3"]["DESCRIPTION"]).splitlines()[0]
    assert first == "binnen 6 Wochen nach Auszahlung (ab Auszahlung A-3 am 20.01.2023)"


# German text ---------------------------------------------------------------------------------


def test_umlauts_survive() -> None:
    report = example_report()
    data = ical.to_ics(report)
    text = data.decode("utf-8")
    assert "Änderungs" in text
    found = by_id(parse(data))
    change = found["change-application:A"]
    assert str(change["SUMMARY"]) == (
        "Letzter Tag für einen Änderungs- oder Verlängerungsantrag Phase A"
    )
    description = str(found["proof-of-use:A"]["DESCRIPTION"])
    assert "spätestens" in description
    assert "maßgeblich" in description
    calname = str(parse(data)["X-WR-CALNAME"])
    assert "Stadt Bochum" in calname


def test_description_has_legal_source_and_shift_reason() -> None:
    report = example_report()
    found = by_id(parse(ical.to_ics(report)))
    shifted = [d for d in report.deadlines if d.shift_reason]
    assert shifted  # proof-of-use:A moves off a weekend
    for deadline in report.deadlines:
        description = str(found[deadline.id]["DESCRIPTION"])
        assert deadline.legal_source in description, deadline.id
        if deadline.shift_reason:
            assert deadline.shift_reason in description, deadline.id
            assert "→ nächster Arbeitstag" in description
        else:
            assert "Verschoben" not in description, deadline.id
    proof = str(found["proof-of-use:A"]["DESCRIPTION"])
    assert "01.06.2024 ist ein Samstag" in proof
    assert "30.11.2023" in proof  # the date before the amendment


# User text that looks like iCalendar syntax --------------------------------------------------

SYNTAX = {
    "semicolon": "Stadt Bochum; Amt 20",
    "comma": "Stadt Bochum, Amt 20",
    "colon": "Stadt Bochum: END:VEVENT",
    "end-vevent": "END:VEVENT",
    "end-vcalendar": "END:VCALENDAR",
    "params": 'X;VALUE=DATE:20250101;TZID="a,b"',
}
UNESCAPED = {
    "lf": "Stadt Bochum\nEND:VEVENT",
    "crlf": "Stadt Bochum\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:fremd\r\nEND:VEVENT",
    "lf-only": "A\nB",
    "cr": "Stadt Bochum\rEND:VEVENT",
    "backslash": "Stadt\\nBochum\\",
}


def unescape(text: str) -> str:
    """An RFC 5545 TEXT value (3.3.11) as the user wrote it."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)


def one_break(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _case_with(field: str, value: str) -> fm.Case:
    data = example_data()
    data["grant"][field] = value
    return fm.Case.from_data(data)


def _check_structure(case: fm.Case, field: str, value: str) -> None:
    report = fm.evaluate(case, AS_OF)
    data = ical.to_ics(report)
    calendar = parse(data)
    assert len(events(calendar)) == len(report.deadlines)
    assert set(by_id(calendar)) == {d.id for d in report.deadlines}
    assert len(set(uids(calendar))) == len(report.deadlines)
    # the text comes back as written, in the calendar's name (X- properties are TEXT)
    assert one_break(value) in one_break(unescape(str(calendar["X-WR-CALNAME"])))
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")  # no bare CR a reader may take as a break
    if field == "id":
        assert all("\n" not in uid and "\r" not in uid for uid in uids(calendar))


@pytest.mark.parametrize("field", ["id", "recipient"])
@pytest.mark.parametrize("value", list(SYNTAX.values()), ids=list(SYNTAX))
def test_syntax_in_user_text_cannot_break_structure(field: str, value: str) -> None:
    _check_structure(_case_with(field, value), field, value)


@pytest.mark.parametrize("field", ["id", "recipient"])
@pytest.mark.parametrize("value", list(UNESCAPED.values()), ids=list(UNESCAPED))
def test_newline_in_user_text_cannot_break_structure(field: str, value: str) -> None:
    _check_structure(_case_with(field, value), field, value)


def test_calendar_name_is_escaped_as_text() -> None:
    data = ical.to_ics(fm.evaluate(_case_with("recipient", "Stadt Bochum; Amt 20, Bochum"), AS_OF))
    line = next(x for x in data.split(b"\r\n") if x.startswith(b"X-WR-CALNAME"))
    assert b"Stadt Bochum\\; Amt 20\\, Bochum" in line


def test_cli_newline_in_recipient_writes_a_valid_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TEXT.replace('recipient = "Stadt Bochum"', 'recipient = "Stadt Bochum\\nEND:VEVENT"')
    assert text != TEXT
    path = write_case(tmp_path, text)
    out = tmp_path / "fristen.ics"
    status = cli.main(["deadlines", str(path), "--as-of", "2025-06-30", "--ics", str(out)])
    capsys.readouterr()
    assert status == 0
    assert len(events(parse(out.read_bytes()))) == len(example_report().deadlines)


# Atomic writes -------------------------------------------------------------------------------


def test_write_creates_the_file(tmp_path: Path) -> None:
    target = tmp_path / "fristen.ics"
    report = example_report()
    ical.write(report, target)
    assert target.read_bytes() == ical.to_ics(report)
    ical.write(report, str(target))  # a str path works too, and overwrites
    assert target.read_bytes() == ical.to_ics(report)
    assert [p.name for p in tmp_path.iterdir()] == ["fristen.ics"]


def test_write_keeps_old_file_when_export_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fristen.ics"
    target.write_bytes(b"alt\r\n")
    report = example_report()

    def broken(_report: fm.Report, **_options: object) -> bytes:
        raise RuntimeError("Abbruch beim Erzeugen")

    monkeypatch.setattr(ical, "to_ics", broken)
    with pytest.raises(RuntimeError, match="Abbruch"):
        ical.write(report, target)
    assert target.read_bytes() == b"alt\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["fristen.ics"]


def test_write_keeps_old_file_when_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fristen.ics"
    target.write_bytes(b"alt\r\n")
    report = example_report()
    seen: list[str] = []

    def broken(src: str, dst: object) -> None:
        seen.append(str(src))
        assert Path(src).exists()  # the new content was written to a temporary file
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="No space"):
        ical.write(report, target)
    assert len(seen) == 1
    assert Path(seen[0]).parent == tmp_path  # beside the target, so the rename is atomic
    assert target.read_bytes() == b"alt\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["fristen.ics"]


def test_write_keeps_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fristen.ics"
    target.write_bytes(b"alt\r\n")
    report = example_report()
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int, mode: str) -> None:
            self.handle = real_fdopen(fd, mode)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[:10])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", Full)
    with pytest.raises(OSError, match="No space"):
        ical.write(report, target)
    assert target.read_bytes() == b"alt\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["fristen.ics"]


def test_cli_ics_into_missing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "fehlt" / "fristen.ics"
    status = cli.main(["deadlines", str(EXAMPLE), "--as-of", "2025-06-30", "--ics", str(target)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("foerdermittel:")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_ics_error_names_the_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "fehlt" / "fristen.ics"
    assert cli.main(["deadlines", str(EXAMPLE), "--ics", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"foerdermittel: {target}:" in err
