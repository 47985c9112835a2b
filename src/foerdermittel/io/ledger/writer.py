"""Writing a ledger as German CSV, the format the ledger import reads.

UTF-8 with byte order mark, ``;`` by default, amounts ``1234,56``, dates ``TT.MM.JJJJ`` (the
invoice columns ``Rechnungsnummer`` and ``Rechnungsdatum`` last); a text that a spreadsheet
program would run as a formula gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal

from foerdermittel.errors import Problem
from foerdermittel.io.atomic import write_atomic
from foerdermittel.io.ledger.cells import _FORMULA_START
from foerdermittel.io.ledger.columns import _check_delimiter, _column_names
from foerdermittel.io.ledger.errors import LedgerError
from foerdermittel.model.records import DEFAULT_LEDGER_COLUMNS, Expenditure, Income
from foerdermittel.money import CENT

__all__ = ["write_ledger_csv"]

_KIND_NAMES = {"expenditure": "Ausgabe", "credit": "Gutschrift"}


def _format_amount(amount: Decimal) -> str:
    """An amount in the German number format without thousands separators, e.g. ``-1234,50``.

    >>> _format_amount(Decimal("-1234.5"))
    '-1234,50'
    """
    return f"{amount.quantize(CENT):f}".replace(".", ",")


def _csv_cell(text: str | None) -> str:
    """A text for a CSV cell; a leading ``= + - @`` gets a ``'`` so no program runs it."""
    if not text:
        return ""
    return "'" + text if text[0] in _FORMULA_START else text


def write_ledger_csv(
    expenditures: Iterable[Expenditure],
    income: Iterable[Income],
    path: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str = ";",
) -> None:
    """Write entries as a German CSV ledger, the format ``read_ledger`` reads.

    The file is UTF-8 with byte order mark (so that Excel shows umlauts), amounts ``1234,56``,
    dates ``TT.MM.JJJJ``, written atomically. A text starting with ``=``, ``+``, ``-``, ``@``
    or ``'`` gets a leading ``'`` so that a spreadsheet program does not run it as a formula;
    [`read_ledger`][foerdermittel.io.ledger.read_ledger] removes it again. Reading the file back
    gives equal entries (apart from ``origin``) as long as texts are stripped and in NFC, as
    [`read_ledger`][foerdermittel.io.ledger.read_ledger] returns them.

    Args:
        expenditures: expenditures and credit notes (Art ``Ausgabe`` / ``Gutschrift``).
        income: income entries (Art ``Einnahme``).
        path: the file to write.
        columns: column names by field, where they differ from the German defaults.
        delimiter: the CSV delimiter.

    Raises:
        LedgerError: an income entry the format cannot hold (other public funding, a phase),
            or unusable column names or delimiter.
        OSError: the file cannot be written.
    """
    name = str(path)
    names = _column_names(columns, name)
    _check_delimiter(delimiter, name)
    fields = list(DEFAULT_LEDGER_COLUMNS)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([names[f] for f in fields])
    for item in expenditures:
        writer.writerow(
            [
                _csv_cell(item.id),
                item.paid_on.strftime("%d.%m.%Y"),
                _format_amount(item.amount),
                "" if item.net_amount is None else _format_amount(item.net_amount),
                _csv_cell(item.line),
                _csv_cell(item.payee),
                _csv_cell(item.purpose),
                _KIND_NAMES[item.kind],
                _csv_cell(item.reference),
                "",
                _csv_cell(item.invoice_number),
                "" if item.invoice_date is None else item.invoice_date.strftime("%d.%m.%Y"),
            ]
        )
    problems: list[Problem] = []
    for entry in income:
        if entry.kind == "other_public" or entry.phase is not None:
            problems.append(
                Problem(
                    f"Einnahme {entry.id}",
                    entry.kind if entry.phase is None else entry.phase,
                    "im Belegbuch nicht darstellbar: nur Drittmittel (third_party) und "
                    "Eigenmittel (own_funds) ohne Phase",
                )
            )
            continue
        writer.writerow(
            [
                _csv_cell(entry.id),
                entry.received_on.strftime("%d.%m.%Y"),
                _format_amount(entry.amount),
                "",
                "",
                _csv_cell(entry.payer),
                _csv_cell(entry.purpose),
                "Eigenmittel" if entry.kind == "own_funds" else "Einnahme",
                "",
                _csv_cell(entry.source),
                "",
                "",
            ]
        )
    if problems:
        raise LedgerError(problems, file=name)
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"))
