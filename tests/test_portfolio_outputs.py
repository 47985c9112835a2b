"""The portfolio's outputs: the command, its text, workbook, calendar, JSON, HTML, DataFrames.

The example portfolio (examples/portfolio/portfolio.toml) on 30.06.2025, figures by hand from
the grants' own reports:

* approved: MPSC 9.880.000,00 + KfW 432 202.500,00 + Städtebauförderung 1.800.000,00
  + EFRE 253.200,00 = 12.135.700,00 €; received 5.783.943,75 + 67.500,00 + 666.000,00
  + 50.640,00 = 6.568.083,75 €; not called 12.135.700,00 − 6.568.083,75 = 5.567.616,25 €.
* own share 2025: 1.502.198,15 + 22.500,00 + 515.187,17 + 27.700,00 = 2.067.585,32 €, against
  the Haushaltsplan's 1.950.000,00 €: 117.585,32 € over (headroom −117.585,32 €).
* refund at risk of MPSC: refund 13.000,00 + its interest 2.108,09 + late-use interest 601,85
  = 15.709,94 €.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.cli import main
from foerdermittel.cli.portfolio import evaluation_status
from foerdermittel.errors import ArgumentError, CaseError, Problem
from foerdermittel.export import ical
from foerdermittel.export.excel.formulas import _mismatches
from foerdermittel.export.excel.portfolio import (
    PORTFOLIO_SHEETS,
    _portfolio_workbook,
    portfolio_sheet_names,
    portfolio_to_bytes,
    write_portfolio,
)
from foerdermittel.export.frames import portfolio_frame, portfolio_frames
from foerdermittel.export.html import portfolio_html
from foerdermittel.export.portfolio_ical import portfolio_to_ics, write_portfolio_ics
from foerdermittel.export.portfolio_text import (
    coming_deadlines,
    coming_prefinancing,
    render_portfolio,
)
from foerdermittel.messages import Words
from foerdermittel.portfolio import GrantFailure, PortfolioEvaluationError, PortfolioReport

from .common import ROOT

PORTFOLIO = ROOT / "examples" / "portfolio" / "portfolio.toml"
AS_OF = date(2025, 6, 30)
D = Decimal


@pytest.fixture(scope="module")
def loaded() -> fm.Portfolio:
    return fm.load_portfolio(PORTFOLIO)


@pytest.fixture(scope="module")
def report(loaded: fm.Portfolio) -> PortfolioReport:
    return fm.evaluate_portfolio(loaded, AS_OF)


def _plain(text: str) -> str:
    """Text with the no-break spaces of amounts (``1,00\xa0€``) as plain spaces."""
    return text.replace("\xa0", " ")


def _run(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(argv, stdout=stdout)
    return status, _plain(stdout.getvalue()), _plain(stderr.getvalue())


def _binary_run(argv: list[str]) -> tuple[int, bytes, str]:
    """Run with a standard output that has a binary buffer (as a redirected one has)."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n", write_through=True)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(argv, stdout=stdout)
    stdout.flush()
    buffer = stdout.buffer
    assert isinstance(buffer, io.BytesIO)
    return status, buffer.getvalue(), stderr.getvalue()


# --- the command --------------------------------------------------------------------------------


def test_the_command_prints_the_overview_and_writes_both_files(tmp_path: Path) -> None:
    xlsx, ics = tmp_path / "p.xlsx", tmp_path / "p.ics"
    argv = ["portfolio", str(PORTFOLIO), "--as-of", "2025-06-30", "--xlsx", str(xlsx)]
    status, out, err = _run([*argv, "--ics", str(ics)])
    assert status == 1  # the double claim and the year over its appropriation are errors
    assert "Kommune:     Stadt Bochum (NW)" in out
    assert "Förderfälle: 4" in out
    year = next(line for line in out.splitlines() if line.startswith("2025  "))
    assert "2.067.585,32 €" in year
    assert "1.950.000,00 €" in year
    assert "117.585,32 €" in year
    assert year.endswith("über dem Ansatz")
    assert "Beleg BO-2024-006749 (B-4.1) auch im Belegbuch von 35.02-SF-2024-BO-009" in out
    assert "Grünpflege Mühlenbeck GmbH, 04.09.2024, 12.054,96 € — Doppelförderung" in out
    assert "Grundlage: ANBest Nr. 5.1, Nr. 8.2.1 (Doppelförderung)" in out
    assert "Abstimmung: 99 Prüfungen, alle stimmen" in out
    assert err.splitlines() == [
        f"Arbeitsmappe geschrieben: {xlsx} (6 Blätter, 4 Förderfälle)",
        f"Kalender geschrieben: {ics} (30 Termine)",
    ]
    assert xlsx.read_bytes()[:2] == b"PK"
    assert ics.read_bytes().count(b"BEGIN:VEVENT") == 30


