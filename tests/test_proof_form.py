"""The proof of use as the form asks for it: header, Sachbericht, Einnahmen, Ausgaben, III.

Worked example (one phase 2024–2025, Anteilfinanzierung 50 %, 100,000 € eligible):

    plan  L1  60,000 € (group G1)   L2 20,000 € (G1)   L3 20,000 € (G2); ineligible 2024 3,000 €
    cover Land NRW (other public) 10,000 €, Stiftung Beispiel (third party) 5,000 €
          → grant 50,000 €, own share 100,000 − 50,000 − 15,000 = 35,000 €
    paid  L1 80,000 € (+33.33 %, beyond the 20 % tolerance: allowed 72,000 €)
          L2 15,000 €;  L3 5,000 € counted, the same voucher again (a duplicate: no
          expenditure), 1,000 € paid before the approval period (not eligible)
    income Land NRW 10,000 € (2024), Stiftung 5,000 € (2025), own funds 2,000 € booked (2024)

On 31.03.2026 the phase has ended: recognised 72,000 + 15,000 + 5,000 = 92,000 €, cover as
planned, so the final grant is 50 % × 92,000 = 46,000 €. Booked eligible expenditure is
100,000 €; own funds per final account 100,000 − 46,000 − 15,000 = 39,000 €.
"""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.export import excel
from foerdermittel.export.proof_text import render_proof
from foerdermittel.io.case_file import dump_case, loads_case
from foerdermittel.io.ledger import read_ledger
from foerdermittel.model.narrative import ProofKind

from .common import codes

D = Decimal
END = date(2026, 3, 31)


def _data(
    *, rulebook: str = "anbest-gk-2019", report: dict[str, Any] | None = None
) -> dict[str, Any]:
    lines = [
        {"id": "L1", "title": "Planung", "phase": "P", "category": "external_services",
         "group": "G1", "amounts": {"2024": "60000.00"}},
        {"id": "L2", "title": "Beteiligung", "phase": "P", "category": "material",
         "group": "G1", "amounts": {"2025": "20000.00"}},
        {"id": "L3", "title": "Öffentlichkeitsarbeit", "phase": "P", "category": "other",
         "group": "G2", "amounts": {"2025": "20000.00"}},
    ]  # fmt: skip
    data: dict[str, Any] = {
        "grant": {
            "id": "AZ 12-34",
            "funder": "Bezirksregierung",
            "recipient": "Stadt Musterstadt",
            "recipient_address": "Rathausplatz 1\n12345 Musterstadt",
            "land": "NW",
            "funder_land": "NW",
            "rulebook": rulebook,
            "decision_date": "2023-12-15",
            "financing_type": "anteilfinanzierung",
            "rate": "0.5",
            "phases": [
                {
                    "id": "P",
                    "title": "Projekt",
                    "start": "2024-01-01",
                    "end": "2025-12-31",
                    "eligible_expenditure": "100000.00",
                    "early_start": "2023-11-01",
                }
            ],
        },
        "plan": {
            "lines": lines,
            "sources": [
                {"id": "LAND", "kind": "other_public", "title": "Land NRW", "amount": "10000.00"},
                {"id": "ST", "kind": "third_party", "title": "Stiftung Beispiel",
                 "amount": "5000.00"},
            ],
            "ineligible": {"2024": "3000.00"},
        },
        "expenditures": [
            {"id": "B1", "line": "L1", "paid_on": "2024-03-01", "amount": "80000.00"},
            {"id": "B2", "line": "L2", "paid_on": "2025-03-01", "amount": "15000.00"},
            {"id": "B3", "line": "L3", "paid_on": "2025-04-01", "amount": "5000.00",
             "origin": "belege.csv:4"},
            {"id": "B3", "line": "L3", "paid_on": "2025-04-01", "amount": "5000.00",
             "origin": "belege.csv:5"},
            {"id": "B4", "line": "L3", "paid_on": "2023-10-01", "amount": "1000.00"},
        ],
        "income": [
            {"id": "E1", "received_on": "2024-06-01", "amount": "10000.00", "source": "LAND",
             "kind": "other_public"},
            {"id": "E2", "received_on": "2025-03-01", "amount": "5000.00", "source": "ST"},
            {"id": "E3", "received_on": "2024-02-01", "amount": "2000.00", "kind": "own_funds",
             "payer": "Stadtkasse"},
        ],
        "payouts": [
            {"id": "A1", "phase": "P", "amount": "46000.00", "paid_on": "2025-06-01"},
        ],
    }  # fmt: skip
    if report is not None:
        data["report"] = report
    return data


