"""The vouchers held as columns read, compare, pickle, validate and dump like their tuple.

``Case.expenditures`` (and ``Ledger.expenditures``, ``ProofOfUse.vouchers``) was a
``tuple[Expenditure, ...]``; it is a ``VoucherColumns`` now. These tests hold it against the
tuple of the same vouchers: every reader's operation gives the same, every dump the same text,
the JSON schema is the tuple's.
"""

from __future__ import annotations

import copy
import pickle
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError

import foerdermittel as fm
from foerdermittel.model.records import Expenditure
from foerdermittel.model.voucher_columns import VoucherColumns

from .common import ROOT


class _Tuple(BaseModel):
    model_config = ConfigDict(frozen=True)
    expenditures: tuple[Expenditure, ...] = ()


class _Columns(BaseModel):
    model_config = ConfigDict(frozen=True)
    expenditures: VoucherColumns = VoucherColumns.EMPTY


_TEXT = st.one_of(st.none(), st.sampled_from(["", "Müller GmbH", " Leer ", "A&B <x>", "=1+1"]))
_AMOUNT = st.integers(min_value=-(10**13), max_value=10**13).map(lambda c: Decimal(c).scaleb(-2))
_ORIGIN = st.one_of(
    st.none(),
    st.sampled_from(
        ["belege.csv:2", "belege.csv:017", "mappe.xlsx[Belege]:9", "Hand", ":0", "a:b"]
    ),
    st.integers(min_value=0, max_value=10**12).map(lambda row: f"b.csv:{row}"),
)
_DAY = st.integers(min_value=0, max_value=40_000).map(
    lambda days: date(1991, 1, 1) + timedelta(days=days)
)


@st.composite
def _expenditure(draw: st.DrawFn) -> Expenditure:
    optional: dict[str, Any] = {
        "net_amount": draw(st.one_of(st.none(), _AMOUNT, st.just(Decimal("-0.00")))),
        "payee": draw(_TEXT),
        "purpose": draw(_TEXT),
        "kind": draw(st.sampled_from(["expenditure", "credit"])),
        "reference": draw(_TEXT),
        "origin": draw(_ORIGIN),
        "invoice_number": draw(_TEXT),
        "invoice_date": draw(st.one_of(st.none(), _DAY)),
    }
    given_fields = draw(st.sets(st.sampled_from(sorted(optional))))
    return Expenditure(
        id=draw(st.sampled_from(["B-1", "B-2", "B-3", "ä-1"])),
        line=draw(st.sampled_from(["1.1", "1.2", "2.1"])),
        paid_on=draw(_DAY),
        amount=draw(st.one_of(_AMOUNT, st.just(Decimal("-0.00")))),
        **{k: v for k, v in optional.items() if k in given_fields},
    )


_VOUCHERS = st.lists(_expenditure(), max_size=12).map(tuple)


def _same_items(got: tuple[Expenditure, ...], expected: tuple[Expenditure, ...]) -> None:
    assert got == expected
    for a, b in zip(got, expected, strict=True):
        assert type(a) is type(b)
        assert repr(a) == repr(b)
        assert a.model_dump_json() == b.model_dump_json()
        assert a.model_dump() == b.model_dump()


@settings(max_examples=150, deadline=None)
@given(_VOUCHERS, st.slices(14))
def test_it_reads_like_the_tuple(vouchers: tuple[Expenditure, ...], part: slice) -> None:
    store = VoucherColumns.of(vouchers)
    assert len(store) == len(vouchers)
    _same_items(tuple(store), vouchers)
    _same_items(tuple(reversed(store)), tuple(reversed(vouchers)))
    assert store == vouchers
    assert hash(store) == hash(vouchers)
    assert store[part] == vouchers[part]
    assert isinstance(store[part], VoucherColumns)
    for i in range(-len(vouchers), len(vouchers)):
        assert store[i] == vouchers[i]
    for bad in (len(vouchers), -len(vouchers) - 1):
        with pytest.raises(IndexError):
            store[bad]
    if vouchers:
        assert store.index(vouchers[-1]) == vouchers.index(vouchers[-1])
        assert store.count(vouchers[0]) == vouchers.count(vouchers[0])
        assert vouchers[0] in store
    assert store + vouchers == vouchers + vouchers
    assert vouchers + store == vouchers + vouchers
    assert store * 2 == vouchers * 2
    assert VoucherColumns.joined((store, store[part])) == vouchers + vouchers[part]


