"""The Excel export: sheets, round trip, live formulas, layout, safety, reproducible bytes.

The Bochum workbook (with its ledger, key date 26.11.2026) is written once and read back with
openpyxl; every figure must come back as the report has it (``Decimal(str(cell.value))``).
The formulas are recomputed here (they are plain ``=SUM(A1:A9)`` and ``=A1+B1-C1``) and
compared with the library's figure beside them, under the heading ``laut Berechnung``.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from defusedxml import ElementTree
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import foerdermittel as fm
from foerdermittel.export import excel
from foerdermittel.export.excel import vouchers as excel_vouchers
from foerdermittel.io import atomic as atomic_module
from foerdermittel.io import attach_ledger
from foerdermittel.message_types import Message, words
from foerdermittel.rules.overrides import RuleOverride

from .common import BOCHUM, simple_case

D = Decimal
AS_OF = date(2026, 11, 26)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
INJECTIONS = ('=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "=1+1", "#N/A")


@pytest.fixture(scope="module")
def report() -> fm.Report:
    case = attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    return fm.evaluate(case, AS_OF)


@pytest.fixture(scope="module")
def data(report: fm.Report) -> bytes:
    return excel.to_bytes(report)


@pytest.fixture(scope="module")
def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


# --- helpers --------------------------------------------------------------------------------


def money(value: Any) -> Decimal:
    assert isinstance(value, int | float), value
    return Decimal(str(value))


def day(value: Any) -> date:
    assert isinstance(value, datetime), value
    return value.date()


def find(ws: Worksheet, text: str, column: int = 1, start: int = 1) -> int:
    """The first row from ``start`` whose cell in ``column`` holds ``text``."""
    for row in range(start, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == text:
            return row
    raise AssertionError(f"{text!r} not found in {ws.title}")


def values(ws: Worksheet, row: int) -> list[Any]:
    return [cell.value for cell in ws[row]]


def label_value(ws: Worksheet, label: str) -> Any:
    return ws.cell(row=find(ws, label), column=2).value


_RANGE = re.compile(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)")
_TERM = re.compile(r"([+-]?)([A-Z]+)(\d+)")


def evaluate(ws: Worksheet, formula: str, cache: dict[tuple[str, str], Decimal]) -> Decimal:
    """The value of one of the exporter's formulas over the sheet's cells."""
    key = (ws.title, formula)
    if key in cache:
        return cache[key]
    body = formula[1:]

    def cell(column: str, row: int) -> Decimal:
        value = ws[f"{column}{row}"].value
        if value is None or (isinstance(value, str) and not value.startswith("=")):
            return D(0)  # SUM ignores text; an empty cell counts 0
        if isinstance(value, str):
            return evaluate(ws, value, cache)
        return money(value)

    if match := _RANGE.fullmatch(body):
        first, top, last, bottom = match.groups()
        columns = range(column_index_from_string(first), column_index_from_string(last) + 1)
        result = sum(
            (
                cell(get_column_letter(c), r)
                for c in columns
                for r in range(int(top), int(bottom) + 1)
            ),
            D(0),
        )
    else:
        terms = _TERM.findall(body)
        assert "".join(f"{s}{c}{r}" for s, c, r in terms) == body, f"unexpected formula {formula}"
        result = sum(
            ((-1 if sign == "-" else 1) * cell(column, int(row)) for sign, column, row in terms),
            D(0),
        )
    cache[key] = result
    return result


def formulas(book: openpyxl.Workbook) -> Iterator[tuple[Worksheet, int, int, str]]:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert isinstance(cell.value, str)
                    yield ws, cell.row, cell.column, cell.value


def sheet_xml(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")}


# --- sheets and headers ---------------------------------------------------------------------


def test_every_sheet_exists_with_german_headers(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == list(excel.SHEETS)
    headers = {
        "Übersicht": ["Kennzahl", "Betrag", excel.CHECK],
        "Finanzierungsplan": ["Ansatz", "Bezeichnung", "Kostenart", "Gruppe", "2021"],
        "Mittelabrufplan": ["Datum", "Phase", "Ausgaben von", "Ausgaben bis", "Betrag", "Art"],
        "Verlauf": ["Monat", "Art", "Plan im Monat", "Ist/Prognose im Monat"],
        "Eigenanteil": ["Haushaltsjahr", "Ausgaben", "Zuwendungsanteil", "Drittmittelanteil"],
        "Fristen": ["Fristende", "rechnerisches Ende", "Fristende nach Verschiebung"],
        "Zahlenmäßiger Nachweis": [
            "Nr.",
            "Position",
            "laut Zuwendungsbescheid",
            "%",
            "laut Abrechnung",
        ],
        "Abstimmung": ["Prüfung", "betrifft", "Bezeichnung", "erwartet", "ermittelt"],
        "Belegliste": list(excel.VOUCHER_COLUMNS),
    }
    for title, labels in headers.items():
        ws = book[title]
        row = find(ws, labels[0])
        assert values(ws, row)[: len(labels)] == labels, title
        assert ws.cell(row=row, column=1).font.bold


# --- round trip -----------------------------------------------------------------------------


def test_overview_round_trip(book: openpyxl.Workbook, report: fm.Report) -> None:
    ws = book["Übersicht"]
    grant, fin, proof = report.grant, report.financing, report.proof_of_use
    assert ws["A1"].value == report.title
    assert day(label_value(ws, "Stichtag")) == AS_OF
    assert label_value(ws, "Zuwendungsempfänger") == grant.recipient
    assert label_value(ws, "Zuwendungsgeber") == grant.funder
    assert label_value(ws, "Aktenzeichen / Zusage-Nr.") == grant.id
    assert day(label_value(ws, "Bescheid vom")) == grant.decision_date
    assert label_value(ws, "Finanzierungsart") == "Anteilfinanzierung"
    assert money(label_value(ws, "Förderquote")) == grant.rate
    assert grant.max_amount is not None
    row = find(ws, "Höchstbetrag")
    assert money(ws.cell(row=row, column=2).value) == grant.max_amount
    assert ws.cell(row=row, column=3).value == "bezogen auf die Zuwendung"
    assert label_value(ws, "Regelwerk") == report.rulebook.title
    for label, figure in [
        ("zuwendungsfähige Ausgaben", fin.eligible_expenditure),
        ("Zuwendung", fin.grant),
        ("Eigenanteil", fin.own_share),
        ("Drittmittel", fin.third_party),
        ("Zuwendung nach Abrechnung", proof.final),
        ("ausgezahlt", proof.paid),
        ("zu erstatten", proof.refund),
        ("Erstattungszinsen (§ 49a Abs. 3 VwVfG)", proof.refund_interest),
    ]:
        assert money(label_value(ws, label)) == figure, label
    saldo = find(ws, "Saldo (+ noch auszuzahlen / − zu erstatten)")
    assert money(ws.cell(row=saldo, column=3).value) == proof.balance
    # phases
    top = find(ws, "Phase", start=find(ws, "Förderphasen")) + 1
    for offset, phase in enumerate(grant.phases):
        row = values(ws, top + offset)
        pf = fin.phase(phase.id)
        assert row[:2] == [phase.id, phase.title]
        assert (day(row[2]), day(row[3])) == (phase.start, phase.end)
        assert money(row[5]) == phase.eligible_expenditure
        assert money(row[6]) == pf.rate
        assert [money(v) for v in row[7:11]] == [
            pf.grant,
            pf.own_share,
            pf.third_party,
            pf.other_public,
        ]
    assert report.original_grant is not None
    assert day(ws.cell(row=top, column=5).value) == report.original_grant.phases[0].end
    # amendments and findings
    row = find(ws, "Kennung") + 1
    amendment = report.amendments[0]
    assert values(ws, row)[:2] == [amendment.id, amendment.title]
    assert day(ws.cell(row=row, column=3).value) == amendment.decided_on
    # the value the amendment changed, the decided one beside the amended one
    changes = find(ws, "Geänderte Festsetzungen")
    row = find(ws, "betrifft", start=changes) + 1
    (change,) = report.decision_changes
    assert values(ws, row)[:2] == ["Phase A", "Ende des Bewilligungszeitraums"]
    assert day(ws.cell(row=row, column=3).value) == report.original_grant.phases[0].end
    assert day(ws.cell(row=row, column=4).value) == grant.phases[0].end == change.after
    assert values(ws, row)[4] == amendment.id
    assert day(ws.cell(row=row, column=6).value) == amendment.decided_on
    row = find(ws, "betrifft", start=row) + 1
    for offset, finding in enumerate(report.findings):
        assert values(ws, row + offset)[:5] == [
            finding.subject,
            finding.message,
            words(Message.of(f"severity.{finding.severity.value}")),
            finding.code,
            finding.legal_reference,
        ]


def test_financing_plan_round_trip(book: openpyxl.Workbook, report: fm.Report) -> None:
    ws = book["Finanzierungsplan"]
    header = values(ws, 2)
    years = {int(v): i for i, v in enumerate(header) if isinstance(v, str) and v.isdigit()}
    check = header.index(excel.CHECK)
    for line in report.plan.lines:
        row = values(ws, find(ws, line.id))
        category = words(Message.of(f"cost-category.{line.category.value}"))
        assert row[1:4] == [line.title, category, line.group]
        for year, index in years.items():
            expected = line.amounts.get(year)
            assert (None if row[index] is None else money(row[index])) == expected
        assert money(row[check]) == line.total
    for phase in report.grant.phases:
        row = values(ws, find(ws, f"Summe Phase {phase.id}"))
        assert money(row[check]) == phase.eligible_expenditure


def test_drawdown_plan_round_trip(book: openpyxl.Workbook, report: fm.Report) -> None:
    ws = book["Mittelabrufplan"]
    grants = {p.phase: p.grant for p in report.drawdowns.phases}
    for offset, call in enumerate(report.drawdowns.calls):
        row = values(ws, 3 + offset)
        assert day(row[0]) == call.on
        assert row[1] == call.phase
        assert (day(row[2]), day(row[3])) == (call.covers_from, call.covers_to)
        assert money(row[4]) == call.amount
        assert row[5] == {"recorded": "ausgezahlt", "planned": "geplant"}[call.kind]
        assert row[6] == ("ja" if call.withheld else "nein")
        assert isinstance(row[7], str)
        assert row[7].startswith("=")
        assert money(row[8]) == call.cumulative
        assert money(row[9]) == call.entitlement
        assert money(row[10]) == grants[call.phase]
    assert ws.cell(row=3 + len(report.drawdowns.calls), column=1).value is None


def test_history_sheet_cumulates_the_forecast_and_the_calls(
    book: openpyxl.Workbook, report: fm.Report
) -> None:
    ws = book["Verlauf"]
    planned: dict[date, Decimal] = {}
    expected: dict[date, Decimal] = {}
    for line in report.forecast.lines:
        for item in line.months:
            planned[item.month] = planned.get(item.month, D(0)) + item.planned
            expected[item.month] = expected.get(item.month, D(0)) + item.forecast
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    months = [day(r[0]) for r in rows]
    assert months[0] == min(planned)
    assert months[-1] == max(c.on for c in report.drawdowns.calls).replace(day=1)
    assert [money(r[2]) for r in rows] == [planned.get(m, D(0)) for m in months]
    last = rows[-1]
    assert money(last[5]) == sum(planned.values(), D(0))
    assert money(last[6]) == sum(expected.values(), D(0))
    assert money(last[7]) == report.drawdowns.total
    assert {r[1] for r in rows} == {"Ist", "Prognose"}


def test_own_share_round_trip(book: openpyxl.Workbook, report: fm.Report) -> None:
    ws = book["Eigenanteil"]
    for offset, year in enumerate(report.own_share.years):
        row = values(ws, 3 + offset)
        assert row[0] == year.year
        assert [money(v) for v in row[1:9]] == [
            year.expenditure,
            year.grant_share,
            year.third_party_share,
            year.own_share,
            year.in_kind,
            year.cash,
            year.ineligible,
            year.max_prefinanced,
        ]
        assert year.budgeted is not None
        assert money(row[9]) == year.budgeted


def test_deadlines_round_trip(book: openpyxl.Workbook, report: fm.Report) -> None:
    ws = book["Fristen"]
    assert len(report.deadlines) > 10
    for offset, d in enumerate(report.deadlines):
        row = values(ws, 3 + offset)
        assert day(row[0]) == d.end
        assert (day(row[1]), day(row[2])) == (d.raw_end, d.end)
        assert (None if row[3] is None else day(row[3])) == d.original_end
        assert row[4:10] == [
            d.title,
            d.subject,
            d.rule,
            d.legal_source,
            words(d.status.message),
            d.shift_reason,
        ]
        assert (None if row[10] is None else day(row[10])) == d.submitted_on
    statuses = {ws.cell(row=r, column=9).value for r in range(3, 3 + len(report.deadlines))}
    assert statuses <= {"offen", "bald fällig", "erledigt", "versäumt", "abgelaufen"}
    assert any(ws.cell(row=r, column=10).value for r in range(3, 3 + len(report.deadlines)))


def test_proof_of_use_round_trip(book: openpyxl.Workbook, report: fm.Report) -> None:
    ws = book["Zahlenmäßiger Nachweis"]
    proof = report.proof_of_use
    assert proof.form is not None
    for income in proof.form.income:  # the form's rows: each kind and funder apart
        row = values(ws, find(ws, income.label, column=2))
        assert money(row[2]) == income.planned
        assert money(row[4]) == income.actual
        assert income.planned_pct is not None
        assert income.actual_pct is not None
        assert money(row[3]) == income.planned_pct / 100
        assert money(row[5]) == income.actual_pct / 100
    # the form's Ausgaben: per line insgesamt / davon zuwendungsfähig, per decision and account
    start = find(ws, "2. Ausgaben")
    for form_line in (
        line for phase in proof.form.expenditure.phases for g in phase.groups for line in g.lines
    ):
        row = values(ws, find(ws, form_line.line, start=start))
        assert [money(v) for v in row[2:6]] == [
            form_line.planned_total,
            form_line.planned_eligible,
            form_line.actual_total,
            form_line.actual_eligible,
        ]
    start = find(ws, "2a. Soll-Ist je Einzelansatz (Toleranz nach ANBest Nr. 1.2)")
    for line in proof.lines:
        row = values(ws, find(ws, line.line, start=start))
        assert row[1:3] == [line.title, line.phase]
        assert [money(v) for v in row[3:6]] == [line.planned, line.actual_total, line.actual]
        assert money(row[7]) == line.difference
        assert line.difference_pct is not None
        assert line.allowed is not None
        assert money(row[8]) == line.difference_pct / 100
        assert money(row[9]) == line.allowed
        assert money(row[10]) == line.recognised
    b32 = values(ws, find(ws, "B-3.2", start=start))
    assert b32[11] == "Überschreitung innerhalb der Toleranz"
    start = find(ws, "4. Zahlungen")
    for phase in proof.phases:
        row = values(ws, find(ws, phase.phase, start=start))
        assert [money(v) for v in row[2:5]] == [
            phase.reduction.approved,
            phase.reduction.final,
            phase.paid,
        ]
        assert money(row[6]) == phase.balance
        assert money(row[7]) == phase.refund
    total = values(ws, find(ws, excel.CHECK, start=start))
    assert [money(v) for v in total[2:6]] == [
        proof.approved,
        proof.final,
        proof.paid,
        proof.balance,
    ]
    assert len(proof.interim) == 6
    for interim in proof.interim:
        top = find(ws, f"Zwischennachweis {interim.year}")
        for offset, line in enumerate(interim.rows):
            row = values(ws, top + 2 + offset)
            assert row[:2] == [line.line, line.title]
            assert [money(row[2]), money(row[3]), money(row[5]), money(row[6])] == [
                line.before,
                line.year,
                line.cumulative,
                line.plan,
            ]
        figures = {
            "(15)": interim.own_funds,
            "(16)": interim.third_party,
            "(17)": interim.additional_third_party,
            "(17b)": interim.additional_federal_share,
            "(19)": interim.federal_payments,
        }
        for number, figure in figures.items():
            assert money(ws.cell(row=find(ws, number, start=top), column=3).value) == figure
        for number, figure in {
            "(14)": interim.expenditure,
            "(18)": interim.federal_share,
            "(20)": interim.cash_balance,
        }.items():
            row = find(ws, number, start=top)
            assert str(ws.cell(row=row, column=3).value).startswith("=")
            assert money(ws.cell(row=row, column=4).value) == figure


def test_proof_of_use_marks_the_projection_and_the_cover() -> None:
    case = attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    report = fm.evaluate(case, date(2025, 6, 30))
    ws = openpyxl.load_workbook(io.BytesIO(excel.to_bytes(report)))["Zahlenmäßiger Nachweis"]
    # the income block "laut Abrechnung" against the booked expenditure it finances
    check = values(ws, find(ws, excel.CHECK))
    assert money(check[4]) == D("11007125.12")
    total = values(ws, find(ws, "Summe"))
    assert total[4].startswith("=SUM(")
    start = find(ws, "2a. Soll-Ist je Einzelansatz (Toleranz nach ANBest Nr. 1.2)")
    assert values(ws, start + 1)[12] == "nicht gezählt"
    b22 = values(ws, find(ws, "B-2.2", start=start))
    assert [money(v) for v in (b22[4], b22[12])] == [D("1050000.02"), D("7416.76")]
    start = find(ws, "4. Zahlungen")
    assert values(ws, start + 1)[8] == "Stand"
    assert values(ws, find(ws, "A", start=start))[8] == "Ist"
    assert values(ws, find(ws, "B", start=start))[8] == "Prognose"
    start = find(ws, "3. Abrechnung je Phase")
    assert values(ws, start + 1)[11] == "Ist gebucht"
    assert money(values(ws, find(ws, "B", start=start))[11]) == D("9927125.12")


def test_reconciliation_round_trip(book: openpyxl.Workbook, report: fm.Report) -> None:
    ws = book["Abstimmung"]
    result = report.reconciliation
    top = find(ws, "Prüfung") + 1
    for offset, check in enumerate(result.checks):
        row = values(ws, top + offset)
        assert row[:3] == [check.name, check.subject, check.title]
        assert Decimal(str(row[3])) == check.expected
        assert Decimal(str(row[4])) == check.actual
        assert row[5] == f"=E{top + offset}-D{top + offset}"
        assert Decimal(str(row[6])) == check.difference
        assert row[8] == ("ja" if check.ok else "nein")
        assert row[9] == check.legal_reference
    assert ws.cell(row=top + len(result.checks), column=1).value is None
    failed = len(result.failures)
    if failed:
        assert ws["A1"].value.endswith(f"{failed} von {len(result.checks)} stimmen nicht")
    else:
        assert ws["A1"].value.endswith(": alle stimmen")


def voucher_rows(ws: Worksheet) -> list[tuple[int, list[Any]]]:
    """The Belegliste's voucher rows (a text in A, a date in B) before the overall total."""
    rows = []
    for r in range(3, ws.max_row + 1):
        row = values(ws, r)
        if isinstance(row[0], str) and row[0].startswith("Summe (") and row[0].endswith("Belege)"):
            break
        if isinstance(row[0], str) and isinstance(row[1], datetime):
            rows.append((r, row))
    return rows


