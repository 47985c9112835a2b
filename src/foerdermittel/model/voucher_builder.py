"""Filling the columns of a [`VoucherColumns`][foerdermittel.model.voucher_columns.VoucherColumns].

The builder takes vouchers one by one (``append``: an
[`Expenditure`][foerdermittel.model.records.Expenditure]), a block of them column by column
(``add_columns``: the ledger reader's plain rows) or a whole store (``extend_store``), and
gives the columns as a store holds them (``state``). The values a voucher's columns hold:

* amounts as integer cents (every valid amount has exactly two places, so the cents give
  the same ``Decimal`` back), a net amount [`NO_NET`][foerdermittel.model.voucher_builder.NO_NET]
  where a voucher has none;
* days as ordinals, an invoice date [`NO_DAY`][foerdermittel.model.voucher_builder.NO_DAY]
  where a voucher has none;
* the budget line and the origin's file as indexes into small tables; the origin's row
  apart (``"belege.csv:17"`` is the file ``belege.csv`` and the row 17, where the row's
  digits give the text back), ``NO_ROW`` where the table's text is the whole origin;
* the kind as 0 (``expenditure``) or 1 (``credit``).

A voucher the columns could not give back exactly (an amount of ``-0.00``, a subclass, a
value of another type that ``model_construct`` let in) is kept as it is besides its columns
(``odd``). A voucher built from the columns counts every field as given (``model_fields_set``),
as the ledger reader's always did, also where the one put in was validated from fewer fields:
the fields' values are the same, and so is every dump but one that leaves out the fields not
given (``exclude_unset``).
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from foerdermittel.frozen import built
from foerdermittel.model.records import Expenditure

if TYPE_CHECKING:
    from foerdermittel.model.voucher_columns import VoucherColumns

__all__ = [
    "NO_DAY",
    "NO_NET",
    "NO_ROW",
    "STATE",
    "VoucherColumnsBuilder",
    "built_without_validation",
]

NO_NET = -(2**63)
"""A voucher's net amount in the columns where it has none."""

NO_DAY = 0
"""A voucher's invoice date in the columns where it has none (no date has ordinal 0)."""

NO_ROW = -1
"""The origin's row where the origin is the table's text as it is (no ``:<row>``)."""

KINDS = ("expenditure", "credit")
KIND_CODES = {"expenditure": 0, "credit": 1}

STATE = (
    "ids",
    "line_table",
    "lines",
    "days",
    "amounts",
    "nets",
    "payees",
    "purposes",
    "kinds",
    "references",
    "origin_table",
    "origin_files",
    "origin_rows",
    "invoice_numbers",
    "invoice_days",
    "odd",
)
"""The parts of a store's state, in order."""

_MAX_ROW_DIGITS = 9  # a row a signed 32-bit array holds

_Model = TypeVar("_Model", bound=BaseModel)


def built_without_validation(model: type[_Model]) -> Callable[[dict[str, Any]], _Model]:
    """A function building ``model`` from values that are valid, as ``model_construct`` does.

    The values must name every field, in the order of the fields: they are the instance's
    ``__dict__``, and every field counts as given (``frozen.built``: one set of fields,
    shared by every instance built; pydantic copies it before changing it, and the models are
    frozen). For a model with private attributes, a ``model_post_init``, extra fields allowed
    or a root model, this is ``model_construct`` itself.
    """
    given = set(model.model_fields)
    plain = (
        not model.__pydantic_root_model__
        and model.__pydantic_post_init__ is None
        and not model.__private_attributes__
        and model.model_config.get("extra") != "allow"
    )
    if not plain:  # pragma: no cover - the records are plain
        return lambda values: model.model_construct(given, **values)
    return functools.partial(built, model)


def _exact_cents(amount: object) -> int | None:
    """``amount`` in cents when the cents give back the very same ``Decimal``, else ``None``.

    >>> _exact_cents(Decimal("-12.30")), _exact_cents(Decimal("-0.00"))
    (-1230, None)
    >>> _exact_cents(Decimal("1.5")) is None
    True
    """
    if type(amount) is not Decimal or not amount.is_finite():
        return None
    sign, _, exponent = amount.as_tuple()
    if exponent != -2 or (sign and not amount):  # another number of places, or -0.00
        return None
    cents = int(amount.scaleb(2))
    return cents if NO_NET < cents < 2**63 else None


