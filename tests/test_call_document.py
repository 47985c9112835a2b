"""The document of one drawdown call (Mittelabruf): figures, command, text and workbook."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import foerdermittel as fm
from foerdermittel.cli import main
from foerdermittel.export.excel.call_sheet import call_to_bytes
from foerdermittel.io import attach_ledger, load_case

from .common import BOCHUM, simple_case

KEY_DATE = date(2025, 6, 30)


@pytest.fixture(scope="module")
def bochum() -> fm.Report:
    """Bochum with its ledger on 30.06.2025: eight payouts recorded, four calls planned."""
    case = attach_ledger(load_case(BOCHUM), base_dir=BOCHUM.parent)
    return fm.evaluate(case, KEY_DATE)


def test_next_call_of_bochum_on_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    # Call 9 (B, 01.07.2025) covers 01.01.–30.06.2025: 2.128.750,12 € booked; the grant's
    # share 65 % of it = 1.383.687,578 → 1.383.687,57 € (rounded down), own funds the rest
    # 2.128.750,12 − 1.383.687,57 = 745.062,55 €. Phase B: 5.068.943,75 € called before
    # (the five B payouts), 9.165.000,00 − 5.068.943,75 − 1.383.687,57 = 2.712.368,68 € open.
    status = main(["abruf", str(BOCHUM), "--next", "--as-of", "30.06.2025"])
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("Mittelabruf Nr. 9 von 12 — Phase B (Umsetzungsphase)\n")
    for text in (
        "Di., 01.07.2025 (geplant)",
        "01.01.2025 – 30.06.2025",
        "angeforderter Betrag:  1.383.687,57\xa0€",
        "nachschüssig alle 6 Monate",
        "MPSC-Förderrichtlinie",
        "2.128.750,12\xa0€",
        "745.062,55\xa0€",
        "5.068.943,75\xa0€",
        "2.712.368,68\xa0€",
        "459 Belege im Zeitraum",
        "alle Beträge gebucht",
    ):
        assert text in out, text
    # without --call the command takes the next call too
    assert main(["abruf", str(BOCHUM), "--as-of", "30.06.2025"]) == 0
    assert capsys.readouterr().out == out


def test_every_call_of_bochum_reconciles(bochum: fm.Report) -> None:
    plan = bochum.drawdowns
    called = {p.phase: p for p in plan.phases}
    assert len(plan.calls) == 12
    for number, call in enumerate(plan.calls, 1):
        doc = fm.call_document(bochum, number)
        assert doc.number == number
        assert doc.call == call
        assert doc.amount == call.amount  # the drawdown plan's amount
        funds = doc.funds
        assert sum((line.amount for line in doc.lines), Decimal(0)) == funds.expenditure
        assert doc.booked + doc.projected_amount == funds.expenditure
        assert funds.grant_share + funds.third_party_share + funds.own_share == funds.expenditure
        assert doc.difference == doc.amount - funds.grant_share
        mine = next(p for p in doc.phases if p.phase == call.phase)
        assert mine.before + doc.amount == call.cumulative  # the plan's running sum
        assert sum((p.this_call for p in doc.phases), Decimal(0)) == doc.amount
        for totals in doc.phases:
            phase = called[totals.phase]
            assert totals.approved == phase.grant
            assert totals.called == phase.called
            assert totals.remaining == totals.approved - totals.before - totals.this_call
        assert doc.approved == bochum.financing.grant == Decimal("9880000.00")
        assert doc.before + doc.amount + doc.after == plan.total
        if call.kind == "planned":  # pro rata, months whole: the call is the grant's share
            assert doc.difference == 0
    last = fm.call_document(bochum, 12)
    assert last.call.withheld
    assert last.remaining == 0
    assert last.after == 0


def test_the_periods_of_a_phase_add_up_to_its_expenditure(bochum: fm.Report) -> None:
    for phase in bochum.drawdowns.phases:
        numbers = [n for n, c in enumerate(bochum.drawdowns.calls, 1) if c.phase == phase.phase]
        spent = sum((fm.call_document(bochum, n).funds.expenditure for n in numbers), Decimal(0))
        forecast = sum(
            (lf.forecast for lf in bochum.forecast.lines if lf.phase == phase.phase), Decimal(0)
        )
        assert spent == forecast


def test_planned_figures_are_labelled_projected() -> None:
    report = fm.evaluate(
        attach_ledger(load_case(BOCHUM), base_dir=BOCHUM.parent), date(2023, 3, 31)
    )
    doc = fm.call_document(report, next=True)
    # cut-off 31.03.2023: January to March 2023 booked, April to June projected
    assert (doc.call.covers_from, doc.call.covers_to) == (date(2023, 1, 1), date(2023, 6, 30))
    assert doc.projected
    assert doc.booked > 0
    assert doc.projected_amount > 0
    text = fm.render_call(doc)
    assert "gebucht: die Monate, die bis 31.03.2023 abgelaufen sind; danach Prognose" in text
    assert "Finanzierung der Ausgaben im Zeitraum (mit Prognose):" in text


def test_third_party_share_and_income_booked_in_the_period() -> None:
    # 100.000 € eligible, 65 % grant, 10.000 € from a foundation (pro rata 10 %); ANBest-Gk:
    # calls on the day of need, weekly. January 2024 plans 60.000 / 12 = 5.000 €, spread
    # over 31 days. Call 2 covers 08.–14.01.: up to the 14th floor(5.000 × 14/31) =
    # 2.258,06, up to the 7th floor(5.000 × 7/31) = 1.129,03, so 1.129,03 € in the week.
    # Grant: floor(65.000 × 2.258,06/100.000) − floor(65.000 × 1.129,03/100.000)
    # = 1.467,73 − 733,86 = 733,87; third party: 225,80 − 112,90 = 112,90; own funds
    # 1.129,03 − 733,87 − 112,90 = 282,26.
    case = simple_case(
        sources=[
            {
                "id": "D",
                "kind": "third_party",
                "title": "Stiftung",
                "phase": "P",
                "amount": "10000.00",
            }
        ],
        lines=[
            {
                "id": "P-1",
                "title": "Bau",
                "phase": "P",
                "category": "investment",
                "amounts": {2024: "60000.00", 2025: "40000.00"},
            }
        ],
    )
    gift = fm.Income(
        id="E1", received_on=date(2024, 2, 10), amount=Decimal("2500.00"), kind="third_party"
    )
    case = case.model_copy(update={"income": (gift,)})
    report = fm.evaluate(case, date(2024, 3, 15))
    doc = fm.call_document(report, 2, income=case.income)
    assert (doc.call.covers_from, doc.call.covers_to) == (date(2024, 1, 8), date(2024, 1, 14))
    assert doc.funds == fm.drawdown_call.CallFunds(
        expenditure=Decimal("1129.03"),
        grant_share=Decimal("733.87"),
        third_party_share=Decimal("112.90"),
        own_share=Decimal("282.26"),
    )
    assert doc.amount == Decimal("733.87")
    assert doc.projected
    assert doc.booked == 0
    # the call whose period holds 10.02.2024 lists the foundation's 2.500 € (one phase: the
    # entry needs none)
    number = next(
        n
        for n, c in enumerate(report.drawdowns.calls, 1)
        if c.covers_from <= gift.received_on <= c.covers_to
    )
    week = fm.call_document(report, number, income=case.income)
    assert (week.funds.income_booked, week.funds.income_count) == (Decimal("2500.00"), 1)
    assert "gebuchte Einnahmen (Drittmittel) im Zeitraum: 2.500,00\xa0€ (1 Eingang)" in (
        fm.render_call(week)
    )


# --- bad input ------------------------------------------------------------------------------


def test_a_call_number_that_does_not_exist_lists_the_calls(
    bochum: fm.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(fm.CallNotFoundError) as caught:
        fm.call_document(bochum, 13)
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, fm.FoerdermittelError)
    assert main(["abruf", str(BOCHUM), "--call", "13", "--as-of", "30.06.2025"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("foerdermittel: Mittelabruf Nr. 13 nicht gefunden; vorhanden: ")
    assert "Nr. 1 vom 20.01.2022 über 22.336,35\xa0€" in err
    assert "Nr. 12 vom 01.06.2027 über 435.419,82\xa0€" in err
    assert err.count("Nr. ") == 13
    with pytest.raises(fm.CallNotFoundError):
        fm.call_document(bochum, 0)


def test_call_and_next_together_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["abruf", str(BOCHUM), "--call", "3", "--next"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Argument --next: nicht zusammen mit Argument --call erlaubt" in err
    with pytest.raises(SystemExit) as caught:
        main(["abruf", str(BOCHUM), "--call", "drei"])
    assert caught.value.code == 2
    assert "'drei' ist keine Abrufnummer" in capsys.readouterr().err


def test_the_api_wants_a_number_or_next(bochum: fm.Report) -> None:
    with pytest.raises(fm.ArgumentError, match="nicht beides"):
        fm.call_document(bochum, 3, next=True)
    with pytest.raises(fm.ArgumentError, match=r"eine Abrufnummer angeben \(oder next=True\)"):
        fm.call_document(bochum)
    with pytest.raises(fm.ArgumentTypeError, match="keine ganze Zahl"):
        fm.call_document(bochum, True)


def test_no_planned_call_after_the_key_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # one phase in 2024, its whole grant (65 % of 100.000 €) paid out on 20.12.2024: on
    # 30.06.2025 no call is planned any more
    case = simple_case(
        phase_extra={"end": "2024-12-31"},
        lines=[
            {
                "id": "P-1",
                "title": "Bau",
                "phase": "P",
                "category": "investment",
                "amounts": {2024: "100000.00"},
            }
        ],
    )
    payout = fm.Payout(id="A1", phase="P", amount=Decimal("65000.00"), paid_on=date(2024, 12, 20))
    case = case.model_copy(update={"payouts": (payout,)})
    report = fm.evaluate(case, KEY_DATE)
    with pytest.raises(fm.CallNotFoundError) as caught:
        fm.call_document(report, next=True)
    assert str(caught.value) == (
        "kein geplanter Mittelabruf nach dem Stichtag 30.06.2025; vorhanden: "
        "Nr. 1 vom 20.12.2024 über 65.000,00\xa0€"
    )
    path = tmp_path / "fall.json"
    fm.save_case(case, path)
    assert main(["abruf", str(path), "--next", "--as-of", "30.06.2025"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"foerdermittel: {caught.value}\n"
    # the recorded payout itself has its document
    assert main(["abruf", str(path), "--call", "1", "--as-of", "30.06.2025"]) == 0
    assert "Mittelabruf Nr. 1 von 1 — Phase P (Projekt)" in capsys.readouterr().out


# --- the workbook -----------------------------------------------------------------------------


def _value(ws: object, ref: str, seen: frozenset[str] = frozenset()) -> Decimal:
    """A cell's value, its formula computed (SUM of a range, + and − of cells)."""
    assert ref not in seen
    raw = ws[ref].value  # type: ignore[index]
    if not isinstance(raw, str):
        return Decimal(str(raw or 0))
    formula = raw.removeprefix("=")
    total = re.fullmatch(r"SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula)
    if total:
        column, first, last = total.group(1), int(total.group(2)), int(total.group(4))
        return sum(
            (_value(ws, f"{column}{r}", seen | {ref}) for r in range(first, last + 1)), Decimal(0)
        )
    result = Decimal(0)
    for sign, cell in re.findall(r"([+-]?)([A-Z]+\d+)", formula):
        part = _value(ws, cell, seen | {ref})
        result += -part if sign == "-" else part
    return result


def _row(ws: object, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):  # type: ignore[attr-defined]
        if row[0].value == label:
            return int(row[0].row)
    raise AssertionError(label)


def test_workbook_bytes_are_deterministic_and_its_totals_are_the_documents(
    bochum: fm.Report, tmp_path: Path
) -> None:
    doc = fm.call_document(bochum, next=True)
    data = call_to_bytes(doc)
    assert data == call_to_bytes(fm.call_document(bochum, 9))
    assert call_to_bytes(doc, lang="en") != data
    written = fm.write_call(doc, tmp_path / "abruf.xlsx")
    assert (tmp_path / "abruf.xlsx").read_bytes() == data
    assert (written.sheets, written.vouchers, written.size) == (1, 459, len(data))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Mittelabruf"]
    ws = wb.active
    totals = _row(ws, "Summe")  # the lines' total row comes first
    assert _value(ws, f"C{totals}") == doc.booked
    assert _value(ws, f"D{totals}") == doc.projected_amount
    assert _value(ws, f"E{totals}") == doc.funds.expenditure == _value(ws, f"F{totals}")
    own = _row(ws, "davon Eigenmittel")
    assert _value(ws, f"C{own}") == doc.funds.own_share
    assert _value(ws, f"C{_row(ws, 'Unterschied zum Anteil der Zuwendung')}") == doc.difference
    phases = max(c.row for c in ws["A"] if c.value == "Summe")
    assert [_value(ws, f"{c}{phases}") for c in "BCDEF"] == [
        doc.approved,
        doc.before,
        doc.amount,
        doc.after,
        doc.remaining,
    ]
    assert _value(ws, f"G{phases}") == doc.remaining
    # a reader that does not calculate sees every formula's value, the same as computed here
    stored = load_workbook(io.BytesIO(data), data_only=True).active
    formulas = [c for row in ws.iter_rows() for c in row if str(c.value or "").startswith("=")]
    assert formulas
    for cell in formulas:
        value = stored[cell.coordinate].value
        assert value is not None, cell.coordinate
        assert Decimal(str(value)) == _value(ws, cell.coordinate), cell.coordinate


def test_the_cli_writes_the_workbook_and_confirms_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "abruf.xlsx"
    args = ["abruf", str(BOCHUM), "--next", "--as-of", "30.06.2025", "--xlsx", str(target)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert f"Mittelabruf geschrieben: {target} (Nr. 9, 1 Blatt, 459 Belege im Zeitraum)" in (
        captured.err
    )
    assert captured.out.startswith("Mittelabruf Nr. 9")

    class Binary(io.StringIO):
        def __init__(self) -> None:
            super().__init__()
            self.buffer = io.BytesIO()

    out = Binary()
    status = main(["abruf", str(BOCHUM), "--as-of", "30.06.2025", "--xlsx", "-"], stdout=out)
    assert status == 0
    assert out.getvalue() == ""
    assert out.buffer.getvalue() == target.read_bytes()
    assert "Mittelabruf geschrieben: Standardausgabe" in capsys.readouterr().err


# --- English -----------------------------------------------------------------------------------


def test_english_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["abruf", str(BOCHUM), "--next", "--as-of", "2025-06-30", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Drawdown call no. 9 of 12 — phase B (Umsetzungsphase)\n")
    for text in (
        "Amount requested:",
        "€1,383,687.57",
        "in arrears every 6 months",
        "Expenditure in the period per budget line (eligible):",
        "of which own funds",
        "459 vouchers in the period",
        "open after this call",
    ):
        assert text in out, text
    for german in ("Ausgaben", "angeforderter", "Abrufe davor", "gebucht", "Summe"):
        assert german not in out, german
    data = call_to_bytes(fm.call_document(_report_without_ledger(), 1), lang="en")
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Drawdown call"]


def _report_without_ledger() -> fm.Report:
    return fm.evaluate(load_case(BOCHUM), KEY_DATE)


def test_the_document_dumps_as_json_with_its_words(bochum: fm.Report) -> None:
    doc = fm.call_document(bochum, next=True)
    dumped = doc.model_dump(mode="json", context={"lang": "en"})
    assert dumped["number"] == 9
    assert dumped["call"]["amount"] == "1383687.57"
    assert dumped["basis_text"].startswith("MPSC-Förderrichtlinie")


@settings(max_examples=12, deadline=None)
@given(as_of=st.dates(min_value=date(2021, 11, 1), max_value=date(2027, 12, 31)))
def test_every_call_reconciles_on_any_key_date(as_of: date) -> None:
    report = fm.evaluate(load_case(BOCHUM), as_of)
    plan = report.drawdowns
    spent: dict[str, Decimal] = {}
    for number, call in enumerate(plan.calls, 1):
        doc = fm.call_document(report, number)
        funds = doc.funds
        assert doc.amount == call.amount
        assert funds.grant_share + funds.third_party_share + funds.own_share == funds.expenditure
        assert doc.before + doc.amount + doc.after == plan.total
        spent[call.phase] = spent.get(call.phase, Decimal(0)) + funds.expenditure
    for phase, amount in spent.items():
        assert amount == sum(
            (lf.forecast for lf in report.forecast.lines if lf.phase == phase), Decimal(0)
        )
    upcoming = [n for n, c in enumerate(plan.calls, 1) if c.kind == "planned" and c.on > as_of]
    if upcoming:
        assert fm.call_document(report, next=True).number == upcoming[0]
