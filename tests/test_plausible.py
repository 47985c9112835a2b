"""Plausible values only: ranges checked on load, and no interest figure shown as 0,00 € when it
could not be computed.

Bad case files are the Bochum example with one value changed, written next to a copy of its
ledger; each is loaded with ``load_case`` and run through the command line (exit 2). Figures
that cannot be computed are error findings (exit 1) and read "nicht berechenbar".
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import foerdermittel as fm
from foerdermittel import cli
from foerdermittel.errors import CaseError
from foerdermittel.export import excel
from foerdermittel.interest import BaseRate, InterestError, RateOrigin, rate_table
from foerdermittel.plausible import AMOUNT_LIMIT, amount_problem, base_rate_problem

from .common import BOCHUM, ROOT, bochum_data

D = Decimal
TEXT = BOCHUM.read_text(encoding="utf-8")
LEDGER = BOCHUM.parent / "bochum-ledger.csv"

BASE_RATE = "assumed_base_rate = 1.27"


def variant(old: str, new: str) -> str:
    """The example's text with the one occurrence of ``old`` replaced by ``new``."""
    assert TEXT.count(old) == 1, f"snippet not unique in the example: {old!r}"
    return TEXT.replace(old, new)


def settings(line: str) -> str:
    """The example with one more line in its [settings] table."""
    return variant(BASE_RATE, f"{BASE_RATE}\n{line}")


def write(tmp_path: Path, text: str) -> Path:
    shutil.copy(LEDGER, tmp_path / LEDGER.name)
    path = tmp_path / "fall.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- Ranges checked on load --------------------------------------------------------------------

# (case text, field path, words the message must contain: the range)
OUT_OF_RANGE = [
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = -100"),
        "settings.assumed_base_rate",
        "-5 % bis 15 %",
        id="base-rate-minus-100",
    ),
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = 99999"),
        "settings.assumed_base_rate",
        "-5 % bis 15 %",
        id="base-rate-99999",
    ),
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = 1e400"),
        "settings.assumed_base_rate",
        "zu groß",
        id="base-rate-1e400",
    ),
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = 1e-400"),
        "settings.assumed_base_rate",
        "zwei",
        id="base-rate-1e-400",
    ),
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = 15.01"),
        "settings.assumed_base_rate",
        "-5 % bis 15 %",
        id="base-rate-just-above",
    ),
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = -5.01"),
        "settings.assumed_base_rate",
        "-5 % bis 15 %",
        id="base-rate-just-below",
    ),
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = 1.2755"),
        "settings.assumed_base_rate",
        "zwei",
        id="base-rate-four-places",
    ),
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = 1.275"),
        "settings.assumed_base_rate",
        "mehrdeutig",
        id="base-rate-three-places-ambiguous",
    ),
    pytest.param(
        variant(BASE_RATE, "assumed_base_rate = true"),
        "settings.assumed_base_rate",
        "Wahrheitswert",
        id="base-rate-boolean",
    ),
    pytest.param(
        settings("due_soon_days = -1"), "settings.due_soon_days", "mindestens 0", id="due-soon-neg"
    ),
    pytest.param(
        settings("due_soon_days = 366"),
        "settings.due_soon_days",
        "höchstens 365",
        id="due-soon-366",
    ),
    pytest.param(
        settings("due_soon_days = 100000000000"),
        "settings.due_soon_days",
        "höchstens 365",
        id="due-soon-huge",
    ),
    pytest.param(
        variant("eligible_expenditure = 1100000.00", "eligible_expenditure = 1000000000000.00"),
        "grant.phases[0].eligible_expenditure",
        "1.000.000.000.000 €",
        id="amount-10-to-12",
    ),
    pytest.param(
        variant("max_amount = 9880000.00", "max_amount = 5e14"),
        "grant.max_amount",
        "1.000.000.000.000 €",
        id="amount-exponent",
    ),
    pytest.param(
        variant("amount = 22336.35", "amount = 2233600000000.00"),
        "payouts[0].amount",
        "1.000.000.000.000 €",
        id="payout-amount",
    ),
    pytest.param(
        variant("amounts = { 2022 = 250000.00 }", "amounts = { 2022 = 999999999999999.00 }"),
        "plan.lines[2].amounts.2022",
        "1.000.000.000.000 €",
        id="line-amount",
    ),
    pytest.param(
        variant("amounts = { 2022 = 250000.00 }", "amounts = { 1989 = 250000.00 }"),
        "plan.lines[2].amounts",
        "1990–2100",
        id="line-year",
    ),
    pytest.param(
        variant(
            "eligible_expenditure = 1100000.00",
            "eligible_expenditure = 1100000.00\nannual_grant = { 2021 = 1.00, 2999 = 2.00 }",
        ),
        "grant.phases[0].annual_grant",
        "1990–2100",
        id="annual-grant-year",
    ),
    pytest.param(
        variant(
            "# --- Phase A: strategy",
            "[plan]\nineligible = { 1900 = 5.00 }\n\n# --- Phase A: strategy",
        ),
        "plan.ineligible",
        "1990–2100",
        id="ineligible-year",
    ),
]


