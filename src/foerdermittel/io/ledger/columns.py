"""The column layout of a ledger: column names per field, the header row, the delimiter.

The German default names are
[`DEFAULT_LEDGER_COLUMNS`][foerdermittel.model.records.DEFAULT_LEDGER_COLUMNS]; ``columns``
overrides them per field. Names are compared without regard to case; a column named twice, a
missing required column and a header that reads with another delimiter are errors.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence

from foerdermittel.errors import Problem
from foerdermittel.io.ledger.cells import _nfc
from foerdermittel.io.ledger.errors import LedgerError
from foerdermittel.model.records import DEFAULT_LEDGER_COLUMNS

__all__: list[str] = []

_REQUIRED = ("id", "paid_on", "amount")


_DELIMITER_NAMES = {";": "Semikolon", ",": "Komma", "\t": "Tabulator", "|": "senkrechter Strich"}


def _delimiter_name(delimiter: str) -> str:
    """A delimiter for a message, e.g. ``';' (Semikolon)``."""
    name = _DELIMITER_NAMES.get(delimiter)
    return f"{delimiter!r} ({name})" if name else repr(delimiter)


def _column_names(columns: Mapping[str, str] | None, file: str) -> dict[str, str]:
    """The column name per field: the German defaults with ``columns`` applied."""
    names = dict(DEFAULT_LEDGER_COLUMNS)
    problems: list[Problem] = []
    for field, name in (columns or {}).items():
        if field not in names:
            problems.append(
                Problem(
                    f"columns[{field!r}]",
                    field,
                    f"unbekanntes Feld; erlaubt: {', '.join(DEFAULT_LEDGER_COLUMNS)}",
                )
            )
        elif not isinstance(name, str) or not _nfc(name):
            problems.append(Problem(f"columns[{field!r}]", name, "Spaltenname fehlt"))
        else:
            names[field] = _nfc(name)
    seen: dict[str, str] = {}
    for field, name in names.items():
        other = seen.setdefault(name.casefold(), field)
        if other != field:
            problems.append(
                Problem(
                    f"columns[{field!r}]",
                    name,
                    f"derselbe Spaltenname ist schon dem Feld {other!r} zugeordnet",
                )
            )
    if problems:
        raise LedgerError(problems, file=file)
    return names


def _check_delimiter(delimiter: str, file: str) -> None:
    """Refuse a delimiter that is not one character or that csv cannot use."""
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise LedgerError.single(
            "delimiter",
            delimiter,
            "Trennzeichen muss genau ein Zeichen sein (nicht Anführungszeichen oder Zeilenumbruch)",
            file=file,
        )


class _Layout:
    """Where each field's column is in the header row."""

    def __init__(self, names: dict[str, str], index: dict[str, int]) -> None:
        self.names = names
        self.index = index

    @classmethod
    def from_header(
        cls,
        header: Sequence[str],
        names: dict[str, str],
        file: str,
        *,
        csv_line: str | None = None,
        delimiter: str = ";",
    ) -> _Layout:
        """Find the columns; a missing required column (or a wrong delimiter) is an error."""
        position: dict[str, int] = {}
        duplicates: set[str] = set()
        for number, text in enumerate(header):
            key = text.casefold()
            if key in position:
                duplicates.add(key)
            else:
                position[key] = number
        index = {f: position[n.casefold()] for f, n in names.items() if n.casefold() in position}
        problems: list[Problem] = []
        missing = [names[f] for f in _REQUIRED if f not in index]
        if missing:
            problems.append(_missing_columns(missing, header, names, csv_line, delimiter))
        for field, name in names.items():
            if name.casefold() in duplicates:
                problems.append(
                    Problem("Kopfzeile", name, "Spalte kommt mehrfach vor; welche gilt?")
                )
                index.pop(field, None)
        if problems:
            raise LedgerError(problems, file=file)
        return cls(names, index)


def _missing_columns(
    missing: list[str],
    header: Sequence[str],
    names: dict[str, str],
    csv_line: str | None,
    delimiter: str,
) -> Problem:
    """The problem for a header without the required columns; detects a wrong delimiter."""
    if csv_line is not None:
        required = {names[f].casefold() for f in _REQUIRED}
        for candidate in (";", ",", "\t", "|"):
            if candidate == delimiter:
                continue
            try:
                cells = next(csv.reader([csv_line], delimiter=candidate), [])
            except csv.Error:  # pragma: no cover - a single line with lenient parsing
                continue
            if required <= {_nfc(c).casefold() for c in cells}:
                return Problem(
                    "Kopfzeile",
                    csv_line[:200],
                    f"falsches Trennzeichen: erwartet {_delimiter_name(delimiter)}, die Datei "
                    f"ist aber mit {_delimiter_name(candidate)} getrennt (Trennzeichen "
                    f"{candidate!r} angeben)",
                )
    # What was expected, never what the file holds: a file that is no ledger (a case naming
    # /etc/passwd) must not have its first line echoed.
    expected = ", ".join(repr(names[f]) for f in _REQUIRED)
    separated = f", getrennt durch {_delimiter_name(delimiter)}" if csv_line is not None else ""
    return Problem(
        "Kopfzeile",
        None,
        f"Pflichtspalte fehlt: {', '.join(repr(m) for m in missing)}; erwartet wird in der "
        f"ersten Zeile eine Kopfzeile mit mindestens den Spalten {expected}{separated} — "
        "ist das ein Belegbuch?",
    )
