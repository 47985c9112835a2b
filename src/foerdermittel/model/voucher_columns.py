"""The vouchers of a case held as columns: integer cents, ordinal days, shared strings.

A ledger of a million vouchers held as a million
[`Expenditure`][foerdermittel.model.records.Expenditure] models takes about 900 bytes a
voucher, and every calculator that sums them turns each ``Decimal`` into cents again.
[`VoucherColumns`][foerdermittel.model.voucher_columns.VoucherColumns] holds the same
vouchers as columns — the amounts as integer cents in an ``array``, the days
as ordinals, the budget lines and files as small tables with an index per voucher, the texts
as lists of (shared) strings — and builds an ``Expenditure`` only when a caller takes one.
The calculators read the columns.

To every reader it is the tuple it replaces (``Case.expenditures`` was a
``tuple[Expenditure, ...]``): it has a length, is indexed and sliced, iterates, equals a tuple
with the same vouchers and hashes like one, pickles (compactly: the arrays as bytes), adds to
a tuple, and in a pydantic model it validates from a list or tuple of vouchers or dicts and
dumps to exactly what the tuple dumped, with the same JSON schema.

Every amount of a valid voucher has exactly two places, so the cents are exact and give the
same ``Decimal`` back. A voucher whose values the columns could not give back exactly — an
amount of ``-0.00``, a model built without every field given, a subclass — is kept as it is
besides its columns (the calculators read the columns, a caller gets the very object).
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from typing import Any, SupportsIndex, TypeVar, overload

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import core_schema

from foerdermittel.model.records import Expenditure

__all__ = [
    "NO_DAY",
    "NO_NET",
    "VoucherColumns",
    "VoucherColumnsBuilder",
    "built_without_validation",
]

NO_NET = -(2**63)
"""``VoucherColumns.nets``: the voucher has no net amount."""

NO_DAY = 0
"""``VoucherColumns.invoice_days``: the voucher has no invoice date (no date has ordinal 0)."""

_NO_ROW = -1  # origin_rows: the origin is the file entry as it is, without ":<row>"
_MAX_ROW = 2**31 - 1
_KINDS = ("expenditure", "credit")
_KIND_CODES = {"expenditure": 0, "credit": 1}

_Model = TypeVar("_Model", bound=BaseModel)


def built_without_validation(model: type[_Model]) -> Callable[[dict[str, Any]], _Model]:
    """A function building ``model`` from values that are valid, as ``model_construct`` does.

    The values must name every field, in the order of the fields: they are the instance's
    ``__dict__``, and every field counts as given (one set of fields, shared by every
    instance built: pydantic copies it before changing it, and the models are frozen). For a
    model with private attributes, a ``model_post_init``, extra fields allowed or a root model,
    this is ``model_construct`` itself.
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
    new = object.__new__
    put = object.__setattr__

    def make(values: dict[str, Any]) -> _Model:
        entry = new(model)
        put(entry, "__dict__", values)
        put(entry, "__pydantic_fields_set__", given)
        put(entry, "__pydantic_extra__", None)
        put(entry, "__pydantic_private__", None)
        return entry

    return make


_expenditure = built_without_validation(Expenditure)
_ALL_FIELDS = frozenset(Expenditure.model_fields)
_fromordinal = date.fromordinal


def _euros(cents: int) -> Decimal:
    """Integer cents as an amount with two places."""
    return Decimal(cents).scaleb(-2)


def _exact_cents(amount: object) -> int | None:
    """``amount`` in cents when the cents give back the very same ``Decimal``, else ``None``."""
    if type(amount) is not Decimal or not amount.is_finite():
        return None
    sign, _, exponent = amount.as_tuple()
    if exponent != -2 or (sign and not amount):  # another number of places, or -0.00
        return None
    cents = int(amount.scaleb(2))
    return cents if -(2**63) < cents < 2**63 else None


def _split_origin(origin: str) -> tuple[str, int]:
    """An origin as file and row (``"belege.csv:17"``), where the row gives the text back."""
    head, colon, tail = origin.rpartition(":")
    if (
        colon
        and tail.isascii()
        and tail.isdigit()
        and (tail[0] != "0" or tail == "0")
        and len(tail) <= 9
    ):
        return head, int(tail)
    return origin, _NO_ROW


def _table_index(table: dict[Any, int], value: object) -> int:
    found = table.get(value)
    if found is None:
        found = table[value] = len(table)
    return found


