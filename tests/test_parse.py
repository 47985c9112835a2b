"""Numbers and dates mean one thing everywhere: command line, case file and ledger agree.

Each text goes to every edge that reads it; all of them give the same value, or all of them
refuse it for the same reason.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel import cli
from foerdermittel.io.ledger import LedgerError, read_ledger
from foerdermittel.money import to_money, to_rate
from foerdermittel.parse import (
    ParseError,
    parse_amount,
    parse_date,
    parse_number,
    parse_percent,
    to_date,
)

from .common import bochum_text_without_records

D = Decimal

# text -> the amount, or a piece of the reason every edge gives for refusing it
AMOUNTS: list[tuple[str, Decimal | str]] = [
    ("1.234,56", D("1234.56")),
    ("1234,56", D("1234.56")),
    ("1234.56", D("1234.56")),
    ("-1.234,56", D("-1234.56")),
    ("+12,5", D("12.50")),
    ("1,5", D("1.50")),
    ("12.34", D("12.34")),
    ("100000.00", D("100000.00")),
    ("100.000,00", D("100000.00")),
    ("1.234.567", D("1234567.00")),
    ("1.234.567,89", D("1234567.89")),
    ("500", D("500.00")),
    ("0", D("0.00")),
    ("-0,00", D("0.00")),
    ("7 €", D("7.00")),
    (" 1.000,00 ", D("1000.00")),
    # ambiguous: thousands separator or decimal separator?
    (
        "1.000",
        "mit Punkt als Tausendertrennzeichen 1.000,00 €, mit Punkt als Dezimaltrenner 1,00 €",
    ),
    ("100.000", "eindeutig geschrieben: 100.000,00 oder 100000.00 bzw. 100,00"),
    ("-1.500", "mehrdeutig"),
    ("1.234", "mit Punkt als Dezimaltrenner 1,234 (mehr als zwei Nachkommastellen"),
    ("1,000", "mit Komma als Tausendertrennzeichen 1.000,00 €"),
    ("100,000", "mehrdeutig"),
    ("12,345", "mehrdeutig"),
    # English format
    ("1,234.56", "englisches Zahlenformat"),
    ("1,234,567", "englisches Zahlenformat"),
    # more than two places, never rounded
    ("1234,567", "mehr als zwei Nachkommastellen"),
    ("1.005,001", "mehr als zwei Nachkommastellen"),
    ("0.001", "mehr als zwei Nachkommastellen"),
    ("1000.000", "mehr als zwei Nachkommastellen"),
    # not a number
    ("1 234,56", "keine Zahl"),
    ("1e3", "keine Zahl"),
    ("NaN", "keine Zahl"),
    ("Infinity", "keine Zahl"),
    ("--5", "keine Zahl"),
    ("5,", "keine Zahl"),
    (",5", "keine Zahl"),
    ("01.234,00", "keine Zahl"),
    ("1.2345,00", "keine Zahl"),
    ("12.3.4", "keine Zahl"),
    ("1.234.56", "keine Zahl"),
    ("0x10", "keine Zahl"),
    ("1234567890123456,00", "zu groß"),
]

DATES: list[tuple[str, date | str]] = [
    ("30.06.2025", date(2025, 6, 30)),
    ("1.7.2025", date(2025, 7, 1)),
    ("2025-06-30", date(2025, 6, 30)),
    ("29.02.2024", date(2024, 2, 29)),
    (" 03.02.2025 ", date(2025, 2, 3)),
    ("31.02.2025", "der Februar 2025 hat 28 Tage"),
    ("2025-04-31", "der April 2025 hat 30 Tage"),
    ("01.13.2025", "einen Monat 13 gibt es nicht"),
    ("30.06.25", "zweistellige Jahreszahl"),
    ("06/07/2025", "Tag/Monat ergibt den 6. Juli 2025, Monat/Tag den 7. Juni 2025"),
    ("13/07/2025", "Datum mit Schrägstrichen"),
    ("20250630", "erwartet TT.MM.JJJJ oder JJJJ-MM-TT"),
    ("1719705600", "erwartet TT.MM.JJJJ oder JJJJ-MM-TT"),
    ("2025-6-30", "erwartet TT.MM.JJJJ oder JJJJ-MM-TT"),
    ("2025-06-30T00:00:00", "erwartet TT.MM.JJJJ oder JJJJ-MM-TT"),
    ("gestern", "erwartet TT.MM.JJJJ oder JJJJ-MM-TT"),
]

PERCENTS: list[tuple[str, Decimal | str]] = [
    ("1,27", D("1.27")),
    ("1.27", D("1.27")),
    ("1,27 %", D("1.27")),
    ("-0,88", D("-0.88")),
    ("-0.88 %", D("-0.88")),
    ("3,625", "mehrdeutig"),
    ("0,12", D("0.12")),
    ("1.000", "mehrdeutig"),
    ("1,250", "mit Komma als Dezimaltrenner 1,25, mit Komma als Tausendertrennzeichen 1250"),
    ("1,234.5", "englisches Zahlenformat"),
    ("nan", "keine Zahl"),
    ("1e400", "keine Zahl"),
    ("99999999999999999", "zu groß"),
]


# --------------------------------------------------------------------------- the edges


def _cli(parse: Callable[[str], object]) -> Callable[[str], object]:
    def edge(text: str) -> object:
        try:
            return parse(text)
        except argparse.ArgumentTypeError as exc:
            return Refused(str(exc))

    return edge


class Refused:
    """A refusal and its message."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"Refused({self.message!r})"


