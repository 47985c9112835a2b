"""The error of a ledger that cannot be read."""

from __future__ import annotations

from foerdermittel.errors import CaseError, Problem

__all__ = ["LedgerError"]


class LedgerError(CaseError):
    """Belegbuch nicht lesbar — a ledger file, or a row of it, that cannot be used.

    Every problem names where it is: ``Zeile 7, Spalte Betrag`` for a cell, ``Zeile 7`` for a
    whole row, ``Kopfzeile`` for the header and an empty path for the file as a whole; the
    value is the cell text as it stands in the file.
    """

    @classmethod
    def single(
        cls, path: str, value: object, message: str, *, file: str | None = None
    ) -> LedgerError:
        """Build an error from a single problem."""
        return cls([Problem(path, value, message)], file=file)
