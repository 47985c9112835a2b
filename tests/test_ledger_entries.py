"""Ledger entries are built once, without validating again: the same entries as validation.

The row reader reads each cell with the ledger's parsers and builds the entries without the
model's validation (``foerdermittel.io.ledger.entries``). These tests read ledgers both ways —
built directly, and validated by ``Expenditure.model_validate`` / ``Income.model_validate``
from the same values — and compare the entries; values only the model checks (an amount of
10¹² € or more, a date outside the supported years) are still refused with its message.
"""

from __future__ import annotations

import gc
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import foerdermittel.io.ledger.entries as entries_module
from foerdermittel.errors import german_message
from foerdermittel.io import ledger as ledger_module
from foerdermittel.io.ledger import Ledger, LedgerError, read_ledger
from foerdermittel.io.ledger.cells import _CellError, _parse_amount, _parse_amount_text
from foerdermittel.model.records import Expenditure, Income
from foerdermittel.parse import ParseError, parse_amount

from .common import ROOT

BOCHUM_LEDGER = ROOT / "examples" / "bochum-ledger.csv"
LINES = ["1.1", "1.2", "2.1"]
HEADER = (
    "Belegnummer;Zahlungsdatum;Betrag;Netto;Einzelansatz;Zahlungsempfänger;Verwendungszweck;"
    "Art;Bezug;Finanzierungsquelle"
)


def _validated(model: type[Expenditure] | type[Income]) -> Any:
    def validate(self: object, values: dict[str, Any]) -> Expenditure | Income:
        return model.model_validate(values)

    return validate


def validate_every_entry(patch: pytest.MonkeyPatch) -> None:
    """Every entry validated by its model from the values read, as the reader did before.

    Every row is then read by the row reader, none in a block at once (``blocks``).
    """
    patch.setattr(ledger_module._BlockReader, "read", lambda *args: None)
    patch.setattr(entries_module._Entries, "expenditure", _validated(Expenditure))
    patch.setattr(entries_module._Entries, "income", _validated(Income))


def _german(cents: int, rng: random.Random) -> str:
    """An amount in one of the forms a ledger export writes."""
    sign = "-" if cents < 0 else rng.choice(["", "", "", "+"])
    whole, rest = divmod(abs(cents), 100)
    form = rng.randrange(6)
    if form == 0:
        return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d}"
    if form == 1:
        return f"{sign}{whole}.{rest:02d}"
    if form == 2:
        return f"{sign}{whole},{rest:02d} €"
    if form == 3 and rest % 10 == 0:
        return f"{sign}{whole},{rest // 10}"
    if form == 4 and rest == 0 and (whole < 1000 or whole >= 1_000_000):
        return f"{sign}{whole:,}".replace(",", ".")
    return f"{sign}{whole},{rest:02d}"


