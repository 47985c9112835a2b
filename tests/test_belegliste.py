"""The Belegliste as the form wants it, and the ledger's invoice columns.

The worked example: two phases; phase P1 has lines in two groups (Thema A: L1 and L3, Thema
B: L2), phase P2 one line without a group (L4). The vouchers are given out of order; two of
them do not count (a second entry of V1, V7 paid before phase P2 began). Income: 5,000 € from
the planned source DM, 1,000 € of new third-party money, 700 € after the key date.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.export import excel
from foerdermittel.export.excel.voucher_groups import _blocks
from foerdermittel.io.ledger import LedgerError, read_ledger, write_ledger_csv

from .common import simple_case

D = Decimal
KEY_DATE = date(2025, 6, 30)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

PHASES = [
    {
        "id": "P1",
        "title": "Planung",
        "start": "2024-01-01",
        "end": "2024-12-31",
        "eligible_expenditure": "60000.00",
    },
    {
        "id": "P2",
        "title": "Bau",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "eligible_expenditure": "40000.00",
    },
]
LINES = [
    {"id": "L1", "title": "Konzept", "phase": "P1", "group": "Thema A", "amounts": {2024: "30000"}},
    {
        "id": "L2",
        "title": "Beteiligung",
        "phase": "P1",
        "group": "Thema B",
        "amounts": {2024: "20000"},
    },
    {
        "id": "L3",
        "title": "Moderation",
        "phase": "P1",
        "group": "Thema A",
        "amounts": {2024: "10000"},
    },
    {"id": "L4", "title": "Bau", "phase": "P2", "amounts": {2025: "40000"}},
]


def _voucher(id_: str, line: str, day: str, amount: str, **extra: Any) -> fm.Expenditure:
    return fm.Expenditure(
        id=id_, line=line, paid_on=date.fromisoformat(day), amount=D(amount), **extra
    )


VOUCHERS = (
    _voucher(
        "V3", "L1", "2024-05-02", "1000.00", invoice_number="R-3", invoice_date=date(2024, 4, 20)
    ),
    _voucher("V1", "L1", "2024-03-01", "500.00", origin="belege.csv:2"),
    _voucher("V2", "L3", "2024-03-01", "250.00"),
    _voucher("V0", "L1", "2024-05-02", "200.00"),
    _voucher("V5", "L2", "2024-04-01", "300.00"),
    _voucher("V6", "L4", "2025-02-01", "4000.00"),
    _voucher("V7", "L4", "2024-12-15", "99.00"),  # before phase P2: excluded
    _voucher("V1", "L1", "2024-03-05", "500.00", origin="belege.csv:9"),  # a second entry
)
INCOME = (
    fm.Income(id="E1", received_on=date(2024, 6, 1), amount=D("5000.00"), source="DM", phase="P1"),
    fm.Income(id="E2", received_on=date(2024, 2, 1), amount=D("1000.00"), phase="P1"),
    fm.Income(id="E3", received_on=date(2025, 7, 15), amount=D("700.00"), phase="P2"),
)


def _case(rulebook: str = "anbest-gk-2019", **update: Any) -> fm.Case:
    case = simple_case(
        grant_extra={"phases": PHASES, "rulebook": rulebook},
        lines=[{**line, "category": "material"} for line in LINES],
        sources=[
            {
                "id": "DM",
                "kind": "third_party",
                "title": "Stiftung X",
                "phase": "P1",
                "amount": "5000",
            }
        ],
    )
    return case.model_copy(update={"expenditures": VOUCHERS, "income": INCOME, **update})


@pytest.fixture(scope="module")
def report() -> fm.Report:
    return fm.evaluate(_case(), KEY_DATE)


def _sheet(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[-1]  # the Belegliste is last


def _stored(data: bytes) -> dict[str, tuple[str | None, str | None]]:
    """The Belegliste's cells as the XML stores them: formula and stored value by reference."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        xml = archive.read(names[-1])  # the Belegliste is the last sheet
    out = {}
    for cell in ElementTree.fromstring(xml).iterfind(".//m:c", NS):
        out[cell.get("r")] = (
            cell.findtext("m:f", namespaces=NS),
            cell.findtext("m:v", namespaces=NS),
        )
    return out


