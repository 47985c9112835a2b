"""Ledger import (CSV and XLSX in German formats) and export: entries, bad input, safety."""

from __future__ import annotations

import re
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from babel.numbers import format_decimal, parse_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foerdermittel.errors import CaseError, Problem
from foerdermittel.io import ledger as ledger_module
from foerdermittel.io.ledger import Ledger, LedgerError, read_ledger, write_ledger_csv
from foerdermittel.model.records import Expenditure, Income

HEADER = (
    "Belegnummer;Zahlungsdatum;Betrag;Netto;Einzelansatz;Zahlungsempfänger;Verwendungszweck;Art"
)
GOOD_ROWS = [
    "B-1;03.02.2025;1.234,56;1.037,45;1.1;Müller GmbH;Laptop;Ausgabe",
    "B-2;2025-02-10;-34,56;;1.1;Müller GmbH;Rabatt;Gutschrift",
    "B-3;7.3.2025;500;;2.1;Stadtwerke Bochum;;",
]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def write_csv(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "b.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def ledger_error(path: Path, **options: object) -> LedgerError:
    """Read ``path``, expect a LedgerError that names the file; return it."""
    with pytest.raises(LedgerError) as info:
        read_ledger(path, **options)  # type: ignore[arg-type]
    assert isinstance(info.value, CaseError)
    assert isinstance(info.value, ValueError)
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: ")
    return info.value


def row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CSV row read by the row reader (``_Rows.add``), none in a block at once."""
    monkeypatch.setattr(ledger_module._BlockReader, "read", lambda *args: None)


def single(exc: CaseError) -> Problem:
    assert len(exc.problems) == 1, exc.problems
    return exc.problems[0]


def bad_row(tmp_path: Path, row: str, **options: object) -> Problem:
    """The only problem of a CSV with one good row and ``row`` as row 3."""
    path = write_csv(tmp_path, csv_text(GOOD_ROWS[0], row))
    return single(ledger_error(path, **options))


def without_origin(entries: Sequence[Expenditure | Income]) -> list[Expenditure | Income]:
    return [e.model_copy(update={"origin": None}) for e in entries]


# --------------------------------------------------------------------------- CSV


def test_reads_utf8_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path, csv_text(*GOOD_ROWS))
    ledger = read_ledger(path)
    assert isinstance(ledger, Ledger)
    assert ledger.file == str(path)
    assert ledger.encoding == "utf-8"
    assert ledger.rows == 3
    assert ledger.income == ()
    first, credit, third = ledger.expenditures
    assert first == Expenditure(
        id="B-1",
        line="1.1",
        paid_on=date(2025, 2, 3),
        amount=Decimal("1234.56"),
        net_amount=Decimal("1037.45"),
        payee="Müller GmbH",
        purpose="Laptop",
        kind="expenditure",
        origin="b.csv:2",
    )
    assert (credit.kind, credit.amount, credit.paid_on) == (
        "credit",
        Decimal("-34.56"),
        date(2025, 2, 10),
    )
    assert (third.amount, third.paid_on, third.purpose, third.origin) == (
        Decimal("500.00"),
        date(2025, 3, 7),
        None,
        "b.csv:4",
    )
    assert str(third.amount) == "500.00"
    assert ledger.control_sum == Decimal("1700.00")


def test_reads_utf8_with_bom(tmp_path: Path) -> None:
    path = write_csv(tmp_path, csv_text(*GOOD_ROWS), encoding="utf-8-sig")
    ledger = read_ledger(path)
    assert ledger.encoding == "utf-8-sig"
    assert ledger.expenditures[0].id == "B-1"  # the BOM is not part of the first column name
    assert ledger.expenditures[0].payee == "Müller GmbH"


def test_reads_windows_1252_with_umlauts(tmp_path: Path) -> None:
    text = csv_text("B-9;01.03.2025;12,00;;3.1;Bäckerei Größe;Brötchen für Workshop (5 €);")
    path = write_csv(tmp_path, text, encoding="cp1252")
    ledger = read_ledger(path)
    assert ledger.encoding == "windows-1252"
    (entry,) = ledger.expenditures
    assert entry.payee == "Bäckerei Größe"
    assert entry.purpose == "Brötchen für Workshop (5 €)"


def test_cells_are_stripped_and_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Müller")
    assert decomposed != "Müller"
    text = csv_text(f"  B-1 ; 03.02.2025 ; 1.234,56 ;;1.1; {decomposed} ;  ;")
    (entry,) = read_ledger(write_csv(tmp_path, text)).expenditures
    assert (entry.id, entry.amount, entry.payee, entry.purpose) == (
        "B-1",
        Decimal("1234.56"),
        "Müller",
        None,
    )


def test_optional_columns_may_be_missing_and_extra_columns_are_ignored(tmp_path: Path) -> None:
    text = csv_text(
        "1;Notiz;03.02.2025;10,00;1.1",
        header="Belegnummer;Bemerkung;Zahlungsdatum;Betrag;Einzelansatz",
    )
    (entry,) = read_ledger(write_csv(tmp_path, text)).expenditures
    assert (entry.id, entry.kind, entry.net_amount, entry.payee) == ("1", "expenditure", None, None)


def test_blank_rows_are_skipped_and_not_counted(tmp_path: Path) -> None:
    path = write_csv(tmp_path, csv_text(GOOD_ROWS[0], "", ";;;;;;;", "  ; ;", GOOD_ROWS[2]))
    ledger = read_ledger(path)
    assert ledger.rows == 2
    assert [e.origin for e in ledger.expenditures] == ["b.csv:2", "b.csv:6"]


def test_column_mapping_override(tmp_path: Path) -> None:
    text = csv_text(
        "R-1;01.04.2025;99,90;4.2;Erstattung", header="Beleg-Nr.;Datum;Brutto;Kostenstelle;Art"
    )
    path = write_csv(tmp_path, text)
    columns = {"id": "Beleg-Nr.", "paid_on": "Datum", "amount": "Brutto", "line": "Kostenstelle"}
    (entry,) = read_ledger(path, columns=columns).expenditures
    assert (entry.id, entry.line, entry.amount, entry.kind) == (
        "R-1",
        "4.2",
        Decimal("99.90"),
        "credit",
    )
    # Without the mapping the German names are missing.
    problem = single(ledger_error(path))
    assert problem.path == "Kopfzeile"
    assert "Pflichtspalte fehlt: 'Belegnummer', 'Zahlungsdatum', 'Betrag'" in problem.message


def test_column_mapping_with_unknown_field_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path, csv_text(*GOOD_ROWS))
    problem = single(ledger_error(path, columns={"betrag": "Summe"}))
    assert problem.path == "columns['betrag']"
    assert "unbekanntes Feld" in problem.message


def test_other_delimiter(tmp_path: Path) -> None:
    text = csv_text(*GOOD_ROWS).replace(";", "\t")
    ledger = read_ledger(write_csv(tmp_path, text), delimiter="\t")
    assert [e.id for e in ledger.expenditures] == ["B-1", "B-2", "B-3"]


def test_credit_notes_and_income(tmp_path: Path) -> None:
    header = HEADER + ";Bezug;Finanzierungsquelle"
    text = csv_text(
        "B-1;03.02.2025;1.000,00;;1.1;Müller GmbH;Laptop;;;",
        "G-1;05.02.2025;-100,00;;1.1;Müller GmbH;Gutschrift Laptop;Gutschrift;B-1;",
        "G-2;06.02.2025;-50,00;;1.1;Müller GmbH;Erstattung;erstattung;B-1;",
        "E-1;01.03.2025;20.000,00;;;Stiftung Mercator;Zuschuss;Einnahme;;DM",
        "E-2;02.03.2025;500,00;;;Spender;;EINNAHME;;",
        header=header,
    )
    ledger = read_ledger(write_csv(tmp_path, text), source_ids={"DM", "EA"})
    assert [(e.id, e.kind, e.amount, e.reference) for e in ledger.expenditures] == [
        ("B-1", "expenditure", Decimal("1000.00"), None),
        ("G-1", "credit", Decimal("-100.00"), "B-1"),
        ("G-2", "credit", Decimal("-50.00"), "B-1"),
    ]
    assert ledger.income == (
        Income(
            id="E-1",
            received_on=date(2025, 3, 1),
            amount=Decimal("20000.00"),
            source="DM",
            kind="third_party",
            payer="Stiftung Mercator",
            purpose="Zuschuss",
            origin="b.csv:5",
        ),
        Income(
            id="E-2",
            received_on=date(2025, 3, 2),
            amount=Decimal("500.00"),
            payer="Spender",
            origin="b.csv:6",
        ),
    )
    assert ledger.control_sum == Decimal("21350.00")


def test_same_voucher_twice_is_no_import_error(tmp_path: Path) -> None:
    ledger = read_ledger(write_csv(tmp_path, csv_text(GOOD_ROWS[0], GOOD_ROWS[0])))
    assert [e.id for e in ledger.expenditures] == ["B-1", "B-1"]


def test_entries_are_valid_models(tmp_path: Path) -> None:
    header = HEADER + ";Bezug;Finanzierungsquelle"
    text = csv_text(
        *(r + ";;" for r in GOOD_ROWS), "E-1;01.03.2025;1,00;;;X;;Einnahme;;Q", header=header
    )
    ledger = read_ledger(write_csv(tmp_path, text))
    for entry in ledger.expenditures:
        assert Expenditure.model_validate(entry.model_dump()) == entry
    for income in ledger.income:
        assert Income.model_validate(income.model_dump()) == income
    assert Ledger.model_validate_json(ledger.model_dump_json()) == ledger


# --------------------------------------------------------------------------- control sum


def test_control_sum_guards_against_dropped_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path, csv_text(*GOOD_ROWS))
    assert read_ledger(path).control_sum == Decimal("1700.00")
    row_by_row(monkeypatch)
    original = ledger_module._Rows.entry

    def lossy(self: ledger_module._Rows, number: int, row: Sequence[object]) -> object:
        return None if number == 3 else original(self, number, row)

    monkeypatch.setattr(ledger_module._Rows, "entry", lossy)
    problem = single(ledger_error(path))
    assert problem.path == ""
    assert "Kontrollsumme der Spalte 'Betrag' (1700.00)" in problem.message
    assert "(1734.56)" in problem.message


def test_control_count_guards_against_dropped_zero_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path, csv_text(GOOD_ROWS[0], "B-0;03.02.2025;0,00;;1.1;;;"))
    row_by_row(monkeypatch)
    original = ledger_module._Rows.entry

    def lossy(self: ledger_module._Rows, number: int, row: Sequence[object]) -> object:
        return None if number == 3 else original(self, number, row)

    monkeypatch.setattr(ledger_module._Rows, "entry", lossy)
    problem = single(ledger_error(path))
    assert problem.message.startswith("nur 1 von 2 Datenzeilen als Belege gelesen")


def test_the_guards_hold_for_rows_read_in_a_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = ["B-1;03.02.2025;1.234,56;;1.1;;;", "B-0;03.02.2025;0,00;;1.1;;;"]
    path = write_csv(tmp_path, csv_text(*rows))
    assert len(read_ledger(path).expenditures) == 2
    original = ledger_module.VoucherColumnsBuilder.add_columns

    def lossy(self: ledger_module.VoucherColumnsBuilder, **columns: object) -> None:
        def first(values: object) -> object:
            return list(values)[:1] if isinstance(values, Iterable) else values

        original(self, **{name: first(values) for name, values in columns.items()})

    monkeypatch.setattr(ledger_module.VoucherColumnsBuilder, "add_columns", lossy)
    problem = single(ledger_error(path))
    assert problem.message.startswith("nur 1 von 2 Datenzeilen als Belege gelesen")


def test_entries_the_model_refuses_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The strict checks let nothing invalid through; should one slip past them, the model's
    # own validation still reports it as a row problem instead of crashing.
    row_by_row(monkeypatch)
    monkeypatch.setattr(ledger_module, "_parse_amount", lambda value: Decimal("1.005"))
    header = HEADER + ";Bezug;Finanzierungsquelle"
    text = csv_text(
        GOOD_ROWS[0] + ";;", "E-1;01.03.2025;1,00;;;Stiftung;;Einnahme;;", header=header
    )
    err = ledger_error(write_csv(tmp_path, text))
    assert [p.path for p in err.problems] == [
        "Zeile 2, Spalte Betrag",
        "Zeile 2, Spalte Netto",
        "Zeile 3, Spalte Betrag",
    ]
    assert "mehr als zwei Nachkommastellen" in err.problems[0].message


# --------------------------------------------------------------------------- bad CSV input


def test_wrong_delimiter(tmp_path: Path) -> None:
    text = csv_text(*GOOD_ROWS).replace(";", ",")
    problem = single(ledger_error(write_csv(tmp_path, text)))
    assert problem.path == "Kopfzeile"
    assert problem.message.startswith("falsches Trennzeichen: erwartet ';' (Semikolon)")
    assert "mit ',' (Komma) getrennt" in problem.message


def test_tab_file_read_with_semicolon(tmp_path: Path) -> None:
    text = csv_text(*GOOD_ROWS).replace(";", "\t")
    problem = single(ledger_error(write_csv(tmp_path, text)))
    assert "Tabulator" in problem.message


def test_missing_required_column(tmp_path: Path) -> None:
    text = csv_text("B-1;03.02.2025;1.1", header="Belegnummer;Zahlungsdatum;Einzelansatz")
    problem = single(ledger_error(write_csv(tmp_path, text)))
    assert problem.path == "Kopfzeile"
    assert problem.message == (
        "Pflichtspalte fehlt: 'Betrag'; erwartet wird in der ersten Zeile eine Kopfzeile mit "
        "mindestens den Spalten 'Belegnummer', 'Zahlungsdatum', 'Betrag', getrennt durch ';' "
        "(Semikolon) — ist das ein Belegbuch?"
    )


@pytest.mark.parametrize(
    ("first_line", "secret"),
    [
        ("root:x:0:0:root:/root:/bin/bash", "/root"),
        ("Geheim;Kontonummer DE89 3704 0044 0532 0130 00", "DE89"),
        ("\x1b]0;pwned\x07\x1b[2J", "pwned"),
        ("%PDF-1.7", "PDF"),
    ],
)
def test_a_file_that_is_no_ledger_is_not_echoed(
    tmp_path: Path, first_line: str, secret: str
) -> None:
    path = tmp_path / "passwd.csv"
    path.write_text(first_line + "\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n")
    err = ledger_error(path)
    problem = single(err)
    assert problem.path == "Kopfzeile"
    assert problem.value is None
    assert "erwartet wird in der ersten Zeile eine Kopfzeile" in problem.message
    assert secret not in str(err)
    assert "daemon" not in str(err)


def test_missing_line_column_with_expenditures(tmp_path: Path) -> None:
    text = csv_text(
        "B-1;03.02.2025;1,00;",
        "E-1;03.02.2025;1,00;Einnahme",
        header="Belegnummer;Zahlungsdatum;Betrag;Art",
    )
    problem = single(ledger_error(write_csv(tmp_path, text)))
    assert problem.path == "Kopfzeile"
    assert "Spalte 'Einzelansatz' fehlt" in problem.message
    assert "1 Ausgaben" in problem.message
    # Income alone needs no budget line.
    only_income = csv_text(
        "E-1;03.02.2025;1,00;Einnahme", header="Belegnummer;Zahlungsdatum;Betrag;Art"
    )
    assert len(read_ledger(write_csv(tmp_path, only_income, name="e.csv")).income) == 1


def test_english_amount_is_an_error(tmp_path: Path) -> None:
    problem = bad_row(tmp_path, "B-2;03.02.2025;1,234.56;;1.1;;;")
    assert problem.path == "Zeile 3, Spalte Betrag"
    assert problem.value == "1,234.56"
    assert problem.message == (
        "kein Betrag: englisches Zahlenformat (Komma als Tausendertrennzeichen, Punkt als "
        "Dezimaltrenner); bitte 1.234,56 oder 1234.56 schreiben"
    )


@pytest.mark.parametrize("amount", ["12,345", "1.234,567", "0,001"])
def test_three_decimal_places_are_an_error(tmp_path: Path, amount: str) -> None:
    problem = bad_row(tmp_path, f"B-2;03.02.2025;{amount};;1.1;;;")
    assert problem.path == "Zeile 3, Spalte Betrag"
    assert problem.value == amount
    assert problem.message.startswith("kein Betrag: ")
    assert "mehr als zwei Nachkommastellen" in problem.message


@pytest.mark.parametrize(
    "amount", ["1.2345,00", "12.3.4", "1 234,56", "1e3", "--5", "5,", ",5", "01.234,00", "NaN"]
)
def test_malformed_amounts_are_errors(tmp_path: Path, amount: str) -> None:
    problem = bad_row(tmp_path, f"B-2;03.02.2025;{amount};;1.1;;;")
    assert problem.path == "Zeile 3, Spalte Betrag"
    assert problem.message.startswith("kein Betrag: keine Zahl; erlaubt sind z. B. 1.234,56")


def test_net_amount_is_parsed_strictly(tmp_path: Path) -> None:
    problem = bad_row(tmp_path, "B-2;03.02.2025;10,00;1.000;1.1;;;")
    assert problem.path == "Zeile 3, Spalte Netto"
    assert problem.value == "1.000"
    assert problem.message.startswith("kein Betrag: mehrdeutig")


def test_too_large_amount(tmp_path: Path) -> None:
    problem = bad_row(tmp_path, "B-2;03.02.2025;1234567890123456,00;;1.1;;;")
    assert "zu groß" in problem.message


@pytest.mark.parametrize("amount", ["", "   ", "€"])
def test_empty_amount_is_an_error(tmp_path: Path, amount: str) -> None:
    problem = bad_row(tmp_path, f"B-2;03.02.2025;{amount};;1.1;;;")
    assert problem.path == "Zeile 3, Spalte Betrag"
    assert problem.message == "Betrag fehlt"


def test_amount_with_euro_sign(tmp_path: Path) -> None:
    ledger = read_ledger(write_csv(tmp_path, csv_text("B-1;03.02.2025;1.234,56 €;;1.1;;;")))
    assert ledger.expenditures[0].amount == Decimal("1234.56")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("3.2.25", "zweistellige Jahreszahl"),
        ("2025/02/03", "erwartet TT.MM.JJJJ"),
        ("03-02-2025", "erwartet TT.MM.JJJJ"),
        ("gestern", "erwartet TT.MM.JJJJ"),
        ("20250203", "erwartet TT.MM.JJJJ"),
        ("1719705600", "erwartet TT.MM.JJJJ"),
        ("03/02/2025", "mehrdeutig: Tag/Monat ergibt den 3. Februar 2025, Monat/Tag den 2. März"),
    ],
)
def test_unparseable_date(tmp_path: Path, text: str, reason: str) -> None:
    problem = bad_row(tmp_path, f"B-2;{text};10,00;;1.1;;;")
    assert problem.path == "Zeile 3, Spalte Zahlungsdatum"
    assert problem.value == text
    assert problem.message.startswith("kein Datum: " + reason)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31.02.2024", "der Februar 2024 hat 29 Tage"),
        ("29.02.2025", "der Februar 2025 hat 28 Tage"),
        ("2024-13-01", "einen Monat 13 gibt es nicht"),
        ("00.01.2025", "der Januar 2025 hat 31 Tage"),
    ],
)
def test_impossible_date(tmp_path: Path, text: str, reason: str) -> None:
    problem = bad_row(tmp_path, f"B-2;{text};10,00;;1.1;;;")
    assert problem.path == "Zeile 3, Spalte Zahlungsdatum"
    assert problem.message == "kein Datum: " + reason


def test_leap_day_is_fine(tmp_path: Path) -> None:
    ledger = read_ledger(write_csv(tmp_path, csv_text("B-1;29.02.2024;1,00;;1.1;;;")))
    assert ledger.expenditures[0].paid_on == date(2024, 2, 29)


def test_unknown_line(tmp_path: Path) -> None:
    lines = [f"{i}.1" for i in range(1, 31)]
    problem = bad_row(tmp_path, "B-2;03.02.2025;10,00;;9.9;;;", line_ids=lines)
    assert problem.path == "Zeile 3, Spalte Einzelansatz"
    assert problem.value == "9.9"
    assert problem.message.startswith("unbekannter Einzelansatz; gültig: 1.1, 10.1, 11.1")
    assert "(und 10 weitere)" in problem.message


def test_unknown_source(tmp_path: Path) -> None:
    header = HEADER + ";Bezug;Finanzierungsquelle"
    text = csv_text("E-1;01.03.2025;100,00;;;Stiftung;;Einnahme;;XY", header=header)
    problem = single(ledger_error(write_csv(tmp_path, text), source_ids=["DM", "EA"]))
    assert problem.path == "Zeile 2, Spalte Finanzierungsquelle"
    assert problem.value == "XY"
    assert problem.message == "unbekannte Finanzierungsquelle; gültig: DM, EA"


def test_unknown_kind(tmp_path: Path) -> None:
    problem = bad_row(tmp_path, "B-2;03.02.2025;10,00;;1.1;;;Storno")
    assert problem.path == "Zeile 3, Spalte Art"
    assert "erlaubt: leer, Ausgabe, Gutschrift, Erstattung, Einnahme" in problem.message


def test_missing_voucher_number_and_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path, csv_text(";03.02.2025;10,00;;;;;"))
    err = ledger_error(path)
    assert [p.path for p in err.problems] == [
        "Zeile 2, Spalte Belegnummer",
        "Zeile 2, Spalte Einzelansatz",
    ]


def test_several_bad_rows_are_reported_together(tmp_path: Path) -> None:
    text = csv_text(
        GOOD_ROWS[0],
        "B-2;31.02.2024;10,00;;1.1;;;",
        GOOD_ROWS[1],
        "B-4;03.02.2025;1,234.56;;1.1;;;",
        "",
        "B-6;03.02.2025;;;1.1;;;",
        "B-7;xx;12,345;;9.9;;;",
    )
    err = ledger_error(write_csv(tmp_path, text), line_ids={"1.1", "2.1"})
    assert [(p.path, p.value) for p in err.problems] == [
        ("Zeile 3, Spalte Zahlungsdatum", "31.02.2024"),
        ("Zeile 5, Spalte Betrag", "1,234.56"),
        ("Zeile 7, Spalte Betrag", None),
        ("Zeile 8, Spalte Zahlungsdatum", "xx"),
        ("Zeile 8, Spalte Betrag", "12,345"),
        ("Zeile 8, Spalte Einzelansatz", "9.9"),
    ]
    message = str(err)
    assert message.startswith(f"{err.file}: 6 Probleme:\n")
    assert "  - Zeile 7, Spalte Betrag: Betrag fehlt\n" in message


def test_unquoted_delimiter_in_text(tmp_path: Path) -> None:
    problem = bad_row(tmp_path, "B-2;03.02.2025;10,00;;1.1;Müller; Meier GmbH;Zweck;Ausgabe")
    assert problem.path == "Zeile 3"
    assert "9 Felder, die Kopfzeile hat nur 8" in problem.message


def test_broken_quotes(tmp_path: Path) -> None:
    path = write_csv(tmp_path, csv_text(GOOD_ROWS[0], 'B-2;03.02.2025;10,00;;1.1;"Müller" GmbH;;'))
    problem = single(ledger_error(path))
    assert problem.path == "Zeile 3"
    assert "CSV-Format fehlerhaft" in problem.message


def test_unterminated_quote_does_not_swallow_rows(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, csv_text(GOOD_ROWS[0], 'B-2;03.02.2025;10,00;;1.1;"Müller;;', GOOD_ROWS[1])
    )
    problem = single(ledger_error(path))
    assert problem.path == "Zeile 3"
    assert "CSV-Format fehlerhaft" in problem.message


def test_not_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(b"Belegnummer;\x00\x01\x02")
    assert "keine Textdatei" in single(ledger_error(path)).message
    path.write_bytes("Belegnummer;Betrag".encode("utf-16"))
    assert "UTF-16" in single(ledger_error(path)).message
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d")
    assert "weder UTF-8 noch Windows-1252" in single(ledger_error(path)).message


def test_workbook_with_csv_suffix(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    workbook(tmp_path / "w.xlsx", [["Belegnummer"]]).rename(path)
    assert "ZIP-Archiv" in single(ledger_error(path)).message


def test_empty_file(tmp_path: Path) -> None:
    problem = single(ledger_error(write_csv(tmp_path, "")))
    assert problem.path == "Kopfzeile"
    assert "Kopfzeile fehlt" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    problem = single(ledger_error(tmp_path / "fehlt.csv"))
    assert problem.message == "Datei nicht gefunden"


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write_csv(tmp_path, csv_text(*GOOD_ROWS * 100))
    size = path.stat().st_size
    assert size > 5000
    problem = single(ledger_error(path, max_bytes=1000))
    assert problem.path == ""
    shown = f"{size:,}".replace(",", ".")
    assert problem.message == (
        f"Datei zu groß: {shown} Bytes, erlaubt sind höchstens 1.000 Bytes (max_bytes)"
    )


def test_bad_delimiter_argument(tmp_path: Path) -> None:
    path = write_csv(tmp_path, csv_text(*GOOD_ROWS))
    assert single(ledger_error(path, delimiter=";;")).path == "delimiter"


# --------------------------------------------------------------------------- XLSX


def workbook(path: Path, rows: list[list[object]], *, title: str = "Belege") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


XLSX_HEADER: list[object] = [
    "Belegnummer",
    "Zahlungsdatum",
    "Betrag",
    "Einzelansatz",
    "Zahlungsempfänger",
    "Art",
    "Finanzierungsquelle",
    "Notiz",
]


def test_reads_xlsx(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "belege.xlsx",
        [
            XLSX_HEADER,
            [1001, datetime(2025, 2, 3), 1234.56, "1.1", "Müller GmbH", None, None, "egal"],
            ["B-2", "04.02.2025", "-34,50", 2, None, "Gutschrift"],
            [],
            ["B-3", date(2025, 2, 5), 500, "2.1"],
            ["E-1", "2025-03-01", Decimal("20000.10"), None, "Stiftung", "Einnahme", "DM"],
        ],
    )
    ledger = read_ledger(path)
    assert ledger.encoding is None
    assert ledger.rows == 4
    assert [(e.id, e.paid_on, e.amount, e.line, e.kind, e.origin) for e in ledger.expenditures] == [
        (
            "1001",
            date(2025, 2, 3),
            Decimal("1234.56"),
            "1.1",
            "expenditure",
            "belege.xlsx[Belege]:2",
        ),
        ("B-2", date(2025, 2, 4), Decimal("-34.50"), "2", "credit", "belege.xlsx[Belege]:3"),
        ("B-3", date(2025, 2, 5), Decimal("500.00"), "2.1", "expenditure", "belege.xlsx[Belege]:5"),
    ]
    assert all(e.amount.as_tuple().exponent == -2 for e in ledger.expenditures)
    (income,) = ledger.income
    assert (income.amount, income.source, income.payer, income.origin) == (
        Decimal("20000.10"),
        "DM",
        "Stiftung",
        "belege.xlsx[Belege]:6",
    )
    assert ledger.control_sum == Decimal("21700.16")


def test_xlsx_sheet_by_name(tmp_path: Path) -> None:
    path = tmp_path / "zwei.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Übersicht"
    first.append(["nichts"])
    second = book.create_sheet("Belege")
    second.append(XLSX_HEADER[:4])
    second.append(["B-1", datetime(2025, 2, 3), 10, "1.1"])
    book.save(path)
    assert read_ledger(path, sheet="Belege").expenditures[0].id == "B-1"
    problem = single(ledger_error(path, sheet="Übersicht"))
    assert problem.path == "Blatt 'Übersicht', Kopfzeile"  # that sheet has no ledger
    problem = single(ledger_error(path, sheet="Ausgaben"))
    assert problem.path == "sheet"
    assert problem.message == "Tabellenblatt nicht gefunden; vorhanden: 'Übersicht', 'Belege'"


def sheets(path: Path, *specs: tuple[str, str, list[list[object]]]) -> Path:
    """A workbook with one sheet per ``(title, state, rows)``, in order."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, state, rows in specs:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state  # type: ignore[assignment]
        for row in rows:
            sheet.append(row)
    if all(state != "visible" for _, state, _ in specs):
        # openpyxl saves no workbook without a visible sheet; hide the last one afterwards
        book.worksheets[-1].sheet_state = "visible"
        book.save(path)
        title = specs[-1][0]
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        members["xl/workbook.xml"] = re.sub(
            rb'(<sheet name="' + title.encode() + rb'"[^>]*?) state="visible"',
            rb'\1 state="hidden"',
            members["xl/workbook.xml"],
        )
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return path
    book.save(path)
    return path


OLD_ROWS: list[list[object]] = [XLSX_HEADER[:4], ["ALT-1", datetime(2024, 1, 2), 99999, "1.1"]]
NEW_ROWS: list[list[object]] = [XLSX_HEADER[:4], ["B-1", datetime(2025, 2, 3), 10, "1.1"]]


@pytest.mark.parametrize(
    ("specs", "sheet", "expected"),
    [
        # a hidden first sheet is never read unless it is named
        ([("Alt", "hidden", OLD_ROWS), ("Belege", "visible", NEW_ROWS)], None, ("Belege", "B-1")),
        (
            [("Alt", "veryHidden", OLD_ROWS), ("Belege", "visible", NEW_ROWS)],
            None,
            ("Belege", "B-1"),
        ),
        ([("Alt", "hidden", OLD_ROWS), ("Belege", "visible", NEW_ROWS)], "Alt", ("Alt", "ALT-1")),
        ([("Belege", "visible", NEW_ROWS)], None, ("Belege", "B-1")),
        (
            [("Alt", "visible", OLD_ROWS), ("Belege", "visible", NEW_ROWS)],
            "Belege",
            ("Belege", "B-1"),
        ),
        (
            [("Alt", "visible", OLD_ROWS), ("Belege", "visible", NEW_ROWS)],
            None,
            "Arbeitsmappe mit 2 sichtbaren Tabellenblättern: 'Alt', 'Belege'; welches die "
            "Belege enthält, bitte angeben (sheet, in der Falldatei [ledger] sheet)",
        ),
        (
            [("Alt", "hidden", OLD_ROWS), ("A", "visible", NEW_ROWS), ("B", "visible", [])],
            None,
            "Arbeitsmappe mit 2 sichtbaren Tabellenblättern: 'A', 'B' (ausgeblendet: 'Alt'); "
            "welches die Belege enthält, bitte angeben (sheet, in der Falldatei [ledger] sheet)",
        ),
        (
            [("Alt", "hidden", OLD_ROWS), ("Belege", "visible", NEW_ROWS)],
            "Ausgaben",
            "Tabellenblatt nicht gefunden; vorhanden: 'Belege' (ausgeblendet: 'Alt')",
        ),
        (
            [("Alt", "hidden", OLD_ROWS), ("Belege", "visible", NEW_ROWS)],
            "belege",
            "Tabellenblatt nicht gefunden; vorhanden: 'Belege' (ausgeblendet: 'Alt')",
        ),
        (
            [("Alt", "hidden", OLD_ROWS), ("Neu", "hidden", NEW_ROWS)],
            None,
            "Arbeitsmappe ohne sichtbares Tabellenblatt (ausgeblendet: 'Alt', 'Neu'); welches "
            "Blatt die Belege enthält, bitte angeben (sheet, in der Falldatei [ledger] sheet)",
        ),
    ],
)
def test_which_sheet_is_read_is_never_a_guess(
    tmp_path: Path,
    specs: list[tuple[str, str, list[list[object]]]],
    sheet: str | None,
    expected: tuple[str, str] | str,
) -> None:
    path = sheets(tmp_path / "mappe.xlsx", *specs)
    if isinstance(expected, str):
        problem = single(ledger_error(path, sheet=sheet))
        assert problem.path == "sheet"
        assert problem.message == expected
        return
    title, voucher = expected
    ledger = read_ledger(path, sheet=sheet)
    assert ledger.sheet == title
    (entry,) = ledger.expenditures
    assert entry.id == voucher
    assert entry.origin == f"mappe.xlsx[{title}]:2"


def test_problems_in_a_workbook_name_the_sheet(tmp_path: Path) -> None:
    rows: list[list[object]] = [XLSX_HEADER[:4], ["B-1", "31.02.2025", "1.000", "1.1"]]
    path = sheets(tmp_path / "mappe.xlsx", ("Alt", "hidden", OLD_ROWS), ("Belege", "visible", rows))
    err = ledger_error(path)
    assert [p.path for p in err.problems] == [
        "Blatt 'Belege', Zeile 2, Spalte Zahlungsdatum",
        "Blatt 'Belege', Zeile 2, Spalte Betrag",
    ]
    missing = sheets(tmp_path / "leer.xlsx", ("Belege", "visible", [["Belegnummer"], ["B-1"]]))
    problem = single(ledger_error(missing))
    assert problem.path == "Blatt 'Belege', Kopfzeile"
    assert problem.message.startswith("Pflichtspalte fehlt")


def test_the_case_file_names_the_sheet(tmp_path: Path) -> None:
    from foerdermittel.io import attach_ledger, load_case

    from .common import bochum_text_without_records

    rows: list[list[object]] = [XLSX_HEADER[:4], ["B-1", datetime(2025, 2, 3), 10, "A-1"]]
    sheets(tmp_path / "mappe.xlsx", ("Alt", "visible", OLD_ROWS), ("Belege", "visible", rows))
    text = bochum_text_without_records()
    case_path = tmp_path / "fall.toml"
    case_path.write_text(text + '\n[ledger]\nfile = "mappe.xlsx"\n', encoding="utf-8")
    with pytest.raises(LedgerError, match="2 sichtbaren Tabellenblättern: 'Alt', 'Belege'"):
        attach_ledger(load_case(case_path), base_dir=tmp_path)
    case_path.write_text(
        text + '\n[ledger]\nfile = "mappe.xlsx"\nsheet = "Belege"\n', encoding="utf-8"
    )
    case = attach_ledger(load_case(case_path), base_dir=tmp_path)
    assert [(e.id, e.origin) for e in case.expenditures] == [("B-1", "mappe.xlsx[Belege]:2")]
    case_path.write_text(text + '\n[ledger]\nfile = "mappe.xlsx"\nsheet = ""\n', encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(case_path)
    assert info.value.problems[0].path == "ledger.sheet"


def test_xlsx_bad_cells(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "belege.xlsx",
        [
            XLSX_HEADER[:4],
            ["B-1", datetime(2025, 2, 3), 1234.565, "1.1"],
            ["B-2", datetime(2025, 2, 3, 12, 30), 10, "1.1"],
            ["B-3", 45691, "1,234.56", "1.1"],
            ["B-4", "31.02.2024", True, "1.1"],
            ["B-5", datetime(2025, 2, 3), datetime(2025, 2, 3), "1.1"],
        ],
    )
    err = ledger_error(path)
    assert [(p.path, p.value) for p in err.problems] == [
        ("Blatt 'Belege', Zeile 2, Spalte Betrag", 1234.565),
        ("Blatt 'Belege', Zeile 3, Spalte Zahlungsdatum", datetime(2025, 2, 3, 12, 30)),
        ("Blatt 'Belege', Zeile 4, Spalte Zahlungsdatum", 45691),
        ("Blatt 'Belege', Zeile 4, Spalte Betrag", "1,234.56"),
        ("Blatt 'Belege', Zeile 5, Spalte Zahlungsdatum", "31.02.2024"),
        ("Blatt 'Belege', Zeile 5, Spalte Betrag", True),
        ("Blatt 'Belege', Zeile 6, Spalte Betrag", datetime(2025, 2, 3)),
    ]
    assert "1234.565 hat mehr als zwei Nachkommastellen" in err.problems[0].message
    assert "Zahl statt Datum" in err.problems[2].message


def test_xlsx_float_amounts_are_exact(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "belege.xlsx",
        [
            XLSX_HEADER[:4],
            ["B-1", datetime(2025, 2, 3), 0.1, "1"],
            ["B-2", datetime(2025, 2, 3), 19.99, "1"],
        ],
    )
    amounts = [e.amount for e in read_ledger(path).expenditures]
    assert amounts == [Decimal("0.10"), Decimal("19.99")]


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "belege.xlsx"
    path.write_text(csv_text(*GOOD_ROWS), encoding="utf-8")
    problem = single(ledger_error(path))
    assert problem.path == ""
    assert problem.message.startswith("keine Excel-Arbeitsmappe")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "belege.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hallo.txt", "kein Excel")
    problem = single(ledger_error(path))
    assert problem.message.startswith("keine Excel-Arbeitsmappe")


def test_huge_workbook_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "belege.xlsx", [XLSX_HEADER, *[["B", "01.01.2025", 1, "1"]] * 200])
    size = path.stat().st_size
    problem = single(ledger_error(path, max_bytes=size - 1))
    assert problem.message.startswith("Datei zu groß")
    assert f"höchstens {size - 1:,} Bytes".replace(",", ".") in problem.message


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 5_000_000)
    assert path.stat().st_size < 50_000
    problem = single(ledger_error(path))
    assert "verdächtig stark komprimiert" in problem.message
    assert problem.value == "xl/worksheets/sheet1.xml"
    # The unpacked size is checked too.
    problem = single(ledger_error(path, max_bytes=100_000))
    assert "entpackt zu groß: 5.000.000 Bytes" in problem.message
    assert "höchstens 500.000 Bytes" in problem.message


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
BILLION_LAUGHS = (
    '<!DOCTYPE sst [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def override(part: str, kind: str) -> str:
    return f'<Override PartName="{part}" ContentType="{CONTENT_TYPE}.{kind}+xml"/>'


def handmade_xlsx(path: Path, *, bomb_in: str | None = None) -> Path:
    """A minimal workbook written by hand; ``bomb_in`` puts a billion-laughs DTD in a part."""
    strings = ["Belegnummer", "Zahlungsdatum", "Betrag", "Einzelansatz", "B-1", "03.02.2025", "1.1"]
    entity = "&lol9;" if bomb_in == "sharedStrings" else "B-1"
    items = "".join(f"<si><t>{s if s != 'B-1' else entity}</t></si>" for s in strings)
    shared = f'<sst xmlns="{NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    cells: list[list[tuple[str, object]]] = [
        [("s", 0), ("s", 1), ("s", 2), ("s", 3)],
        [("s", 4), ("s", 5), ("n", "1234.5"), ("s", 6)],
    ]
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{"ABCD"[c]}{r}" t="{t}"><v>{v}</v></c>' for c, (t, v) in enumerate(row))
        + "</row>"
        for r, row in enumerate(cells, start=1)
    )
    if bomb_in == "sheet":
        rows += '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    sheet = f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>'
    bomb = BILLION_LAUGHS
    if bomb_in == "sharedStrings":
        shared = bomb + shared
    if bomb_in == "sheet":
        sheet = bomb.replace("DOCTYPE sst", "DOCTYPE worksheet") + sheet
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + override("/xl/workbook.xml", "sheet.main")
            + override("/xl/worksheets/sheet1.xml", "worksheet")
            + override("/xl/sharedStrings.xml", "sharedStrings")
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{NS}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="Belege" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)
    return path


