"""The workbook in English: the same cells and formulas as the German one, English words.

The English workbook of the Bochum report must quote what the user and the rulebooks wrote
(names, titles, purposes, legal references) and say everything else in English: sheet names,
headings, labels, statuses, findings, document properties, chart, footers and date formats.
Its formulas are the German workbook's, cell for cell, and compute the same figures.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from defusedxml import ElementTree
from openpyxl.worksheet.worksheet import Worksheet

import foerdermittel as fm
from foerdermittel.deadline_arithmetic import DeadlineStatus
from foerdermittel.deadline_types import Deadline
from foerdermittel.drawdowns import Call
from foerdermittel.errors import Finding, NotFoundError, Severity
from foerdermittel.export import excel
from foerdermittel.financing import Reduction
from foerdermittel.model.grant import LAENDER, FinancingType
from foerdermittel.model.plan import CostCategory, SourceKind
from foerdermittel.proof import IncomeRow, LineResult, PhaseResult, Step
from foerdermittel.reconciliation import Check
from foerdermittel.report import Report
from foerdermittel.vouchers import ExcludedVoucher

from .common import BOCHUM, user_texts
from .test_english import GERMAN, GERMAN_FIGURE
from .test_excel import evaluate, formulas, money

KEY_DATES = (date(2023, 3, 31), date(2025, 6, 30), date(2026, 11, 26))

GERMAN_WORKBOOK = re.compile(
    r"\b(Übersicht|Finanzierungsplan|Mittelabrufplan|Verlauf|Fristen|Abstimmung|Kennzahl"
    r"|Betrag|laut|Berechnung|Prognose|Ist|ja|nein|keine|Seite|Tage|Monat|Haushaltsjahr"
    r"|gezählt|Gutschrift|Ausgabe|Einzelansatz|Zahlungsdatum|Belegnummer|Zuwendungsempfänger|Förderquote"
    r"|Bezeichnung|Phase [A-Z] —|Stand|Saldo|Erstattung|Zinsen|erledigt|Regel|Grund)\b"
)
GERMAN_FORMAT = re.compile(r"Tage|\[\$-407\]|DD\.MM|MM\.YYYY")


@pytest.fixture(scope="module")
def case() -> fm.Case:
    return fm.attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)


@pytest.fixture(scope="module")
def report(case: fm.Case) -> Report:
    return fm.evaluate(case, date(2025, 6, 30))


@pytest.fixture(scope="module")
def english(report: Report) -> bytes:
    return excel.to_bytes(report, lang="en")


@pytest.fixture(scope="module")
def german(report: Report) -> bytes:
    return excel.to_bytes(report)


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


# --- what the user and the rulebooks wrote --------------------------------------------------


def _quoted(report: Report) -> tuple[set[str], list[str]]:
    """Data quoted as it is: whole cells, and parts of cells (longest first)."""
    proof = report.proof_of_use
    whole = {
        text
        for v in proof.vouchers
        for text in (v.id, v.payee, v.purpose, v.reference, v.origin, v.line)
        if text
    }
    whole |= {e.voucher for e in proof.excluded} | {e.origin for e in proof.excluded if e.origin}
    whole |= {p.interest_problem for p in proof.phases if p.interest_problem}
    return whole, user_texts(report)


def _texts(book: openpyxl.Workbook) -> Iterator[tuple[str, str, str]]:
    """Every text cell: sheet, coordinate, text."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "f":
                    yield ws.title, cell.coordinate, cell.value


def _german_words(text: str, whole: set[str], parts: list[str]) -> bool:
    if text in whole:
        return False
    for quoted in parts:
        text = text.replace(quoted, "«»")
    return bool(GERMAN.search(text) or GERMAN_FIGURE.search(text) or GERMAN_WORKBOOK.search(text))


def _chart_texts(data: bytes) -> list[str]:
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        trees = [ElementTree.fromstring(archive.read(n)) for n in names]
    return [t.text for tree in trees for t in tree.iter(f"{a}t") if t.text]


# --- the tests ------------------------------------------------------------------------------