class VoucherColumns(Sequence[Expenditure]):
    """An immutable sequence of vouchers, held as columns.

    The vouchers are [`Expenditure`][foerdermittel.model.records.Expenditure] models.

    Built by [`of`][foerdermittel.model.voucher_columns.VoucherColumns.of] from vouchers, by
    the ledger reader, or by pydantic from a case file. It reads like a tuple (see the module
    text); ``Expenditure`` objects are built when a caller takes them.

    The columns, one value per voucher and never to be changed, are for calculators that sum
    the vouchers:

    * ``ids`` (``list[str]``), ``days`` (payment days as ordinals, ``array('i')``),
      ``amounts`` (cents, ``array('q')``), ``kinds`` (``bytes``: 0 expenditure, 1 credit);
    * ``lines``: each voucher's budget line as an index into ``line_table``;
    * ``nets``: net amounts in cents, [`NO_NET`][foerdermittel.model.voucher_columns.NO_NET]
      where a voucher has none; ``None`` where none has one;
    * ``payees``, ``purposes``, ``references``, ``invoice_numbers``: lists of text or
      ``None``; ``None`` where every voucher has ``None``;
    * ``invoice_days``: ordinals, [`NO_DAY`][foerdermittel.model.voucher_columns.NO_DAY]
      without an invoice date; ``None`` where none has one;
    * ``origin_files`` and ``origin_rows``: the origin as an index into ``origin_table`` (the
      file, or the whole text) and a row number (``-1``: the table's text is the origin);
      ``None`` where no voucher has an origin;
    * ``odd``: the vouchers kept as they are, by position (``None``: none).
    """

    __slots__ = (
        "_hash",
        "amounts",
        "days",
        "ids",
        "invoice_days",
        "invoice_numbers",
        "kinds",
        "line_table",
        "lines",
        "nets",
        "odd",
        "origin_files",
        "origin_rows",
        "origin_table",
        "payees",
        "purposes",
        "references",
    )

    ids: list[str]
    line_table: tuple[str, ...]
    lines: array[int]
    days: array[int]
    amounts: array[int]
    nets: array[int] | None
    payees: list[str | None] | None
    purposes: list[str | None] | None
    kinds: bytes
    references: list[str | None] | None
    origin_table: tuple[str | None, ...]
    origin_files: array[int] | None
    origin_rows: array[int] | None
    invoice_numbers: list[str | None] | None
    invoice_days: array[int] | None
    odd: dict[int, Expenditure] | None
    _hash: int | None

    EMPTY: VoucherColumns  # set below

    def __init__(self, items: Iterable[Expenditure] = ()) -> None:
        """The vouchers ``items`` as columns (see ``of``, which keeps a store as it is)."""
        builder = VoucherColumnsBuilder()
        builder.extend(items)
        self._set(builder.state())

    def _set(self, state: tuple[Any, ...]) -> None:
        put = object.__setattr__
        for name, value in zip(_STATE, state, strict=True):
            put(self, name, value)
        put(self, "_hash", None)

    @classmethod
    def _of_state(cls, state: tuple[Any, ...]) -> VoucherColumns:
        store = object.__new__(cls)
        store._set(state)
        return store

    @classmethod
    def of(cls, items: Iterable[Expenditure]) -> VoucherColumns:
        """``items`` as columns; a ``VoucherColumns`` is returned as it is."""
        if isinstance(items, VoucherColumns):
            return items
        return cls(items)

    def _state(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _STATE)

    # --- the tuple's behaviour ------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def _row(self, i: int) -> Expenditure:
        odd = self.odd
        if odd is not None:
            kept = odd.get(i)
            if kept is not None:
                return kept
        nets, invoice_days, files = self.nets, self.invoice_days, self.origin_files
        net = NO_NET if nets is None else nets[i]
        invoiced = NO_DAY if invoice_days is None else invoice_days[i]
        origin: str | None = None
        if files is not None:
            rows = self.origin_rows
            assert rows is not None
            file, row = self.origin_table[files[i]], rows[i]
            origin = file if row < 0 or file is None else f"{file}:{row}"
        payees, purposes, references, invoices = (
            self.payees,
            self.purposes,
            self.references,
            self.invoice_numbers,
        )
        return _expenditure(
            {
                "id": self.ids[i],
                "line": self.line_table[self.lines[i]],
                "paid_on": _fromordinal(self.days[i]),
                "amount": _euros(self.amounts[i]),
                "net_amount": None if net == NO_NET else _euros(net),
                "payee": None if payees is None else payees[i],
                "purpose": None if purposes is None else purposes[i],
                "kind": _KINDS[self.kinds[i]],
                "reference": None if references is None else references[i],
                "origin": origin,
                "invoice_number": None if invoices is None else invoices[i],
                "invoice_date": None if invoiced == NO_DAY else _fromordinal(invoiced),
            }
        )

    @overload
    def __getitem__(self, index: SupportsIndex) -> Expenditure: ...

    @overload
    def __getitem__(self, index: slice) -> VoucherColumns: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Expenditure | VoucherColumns:
        if isinstance(index, slice):
            return self.take(range(len(self))[index])
        position = operator.index(index)
        self.ids[position]  # out of range: the IndexError a sequence raises
        return self._row(position if position >= 0 else position + len(self.ids))

    def __iter__(self) -> Iterator[Expenditure]:
        return map(self._row, range(len(self.ids)))

    def __reversed__(self) -> Iterator[Expenditure]:
        return map(self._row, reversed(range(len(self.ids))))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, VoucherColumns):
            if len(self) != len(other):
                return False
            if self.odd or other.odd:
                return all(map(operator.eq, self, other))
            return _same_columns(self, other)
        if isinstance(other, tuple):
            return len(self) == len(other) and all(map(operator.eq, self, other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        found = self._hash
        if found is None:
            found = hash(tuple(self))
            object.__setattr__(self, "_hash", found)
        return found

    def __add__(self, other: VoucherColumns | tuple[Expenditure, ...]) -> VoucherColumns:
        if isinstance(other, VoucherColumns):
            return VoucherColumns.joined((self, other))
        if isinstance(other, tuple) and all(isinstance(item, Expenditure) for item in other):
            return VoucherColumns.joined((self, VoucherColumns(other)))
        return NotImplemented

    def __radd__(self, other: tuple[Expenditure, ...]) -> VoucherColumns:
        if isinstance(other, tuple) and all(isinstance(item, Expenditure) for item in other):
            return VoucherColumns.joined((VoucherColumns(other), self))
        return NotImplemented

    def __mul__(self, times: SupportsIndex) -> VoucherColumns:
        return VoucherColumns.joined(repeat(self, max(0, operator.index(times))))

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"VoucherColumns({tuple(self)!r})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} ist unveränderlich")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} ist unveränderlich")

    def __reduce__(self) -> tuple[Callable[..., VoucherColumns], tuple[Any, ...]]:
        return (_restore, self._state())

    # --- building ---------------------------------------------------------------------------

    def take(self, positions: Sequence[int]) -> VoucherColumns:
        """The vouchers at ``positions`` (valid, non-negative), in that order."""
        if isinstance(positions, range) and positions == range(len(self)):
            return self
        take_list = _taker(_list, positions)
        take_array = _taker(_array_like, positions)
        odd = None
        if self.odd:
            kept = self.odd
            odd = {new: kept[old] for new, old in enumerate(positions) if old in kept} or None
        return VoucherColumns._of_state(
            (
                take_list(self.ids),
                self.line_table,
                take_array(self.lines),
                take_array(self.days),
                take_array(self.amounts),
                _none_or(take_array, self.nets),
                _none_or(take_list, self.payees),
                _none_or(take_list, self.purposes),
                _taker(_bytes, positions)(self.kinds),
                _none_or(take_list, self.references),
                self.origin_table,
                _none_or(take_array, self.origin_files),
                _none_or(take_array, self.origin_rows),
                _none_or(take_list, self.invoice_numbers),
                _none_or(take_array, self.invoice_days),
                odd,
            )
        )

    @staticmethod
    def joined(parts: Iterable[VoucherColumns]) -> VoucherColumns:
        """The vouchers of ``parts`` one after the other."""
        stores = [part for part in parts if len(part)]
        if not stores:
            return VoucherColumns.EMPTY
        if len(stores) == 1:
            return stores[0]
        builder = VoucherColumnsBuilder()
        for store in stores:
            builder.extend_store(store)
        return builder.build()

    # --- sums the calculators share ---------------------------------------------------------

    def eligible_cents(self, *, net: bool) -> array[int]:
        """Each voucher's eligible amount in cents: net where ``net`` and a net amount is given."""
        nets = self.nets
        if not net or nets is None:
            return self.amounts
        return array("q", map(_eligible, nets, self.amounts))

    def without_origin(self) -> Iterable[int]:
        """The positions of the vouchers without an origin (typed into the case, not read)."""
        files = self.origin_files
        if files is None:
            return range(len(self))
        table = self.origin_table
        if None not in table:
            return ()
        return compress(range(len(self)), map(operator.eq, files, repeat(table.index(None))))

    def with_lines_outside(self, lines: Container[str]) -> list[int]:
        """The positions of the vouchers whose budget line is not in ``lines``, in order."""
        outside = {k for k, line in enumerate(self.line_table) if line not in lines}
        if not outside:
            return []
        return [i for i, k in enumerate(self.lines) if k in outside]

    def line_of(self, i: int) -> str:
        """The budget line of the voucher at position ``i``."""
        return self.line_table[self.lines[i]]

    # --- pydantic ---------------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        items = handler.generate_schema(tuple[Expenditure, ...])

        def validate(value: Any, inner: core_schema.ValidatorFunctionWrapHandler) -> Any:
            if isinstance(value, VoucherColumns):
                return value
            return cls.of(inner(value))

        return core_schema.no_info_wrap_validator_function(
            validate,
            items,
            serialization=core_schema.plain_serializer_function_ser_schema(
                tuple, return_schema=items
            ),
        )