def write_mixed_ledger(path: Path, count: int) -> None:
    """A valid ledger with every kind of row and the amount and text forms exports write."""
    rng = random.Random(count)
    rows = [HEADER]
    payees = ["Müller GmbH", "Mu\u0308ller GmbH", " Stadtwerke Bochum ", "'=Formel GmbH", ""]
    for number in range(1, count + 1):
        day = date(2022, 1, 1) + timedelta(days=rng.randrange(1500))
        text_day = day.strftime(rng.choice(["%d.%m.%Y", "%Y-%m-%d"]))
        roll = rng.random()
        if roll < 0.1:
            cents = -rng.randrange(0, 50_000)
            kind = rng.choice(["Gutschrift", "Erstattung"])
            reference, source, line = "B-1", "", "1.1"
        elif roll < 0.2:
            cents = rng.randrange(0, 5_000_000)
            kind, reference, source, line = "Einnahme", "", rng.choice(["", "DM"]), ""
        else:
            cents = rng.choice([0, rng.randrange(1, 2_000_000), rng.randrange(10**13, 10**14)])
            kind, reference, source, line = rng.choice(["", "Ausgabe"]), "", "", rng.choice(LINES)
        net = _german(cents * 100 // 119, rng) if kind in ("", "Ausgabe") and number % 3 else ""
        amount = "-0,00" if cents == 0 and number % 2 else _german(cents, rng)
        purpose = rng.choice(["", f"Rechnung {number}", f'"Rechnung; {number}"', "Zubehör"])
        rows.append(
            f"B-{number};{text_day};{amount};{net};{line};{rng.choice(payees)};{purpose};"
            f"{kind};{reference};{source}"
        )
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8-sig"))


def ledger_files(tmp_path: Path) -> list[tuple[Path, dict[str, Any]]]:
    generated = tmp_path / "belege.csv"
    write_mixed_ledger(generated, 3000)
    return [
        (BOCHUM_LEDGER, {}),
        (generated, {"line_ids": LINES, "source_ids": ["DM"]}),
    ]


def assert_same_entries(built: Ledger, validated: Ledger) -> None:
    assert built == validated
    pairs = [
        *zip(built.expenditures, validated.expenditures, strict=True),
        *zip(built.income, validated.income, strict=True),
    ]
    assert pairs
    for fast, slow in pairs:
        assert type(fast) is type(slow)
        assert fast == slow
        assert repr(fast) == repr(slow)
        assert list(fast.__dict__) == list(slow.__dict__)
        assert list(map(type, fast.__dict__.values())) == list(map(type, slow.__dict__.values()))
        assert fast.model_fields_set == slow.model_fields_set
        assert fast.__pydantic_extra__ == slow.__pydantic_extra__
        assert fast.__pydantic_private__ == slow.__pydantic_private__
        assert fast.model_dump_json() == slow.model_dump_json()
        assert type(fast).model_validate(fast.model_dump()) == fast


def test_entries_equal_the_validated_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path, options in ledger_files(tmp_path):
        built = read_ledger(path, **options)
        with monkeypatch.context() as patch:
            validate_every_entry(patch)
            validated = read_ledger(path, **options)
        assert_same_entries(built, validated)


@pytest.mark.parametrize("block", [1, 5, 64])
def test_rows_read_in_blocks_equal_the_rows_read_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    # Small blocks: some are plain and read at once, others hold a cell only the row reader
    # reads (an amount as "1.234,5 €", a blank net, an income row, "-0,00").
    for path, options in ledger_files(tmp_path):
        with monkeypatch.context() as patch:
            patch.setattr(ledger_module, "BLOCK_ROWS", block)
            built = read_ledger(path, **options)
        with monkeypatch.context() as patch:
            validate_every_entry(patch)
            validated = read_ledger(path, **options)
        assert_same_entries(built, validated)
        assert built.expenditures.odd == validated.expenditures.odd


def test_the_generated_ledger_has_every_kind_of_entry(tmp_path: Path) -> None:
    path = tmp_path / "belege.csv"
    write_mixed_ledger(path, 3000)
    ledger = read_ledger(path, line_ids=LINES, source_ids=["DM"])
    assert {e.kind for e in ledger.expenditures} == {"expenditure", "credit"}
    assert ledger.income
    assert any(e.net_amount is not None for e in ledger.expenditures)
    assert any(abs(e.amount) >= Decimal(10**11) for e in ledger.expenditures)
    assert any(e.payee == "=Formel GmbH" for e in ledger.expenditures)
    assert ledger.control_sum == sum(e.amount for e in ledger.expenditures) + sum(
        i.amount for i in ledger.income
    )


def test_entries_of_a_workbook_equal_the_validated_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append(["B-1", date(2025, 2, 3), 1234.5, 1037.4, "1.1", "Müller", 7, None, None, None])
    sheet.append(["B-2", "10.02.2025", -3, None, 1.1, None, None, "Gutschrift", "B-1", None])
    sheet.append(["E-1", date(2025, 3, 1), 100, None, None, "Stiftung", None, "Einnahme", "", "DM"])
    path = tmp_path / "belege.xlsx"
    workbook.save(path)
    built = read_ledger(path)
    with monkeypatch.context() as patch:
        validate_every_entry(patch)
        validated = read_ledger(path)
    assert_same_entries(built, validated)


# --------------------------------------------------------------------------- model's checks


def _model_problem(model: type[Expenditure] | type[Income], **change: object) -> str:
    """The German message the model gives for an entry with ``change``."""
    values: dict[str, Any] = {"id": "B-1", "amount": Decimal("1.00")}
    if model is Expenditure:
        values |= {"line": "1.1", "paid_on": date(2025, 2, 3)}
    else:
        values |= {"received_on": date(2025, 2, 3)}
    with pytest.raises(ValidationError) as info:
        model.model_validate(values | change)
    (error,) = info.value.errors()
    return german_message(error["type"], error["msg"], error.get("ctx"))


@pytest.mark.parametrize("validate", [False, True])
def test_what_only_the_model_checks_is_refused_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validate: bool
) -> None:
    if validate:
        validate_every_entry(monkeypatch)
    rows = [
        "B-1;03.02.2025;1.000.000.000.000,00;;1.1;;;;;",
        "B-2;03.02.2025;1,00;-999999999999999,99;1.1;;;;;",
        "B-3;01.01.1900;1,00;;1.1;;;;;",
        "B-4;31.12.2100;999.999.999.999,99;;1.1;;;;;",
        "E-1;01.01.2101;1,00;;;;;Einnahme;;",
        "E-2;01.01.1991;-1000000000000,00;;;;;Einnahme;;",
    ]
    path = tmp_path / "b.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        read_ledger(path)
    too_large = _model_problem(Expenditure, amount=Decimal("1000000000000.00"))
    too_early = _model_problem(Expenditure, paid_on=date(1900, 1, 1))
    assert too_large.startswith("Betrag unplausibel groß")
    assert too_early.startswith("liegt außerhalb des unterstützten Zeitraums")
    assert [(p.path, p.value, p.message) for p in info.value.problems] == [
        ("Zeile 2, Spalte Betrag", Decimal("1000000000000.00"), too_large),
        ("Zeile 3, Spalte Netto", Decimal("-999999999999999.99"), too_large),
        ("Zeile 4, Spalte Zahlungsdatum", date(1900, 1, 1), too_early),
        ("Zeile 6, Spalte Zahlungsdatum", date(2101, 1, 1), too_early),
        ("Zeile 7, Spalte Betrag", Decimal("-1000000000000.00"), too_large),
    ]


