"""The vouchers of a case held as columns: integer cents, ordinal days, shared strings.

A ledger of a million vouchers held as a million
[`Expenditure`][foerdermittel.model.records.Expenditure] models takes about 900 bytes a
voucher, and every calculator that sums them turns each ``Decimal`` into cents again.
[`VoucherColumns`][foerdermittel.model.voucher_columns.VoucherColumns] holds the same
vouchers as columns — the amounts as integer cents in an ``array``, the days as ordinals, the
budget lines and files as small tables with an index per voucher, the texts as lists of
(shared) strings — and builds an ``Expenditure`` only when a caller takes one. The
calculators read the columns.

To every reader it is the tuple it replaces (``Case.expenditures`` was a
``tuple[Expenditure, ...]``): it has a length, is indexed and sliced, iterates, equals a tuple
with the same vouchers and hashes like one, pickles (compactly: the arrays as bytes), adds to
a tuple, and in a pydantic model it validates from a list or tuple of vouchers or dicts and
dumps to exactly what the tuple dumped, with the same JSON schema.

Every amount of a valid voucher has exactly two places, so the cents are exact and give the
same ``Decimal`` back. A voucher whose values the columns could not give back exactly — an
amount of ``-0.00``, a subclass — is kept as it is besides its columns (the calculators
read the columns, a caller gets the very object); see
[`voucher_builder`][foerdermittel.model.voucher_builder].

A store taken from another (sorted, a part of it: ``take``, a slice) gathers each column
only when it is first read: the voucher checks sort a ledger and read four of its columns,
the texts are gathered only for a caller that asks for them (a workbook, a dump).

Examples:
    >>> from datetime import date
    >>> vouchers = VoucherColumns.of([
    ...     Expenditure(id="B-1", line="1.1", paid_on=date(2025, 2, 3), amount="1234.56",
    ...                 origin="belege.csv:2"),
    ...     Expenditure(id="B-2", line="1.1", paid_on=date(2025, 2, 10), amount="-34.56",
    ...                 kind="credit", origin="belege.csv:3")])
    >>> len(vouchers), vouchers[1].amount, vouchers[0].origin
    (2, Decimal('-34.56'), 'belege.csv:2')
    >>> list(vouchers.amounts), vouchers.origin_table, list(vouchers.origin_rows)
    ([123456, -3456], ('belege.csv',), [2, 3])
    >>> vouchers == tuple(vouchers), vouchers[::-1][0].id
    (True, 'B-2')
"""

from __future__ import annotations

import operator
import threading
from array import array
from collections.abc import Callable, Container, Hashable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, SupportsIndex, TypeVar, overload

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from foerdermittel.model.records import Expenditure
from foerdermittel.model.voucher_builder import (
    KINDS,
    NO_DAY,
    NO_NET,
    STATE,
    VoucherColumnsBuilder,
    built_without_validation,
)

__all__ = ["NO_DAY", "NO_NET", "VoucherColumns"]

_expenditure = built_without_validation(Expenditure)
_fromordinal = date.fromordinal

# The positions in STATE: the tables and the kept vouchers are no columns of their own.
_LINE_TABLE, _ORIGIN_TABLE, _ODD = (STATE.index(n) for n in ("line_table", "origin_table", "odd"))
_COLUMNS = tuple(k for k in range(len(STATE)) if k not in (_LINE_TABLE, _ORIGIN_TABLE, _ODD))
(_IDS, _LINES, _DAYS, _AMOUNTS, _NETS, _PAYEES, _PURPOSES, _KINDS, _REFERENCES) = (
    STATE.index(n)
    for n in (
        "ids",
        "lines",
        "days",
        "amounts",
        "nets",
        "payees",
        "purposes",
        "kinds",
        "references",
    )
)
_ORIGIN_FILES, _ORIGIN_ROWS, _INVOICE_NUMBERS, _INVOICE_DAYS = (
    STATE.index(n) for n in ("origin_files", "origin_rows", "invoice_numbers", "invoice_days")
)