@pytest.mark.parametrize(("text", "path", "range_words"), OUT_OF_RANGE)
def test_out_of_range_is_refused_on_load(
    tmp_path: Path, text: str, path: str, range_words: str
) -> None:
    case_path = write(tmp_path, text)
    with pytest.raises(CaseError) as info:
        fm.load_case(case_path)
    (problem,) = info.value.problems
    assert problem.path == path
    assert range_words in problem.message
    assert str(info.value).startswith(f"{case_path}: {path}: ")


@pytest.mark.parametrize(("text", "path", "range_words"), OUT_OF_RANGE)
def test_out_of_range_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, path: str, range_words: str
) -> None:
    case_path = write(tmp_path, text)
    assert cli.main(["proof", str(case_path), "--as-of", "30.06.2027"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"foerdermittel: {case_path}: {path}: ")
    assert range_words in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    "line",
    [
        "assumed_base_rate = -5",
        "assumed_base_rate = 15",
        "assumed_base_rate = -0.88",
        "assumed_base_rate = 3.62",
        'assumed_base_rate = "1.27"',
        "assumed_base_rate = 2",
    ],
)
def test_plausible_base_rates_load_as_written(tmp_path: Path, line: str) -> None:
    case = fm.load_case(write(tmp_path, variant(BASE_RATE, line)))
    written = line.split("= ")[1].strip('"')
    assert case.settings.assumed_base_rate == D(written)
    assert str(case.settings.assumed_base_rate) == written  # as typed, not normalised


@pytest.mark.parametrize(("days", "ok"), [(0, True), (365, True), (366, False), (-1, False)])
def test_due_soon_days_bounds(days: int, ok: bool) -> None:
    if ok:
        assert fm.Settings(due_soon_days=days).due_soon_days == days
    else:
        with pytest.raises(ValueError, match="due_soon_days"):
            fm.Settings(due_soon_days=days)


def test_float_base_rate_from_python_is_refused() -> None:
    with pytest.raises(ValueError, match="Gleitkommazahl"):
        fm.Settings(assumed_base_rate=1.27)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("units", "per_unit", "words"),
    [
        (1_000_000_001, "1.00", "höchstens 1000000000"),
        (1_000_000, "1000000.00", "1.000.000.000.000 €"),
        (0, "1.00", "mindestens 1"),
    ],
)
def test_units_and_their_product_are_plausible(units: int, per_unit: str, words: str) -> None:
    data = bochum_data()
    data["grant"]["phases"][0] |= {"units": units, "amount_per_unit": per_unit}
    with pytest.raises(CaseError) as info:
        fm.Case.from_data(data)
    (problem,) = info.value.problems
    assert problem.path.startswith("grant.phases[0]")
    assert words in problem.message


def test_amount_limit_is_exclusive_and_signless() -> None:
    below = AMOUNT_LIMIT - D("0.01")
    assert amount_problem(below) is None
    assert amount_problem(-below) is None
    assert amount_problem(AMOUNT_LIMIT) is not None
    assert amount_problem(-AMOUNT_LIMIT) is not None