def test_one_line_per_grant_with_its_money(report: PortfolioReport) -> None:
    text = _plain(render_portfolio(report))
    mpsc = next(line for line in text.splitlines() if line.startswith("MPSC-2021-BO"))
    for figure in ("mpsc-2021", "9.880.000,00 €", "5.783.943,75 €", "11.007.125,12 €"):
        assert figure in mpsc
    assert "4.096.056,25 €" in mpsc
    assert "15.709,94 €" in mpsc
    assert mpsc.endswith("0/6")
    total = next(line for line in text.splitlines() if line.startswith("Gesamt "))
    assert "12.135.700,00 €" in total
    assert "6.568.083,75 €" in total
    assert "5.567.616,25 €" in total


def test_a_portfolio_without_errors_exits_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PortfolioReport, "has_errors", property(lambda self: False))
    status, out, _ = _run(["portfolio", str(PORTFOLIO), "--as-of", "30.06.2025"])
    assert status == 0
    assert out.startswith("Fördermittelportfolio")


def test_a_missing_portfolio_file_is_unusable_input(tmp_path: Path) -> None:
    status, out, err = _run(["portfolio", str(tmp_path / "fehlt.toml")])
    assert status == 2
    assert out == ""
    assert err == f"foerdermittel: {tmp_path / 'fehlt.toml'}: Datei nicht gefunden\n"


def test_a_missing_case_file_names_the_entry(tmp_path: Path) -> None:
    text = PORTFOLIO.read_text(encoding="utf-8").replace(
        'file = "efre-bochum.toml"', 'file = "efre-fehlt.toml"'
    )
    (tmp_path / "portfolio.toml").write_text(
        text.replace('"../bochum-mpsc.toml"', f'"{ROOT / "examples" / "bochum-mpsc.toml"}"'),
        encoding="utf-8",
    )
    for name in ("kfw432-bochum", "stadterneuerung-bochum"):
        for suffix in (".toml", "-ledger.csv"):
            source = PORTFOLIO.parent / f"{name}{suffix}"
            (tmp_path / source.name).write_bytes(source.read_bytes())
    status, out, err = _run(
        ["portfolio", str(tmp_path / "portfolio.toml"), "--as-of", "30.06.2025"]
    )
    assert status == 2
    assert out == ""
    assert "grants[3].file" in err
    assert "efre-fehlt.toml" in err


@pytest.mark.parametrize(
    ("error", "status"),
    [("CaseError", 2), ("CalendarError", 2), ("LedgerError", 2), ("KeyError", 3)],
)
def test_a_grant_that_fails_decides_the_status_by_its_error(error: str, status: int) -> None:
    failure = GrantFailure("EFRE-0400456 (illustrativ)", "efre-bochum.toml", error, "x")
    assert evaluation_status(PortfolioEvaluationError([failure])) == status


def test_a_defect_beside_bad_input_is_a_defect() -> None:
    failures = [
        GrantFailure("A", "a.toml", "CaseError", "x"),
        GrantFailure("B", "b.toml", "ZeroDivisionError", "division by zero"),
    ]
    assert evaluation_status(PortfolioEvaluationError(failures)) == 3