def test_handmade_workbook_is_read(tmp_path: Path) -> None:
    ledger = read_ledger(handmade_xlsx(tmp_path / "klein.xlsx"))
    (entry,) = ledger.expenditures
    assert (entry.id, entry.paid_on, entry.amount, entry.line) == (
        "B-1",
        date(2025, 2, 3),
        Decimal("1234.50"),
        "1.1",
    )


def test_broken_xml_in_workbook(tmp_path: Path) -> None:
    path = handmade_xlsx(tmp_path / "kaputt.xlsx")
    broken = tmp_path / "kaputt2.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row>")
            target.writestr(item, data)
    problem = single(ledger_error(broken))
    assert problem.message.startswith("Arbeitsmappe beschädigt: fehlerhaftes XML")


@pytest.mark.parametrize("part", ["sharedStrings", "sheet"])
def test_xml_bomb_is_refused_quickly(tmp_path: Path, part: str) -> None:
    path = handmade_xlsx(tmp_path / "bombe.xlsx", bomb_in=part)
    with zipfile.ZipFile(path) as archive:
        assert (
            "<!ENTITY lol9"
            in archive.read(
                "xl/sharedStrings.xml" if part == "sharedStrings" else "xl/worksheets/sheet1.xml"
            ).decode()
        )
    start = time.perf_counter()
    problem = single(ledger_error(path))
    assert time.perf_counter() - start < 5
    assert problem.path == ""
    assert "unzulässige XML-Konstrukte" in problem.message
    assert "Sicherheitsgründen" in problem.message


