"""Every formula of the workbook stores its value: readers that do not calculate see the totals.

The Bochum workbook (with its ledger) is written in German and English and read twice with
openpyxl: with ``data_only=False`` to find the formula cells, with ``data_only=True`` to read
what a reader that does not calculate sees (the values stored with the formulas). Every
formula cell must have a value, and the totals must be the report's figures to the cent.
A property test on random small cases checks that every stored value is what its formula gives
over the stored values of the cells it refers to, and that no formula differs from the library's
figure the sheet gives for it. python-calamine, where installed, reads the same values.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

import foerdermittel as fm
from foerdermittel.export import excel
from foerdermittel.export.excel.cells import _Day, _Formula, _Sheet
from foerdermittel.export.excel.formulas import FormulaError, _insert_values, _mismatches
from foerdermittel.export.excel.package import _save, _workbook
from foerdermittel.io import attach_ledger
from foerdermittel.messages import Words

from .common import BOCHUM, simple_case

D = Decimal
AS_OF = date(2026, 11, 26)
LANGS = ("de", "en")
STAMP = datetime(2025, 6, 30)


@pytest.fixture(scope="module")
def report() -> fm.Report:
    case = attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    return fm.evaluate(case, AS_OF)


@pytest.fixture(scope="module", params=LANGS)
def lang(request: pytest.FixtureRequest) -> str:
    value = request.param
    assert isinstance(value, str)
    return value


@pytest.fixture(scope="module")
def data(report: fm.Report, lang: str) -> bytes:
    return excel.to_bytes(report, lang=lang)


@pytest.fixture(scope="module")
def values(data: bytes) -> Workbook:
    """The workbook as a reader that does not calculate sees it."""
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


@pytest.fixture(scope="module")
def formulas(data: bytes) -> dict[tuple[str, str], str]:
    """Every formula cell: (sheet, cell) → formula without ``=``."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    found: dict[tuple[str, str], str] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found[(ws.title, cell.coordinate)] = str(cell.value)[1:]
    return found


def money(value: Any) -> Decimal:
    """A stored number as the decimal it shows (``98181.82``)."""
    assert isinstance(value, int | float), value
    assert not isinstance(value, bool), value
    return D(repr(value)) if isinstance(value, float) else D(value)