def test_german_is_the_default(report: Report, german: bytes) -> None:
    assert excel.to_bytes(report, lang="de") == german
    assert excel.sheet_names() == excel.sheet_names("de") == excel.SHEETS
    assert excel.voucher_columns("de") == excel.VOUCHER_COLUMNS
    assert excel.check_heading("de") == excel.CHECK
    formats = excel.cell_formats("de")
    assert (formats.date, formats.weekday, formats.month, formats.days) == (
        excel.DATE_FORMAT,
        excel.WEEKDAY_FORMAT,
        excel.MONTH_FORMAT,
        excel.DAYS_FORMAT,
    )
    assert (formats.money, formats.percent) == (excel.MONEY_FORMAT, excel.PERCENT_FORMAT)


def test_english_names_formats_and_heading() -> None:
    names = excel.sheet_names("en")
    assert names == (
        "Overview",
        "Financing plan",
        "Drawdown plan",
        "History",
        "Own share",
        "Deadlines",
        "Financial proof",
        "Reconciliation",
        "Voucher list",
    )
    for name in names:  # what Excel allows as a sheet name
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
    assert excel.check_heading("en") == "as computed"
    formats = excel.cell_formats("en")
    assert (formats.date, formats.weekday, formats.month, formats.days) == (
        "YYYY-MM-DD",
        "[$-809]DDD, YYYY-MM-DD",
        "YYYY-MM",
        '0 "days"',
    )
    assert formats.money == excel.MONEY_FORMAT
    with pytest.raises(NotFoundError):
        excel.sheet_names("fr")


def test_every_land_has_its_name_in_both_languages() -> None:
    from foerdermittel.messages import Words

    de, en = Words("de"), Words("en")
    for code, name in LAENDER.items():
        assert de(f"workbook.land.{code}") == name
        assert en(f"workbook.land.{code}")


def test_the_english_workbook_is_the_german_one_cell_for_cell(
    german: bytes, english: bytes
) -> None:
    de, en = _book(german), _book(english)
    assert en.sheetnames == list(excel.sheet_names("en"))
    for ws_de, ws_en in zip(de.worksheets, en.worksheets, strict=True):
        assert ws_de.dimensions == ws_en.dimensions, ws_en.title
        for row_de, row_en in zip(ws_de.iter_rows(), ws_en.iter_rows(), strict=True):
            for a, b in zip(row_de, row_en, strict=True):
                assert (a.value is None) == (b.value is None), (ws_en.title, b.coordinate)
                if a.data_type == "f" or isinstance(a.value, int | float):
                    assert a.value == b.value, (ws_en.title, b.coordinate)
                if a.number_format == '#,##0.00 "€"':
                    assert b.number_format == a.number_format


def test_the_english_formulas_compute_the_library_figures(
    english: bytes, german: bytes, report: Report
) -> None:
    en = _book(english)
    de = _book(german)
    check = excel.check_heading("en")
    cache: dict[tuple[str, str], Decimal] = {}
    found = list(formulas(en))
    assert len(found) > 100
    for ws, row, _column, formula in found:  # the same value as in the German workbook
        twin = de.worksheets[en.worksheets.index(ws)]
        assert evaluate(ws, formula, cache) == evaluate(twin, formula, cache), (ws.title, row)
    compared = 0
    for ws in en.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.value != check or cell.column < 3:
                    continue
                r, c = cell.row + 1, cell.column
                while any(v.value is not None for v in ws[r]):
                    formula = ws.cell(row=r, column=c - 1).value
                    beside = ws.cell(row=r, column=c).value
                    if isinstance(formula, str) and formula.startswith("=") and beside:
                        assert evaluate(ws, formula, cache) == money(beside), (ws.title, r)
                        compared += 1
                    r += 1
    assert compared >= 30
    expected = {
        "Grant": report.financing.grant,
        "OwnShare": report.financing.own_share,
        "FundingRate": report.grant.rate,
    }
    assert set(en.defined_names) == set(expected)
    for name, figure in expected.items():
        ((title, ref),) = list(en.defined_names[name].destinations)
        assert title == "Overview"
        assert money(en[title][ref.replace("$", "")].value) == figure


def test_the_chart_refers_to_the_english_sheet(english: bytes) -> None:
    c = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    with zipfile.ZipFile(io.BytesIO(english)) as archive:
        (name,) = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        tree = ElementTree.fromstring(archive.read(name))
    series = tree.findall(".//c:lineChart/c:ser", c)
    refs = [s.findtext("c:tx/c:strRef/c:f", namespaces=c) for s in series]
    assert refs == ["'History'!F2", "'History'!G2", "'History'!H2"]
    assert set(_chart_texts(english)) == {
        "Expenditure and drawdowns, cumulative",
        "Month",
        "Euro",
    }


