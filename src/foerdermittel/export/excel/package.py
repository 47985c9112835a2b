"""The workbook's package: the sheets in order, the zip archive, ``to_bytes`` and ``write``.

openpyxl writes every sheet but the Belegliste's rows; the zip entries all carry the key date
as their timestamp, every formula cell gets its value (`formulas`: openpyxl leaves ``<v/>``
empty), and the Belegliste's rows are spliced into its sheet XML as they stream. `_save`
writes any workbook the exporter builds this way.
"""

from __future__ import annotations

import io
import os
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from foerdermittel.export.excel.cells import _properties
from foerdermittel.export.excel.deadlines import _deadlines
from foerdermittel.export.excel.drawdown_plan import _drawdowns
from foerdermittel.export.excel.financing_plan import _financing_plan
from foerdermittel.export.excel.formulas import _formula_values, _insert_values
from foerdermittel.export.excel.history import _history
from foerdermittel.export.excel.overview import _overview
from foerdermittel.export.excel.own_share import _own_share
from foerdermittel.export.excel.proof import _proof
from foerdermittel.export.excel.reconciliation import _reconciliation
from foerdermittel.export.excel.vouchers import _voucher_rows, _voucher_sheet
from foerdermittel.export.written import WrittenWorkbook
from foerdermittel.io.atomic import write_atomic
from foerdermittel.messages import DEFAULT_LANGUAGE, Words
from foerdermittel.report import Report

if TYPE_CHECKING:
    from _typeshed import SizedBuffer


SHEETS = (
    "Übersicht",
    "Finanzierungsplan",
    "Mittelabrufplan",
    "Verlauf",
    "Eigenanteil",
    "Fristen",
    "Zahlenmäßiger Nachweis",
    "Abstimmung",
    "Belegliste",
)
"""The sheets of the German workbook, in order (see
[`sheet_names`][foerdermittel.export.excel.sheet_names] for another language)."""

_SHEET_KEYS = (
    "overview",
    "financing-plan",
    "drawdown-plan",
    "history",
    "own-share",
    "deadlines",
    "proof",
    "reconciliation",
    "vouchers",
)


def sheet_names(lang: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """The sheets in a language, in order (catalogue ``workbook.sheet``).

    Formulas and defined names that refer to a sheet use its name in the workbook's language.

    Raises:
        NotFoundError: for a language without a catalogue.

    Examples:
        >>> sheet_names() == SHEETS
        True
        >>> sheet_names("en")[:3]
        ('Overview', 'Financing plan', 'Drawdown plan')
    """
    w = Words(lang)
    return tuple(w(f"workbook.sheet.{key}") for key in _SHEET_KEYS)


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


_CHUNK_ROWS = 2000
"""Rows per chunk written to the worksheet's zip entry (about a megabyte of XML)."""


def _splice(head: bytes, rows: Iterable[str], last_row: int, out: IO[bytes]) -> None:
    """Write the worksheet ``head`` (openpyxl's XML) with ``rows`` appended to its sheetData.

    The rows are made here and written (checksummed and compressed into the zip entry) by a
    thread of their own: zlib lets go of the interpreter while it compresses, so on a machine
    with two cores the compression of one chunk overlaps the making of the next.
    """
    head = _DIMENSION.sub(f'<dimension ref="A1:L{last_row}"/>'.encode(), head, count=1)
    if b"</sheetData>" in head:
        before, after = head.split(b"</sheetData>", 1)
    else:
        before, after = head.split(b"<sheetData/>", 1)
        before += b"<sheetData>"
    out.write(before)
    with _WrittenBehind(out) as behind:
        chunk: list[str] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= _CHUNK_ROWS:
                behind.write("".join(chunk).encode())
                chunk.clear()
        behind.write("".join(chunk).encode())
    out.write(b"</sheetData>")
    out.write(after)


class _WrittenBehind:
    """Writes chunks to ``out`` in a thread of its own, in order, while the caller goes on.

    At most a few chunks wait. The first error the writing raises is raised again to the
    caller at its next ``write`` or when the block ends; a caller's own error ends the
    writing and passes on. Leaving the block waits until every chunk is written.
    """

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="xlsx-rows", daemon=True)

    def _drain(self) -> None:
        while True:
            data = self._chunks.get()
            if data is None:
                return
            if self._error is None:
                try:
                    self._out.write(data)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc

    def write(self, data: bytes) -> None:
        """Queue ``data`` to be written after the chunks before it."""
        if self._error is not None:
            raise self._error
        self._chunks.put(data)

    def __enter__(self) -> _WrittenBehind:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self._chunks.put(None)
        self._thread.join()
        if kind is None and self._error is not None:
            raise self._error