def _split_origin(origin: str) -> tuple[str, int]:
    """An origin as file and row, where the row's digits give the text back.

    >>> _split_origin("belege.csv:17"), _split_origin("belege.csv:017"), _split_origin("Hand")
    (('belege.csv', 17), ('belege.csv:017', -1), ('Hand', -1))
    """
    head, colon, tail = origin.rpartition(":")
    if (
        colon
        and tail.isascii()
        and tail.isdigit()
        and (tail[0] != "0" or tail == "0")
        and len(tail) <= _MAX_ROW_DIGITS
    ):
        return head, int(tail)
    return origin, NO_ROW


def _table_index(table: dict[Any, int], value: object) -> int:
    found = table.get(value)
    if found is None:
        found = table[value] = len(table)
    return found


class VoucherColumnsBuilder:
    """Fills the columns voucher by voucher (``append``) or column by column (``add_columns``).

    The ledger reader fills whole blocks of rows at once; ``build`` returns the store.
    """

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.line_index: dict[str, int] = {}
        self.lines = array("I")
        self.days = array("i")
        self.amounts = array("q")
        self.nets = array("q")
        self.payees: list[str | None] = []
        self.purposes: list[str | None] = []
        self.kinds = bytearray()
        self.references: list[str | None] = []
        self.origin_index: dict[str | None, int] = {}
        self.origin_files = array("I")
        self.origin_rows = array("i")
        self.invoice_numbers: list[str | None] = []
        self.invoice_days = array("i")
        self.odd: dict[int, Expenditure] = {}

    def line(self, line: str) -> int:
        """The index of ``line`` in the table of lines (added if new)."""
        return _table_index(self.line_index, line)

    def origin_file(self, file: str | None) -> int:
        """The index of ``file`` in the table of origins (added if new)."""
        return _table_index(self.origin_index, file)

    def append(self, item: Expenditure) -> None:
        """Add one voucher (kept as it is too where the columns cannot give it back exactly)."""
        amount = _exact_cents(item.amount)
        net_amount = item.net_amount
        net = NO_NET if net_amount is None else _exact_cents(net_amount)
        paid_on, invoiced, kind = item.paid_on, item.invoice_date, item.kind
        if (
            amount is None
            or net is None
            or type(item) is not Expenditure
            or type(paid_on) is not date
            or (invoiced is not None and type(invoiced) is not date)
            or kind not in KIND_CODES
            or not all(
                value is None or type(value) is str
                for value in (item.payee, item.purpose, item.reference, item.invoice_number)
            )
            or type(item.id) is not str
            or type(item.line) is not str
            or (item.origin is not None and type(item.origin) is not str)
        ):
            self.odd[len(self.ids)] = item
            amount = int(item.amount.scaleb(2)) if amount is None else amount
            if net is None:
                net = int(net_amount.scaleb(2)) if net_amount is not None else NO_NET
        self.ids.append(item.id)
        self.lines.append(self.line(item.line))
        self.days.append(paid_on.toordinal())
        self.amounts.append(amount)
        self.nets.append(net)
        self.payees.append(item.payee)
        self.purposes.append(item.purpose)
        self.kinds.append(KIND_CODES.get(kind, 0))
        self.references.append(item.reference)
        origin = item.origin
        if origin is None:
            file, row = None, NO_ROW
        else:
            file, row = _split_origin(origin)
        self.origin_files.append(self.origin_file(file))
        self.origin_rows.append(row)
        self.invoice_numbers.append(item.invoice_number)
        self.invoice_days.append(NO_DAY if invoiced is None else invoiced.toordinal())

    def extend(self, items: Iterable[Expenditure]) -> None:
        """Add every voucher of ``items`` (for a store, ``extend_store`` is faster)."""
        for item in items:
            self.append(item)

    def add_columns(
        self,
        *,
        ids: list[str],
        lines: Iterable[int],
        days: Iterable[int],
        amounts: Iterable[int],
        nets: Iterable[int] | None,
        payees: list[str | None],
        purposes: list[str | None],
        kinds: Iterable[int],
        references: list[str | None],
        origin_file: int,
        origin_rows: Iterable[int],
        invoice_numbers: list[str | None] | None,
        invoice_days: Iterable[int] | None,
    ) -> None:
        """Add a block of valid vouchers given column by column (indexes as ``line``)."""
        count = len(ids)
        self.ids.extend(ids)
        self.lines.extend(lines)
        self.days.extend(days)
        self.amounts.extend(amounts)
        if nets is None:
            self.nets.extend(repeat(NO_NET, count))
        else:
            self.nets.extend(nets)
        self.payees.extend(payees)
        self.purposes.extend(purposes)
        self.kinds.extend(kinds)
        self.references.extend(references)
        self.origin_files.extend(repeat(origin_file, count))
        self.origin_rows.extend(origin_rows)
        if invoice_numbers is None:
            self.invoice_numbers.extend(repeat(None, count))
        else:
            self.invoice_numbers.extend(invoice_numbers)
        if invoice_days is None:
            self.invoice_days.extend(repeat(NO_DAY, count))
        else:
            self.invoice_days.extend(invoice_days)

    def extend_store(self, store: VoucherColumns) -> None:
        """Add the vouchers of a store, column by column."""
        count = len(store)
        start = len(self.ids)
        self.ids.extend(store.ids)
        lines = [self.line(line) for line in store.line_table]
        self.lines.extend(map(lines.__getitem__, store.lines))
        self.days.extend(store.days)
        self.amounts.extend(store.amounts)
        _extend(self.nets, store.nets, NO_NET, count)
        _extend(self.payees, store.payees, None, count)
        _extend(self.purposes, store.purposes, None, count)
        self.kinds.extend(store.kinds)
        _extend(self.references, store.references, None, count)
        if store.origin_files is None:
            self.origin_files.extend(repeat(self.origin_file(None), count))
            self.origin_rows.extend(repeat(NO_ROW, count))
        else:
            files = [self.origin_file(file) for file in store.origin_table]
            self.origin_files.extend(map(files.__getitem__, store.origin_files))
            assert store.origin_rows is not None
            self.origin_rows.extend(store.origin_rows)
        _extend(self.invoice_numbers, store.invoice_numbers, None, count)
        _extend(self.invoice_days, store.invoice_days, NO_DAY, count)
        if store.odd:
            self.odd.update({start + position: item for position, item in store.odd.items()})

    def __len__(self) -> int:
        return len(self.ids)

    def state(self) -> tuple[Any, ...]:
        """The columns as a store holds them, in the order of ``STATE``.

        A column without any value (no voucher has a net amount, ...) is ``None``. The
        builder is not used again.
        """
        count = len(self.ids)
        no_origin = self.origin_index.get(None)
        origins = self.origin_files
        if count == 0 or (no_origin is not None and origins.count(no_origin) == count):
            origin_files = origin_rows = None
            origin_table: tuple[str | None, ...] = ()
        else:
            origin_files, origin_rows = origins, self.origin_rows
            origin_table = tuple(self.origin_index)
        return (
            self.ids,
            tuple(self.line_index),
            self.lines,
            self.days,
            self.amounts,
            None if self.nets.count(NO_NET) == count else self.nets,
            _texts(self.payees),
            _texts(self.purposes),
            bytes(self.kinds),
            _texts(self.references),
            origin_table,
            origin_files,
            origin_rows,
            _texts(self.invoice_numbers),
            None if self.invoice_days.count(NO_DAY) == count else self.invoice_days,
            self.odd or None,
        )


def _extend(column: Any, values: Any, missing: object, count: int) -> None:
    column.extend(repeat(missing, count) if values is None else values)


def _texts(column: list[str | None]) -> list[str | None] | None:
    return None if column.count(None) == len(column) else column