def _report(data: dict[str, Any], as_of: date = END) -> fm.Report:
    return fm.evaluate(fm.Case.from_data(data), as_of)


def test_the_income_rows_apart_per_decision_and_per_final_account() -> None:
    proof = _report(_data()).proof_of_use
    form = proof.form
    assert form is not None
    rows = [
        (r.kind, r.funder, r.planned, r.planned_pct, r.actual, r.actual_pct) for r in form.income
    ]
    assert rows == [
        ("own_funds", None, D("35000.00"), D("35.00"), D("39000.00"), D("39.00")),
        ("third_party", None, D("5000.00"), D("5.00"), D("5000.00"), D("5.00")),
        ("other_public", "Land NRW", D("10000.00"), D("10.00"), D("10000.00"), D("10.00")),
        ("grant", None, D("50000.00"), D("50.00"), D("46000.00"), D("46.00")),
    ]
    # the rows add up to the income block's, to the cent
    assert form.income_actual == proof.income_actual == D("100000.00")
    assert form.income_planned == proof.income_planned
    assert form.income[2].label == "bewilligte öffentliche Förderung durch Land NRW"


def test_the_expenditure_total_and_eligible_with_group_and_phase_subtotals() -> None:
    form = _report(_data()).proof_of_use.form
    assert form is not None
    spending = form.expenditure
    (phase,) = spending.phases
    g1, g2 = phase.groups
    assert [line.line for line in g1.lines] == ["L1", "L2"]
    # G1: 60,000 + 20,000 planned; 80,000 + 15,000 paid, all of it eligible
    assert (g1.planned_total, g1.actual_total, g1.actual_eligible) == (
        D("80000.00"),
        D("95000.00"),
        D("95000.00"),
    )
    # G2: 5,000 eligible + 1,000 before the approval period; the duplicate is no expenditure
    (l3,) = g2.lines
    assert (l3.actual_total, l3.actual_eligible) == (D("6000.00"), D("5000.00"))
    assert (phase.planned_total, phase.actual_total, phase.actual_eligible) == (
        D("100000.00"),
        D("101000.00"),
        D("100000.00"),
    )
    # the plan's ineligible 3,000 € is part of "insgesamt" per decision, never eligible
    assert spending.ineligible_planned == D("3000.00")
    assert (spending.planned_total, spending.planned_eligible) == (D("103000.00"), D("100000.00"))
    assert [(g.group, g.actual_eligible) for g in spending.groups] == [
        ("G1", D("95000.00")),
        ("G2", D("5000.00")),
    ]


def test_a_line_beyond_the_tolerance_needs_a_justification() -> None:
    report = _report(_data())
    (finding,) = [f for f in report.findings if f.code == "deviation-without-justification"]
    assert finding.severity is fm.Severity.WARNING
    assert finding.about.id == "L1"
    assert finding.legal_reference == report.rulebook.line_tolerance.source
    assert "(+33,33\xa0%), über der Toleranz von 20\xa0%" in finding.message
    data = _data()
    data["plan"]["lines"][0]["justification"] = "Mehrkosten durch Auflage der Denkmalpflege"
    report = _report(data)
    assert "deviation-without-justification" not in codes(report.findings)
    assert "line-beyond-tolerance" in codes(report.findings)  # the figures stay
    form = report.proof_of_use.form
    assert form is not None
    line = form.expenditure.phases[0].groups[0].lines[0]
    assert line.justification == "Mehrkosten durch Auflage der Denkmalpflege"
    assert not line.justification_missing
    assert "L1: Begründung: Mehrkosten durch Auflage der Denkmalpflege" in render_proof(report)