class _Package(zipfile.ZipFile):
    """A zip archive whose entries all carry one timestamp; one worksheet is streamed in.

    openpyxl writes worksheets through temporary files (``write``) and everything else with
    ``writestr``; both are routed here so that no entry takes the clock's time. Every
    worksheet's formula cells get their values here (``values``: the sheet's path → cell
    reference → value), before any rows are streamed in.
    """

    def __init__(
        self,
        file: IO[bytes],
        stamp: tuple[int, int, int, int, int, int],
        splices: dict[str, tuple[Callable[[bytes, IO[bytes]], None], int]],
        values: dict[str, dict[str, str]],
    ) -> None:
        super().__init__(file, "w", compression=zipfile.ZIP_DEFLATED)
        self._stamp = stamp
        self._splices = splices
        self._values = values

    def _info(self, name: str, size: int = 0) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3
        info.external_attr = 0o600 << 16
        info.file_size = size
        return info

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Store ``data`` under the fixed timestamp."""
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        super().writestr(self._info(name), data)

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Store a file openpyxl wrote; the streamed worksheet gets its rows here."""
        name = os.fspath(arcname if arcname is not None else filename)
        try:
            data = Path(filename).read_bytes()
            if name.startswith("xl/worksheets/"):  # every formula gets its value
                data = _insert_values(data, self._values.get(name, {}), name)
            splice = self._splices.get(name)
            if splice is None:
                self.writestr(name, data)
                return
            write_rows, estimate = splice
            with self.open(self._info(name, len(data) + estimate), "w") as out:
                write_rows(data, out)
        except BaseException:
            Path(filename).unlink(missing_ok=True)  # openpyxl's temporary file
            raise


def _stamp(report: Report) -> datetime:
    """The document's date: the key date at 00:00 (UTC), never the clock."""
    return datetime.combine(max(report.as_of, date(1980, 1, 1)), time(0, 0))


def _workbook(report: Report, w: Words) -> tuple[Workbook, Worksheet]:
    """Every sheet but the Belegliste's rows; returns the workbook and the Belegliste sheet."""
    wb = Workbook()
    overview = wb.active
    assert isinstance(overview, Worksheet)
    titles = sheet_names(w.lang)
    overview.title = titles[0]
    sheets = [overview, *(wb.create_sheet(title) for title in titles[1:])]
    names = _overview(sheets[0], report, w)
    _financing_plan(sheets[1], report, w)
    _drawdowns(sheets[2], report, w)
    _history(sheets[3], report, w)
    _own_share(sheets[4], report, w)
    _deadlines(sheets[5], report, w)
    _proof(sheets[6], report, w)
    _reconciliation(sheets[7], report, w)
    for name, target in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    stamp = _stamp(report)
    title = report.title or w("workbook.title", grant=report.grant.id)
    _properties(wb, stamp, title, w("workbook.subject"), w)
    wb.active = 0
    return wb, sheets[8]


def to_bytes(report: Report, *, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The report as an .xlsx workbook (bytes); the same report gives the same bytes.

    Args:
        report: the evaluated case.
        lang: the language of the workbook's words, sheet names and date formats: ``de``
            (the default) or ``en``.

    Raises:
        NotFoundError: for a language without a catalogue.
        WorkbookTooLargeError: the Belegliste has more rows than a worksheet can hold.
    """
    w = Words(lang)
    wb, vouchers = _workbook(report, w)
    styles, last_row = _voucher_sheet(vouchers, report, w)
    path = f"xl/worksheets/sheet{len(SHEETS)}.xml"  # the Belegliste is the last sheet

    def write_rows(head: bytes, out: IO[bytes]) -> None:
        _splice(head, _voucher_rows(report, styles, w), last_row, out)

    estimate = 400 * (len(report.proof_of_use.vouchers) + len(report.proof_of_use.excluded))
    return _save(wb, _stamp(report), {path: (write_rows, estimate)})


def _save(
    wb: Workbook,
    stamp: datetime,
    splices: dict[str, tuple[Callable[[bytes, IO[bytes]], None], int]] | None = None,
) -> bytes:
    """The workbook's package (bytes): one timestamp, every formula with its value.

    Every workbook the exporter writes goes through here, so every formula cell of every sheet
    gets its value (`formulas`) whatever sheet it is on. ``splices`` maps a worksheet's path in
    the package to the function that streams its rows in and the size it expects.

    Raises:
        FormulaError: a formula outside the language the sheets use (an exporter error).
    """
    values = {
        f"xl/worksheets/sheet{index}.xml": _formula_values(ws)
        for index, ws in enumerate(wb.worksheets, 1)  # openpyxl's numbering of the sheets
        if isinstance(ws, Worksheet)
    }
    buffer = io.BytesIO()
    date_time = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    archive = _Package(buffer, date_time, splices or {}, values)
    try:
        ExcelWriter(wb, archive).save()
    finally:
        archive.close()
    return buffer.getvalue()


def write(
    report: Report,
    path: str | os.PathLike[str] | IO[bytes],
    *,
    lang: str = DEFAULT_LANGUAGE,
) -> WrittenWorkbook:
    """Write the report as an .xlsx workbook: to a file atomically, or to a binary stream.

    Args:
        report: the evaluated case.
        path: the file to write (temporary name, then renamed), or a binary stream such as
            ``sys.stdout.buffer``, which gets the bytes as they are.
        lang: the language of the workbook: ``de`` (the default) or ``en``.

    Returns:
        What was written: the file (``None`` for a stream), its size, the number of sheets
        and of vouchers in the Belegliste (counted and excluded).

    Raises:
        OSError: the folder does not exist or cannot be written.
        NotFoundError: for a language without a catalogue.
        WorkbookTooLargeError: the Belegliste has more rows than a worksheet can hold.
    """
    data = to_bytes(report, lang=lang)
    target: str | None = None
    if isinstance(path, str | os.PathLike):
        target = os.fspath(path)
        write_atomic(target, data)
    else:  # a binary stream such as standard output: written as it is, no rename
        path.write(data)
        path.flush()
    proof = report.proof_of_use
    return WrittenWorkbook(
        path=target,
        size=len(data),
        sheets=len(SHEETS),
        vouchers=len(proof.vouchers) + len(proof.excluded),
    )
