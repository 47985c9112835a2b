"""The writers report what they wrote: target, size and what the file holds."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import foerdermittel as fm
from foerdermittel.export import excel, ical
from foerdermittel.export.written import WrittenCalendar, WrittenWorkbook
from foerdermittel.io import attach_ledger

from .common import BOCHUM


@pytest.fixture(scope="module")
def report() -> fm.Report:
    case = attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    return fm.evaluate(case, date(2025, 6, 30))


def test_workbook_write_reports_sheets_and_vouchers(report: fm.Report, tmp_path: Path) -> None:
    target = tmp_path / "bochum.xlsx"
    written = excel.write(report, target)
    assert isinstance(written, WrittenWorkbook)
    assert written.path == str(target)
    assert written.size == target.stat().st_size
    book = openpyxl.load_workbook(target, read_only=True)
    assert written.sheets == len(book.sheetnames) == 9
    proof = report.proof_of_use
    assert written.vouchers == len(proof.vouchers) + len(proof.excluded) > 2000
    with pytest.raises(dataclasses.FrozenInstanceError):
        written.sheets = 1  # type: ignore[misc]


def test_workbook_write_to_a_stream(report: fm.Report) -> None:
    stream = io.BytesIO()
    written = excel.write(report, stream)
    assert stream.getvalue() == excel.to_bytes(report)
    assert written.path is None
    assert written.size == len(stream.getvalue())


def test_calendar_write_reports_events(report: fm.Report, tmp_path: Path) -> None:
    target = tmp_path / "fristen.ics"
    written = ical.write(report, str(target))
    assert written == WrittenCalendar(
        path=str(target), size=target.stat().st_size, events=len(report.deadlines)
    )
    assert written.events == target.read_bytes().count(b"BEGIN:VEVENT") > 0


def test_calendar_count_ignores_user_text() -> None:
    # An escaped or folded value that contains the words is no event of its own.
    data = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:BEGIN:VEVENT\r\n"
        b"DESCRIPTION:x\\nBEGIN:VEVENT\r\n BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert WrittenCalendar.of("x.ics", data).events == 1