def test_voucher_list_round_trip(book: openpyxl.Workbook, report: fm.Report) -> None:
    ws = book["Belegliste"]
    proof = report.proof_of_use
    listed = voucher_rows(ws)
    by_origin = {v.origin: v for v in proof.vouchers}
    assert len(listed) == len(proof.vouchers) == len(by_origin)
    for _r, row in listed:
        voucher = by_origin[row[9]]
        assert row[0] == voucher.id
        assert day(row[1]) == voucher.paid_on
        assert money(row[2]) == voucher.amount
        assert row[3] is None
        assert row[4:7] == [voucher.line, voucher.payee, voucher.purpose]
        assert row[7] == {"expenditure": "Ausgabe", "credit": "Gutschrift"}[voucher.kind]
        assert row[8] == voucher.reference
        assert row[10] == voucher.invoice_number
        assert (None if row[11] is None else day(row[11])) == voucher.invoice_date
    assert {row[9] for _r, row in listed} == set(by_origin)
    total = listed[-1][0] + 4  # the last line's sum, its group's, its phase's, then the total
    assert ws.cell(row=total, column=1).value == f"Summe ({len(proof.vouchers)} Belege)"
    start = find(ws, "Ausgeschlossene oder unter Vorbehalt gezählte Belege")
    assert values(ws, start + 1)[:7] == [
        "Belegnummer",
        "Zahlungsdatum",
        "Betrag",
        "gezählt",
        "Einzelansatz",
        "Prüfung",
        "Grund",
    ]
    for offset, excluded in enumerate(proof.excluded):
        row = values(ws, start + 2 + offset)
        assert row[0] == excluded.voucher
        assert day(row[1]) == excluded.paid_on
        assert money(row[2]) == excluded.amount
        assert row[3] == "nein"
        assert row[6] == excluded.reason
        assert row[9] == excluded.origin
    after = start + 2 + len(proof.excluded)
    assert proof.totals is not None
    assert values(ws, after)[0] == "Summe der nicht gezählten Belege"
    assert money(values(ws, after)[2]) == proof.totals.excluded == D("9796.76")
    assert values(ws, after + 1)[0] == "Belegliste bis zum Stichtag (gezählt + nicht gezählt)"
    assert money(values(ws, after + 1)[2]) == proof.totals.listed
    assert proof.totals.listed == proof.totals.counted + proof.totals.excluded
    assert ws.max_row == after + 1