def test_the_sachbericht_missing_from_a_final_proof_is_a_warning() -> None:
    report = _report(_data())
    assert report.proof_of_use.form is not None
    assert report.proof_of_use.form.header.proof_kind is ProofKind.FINAL
    (finding,) = [f for f in report.findings if f.code == "narrative-missing"]
    assert finding.severity is fm.Severity.WARNING
    text = render_proof(report)
    assert "Verlauf und Dauer der Maßnahme: — fehlt —" in text
    # a running phase: a Zwischennachweis, no warning
    early = _report(_data(), date(2025, 6, 30))
    assert early.proof_of_use.form is not None
    assert early.proof_of_use.form.header.proof_kind is ProofKind.INTERIM
    assert "narrative-missing" not in codes(early.findings)
    # part of it written: what is missing is named (information)
    partial = _report(_data(report={"course": "wie geplant", "results": "Ziele erreicht"}))
    (finding,) = [f for f in partial.findings if f.code == "narrative-incomplete"]
    assert finding.severity is fm.Severity.INFO
    assert "Abweichungen vom Finanzierungsplan" in finding.message
    # stated as an interim proof: no warning even after the end
    stated = _report(_data(report={"proof_kind": "zwischennachweis"}))
    assert {"narrative-missing", "narrative-incomplete"} & codes(stated.findings) == set()
    assert stated.proof_of_use.form is not None
    assert stated.proof_of_use.form.header.proof_kind_stated


def test_the_header_decision_amendments_periods_early_start() -> None:
    data = _data()
    data["amendments"] = [
        {"id": "Ä-1", "title": "Quote erhöht", "decided_on": "2024-09-01", "rate": "0.6"}
    ]
    report = _report(data)
    form = report.proof_of_use.form
    assert form is not None
    header = form.header
    # the decision: 50 % of 100,000 €; after the amendment 60 %: 60,000 €
    assert [(d.kind, d.id, d.day, d.amount) for d in header.decisions] == [
        ("decision", "AZ 12-34", date(2023, 12, 15), D("50000.00")),
        ("amendment", "Ä-1", date(2024, 9, 1), D("60000.00")),
    ]
    assert header.recipient_address == "Rathausplatz 1\n12345 Musterstadt"
    (period,) = header.periods
    assert (period.start, period.end, period.early_start) == (
        date(2024, 1, 1),
        date(2025, 12, 31),
        date(2023, 11, 1),
    )
    text = render_proof(report)
    assert "Änderungsbescheid Ä-1 vom 01.09.2024: Zuwendung danach 60.000,00\xa0€" in text
    assert "vorzeitiger Maßnahmebeginn zugelassen ab 01.11.2023" in text
    assert "Rathausplatz 1\n" in text
    assert "12345 Musterstadt" in text


def test_declarations_audit_block_and_voucher_list_per_edition() -> None:
    gk = _report(_data()).proof_of_use
    assert [d.id for d in gk.declarations] == [
        "conditions",
        "necessary",
        "economical",
        "books",
        "purpose",
    ]
    assert gk.audit_office_certificate
    assert not gk.voucher_list_required
    p = _report(_data(rulebook="anbest-p-2019")).proof_of_use
    assert [d.id for d in p.declarations] == ["conditions", "necessary", "economical", "books"]
    assert p.declarations[1].source == "ANBest-P (13.06.2019) Nr. 6.2.2 Satz 6"
    assert not p.audit_office_certificate
    assert p.voucher_list_required
    text = render_proof(_report(_data()))
    assert "III. Bestätigungen" in text
    assert "   - Es ist wirtschaftlich und sparsam verfahren worden." in text
    assert "Prüfvermerk der örtlichen Rechnungsprüfung" in text
    assert "beigefügt als freiwillige Anlage" in text
    text_p = render_proof(_report(_data(rulebook="anbest-p-2019")))
    assert "Prüfvermerk" not in text_p
    assert "Belegliste: vom Regelwerk verlangt" in text_p


