"""Read-only mappings for frozen models: a rulebook's rates cannot be changed by a caller.

A frozen pydantic model refuses ``model.field = …``, but a ``dict`` field still takes
``model.field[key] = …`` — and a rulebook from the registry is shared by every caller.
[`FrozenMap`][foerdermittel.frozen.FrozenMap] is the mapping such fields hold instead: it reads
like a ``dict`` and refuses every change with a ``TypeError``. It pickles and copies (a scenario
sweep sends cases to other processes), compares equal to a ``dict`` with the same items. A model
field annotated [`ReadOnlyMap[K, V]`][foerdermittel.frozen.ReadOnlyMap] validates from a ``dict``,
holds a ``FrozenMap`` and dumps to a ``dict``, in Python and in JSON, with the JSON schema of
``dict[K, V]``.

Examples:
    >>> rates = FrozenMap({"standard": 1})
    >>> rates["standard"], rates == {"standard": 1}, dict(rates)
    (1, True, {'standard': 1})
    >>> rates["standard"] = 2
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenMap' object does not support item assignment
"""

from __future__ import annotations

import weakref
from collections.abc import (
    Callable,
    Hashable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from typing import Annotated, Any, ClassVar, Generic, SupportsIndex, TypeVar, overload

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import core_schema

__all__ = [
    "READ_ONLY",
    "FrozenMap",
    "IdentityMemo",
    "LaterTuple",
    "ReadOnlyMap",
    "WeakMemo",
    "built",
]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class FrozenMap(Mapping[K, V]):
    """A mapping that cannot be changed after it is built.

    Built from a mapping or from ``(key, value)`` pairs, like ``dict``; it keeps their order.
    Its ``repr`` is the ``dict``'s, so a model prints as it did with a plain ``dict``.
    """

    __slots__ = ("_items",)

    _items: dict[K, V]

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        object.__setattr__(self, "_items", dict(items))

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._items == other._items
        if isinstance(other, dict):
            return self._items == other
        return super().__eq__(other)

    @overload
    def get(self, key: K, /) -> V | None: ...

    @overload
    def get(self, key: K, /, default: V | T) -> V | T: ...

    def get(self, key: K, /, default: object = None) -> object:
        """The value for ``key``, else ``default`` (as ``dict.get``)."""
        return self._items.get(key, default)

    def keys(self) -> KeysView[K]:
        """The keys, in order (a view that cannot change the map)."""
        return self._items.keys()

    def values(self) -> ValuesView[V]:
        """The values, in order."""
        return self._items.values()

    def items(self) -> ItemsView[K, V]:
        """The ``(key, value)`` pairs, in order."""
        return self._items.items()

    def __repr__(self) -> str:
        return repr(self._items)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} ist unveränderlich")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} ist unveränderlich")

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (dict(self._items),))

    def __or__(self, other: Mapping[K, V]) -> FrozenMap[K, V]:
        """A new mapping with ``other``'s items added (as ``dict | dict`` does)."""
        return FrozenMap({**self._items, **other})


class _ReadOnly:
    """Pydantic metadata: validate the mapping as annotated, then freeze it; dump a ``dict``."""

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)
        return core_schema.no_info_after_validator_function(
            _freeze,
            schema,
            serialization=core_schema.wrap_serializer_function_ser_schema(
                _thaw, schema=schema, info_arg=False
            ),
        )

    def __repr__(self) -> str:
        return "READ_ONLY"


READ_ONLY = _ReadOnly()
"""Annotate a ``Mapping`` field with it to hold a [`FrozenMap`][foerdermittel.frozen.FrozenMap]."""

ReadOnlyMap = Annotated[Mapping[K, V], READ_ONLY]
"""A model field that reads as ``Mapping[K, V]``, holds a ``FrozenMap`` and dumps as a ``dict``.

A caller may pass any mapping (a ``dict`` as usual); type checkers see a mapping without
``__setitem__``, and at run time a change raises ``TypeError``.
"""


def _freeze(items: dict[Any, Any]) -> FrozenMap[Any, Any]:
    return FrozenMap(items)


def _thaw(items: Mapping[Any, Any], serialize: core_schema.SerializerFunctionWrapHandler) -> Any:
    return serialize(dict(items))


def _slot_setter(name: str) -> Callable[[BaseModel, Any], None]:
    """The setter of one of the slots every pydantic model has (``__dict__``, ``__pydantic_*__``).

    The slots' descriptors set them quicker than ``object.__setattr__``.
    """
    slot = vars(BaseModel).get(name)
    if slot is not None and hasattr(slot, "__set__"):
        setter: Callable[[BaseModel, Any], None] = slot.__set__
        return setter
    return lambda model, value: object.__setattr__(model, name, value)  # pragma: no cover