def row_of(ws: Worksheet, text: str, column: int = 1, start: int = 1) -> int:
    for row in range(start, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == text:
            return row
    raise AssertionError(f"{text!r} not found in {ws.title}")


def total(items: Iterator[Decimal]) -> Decimal:
    return sum(items, D(0))


# --- every formula has its value ------------------------------------------------------------


def test_every_formula_cell_stores_a_number(
    values: Workbook, formulas: dict[tuple[str, str], str]
) -> None:
    assert len(formulas) >= 200  # the Bochum workbook has some 230 formulas
    for (sheet, ref), formula in formulas.items():
        stored = values[sheet][ref].value
        assert isinstance(stored, int | float), (sheet, ref, formula, stored)


def test_the_xml_has_a_value_after_every_formula(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = b"".join(archive.read(name) for name in sheets)
    cells = re.findall(rb"<f>[^<]*</f>(<v>[^<]*</v>|<v\s*/>|)", xml)
    assert len(cells) >= 200
    assert all(re.fullmatch(rb"<v>-?[0-9.e+-]+</v>", v) for v in cells), set(cells)


# --- the totals are the report's --------------------------------------------------------------


def test_overview_totals(report: fm.Report, values: Workbook, lang: str) -> None:
    w, fin, proof = Words(lang), report.financing, report.proof_of_use
    ws = values[excel.sheet_names(lang)[0]]
    row = row_of(ws, w("workbook.overview.financing-total"))
    # 9,880,000.00 grant + 5,320,000.00 own share + 0 + 0 = 15,200,000.00
    assert money(ws.cell(row=row, column=2).value) == fin.total == D("15200000.00")
    row = row_of(ws, w("workbook.overview.balance"))
    assert money(ws.cell(row=row, column=2).value) == proof.balance
    phases = row_of(ws, w("workbook.overview.phases"))
    sums = row_of(ws, w("text.sum"), start=phases)
    expected = {
        6: fin.eligible_expenditure,
        8: fin.grant,
        9: fin.own_share,
        10: fin.third_party,
        11: fin.other_public,
        12: fin.total,
    }
    for column, figure in expected.items():
        assert money(ws.cell(row=sums, column=column).value) == figure
    for offset, phase in enumerate(fin.phases, 1):
        assert money(ws.cell(row=phases + 1 + offset, column=12).value) == phase.total


def test_own_share_totals(report: fm.Report, values: Workbook, lang: str) -> None:
    w, years = Words(lang), report.own_share.years
    ws = values[excel.sheet_names(lang)[4]]
    first = 3
    sums = row_of(ws, w("text.sum"), start=first)
    assert sums == first + len(years)
    fields = {
        2: "expenditure",
        3: "grant_share",
        4: "third_party_share",
        5: "own_share",
        6: "in_kind",
        7: "cash",
        8: "ineligible",
    }
    for column, field in fields.items():
        figure = total(getattr(year, field) for year in years)
        assert money(ws.cell(row=sums, column=column).value) == figure, field
    gaps = D(0)
    for offset, year in enumerate(years):
        assert year.budgeted is not None  # the Bochum case states the council's budget
        gap = money(ws.cell(row=first + offset, column=11).value)
        assert gap == year.burden - year.budgeted  # Lücke/Reserve
        gaps += gap
    assert money(ws.cell(row=sums, column=11).value) == gaps
    budgeted = total(y.budgeted for y in years if y.budgeted is not None)
    assert money(ws.cell(row=sums, column=10).value) == budgeted


def test_proof_of_use_totals(report: fm.Report, values: Workbook, lang: str) -> None:
    w, proof, fin = Words(lang), report.proof_of_use, report.financing
    assert proof.totals is not None
    ws = values[excel.sheet_names(lang)[6]]
    income = row_of(ws, w("text.proof.income.title"))
    sums = row_of(ws, w("text.sum"), start=income)
    assert money(ws.cell(row=sums, column=3).value) == fin.total
    assert money(ws.cell(row=sums, column=5).value) == proof.totals.counted_eligible
    lines = row_of(ws, w("text.proof.lines.title"))
    sums = row_of(ws, w("text.sum"), start=lines)
    assert money(ws.cell(row=sums, column=4).value) == fin.eligible_expenditure
    assert money(ws.cell(row=sums, column=6).value) == total(line.actual for line in proof.lines)
    for offset, line in enumerate(proof.lines, 2):
        assert money(ws.cell(row=lines + offset, column=7).value) == line.difference
    payments = row_of(ws, w("workbook.proof.payments"))
    sums = row_of(ws, w("text.sum"), start=payments)
    stored = [money(ws.cell(row=sums, column=c).value) for c in (3, 4, 5, 6, 8)]
    assert stored == [proof.approved, proof.final, proof.paid, proof.balance, proof.refund]
    interim_rows = {"(14)": "expenditure", "(18)": "federal_share", "(20)": "cash_balance"}
    start = row_of(ws, w("workbook.proof.interim"))
    for interim in proof.interim:
        for label, field in interim_rows.items():
            start = row_of(ws, label, start=start)
            assert money(ws.cell(row=start, column=3).value) == getattr(interim, field)


def test_voucher_list_total(report: fm.Report, values: Workbook, lang: str) -> None:
    proof = report.proof_of_use
    ws = values[excel.sheet_names(lang)[-1]]
    row = row_of(ws, Words(lang)("workbook.vouchers.total", count=len(proof.vouchers)))
    amounts = total(v.amount for v in proof.vouchers)
    nets = total(v.net_amount for v in proof.vouchers if v.net_amount is not None)
    assert money(ws.cell(row=row, column=3).value) == amounts
    assert money(ws.cell(row=row, column=4).value) == nets


def test_reconciliation_differences(report: fm.Report, values: Workbook, lang: str) -> None:
    ws = values[excel.sheet_names(lang)[7]]
    for offset, check in enumerate(report.reconciliation.checks):
        assert money(ws.cell(row=3 + offset, column=6).value) == check.difference, check.name


def test_financing_and_drawdown_plan_totals(report: fm.Report, values: Workbook, lang: str) -> None:
    w = Words(lang)
    plan = values[excel.sheet_names(lang)[1]]
    grand = row_of(plan, w("workbook.financing-plan.total"))
    years = sorted({year for line in report.plan.lines for year in line.amounts})
    column = 5 + len(years)  # the sum column after the years
    assert money(plan.cell(row=grand, column=column).value) == report.financing.eligible_expenditure
    for offset, year in enumerate(years):
        figure = total(line.amounts.get(year, D(0)) for line in report.plan.lines)
        assert money(plan.cell(row=grand, column=5 + offset).value) == figure
    calls = values[excel.sheet_names(lang)[2]]
    row = row_of(calls, w("workbook.drawdown-plan.all-calls"))
    assert money(calls.cell(row=row, column=3).value) == report.drawdowns.total
    for offset, call in enumerate(report.drawdowns.calls):
        assert money(calls.cell(row=3 + offset, column=8).value) == call.cumulative


def test_no_formula_differs_from_the_library_figure(report: fm.Report, lang: str) -> None:
    wb, _ = _workbook(report, Words(lang))
    assert [m for ws in wb.worksheets for m in _mismatches(ws)] == []


def test_same_report_same_bytes(report: fm.Report, data: bytes, lang: str) -> None:
    assert excel.to_bytes(report, lang=lang) == data


def test_python_calamine_reads_the_totals(report: fm.Report) -> None:
    calamine = pytest.importorskip("python_calamine")
    data = excel.to_bytes(report)
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    formulas = {
        (ws.title, cell.coordinate)
        for ws in openpyxl.load_workbook(io.BytesIO(data)).worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }
    read: dict[str, list[list[Any]]] = {}
    for sheet, ref in formulas:
        if sheet not in read:
            read[sheet] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        assert match is not None
        row, column = int(match.group(2)) - 1, column_index_from_string(match.group(1)) - 1
        value = read[sheet][row][column]
        assert isinstance(value, int | float), (sheet, ref, value)
        assert not isinstance(value, bool), (sheet, ref)
    # the Belegliste's sum and the Übersicht's "Finanzierung gesamt" as calamine reads them
    proof, names = report.proof_of_use, excel.sheet_names()
    vouchers = book.get_sheet_by_name(names[-1]).to_python(skip_empty_area=False)
    amounts = total(v.amount for v in proof.vouchers)
    label = Words("de")("workbook.vouchers.total", count=len(proof.vouchers))
    (total_row,) = [r for r in vouchers if r[0] == label]
    assert money(total_row[2]) == amounts
    overview = book.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
    (row,) = [r for r in overview if r[0] == "Finanzierung gesamt"]
    assert money(row[1]) == report.financing.total


# --- the formula language: exactly what the sheets use --------------------------------------


def _one_sheet(*cells: tuple[str, object]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    s = _Sheet(ws, Words("de"), [10, 10, 10])
    for ref, value in cells:
        match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        assert match is not None
        column, row = column_index_from_string(match.group(1)), int(match.group(2))
        s.put(row, column, value)  # type: ignore[arg-type]
    return wb


def _stored(data: bytes) -> dict[str, Any]:
    ws = openpyxl.load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    return {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row}


def test_the_forms_the_sheets_use() -> None:
    # A1 10.10, A2 20.20, A3 text, A4 empty; B1 = SUM(A1:A4) = 30.30 (text and empty count 0),
    # B2 = B1-A1+A2 = 30.30 - 10.10 + 20.20 = 40.40, B3 = B2 = 40.40, C1 = 0.25 + 0.5 = 75 %
    wb = _one_sheet(
        ("A1", D("10.10")),
        ("A2", D("20.20")),
        ("A3", "=SUM(A1)"),  # text, stays text
        ("B1", _Formula("SUM(A1:A4)")),
        ("B2", _Formula("B1-A1+A2", value=D("40.40"))),
        ("B3", _Formula("B2")),
        ("C2", D("0.25")),
        ("C3", D("0.5")),
        ("C1", _Formula("SUM(C2:C3)", "0.00%")),
    )
    stored = _stored(_save(wb, STAMP))
    assert stored["B1"] == 30.3
    assert stored["B2"] == 40.4
    assert stored["B3"] == 40.4
    assert stored["C1"] == 0.75
    assert stored["A3"] == "=SUM(A1)"
    assert _mismatches(wb.worksheets[0]) == []


@pytest.mark.parametrize(
    ("formula", "cells"),
    [
        ("AVERAGE(A1:A2)", ()),
        ("A1*2", ()),
        ("SUM(A1:A2,B1)", ()),
        ("'Übersicht'!B2", ()),
        ("$A$1", ()),
        ("-A1", ()),
        ("A1+", ()),
        ("sum(A1:A2)", ()),
        ("SUM(A2:A1)", ()),
        ("A1+A2", (("A1", "Text"),)),  # text as a term: #VALUE! in Excel
        ("SUM(A1:A2)", (("A1", date(2025, 1, 1)),)),  # a date would need a day serial
        ("SUM(A1:A2)", (("A2", _Day(date(2025, 1, 1), "MM.YYYY")),)),
        ("C1", (("D1", _Formula("C1")),)),  # circular
    ],
)
def test_other_formulas_are_refused(formula: str, cells: tuple[tuple[str, object], ...]) -> None:
    wb = _one_sheet(*cells, ("C1", _Formula(formula)))
    with pytest.raises(FormulaError, match="C1"):
        _save(wb, STAMP)


def test_a_formula_cell_without_its_value_is_refused() -> None:
    xml = b'<sheetData><row r="1"><c r="A1"><f>B1</f><v/></c></row></sheetData>'
    with pytest.raises(FormulaError, match="A1"):
        _insert_values(xml, {}, "xl/worksheets/sheet1.xml")
    filled = _insert_values(xml, {"A1": "2.5"}, "xl/worksheets/sheet1.xml")
    assert filled == b'<sheetData><row r="1"><c r="A1"><f>B1</f><v>2.5</v></c></row></sheetData>'
    with pytest.raises(FormulaError, match="ohne Zelle: B7"):
        _insert_values(xml, {"A1": "2.5", "B7": "1"}, "xl/worksheets/sheet1.xml")


def test_a_difference_from_the_library_figure_is_found() -> None:
    wb = _one_sheet(("A1", D("1.00")), ("A2", _Formula("A1", value=D("1.01"))))
    (found,) = _mismatches(wb.worksheets[0])
    assert (found.cell, found.result, found.figure) == ("Sheet!A2", D("1.00"), D("1.01"))
    # the workbook stores what the formula gives (what Excel shows), not the figure
    assert _stored(_save(wb, STAMP))["A2"] == 1


# --- random cases: every stored value is its formula over the stored values ------------------

_REF = re.compile(r"([+-]?)(?:SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)|([A-Z]+)(\d+))")
amounts = st.decimals(min_value=D("0.01"), max_value=D("900000.00"), places=2, allow_nan=False)


@st.composite
def small_reports(draw: st.DrawFn) -> fm.Report:
    """One phase 2024–2025, one to three lines, a few vouchers, calls and a council budget."""
    count = draw(st.integers(1, 3))
    lines = [
        {
            "id": f"L{i}",
            "title": f"Ansatz {i}",
            "phase": "P",
            "category": draw(st.sampled_from(["material", "own_staff", "external_services"])),
            "amounts": {2024: str(draw(amounts)), 2025: str(draw(amounts))},
        }
        for i in range(count)
    ]
    eligible = sum((D(a) for line in lines for a in line["amounts"].values()), D(0))
    data: dict[str, Any] = {
        "grant": {
            "id": "T-1",
            "funder": "Bund",
            "recipient": "Stadt Musterstadt",
            "land": "NW",
            "funder_land": "NW",
            "rulebook": "anbest-gk-2019",
            "decision_date": "2023-12-15",
            "financing_type": "anteilfinanzierung",
            "rate": str(draw(st.sampled_from([D("0.5"), D("0.65"), D("0.8"), D("0.9")]))),
            "phases": [
                {
                    "id": "P",
                    "title": "Projekt",
                    "start": "2024-01-01",
                    "end": "2025-12-31",
                    "eligible_expenditure": str(eligible),
                }
            ],
        },
        "plan": {"lines": lines, "sources": []},
    }
    if draw(st.booleans()):
        data["plan"]["sources"].append(
            {"id": "S1", "kind": "third_party", "title": "Stiftung", "phase": "P", "amount": "1000"}
        )
    if draw(st.booleans()):
        data["council_budget"] = {"2024": str(draw(amounts)), "2025": str(draw(amounts))}
    payouts = draw(st.lists(amounts, max_size=3))
    data["payouts"] = [
        {
            "id": f"A-{i}",
            "phase": "P",
            "amount": str(amount),
            "requested_on": (date(2024, 2, 1) + timedelta(days=120 * i)).isoformat(),
            "paid_on": (date(2024, 2, 15) + timedelta(days=120 * i)).isoformat(),
        }
        for i, amount in enumerate(payouts)
    ]
    case = fm.Case.from_data(data)
    vouchers = tuple(
        fm.Expenditure(
            id=f"V{i}",
            line=f"L{draw(st.integers(0, count - 1))}",
            paid_on=date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700))),
            amount=amount,
            net_amount=amount if draw(st.booleans()) else None,
        )
        for i, amount in enumerate(draw(st.lists(amounts, max_size=6)))
    )
    if vouchers:
        case = case.model_copy(update={"expenditures": vouchers})
    as_of = date(2024, 6, 30) + timedelta(days=draw(st.integers(0, 900)))
    return fm.evaluate(case, as_of)