# --------------------------------------------------------------------------- writing


def sample_entries() -> tuple[list[Expenditure], list[Income]]:
    expenditures = [
        Expenditure(
            id="B-1",
            line="1.1",
            paid_on=date(2025, 2, 3),
            amount=Decimal("1234.56"),
            net_amount=Decimal("1037.45"),
            payee='Müller; "Söhne" GmbH',
            purpose="Laptop\nmit Tasche",
        ),
        Expenditure(
            id="G-1",
            line="1.1",
            paid_on=date(2025, 2, 10),
            amount=Decimal("-34.56"),
            kind="credit",
            reference="B-1",
            purpose='=HYPERLINK("http://x")',
        ),
    ]
    income = [
        Income(
            id="E-1",
            received_on=date(2025, 3, 1),
            amount=Decimal("20000.00"),
            source="DM",
            payer="Stiftung",
        )
    ]
    return expenditures, income


def test_round_trip(tmp_path: Path) -> None:
    expenditures, income = sample_entries()
    path = tmp_path / "aus.csv"
    write_ledger_csv(expenditures, income, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "Belegnummer;Zahlungsdatum;Betrag;Netto;Einzelansatz;Zahlungsempfänger;"
        "Verwendungszweck;Art;Bezug;Finanzierungsquelle;Rechnungsnummer;Rechnungsdatum"
    )
    assert "B-1;03.02.2025;1234,56;1037,45;1.1;" in text
    assert "'=HYPERLINK" in text  # no formula for a spreadsheet program
    ledger = read_ledger(path)
    assert ledger.encoding == "utf-8-sig"
    assert without_origin(ledger.expenditures) == expenditures
    assert without_origin(ledger.income) == income
    assert ledger.expenditures[1].origin == "aus.csv:3"