def _refused(exc: fm.CaseError) -> Refused:
    """The refusal of the one problem ``exc`` reports."""
    problems = exc.problems
    assert len(problems) == 1, problems
    return Refused(problems[0].message)


def _toml_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def case_file(entry: str, tmp_path: Path, want: str = "amount") -> object:
    """Load the Bochum case with ``entry`` added; the value read, or the refusal."""
    path = tmp_path / "fall.toml"
    path.write_text(bochum_text_without_records() + entry, encoding="utf-8")
    try:
        case = fm.load_case(path)
    except fm.CaseError as exc:
        return _refused(exc)
    if case.expenditures:
        expenditure = case.expenditures[0]
        return expenditure.amount if want == "amount" else expenditure.paid_on
    return case.settings.assumed_base_rate


def case_amount(text: str, tmp_path: Path) -> object:
    entry = (
        '\n[[expenditures]]\nid = "T-1"\nline = "A-1"\npaid_on = 2025-02-03\n'
        f'amount = "{_toml_text(text)}"\n'
    )
    return case_file(entry, tmp_path)


def case_date(text: str, tmp_path: Path) -> object:
    entry = (
        '\n[[expenditures]]\nid = "T-1"\nline = "A-1"\n'
        f'paid_on = "{_toml_text(text)}"\namount = "1.00"\n'
    )
    return case_file(entry, tmp_path, "date")


def case_percent(text: str, tmp_path: Path) -> object:
    return case_file(f'\n[settings]\nassumed_base_rate = "{_toml_text(text)}"\n', tmp_path)


def ledger(cell: str, tmp_path: Path, *, column: str) -> object:
    """Read a one-row ledger with ``cell`` in ``column``; the value read, or the refusal."""
    amount, paid_on = ("1,00", cell) if column == "date" else (cell, "03.02.2025")
    path = tmp_path / "belege.csv"
    path.write_text(
        f"Belegnummer;Zahlungsdatum;Betrag;Einzelansatz\nB-1;{paid_on};{amount};A-1\n",
        encoding="utf-8",
    )
    try:
        read = read_ledger(path)
    except LedgerError as exc:
        return _refused(exc)
    (entry,) = read.expenditures
    return entry.paid_on if column == "date" else entry.amount


def check(expected: object, results: dict[str, object]) -> None:
    """Every edge gives ``expected`` (a value) or refuses with it (a piece of the reason)."""
    if isinstance(expected, str):
        for edge, result in results.items():
            assert isinstance(result, Refused), (edge, result)
            assert expected in result.message, (edge, result.message)
        reason = results["parse"].message  # type: ignore[union-attr]
        for edge, result in results.items():
            assert result.message.endswith(reason), (edge, result.message)  # type: ignore[union-attr]
    else:
        assert results == dict.fromkeys(results, expected), results


# --------------------------------------------------------------------------- the tables


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_an_amount_means_one_thing_everywhere(
    tmp_path: Path, text: str, expected: Decimal | str
) -> None:
    results = {
        "parse": _parse(parse_amount, text),
        "command line": _cli(cli._amount_arg)(text),
        "case file": case_amount(text, tmp_path),
        "ledger": ledger(text, tmp_path, column="amount"),
    }
    check(expected, results)
    if not isinstance(expected, str):
        assert all(v.as_tuple().exponent == -2 for v in results.values())  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_a_date_means_one_thing_everywhere(tmp_path: Path, text: str, expected: date | str) -> None:
    results = {
        "parse": _parse(parse_date, text),
        "command line": _cli(cli._date_arg)(text),
        "case file": case_date(text, tmp_path),
        "ledger": ledger(text, tmp_path, column="date"),
    }
    check(expected, results)