def _eligible(net: int, amount: int) -> int:
    return amount if net == NO_NET else net


def _array_like(values: Iterable[int], like: array[int]) -> array[int]:
    return array(like.typecode, values)


def _bytes(values: Iterable[int], like: bytes) -> bytes:
    return bytes(values)


def _list(values: Iterable[Any], like: list[Any]) -> list[Any]:
    return list(values)


def _taker(make: Callable[[Any, Any], Any], positions: Sequence[int]) -> Callable[[Any], Any]:
    """A function taking the values at ``positions`` from a column (a slice where it can)."""
    if isinstance(positions, range) and positions.step == 1:
        start, stop = positions.start, positions.stop
        return lambda column: column[start:stop]
    return lambda column: make(map(column.__getitem__, positions), column)


def _none_or(function: Callable[[Any], Any], column: Any) -> Any:
    return None if column is None else function(column)


def _decoded(table: tuple[Any, ...], indexes: array[int]) -> list[Any]:
    return list(map(table.__getitem__, indexes))


def _same_columns(a: VoucherColumns, b: VoucherColumns) -> bool:
    """Whether two stores without kept vouchers hold the same vouchers, column by column."""
    if not (
        a.ids == b.ids
        and a.days == b.days
        and a.amounts == b.amounts
        and a.kinds == b.kinds
        and a.nets == b.nets
        and a.invoice_days == b.invoice_days
        and a.payees == b.payees
        and a.purposes == b.purposes
        and a.references == b.references
        and a.invoice_numbers == b.invoice_numbers
        and a.origin_rows == b.origin_rows
    ):
        return False
    if a.line_table == b.line_table:
        same_lines = a.lines == b.lines
    else:
        same_lines = _decoded(a.line_table, a.lines) == _decoded(b.line_table, b.lines)
    if not same_lines:
        return False
    if a.origin_files is None or b.origin_files is None:
        return a.origin_files is b.origin_files
    if a.origin_table == b.origin_table:
        return a.origin_files == b.origin_files
    return _decoded(a.origin_table, a.origin_files) == _decoded(b.origin_table, b.origin_files)