class _Pending:
    """A column not gathered yet from the store it was taken from."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PENDING"


_PENDING: Any = _Pending()
_DERIVED_KEPT = 4
"""Results derived from one store kept with it (per plan's periods: a sweep that moves them)."""
_T = TypeVar("_T")
_GATHERING = threading.RLock()  # one column gathered at a time (a source's may be gathered too)


def _euros(cents: int) -> Decimal:
    """Integer cents as an amount with two places."""
    return Decimal(cents).scaleb(-2)


class VoucherColumns(Sequence[Expenditure]):
    """An immutable sequence of vouchers, held as columns.

    The vouchers are [`Expenditure`][foerdermittel.model.records.Expenditure] models, built
    when a caller takes one. Built by [`of`][foerdermittel.model.voucher_columns.VoucherColumns.of]
    from vouchers, by the ledger reader, or by pydantic from a case file; it reads like a
    tuple (see the module text).

    The columns, one value per voucher and never to be changed, are for calculators that sum
    the vouchers:

    * ``ids`` (``list[str]``), ``days`` (payment days as ordinals, ``array('i')``),
      ``amounts`` (cents, ``array('q')``), ``kinds`` (``bytes``: 0 expenditure, 1 credit);
    * ``lines``: each voucher's budget line as an index into ``line_table``;
    * ``nets``: net amounts in cents, [`NO_NET`][foerdermittel.model.voucher_builder.NO_NET]
      where a voucher has none; ``None`` where none has one;
    * ``payees``, ``purposes``, ``references``, ``invoice_numbers``: lists of text or
      ``None``; ``None`` where every voucher has ``None``;
    * ``invoice_days``: ordinals, [`NO_DAY`][foerdermittel.model.voucher_builder.NO_DAY]
      without an invoice date; ``None`` where none has one;
    * ``origin_files`` and ``origin_rows``: the origin as an index into ``origin_table`` (the
      file, or the whole text) and a row number (``-1``: the table's text is the origin);
      ``None`` where no voucher has an origin;
    * ``odd``: the vouchers kept as they are, by position (``None``: none).
    """

    __slots__ = (
        "__weakref__",
        "_columns",
        "_count",
        "_derived",
        "_hash",
        "_pending",
        "_positions",
        "_source",
    )

    _columns: list[Any]
    _count: int
    _derived: dict[Hashable, Any] | None
    _hash: int | None
    _pending: int
    _positions: Sequence[int] | None
    _source: VoucherColumns | None

    EMPTY: VoucherColumns  # set below

    def __init__(self, items: Iterable[Expenditure] = ()) -> None:
        """The vouchers ``items`` as columns (see ``of``, which keeps a store as it is)."""
        builder = VoucherColumnsBuilder()
        if isinstance(items, VoucherColumns):
            builder.extend_store(items)
        else:
            builder.extend(items)
        self._set(list(builder.state()), len(builder))

    def _set(
        self,
        columns: list[Any],
        count: int,
        source: VoucherColumns | None = None,
        positions: Sequence[int] | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "_columns", columns)
        put(self, "_count", count)
        put(self, "_source", source)
        put(self, "_positions", positions)
        put(self, "_pending", columns.count(_PENDING) if source is not None else 0)
        put(self, "_hash", None)
        put(self, "_derived", None)

    def _remembered(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """``make()``, computed once per ``key`` and kept with this store (the last few keys).

        For what the calculators derive from the vouchers — their order, the checked ledger
        for a plan's periods —: it lives as long as the store does, so a ledger a caller lets
        go is freed with everything derived from it. ``make`` must give equal results
        whenever it is called: where two threads ask at once, each may compute.
        """
        derived = self._derived
        if derived is None:
            derived = {}
            object.__setattr__(self, "_derived", derived)
        found = derived.get(key, _PENDING)
        if found is not _PENDING:
            return found  # type: ignore[no-any-return]
        value = make()
        for old in list(derived)[: max(0, len(derived) - _DERIVED_KEPT + 1)]:
            derived.pop(old, None)
        derived[key] = value
        return value

    @classmethod
    def _made(
        cls,
        columns: list[Any],
        count: int,
        source: VoucherColumns | None = None,
        positions: Sequence[int] | None = None,
    ) -> VoucherColumns:
        store = object.__new__(cls)
        store._set(columns, count, source, positions)
        return store

    @classmethod
    def of(cls, items: Iterable[Expenditure]) -> VoucherColumns:
        """``items`` as columns; a ``VoucherColumns`` is returned as it is."""
        if isinstance(items, VoucherColumns):
            return items
        return cls(items)

    @classmethod
    def built(cls, builder: VoucherColumnsBuilder) -> VoucherColumns:
        """The store of the columns ``builder`` filled; the builder is not used again."""
        count = len(builder)
        return cls._made(list(builder.state()), count) if count else cls.EMPTY

    # --- the columns --------------------------------------------------------------------------

    def _column(self, k: int) -> Any:
        value = self._columns[k]
        if value is _PENDING:
            value = self._gather(k)
        return value

    def _gather(self, k: int) -> Any:
        """Column ``k`` taken from the store this one was taken from (nearest that has it).

        Under a lock: a store the checks remember is read by every thread that evaluates a
        case with the same vouchers.
        """
        with _GATHERING:
            value = self._columns[k]
            if value is not _PENDING:  # another thread gathered it meanwhile
                return value
            source, positions = self._source, self._positions
            assert source is not None
            assert positions is not None
            while source._columns[k] is _PENDING and source._source is not None:
                assert source._positions is not None
                positions = _composed(source._positions, positions)
                source = source._source
            value = _taken(source._column(k), positions)
            self._columns[k] = value
            pending = self._pending - 1
            object.__setattr__(self, "_pending", pending)
            if not pending:  # every column here: the source is no longer needed
                object.__setattr__(self, "_source", None)
                object.__setattr__(self, "_positions", None)
            return value

    @property
    def ids(self) -> list[str]:
        """The voucher numbers."""
        return self._column(_IDS)  # type: ignore[no-any-return]

    @property
    def line_table(self) -> tuple[str, ...]:
        """The budget lines the ``lines`` column points into."""
        return self._columns[_LINE_TABLE]  # type: ignore[no-any-return]

    @property
    def lines(self) -> array[int]:
        """Each voucher's budget line, an index into ``line_table``."""
        return self._column(_LINES)  # type: ignore[no-any-return]

    @property
    def days(self) -> array[int]:
        """The payment days as ordinals."""
        return self._column(_DAYS)  # type: ignore[no-any-return]

    @property
    def amounts(self) -> array[int]:
        """The amounts in cents (gross; negative for a credit note)."""
        return self._column(_AMOUNTS)  # type: ignore[no-any-return]

    @property
    def nets(self) -> array[int] | None:
        """The net amounts in cents, ``NO_NET`` where not given; ``None``: none is given."""
        return self._column(_NETS)  # type: ignore[no-any-return]

    @property
    def payees(self) -> list[str | None] | None:
        """The payees; ``None`` where no voucher has one."""
        return self._column(_PAYEES)  # type: ignore[no-any-return]

    @property
    def purposes(self) -> list[str | None] | None:
        """The purposes; ``None`` where no voucher has one."""
        return self._column(_PURPOSES)  # type: ignore[no-any-return]

    @property
    def kinds(self) -> bytes:
        """The kinds: 0 for an expenditure, 1 for a credit note."""
        return self._column(_KINDS)  # type: ignore[no-any-return]

    @property
    def references(self) -> list[str | None] | None:
        """The references of credit notes; ``None`` where no voucher has one."""
        return self._column(_REFERENCES)  # type: ignore[no-any-return]

    @property
    def origin_table(self) -> tuple[str | None, ...]:
        """The origins' files (or whole texts) the ``origin_files`` column points into."""
        return self._columns[_ORIGIN_TABLE]  # type: ignore[no-any-return]

    @property
    def origin_files(self) -> array[int] | None:
        """Each origin's file, an index into ``origin_table``; ``None``: no voucher has one."""
        return self._column(_ORIGIN_FILES)  # type: ignore[no-any-return]

    @property
    def origin_rows(self) -> array[int] | None:
        """Each origin's row (``-1``: the table's text is the origin)."""
        return self._column(_ORIGIN_ROWS)  # type: ignore[no-any-return]

    @property
    def invoice_numbers(self) -> list[str | None] | None:
        """The invoice numbers; ``None`` where no voucher has one."""
        return self._column(_INVOICE_NUMBERS)  # type: ignore[no-any-return]

    @property
    def invoice_days(self) -> array[int] | None:
        """The invoice dates as ordinals, ``NO_DAY`` where not given; ``None``: none is."""
        return self._column(_INVOICE_DAYS)  # type: ignore[no-any-return]

    @property
    def odd(self) -> dict[int, Expenditure] | None:
        """The vouchers kept as they are, by position; ``None`` where there are none."""
        return self._columns[_ODD]  # type: ignore[no-any-return]

    def _state(self) -> tuple[Any, ...]:
        return tuple(self._column(k) for k in range(len(STATE)))

    # --- the tuple's behaviour ------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    def _row(self, i: int) -> Expenditure:
        positions = self._positions  # before the source: a gather lets go of it first
        source = self._source
        if source is not None:
            assert positions is not None
            return source._row(positions[i])
        columns = self._columns
        odd = columns[_ODD]
        if odd is not None:
            kept = odd.get(i)
            if kept is not None:
                return kept  # type: ignore[no-any-return]
        nets, invoice_days, files = columns[_NETS], columns[_INVOICE_DAYS], columns[_ORIGIN_FILES]
        net = NO_NET if nets is None else nets[i]
        invoiced = NO_DAY if invoice_days is None else invoice_days[i]
        origin: str | None = None
        if files is not None:
            file, row = columns[_ORIGIN_TABLE][files[i]], columns[_ORIGIN_ROWS][i]
            origin = file if row < 0 or file is None else f"{file}:{row}"
        payees, purposes, references, invoices = (
            columns[_PAYEES],
            columns[_PURPOSES],
            columns[_REFERENCES],
            columns[_INVOICE_NUMBERS],
        )
        return _expenditure(
            {
                "id": columns[_IDS][i],
                "line": columns[_LINE_TABLE][columns[_LINES][i]],
                "paid_on": _fromordinal(columns[_DAYS][i]),
                "amount": _euros(columns[_AMOUNTS][i]),
                "net_amount": None if net == NO_NET else _euros(net),
                "payee": None if payees is None else payees[i],
                "purpose": None if purposes is None else purposes[i],
                "kind": KINDS[columns[_KINDS][i]],
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
            return self.take(range(self._count)[index])
        position = operator.index(index)
        range(self._count)[position]  # out of range: the IndexError a sequence raises
        return self._row(position if position >= 0 else position + self._count)

    def __iter__(self) -> Iterator[Expenditure]:
        return map(self._row, range(self._count))

    def __reversed__(self) -> Iterator[Expenditure]:
        return map(self._row, reversed(range(self._count)))

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
        return (_restore, (self._count, *self._state()))

    # --- parts of a store ---------------------------------------------------------------------

    def take(self, positions: Sequence[int], *, days: array[int] | None = None) -> VoucherColumns:
        """The vouchers at ``positions`` (valid, non-negative), in that order.

        The columns are gathered when they are first read; ``days``, where given, are the
        payment days at ``positions`` (a caller that sorted by them has them already).
        """
        count = len(positions)
        if isinstance(positions, range) and positions == range(self._count):
            return self
        if count == 0:
            return VoucherColumns.EMPTY
        columns = self._columns
        new: list[Any] = [_PENDING] * len(STATE)
        new[_LINE_TABLE], new[_ORIGIN_TABLE] = columns[_LINE_TABLE], columns[_ORIGIN_TABLE]
        odd = columns[_ODD]
        if odd:
            odd = {new_at: odd[old] for new_at, old in enumerate(positions) if old in odd}
        new[_ODD] = odd or None
        for k in _COLUMNS:  # a column no voucher has a value in stays so
            if columns[k] is None:
                new[k] = None
        if days is not None:
            new[_DAYS] = days
        return VoucherColumns._made(new, count, self, positions)

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
        return VoucherColumns.built(builder)

    # --- what the calculators share -----------------------------------------------------------

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
            return range(self._count)
        table = self.origin_table
        if None not in table:
            return ()
        return compress(range(self._count), map(operator.eq, files, repeat(table.index(None))))

    def with_lines_outside(self, lines: Container[str]) -> list[int]:
        """The positions of the vouchers whose budget line is not in ``lines``, in order."""
        outside = {k for k, line in enumerate(self.line_table) if line not in lines}
        if not outside:
            return []
        return [i for i, k in enumerate(self.lines) if k in outside]

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


def _composed(outer: Sequence[int], inner: Sequence[int]) -> Sequence[int]:
    """The positions ``outer[i]`` for each ``i`` of ``inner``."""
    if isinstance(inner, range) and inner.step == 1:
        return outer[inner.start : inner.stop]
    return list(map(outer.__getitem__, inner))


def _taken(column: Any, positions: Sequence[int]) -> Any:
    """The values of ``column`` at ``positions``, as a column of the same kind."""
    if column is None:
        return None
    if isinstance(positions, range) and positions.step == 1:
        return column[positions.start : positions.stop]
    values = itemgetter(*positions)(column) if len(positions) > 1 else [column[positions[0]]]
    if isinstance(column, array):
        return array(column.typecode, values)
    if isinstance(column, bytes):
        return bytes(values)
    return list(values)


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
    a_files, b_files = a.origin_files, b.origin_files
    if a_files is None or b_files is None:
        return a_files is b_files
    if a.origin_table == b.origin_table:
        return a_files == b_files
    return _decoded(a.origin_table, a_files) == _decoded(b.origin_table, b_files)


def _restore(count: int, *state: Any) -> VoucherColumns:
    return VoucherColumns._made(list(state), count)


VoucherColumns.EMPTY = VoucherColumns._made(list(VoucherColumnsBuilder().state()), 0)