def test_round_trip_with_columns_and_delimiter(tmp_path: Path) -> None:
    expenditures, income = sample_entries()
    path = tmp_path / "aus.csv"
    columns = {"id": "Beleg", "amount": "Brutto"}
    write_ledger_csv(expenditures, income, path, columns=columns, delimiter=",")
    assert path.read_text(encoding="utf-8-sig").startswith("Beleg,Zahlungsdatum,Brutto,")
    ledger = read_ledger(path, columns=columns, delimiter=",")
    assert without_origin(ledger.expenditures) == expenditures
    assert without_origin(ledger.income) == income


def test_writer_refuses_income_it_cannot_hold(tmp_path: Path) -> None:
    income = [
        Income(id="Z-1", received_on=date(2025, 1, 1), amount=Decimal(1), kind="other_public")
    ]
    with pytest.raises(LedgerError) as info:
        write_ledger_csv([], income, tmp_path / "aus.csv")
    assert single(info.value).path == "Einnahme Z-1"
    assert not (tmp_path / "aus.csv").exists()


TEXT = (
    st.lists(
        st.sampled_from([*"abzAZ09 äöüÄÖÜßé€;,\"'=+-@.\n\t", "e\u0301", "\r\n"]),
        min_size=1,
        max_size=20,
    )
    .map("".join)
    .map(lambda s: unicodedata.normalize("NFC", s.strip()))
)
NONEMPTY = TEXT.filter(bool)
OPTIONAL = st.none() | NONEMPTY
DAY = st.dates(min_value=date(2021, 1, 1), max_value=date(2026, 12, 31))
AMOUNT = st.integers(min_value=-(10**13), max_value=10**13).map(lambda c: Decimal(c) / 100)
POSITIVE = st.integers(min_value=0, max_value=10**13).map(lambda c: Decimal(c) / 100)