def test_ledger_amount_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, TEXT)
    with (tmp_path / LEDGER.name).open("a", encoding="utf-8") as ledger:
        ledger.write("BO-X;01.03.2023;1000000000000,00;B-1.1;X;Y;Ausgabe;\n")
    with pytest.raises(fm.FoerdermittelError) as info:
        cli._load(str(path), None)
    assert "1.000.000.000.000" in str(info.value)


@pytest.mark.parametrize(
    ("rate", "words"),
    [
        (D("-100"), "-5 % bis 15 %"),
        (D("99999"), "-5 % bis 15 %"),
        (D("1E+400"), "-5 % bis 15 %"),
        (D("1.234"), "zwei"),
    ],
)
def test_base_rate_file_rows_and_compute_interest_check_the_range(
    rate: Decimal, words: str
) -> None:
    problem = base_rate_problem(rate)
    assert problem is not None
    assert words in problem
    row = BaseRate(valid_from=date(2026, 7, 1), rate=rate, source="Zeile 9", origin=RateOrigin.FILE)
    with pytest.raises(CaseError, match="Zeile 9") as info:
        rate_table((row,), file="b.csv")
    assert words in str(info.value)
    with pytest.raises(InterestError, match="assumed_base_rate") as raised:
        fm.compute_interest(
            D("13000.00"), date(2026, 1, 1), date(2027, 6, 30), assumed_base_rate=rate
        )
    assert words in str(raised.value)


