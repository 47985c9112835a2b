"""Reading a block of CSV rows column by column, straight into the voucher columns.

Most rows of an export are plain: every cell in the form almost every export writes
(``1.234,56``, ``03.02.2025``), every expenditure's line known. A block of such rows is read
a column at a time — each column's cells checked and turned into cents, ordinal days or
shared strings by loops that run inside the interpreter's built-ins, not a Python call per
cell — and added to the voucher columns
([`VoucherColumnsBuilder`][foerdermittel.model.voucher_builder.VoucherColumnsBuilder]) without
an ``Expenditure`` per row.

A block is read so only where every cell is one this reading gives exactly what the row
reader would (``_Rows.add``: the same amounts, days, texts and lines, no problem to report);
otherwise ``read`` returns ``False`` and the row reader reads the block row by row, with
every message as before. Income rows (Einnahme, Eigenmittel) of a block read so are handed to
the row reader one by one; they are few.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from datetime import date
from functools import partial
from itertools import compress, repeat
from typing import TYPE_CHECKING, Any
from unicodedata import is_normalized

from foerdermittel.io.ledger.cells import _KINDS, _CellError, _csv_text, _Memo, _parse_date
from foerdermittel.model.dates import date_range
from foerdermittel.model.voucher_builder import NO_DAY, NO_NET, VoucherColumnsBuilder
from foerdermittel.plausible import AMOUNT_LIMIT

if TYPE_CHECKING:  # pragma: no cover
    from foerdermittel.io.ledger.columns import _Layout

__all__: list[str] = []

BLOCK_ROWS = 1024
"""The rows read as one block."""

# The forms ``_parse_amount_text`` reads without ``parse_amount`` (exactly two places): the
# digits without the separators are the cents.
_PLAIN_AMOUNT = re.compile(
    r"-?(?:[0-9]{1,15}[,.]|[1-9][0-9]{0,2}(?:\.[0-9]{3}){1,4},)[0-9]{2}", re.ASCII
)
_LIMIT = int(AMOUNT_LIMIT) * 100  # cents; the model refuses an amount this large
_is_nfc = partial(is_normalized, "NFC")
_INTERNED = 262_144  # texts a column shares before it starts afresh
_NEW = 0.9  # after a block with more new texts than this share, equal ones are not looked for
_LOOK_AGAIN = 16  # in the next blocks but every 16th
_EMPTY: dict[str, str | None] = {"": None}

# the kinds as ``_Rows`` reads them, as codes: the voucher's kind (0, 1), income (2, 3)
_KIND_CODES = {"expenditure": 0, "credit": 1, "income": 2, "own_funds": 3, None: 4}
_EMPTY_LINE = -1
_UNKNOWN_LINE = -2


def _cents(cells: Sequence[str]) -> list[int] | None:
    """The amounts of ``cells`` in cents, if each is a plain amount below the model's limit."""
    if not all(map(_PLAIN_AMOUNT.fullmatch, cells)):
        return None
    digits = map(
        str.replace, map(str.replace, cells, repeat("."), repeat("")), repeat(","), repeat("")
    )
    cents = list(map(int, digits))
    if cents and (max(cents) >= _LIMIT or min(cents) <= -_LIMIT):
        return None
    return cents


class _Texts:
    """A text column's cells as ``_csv_text`` reads them, empty as ``None``, shared.

    Equal texts are shared (one string) while a column repeats its texts; after a block of
    nearly all new texts (a purpose per voucher) the next blocks are not looked at, but every
    ``_LOOK_AGAIN``-th is, and sharing starts again where it repeats.
    """

    def __init__(self) -> None:
        self.read: _Memo[str] = _Memo(_csv_text)
        self.shared: dict[str, str | None] = {"": None}
        self.skipped = 0  # blocks not looked at since the last one with nearly all new texts

    def plain(self, cells: Sequence[str]) -> list[str]:
        """The cells' texts (stripped, NFC, without the "'" that guards a formula)."""
        stripped = list(map(str.strip, cells))
        if not any(map(str.startswith, stripped, repeat("'"))) and (
            all(map(str.isascii, stripped)) or all(map(_is_nfc, stripped))
        ):
            return stripped  # nothing for NFC to change, no formula guard to remove
        return list(map(self.read.__getitem__, cells))

    def optional(self, cells: Sequence[str]) -> list[str | None]:
        """The cells' texts, an empty one as ``None``; equal texts are one string."""
        texts = self.plain(cells)
        if self.skipped:
            self.skipped = (self.skipped + 1) % _LOOK_AGAIN
            return list(map(_EMPTY.get, texts, texts))
        shared = self.shared
        if len(shared) > _INTERNED:
            shared.clear()
            shared[""] = None
        known = len(shared)
        values = list(map(shared.setdefault, texts, texts))
        if len(shared) - known > len(texts) * _NEW:
            self.skipped = 1
        return values


class _Days:
    """Date cells as ordinals, each text read once; ``None`` for a cell the rows must read."""

    def __init__(self, first: date, last: date, *, optional: bool) -> None:
        self.known: dict[str, int] = {}
        self.first, self.last = first.toordinal(), last.toordinal()
        self.optional = optional

    def ordinals(self, cells: Sequence[str]) -> list[int] | None:
        known = self.known
        days = list(map(known.get, cells))
        if None in days:
            for cell in {cell for cell, day in zip(cells, days, strict=True) if day is None}:
                if self.optional and not cell.strip():
                    known[cell] = NO_DAY
                    continue
                try:
                    ordinal = _parse_date(cell).toordinal()
                except _CellError:
                    return None
                if not self.first <= ordinal <= self.last:
                    return None  # the model refuses it, with its words
                known[cell] = ordinal
            days = list(map(known.__getitem__, cells))
        return days  # type: ignore[return-value]


