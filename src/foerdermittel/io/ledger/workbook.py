"""Reading an XLSX ledger: the archive checked, the workbook opened safely, the sheet chosen.

openpyxl reads the workbook read-only, values only, with defusedxml (a workbook is refused
when defusedxml is missing); the archive is checked against the limits first. The sheet is
the one named, else the only visible one; with several visible sheets, or none, reading is
refused and the sheets are named. openpyxl and defusedxml are imported on first use.
"""

from __future__ import annotations

import importlib
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from foerdermittel._files import not_a_regular_file
from foerdermittel.io.ledger.errors import LedgerError
from foerdermittel.io.ledger.limits import _check_archive

__all__: list[str] = []

_XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})


class _Titled(Protocol):
    """A worksheet as far as choosing one goes."""

    @property
    def title(self) -> str: ...

    @property
    def sheet_state(self) -> str: ...


_Sheet = TypeVar("_Sheet", bound=_Titled)


def _workbook_error(exc: Exception, name: str) -> LedgerError:
    """The error for a workbook openpyxl cannot read."""
    defused: type[Exception] = importlib.import_module("defusedxml").DefusedXmlException
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 20:  # openpyxl wraps the parser's error
        chain.append(current)
        current = current.__cause__ or current.__context__
    bomb = next((e for e in chain if isinstance(e, defused)), None)
    broken = next((e for e in chain if isinstance(e, ParseError)), None)
    no_workbook = next(
        (e for e in chain if isinstance(e, zipfile.BadZipFile | InvalidFileException | KeyError)),
        None,
    )
    if bomb is not None:
        message = (
            "Arbeitsmappe enthält unzulässige XML-Konstrukte (DTD oder Entitäten, z. B. eine "
            f"XML-Bombe) und wird aus Sicherheitsgründen nicht gelesen ({type(bomb).__name__})"
        )
    elif broken is not None:
        message = f"Arbeitsmappe beschädigt: fehlerhaftes XML ({broken})"
    elif no_workbook is not None:
        message = f"keine Excel-Arbeitsmappe ({type(no_workbook).__name__}: {no_workbook})"
    else:
        first_line = str(exc).split("\n", 1)[0]
        message = f"Arbeitsmappe nicht lesbar ({type(exc).__name__}: {first_line})"
    return LedgerError.single("", None, message, file=name)


@contextmanager
def _workbook_rows(
    file: Path, name: str, max_bytes: int, sheet: str | None
) -> Iterator[tuple[str, Iterator[tuple[object, ...]]]]:
    """The title and rows (values only) of the worksheet to read; closed on leaving."""
    _check_archive(file, name, max_bytes)
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise LedgerError.single(
            "",
            None,
            "Excel-Arbeitsmappen werden nur mit defusedxml gelesen (Schutz vor XML-Bomben); "
            "defusedxml ist nicht installiert oder per OPENPYXL_DEFUSEDXML abgeschaltet",
            file=name,
        )
    if (reason := not_a_regular_file(file)) is not None:
        raise LedgerError.single("", None, reason, file=name)
    with file.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = openpyxl.load_workbook(
                    handle, read_only=True, data_only=True, keep_links=False
                )
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise _workbook_error(exc, name) from None
        try:
            worksheet = _chosen_sheet(workbook.worksheets, sheet, name)
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()  # do not trust the stored dimension
            yield worksheet.title, _guarded(worksheet.iter_rows(values_only=True), name)
        finally:
            workbook.close()


def _sheet_list(titles: Iterable[str]) -> str:
    """Sheet names for a message, e.g. ``'Belege', 'Alt'``."""
    return ", ".join(repr(t) for t in titles) or "(keine)"


def _chosen_sheet(worksheets: Sequence[_Sheet], sheet: str | None, name: str) -> _Sheet:
    """The worksheet to read: the one named, else the only visible one; never a guess."""
    titles = [s.title for s in worksheets]
    hidden = [s.title for s in worksheets if s.sheet_state != "visible"]
    visible = [s for s in worksheets if s.sheet_state == "visible"]
    shown = _sheet_list(t for t in titles if t not in hidden) + (
        f" (ausgeblendet: {_sheet_list(hidden)})" if hidden else ""
    )
    if sheet is not None:
        for candidate in worksheets:
            if candidate.title == sheet:
                return candidate
        raise LedgerError.single(
            "sheet", sheet, f"Tabellenblatt nicht gefunden; vorhanden: {shown}", file=name
        )
    if not worksheets:
        raise LedgerError.single("", None, "Arbeitsmappe ohne Tabellenblatt", file=name)
    if len(visible) == 1:
        return visible[0]
    if not visible:
        message = (
            f"Arbeitsmappe ohne sichtbares Tabellenblatt (ausgeblendet: {_sheet_list(hidden)}); "
            "welches Blatt die Belege enthält, bitte angeben (sheet, in der Falldatei "
            "[ledger] sheet)"
        )
    else:
        message = (
            f"Arbeitsmappe mit {len(visible)} sichtbaren Tabellenblättern: {shown}; welches "
            "die Belege enthält, bitte angeben (sheet, in der Falldatei [ledger] sheet)"
        )
    raise LedgerError.single("sheet", None, message, file=name)


def _guarded(rows: Iterator[tuple[object, ...]], name: str) -> Iterator[tuple[object, ...]]:
    """``rows``, with errors of the XML parser turned into a ``LedgerError``."""
    while True:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds for a broken sheet
            raise _workbook_error(exc, name) from None
        yield row
