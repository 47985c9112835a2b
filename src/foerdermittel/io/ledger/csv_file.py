"""Reading a CSV ledger: the bytes within the limit, the encoding, the header and the rows.

The text is UTF-8 (with or without byte order mark), else Windows-1252; UTF-16, null bytes and
a ZIP archive (a workbook saved under another name) are refused. Rows are read with strict
quoting; a broken quote ends the reading with a problem at its row.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from foerdermittel._files import not_a_regular_file
from foerdermittel.errors import Problem
from foerdermittel.io.ledger.cells import _is_blank, _nfc
from foerdermittel.io.ledger.errors import LedgerError
from foerdermittel.io.ledger.limits import _refuse_size

__all__: list[str] = []


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """The encoding of a CSV file and its first line: UTF-8 (with or without BOM), else cp1252.

    The whole text is decoded once to find the encoding; the rows are then decoded as they
    are read (``_CsvTable``), so the text is never held in memory as a whole.
    """
    if data.startswith(b"PK\x03\x04"):
        raise LedgerError.single(
            "",
            None,
            "keine CSV-Datei, sondern ein ZIP-Archiv (eine Excel-Arbeitsmappe? dann mit der "
            "Endung .xlsx)",
            file=name,
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LedgerError.single(
            "",
            None,
            "UTF-16-Text wird nicht gelesen; bitte als „CSV UTF-8“ speichern",
            file=name,
        )
    if b"\x00" in data:
        raise LedgerError.single("", None, "keine Textdatei (enthält Null-Bytes)", file=name)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _first_line(str(memoryview(data)[len(codecs.BOM_UTF8) :], "utf-8")), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise LedgerError.single(
                "",
                None,
                f"beginnt mit UTF-8-Kennung, ist aber kein gültiges UTF-8 (Byte {exc.start + 3})",
                file=name,
            ) from None
    try:
        return _first_line(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _first_line(data.decode("windows-1252")), "windows-1252"
    except UnicodeDecodeError as exc:
        raise LedgerError.single(
            "",
            None,
            f"Zeichenkodierung nicht erkannt: weder UTF-8 noch Windows-1252 (Byte {exc.start})",
            file=name,
        ) from None


def _first_line(text: str) -> str:
    """The first line of ``text``, without its line break (for messages about the header)."""
    end = text.find("\n")
    return (text if end < 0 else text[:end]).rstrip("\r")


class _CsvTable:
    """A CSV ledger's header and its data rows, numbered as in the file.

    Iterating gives ``(row number, cells)``; a broken quote ends the rows, and ``broken`` then
    holds the problem at its row ("der Rest der Datei wurde nicht gelesen").
    """

    def __init__(self, file: Path, name: str, max_bytes: int, delimiter: str) -> None:
        if (reason := not_a_regular_file(file)) is not None:
            raise LedgerError.single("", None, reason, file=name)
        try:
            with file.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise LedgerError.single("", None, f"nicht lesbar: {exc.strerror}", file=name) from None
        _refuse_size(len(data), max_bytes, name)
        self.first_line, self.encoding = _decode(data, name)
        text = io.TextIOWrapper(io.BytesIO(data), encoding=self.encoding, newline="")
        self.records = csv.reader(text, delimiter=delimiter, strict=True)
        try:
            header_cells = next(self.records, None)
        except csv.Error as exc:
            raise LedgerError.single(
                "Kopfzeile", None, f"CSV-Format fehlerhaft ({exc})", file=name
            ) from None
        if header_cells is None or _is_blank(header_cells):
            raise LedgerError.single("Kopfzeile", None, "Kopfzeile fehlt (Datei leer?)", file=name)
        self.header = [_nfc(cell) for cell in header_cells]
        self.broken: Problem | None = None

    def blocks(self, size: int) -> Iterator[tuple[int, list[list[str]]]]:
        """The data rows in blocks of ``size``: ``(number of the block's first row, rows)``.

        A broken quote ends the rows as in ``__iter__`` (the rows before it are read).
        """
        first = 2
        records = self.records
        while True:
            block: list[list[str]] = []
            try:
                block.extend(islice(records, size))
            except csv.Error as exc:
                if block:
                    yield first, block
                self.broken = Problem(
                    f"Zeile {first + len(block)}",
                    None,
                    f"CSV-Format fehlerhaft ({exc}, Textzeile {records.line_num}); "
                    "Anführungszeichen prüfen; der Rest der Datei wurde nicht gelesen",
                )
                return
            if not block:
                return
            yield first, block
            first += len(block)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        number = 1
        while True:
            try:
                row = next(self.records)
            except StopIteration:
                return
            except csv.Error as exc:
                self.broken = Problem(
                    f"Zeile {number + 1}",
                    None,
                    f"CSV-Format fehlerhaft ({exc}, Textzeile {self.records.line_num}); "
                    "Anführungszeichen prüfen; der Rest der Datei wurde nicht gelesen",
                )
                return
            number += 1
            yield number, row