@pytest.mark.parametrize(
    ("raised", "status"),
    [
        (CaseError([Problem("grant.phases[0].end", "x", "kaputt")], file="efre.toml"), 2),
        (ZeroDivisionError("division by zero"), 3),
    ],
)
def test_a_grant_failing_in_the_command(
    monkeypatch: pytest.MonkeyPatch, raised: Exception, status: int
) -> None:
    from foerdermittel.evaluation import evaluate
    from foerdermittel.portfolio import evaluation

    def failing(case: fm.Case, as_of: date) -> fm.Report:
        if case.grant.id.startswith("EFRE"):
            raise raised
        return evaluate(case, as_of)

    monkeypatch.setattr(evaluation, "evaluate", failing)
    code, out, err = _run(["portfolio", str(PORTFOLIO), "--as-of", "30.06.2025"])
    assert code == status
    assert out == ""
    assert err.startswith("foerdermittel: Portfolio nicht ausgewertet: 1 Förderfall")
    assert "EFRE-0400456 (illustrativ) (efre-bochum.toml): " + type(raised).__name__ in err


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--json", "--xlsx", "-"], "--json und --xlsx - schreiben beide"),
        (["--json", "--ics", "-"], "--json und --ics - schreiben beide"),
        (["--xlsx", "-", "--ics", "-"], "--xlsx - und --ics - schreiben beide"),
        (["--json", "--xlsx", "-", "--ics", "-"], "--json und --xlsx - und --ics - schreiben alle"),
    ],
)
def test_only_one_output_can_have_standard_output(
    capsys: pytest.CaptureFixture[str], options: list[str], named: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["portfolio", str(PORTFOLIO), *options])
    assert info.value.code == 2
    assert f"foerdermittel: Aufruf fehlerhaft: {named}" in capsys.readouterr().err


def test_the_workbook_to_standard_output_leaves_the_text_out() -> None:
    status, data, err = _binary_run(
        ["portfolio", str(PORTFOLIO), "--as-of", "30.06.2025", "--xlsx", "-"]
    )
    assert status == 1
    assert data[:2] == b"PK"
    assert err == "Arbeitsmappe geschrieben: Standardausgabe (6 Blätter, 4 Förderfälle)\n"


def test_the_calendar_to_standard_output_leaves_the_text_out(report: PortfolioReport) -> None:
    argv = ["portfolio", str(PORTFOLIO), "--as-of", "30.06.2025", "--ics", "-"]
    status, data, err = _binary_run(argv)
    assert status == 1
    assert data == portfolio_to_ics(report)
    assert err == "Kalender geschrieben: Standardausgabe (30 Termine)\n"


def test_a_workbook_to_a_terminal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(stdout, "isatty", lambda: True)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(["portfolio", str(PORTFOLIO), "--xlsx", "-"], stdout=stdout)
    assert status == 2
    assert "eine Arbeitsmappe ist binär und gehört nicht ins Terminal" in stderr.getvalue()


@pytest.mark.parametrize("option", ["--xlsx", "--ics"])
def test_a_folder_that_does_not_exist(tmp_path: Path, option: str) -> None:
    target = tmp_path / "fehlt" / "p.out"
    status, out, err = _run(
        ["portfolio", str(PORTFOLIO), "--as-of", "30.06.2025", option, str(target)]
    )
    assert status == 2
    assert out == ""
    assert err == f"foerdermittel: {target}: nicht schreibbar: den Ordner gibt es nicht\n"


def test_the_json_is_the_report(report: PortfolioReport) -> None:
    status, out, _ = _run(["portfolio", str(PORTFOLIO), "--as-of", "30.06.2025", "--json"])
    assert status == 1
    data = json.loads(out)
    assert set(data) == set(PortfolioReport.model_fields)
    assert out == _plain(report.to_json()) + "\n"
    year = next(y for y in data["years"] if y["year"] == 2025)
    assert (year["own_share"], year["excess"]) == ("2067585.32", "117585.32")
    assert [f["code"] for f in data["findings"] if f["severity"] == "error"] == [
        "own-share-above-appropriation",
        "own-share-above-appropriation",
        "double-claim",
    ]
    assert set(data["reports"]) == {g.key for g in report.grants}


def test_the_json_is_stable(loaded: fm.Portfolio, report: PortfolioReport) -> None:
    again = fm.evaluate_portfolio(loaded, AS_OF)
    assert again.to_json() == report.to_json()
    assert again.to_json(lang="en") == report.to_json(lang="en")
    english = json.loads(report.to_json(lang="en"))
    assert "Budget year 2025" in json.dumps(english["findings"], ensure_ascii=False)


def test_closed_pipe_ends_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "foerdermittel", "portfolio", str(PORTFOLIO), "--ics", "-"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr.decode()
    assert done.returncode == 141


# --- the text ---------------------------------------------------------------------------------


def test_prefinancing_shows_twelve_months_and_the_peak(report: PortfolioReport) -> None:
    shown = coming_prefinancing(report)
    assert [m.month for m in shown][:1] == [date(2025, 6, 1)]
    assert len(shown) == 12
    assert shown[-1].month == date(2026, 5, 1)
    text = _plain(render_portfolio(report))
    assert "06.2025  1.901.727,85 €" in text
    assert (
        "Höchststand: 1.901.727,85 € Ende 06.2025 (MPSC-2021-BO (illustrativ) 1.383.687,57 €"
        in text
    )
    assert "nach den gezeigten Monaten noch vorfinanziert bis 05.2027" in text