@pytest.mark.parametrize(
    ("deduction", "words"),
    [(False, "nein — die Beträge sind brutto"), (True, "ja — die Beträge sind netto")],
)
def test_the_input_tax_statement(deduction: bool, words: str) -> None:
    data = _data()
    data["settings"] = {"input_tax_deduction": deduction}
    if deduction:
        for item in data["expenditures"]:
            item["net_amount"] = item["amount"]
    report = _report(data)
    assert report.proof_of_use.form is not None
    assert report.proof_of_use.form.input_tax_deduction is deduction
    assert f"Zum Vorsteuerabzug berechtigt: {words}" in render_proof(report)


def test_the_interim_proof_from_booked_own_and_third_party_funds() -> None:
    interim = {i.year: i for i in _report(_data()).proof_of_use.interim}
    # own funds: the 2,000 € booked in 2024; third-party money: what came in each year
    assert (interim[2024].own_funds, interim[2024].own_funds_basis) == (D("2000.00"), "booked")
    assert interim[2025].own_funds == D("0.00")
    assert (interim[2024].third_party, interim[2024].third_party_basis) == (
        D("10000.00"),
        "booked",
    )
    assert interim[2025].third_party == D("5000.00")
    # without income entries: the plan's share of the year's spending, labelled so
    data = _data()
    del data["income"]
    fallback = {i.year: i for i in _report(data).proof_of_use.interim}
    # 2024: 80,000 € spent of 100,000 € eligible; own funds planned 0 (no own-funds source)
    assert fallback[2024].own_funds_basis == fallback[2024].third_party_basis == "computed"
    assert fallback[2024].third_party == D("12000.00")  # 15,000 × 80,000 / 100,000


def test_own_funds_booked_are_no_cover_funds() -> None:
    # the own funds entry does not count as cover funds: the final grant stays 46,000 €
    phase = _report(_data()).proof_of_use.phases[0]
    assert phase.cover_actual == D("15000.00")
    assert phase.reduction.final == D("46000.00")


HOSTILE = '=HYPERLINK("http://x";"klick")\x1b[31m\nzweite Zeile\x07'


def test_narrative_text_stays_text_in_every_output(tmp_path: Path) -> None:
    data = _data(report={"course": HOSTILE, "results": "+SUM(A1:A9)"})
    data["plan"]["lines"][0]["justification"] = "@cmd"
    report = _report(data)
    text = render_proof(report)
    assert "\x1b" not in text
    assert "\x07" not in text
    assert '=HYPERLINK("http://x";"klick")\\x1b[31m' in text
    assert "zweite Zeile\\x07" in text
    dumped = json.loads(report.to_json())
    assert dumped["proof_of_use"]["form"]["narrative"]["course"] == HOSTILE
    workbook = openpyxl.load_workbook(io.BytesIO(excel.to_bytes(report)))
    sheet = workbook[excel.sheet_names()[6]]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    found = {c.value: c.data_type for c in cells}
    # stored as text (data type "s"), never as a formula; ESC and BEL are no XML characters
    course = '=HYPERLINK("http://x";"klick")\ufffd[31m\nzweite Zeile\ufffd'
    assert found[course] == "s"
    assert found["+SUM(A1:A9)"] == "s"
    assert found["Begründung: @cmd"] == "s"


def test_blank_narrative_and_unknown_report_fields_are_refused() -> None:
    with pytest.raises(fm.CaseError) as caught:
        fm.Case.from_data(_data(report={"course": "   "}))
    assert "report.course" in str(caught.value)
    assert "Text ist leer" in str(caught.value)
    # justifications sit on the line: a table of them by id does not exist
    with pytest.raises(fm.CaseError) as caught:
        fm.Case.from_data(_data(report={"justifications": {"L9": "fehlt"}}))
    assert "report.justifications" in str(caught.value)
    data = _data()
    data["plan"]["lines"][0]["justification"] = ""
    with pytest.raises(fm.CaseError, match=r"plan\.lines\[0\]\.justification"):
        fm.Case.from_data(data)