def test_an_amount_the_parsers_should_never_give_is_left_to_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1.5 would be taken by the model as 1.50: built directly it would keep one place.
    monkeypatch.setattr(ledger_module._BlockReader, "read", lambda *args: None)
    monkeypatch.setattr(ledger_module, "_parse_amount", lambda value: Decimal("1.5"))
    path = tmp_path / "b.csv"
    path.write_text(f"{HEADER}\nB-1;03.02.2025;1,50;1,50;1.1;;;;;\n", encoding="utf-8")
    (entry,) = read_ledger(path).expenditures
    assert str(entry.amount) == str(entry.net_amount) == "1.50"


# --------------------------------------------------------------------------- amounts


@given(
    st.one_of(
        st.from_regex(r"\A[+-]?[0-9]{0,17}([.,][0-9]{0,4})?( ?€)?\Z"),
        st.from_regex(r"\A[+-]?[0-9]{1,4}(\.[0-9]{3}){0,5}(,[0-9]{0,3})?\Z"),
        st.text(alphabet="0123456789.,+- €", max_size=20),
    )
)
def test_amount_cells_read_as_parse_amount_reads_them(text: str) -> None:
    try:
        expected: Decimal | str = parse_amount(text)
    except ParseError as exc:
        expected = f"kein Betrag: {exc}"
    if not text.strip().rstrip("€").strip():
        expected = "Betrag fehlt"
    for read in (_parse_amount_text, _parse_amount):
        try:
            got: Decimal | str = read(text)
        except _CellError as exc:
            got = str(exc)
        assert type(got) is type(expected)
        assert str(got) == str(expected)


# --------------------------------------------------------------------------- sharing


def test_entries_share_their_set_of_fields_safely(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text(
        f"{HEADER}\nB-1;03.02.2025;1,00;;1.1;A;;;;\nB-2;04.02.2025;2,00;;1.1;A;;;;\n",
        encoding="utf-8",
    )
    first, second = read_ledger(path).expenditures
    assert first.model_fields_set == set(Expenditure.model_fields)
    assert first.payee is second.payee  # a repeated text is one string
    changed = first.model_copy(update={"purpose": "neu"})
    assert changed.purpose == "neu"
    assert second.model_fields_set == first.model_fields_set == set(Expenditure.model_fields)
    with pytest.raises(ValidationError):
        first.amount = Decimal("3.00")  # type: ignore[misc]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_reading_and_then_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    path = tmp_path / "b.csv"
    path.write_text(f"{HEADER}\nB-1;03.02.2025;1,00;;1.1;;;;;\n", encoding="utf-8")
    seen: list[bool] = []
    original = ledger_module._Rows.add_block

    def add(self: ledger_module._Rows, first: int, rows: list[list[str]]) -> None:
        seen.append(gc.isenabled())
        original(self, first, rows)

    monkeypatch.setattr(ledger_module._Rows, "add_block", add)
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        read_ledger(path)
        assert seen == [False]
        assert gc.isenabled() is enabled
        with pytest.raises(LedgerError):
            read_ledger(path, line_ids=["9.9"])
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