def test_deadlines_of_the_coming_weeks_with_their_owners(loaded: fm.Portfolio) -> None:
    report = fm.evaluate_portfolio(loaded, date(2026, 8, 15))  # eight weeks: to 10.10.2026
    coming = coming_deadlines(report)
    assert [(d.grant, d.deadline.end) for d in coming] == [
        ("MPSC-2021-BO (illustrativ)", date(2026, 9, 30)),
        ("MPSC-2021-BO (illustrativ)", date(2026, 9, 30)),
    ]
    text = _plain(render_portfolio(report))
    assert "Fristen bis 10.10.2026 (nächste 8 Wochen) und versäumte:" in text
    line = next(x for x in text.splitlines() if "Änderungs- oder Verlängerungsantrag Phase B" in x)
    assert "zu erledigen" in line
    assert "Stabsstelle Digitalisierung und Smart City (Projektleitung Smart City" in line
    later = next(x for x in text.splitlines() if "nächste danach" in x)
    assert "31.12.2026 KfW-432-2023-BO (illustrativ)" in later
    assert "Umwelt- und Grünflächenamt (Sachgebiet Klimaschutz (illustrativ))" in later


def test_the_text_in_english(report: PortfolioReport) -> None:
    text = _plain(render_portfolio(report, lang="en"))
    assert "Own share per budget year against the appropriation:" in text
    year = next(line for line in text.splitlines() if line.startswith("2025  "))
    assert "€2,067,585.32" in year
    assert year.endswith("above the appropriation")
    assert "Reconciliation: 99 checks, all agree" in text
    assert "rule out double funding" in text
    assert "Eigenanteil" not in text
    assert "Förderfall" not in text


# --- the workbook ------------------------------------------------------------------------------


def _values(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def _row(ws: openpyxl.worksheet.worksheet.Worksheet, label: object, column: int = 1) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == label)


def _money(value: object) -> Decimal:
    assert isinstance(value, int | float)
    return D(repr(value)).quantize(D("0.01"))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_workbook_totals_are_the_reports(report: PortfolioReport, lang: str) -> None:
    w = Words(lang)
    book = _values(portfolio_to_bytes(report, lang=lang))
    assert tuple(book.sheetnames) == portfolio_sheet_names(lang)
    overview = book[portfolio_sheet_names(lang)[0]]
    total = _row(overview, w("text.total"))
    head = _row(overview, w("portfolio.workbook.head.grant"))
    column = {overview.cell(head, c).value: c for c in range(1, overview.max_column + 1)}
    approved = column[w("portfolio.workbook.head.approved")]
    assert _money(overview.cell(total, approved).value) == D("12135700.00")
    uncalled = column[w("portfolio.workbook.head.uncalled")]
    assert _money(overview.cell(total, uncalled).value) == D("5567616.25")
    risk = column[w("portfolio.workbook.head.refund-at-risk")]
    assert _money(overview.cell(head + 1, risk).value) == D("15709.94")
    own = book[portfolio_sheet_names(lang)[1]]
    for y in report.years:
        r = _row(own, y.year)
        assert _money(own.cell(r, 3).value) == y.own_share
    r2025 = _row(own, 2025)
    assert _money(own.cell(r2025, 12).value) == D("-117585.32")  # headroom
    assert _money(own.cell(_row(own, w("text.sum")), 3).value) == sum(
        (y.own_share for y in report.years), D(0)
    )
    sums = [r for r in range(1, own.max_row + 1) if own.cell(r, 1).value == w("text.sum")]
    per_grant = sums[-1]  # the own share per grant and year: the sums per year
    for offset, y in enumerate(report.years):
        assert _money(own.cell(per_grant, 2 + offset).value) == y.own_share
    months = book[portfolio_sheet_names(lang)[2]]
    for offset, m in enumerate(report.prefinancing):
        assert _money(months.cell(3 + offset, 2).value) == m.total
    assert len(months._charts) == 1


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_formula_differs_from_the_library_figure(report: PortfolioReport, lang: str) -> None:
    wb = _portfolio_workbook(report, Words(lang))
    assert [m for ws in wb.worksheets for m in _mismatches(ws)] == []