@settings(max_examples=100, deadline=None)
@given(_VOUCHERS)
def test_it_pickles_and_copies(vouchers: tuple[Expenditure, ...]) -> None:
    store = VoucherColumns.of(vouchers)
    for again in (pickle.loads(pickle.dumps(store)), copy.copy(store), copy.deepcopy(store)):
        assert isinstance(again, VoucherColumns)
        _same_items(tuple(again), vouchers)
        assert again == store


@settings(max_examples=100, deadline=None)
@given(_VOUCHERS)
def test_a_model_dumps_and_validates_it_as_the_tuple(vouchers: tuple[Expenditure, ...]) -> None:
    columns = _Columns(expenditures=vouchers)
    plain = _Tuple(expenditures=vouchers)
    assert isinstance(columns.expenditures, VoucherColumns)
    assert columns.model_dump() == plain.model_dump()
    assert columns.model_dump(mode="json") == plain.model_dump(mode="json")
    assert columns.model_dump_json() == plain.model_dump_json()
    assert columns.model_dump_json(indent=2) == plain.model_dump_json(indent=2)
    again = _Columns.model_validate_json(columns.model_dump_json())
    assert again == columns
    assert _Columns.model_validate(plain.model_dump()) == columns
    assert _Columns.model_validate({"expenditures": list(vouchers)}) == columns
    assert _Columns.model_validate({"expenditures": columns.expenditures}).expenditures is (
        columns.expenditures
    )


def test_the_json_schema_is_the_tuples() -> None:
    for mode in ("validation", "serialization"):
        assert (
            _Columns.model_json_schema(mode=mode)["properties"]
            == (_Tuple.model_json_schema(mode=mode)["properties"])
        )


def test_a_voucher_is_refused_where_the_tuple_refuses_it() -> None:
    bad = {"expenditures": [{"id": "B-1", "line": "1", "paid_on": "2024-01-01", "amount": "1.5x"}]}
    with pytest.raises(ValidationError) as columns:
        _Columns.model_validate(bad)
    with pytest.raises(ValidationError) as plain:
        _Tuple.model_validate(bad)
    assert columns.value.errors(include_url=False) == plain.value.errors(include_url=False)


def test_a_voucher_it_cannot_give_back_exactly_is_kept_as_it_is() -> None:
    class Marked(Expenditure):
        pass

    minus_zero = Expenditure(id="B-1", line="1", paid_on=date(2024, 1, 1), amount=Decimal("-0"))
    marked = Marked(id="B-2", line="1", paid_on=date(2024, 1, 2), amount=Decimal("1.00"))
    plain = Expenditure(id="B-3", line="1", paid_on=date(2024, 1, 3), amount=Decimal("2.00"))
    store = VoucherColumns.of([minus_zero, marked, plain])
    assert store[0] is minus_zero
    assert str(store[0].amount) == "-0.00"
    assert store[1] is marked
    assert store[2] == plain
    assert store[2] is not plain
    assert list(store.amounts) == [0, 100, 200]
    assert store[1:][0] is marked


def test_it_cannot_be_changed() -> None:
    store = VoucherColumns.of(
        [Expenditure(id="B-1", line="1", paid_on=date(2024, 1, 1), amount=Decimal("1.00"))]
    )
    with pytest.raises(AttributeError):
        store.ids = []  # type: ignore[misc]
    with pytest.raises(TypeError):
        store[0] = store[0]  # type: ignore[index]


def test_a_part_gathers_its_columns_when_read() -> None:
    case = fm.attach_ledger(
        fm.load_case(ROOT / "examples" / "bochum-mpsc.toml"), base_dir=ROOT / "examples"
    )
    store = case.expenditures
    order = sorted(range(len(store)), key=lambda i: (store.days[i], store.ids[i]))
    part = store.take(order)
    assert list(part.days) == sorted(store.days)
    assert part[5] == store[order[5]]
    half = part[: len(part) // 2]
    assert half == tuple(store[i] for i in order[: len(part) // 2])
    assert pickle.loads(pickle.dumps(half)) == half


def test_a_case_holds_its_vouchers_as_columns() -> None:
    case = fm.attach_ledger(
        fm.load_case(ROOT / "examples" / "bochum-mpsc.toml"), base_dir=ROOT / "examples"
    )
    assert isinstance(case.expenditures, VoucherColumns)
    assert case.model_copy().expenditures is case.expenditures
    assert case.amended().expenditures is case.expenditures
    again = fm.loads_case(fm.dump_case(case), fmt="json")
    assert isinstance(again.expenditures, VoucherColumns)
    assert again == case
    assert pickle.loads(pickle.dumps(case)) == case
    typed = case.model_copy(update={"expenditures": tuple(case.expenditures)})
    assert typed == case
    assert fm.dump_case(typed) == fm.dump_case(case)
