from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foerdermittel.money import ZERO, allocate, cents, floor_cents, to_money, to_rate

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9880000", D("9880000.00")),
        ("0.5", D("0.50")),
        (D("1.50"), D("1.50")),
        (D("1000.000"), D("1000.00")),  # trailing zero, no thousands reading: nothing rounded
        ("1.234,56", D("1234.56")),
        (7, D("7.00")),
        ("-12.34", D("-12.34")),
    ],
)
def test_to_money_accepts_exact_values(text: object, expected: Decimal) -> None:
    value = to_money(text)
    assert value == expected
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("bad", "word"),
    [
        (0.1, "float"),
        (D("1.005"), "zwei Nachkommastellen"),
        ("1.005", "zwei Nachkommastellen"),
        (D("NaN"), "endliche"),
        (D("Infinity"), "endliche"),
        (D("1.500"), "mehrdeutig"),  # a TOML or JSON number 1.500: 1.500,00 € or 1,50 €?
        ("1.500", "mehrdeutig"),
        ("1,234.56", "englisches Zahlenformat"),
        ("1e3", "keine Zahl"),
        (True, "Wahrheitswert"),
    ],
)
def test_to_money_rejects(bad: object, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        to_money(bad)


def test_cents_rounds_half_up_not_half_even() -> None:
    # The decimal default (half-even) would give 1234.56 and 0.02.
    assert cents(D("1234.565")) == D("1234.57")
    assert cents(D("0.025")) == D("0.03")
    assert cents(D("-0.025")) == D("-0.03")


def test_floor_cents_never_rounds_up() -> None:
    assert floor_cents(D("0.65") * D("1000.01")) == D("650.00")
    assert floor_cents(D("650.009999")) == D("650.00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("65 %", D("0.65")), ("90%", D("0.90")), ("0.65", D("0.65")), (1, D(1)), (D("0.5"), D("0.5"))],
)
def test_to_rate(text: object, expected: Decimal) -> None:
    assert to_rate(text) == expected


@pytest.mark.parametrize("bad", [0, "0 %", D("1.01"), "150 %", D("-0.1"), 0.65])
def test_to_rate_rejects(bad: object) -> None:
    with pytest.raises(ValueError, match=r"Quote|float"):
        to_rate(bad)


def test_allocate_examples() -> None:
    assert allocate(D("100.00"), [D(1), D(1), D(1)]) == (D("33.34"), D("33.33"), D("33.33"))
    assert allocate(D("0.01"), [D(1), D(1)]) == (D("0.01"), D("0.00"))
    assert allocate(D("10.00"), [D(0), D(1)]) == (D("0.00"), D("10.00"))
    assert allocate(D("-0.05"), [D(2), D(3)]) == (D("-0.02"), D("-0.03"))


@pytest.mark.parametrize(
    ("total", "weights"),
    [(D("1.001"), [D(1)]), (D("1.00"), []), (D("1.00"), [D(0)]), (D("1.00"), [D(-1), D(2)])],
)
def test_allocate_rejects(total: Decimal, weights: list[Decimal]) -> None:
    with pytest.raises(ValueError, match="allocate"):
        allocate(total, weights)


amounts = st.decimals(
    min_value=D("-100000000.00"), max_value=D("100000000.00"), places=2, allow_nan=False
)
weights_st = st.lists(
    st.decimals(min_value=D(0), max_value=D(1000000), places=4, allow_nan=False),
    min_size=1,
    max_size=30,
).filter(lambda ws: sum(ws) > 0)


@given(amounts, weights_st)
def test_allocate_adds_up_to_the_cent(total: Decimal, weights: list[Decimal]) -> None:
    parts = allocate(total, weights)
    assert sum(parts, ZERO) == total
    assert len(parts) == len(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert part.as_tuple().exponent == -2
        if weight == 0:
            assert part == 0
        # every part is within one cent of its exact share
        exact = total * weight / sum(weights)
        assert abs(part - exact) < D("0.01")


@given(st.decimals(min_value=D("-1e9"), max_value=D("1e9"), places=6, allow_nan=False))
def test_rounding_helpers_are_within_a_cent(value: Decimal) -> None:
    assert abs(cents(value) - value) <= D("0.005")
    assert D(0) <= value - floor_cents(value) < D("0.01")


def test_a_huge_integer_is_refused_like_a_huge_decimal() -> None:
    # an int took a short cut past the digit limit and crashed rounding (found by fuzzing)
    with pytest.raises(ValueError, match="zu groß"):
        to_money(10**40)
    with pytest.raises(ValueError, match="zu groß"):
        to_money(Decimal(10**40))


def test_allocate_gives_equal_remainders_to_the_earlier_part() -> None:
    """Ties go to the earlier part, however many digits the shares have.

    683,195,734,383 cents over the weights 8 : 2 : 8 leave the same remainder, 12/18, to all
    three parts; the two cents left go to the first and the second part. (Shares computed as
    28-digit decimals made the larger shares' remainders look larger and gave the second cent
    to the third part.)
    """
    parts = allocate(
        Decimal("-6831957343.83"), [Decimal("0.0008"), Decimal("0.0002"), Decimal("0.0008")]
    )
    assert parts == (
        Decimal("-3036425486.15"),
        Decimal("-759106371.54"),
        Decimal("-3036425486.14"),
    )
    assert sum(parts) == Decimal("-6831957343.83")