def test_grouped_by_phase_group_and_line_in_date_order(report: fm.Report) -> None:
    ws = _sheet(excel.to_bytes(report))
    rows = [
        (r, ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value) for r in range(3, 26)
    ]
    # Worked by hand: L1's vouchers by day, then number (V0 before V3 on 02.05.); Thema A
    # collects L1 and L3 though L2 stands between them in the plan; L4 has no group.
    assert rows == [
        (3, "Phase P1: Planung", None),
        (4, "Thema A", None),
        (5, "L1 Konzept", None),
        (6, "V1", 500),
        (7, "V0", 200),
        (8, "V3", 1000),
        (9, "Summe L1 Konzept", "=SUM(C6:C8)"),  # 500 + 200 + 1000 = 1700
        (10, "L3 Moderation", None),
        (11, "V2", 250),
        (12, "Summe L3 Moderation", "=SUM(C11:C11)"),
        (13, "Summe Thema A", "=C9+C12"),  # 1700 + 250 = 1950
        (14, "Thema B", None),
        (15, "L2 Beteiligung", None),
        (16, "V5", 300),
        (17, "Summe L2 Beteiligung", "=SUM(C16:C16)"),
        (18, "Summe Thema B", "=C17"),
        (19, "Summe Phase P1: Planung", "=C13+C18"),  # 1950 + 300 = 2250
        (20, "Phase P2: Bau", None),
        (21, "L4 Bau", None),
        (22, "V6", 4000),
        (23, "Summe L4 Bau", "=SUM(C22:C22)"),
        (24, "Summe Phase P2: Bau", "=C23"),
        (25, "Summe (6 Belege)", "=C19+C24"),  # 2250 + 4000 = 6250, six vouchers
    ]
    assert ws["K8"].value == "R-3"
    assert ws["L8"].value == datetime(2024, 4, 20)
    assert ws["L8"].number_format == "DD.MM.YYYY"
    assert ws["K6"].value is None
    assert ws["L6"].value is None


def test_every_sum_stores_its_value(report: fm.Report) -> None:
    stored = _stored(excel.to_bytes(report))
    expected = {
        "C9": "1700",
        "C12": "250",
        "C13": "1950",
        "C18": "300",
        "C19": "2250",
        "C23": "4000",
        "C24": "4000",
        "C25": "6250",
        "D25": "0",  # no voucher has a net amount
        "C31": "5000",
        "C34": "1000",
        "C35": "6000",
    }
    for ref, value in expected.items():
        formula, cached = stored[ref]
        assert formula is not None, ref
        assert cached == value, ref
    assert report.proof_of_use.totals is not None
    assert D(stored["C25"][1] or "") == report.proof_of_use.totals.counted == D("6250.00")
    formulas = [ref for ref, (formula, _) in stored.items() if formula is not None]
    assert all(stored[ref][1] is not None for ref in formulas)


def test_line_sums_are_the_proof_of_use_eligible_actuals(report: fm.Report) -> None:
    ws = _sheet(excel.to_bytes(report))
    stored = _stored(excel.to_bytes(report))
    lines = {line.line: line for line in report.proof_of_use.lines}
    for r in range(3, ws.max_row + 1):
        label = ws.cell(row=r, column=1).value
        for line_id, line in lines.items():
            if label == f"Summe {line_id} {line.title}":
                assert D(stored[f"C{r}"][1] or "") == line.actual_total == line.actual


def test_net_amounts_sum_to_the_eligible_actual_with_input_tax_deduction() -> None:
    # With input-tax deduction only net amounts are eligible (ANBest-Gk Nr. 6.4):
    # L1: 420.17 + 168.07 + 840.34 = 1428.58 net (gross 500 + 200 + 1000 = 1700).
    nets = {"V1": "420.17", "V0": "168.07", "V3": "840.34", "V2": "210.08", "V5": "252.10"}
    vouchers = tuple(
        v.model_copy(update={"net_amount": D(nets.get(v.id, "3361.34"))}) for v in VOUCHERS
    )
    case = _case(expenditures=vouchers)
    case = case.model_copy(
        update={"settings": case.settings.model_copy(update={"input_tax_deduction": True})}
    )
    report = fm.evaluate(case, KEY_DATE)
    data = excel.to_bytes(report)
    stored = _stored(data)
    assert stored["D9"] == ("SUM(D6:D8)", "1428.58")
    assert stored["C9"] == ("SUM(C6:C8)", "1700")
    line = next(x for x in report.proof_of_use.lines if x.line == "L1")
    assert line.actual == D("1428.58")
    assert line.actual_total == D("1700.00")


def test_income_apart_by_source(report: fm.Report) -> None:
    ws = _sheet(excel.to_bytes(report))
    rows = [[c.value for c in ws[r]][:8] for r in range(27, 38)]
    assert rows[0][0] == "Einnahmen"
    assert rows[1][:3] == ["Belegnummer", "Eingangsdatum", "Betrag"]
    assert rows[2][0] == "DM: Stiftung X"
    assert rows[3][:5] == ["E1", datetime(2024, 6, 1), 5000, None, "DM"]
    assert rows[3][7] == "Drittmittel"
    assert rows[4][0] == "Summe DM: Stiftung X"
    assert rows[5][0] == "Drittmittel ohne Finanzierungsquelle im Plan"
    assert rows[6][:3] == ["E2", datetime(2024, 2, 1), 1000]
    assert rows[8][0] == "Summe der Einnahmen (2 Belege)"
    assert rows[8][2] == "=C31+C34"
    assert rows[10][0] == "1 Einnahme nach dem Stichtag nicht aufgeführt"
    assert rows[10][2] == 700