_STATE = (
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


def _restore(*state: Any) -> VoucherColumns:
    return VoucherColumns._of_state(state)


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
            or kind not in _KIND_CODES
            or not item.model_fields_set >= _ALL_FIELDS
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
        self.kinds.append(_KIND_CODES.get(kind, 0))
        self.references.append(item.reference)
        origin = item.origin
        if origin is None:
            file, row = None, _NO_ROW
        else:
            file, row = _split_origin(origin)
        self.origin_files.append(self.origin_file(file))
        self.origin_rows.append(row)
        self.invoice_numbers.append(item.invoice_number)
        self.invoice_days.append(NO_DAY if invoiced is None else invoiced.toordinal())

    def extend(self, items: Iterable[Expenditure]) -> None:
        """Add every voucher of ``items``."""
        if isinstance(items, VoucherColumns):
            self.extend_store(items)
            return
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
            self.origin_rows.extend(repeat(_NO_ROW, count))
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
        """The columns as a store holds them (columns without any value as ``None``)."""
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

    def build(self) -> VoucherColumns:
        """The store; the builder is not used again."""
        return VoucherColumns._of_state(self.state()) if self.ids else VoucherColumns.EMPTY


def _extend(column: Any, values: Any, missing: object, count: int) -> None:
    column.extend(repeat(missing, count) if values is None else values)


def _texts(column: list[str | None]) -> list[str | None] | None:
    return None if column.count(None) == len(column) else column


VoucherColumns.EMPTY = VoucherColumns._of_state(VoucherColumnsBuilder().state())