_new = object.__new__
_set_dict = _slot_setter("__dict__")
_set_fields_set = _slot_setter("__pydantic_fields_set__")
_set_extra = _slot_setter("__pydantic_extra__")
_set_private = _slot_setter("__pydantic_private__")


_EVERY_FIELD: dict[type[BaseModel], set[str]] = {}


def built(cls: type[M], values: dict[str, Any], given: Iterable[str] | None = None) -> M:
    """A model of ``cls`` holding ``values``, which are valid by construction: not validated.

    For results a calculator builds from values it computed itself (amounts to the cent,
    dates, tuples of built models): what ``model_construct`` does for a model without aliases,
    extra fields or private attributes, given every field — without its walk over the fields,
    which takes longer than validating small models. ``values`` must name every field of
    ``cls``, each with the type the field holds (a ``tuple`` for a tuple field, a ``Decimal``
    with two places for an amount), and becomes the model's own dictionary. The models of a
    class built so share one set of the names of the fields set (every field): the models are
    frozen, and pydantic copies that set before it changes it (``model_copy``). ``given``
    names the fields set instead, where the others hold their defaults (as ``cls(**given)``
    would leave them unset); ``values`` then still names every field, in the class's order.

    Examples:
        >>> from pydantic import BaseModel
        >>> class Point(BaseModel):
        ...     x: int
        ...     y: int
        >>> built(Point, {"x": 1, "y": 2}) == Point(x=1, y=2)
        True
    """
    if given is not None:
        fields_set = set(given)
    elif cls in _EVERY_FIELD:
        fields_set = _EVERY_FIELD[cls]
    else:
        fields_set = _EVERY_FIELD[cls] = set(cls.model_fields)
    model = _new(cls)  # pydantic models have no __new__ of their own
    _set_dict(model, values)
    _set_fields_set(model, fields_set)
    _set_extra(model, None)
    _set_private(model, None)
    return model


class IdentityMemo(Generic[V]):
    """The last few results computed from immutable objects, found again by their identity.

    A result is stored with the objects it was computed from and is found again only for
    the very same objects (``is``): the memo keeps them, so while it holds a result their
    identities cannot pass to other objects. Values such as dates or numbers may complete
    the key; they are compared by equality. Only the last ``size`` results are kept.

    For results that take long to compute and are read again and again from the same
    immutable input — the rulebook of a grant, the deadlines of a case, the sums of a
    forecast — where hashing the input by value would take as long as computing the result.

    Examples:
        >>> memo: IdentityMemo[int] = IdentityMemo(2)
        >>> key = (1, 2)
        >>> memo.get((key,)) is None
        True
        >>> memo.put((key,), 3)
        3
        >>> memo.get((key,)), memo.get(((1, 2),))
        (3, None)
    """

    __slots__ = ("_entries", "_size")

    def __init__(self, size: int = 8) -> None:
        self._entries: dict[tuple[Hashable, ...], tuple[tuple[object, ...], V]] = {}
        self._size = size

    def get(self, objects: tuple[object, ...], values: tuple[Hashable, ...] = ()) -> V | None:
        """The result stored for these very objects and these values, or ``None``."""
        found = self._entries.get((*map(id, objects), *values))
        if found is None or not all(a is b for a, b in zip(found[0], objects, strict=True)):
            return None
        return found[1]

    def put(self, objects: tuple[object, ...], result: V, values: tuple[Hashable, ...] = ()) -> V:
        """Store ``result`` for these objects and values (the oldest goes); return it."""
        entries = self._entries
        for old in list(entries)[: max(0, len(entries) - self._size + 1)]:
            entries.pop(old, None)
        entries[(*map(id, objects), *values)] = (objects, result)
        return result