def _close(a: Decimal, b: Decimal) -> bool:
    """Equal but for the last digit of a double (the stored values are doubles)."""
    return abs(a - b) <= D("1e-9") * max(D(1), abs(a))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=small_reports(), lang=st.sampled_from(LANGS))
def test_every_stored_value_is_its_formula_over_the_stored_values(
    report: fm.Report, lang: str
) -> None:
    wb, _ = _workbook(report, Words(lang))
    assert [m for ws in wb.worksheets for m in _mismatches(ws)] == []
    data = excel.to_bytes(report, lang=lang)
    stored = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    book = openpyxl.load_workbook(io.BytesIO(data))
    checked = 0
    for ws in book.worksheets:
        cached = stored[ws.title]

        def number(column: int, row: int, *, in_range: bool, sheet: Worksheet = cached) -> Decimal:
            value = sheet.cell(row=row, column=column).value
            if value is None or (in_range and isinstance(value, str)):
                return D(0)
            return money(value)

        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                text = str(cell.value)[1:]
                result = D(0)
                for sign, c1, r1, c2, r2, c, r in _REF.findall(text):
                    factor = -1 if sign == "-" else 1
                    if c:
                        result += factor * number(
                            column_index_from_string(c), int(r), in_range=False
                        )
                        continue
                    for col in range(
                        column_index_from_string(c1), column_index_from_string(c2) + 1
                    ):
                        for rr in range(int(r1), int(r2) + 1):
                            result += factor * number(col, rr, in_range=True)
                value = money(cached[cell.coordinate].value)
                assert _close(value, result), (ws.title, cell.coordinate, text, value, result)
                checked += 1
    assert checked > 0


def test_user_text_that_looks_like_a_formula_cell_stays_text() -> None:
    # the values are filled into the sheet XML by cell reference; text that spells a formula
    # cell is escaped in its inline string and neither gets a value nor confuses the count
    trap = '<c r="B2"><f>A1</f><v/></c>'
    case = simple_case(grant_extra={"recipient": trap, "funder": "=SUM(A1:A2)"})
    report = fm.evaluate(case, date(2025, 6, 30))
    data = excel.to_bytes(report)
    stored = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    overview = stored[excel.sheet_names()[0]]
    texts = {cell.value for row in overview.iter_rows() for cell in row}
    assert {trap, "=SUM(A1:A2)"} <= texts