def test_round_trip_through_toml_and_json() -> None:
    text = """
[grant]
id = "AZ 1"
funder = "Bund"
recipient = "Stadt"
recipient_address = "Markt 1\\n12345 Stadt"
land = "NW"
rulebook = "anbest-gk-2019"
decision_date = 2023-12-01
financing_type = "vollfinanzierung"

[[grant.phases]]
id = "P"
title = "Projekt"
start = 2024-01-01
end = 2024-12-31
eligible_expenditure = 1000.00
justification = "Verschiebung wegen Lieferengpass"

[[plan.lines]]
id = "L"
title = "Ansatz"
phase = "P"
category = "material"
amounts = { 2024 = 1000.00 }
justification = "teurer als geplant"

[[income]]
id = "E1"
received_on = 2024-05-01
amount = 100.00
kind = "own_funds"

[report]
proof_kind = "verwendungsnachweis"
course = "Zeile 1\\nZeile 2"
"""
    case = loads_case(text, fmt="toml")
    assert case.report is not None
    assert case.report.course == "Zeile 1\nZeile 2"
    assert case.plan.lines[0].justification == "teurer als geplant"
    assert case.grant.phases[0].justification == "Verschiebung wegen Lieferengpass"
    assert case.income[0].kind == "own_funds"
    assert loads_case(dump_case(case), fmt="json") == case


def test_the_ledger_books_own_funds(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    path.write_text(
        "Belegnummer;Zahlungsdatum;Betrag;Einzelansatz;Art\n"
        "E-1;01.02.2024;2.000,00;;Eigenmittel\n"
        "E-2;01.03.2024;500,00;;Einnahme\n",
        encoding="utf-8",
    )
    ledger = read_ledger(path)
    assert [(i.id, i.kind, i.amount) for i in ledger.income] == [
        ("E-1", "own_funds", D("2000.00")),
        ("E-2", "third_party", D("500.00")),
    ]


def test_the_workbook_follows_the_form() -> None:
    report = _report(_data(report={"course": "wie geplant"}))
    workbook = openpyxl.load_workbook(io.BytesIO(excel.to_bytes(report)))
    sheet = workbook[excel.sheet_names()[6]]
    column_b = [c.value for c in sheet["B"] if c.value is not None]
    for label in (
        "Stadt Musterstadt",
        "Verlauf und Dauer der Maßnahme",
        "wie geplant",
        "bewilligte öffentliche Förderung durch Land NRW",
        "Summe G1",
        "Summe Phase P (Projekt)",
        "Ausgaben insgesamt",
        "Es ist wirtschaftlich und sparsam verfahren worden.",
        "Prüfungseinrichtung: ______________________________",
    ):
        assert label in column_b, label
    # the group subtotal is a formula over its lines, the phase's the sum of the subtotals
    rows = {sheet.cell(row=r, column=2).value: r for r in range(1, sheet.max_row + 1)}
    group_row, phase_row = rows["Summe G1"], rows["Summe Phase P (Projekt)"]
    assert str(sheet.cell(row=group_row, column=6).value).startswith("=SUM(F")
    assert sheet.cell(row=phase_row, column=6).value == f"=F{group_row}+F{rows['Summe G2']}"


@settings(max_examples=25, deadline=None)
@given(
    spent=st.lists(st.integers(min_value=0, max_value=9_000_000), min_size=3, max_size=3),
    month=st.integers(min_value=1, max_value=27),
)
def test_the_form_adds_up_to_the_blocks_of_the_proof(spent: list[int], month: int) -> None:
    # whatever is spent and whenever: the form's Einnahmen add up to the income block and
    # its eligible Ausgaben to the expenditure block, to the cent
    data = _data()
    for item, cents in zip(data["expenditures"][:3], spent, strict=True):
        item["amount"] = str(D(cents) / 100)
    as_of = date(2024 + (month - 1) // 12, (month - 1) % 12 + 1, 28)
    proof = _report(data, as_of).proof_of_use
    form = proof.form
    assert form is not None
    assert form.income_actual == proof.income_actual
    assert form.expenditure.actual_eligible == proof.lines_actual
    assert form.expenditure.planned_eligible == proof.lines_planned