class WeakMemo(Generic[V]):
    """Results computed from one immutable object, kept as long as the object lives.

    Unlike [`IdentityMemo`][foerdermittel.frozen.IdentityMemo] it does not keep the object:
    it holds it weakly and forgets the result when the object goes, so a large result (the
    sums of a forecast) lives no longer than what it was computed from, and an identity is
    never taken for a later object's.

    Examples:
        >>> class Box:
        ...     pass
        >>> memo: WeakMemo[int] = WeakMemo()
        >>> box = Box()
        >>> memo.put(box, 3), memo.get(box), memo.get(Box())
        (3, 3, None)
        >>> del box
        >>> len(memo)
        0
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[Any], V]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, source: object) -> V | None:
        """The result stored for this very object, or ``None``."""
        found = self._entries.get(id(source))
        if found is None or found[0]() is not source:
            return None
        return found[1]

    def put(self, source: object, result: V) -> V:
        """Store ``result`` for ``source`` while it lives; return it."""
        key = id(source)
        entries = self._entries

        def gone(reference: weakref.ref[Any]) -> None:
            found = entries.get(key)
            if found is not None and found[0] is reference:
                del entries[key]

        entries[key] = (weakref.ref(source, gone), result)
        return result


class LaterTuple(Sequence[T]):
    """A tuple of results built when it is first read (once); it reads like the tuple.

    For a result's parts most callers never read (the months of a line's forecast, the
    segments of an interest result): the calculator hands over how to build them, and they
    are built on the first read. It behaves as the tuple does: ``len``, indexing, slicing
    (which gives a tuple), iteration, ``in``, ``index``, ``count``, ``+`` and ``*`` (giving
    tuples), equality with a tuple of the same items and the same hash, ``repr``, copying and
    pickling (as the built tuple). Only ``isinstance(…, tuple)`` is false.

    A subclass names the tuple type it stands for in ``items_type`` (``tuple[Item, ...]``);
    pydantic then validates a model field of the subclass's type as that tuple, holds it in
    the subclass, and dumps it, in Python and in JSON and in the JSON schema, as the tuple.

    Examples:
        >>> class Squares(LaterTuple[int]):
        ...     items_type = tuple[int, ...]
        >>> squares = Squares.later(lambda n: tuple(i * i for i in range(n)), (4,))
        >>> len(squares), squares[-1], squares == (0, 1, 4, 9), squares[1:3]
        (4, 9, True, (1, 4))
    """

    __slots__ = ("_items", "_later")

    items_type: ClassVar[Any] = tuple[Any, ...]
    """The tuple type the subclass stands for, for pydantic (e.g. ``tuple[Item, ...]``)."""

    _items: tuple[T, ...] | None
    _later: tuple[Callable[..., tuple[T, ...]], tuple[Any, ...]] | None

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items = tuple(items)
        self._later = None

    @classmethod
    def later(cls, build: Callable[..., tuple[T, ...]], arguments: tuple[Any, ...]) -> Any:
        """Items that ``build(*arguments)`` gives when they are first read (once).

        ``build`` must give equal tuples whenever it is called: where two threads read at
        once, each may build, and either tuple stays. The arguments are let go once built.
        """
        items = _new(cls)
        items._items = None
        items._later = (build, arguments)
        return items

    def _tuple(self) -> tuple[T, ...]:
        items = self._items
        if items is None:
            later = self._later
            if later is None:  # another thread has just built them (items first, then this)
                items = self._items
                assert items is not None
                return items
            build, arguments = later
            items = self._items = build(*arguments)
            self._later = None
        return items

    def __len__(self) -> int:
        return len(self._tuple())

    @overload
    def __getitem__(self, index: SupportsIndex) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> T | tuple[T, ...]:
        return self._tuple()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._tuple())

    def __reversed__(self) -> Iterator[T]:
        return reversed(self._tuple())

    def __contains__(self, item: object) -> bool:
        return item in self._tuple()

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """The position of the first item equal to ``value``, as ``tuple.index``."""
        items = self._tuple()
        return items.index(value, start, len(items) if stop is None else stop)

    def count(self, value: Any) -> int:
        """How many items are equal to ``value``, as ``tuple.count``."""
        return self._tuple().count(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LaterTuple):
            return self._tuple() == other._tuple()
        if isinstance(other, tuple):
            return self._tuple() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __add__(self, other: object) -> tuple[Any, ...]:
        if isinstance(other, LaterTuple):
            return self._tuple() + other._tuple()
        if isinstance(other, tuple):
            return self._tuple() + other
        return NotImplemented

    def __radd__(self, other: object) -> tuple[Any, ...]:
        if isinstance(other, tuple):
            return other + self._tuple()
        return NotImplemented

    def __mul__(self, times: SupportsIndex) -> tuple[T, ...]:
        return self._tuple() * times

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return repr(self._tuple())

    def __reduce__(self) -> tuple[type[LaterTuple[T]], tuple[tuple[T, ...]]]:
        return type(self), (self._tuple(),)

    def __copy__(self) -> LaterTuple[T]:
        return self  # immutable

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        items = handler.generate_schema(cls.items_type)

        def validate(value: Any, inner: core_schema.ValidatorFunctionWrapHandler) -> Any:
            return value if isinstance(value, cls) else cls(inner(value))

        return core_schema.no_info_wrap_validator_function(
            validate,
            items,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _as_tuple, return_schema=items
            ),
        )


def _as_tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    return items._tuple() if isinstance(items, LaterTuple) else tuple(items)