EXPENDITURE = st.builds(
    Expenditure,
    id=NONEMPTY,
    line=NONEMPTY,
    paid_on=DAY,
    amount=POSITIVE,
    net_amount=st.none() | POSITIVE,
    payee=OPTIONAL,
    purpose=OPTIONAL,
    kind=st.just("expenditure"),
    reference=OPTIONAL,
)
CREDIT = st.builds(
    Expenditure,
    id=NONEMPTY,
    line=NONEMPTY,
    paid_on=DAY,
    amount=POSITIVE.map(lambda a: -a),
    net_amount=st.none() | AMOUNT,
    payee=OPTIONAL,
    purpose=OPTIONAL,
    kind=st.just("credit"),
    reference=OPTIONAL,
)
INCOME = st.builds(
    Income,
    id=NONEMPTY,
    received_on=DAY,
    amount=AMOUNT,
    source=OPTIONAL,
    payer=OPTIONAL,
    purpose=OPTIONAL,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    expenditures=st.lists(EXPENDITURE | CREDIT, max_size=8),
    income=st.lists(INCOME, max_size=4),
)
def test_round_trip_property(
    tmp_path: Path, expenditures: list[Expenditure], income: list[Income]
) -> None:
    path = tmp_path / "rund.csv"
    write_ledger_csv(expenditures, income, path)
    ledger = read_ledger(path)
    assert without_origin(ledger.expenditures) == expenditures
    assert without_origin(ledger.income) == income
    assert ledger.rows == len(expenditures) + len(income)
    total = sum((e.amount for e in expenditures), Decimal(0)) + sum(
        (i.amount for i in income), Decimal(0)
    )
    assert ledger.control_sum == total


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1).map(lambda c: Decimal(c) / 100))
def test_amounts_agree_with_babel(amount: Decimal) -> None:
    text = format_decimal(amount, format="#,##0.00", locale="de_DE")
    parsed = ledger_module._parse_amount_text(text)
    assert parsed == parse_decimal(text, locale="de_DE", strict=True) == amount
    assert ledger_module._parse_amount_text(text.replace(".", "")) == amount


def test_reading_does_not_import_openpyxl_for_csv() -> None:
    import subprocess
    import sys

    code = (
        "import sys, foerdermittel.io.ledger as m; "
        "print('openpyxl' in sys.modules, 'babel' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_ledger_error_is_case_error() -> None:
    err = LedgerError([Problem("Zeile 2, Spalte Betrag", "x", "Betrag fehlt")], file="b.csv")
    assert str(err) == "b.csv: Zeile 2, Spalte Betrag: Betrag fehlt (Wert: 'x')"
    assert isinstance(err, CaseError)