def test_the_workbook_and_the_calendar_have_the_same_bytes_each_time(
    loaded: fm.Portfolio, report: PortfolioReport
) -> None:
    again = fm.evaluate_portfolio(loaded, AS_OF)
    assert portfolio_to_bytes(again) == portfolio_to_bytes(report)
    assert portfolio_to_bytes(again, lang="en") == portfolio_to_bytes(report, lang="en")
    assert portfolio_to_ics(again) == portfolio_to_ics(report)


def test_the_workbook_names_the_double_claim_and_stores_user_text_as_text(
    report: PortfolioReport,
) -> None:
    book = _values(portfolio_to_bytes(report))
    findings = book[PORTFOLIO_SHEETS[4]]
    row = _row(findings, "BO-2024-006749", column=2)
    values = [findings.cell(row, c).value for c in range(1, 13)]
    # MPSC's voucher and the Städtebauförderung's, booked under another number: one invoice
    assert values[:4] == [
        "MPSC-2021-BO (illustrativ)",
        "BO-2024-006749",
        "B-4.1",
        "Grünpflege Mühlenbeck GmbH",
    ]
    assert _money(values[5]) == D("12054.96")
    assert values[6] == "2024-0256"
    assert values[7:10] == ["35.02-SF-2024-BO-009 (illustrativ)", "SF-2024-09-G-1-N", "G-1"]
    assert _money(values[10]) == D("12054.96")
    assert values[11] == "Rechnungsnummer und Empfänger, gleicher Betrag"
    tricky = report.model_copy(update={"title": '=HYPERLINK("x")'})
    first = openpyxl.load_workbook(io.BytesIO(portfolio_to_bytes(tricky)))[PORTFOLIO_SHEETS[0]]
    assert first["A1"].data_type == "s"
    assert first["A1"].value == '=HYPERLINK("x")'


def test_write_portfolio_reports_what_it_wrote(report: PortfolioReport, tmp_path: Path) -> None:
    written = write_portfolio(report, tmp_path / "p.xlsx")
    assert (written.sheets, written.grants) == (6, 4)
    assert written.size == (tmp_path / "p.xlsx").stat().st_size


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days=st.integers(min_value=0, max_value=4 * 365))
def test_on_any_key_date_the_workbook_adds_up_to_the_report(
    loaded: fm.Portfolio, days: int
) -> None:
    report = fm.evaluate_portfolio(loaded, date(2023, 1, 1) + timedelta(days=days))
    wb = _portfolio_workbook(report, Words())
    assert [m for ws in wb.worksheets for m in _mismatches(ws)] == []
    own = _values(portfolio_to_bytes(report))[PORTFOLIO_SHEETS[1]]
    for y in report.years:
        assert _money(own.cell(_row(own, y.year), 3).value) == y.own_share


# --- the calendar ------------------------------------------------------------------------------

_UID = re.compile(rb"^UID:(.*(?:\r\n .*)*)", re.MULTILINE)


def _uids(data: bytes) -> list[str]:
    return [m.group(1).replace(b"\r\n ", b"").decode() for m in _UID.finditer(data)]


def test_uids_are_unique_stable_and_the_grants_own(report: PortfolioReport) -> None:
    uids = _uids(portfolio_to_ics(report))
    assert len(uids) == len(report.deadlines) == 30
    assert len(set(uids)) == len(uids)
    assert uids == _uids(portfolio_to_ics(report, lang="en"))  # not the language's
    for key, grant in report.reports.items():
        own = set(_uids(ical.to_ics(grant)))
        slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
        assert own <= set(uids)
        assert all(uid.startswith(slug) for uid in own)


def test_the_calendar_names_grant_and_owner_and_reminds(report: PortfolioReport) -> None:
    text = portfolio_to_ics(report).replace(b"\r\n ", b"").decode()
    assert "SUMMARY:EFRE-0400456 (illustrativ): Verwendungsnachweis Phase V vorlegen" in text
    assert (
        "Federführung: Umwelt- und Grünflächenamt (Sachgebiet Klimaanpassung (illustrativ))" in text
    )
    action = sum(1 for d in report.deadlines if d.deadline.calls_for_action)
    assert text.count("BEGIN:VALARM") == action == 8
    assert "TRIGGER:-P14D" in text
    english = portfolio_to_ics(report, lang="en", reminder_days=7).replace(b"\r\n ", b"").decode()
    assert "Owner: Umwelt- und Grünflächenamt" in english
    assert "TRIGGER:-P7D" in english