# --- formulas and names ---------------------------------------------------------------------


def test_every_formula_matches_the_library_figure_beside_it(
    book: openpyxl.Workbook, report: fm.Report
) -> None:
    cache: dict[tuple[str, str], Decimal] = {}
    found = list(formulas(book))
    for ws, _row, _column, formula in found:
        evaluate(ws, formula, cache)  # every formula is one the evaluator understands
        assert not re.search(r"[;]|SUMME|HYPERLINK", formula)
    compared = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value != excel.CHECK:
                    continue
                r, c = cell.row, cell.column
                if c >= 3:  # a column headed "laut Berechnung": the formula is on its left
                    r += 1
                    while any(v is not None for v in values(ws, r)):
                        formula = ws.cell(row=r, column=c - 1).value
                        beside = ws.cell(row=r, column=c).value
                        if isinstance(formula, str) and formula.startswith("=") and beside:
                            assert evaluate(ws, formula, cache) == money(beside), (ws.title, r)
                            compared += 1
                        r += 1
                else:  # a row labelled "laut Berechnung": the formulas are above it
                    for column in range(c + 1, ws.max_column + 1):
                        beside = ws.cell(row=r, column=column).value
                        if isinstance(beside, int | float):
                            formula = ws.cell(row=r - 1, column=column).value
                            assert isinstance(formula, str)
                            assert formula.startswith("=")
                            assert evaluate(ws, formula, cache) == money(beside)
                            compared += 1
    assert compared >= 60
    # the formulas without a figure beside them, against the report
    own = book["Eigenanteil"]
    years = report.own_share.years
    total = values(own, 3 + len(years))
    assert total[0] == "Summe"
    assert evaluate(own, total[4], cache) == sum((y.own_share for y in years), D(0))
    assert evaluate(own, total[1], cache) == sum((y.expenditure for y in years), D(0))
    for offset, year in enumerate(years):
        assert year.budgeted is not None
        gap = own.cell(row=3 + offset, column=11).value
        assert evaluate(own, gap, cache) == year.burden - year.budgeted
    vouchers = book["Belegliste"]
    proof = report.proof_of_use
    total = values(vouchers, find(vouchers, f"Summe ({len(proof.vouchers)} Belege)"))
    assert evaluate(vouchers, total[2], cache) == sum((v.amount for v in proof.vouchers), D(0))
    assert proof.totals is not None
    assert evaluate(vouchers, total[2], cache) == proof.totals.counted
    compared = 0
    for line in proof.lines:  # each line's sum is the proof of use's actual of the line
        if line.actual_total:
            row = values(vouchers, find(vouchers, f"Summe {line.line} {line.title}"))
            assert evaluate(vouchers, row[2], cache) == line.actual_total == line.actual
            compared += 1
    assert compared >= 10
    plan = book["Finanzierungsplan"]
    grand = values(plan, find(plan, "Summe gesamt"))
    assert evaluate(plan, grand[4], cache) == sum(
        (line.amounts.get(2021, D(0)) for line in report.plan.lines), D(0)
    )