def test_excluded_vouchers_in_their_own_section_with_reasons(report: fm.Report) -> None:
    ws = _sheet(excel.to_bytes(report))
    start = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value == "Ausgeschlossene oder unter Vorbehalt gezählte Belege"
    )
    assert start > 37  # after the expenditure and the income
    excluded = {e.voucher + (e.origin or ""): e for e in report.proof_of_use.excluded}
    assert len(excluded) == 2
    found = {}
    for r in range(start + 2, start + 4):
        row = [c.value for c in ws[r]]
        found[row[0] + (row[9] or "")] = row
    duplicate = found["V1belege.csv:9"]
    assert duplicate[5] == "doppelt erfasst"
    assert duplicate[6] == excluded["V1belege.csv:9"].reason
    early = found["V7"]
    assert early[5] == "außerhalb des Bewilligungszeitraums"
    assert "Phase P2" in early[6]


def test_voluntary_annex_under_anbest_gk_and_required_under_anbest_p(report: fm.Report) -> None:
    source = report.rulebook.proof_contents.source
    assert report.rulebook.proof_contents.voucher_list_required is False
    title = _sheet(excel.to_bytes(report))["A1"].value
    assert title.startswith(f"Belegliste (freiwillige Anlage; verlangt wird keine: {source})")
    english = _sheet(excel.to_bytes(report, lang="en"))
    assert english.title == "Voucher list"
    assert english["A1"].value.startswith(
        f"Voucher list (voluntary annex; none is required: {source})"
    )
    required = fm.evaluate(_case("anbest-p-2019"), KEY_DATE)
    assert required.rulebook.proof_contents.voucher_list_required is True
    source = required.rulebook.proof_contents.source
    assert "Nr. 6.2.2" in source
    assert _sheet(excel.to_bytes(required))["A1"].value.startswith(
        f"Belegliste (verlangt: {source})"
    )


def test_deterministic_bytes(report: fm.Report) -> None:
    assert excel.to_bytes(report) == excel.to_bytes(fm.evaluate(_case(), KEY_DATE))


def test_formula_like_invoice_number_stays_text(tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://x","klick")'
    vouchers = (_voucher("V1", "L1", "2024-03-01", "500.00", invoice_number=evil),)
    report = fm.evaluate(_case(expenditures=vouchers, income=()), KEY_DATE)
    data = excel.to_bytes(report)
    ws = _sheet(data)
    cell = ws["K6"]
    assert cell.value == evil
    assert cell.data_type == "s"
    assert b"<f>HYPERLINK" not in b"".join(
        zipfile.ZipFile(io.BytesIO(data)).read(n)
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
    )
    # the CSV writer guards it with a leading ' and the reader takes it off again
    path = tmp_path / "belege.csv"
    write_ledger_csv(vouchers, (), path)
    assert "\"'=HYPERLINK(" in path.read_text(encoding="utf-8-sig")
    assert read_ledger(path).expenditures[0].invoice_number == evil


# --- the ledger's invoice columns -----------------------------------------------------------


def test_a_ledger_without_invoice_columns_reads_as_before(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    path.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz\nB-1;03.02.2025;1.234,56;L1\n",
        encoding="utf-8",
    )
    (entry,) = read_ledger(path).expenditures
    assert entry.invoice_number is None
    assert entry.invoice_date is None
    assert entry.amount == D("1234.56")


def test_invoice_columns_are_read_and_empty_cells_stay_empty(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    path.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz;Rechnungsnummer;Rechnungsdatum\n"
        "B-1;03.02.2025;100,00;L1; RE-2025-17 ;20.01.2025\n"
        "B-2;04.02.2025;50,00;L1;;\n",
        encoding="utf-8",
    )
    first, second = read_ledger(path).expenditures
    assert (first.invoice_number, first.invoice_date) == ("RE-2025-17", date(2025, 1, 20))
    assert (second.invoice_number, second.invoice_date) == (None, None)


def test_invoice_columns_under_other_names(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    path.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz;Rg-Nr;Rg-Datum\n"
        "B-1;03.02.2025;100,00;L1;RE-1;2025-01-20\n",
        encoding="utf-8",
    )
    columns = {"invoice_number": "Rg-Nr", "invoice_date": "Rg-Datum"}
    (entry,) = read_ledger(path, columns=columns).expenditures
    assert (entry.invoice_number, entry.invoice_date) == ("RE-1", date(2025, 1, 20))


def test_an_unreadable_invoice_date_names_file_row_column_and_value(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    path.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz;Rechnungsdatum\n"
        "B-1;03.02.2025;100,00;L1;31.02.2025\n"
        "B-2;03.02.2025;100,00;L1;bald\n",
        encoding="utf-8",
    )
    with pytest.raises(LedgerError) as raised:
        read_ledger(path)
    text = str(raised.value)
    assert "belege.csv" in text
    assert "Zeile 2, Spalte Rechnungsdatum" in text
    assert "31.02.2025" in text
    assert "Zeile 3, Spalte Rechnungsdatum" in text
    assert "bald" in text


def test_an_invoice_date_outside_the_supported_years_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    path.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz;Rechnungsdatum\n"
        "B-1;03.02.2025;100,00;L1;01.01.1850\n",
        encoding="utf-8",
    )
    with pytest.raises(LedgerError, match="Zeile 2, Spalte Rechnungsdatum"):
        read_ledger(path)