class _BlockReader:
    """Reads blocks of plain rows of one CSV ledger into the voucher columns."""

    def __init__(
        self,
        layout: _Layout,
        *,
        width: int,
        file_name: str,
        line_ids: Collection[str] | None,
        builder: VoucherColumnsBuilder,
    ) -> None:
        self.index = layout.index
        self.width = width
        self.line_ids = line_ids
        self.builder = builder
        self.origin = builder.origin_file(file_name)
        first, last = date_range()
        self.days = _Days(first, last, optional=False)
        self.invoice_days = _Days(first, last, optional=True)
        self.kinds: dict[str, int] = {}
        self.lines: dict[str, int] = {}
        self.ids = _Texts()
        self.texts = {
            field: _Texts() for field in ("payee", "purpose", "reference", "invoice_number")
        }
        self.usable = "line" in self.index  # without the column every row is a problem

    def _kind(self, cell: str) -> int:
        return _KIND_CODES[_KINDS.get(_csv_text(cell).casefold())]

    def _line(self, cell: str) -> int:
        line = _csv_text(cell)
        if not line:
            return _EMPTY_LINE
        if self.line_ids is not None and line not in self.line_ids:
            return _UNKNOWN_LINE
        return self.builder.line(line)

    def _codes(
        self, cells: Sequence[str], known: dict[str, int], read: Callable[[str], int]
    ) -> list[int]:
        codes = list(map(known.get, cells))
        if None in codes:
            for cell in set(cells) - known.keys():
                known[cell] = read(cell)
            codes = list(map(known.__getitem__, cells))
        return codes  # type: ignore[return-value]

    def read(
        self, first: int, rows: list[list[str]], add_row: Callable[[int, list[str]], None]
    ) -> tuple[int, int] | None:
        """Read the block of ``rows`` (the first numbered ``first``) if it is plain.

        Income rows go to ``add_row`` (the row reader). Returns the number of expenditure rows
        and the sum of their amounts in cents, or ``None`` (nothing read: the block is for the
        row reader).
        """
        if not self.usable or not rows:
            return None
        width = self.width
        if len(rows[0]) != width or len(set(map(len, rows))) != 1:
            return None
        columns = list(zip(*rows, strict=True))
        index = self.index

        def column(field: str) -> tuple[str, ...] | None:
            position = index.get(field)
            return None if position is None else columns[position]

        count = len(rows)
        kind_cells = column("kind")
        kinds = (
            [0] * count if kind_cells is None else self._codes(kind_cells, self.kinds, self._kind)
        )
        if 4 in kinds:
            return None
        amounts = _cents(columns[index["amount"]])
        if amounts is None:
            return None
        mask: list[bool] | None = None
        if 2 in kinds or 3 in kinds:
            mask = [code < 2 for code in kinds]

        def chosen(cells: tuple[str, ...] | list[int] | None) -> list[Any] | None:
            if cells is None:
                return None
            return list(cells) if mask is None else list(compress(cells, mask))

        ids = self.ids.plain(chosen(columns[index["id"]]) or [])
        if "" in ids:
            return None
        days = self.days.ordinals(chosen(columns[index["paid_on"]]) or [])
        if days is None:
            return None
        line_cells = chosen(column("line")) or []
        lines = self._codes(line_cells, self.lines, self._line)
        if lines and min(lines) < 0:
            return None
        net_cells = chosen(column("net_amount"))
        nets: list[int] | None = None
        if net_cells is not None and any(map(str.strip, net_cells)):
            given = [cell for cell in net_cells if cell.strip()]
            net_cents = _cents(given)
            if net_cents is None:
                return None
            found = iter(net_cents)
            nets = [next(found) if cell.strip() else NO_NET for cell in net_cells]
        invoice_day_cells = chosen(column("invoice_date"))
        invoice_days = None
        if invoice_day_cells is not None:
            invoice_days = self.invoice_days.ordinals(invoice_day_cells)
            if invoice_days is None:
                return None
        texts = {}
        for field, reader in self.texts.items():
            cells = chosen(column(field))
            texts[field] = None if cells is None else reader.optional(cells)
        spent = chosen(amounts) or []
        rows_read = len(ids)
        numbers = range(first, first + count)
        if mask is not None:
            for number, row, code in zip(numbers, rows, kinds, strict=True):
                if code >= 2:
                    add_row(number, row)
        none: list[str | None] = [None] * rows_read
        self.builder.add_columns(
            ids=ids,
            lines=lines,
            days=days,
            amounts=spent,
            nets=nets,
            payees=texts["payee"] or none,
            purposes=texts["purpose"] or none,
            kinds=chosen(kinds) or [],
            references=texts["reference"] or none,
            origin_file=self.origin,
            origin_rows=numbers if mask is None else compress(numbers, mask),
            invoice_numbers=texts["invoice_number"],
            invoice_days=invoice_days,
        )
        return rows_read, sum(spent)