def test_defined_names_point_at_the_key_figures(book: openpyxl.Workbook, report: fm.Report) -> None:
    expected = {
        "Zuwendung": report.financing.grant,
        "Eigenanteil": report.financing.own_share,
        "Foerderquote": report.grant.rate,
    }
    for name, figure in expected.items():
        defined = book.defined_names[name]
        assert defined.localSheetId is None  # workbook scope
        destinations = list(defined.destinations)
        assert len(destinations) == 1
        title, ref = destinations[0]
        assert title == "Übersicht"
        assert money(book[title][ref.replace("$", "")].value) == figure


# --- formats and layout ---------------------------------------------------------------------


def test_number_and_date_formats(book: openpyxl.Workbook) -> None:
    overview = book["Übersicht"]
    assert overview.cell(row=find(overview, "Zuwendung"), column=2).number_format == (
        '#,##0.00 "€"'
    )
    assert overview.cell(row=find(overview, "Förderquote"), column=2).number_format == "0%"
    assert overview.cell(row=find(overview, "Stichtag"), column=2).number_format == "DD.MM.YYYY"
    deadlines = book["Fristen"]
    assert deadlines["A3"].number_format == "[$-407]DDD, DD.MM.YYYY"
    assert deadlines["B3"].number_format == "DD.MM.YYYY"
    vouchers = book["Belegliste"]
    first = voucher_rows(vouchers)[0][0]
    assert vouchers[f"B{first}"].number_format == "DD.MM.YYYY"
    assert vouchers[f"C{first}"].number_format == '#,##0.00 "€"'
    proof = book["Zahlenmäßiger Nachweis"]
    row = find(proof, "Eigenmittel", column=2)
    assert proof.cell(row=row, column=4).number_format == "0.00%"
    for ws in book.worksheets:  # every number is an amount, a percentage, a date or a year
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.data_type == "n" and cell.value is not None:
                    assert cell.number_format in {
                        '#,##0.00 "€"',
                        "0%",
                        "0.00%",
                        "General",
                        excel.DAYS_FORMAT,
                    }
                    if cell.number_format == "General":
                        assert isinstance(cell.value, int)
                        assert 1990 <= cell.value <= 2100