def test_interest_command_refuses_an_implausible_assumed_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["interest", "13000", "2026-01-01", "2027-06-30", "--assumed-rate", "-100"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "-5 % bis 15 %" in err
    assert "Traceback" not in err


# --- A figure that cannot be computed is an error, never 0,00 € --------------------------------


def _one_phase(
    payout: tuple[str, str], *, end: str = "2025-12-31", settings: dict[str, Any] | None = None
) -> fm.Case:
    """One phase from 2024 (ANBest-Gk 2019), 200,000 € eligible at 50 %, one payout, one
    voucher of 2,000 € on 10.03.2025; the proof of use is recorded as submitted."""
    day, amount = payout
    return fm.Case.from_data(
        {
            "grant": {
                "id": "T",
                "funder": "Bund",
                "recipient": "Stadt",
                "land": "NW",
                "funder_land": "NW",
                "rulebook": "anbest-gk-2019",
                "decision_date": "2023-12-01",
                "financing_type": "anteilfinanzierung",
                "rate": "0.5",
                "phases": [
                    {
                        "id": "P",
                        "title": "Projekt",
                        "start": "2024-01-01",
                        "end": end,
                        "eligible_expenditure": "200000.00",
                    }
                ],
            },
            "plan": {
                "lines": [
                    {
                        "id": "L",
                        "title": "Ansatz",
                        "phase": "P",
                        "category": "material",
                        "amounts": {"2024": "100000.00", "2025": "100000.00"},
                    }
                ]
            },
            "expenditures": [
                {"id": "B1", "line": "L", "paid_on": "2025-03-10", "amount": "2000.00"},
            ],
            "payouts": [{"id": "A1", "phase": "P", "amount": amount, "paid_on": day}],
            "submissions": [{"deadline": "proof-of-use:P", "submitted_on": "2026-03-02"}],
            "settings": settings or {},
        }
    )


# (case, key date, which interest cannot be computed)
INCOMPUTABLE = [
    pytest.param(
        # 9,000 € to refund, interest from 31.12.2025 to the key date, past the shipped table
        _one_phase(("2025-03-03", "10000.00")),
        date(2026, 11, 26),
        "refund",
        id="refund-interest-past-the-table",
    ),
    pytest.param(
        # 9,000 € of a payout unused while the phase runs on: interest to the key date, past
        # the shipped table
        _one_phase(("2025-03-03", "10000.00"), end="2027-12-31"),
        date(2026, 11, 26),
        "late-use",
        id="late-use-interest-past-the-table",
    ),
]


@pytest.mark.parametrize(("case", "as_of", "what"), INCOMPUTABLE)
def test_incomputable_interest_is_an_error_finding(case: fm.Case, as_of: date, what: str) -> None:
    report = fm.evaluate(case, as_of)
    errors = [f for f in report.findings if f.severity is fm.Severity.ERROR]
    assert [f.code for f in errors] == ["interest-not-computed"]
    assert "nicht berechenbar" in errors[0].message
    assert "fehlt" in errors[0].message
    assert "assumed_base_rate" in errors[0].message  # how to get the figure
    if what == "refund":
        assert not report.proof_of_use.refund_interest_complete
        assert report.proof_of_use.phases[0].refund_interest == ()
        assert report.interest.complete
        (refund,) = [f for f in report.findings if f.code == "refund-due"]
        assert "Zinsen nicht berechenbar" in refund.message
    else:
        assert report.proof_of_use.refund_interest_complete
        assert not report.interest.complete
        (unused,) = [f for f in report.findings if f.code == "payout-unused"]
        assert "Zinsen nicht berechenbar" in unused.message
    # with a plausible assumption the same case computes and has no error
    assumed = case.model_copy(
        update={"settings": case.settings.model_copy(update={"assumed_base_rate": D("1.27")})}
    )
    computed = fm.evaluate(assumed, as_of)
    assert not computed.has_errors
    assert computed.proof_of_use.refund_interest_complete
    assert computed.interest.complete


@pytest.mark.parametrize(("case", "as_of", "what"), INCOMPUTABLE)
def test_incomputable_interest_through_the_cli(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: fm.Case,
    as_of: date,
    what: str,
) -> None:
    path = tmp_path / "fall.json"
    fm.save_case(case, path)
    assert cli.main(["proof", str(path), "--as-of", as_of.isoformat()]) == 1
    out = capsys.readouterr().out
    label = (
        "Erstattungszinsen (§ 49a Abs. 3 VwVfG)"
        if what == "refund"
        else "Zinsen für nicht alsbald verwendete Mittel (§ 49a Abs. 4 VwVfG)"
    )
    (line,) = [x for x in out.splitlines() if x.startswith(label)]
    assert line.endswith("nicht berechenbar (siehe Feststellungen)")
    assert "[Fehler]" in out
    assert "nicht berechenbar; der Betrag fehlt" in out
    # the workbook shows the same words where the amount would stand
    book = openpyxl.load_workbook(io.BytesIO(excel.to_bytes(fm.evaluate(case, as_of))))
    cells = [row for sheet in book for row in sheet.iter_rows(values_only=True) if label in row]
    assert cells
    for row in cells:
        assert "nicht berechenbar" in row
        assert 0 not in row


def test_bochum_without_assumed_rate_says_the_refund_interest_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, variant(BASE_RATE, ""))
    assert cli.main(["proof", str(path), "--as-of", "30.06.2027"]) == 1
    out = capsys.readouterr().out
    assert "Erstattungszinsen (§ 49a Abs. 3 VwVfG): nicht berechenbar" in out
    assert "Erstattungszinsen (§ 49a Abs. 3 VwVfG): 0,00" not in out
    assert "[Fehler] Phase A: Erstattungszinsen nicht berechenbar" in out


def test_the_issue_inputs_in_a_subprocess(tmp_path: Path) -> None:
    """-100, 99999 and 1e400 end with exit 2, one German line and no traceback."""
    for value in ("-100", "99999", "1e400"):
        path = write(tmp_path, variant(BASE_RATE, f"assumed_base_rate = {value}"))
        result = subprocess.run(
            [sys.executable, "-m", "foerdermittel", "proof", str(path), "--as-of", "30.06.2027"],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "-5 % bis 15 %" in result.stderr or "zu groß" in result.stderr
        assert result.stdout == ""


def test_a_german_base_rate_is_read_as_every_percentage() -> None:
    text = variant(BASE_RATE, 'assumed_base_rate = "1,27 %"')
    case = fm.loads_case(text, fmt="toml")
    assert case.settings.assumed_base_rate == D("1.27")