def test_invoice_columns_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    entries = (
        _voucher(
            "B-1",
            "L1",
            "2025-02-03",
            "100.00",
            invoice_number="RE-1",
            invoice_date=date(2025, 1, 20),
        ),
        _voucher("B-2", "L1", "2025-02-04", "50.00"),
        _voucher(
            "B-3",
            "L1",
            "2025-02-05",
            "-20.00",
            kind="credit",
            reference="B-1",
            invoice_number="GS-1",
        ),
    )
    write_ledger_csv(entries, (), path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith(";Rechnungsnummer;Rechnungsdatum")
    assert lines[1].endswith(";RE-1;20.01.2025")
    back = read_ledger(path).expenditures
    assert [e.model_copy(update={"origin": None}) for e in back] == list(entries)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["L1", "L2", "L3", "L4"]),
            st.integers(0, 200),
            st.sampled_from(["A", "B", "C", "D"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_every_counted_voucher_is_listed_once_in_its_line_in_date_order(
    rows: list[tuple[str, int, str]],
) -> None:
    vouchers = tuple(
        fm.Expenditure(
            id=f"{name}{i}",
            line=line,
            paid_on=date(2025 if line == "L4" else 2024, 1, 1).fromordinal(
                date(2025 if line == "L4" else 2024, 1, 1).toordinal() + days
            ),
            amount=D("1.00"),
        )
        for i, (line, days, name) in enumerate(rows)
    )
    report = fm.evaluate(_case(expenditures=vouchers, income=()), KEY_DATE)
    blocks = _blocks(report)
    counted = list(report.proof_of_use.vouchers)
    assert blocks.vouchers == report.proof_of_use.vouchers
    listed = [  # the blocks hold the positions of the proof of use's vouchers
        (phase.phase, line.line, position)
        for phase in blocks.phases
        for group in phase.groups
        for line in group.lines
        for position in line.vouchers
    ]
    assert sorted(position for _, _, position in listed) == list(range(len(counted)))
    for phase, line, position in listed:
        assert counted[position].line == line
        assert phase == {"L4": "P2"}.get(line, "P1")
    # the order the Belegliste relies on: the proof of use holds its vouchers by day and number
    keys = [(v.paid_on, v.id) for v in counted]
    assert keys == sorted(keys)
    for phase_block in blocks.phases:
        for group in phase_block.groups:
            for line_block in group.lines:
                keys = [(counted[p].paid_on, counted[p].id) for p in line_block.vouchers]
                assert keys == sorted(keys)


def test_an_invoice_on_an_income_row_is_refused_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    path.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Art;Rechnungsnummer\nE-1;03.02.2025;100,00;Einnahme;RE-9\n",
        encoding="utf-8",
    )
    with pytest.raises(LedgerError, match=r"Zeile 2, Spalte Rechnungsnummer.*RE-9"):
        read_ledger(path)


def test_the_sheet_dimension_is_the_rows_written(report: fm.Report) -> None:
    # 25 rows of expenditure, a gap and 9 of income (to row 35), the note on later income
    # (37), a gap, the excluded section's title, header, two vouchers and two sums (39-44)
    data = excel.to_bytes(report)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        xml = archive.read(names[-1])
    tree = ElementTree.fromstring(xml)
    rows = [int(row.get("r")) for row in tree.iterfind(".//m:sheetData/m:row", NS)]
    assert rows[-1] == 44
    dimension = tree.find("m:dimension", NS)
    assert dimension is not None
    assert dimension.get("ref") == "A1:L44"
    assert rows == sorted(set(rows))  # each row once, in order