def test_panes_filters_and_print_setup(book: openpyxl.Workbook, report: fm.Report) -> None:
    tables = {"Mittelabrufplan", "Verlauf", "Eigenanteil", "Fristen", "Belegliste"}
    for ws in book.worksheets:
        assert ws.freeze_panes is not None, ws.title
        assert ws.print_title_rows in {"$1:$1", "$1:$2"}, ws.title
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize or 0) == 9  # A4
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr is not None
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        footer = ws.oddFooter
        assert footer is not None
        assert footer.left.text == "&A"
        assert footer.right.text == "Seite &P von &N"
        assert all(d.width for d in ws.column_dimensions.values())
        if ws.title in tables:
            assert ws.auto_filter.ref is not None
            assert ws.auto_filter.ref.startswith("A2:")
            assert ws.freeze_panes[-1] == "3"
    vouchers = book["Belegliste"]
    total = find(vouchers, f"Summe ({len(report.proof_of_use.vouchers)} Belege)")
    assert vouchers.auto_filter.ref == f"A2:L{total - 1}"  # the expenditure, without the total


def test_chart_with_its_series(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        tree = ElementTree.fromstring(archive.read(charts[0]))
    c = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    assert tree.find(".//c:lineChart", c) is not None
    series = tree.findall(".//c:lineChart/c:ser", c)
    assert [s.findtext("c:tx/c:strRef/c:f", namespaces=c) for s in series] == [
        "'Verlauf'!F2",
        "'Verlauf'!G2",
        "'Verlauf'!H2",
    ]
    refs = [s.findtext("c:val/c:numRef/c:f", namespaces=c) for s in series]
    assert refs[0] is not None
    assert refs[0].startswith("'Verlauf'!$F$3:$F$")
    assert tree.find(".//c:dateAx", c) is not None


# --- safety ---------------------------------------------------------------------------------


def injected_report() -> fm.Report:
    evil, plus, minus, at, calc, error = INJECTIONS
    case = simple_case(
        grant_extra={"recipient": evil, "funder": at},
        lines=[
            {
                "id": "L1",
                "title": plus,
                "phase": "P",
                "category": "material",
                "amounts": {2024: "50000.00", 2025: "50000.00"},
            }
        ],
    )
    vouchers = (
        fm.Expenditure(
            id=calc,
            line="L1",
            paid_on=date(2024, 3, 1),
            amount=D("100.00"),
            payee=minus,
            purpose=evil,
            origin=at,
            reference=error,
            invoice_number=plus,
        ),
        fm.Expenditure(
            id="V2",
            line="L1",
            paid_on=date(2024, 3, 2),
            amount=D("2.50"),
            payee="  Müller & Söhne <GmbH>  ",
            purpose="Glocke\x07und\x0bTab",
            reference="Zeile 1\r\nZeile 2 ",
        ),
    )
    override = RuleOverride(
        path="use_window.window", value={"amount": 2, "unit": "months"}, reason=evil
    )
    case = case.model_copy(
        update={"title": evil, "expenditures": vouchers, "overrides": (override,)}
    )
    return fm.evaluate(case, date(2025, 6, 30))


def test_user_text_never_becomes_a_formula() -> None:
    report = injected_report()
    data = excel.to_bytes(report)
    book = openpyxl.load_workbook(io.BytesIO(data))
    evil, plus, minus, at, calc, error = INJECTIONS
    overview = book["Übersicht"]
    assert overview["A1"].value == evil
    assert label_value(overview, "Zuwendungsempfänger") == evil
    assert label_value(overview, "Zuwendungsgeber") == at
    row = values(overview, find(overview, "use_window.window"))
    assert row[1:4] == [evil, str(report.overrides[0].original), "2 Monate"]
    plan = book["Finanzierungsplan"]
    assert plan.cell(row=find(plan, "L1"), column=2).value == plus
    vouchers = book["Belegliste"]
    assert values(vouchers, 3)[0] == "Phase P: Projekt"
    assert values(vouchers, 4)[0] == f"L1 {plus}"  # the line's heading: its title as text
    assert values(vouchers, 5)[:11] == [
        calc,
        datetime(2024, 3, 1),
        100,
        None,
        "L1",
        minus,
        evil,
        "Ausgabe",
        error,
        at,
        plus,  # the invoice number
    ]
    second = values(vouchers, 6)
    assert second[5] == "  Müller & Söhne <GmbH>  "
    assert second[6] == "Glocke\ufffdund\ufffdTab"  # characters XML cannot hold
    assert second[8] == "Zeile 1\r\nZeile 2 "
    texts = set(INJECTIONS)
    for ws in book.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.value in texts:
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
    allowed = re.compile(r"SUM\([A-Z]+\d+:[A-Z]+\d+\)|[A-Z]+\d+([+-][A-Z]+\d+)*")
    for name, xml in sheet_xml(data).items():
        tree = ElementTree.fromstring(xml)
        for formula in tree.iterfind(".//m:f", NS):
            assert formula.text is not None
            assert allowed.fullmatch(formula.text), (name, formula.text)
        assert b"<f>HYPERLINK" not in xml
        assert b"<f>1+1" not in xml
        assert b"<f>SUM(A1)" not in xml
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if "externalLink" in n or "hyperlink" in n]