def test_write_portfolio_ics_and_bad_reminder_days(report: PortfolioReport, tmp_path: Path) -> None:
    written = write_portfolio_ics(report, tmp_path / "p.ics")
    assert written.events == 30
    assert (tmp_path / "p.ics").read_bytes() == portfolio_to_ics(report)
    with pytest.raises(ArgumentError, match="reminder_days"):
        portfolio_to_ics(report, reminder_days=0)


# --- Jupyter and pandas ------------------------------------------------------------------------


def test_jupyter_shows_the_portfolio(report: PortfolioReport) -> None:
    shown = report._repr_html_()
    assert shown == portfolio_html(report)
    assert "<h3>Fördermittelportfolio der Stadt Bochum (illustrativ)</h3>" in shown
    assert "117.585,32" in shown
    assert "Doppelförderung ausschließen" in shown
    assert "<pre>" in shown  # the text as its fallback
    english = portfolio_html(report, lang="en")
    assert "Own share per budget year" in english
    assert "€117,585.32" in english
    tricky = report.model_copy(update={"title": "<script>alert(1)</script>"})
    assert "<script>" not in portfolio_html(tricky)


def test_dataframes_of_the_portfolio(report: PortfolioReport) -> None:
    frames = portfolio_frames(report)
    assert frames["years"].loc[2025, "Eigenanteil"] == D("2067585.32")
    assert frames["years"].loc[2025, "Überschreitung"] == D("117585.32")
    assert frames["products"].loc[("01.12.01", 2025), "Überschreitung"] == D("102198.15")
    assert sum(frames["controlling"]["bewilligt"]) == D("12135700.00")
    assert len(frames["deadlines"]) == 30
    months = frames["prefinancing"]
    assert months.loc[date(2025, 6, 1), "vorfinanziert"] == D("1901727.85")
    grants = [g.key for g in report.grants]
    assert (months[grants].sum(axis=1) == months["vorfinanziert"]).all()
    from foerdermittel.views import render_view

    assert render_view("frame", report, "controlling").equals(frames["controlling"])
    with pytest.raises(ArgumentError, match="years, products"):
        portfolio_frame(report, "jahre")


def test_the_peak_names_the_largest_parts_only(
    report: PortfolioReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    from foerdermittel.export import portfolio_text

    monkeypatch.setattr(portfolio_text, "_PEAK_GRANTS", 2)
    line = next(x for x in _plain(render_portfolio(report)).splitlines() if "Höchststand" in x)
    # the peak, June 2025: MPSC 1.383.687,57 + Städtebauförderung 395.130,24 + EFRE 89.160,01
    # + KfW 432 33.750,03 = 1.901.727,85 €; the two largest named, two more counted
    assert line == (
        "Höchststand: 1.901.727,85 € Ende 06.2025 (MPSC-2021-BO (illustrativ) 1.383.687,57 €, "
        "35.02-SF-2024-BO-009 (illustrativ) 395.130,24 € und 2 weitere Förderfälle)"
    )


def test_a_missed_deadline_stands_in_the_overview(loaded: fm.Portfolio) -> None:
    # 01.07.2027: MPSC's proof of use for phase B was due on 01.06.2027 and is not recorded
    report = fm.evaluate_portfolio(loaded, date(2027, 7, 1))
    text = _plain(render_portfolio(report))
    line = next(x for x in text.splitlines() if "Verwendungsnachweis Phase B vorlegen" in x)
    assert line.split()[:4] == ["Di.,", "01.06.2027", "MPSC-2021-BO", "(illustrativ)"]
    assert "versäumt, zu erledigen" in line
    assert coming_deadlines(report) == ()  # nothing else falls due by 26.08.2027


def test_without_a_file_name_the_files_are_named_after_the_portfolio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = _run(
        ["portfolio", str(PORTFOLIO), "--as-of", "30.06.2025", "--xlsx", "--ics"]
    )
    assert status == 1
    assert out.startswith("Fördermittelportfolio")
    assert err.splitlines() == [
        "Arbeitsmappe geschrieben: portfolio.xlsx (6 Blätter, 4 Förderfälle)",
        "Kalender geschrieben: portfolio.ics (30 Termine)",
    ]
    assert (tmp_path / "portfolio.xlsx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "portfolio.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