@pytest.mark.parametrize(("text", "expected"), PERCENTS)
def test_a_percentage_means_one_thing_everywhere(
    tmp_path: Path, text: str, expected: Decimal | str
) -> None:
    results = {
        "parse": _parse(parse_percent, text),
        "command line": _cli(cli._rate_arg)(text),
        "case file": case_percent(text, tmp_path),
    }
    check(expected, results)


def _parse(parse: Callable[[str], object], text: str) -> object:
    try:
        return parse(text)
    except ParseError as exc:
        return Refused(str(exc))


# --------------------------------------------------------------------------- numbers in files


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("100.000", "mehrdeutig"),  # a TOML number: 100.000,00 € or 100,00 €?
        ("1.500", "mehrdeutig"),
        ("1.005", "mehrdeutig"),
        ("1000.000", D("1000.00")),  # no thousands reading: exact, nothing rounded
        ("1234.5", D("1234.50")),
        ("100000", D("100000.00")),
    ],
)
def test_a_toml_number_is_read_like_the_same_text(
    tmp_path: Path, literal: str, expected: Decimal | str
) -> None:
    entry = (
        f'\n[[expenditures]]\nid = "T-1"\nline = "A-1"\npaid_on = 2025-02-03\namount = {literal}\n'
    )
    result = case_file(entry, tmp_path)
    if isinstance(expected, str):
        assert isinstance(result, Refused)
        assert expected in result.message
        text_result = case_amount(literal, tmp_path)
        assert isinstance(text_result, Refused)
        assert (
            text_result.message.split(" ist kein Betrag: ")[1]
            == (result.message.split(" ist kein Betrag: ")[1])
        )
    else:
        assert result == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0,65", D("0.65")),
        ("0.65", D("0.65")),
        ("65 %", D("0.65")),
        ("65,5 %", D("0.655")),
        (D("0.650"), D("0.650")),
        ("1.000", "mehrdeutig"),
        ("0,5,", "keine Zahl"),
        ("65", "nicht im Bereich"),
    ],
)
def test_a_rate_reads_like_a_number(value: object, expected: Decimal | str) -> None:
    if isinstance(expected, str):
        with pytest.raises(ValueError, match=expected):
            to_rate(value)
    else:
        assert to_rate(value) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1719705600, "Zahl statt Datum"),
        (Decimal("20250630"), "Zahl statt Datum"),
        (True, "Zahl statt Datum"),
        ("2025-06-30T12:00:00", "erwartet TT.MM.JJJJ"),
        (None, "kein Datum"),
    ],
)
def test_a_case_date_is_never_a_number(value: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        to_date(value)


def test_a_case_date_with_a_time_of_day_is_refused(tmp_path: Path) -> None:
    entry = '\n[[expenditures]]\nid = "T-1"\nline = "A-1"\npaid_on = {}\namount = "1.00"\n'
    for moment in ("2025-02-03T00:00:00", "2025-02-03T10:30:00"):  # a day is meant
        refused = case_file(entry.format(moment), tmp_path, "date")
        assert isinstance(refused, Refused)
        assert "Datum mit Uhrzeit" in refused.message


def test_the_command_line_names_the_text_and_both_readings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["interest", "100.000", "01.03.2024", "31.08.2024"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "'100.000' ist kein Betrag: mehrdeutig" in err
    assert "100.000,00 €" in err
    assert "100,00 €" in err
    assert "100000.00" in err


# --------------------------------------------------------------------------- properties

german_amounts = st.decimals(
    min_value=D("-999999999999.99"), max_value=D("999999999999.99"), places=2, allow_nan=False
)


def _german_text(amount: Decimal) -> str:
    whole, _, fraction = f"{abs(amount):.2f}".partition(".")
    return ("-" if amount < 0 else "") + f"{int(whole):,}".replace(",", ".") + "," + fraction


@given(german_amounts)
def test_german_and_point_forms_give_the_same_amount(amount: Decimal) -> None:
    assert parse_amount(_german_text(amount)) == amount
    assert parse_amount(f"{amount:.2f}") == amount
    assert to_money(_german_text(amount)) == amount


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_one_separator_before_three_digits_is_always_refused(head: int, tail: int) -> None:
    for separator in ".,":
        text = f"{head}{separator}{tail:03d}"
        with pytest.raises(ParseError, match="mehrdeutig"):
            parse_amount(text)
        with pytest.raises(ParseError, match="mehrdeutig"):
            parse_number(text)