# --- bytes, files ---------------------------------------------------------------------------


def test_same_report_same_bytes(report: fm.Report, data: bytes) -> None:
    assert excel.to_bytes(report) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
        core = archive.read("docProps/core.xml")
    assert stamps == {(2026, 11, 26, 0, 0, 0)}
    assert b"2026-11-26T00:00:00Z" in core


def test_write_is_atomic(
    report: fm.Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bochum.xlsx"
    excel.write(report, target)
    good = target.read_bytes()
    assert good == excel.to_bytes(report)

    calls = 0

    def failing_rows(*args: Any) -> Iterator[str]:
        nonlocal calls
        for row in original_rows(*args):
            calls += 1
            if calls > 100:
                raise RuntimeError("Datenträger voll")
            yield row

    original_rows = excel_vouchers._line_rows
    monkeypatch.setattr(excel_vouchers, "_line_rows", failing_rows)
    with pytest.raises(RuntimeError, match="Datenträger voll"):
        excel.write(report, target)
    monkeypatch.undo()
    assert target.read_bytes() == good
    assert os.listdir(tmp_path) == ["bochum.xlsx"]

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("rename failed")

    monkeypatch.setattr(atomic_module.os, "replace", failing_replace)
    with pytest.raises(OSError, match="rename failed"):
        excel.write(report, target)
    assert target.read_bytes() == good
    assert os.listdir(tmp_path) == ["bochum.xlsx"]


def test_case_without_ledger_still_writes_a_workbook(tmp_path: Path) -> None:
    report = fm.evaluate(fm.load_case(BOCHUM).model_copy(update={"ledger": None}), AS_OF)
    assert not report.proof_of_use.evaluated
    target = tmp_path / "ohne-belege.xlsx"
    excel.write(report, target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == list(excel.SHEETS)
    proof = book["Zahlenmäßiger Nachweis"]
    find(proof, "Keine Belege erfasst: ohne Belegbuch gibt es nichts nachzuweisen.")
    vouchers = book["Belegliste"]
    assert vouchers["A3"].value == "keine Belege erfasst"
    assert vouchers.max_row == 3
    overview = book["Übersicht"]
    assert label_value(overview, "Abrechnung") == "nicht ermittelt: keine Belege erfasst"
    assert len(book["Mittelabrufplan"]["A"]) > 3


def test_cli_writes_the_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from foerdermittel.cli import main

    target = tmp_path / "bochum.xlsx"
    assert main(["report", str(BOCHUM), "--as-of", "2026-11-26", "--xlsx", str(target)]) == 0
    capsys.readouterr()
    workbook = openpyxl.load_workbook(target, read_only=True)
    try:
        assert workbook.sheetnames[0] == "Übersicht"
    finally:
        workbook.close()
    assert main(["report", str(BOCHUM), "--xlsx", str(tmp_path / "fehlt" / "b.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("foerdermittel: ")
    assert "b.xlsx" in err