@pytest.mark.parametrize("key_date", KEY_DATES, ids=str)
def test_the_english_workbook_has_no_german_words(case: fm.Case, key_date: date) -> None:
    report = fm.evaluate(case, key_date)
    data = excel.to_bytes(report, lang="en")
    book = _book(data)
    whole, parts = _quoted(report)
    left = [
        (sheet, coordinate, text)
        for sheet, coordinate, text in _texts(book)
        if _german_words(text, whole, parts)
    ]
    assert left == []
    props = book.properties
    assert props.language == "en-GB"
    assert props.subject == "Grant funding: financing, drawdowns, deadlines, proof of use"
    extra = [props.title or "", *_chart_texts(data)]
    for ws in book.worksheets:
        footer = ws.oddFooter
        assert footer is not None
        assert footer.right.text == "Page &P of &N"
        extra += [footer.center.text or "", ws.title]
        for cells in ws.iter_rows():
            for cell in cells:
                assert not GERMAN_FORMAT.search(cell.number_format), (ws.title, cell.coordinate)
    assert [t for t in extra if _german_words(t, whole, parts)] == []


def test_a_workbook_without_vouchers_in_english() -> None:
    case = fm.load_case(BOCHUM).model_copy(update={"ledger": None})
    report = fm.evaluate(case, date(2025, 6, 30))
    book = _book(excel.to_bytes(report, lang="en"))
    sheet = book["Financial proof"]
    assert "No vouchers recorded: without a ledger there is nothing to prove." in (
        [cell.value for cell in sheet["A"]]
    )
    assert book["Voucher list"]["A3"].value == "no vouchers recorded"


_DEPRECATED: list[tuple[Any, str]] = [
    (Finding, "message"),
    (Finding, "subject"),
    (Deadline, "title"),
    (Deadline, "subject"),
    (Deadline, "rule"),
    (Deadline, "trigger_label"),
    (Deadline, "shift_reason"),
    (Deadline, "note"),
    (Check, "subject"),
    (Check, "title"),
    (Check, "note"),
    (Check, "message"),
    (ExcludedVoucher, "reason"),
    (Step, "label"),
    (Step, "formula"),
    (IncomeRow, "label"),
    (PhaseResult, "note"),
    (Call, "note"),
    (LineResult, "status_german"),
    (Reduction, "reason"),
    (Severity, "german"),
    (FinancingType, "german"),
    (CostCategory, "german"),
    (SourceKind, "german"),
    (DeadlineStatus, "german"),
]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_workbook_reads_no_deprecated_german_property(
    report: Report, monkeypatch: pytest.MonkeyPatch, german: bytes, english: bytes, lang: str
) -> None:
    def deprecated(self: object) -> str:
        raise AssertionError(f"deprecated German property read on {type(self).__name__}")

    for owner, name in _DEPRECATED:
        monkeypatch.setattr(owner, name, property(deprecated))
    assert excel.to_bytes(report, lang=lang) == (german if lang == "de" else english)


def test_write_takes_the_language(report: Report, english: bytes) -> None:
    stream = io.BytesIO()
    written = excel.write(report, stream, lang="en")
    assert stream.getvalue() == english
    assert written.sheets == len(excel.sheet_names("en"))


def _first_sheet(data: bytes) -> Worksheet:
    ws = _book(data).worksheets[0]
    assert isinstance(ws, Worksheet)
    return ws


def test_the_overview_in_english(english: bytes, report: Report) -> None:
    ws = _first_sheet(english)
    assert ws.title == "Overview"
    labels = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    assert ws.cell(row=labels["Key date"], column=2).number_format == "YYYY-MM-DD"
    assert ws.cell(row=labels["Land (federal state)"], column=2).value == "North Rhine-Westphalia"
    assert ws.cell(row=labels["Type of financing"], column=2).value == "Proportional financing"
    assert f"Findings ({len(report.findings)})" in labels
    head = labels["Concerns"]
    assert [ws.cell(row=head, column=c).value for c in range(1, 6)] == [
        "Concerns",
        "Finding",
        "Severity",
        "Code",
        "Legal basis",
    ]
    finding = report.findings[0]
    assert [ws.cell(row=head + 1, column=c).value for c in range(1, 4)] == [
        finding.subject_in("en"),
        finding.message_in("en"),
        {"error": "Error", "warning": "Warning", "info": "Note"}[finding.severity.value],
    ]
